//! Checks on a zip package before a reader that opens the zip itself (calamine) sees it.
//!
//! calamine inflates the parts it needs with the `zip` crate, which stops an entry that grows
//! past its declared size; so the declared sizes in the central directory bound what it can
//! inflate. [`check`] refuses a package whose declared sizes pass
//! [`Limits::max_entry_bytes`] or, summed, [`Limits::max_total_inflated_bytes`], or that has
//! more than [`Limits::max_zip_entries`] entries, before any part is inflated.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use crate::error::{Error, Result};
use crate::limits::Limits;

/// The package's entry names and declared sizes, once checked.
pub struct Checked<'a> {
    pub zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Entry names as stored (not lower-cased), in central-directory order.
    pub names: Vec<String>,
}

/// Open the zip and check the sizes its central directory declares. `format` names the
/// format in errors ("XLSX").
pub fn check<'a>(bytes: &'a [u8], limits: &Limits, format: &'static str) -> Result<Checked<'a>> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::Malformed {
        format,
        detail: format!("not a readable zip package ({e}); the file may be truncated"),
    })?;
    if zip.len() > limits.max_zip_entries {
        return Err(Error::limit(
            "max_zip_entries",
            format!("{} zip entries > {}", zip.len(), limits.max_zip_entries),
        ));
    }
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = match zip.by_index_raw(i) {
            Ok(e) => e,
            Err(e) => {
                return Err(Error::Malformed {
                    format,
                    detail: format!("zip entry {i}: {e}"),
                })
            }
        };
        let size = entry.size();
        let name = entry
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).into_owned());
        if size > limits.max_entry_bytes {
            return Err(Error::limit(
                "max_entry_bytes",
                format!(
                    "{name} declares {size} bytes inflated > {}",
                    limits.max_entry_bytes
                ),
            ));
        }
        total = total.saturating_add(size);
        if total > limits.max_total_inflated_bytes {
            return Err(Error::limit(
                "max_total_inflated_bytes",
                format!(
                    "the zip entries declare more than {} bytes inflated",
                    limits.max_total_inflated_bytes
                ),
            ));
        }
        names.push(name);
    }
    Ok(Checked { zip, names })
}

/// The first `max` bytes of an entry (found by name, case-insensitively, `\` read as `/`),
/// and the entry's declared size; `None` if there is no such entry or it cannot be read.
pub fn head_of(checked: &mut Checked<'_>, name: &str, max: usize) -> Option<(Vec<u8>, u64)> {
    let want = normalise(name);
    let index = checked.names.iter().position(|n| normalise(n) == want)?;
    let entry = checked.zip.by_index(index).ok()?;
    let size = entry.size();
    let mut out = Vec::new();
    entry.take(max as u64).read_to_end(&mut out).ok()?;
    Some((out, size))
}

/// An entry name compared as OPC compares part names: case-insensitive, `/` separated, no
/// leading `/`.
pub fn normalise(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches('/')
        .to_ascii_lowercase()
}
