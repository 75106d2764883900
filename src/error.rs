//! The crate's one error type. Every variant says what went wrong; the caller adds where
//! (the path) with [`Error::in_file`], so messages read `PATH: reason`.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A named limit from [`crate::Limits`] was exceeded by this file.
    #[error("limit exceeded: {limit} ({detail})")]
    Limit { limit: &'static str, detail: String },

    #[error("time budget of {seconds} s exceeded (limit time_budget)")]
    Timeout { seconds: u64 },

    #[error("password required")]
    PasswordRequired,

    #[error("not a format tenderscope reads ({0})")]
    UnknownFormat(String),

    /// The file is damaged beyond what the reader can repair.
    #[error("malformed {format}: {detail}")]
    Malformed {
        format: &'static str,
        detail: String,
    },

    /// A bug in tenderscope surfaced on this file; the run went on without it.
    #[error("internal error while reading this file: {0}")]
    Panic(String),

    #[error("{}: {detail}", path.display())]
    Manifest { path: PathBuf, detail: String },

    #[error("unreadable zip: {0}")]
    Zip(String),

    #[error("index {}: {detail}", path.display())]
    Index { path: PathBuf, detail: String },

    #[error("index {} is locked: another ingest is running on it (wait for it to finish)", path.display())]
    IndexLocked { path: PathBuf },

    #[error("bad query `{query}`: {detail}")]
    Query { query: String, detail: String },

    /// A run would remove too many of a root's indexed files: most likely the root is empty
    /// because a share is not mounted, or its files were all renamed. Nothing was changed.
    #[error("{}: this run would remove {removed} of the {indexed} files indexed from it ({why}); nothing was ingested and the index was not changed. If the files are meant to go, run again with --allow-removals", root.display())]
    Removals {
        root: PathBuf,
        removed: u64,
        indexed: u64,
        why: &'static str,
    },

    /// Reported by (or about) the worker process that read this file.
    #[error("{0}")]
    Worker(String),

    /// An error with the path of the file it belongs to.
    #[error("{}: {source}", path.display())]
    InFile {
        path: PathBuf,
        #[source]
        source: Box<Error>,
    },
}

impl Error {
    pub fn limit(limit: &'static str, detail: impl Into<String>) -> Error {
        Error::Limit {
            limit,
            detail: detail.into(),
        }
    }

    /// A document with more than `max` characters of text (`max_text_chars`).
    pub fn too_much_text(max: usize) -> Error {
        Error::limit(
            "max_text_chars",
            format!("more than {max} characters of text"),
        )
    }

    pub fn malformed_pdf(detail: impl std::fmt::Display) -> Error {
        Error::Malformed {
            format: "PDF",
            detail: detail.to_string(),
        }
    }

    pub fn malformed_docx(detail: impl std::fmt::Display) -> Error {
        Error::Malformed {
            format: "DOCX",
            detail: detail.to_string(),
        }
    }

    /// Attach the path of the file this error belongs to (once).
    pub fn in_file(self, path: impl Into<PathBuf>) -> Error {
        match self {
            e @ (Error::InFile { .. } | Error::Io { .. }) => e,
            e => Error::InFile {
                path: path.into(),
                source: Box::new(e),
            },
        }
    }
}
