//! A bounded, namespace-aware pull reader over one XML part of a DOCX package.
//!
//! Every part (document, styles, notes, headers, properties) is read through [`XmlReader`]: it
//! streams quick-xml events without building a tree, resolves element namespaces to the few
//! [`Ns`] that matter (Transitional and Strict OOXML spell them differently), counts element
//! depth against [`Limits::max_xml_depth`](crate::Limits), checks the time budget, and turns
//! entity and character references into text. Malformed XML stops the walk with a
//! [`Stop::Broken`] that says where, so callers can keep the text read so far and warn.

use std::borrow::Cow;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use crate::error::Error;
use crate::limits::Deadline;

/// The namespaces the DOCX reader distinguishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ns {
    /// WordprocessingML main (`w:`), Transitional or Strict.
    W,
    /// Office Math (`m:`).
    M,
    /// Markup Compatibility (`mc:`), for `AlternateContent`.
    Mc,
    /// Anything else (drawing, VML, Word 2010+ extensions, properties, relationships, ...).
    Other,
}

const NAMESPACES: &[(&[u8], Ns)] = &[
    (
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        Ns::W,
    ),
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", Ns::W),
    (
        b"http://schemas.openxmlformats.org/officeDocument/2006/math",
        Ns::M,
    ),
    (b"http://purl.oclc.org/ooxml/officeDocument/math", Ns::M),
    (
        b"http://schemas.openxmlformats.org/markup-compatibility/2006",
        Ns::Mc,
    ),
];

fn classify(resolved: &ResolveResult<'_>, qname: &[u8]) -> Ns {
    match resolved {
        ResolveResult::Bound(ns) => NAMESPACES
            .iter()
            .find(|(uri, _)| *uri == ns.as_ref())
            .map_or(Ns::Other, |(_, n)| *n),
        // An undeclared prefix: files from sloppy writers still use the usual ones.
        ResolveResult::Unknown(_) | ResolveResult::Unbound => {
            match qname.iter().position(|&b| b == b':').map(|i| &qname[..i]) {
                Some(b"w") => Ns::W,
                Some(b"m") => Ns::M,
                Some(b"mc") => Ns::Mc,
                _ => Ns::Other,
            }
        }
    }
}

/// Why a walk stopped before the end of the part.
#[derive(Debug)]
pub enum Stop {
    /// A limit or the time budget: the whole file fails.
    Fatal(Error),
    /// The XML is malformed at this point; what was read before it stands.
    Broken(String),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Fatal(e)
    }
}

/// One step of the walk. Empty elements arrive as a `Start` followed by an `End`.
pub enum Step<'a> {
    Start(Ns, BytesStart<'a>),
    /// The innermost open element closed (callers that need its name keep their own stack).
    End,
    /// Character data, already decoded (entity references arrive as [`Step::Char`]).
    Text(Cow<'a, str>),
    /// The text an entity or character reference stands for.
    Char(RefText),
    Eof,
}

/// What an `&...;` reference resolved to.
pub enum RefText {
    Char(char),
    /// A reference that does not name a character: replaced by U+FFFD, with this description.
    Invalid(String),
}

/// Decode a part's bytes as text: UTF-8 (with or without BOM) or UTF-16 with a BOM.
/// Invalid UTF-8 sequences become U+FFFD rather than failing the part.
pub fn decode_part(bytes: &[u8]) -> Cow<'_, str> {
    decode_part_checked(bytes).0
}

/// [`decode_part`], and whether anything was replaced: invalid UTF-8, unpaired UTF-16
/// surrogates or an odd trailing byte became U+FFFD.
pub fn decode_part_checked(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8_checked(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16_checked(false, rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16_checked(true, rest);
    }
    utf8_checked(bytes)
}

fn utf8_checked(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), false),
        Err(_) => (String::from_utf8_lossy(bytes), true),
    }
}

fn utf16_checked(big: bool, bytes: &[u8]) -> (Cow<'static, str>, bool) {
    let units = bytes.chunks_exact(2).map(|c| match c {
        [a, b] if big => u16::from_be_bytes([*a, *b]),
        [a, b] => u16::from_le_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    let mut replaced = bytes.len() % 2 == 1;
    let text = char::decode_utf16(units)
        .map(|r| {
            r.unwrap_or_else(|_| {
                replaced = true;
                '\u{FFFD}'
            })
        })
        .collect();
    (Cow::Owned(text), replaced)
}

/// The local part of a qualified name (`w:t` -> `t`).
pub fn local(qname: &[u8]) -> &[u8] {
    match qname.iter().rposition(|&b| b == b':') {
        Some(i) => qname.get(i + 1..).unwrap_or_default(),
        None => qname,
    }
}

/// The value of the attribute with this local name (prefix ignored), references resolved.
pub fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    for a in attrs.flatten() {
        if local(a.key.as_ref()) == name {
            return Some(match a.unescape_value() {
                Ok(v) => v.into_owned(),
                Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
            });
        }
    }
    None
}

/// A pull reader over one part, bounded in depth and time.
pub struct XmlReader<'a> {
    reader: NsReader<&'a [u8]>,
    part: &'a str,
    depth: usize,
    max_depth: usize,
    deadline: &'a Deadline,
    events: u32,
    /// An `End` owed for an empty element (`<w:tab/>`).
    pending_end: bool,
}

impl<'a> XmlReader<'a> {
    pub fn new(
        text: &'a str,
        part: &'a str,
        max_depth: usize,
        deadline: &'a Deadline,
    ) -> XmlReader<'a> {
        let mut reader = NsReader::from_str(text);
        let config = reader.config_mut();
        config.allow_dangling_amp = true;
        config.check_end_names = true;
        XmlReader {
            reader,
            part,
            depth: 0,
            max_depth,
            deadline,
            events: 0,
            pending_end: false,
        }
    }

    /// Current element depth (the root element is depth 1 while open).
    pub fn depth(&self) -> usize {
        self.depth
    }

    fn broken(&self, what: impl std::fmt::Display) -> Stop {
        Stop::Broken(format!(
            "{}: malformed XML at byte {}: {what}",
            self.part,
            self.reader.error_position()
        ))
    }

    /// The next step of the walk.
    pub fn next(&mut self) -> Result<Step<'a>, Stop> {
        if self.pending_end {
            self.pending_end = false;
            self.depth = self.depth.saturating_sub(1);
            return Ok(Step::End);
        }
        loop {
            self.events = self.events.wrapping_add(1);
            if self.events.is_multiple_of(4096) {
                self.deadline.check()?;
            }
            let (resolved, event) = match self.reader.read_resolved_event() {
                Ok(r) => r,
                Err(e) => return Err(self.broken(e)),
            };
            match event {
                Event::Start(e) => {
                    let ns = classify(&resolved, e.name().as_ref());
                    self.enter()?;
                    return Ok(Step::Start(ns, e));
                }
                Event::Empty(e) => {
                    let ns = classify(&resolved, e.name().as_ref());
                    self.enter()?;
                    self.pending_end = true;
                    return Ok(Step::Start(ns, e));
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(Step::End);
                }
                Event::Text(t) => match t.xml10_content() {
                    Ok(s) => return Ok(Step::Text(s)),
                    Err(e) => return Err(self.broken(e)),
                },
                Event::CData(t) => match t.decode() {
                    Ok(s) => return Ok(Step::Text(s)),
                    Err(e) => return Err(self.broken(e)),
                },
                Event::GeneralRef(r) => return Ok(Step::Char(resolve_ref(&r))),
                Event::Eof => {
                    if self.depth > 0 {
                        return Err(Stop::Broken(format!(
                            "{}: XML ends inside {} open element(s) (truncated part)",
                            self.part, self.depth
                        )));
                    }
                    return Ok(Step::Eof);
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => continue,
            }
        }
    }

    fn enter(&mut self) -> Result<(), Stop> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(Stop::Fatal(Error::limit(
                "max_xml_depth",
                format!(
                    "{}: elements nested deeper than {} at byte {}",
                    self.part,
                    self.max_depth,
                    self.reader.buffer_position()
                ),
            )));
        }
        Ok(())
    }

    /// Skip the rest of the element just started (its `End` included).
    pub fn skip_element(&mut self) -> Result<(), Stop> {
        let target = self.depth;
        loop {
            match self.next()? {
                Step::End if self.depth < target => return Ok(()),
                Step::Eof => return Ok(()),
                _ => {}
            }
        }
    }
}

/// Resolve `&name;` or `&#N;`: the five predefined entities and character references.
fn resolve_ref(r: &BytesRef<'_>) -> RefText {
    let raw = String::from_utf8_lossy(r.as_ref()).into_owned();
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) if is_xml_char(c) => RefText::Char(c),
            _ => RefText::Invalid(format!("invalid character reference &{raw};")),
        };
    }
    match raw.as_str() {
        "amp" => RefText::Char('&'),
        "lt" => RefText::Char('<'),
        "gt" => RefText::Char('>'),
        "quot" => RefText::Char('"'),
        "apos" => RefText::Char('\''),
        _ => RefText::Invalid(format!("undefined entity &{raw};")),
    }
}

/// Characters XML 1.0 allows in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn steps(xml: &str, max_depth: usize) -> (String, Option<String>) {
        let deadline = Deadline::after(Duration::from_secs(10));
        let mut r = XmlReader::new(xml, "t.xml", max_depth, &deadline);
        let mut out = String::new();
        loop {
            match r.next() {
                Ok(Step::Text(t)) => out.push_str(&t),
                Ok(Step::Char(RefText::Char(c))) => out.push(c),
                Ok(Step::Char(RefText::Invalid(_))) => out.push('\u{FFFD}'),
                Ok(Step::Eof) => return (out, None),
                Ok(_) => {}
                Err(Stop::Broken(m)) => return (out, Some(m)),
                Err(Stop::Fatal(e)) => return (out, Some(e.to_string())),
            }
        }
    }

    #[test]
    fn references_resolve_or_become_replacement() {
        let (t, err) = steps(
            "<a>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;&#0;&#xD800;&foo;</a>",
            8,
        );
        assert_eq!(t, "&<>\"'AB\u{FFFD}\u{FFFD}\u{FFFD}");
        assert!(err.is_none());
    }

    #[test]
    fn truncated_and_deep_xml_stop() {
        let (t, err) = steps("<a><b>hello", 8);
        assert_eq!(t, "hello");
        assert!(err.unwrap().contains("truncated"));
        let deep = "<a>".repeat(20);
        let (_, err) = steps(&deep, 8);
        assert!(err.unwrap().contains("max_xml_depth"));
    }

    #[test]
    fn namespaces_classified_by_uri_not_prefix() {
        let xml = r#"<x:document xmlns:x="http://purl.oclc.org/ooxml/wordprocessingml/main"><x:t/></x:document>"#;
        let deadline = Deadline::after(Duration::from_secs(10));
        let mut r = XmlReader::new(xml, "t.xml", 8, &deadline);
        let mut seen = Vec::new();
        while let Ok(step) = r.next() {
            match step {
                Step::Start(ns, e) => seen.push((ns, local(e.name().as_ref()).to_vec())),
                Step::Eof => break,
                _ => {}
            }
        }
        assert_eq!(
            seen,
            vec![(Ns::W, b"document".to_vec()), (Ns::W, b"t".to_vec())]
        );
    }

    #[test]
    fn utf16_parts_decode() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<a>é</a>".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_part(&bytes), "<a>é</a>");
    }
}
