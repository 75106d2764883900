//! The index folder: a tantivy index of documents and passages, the extraction cache, the
//! staging area for zip members, and the run log.
//!
//! ```text
//! INDEX/
//!   tantivy/        the search index (one commit per ingest run)
//!   cache/          extracted documents as JSON, by sha256 (re-used while the extractor is unchanged)
//!   staging/        zip members copied out for extraction and for opening as evidence
//!   runs.jsonl      one JSON record per ingest run
//!   tenderscope.json  the layout and schema version
//! ```
//!
//! tantivy's own writer lock makes a second concurrent ingest fail at once; readers open the
//! last commit and keep working while a writer runs.

pub mod evidence;
pub mod query;
pub mod records;
pub mod schema;
pub mod stamp;
pub mod tokens;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::{LockError, OpenWriteError};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

use crate::error::{Error, Result};
pub use schema::Fields;

/// The index folder used when none is given: `./tenderscope-index`.
pub const DEFAULT_DIR: &str = "tenderscope-index";

/// Memory for the tantivy writer (shared by its threads).
const WRITER_HEAP_BYTES: usize = 128 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_run_killed_before_the_layout_was_written_recovers() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("index");
        // What a kill after the old order's first step left behind: an index, no layout file.
        std::fs::create_dir_all(Store::tantivy_dir(&dir)).unwrap();
        Index::create_in_dir(Store::tantivy_dir(&dir), schema::build().0).unwrap();
        assert!(Store::open_or_create(&dir).is_ok());
        assert!(Store::open(&dir).is_ok());
    }
}

#[derive(Serialize, Deserialize)]
struct Layout {
    schema_version: u32,
}

/// An open index folder. Cloning it is cheap (tantivy's `Index` is shared).
#[derive(Clone)]
pub struct Store {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
}

impl Store {
    pub fn tantivy_dir(dir: &Path) -> PathBuf {
        dir.join("tantivy")
    }
    pub fn cache_dir(&self) -> PathBuf {
        self.dir.join("cache")
    }
    /// Copies of the rule sets that classified the index, by version.
    pub fn rulesets_dir(&self) -> PathBuf {
        self.dir.join("rulesets")
    }

    pub fn staging_dir(&self) -> PathBuf {
        self.dir.join("staging")
    }
    pub fn runs_path(&self) -> PathBuf {
        self.dir.join("runs.jsonl")
    }

    /// Open an existing index folder for reading.
    pub fn open(dir: &Path) -> Result<Store> {
        let tdir = Store::tantivy_dir(dir);
        if !tdir.join("meta.json").is_file() {
            return Err(Error::Index {
                path: dir.to_path_buf(),
                detail: "no index here: run `tenderscope ingest` first, or pass --index DIR".into(),
            });
        }
        check_layout(dir)?;
        let index = Index::open_in_dir(&tdir).map_err(|e| index_error(dir, e))?;
        Ok(Store::with_index(dir, index))
    }

    /// Open an index folder, creating it if it does not exist.
    pub fn open_or_create(dir: &Path) -> Result<Store> {
        let tdir = Store::tantivy_dir(dir);
        if tdir.join("meta.json").is_file() {
            if !dir.join("tenderscope.json").is_file() {
                // A first run killed between creating the index and writing the layout (as
                // versions before 0.1 could be): the index is this version's, record so.
                write_layout(dir)?;
            }
            return Store::open(dir);
        }
        std::fs::create_dir_all(&tdir).map_err(|source| Error::Io {
            path: tdir.clone(),
            source,
        })?;
        // The layout file first: a run killed before the index exists leaves a folder that
        // the next run simply creates the index in.
        write_layout(dir)?;
        let (schema, _) = schema::build();
        let index = Index::create_in_dir(&tdir, schema).map_err(|e| index_error(dir, e))?;
        Ok(Store::with_index(dir, index))
    }

    fn with_index(dir: &Path, index: Index) -> Store {
        index
            .tokenizers()
            .register(tokens::STEMMED, tokens::stemmed());
        index.tokenizers().register(tokens::EXACT, tokens::exact());
        let (_, fields) = schema::build();
        Store {
            dir: dir.to_path_buf(),
            index,
            fields,
        }
    }

    /// The single writer. Fails at once, with a clear message, while another ingest runs.
    ///
    /// Files that a run wrote but did not commit (it was killed, or the disk filled up at its
    /// commit) are removed first: tantivy names a delete file by segment and operation number,
    /// so a run that repeats the failed one would otherwise find its file already there, and
    /// every later run would fail the same way.
    pub fn writer(&self) -> Result<IndexWriter> {
        let writer = self.index.writer(WRITER_HEAP_BYTES).map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexLocked {
                path: self.dir.clone(),
            },
            e => index_error(&self.dir, e),
        })?;
        writer
            .garbage_collect_files()
            .wait()
            .map_err(|e| index_error(&self.dir, e))?;
        Ok(writer)
    }

    /// A reader on the last commit.
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| index_error(&self.dir, e))
    }
}

fn write_layout(dir: &Path) -> Result<()> {
    let layout = serde_json::to_vec(&Layout {
        schema_version: schema::SCHEMA_VERSION,
    })
    .map_err(|e| Error::Index {
        path: dir.to_path_buf(),
        detail: e.to_string(),
    })?;
    write_atomic(&dir.join("tenderscope.json"), &layout)
}

fn check_layout(dir: &Path) -> Result<()> {
    let path = dir.join("tenderscope.json");
    let bytes = std::fs::read(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let layout: Layout = serde_json::from_slice(&bytes).map_err(|e| Error::Index {
        path: path.clone(),
        detail: format!("unreadable: {e}"),
    })?;
    if layout.schema_version != schema::SCHEMA_VERSION {
        return Err(Error::Index {
            path: dir.to_path_buf(),
            detail: format!(
                "index schema version {} but this tenderscope writes {}: ingest into a new folder",
                layout.schema_version,
                schema::SCHEMA_VERSION
            ),
        });
    }
    Ok(())
}

pub fn index_error(dir: &Path, e: TantivyError) -> Error {
    Error::Index {
        path: dir.to_path_buf(),
        detail: describe(dir, &e),
    }
}

/// A tantivy error as a message. tantivy prints the OS error of a file it could not create
/// with Debug (`IoError { io_error: Custom { .. } }`): say which file, and the error plainly.
pub fn describe(dir: &Path, e: &TantivyError) -> String {
    match e {
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, filepath }) => format!(
            "cannot write {}: {io_error}",
            Store::tantivy_dir(dir).join(filepath).display()
        ),
        e => e.to_string(),
    }
}

/// Write a file so that readers see the old content or the new, never a part: write a
/// temporary file beside it, sync, rename over.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
