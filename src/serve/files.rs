//! `/file/SHA256`: the original file of a passage, for the auditor to open at its page.
//!
//! The request names a sha256 and nothing else. The path read is the one the index recorded
//! for the document with that sha256 (the staged copy for zip members), so no part of a
//! request ever reaches the file system. The file is hashed before it is sent: a file that
//! changed since it was indexed is refused (409), since it is no longer the evidence.

use std::path::PathBuf;

use tantivy::Searcher;

use crate::document::Format;
use crate::index::query;
use crate::index::records::{Record, Records};
use crate::index::schema::RECORD_DOCUMENT;
use crate::index::Store;

use super::evidence::valid_sha256;

/// Largest file served (larger ones are not evidence files of a tender).
pub const MAX_FILE_BYTES: u64 = 512 << 20;

/// Most copies of one content looked at for a path that still exists.
const MAX_COPIES: usize = 16;

/// What became of a file request.
pub enum Served {
    File {
        bytes: Vec<u8>,
        content_type: &'static str,
        name: String,
        inline: bool,
    },
    NotInIndex,
    Missing(String),
    Changed,
    TooLarge,
}

/// The indexed path and format of the document with this sha256.
fn lookup(
    store: &Store,
    searcher: &Searcher,
    sha: &str,
) -> crate::Result<Option<(PathBuf, Format, String)>> {
    let f = store.fields;
    let q = query::all(vec![
        query::term(f.record, RECORD_DOCUMENT),
        query::term(f.sha256, sha),
    ]);
    let records = Records::from_parts(store.clone(), searcher.clone());
    // Several origins may hold the same content: take the first whose path still exists.
    let mut first = None;
    for record in records.find(&q, MAX_COPIES)? {
        let Record::Document(d) = record else {
            continue;
        };
        let p = d.provenance;
        let found = (PathBuf::from(p.path), p.format, p.origin);
        if found.0.is_file() {
            return Ok(Some(found));
        }
        first.get_or_insert(found);
    }
    Ok(first)
}

/// Serve the document with this sha256, if the index has it and it is unchanged.
pub fn serve(store: &Store, searcher: &Searcher, sha: &str) -> crate::Result<Served> {
    if !valid_sha256(sha) {
        return Ok(Served::NotInIndex);
    }
    let sha = sha.to_ascii_lowercase();
    let Some((path, format, origin)) = lookup(store, searcher, &sha)? else {
        return Ok(Served::NotInIndex);
    };
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) => return Ok(Served::Missing(format!("{origin}: {e}"))),
    };
    if meta.len() > MAX_FILE_BYTES {
        return Ok(Served::TooLarge);
    }
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => return Ok(Served::Missing(format!("{origin}: {e}"))),
    };
    if crate::extract::sha256_hex(&bytes) != sha {
        return Ok(Served::Changed);
    }
    // A browser shows a PDF, a JPEG and a PNG itself (none of them runs script); every other
    // format is offered as a download.
    let inline = matches!(format, Format::Pdf | Format::Jpeg | Format::Png);
    let content_type = format.media_type();
    Ok(Served::File {
        bytes,
        content_type,
        name: crate::report::gather::file_name(&origin),
        inline,
    })
}
