//! Finding the files of a tender batch and whose they are.
//!
//! A batch is what a tender portal exports: a folder (or a zip) with one folder (or zip) per
//! supplier, each holding that supplier's PDF and DOCX files. The supplier of a file is the
//! first folder or zip level below the batch root, unless a `manifest.csv` at the root
//! (`supplier,file,lot`, `file` relative to the root) says otherwise. A single file given on its
//! own belongs to the folder it is in.
//!
//! Zip members are copied, within limits, into a staging folder (inside the index folder) so
//! that extraction workers read them as files and auditors can open them later. Every problem
//! is recorded per path and discovery goes on: a broken zip loses nothing but itself.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::unread::{head_of, unsupported_reason, SkipRule, Status, Unread};

/// Deepest folder nesting walked below a batch root.
const MAX_WALK_DEPTH: usize = 32;
/// Most members read from one zip.
const MAX_ZIP_MEMBERS: usize = 100_000;

/// One file to ingest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub tender: String,
    pub supplier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// Where the file came from, as the user knows it: a path, or `ZIP!member` for zip members.
    /// This is the file's identity across runs.
    pub origin: String,
    /// The file on disk that is read (the staged copy for zip members).
    pub path: PathBuf,
    pub size: u64,
    /// Modification time (seconds since the epoch) of the file or of its zip.
    pub mtime: i64,
    /// A tender submission or a monitoring return: set by ingest, not by discovery.
    #[serde(skip)]
    pub stage: crate::period::Stage,
    /// The period a monitoring return reports on (set by ingest).
    #[serde(skip)]
    pub period: Option<crate::period::Period>,
    /// For a monitoring return that corrects an earlier one: the origins it replaces (set by
    /// ingest).
    #[serde(skip)]
    pub replaced: Vec<String>,
}

/// A path that could not be used, with the reason.
#[derive(Debug)]
pub struct Skipped {
    pub tender: String,
    /// Whose file it is, as far as discovery could tell.
    pub supplier: String,
    pub origin: String,
    pub error: Error,
}

/// What discovery found: the files to read, the ones that could not be used, and every other
/// file under the roots with the reason it is not read ([`crate::unread`]).
#[derive(Debug, Default)]
pub struct Discovered {
    pub sources: Vec<Source>,
    pub skipped: Vec<Skipped>,
    /// Unsupported formats and files skipped by a rule.
    pub unread: Vec<Unread>,
    /// Problems that lose nothing but deserve a look, with where: `manifest.csv` rows naming
    /// files that are not there, files it leaves out, duplicate rows.
    pub warnings: Vec<String>,
}

/// The supplier of a file with no manifest row: the first folder below the root, or
/// `(unassigned)` for a file at the root.
pub const UNASSIGNED: &str = "(unassigned)";

/// The extensions of the formats tenderscope reads (the reader is chosen from the bytes).
/// Others in a batch are listed as not read, with the reason.
pub const DOCUMENT_EXTENSIONS: [&str; 13] = [
    ".pdf", ".docx", ".xlsx", ".xlsm", ".odt", ".ods", ".rtf", ".doc", ".jpg", ".jpeg", ".png",
    ".tif", ".tiff",
];

fn is_document(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    DOCUMENT_EXTENSIONS.iter().any(|e| lower.ends_with(e))
}

fn is_zip(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

fn mtime_of(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() as i64)
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn stem_of(name: &str) -> String {
    match name.rfind('.') {
        Some(i) if i > 0 => name[..i].to_string(),
        _ => name.to_string(),
    }
}

/// Manifest rows: file (relative to the root, `/`-separated) -> (supplier, lot, line).
type Manifest = HashMap<String, (String, Option<String>, usize)>;

fn read_manifest(root: &Path, warnings: &mut Vec<String>) -> Result<Option<Manifest>> {
    let path = root.join("manifest.csv");
    if !path.is_file() {
        return Ok(None);
    }
    let bad = |detail: String| Error::Manifest {
        path: path.clone(),
        detail,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_path(&path)
        .map_err(|e| bad(e.to_string()))?;
    let headers = reader.headers().map_err(|e| bad(e.to_string()))?.clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(sc), Some(fc)) = (col("supplier"), col("file")) else {
        return Err(bad(
            "the header must name the columns supplier and file (and optionally lot)".into(),
        ));
    };
    let lc = col("lot");
    let mut rows = Manifest::new();
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| bad(format!("line {line}: {e}")))?;
        let supplier = rec.get(sc).unwrap_or("").to_string();
        let file = rec.get(fc).unwrap_or("").replace('\\', "/");
        if supplier.is_empty() || file.is_empty() {
            return Err(bad(format!(
                "line {line}: supplier and file must not be empty"
            )));
        }
        let lot = lc
            .and_then(|c| rec.get(c))
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        if let Some((_, _, first)) = rows.get(&file) {
            warnings.push(format!(
                "{}:{line}: {file} is listed again (first on line {first}); this row is used",
                path.display()
            ));
        }
        rows.insert(file, (supplier, lot, line));
    }
    Ok(Some(rows))
}

/// Discover the sources under `paths`. `staging` is where zip members are copied.
pub fn discover(
    paths: &[PathBuf],
    tender: Option<&str>,
    staging: &Path,
    limits: &Limits,
) -> Discovered {
    discover_as(paths, tender, None, staging, limits)
}

/// [`discover`], with every file given to `supplier` when it is set (one supplier's folder,
/// zip or files), whatever the folders or a manifest say.
pub fn discover_as(
    paths: &[PathBuf],
    tender: Option<&str>,
    supplier: Option<&str>,
    staging: &Path,
    limits: &Limits,
) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(source) => {
                found.skipped.push(Skipped {
                    tender: tender.unwrap_or_default().to_string(),
                    supplier: UNASSIGNED.to_string(),
                    origin: path.display().to_string(),
                    error: Error::Io {
                        path: path.clone(),
                        source,
                    },
                });
                continue;
            }
        };
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        if meta.is_dir() {
            let tender = tender.map(str::to_string).unwrap_or_else(|| name_of(&abs));
            walk_root(&abs, &tender, supplier, staging, limits, &mut found);
        } else if is_zip(&name_of(&abs)) {
            let tender = tender
                .map(str::to_string)
                .unwrap_or_else(|| stem_of(&name_of(&abs)));
            let who = supplier.map(str::to_string);
            read_zip(&abs, &tender, who, staging, limits, &mut found);
        } else {
            let parent = abs.parent().map(name_of).unwrap_or_default();
            let tender = tender.map(str::to_string).unwrap_or_else(|| parent.clone());
            found.sources.push(Source {
                tender,
                supplier: supplier.map(str::to_string).unwrap_or(parent),
                lot: None,
                origin: abs.display().to_string(),
                path: abs.clone(),
                size: meta.len(),
                mtime: mtime_of(&meta),
                stage: crate::period::Stage::Tender,
                period: None,
                replaced: Vec::new(),
            });
        }
    }
    found.sources.sort_by(|a, b| a.origin.cmp(&b.origin));
    found.sources.dedup_by(|a, b| a.origin == b.origin);
    found
}

fn walk_root(
    root: &Path,
    tender: &str,
    owner: Option<&str>,
    staging: &Path,
    limits: &Limits,
    found: &mut Discovered,
) {
    let manifest = match read_manifest(root, &mut found.warnings) {
        Ok(m) => m,
        Err(error) => {
            found.skipped.push(Skipped {
                tender: tender.to_string(),
                supplier: UNASSIGNED.to_string(),
                origin: root.join("manifest.csv").display().to_string(),
                error,
            });
            None
        }
    };
    // Files under the root that the manifest should list (submitted, not skipped by a rule).
    let mut listed: Vec<String> = Vec::new();
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(source) => {
                found.skipped.push(Skipped {
                    tender: tender.to_string(),
                    supplier: supplier_of_dir(root, &dir),
                    origin: dir.display().to_string(),
                    error: Error::Io { path: dir, source },
                });
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(source) => {
                    found.skipped.push(Skipped {
                        tender: tender.to_string(),
                        supplier: supplier_of_dir(root, &dir),
                        origin: dir.display().to_string(),
                        error: Error::Io {
                            path: dir.clone(),
                            source,
                        },
                    });
                    continue;
                }
            };
            let path = entry.path();
            let name = name_of(&path);
            let rel = path
                .strip_prefix(root)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| name.clone());
            let first = rel.split('/').next().unwrap_or("").to_string();
            let at_root = !rel.contains('/');
            let (supplier, lot) = match (owner, manifest.as_ref().and_then(|m| m.get(&rel))) {
                (Some(o), row) => (o.to_string(), row.and_then(|r| r.1.clone())),
                (None, Some((s, l, _))) => (s.clone(), l.clone()),
                (None, None) if at_root => (UNASSIGNED.to_string(), None),
                (None, None) => (first.clone(), None),
            };
            let origin = path.display().to_string();
            let not_read = |found: &mut Discovered, status: Status, reason: String| {
                found.unread.push(Unread {
                    tender: tender.to_string(),
                    supplier: supplier.clone(),
                    origin: origin.clone(),
                    status,
                    reason,
                    page: None,
                })
            };
            let skip = |found: &mut Discovered, rule: SkipRule| {
                not_read(found, Status::Skipped, rule.reason().to_string())
            };
            // The entry cannot be read or listed: skipped with the reason.
            let failed = |found: &mut Discovered, error: Error| {
                found.skipped.push(Skipped {
                    tender: tender.to_string(),
                    supplier: supplier.clone(),
                    origin: origin.clone(),
                    error,
                })
            };
            let ft = match entry.file_type() {
                Ok(ft) => ft,
                Err(source) => {
                    let path = path.clone();
                    failed(found, Error::Io { path, source });
                    continue;
                }
            };
            // Symlinks are not followed: a batch must not reach outside itself.
            if ft.is_symlink() {
                skip(found, SkipRule::Symlink);
                continue;
            }
            if let Some(rule) = SkipRule::for_name(&name) {
                skip(found, rule);
                continue;
            }
            if ft.is_dir() {
                if depth + 1 >= MAX_WALK_DEPTH {
                    failed(
                        found,
                        Error::limit(
                            "max_walk_depth",
                            format!("folders nested deeper than {MAX_WALK_DEPTH}"),
                        ),
                    );
                } else {
                    stack.push((path, depth + 1));
                }
                continue;
            }
            if at_root && manifest.is_some() && name.eq_ignore_ascii_case("manifest.csv") {
                skip(found, SkipRule::Manifest);
                continue;
            }
            if ft.is_file() {
                listed.push(rel.clone());
            }
            if !ft.is_file() {
                not_read(
                    found,
                    Status::Unsupported,
                    "not a regular file (a FIFO, socket or device)".to_string(),
                );
                continue;
            }
            if (is_zip(&name) || is_document(&name)) && path.to_str().is_none() {
                // Origins are text: two names that differ only in bytes that are not UTF-8
                // would read the same, and one file would hide the other.
                let source = std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "the file name is not valid UTF-8 (rename the file)",
                );
                let path = path.clone();
                failed(found, Error::Io { path, source });
                continue;
            }
            if is_zip(&name) {
                // A supplier's zip at the root: the supplier is the zip's name.
                let supplier = if let Some(o) = owner {
                    Some(o.to_string())
                } else if at_root {
                    Some(stem_of(&name))
                } else {
                    Some(first.clone())
                };
                read_zip(&path, tender, supplier, staging, limits, found);
                continue;
            }
            if !is_document(&name) {
                not_read(
                    found,
                    Status::Unsupported,
                    unsupported_reason(&name, &head_of(&path)),
                );
                continue;
            }
            let meta = match entry.metadata() {
                Ok(m) => m,
                Err(source) => {
                    let path = path.clone();
                    failed(found, Error::Io { path, source });
                    continue;
                }
            };
            found.sources.push(Source {
                tender: tender.to_string(),
                supplier,
                lot,
                origin,
                path: path.clone(),
                size: meta.len(),
                mtime: mtime_of(&meta),
                stage: crate::period::Stage::Tender,
                period: None,
                replaced: Vec::new(),
            });
        }
    }
    // The manifest checked against the files: rows naming files that are not there, and files
    // it leaves out (filed by their folder instead).
    if let Some(m) = &manifest {
        let path = root.join("manifest.csv");
        listed.sort();
        let on_disk: std::collections::HashSet<&String> = listed.iter().collect();
        let mut rows: Vec<(&String, &usize)> = m.iter().map(|(f, (_, _, l))| (f, l)).collect();
        rows.sort_by_key(|(_, l)| **l);
        for (file, line) in rows {
            if !on_disk.contains(file) {
                found.warnings.push(format!(
                    "{}:{line}: {file} is not in the batch",
                    path.display()
                ));
            }
        }
        for rel in &listed {
            if !m.contains_key(rel) {
                found.warnings.push(format!(
                    "{}: {rel} is not listed (filed by its folder instead)",
                    path.display()
                ));
            }
        }
    }
}

/// The supplier a folder below the root belongs to: its first level.
fn supplier_of_dir(root: &Path, dir: &Path) -> String {
    dir.strip_prefix(root)
        .ok()
        .and_then(|r| r.components().next())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_else(|| UNASSIGNED.to_string())
}

/// Read the documents in a zip. With `supplier` set (a supplier's own zip) every member is that
/// supplier's; without (a whole batch as one zip) the first folder inside names the supplier.
fn read_zip(
    zip_path: &Path,
    tender: &str,
    supplier: Option<String>,
    staging: &Path,
    limits: &Limits,
    found: &mut Discovered,
) {
    let zip_owner = supplier.clone().unwrap_or_else(|| UNASSIGNED.to_string());
    let skip = |found: &mut Discovered, origin: String, who: &str, error: Error| {
        found.skipped.push(Skipped {
            tender: tender.to_string(),
            supplier: who.to_string(),
            origin,
            error,
        })
    };
    let zip_origin = zip_path.display().to_string();
    let (file, meta) =
        match std::fs::File::open(zip_path).and_then(|f| f.metadata().map(|m| (f, m))) {
            Ok(x) => x,
            Err(source) => {
                return skip(
                    found,
                    zip_origin,
                    &zip_owner,
                    Error::Io {
                        path: zip_path.to_path_buf(),
                        source,
                    },
                )
            }
        };
    let mut archive = match zip::ZipArchive::new(file) {
        Ok(a) => a,
        Err(e) => return skip(found, zip_origin, &zip_owner, Error::Zip(e.to_string())),
    };
    if archive.len() > MAX_ZIP_MEMBERS {
        return skip(
            found,
            zip_origin,
            &zip_owner,
            Error::limit(
                "max_zip_members",
                format!("{} members > {MAX_ZIP_MEMBERS}", archive.len()),
            ),
        );
    }
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    // A batch zip often wraps everything in one top folder: look through it.
    let strip = if supplier.is_none() {
        single_top_folder(&names)
    } else {
        None
    };
    let zip_key = crate::extract::sha256_hex(zip_origin.as_bytes());
    let stage_dir = staging.join(&zip_key[..16]);
    let mut total: u64 = 0;
    // Once the zip passes the inflated total, every later document in it is a failure too (not
    // read, and not silently dropped).
    let mut past_total = false;
    for i in 0..archive.len() {
        let mut member = match archive.by_index(i) {
            Ok(m) => m,
            Err(e) => {
                skip(
                    found,
                    format!("{zip_origin}!#{i}"),
                    &zip_owner,
                    Error::Zip(e.to_string()),
                );
                continue;
            }
        };
        let name = match member.name() {
            Ok(n) => n.into_owned(),
            Err(e) => {
                skip(
                    found,
                    format!("{zip_origin}!#{i}"),
                    &zip_owner,
                    Error::Zip(e.to_string()),
                );
                continue;
            }
        };
        if member.is_dir() {
            continue;
        }
        let origin = format!("{zip_origin}!{name}");
        // Whose member it is, from its path inside the zip (for members that are not read too).
        let inner_path = {
            let n = name.replace('\\', "/");
            match &strip {
                Some(top) => n
                    .strip_prefix(top.as_str())
                    .map(|s| s.trim_start_matches('/').to_string())
                    .unwrap_or(n),
                None => n,
            }
        };
        let who = match &supplier {
            Some(s) => s.clone(),
            None if inner_path.contains('/') => {
                inner_path.split('/').next().unwrap_or("").to_string()
            }
            None => UNASSIGNED.to_string(),
        };
        let not_read = |found: &mut Discovered, status: Status, reason: String| {
            found.unread.push(Unread {
                tender: tender.to_string(),
                supplier: who.clone(),
                origin: origin.clone(),
                status,
                reason,
                page: None,
            })
        };
        if let Some(rule) = name
            .split(['/', '\\'])
            // `..` is no hidden name: an escaping path fails below, as unsafe.
            .filter(|c| !c.is_empty() && *c != "." && *c != "..")
            .find_map(SkipRule::for_name)
        {
            not_read(found, Status::Skipped, rule.reason().to_string());
            continue;
        }
        if !is_document(&name) {
            let mut head = Vec::new();
            let _ = (&mut member).take(1024).read_to_end(&mut head);
            not_read(
                found,
                Status::Unsupported,
                unsupported_reason(&name_of(Path::new(&name)), &head),
            );
            continue;
        }
        if past_total {
            skip(
                found,
                origin,
                &who,
                Error::limit(
                    "max_total_inflated_bytes",
                    format!(
                        "zip inflates past {} bytes before this member",
                        limits.max_total_inflated_bytes
                    ),
                ),
            );
            continue;
        }
        // `enclosed_name` refuses absolute paths and `..`: no member writes outside staging.
        let Some(rel) = member.enclosed_name() else {
            skip(found, origin, &who, Error::Zip("unsafe member path".into()));
            continue;
        };
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        let mut bytes = Vec::new();
        let cap = limits.max_file_bytes.min(limits.max_entry_bytes);
        if let Err(e) = (&mut member).take(cap + 1).read_to_end(&mut bytes) {
            skip(found, origin, &who, Error::Zip(e.to_string()));
            continue;
        }
        if bytes.len() as u64 > cap {
            skip(
                found,
                origin,
                &who,
                Error::limit(
                    "max_entry_bytes",
                    format!("member inflates past {cap} bytes"),
                ),
            );
            continue;
        }
        total += bytes.len() as u64;
        if total > limits.max_total_inflated_bytes {
            skip(
                found,
                origin,
                &who,
                Error::limit(
                    "max_total_inflated_bytes",
                    format!(
                        "zip inflates past {} bytes",
                        limits.max_total_inflated_bytes
                    ),
                ),
            );
            past_total = true;
            continue;
        }
        let staged = stage_dir.join(format!("{i:05}-{}", name_of(Path::new(&rel_str))));
        let write =
            std::fs::create_dir_all(&stage_dir).and_then(|_| std::fs::write(&staged, &bytes));
        if let Err(source) = write {
            skip(
                found,
                origin,
                &who,
                Error::Io {
                    path: staged,
                    source,
                },
            );
            continue;
        }
        found.sources.push(Source {
            tender: tender.to_string(),
            supplier: who,
            lot: None,
            origin,
            path: staged,
            size: bytes.len() as u64,
            mtime: mtime_of(&meta),
            stage: crate::period::Stage::Tender,
            period: None,
            replaced: Vec::new(),
        });
    }
}

/// The one folder every member sits under, if there is one and nothing else at the top.
fn single_top_folder(names: &[String]) -> Option<String> {
    let mut top: Option<&str> = None;
    for n in names {
        let (first, rest) = n.split_once('/')?;
        if rest.is_empty() && !n.ends_with('/') {
            return None;
        }
        match top {
            None => top = Some(first),
            Some(t) if t == first => {}
            Some(_) => return None,
        }
    }
    // Only strip when something below the top folder is itself in a folder (supplier level).
    let t = top?;
    names
        .iter()
        .any(|n| {
            n.strip_prefix(t)
                .map(|r| r.trim_start_matches('/').contains('/'))
                .unwrap_or(false)
        })
        .then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_folder_is_stripped_only_when_it_wraps_supplier_folders() {
        let n = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            single_top_folder(&n(&["T/", "T/acme/a.pdf", "T/bolt/b.docx"])),
            Some("T".into())
        );
        assert_eq!(single_top_folder(&n(&["acme/a.pdf", "bolt/b.docx"])), None);
        assert_eq!(single_top_folder(&n(&["acme/a.pdf"])), None);
        assert_eq!(single_top_folder(&n(&["a.pdf"])), None);
    }

    #[test]
    fn stems_and_document_names() {
        assert_eq!(stem_of("acme.zip"), "acme");
        assert_eq!(stem_of(".hidden"), ".hidden");
        assert!(is_document("Plan.PDF"));
        assert!(is_document("x.docx"));
        assert!(is_document("x.doc") && is_document("Offer.XLSX") && is_document("a.rtf"));
        assert!(!is_document("x.pptx") && !is_document("x.xls") && !is_document("x.pages"));
    }
}
