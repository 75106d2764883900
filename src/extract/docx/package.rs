//! The DOCX zip package: bounded reading of its parts and resolution of relationships.
//!
//! A DOCX is an OPC package: a zip whose parts are found through relationships
//! (`_rels/.rels` names the main document, `word/_rels/document.xml.rels` its styles, notes,
//! headers, ...) and typed by `[Content_Types].xml`. Names are not assumed where a relationship
//! says otherwise. Zip entries are untrusted: each entry's declared size is checked against
//! [`Limits::max_entry_bytes`] and the inflated bytes are counted while reading (entries lie
//! about their size), per entry and across the file ([`Limits::max_total_inflated_bytes`]).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::xml::{attr, decode_part, local, Step, Stop, XmlReader};
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

/// One relationship from a part to another part or to an external target.
#[derive(Clone, Debug)]
pub struct Rel {
    pub id: String,
    /// The last segment of the relationship type URI (`styles`, `header`, `officeDocument`, ...):
    /// the same in Transitional and Strict OOXML.
    pub kind: String,
    /// The target part name (resolved, no leading `/`), or the URI of an external target.
    pub target: String,
    pub external: bool,
}

/// A part's bytes, and whether reading it stopped early on damaged data.
pub struct PartBytes {
    pub bytes: Vec<u8>,
    /// Why the part is incomplete (corrupt deflate data, bad checksum, ...).
    pub damaged: Option<String>,
}

pub struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-cased part name (OPC names are case-insensitive) to zip index.
    names: HashMap<String, usize>,
    inflated: u64,
    limits: &'a Limits,
    deadline: &'a Deadline,
    /// Central-directory entries that repeat another entry's name: the zip reader keeps the
    /// last of each name, which another program may not.
    pub duplicate_names: usize,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8], limits: &'a Limits, deadline: &'a Deadline) -> Result<Self> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            Error::malformed_docx(format!(
                "not a readable zip package ({e}); the file may be truncated"
            ))
        })?;
        let mut names = HashMap::new();
        for (i, name) in zip.file_names().enumerate() {
            if let Ok(name) = name {
                names
                    .entry(name.trim_start_matches('/').to_ascii_lowercase())
                    .or_insert(i);
            }
        }
        let duplicate_names = declared_entries(bytes).map_or(0, |n| n.saturating_sub(zip.len()));
        Ok(Package {
            zip,
            names,
            inflated: 0,
            limits,
            deadline,
            duplicate_names,
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.contains_key(&name.to_ascii_lowercase())
    }

    /// Part names in the package (lower-cased).
    pub fn part_names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }

    /// Read one part within the limits. `Ok(None)` if there is no such part; a limit is an
    /// error; damaged data returns what could be inflated, with the reason.
    pub fn read(&mut self, name: &str) -> Result<Option<PartBytes>> {
        let Some(&index) = self.names.get(&name.to_ascii_lowercase()) else {
            return Ok(None);
        };
        let limits = self.limits;
        let mut entry = match self.zip.by_index(index) {
            Ok(e) => e,
            Err(zip::result::ZipError::UnsupportedArchive(msg)) if msg.contains("assword") => {
                return Err(Error::PasswordRequired)
            }
            Err(e) => {
                return Ok(Some(PartBytes {
                    bytes: Vec::new(),
                    damaged: Some(format!("{name}: {e}")),
                }))
            }
        };
        let declared = entry.size();
        if declared > limits.max_entry_bytes {
            return Err(Error::limit(
                "max_entry_bytes",
                format!(
                    "{name} declares {declared} bytes inflated > {}",
                    limits.max_entry_bytes
                ),
            ));
        }
        if self.inflated.saturating_add(declared) > limits.max_total_inflated_bytes {
            return Err(Error::limit(
                "max_total_inflated_bytes",
                format!(
                    "{name} would bring the inflated total past {}",
                    limits.max_total_inflated_bytes
                ),
            ));
        }
        // Trust the declared size only as a capacity hint, and not much of one.
        let mut bytes = Vec::with_capacity(declared.min(4 << 20) as usize);
        let mut chunk = vec![0u8; 64 << 10];
        let mut damaged = None;
        loop {
            self.deadline.check()?;
            let n = match entry.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    damaged = Some(format!("{name}: {e}"));
                    break;
                }
            };
            let total = bytes.len() as u64 + n as u64;
            if total > limits.max_entry_bytes {
                return Err(Error::limit(
                    "max_entry_bytes",
                    format!(
                        "{name} inflates past {} bytes (declared {declared})",
                        limits.max_entry_bytes
                    ),
                ));
            }
            self.inflated = self.inflated.saturating_add(n as u64);
            if self.inflated > limits.max_total_inflated_bytes {
                return Err(Error::limit(
                    "max_total_inflated_bytes",
                    format!(
                        "inflated parts exceed {} bytes (while reading {name})",
                        limits.max_total_inflated_bytes
                    ),
                ));
            }
            bytes.extend_from_slice(chunk.get(..n).unwrap_or_default());
        }
        Ok(Some(PartBytes { bytes, damaged }))
    }

    /// The relationships of `part` (`""` for the package itself), from its `.rels` part.
    /// A missing or damaged `.rels` part gives no relationships.
    pub fn rels(&mut self, part: &str) -> Result<Vec<Rel>> {
        let (dir, file) = split_dir(part);
        let rels_name = format!("{dir}_rels/{file}.rels");
        let Some(data) = self.read(&rels_name)? else {
            return Ok(Vec::new());
        };
        let text = decode_part(&data.bytes);
        let mut reader =
            XmlReader::new(&text, &rels_name, self.limits.max_xml_depth, self.deadline);
        let mut rels = Vec::new();
        loop {
            match reader.next() {
                Ok(Step::Start(_, e)) if local(e.name().as_ref()) == b"Relationship" => {
                    let (Some(id), Some(kind), Some(target)) =
                        (attr(&e, b"Id"), attr(&e, b"Type"), attr(&e, b"Target"))
                    else {
                        continue;
                    };
                    let external = attr(&e, b"TargetMode").is_some_and(|m| m == "External");
                    let kind = kind.rsplit('/').next().unwrap_or_default().to_string();
                    let target = if external {
                        target
                    } else {
                        resolve_target(dir, &target)
                    };
                    rels.push(Rel {
                        id,
                        kind,
                        target,
                        external,
                    });
                }
                Ok(Step::Eof) => break,
                Ok(_) => {}
                Err(Stop::Fatal(e)) => return Err(e),
                Err(Stop::Broken(_)) => break,
            }
        }
        Ok(rels)
    }

    /// Content types declared for parts by `[Content_Types].xml` (`Override` entries), keyed
    /// by lower-cased part name, and the defaults by extension.
    pub fn content_types(&mut self) -> Result<ContentTypes> {
        let mut types = ContentTypes::default();
        let Some(data) = self.read("[Content_Types].xml")? else {
            return Ok(types);
        };
        let text = decode_part(&data.bytes);
        let mut reader = XmlReader::new(
            &text,
            "[Content_Types].xml",
            self.limits.max_xml_depth,
            self.deadline,
        );
        loop {
            match reader.next() {
                Ok(Step::Start(_, e)) => {
                    let name = local(e.name().as_ref()).to_vec();
                    let ct = attr(&e, b"ContentType");
                    match (name.as_slice(), ct) {
                        (b"Override", Some(ct)) => {
                            if let Some(part) = attr(&e, b"PartName") {
                                let part = percent_decode(part.trim_start_matches('/'));
                                types.overrides.push((part.to_ascii_lowercase(), ct));
                            }
                        }
                        (b"Default", Some(ct)) => {
                            if let Some(ext) = attr(&e, b"Extension") {
                                types.defaults.push((ext.to_ascii_lowercase(), ct));
                            }
                        }
                        _ => {}
                    }
                }
                Ok(Step::Eof) => break,
                Ok(_) => {}
                Err(Stop::Fatal(e)) => return Err(e),
                Err(Stop::Broken(_)) => break,
            }
        }
        Ok(types)
    }
}

/// The entry count the end-of-central-directory record declares (`None` for zip64 or if the
/// record is not found).
fn declared_entries(bytes: &[u8]) -> Option<usize> {
    // The record is 22 bytes plus a comment of at most 65,535 bytes, at the end of the file.
    let tail = &bytes[bytes.len().saturating_sub(22 + 0xFFFF)..];
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let count = tail.get(at + 10..at + 12)?;
    let count = u16::from_le_bytes([count[0], count[1]]);
    (count != 0xFFFF).then_some(usize::from(count))
}

/// `[Content_Types].xml`, as far as the reader needs it.
#[derive(Debug, Default)]
pub struct ContentTypes {
    pub overrides: Vec<(String, String)>,
    pub defaults: Vec<(String, String)>,
}

impl ContentTypes {
    /// The first part whose declared content type satisfies `pred`.
    pub fn find_part(&self, pred: impl Fn(&str) -> bool) -> Option<&str> {
        self.overrides
            .iter()
            .find(|(_, ct)| pred(ct))
            .map(|(p, _)| p.as_str())
    }

    /// The content type of a part: its override, else the default for its extension.
    pub fn of(&self, part: &str) -> Option<&str> {
        let lower = part.to_ascii_lowercase();
        if let Some((_, ct)) = self.overrides.iter().find(|(p, _)| *p == lower) {
            return Some(ct);
        }
        let ext = lower.rsplit('.').next()?;
        self.defaults
            .iter()
            .find(|(e, _)| e == ext)
            .map(|(_, ct)| ct.as_str())
    }
}

/// `word/document.xml` -> (`word/`, `document.xml`).
fn split_dir(part: &str) -> (&str, &str) {
    match part.rfind('/') {
        Some(i) => (
            part.get(..=i).unwrap_or(""),
            part.get(i + 1..).unwrap_or(""),
        ),
        None => ("", part),
    }
}

/// Resolve a relationship target against the directory of its source part.
pub fn resolve_target(dir: &str, target: &str) -> String {
    let target = percent_decode(target);
    // Fragments and queries are not part of a part name.
    let target = target.split(['#', '?']).next().unwrap_or_default();
    let joined = if let Some(abs) = target.strip_prefix('/') {
        abs.to_string()
    } else {
        format!("{dir}{target}")
    };
    let mut segments: Vec<&str> = Vec::new();
    for seg in joined.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

/// Decode `%XX` escapes (part names in relationships are URIs).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes.get(i), hex) {
            (Some(b'%'), Some(v)) => {
                out.push(v);
                i += 3;
            }
            (Some(&b), _) => {
                out.push(b);
                i += 1;
            }
            (None, _) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_relative_to_the_source_part() {
        assert_eq!(resolve_target("word/", "styles.xml"), "word/styles.xml");
        assert_eq!(
            resolve_target("word/", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(
            resolve_target("word/", "/word/footnotes.xml"),
            "word/footnotes.xml"
        );
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
        assert_eq!(
            resolve_target("word/", "my%20header.xml"),
            "word/my header.xml"
        );
        assert_eq!(resolve_target("word/", "../../../x.xml"), "x.xml");
    }

    #[test]
    fn split_dir_of_part_names() {
        assert_eq!(split_dir("word/document.xml"), ("word/", "document.xml"));
        assert_eq!(split_dir(""), ("", ""));
    }
}
