//! Chain of custody: re-hash the sources an index was built from and say which are missing or
//! changed since they were ingested.
//!
//! A source is a file (its origin is its path) or a zip member (origin `ZIP!member`): the
//! member is read again from the zip, not from the staged copy, so that what is checked is what
//! the supplier sent. Hashing streams through a fixed buffer; a member that inflates past the
//! entry limit is reported, not read on.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::limits::Limits;
use crate::records::DocumentRecord;

/// What re-hashing one source found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// Same bytes as when ingested.
    Unchanged,
    /// The file (or zip, or member) is gone.
    Missing { reason: String },
    /// Different bytes: the sha256 now.
    Changed { sha256: String },
    /// It is there but could not be read.
    Unreadable { reason: String },
}

impl State {
    pub fn is_ok(&self) -> bool {
        matches!(self, State::Unchanged)
    }
}

/// One source checked.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub origin: String,
    pub supplier: String,
    /// The sha256 recorded at ingest.
    pub sha256: String,
    #[serde(flatten)]
    pub state: State,
}

/// Where an origin's bytes are.
#[derive(Debug, PartialEq, Eq)]
enum Location {
    File(PathBuf),
    Member { zip: PathBuf, name: String },
}

/// A plain path when that file exists; else `ZIP!member` split at the first `.zip!`.
fn locate(origin: &str) -> Location {
    let path = Path::new(origin);
    if path.is_file() {
        return Location::File(path.to_path_buf());
    }
    let lower = origin.to_ascii_lowercase();
    match lower.find(".zip!") {
        // `.zip!` is ASCII, so the byte offsets in the lower-cased copy hold in the original.
        Some(i) => Location::Member {
            zip: PathBuf::from(&origin[..i + 4]),
            name: origin[i + 5..].to_string(),
        },
        None => Location::File(path.to_path_buf()),
    }
}

/// Hash everything `reader` gives, up to `cap` bytes; `None` if there is more than that.
fn hash_reader(mut reader: impl Read, cap: u64) -> std::io::Result<Option<String>> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 << 10];
    let mut total: u64 = 0;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > cap {
            return Ok(None);
        }
        hasher.update(buf.get(..n).unwrap_or(&[]));
    }
    let mut out = String::with_capacity(64);
    for b in hasher.finalize() {
        out.push_str(&format!("{b:02x}"));
    }
    Ok(Some(out))
}

fn compare(recorded: &str, now: Option<String>, cap: u64) -> State {
    match now {
        Some(h) if h == recorded => State::Unchanged,
        Some(h) => State::Changed { sha256: h },
        None => State::Unreadable {
            reason: format!("larger than the limit of {cap} bytes"),
        },
    }
}

fn check_file(path: &Path, recorded: &str, limits: &Limits) -> State {
    match std::fs::File::open(path) {
        Ok(f) => match hash_reader(f, limits.max_file_bytes) {
            Ok(now) => compare(recorded, now, limits.max_file_bytes),
            Err(e) => State::Unreadable {
                reason: format!("{}: {e}", path.display()),
            },
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => State::Missing {
            reason: format!("{}: no such file", path.display()),
        },
        Err(e) => State::Unreadable {
            reason: format!("{}: {e}", path.display()),
        },
    }
}

fn check_member(zip: &Path, name: &str, recorded: &str, limits: &Limits) -> State {
    let file = match std::fs::File::open(zip) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return State::Missing {
                reason: format!("{}: no such zip", zip.display()),
            }
        }
        Err(e) => {
            return State::Unreadable {
                reason: format!("{}: {e}", zip.display()),
            }
        }
    };
    let mut archive = match zip::ZipArchive::new(file) {
        Ok(a) => a,
        Err(e) => {
            return State::Unreadable {
                reason: format!("{}: unreadable zip: {e}", zip.display()),
            }
        }
    };
    let member = match archive.by_name(name) {
        Ok(m) => m,
        Err(zip::result::ZipError::FileNotFound) => {
            return State::Missing {
                reason: format!("{}: no member {name}", zip.display()),
            }
        }
        Err(e) => {
            return State::Unreadable {
                reason: format!("{}!{name}: {e}", zip.display()),
            }
        }
    };
    let cap = limits.max_entry_bytes.min(limits.max_file_bytes);
    match hash_reader(member, cap) {
        Ok(now) => compare(recorded, now, cap),
        Err(e) => State::Unreadable {
            reason: format!("{}!{name}: {e}", zip.display()),
        },
    }
}

/// Re-hash one indexed source.
pub fn check(doc: &DocumentRecord, limits: &Limits) -> Check {
    let p = &doc.provenance;
    let state = match locate(&p.origin) {
        Location::File(path) => check_file(&path, &p.sha256, limits),
        Location::Member { zip, name } => check_member(&zip, &name, &p.sha256, limits),
    };
    Check {
        origin: p.origin.clone(),
        supplier: p.supplier.clone(),
        sha256: p.sha256.clone(),
        state,
    }
}

/// Re-hash every source, `jobs` at a time; results in the order given.
pub fn check_all(docs: &[DocumentRecord], limits: &Limits, jobs: usize) -> Vec<Check> {
    use rayon::prelude::*;
    let run = || docs.par_iter().map(|d| check(d, limits)).collect();
    match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
    {
        Ok(pool) => pool.install(run),
        Err(_) => docs.iter().map(|d| check(d, limits)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_locate_files_and_zip_members() {
        assert_eq!(
            locate("/nowhere/batch.ZIP!acme/plan.pdf"),
            Location::Member {
                zip: PathBuf::from("/nowhere/batch.ZIP"),
                name: "acme/plan.pdf".into()
            }
        );
        assert_eq!(
            locate("/nowhere/acme/plan.pdf"),
            Location::File(PathBuf::from("/nowhere/acme/plan.pdf"))
        );
    }

    #[test]
    fn hashing_stops_at_the_cap() {
        let data = vec![7u8; 1000];
        assert_eq!(hash_reader(&data[..], 999).ok(), Some(None));
        let h = hash_reader(&data[..], 1000).ok().flatten();
        assert_eq!(h, Some(crate::extract::sha256_hex(&data)));
    }
}
