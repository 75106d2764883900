//! Paragraph styles: which styles are headings (and of what level) and which carry a list.
//!
//! Word marks headings by style (`Heading 1`, a style `basedOn` it, or any style with an
//! outline level) and can attach numbering to a style (`List Bullet`). This module reads
//! `styles.xml` once and resolves each paragraph style through its `basedOn` chain (bounded,
//! cycle-safe) so the body walk looks a style up in one step.

use std::collections::HashMap;

use super::xml::{attr, local, Ns, Step, Stop, XmlReader};
use crate::limits::Deadline;

/// Longest `basedOn` chain followed; Word itself stops far earlier.
const MAX_BASED_ON: usize = 32;

/// A numbering reference: `numId` and level (`ilvl`), either may be absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NumRef {
    pub num_id: Option<String>,
    pub ilvl: Option<u8>,
}

/// What a paragraph style means for the text, resolved through `basedOn`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StyleProps {
    /// Heading level (1 = top), if the style makes a heading.
    pub heading: Option<u8>,
    pub num: Option<NumRef>,
}

#[derive(Debug, Default)]
struct RawStyle {
    name: Option<String>,
    based_on: Option<String>,
    /// `w:outlineLvl` as written: 0..=8 heading levels, 9 body text.
    outline: Option<u8>,
    num: Option<NumRef>,
}

#[derive(Debug, Default)]
pub struct Styles {
    resolved: HashMap<String, StyleProps>,
    /// The default paragraph style (`w:default="1"`), used when a paragraph names none.
    default: Option<String>,
}

impl Styles {
    /// The resolved properties of a paragraph style (the default style if `id` is `None`).
    pub fn get(&self, id: Option<&str>) -> Option<&StyleProps> {
        let id = id.or(self.default.as_deref())?;
        self.resolved.get(id)
    }

    /// Parse `styles.xml`. A malformed part gives the styles read up to the damage, and the
    /// reason.
    pub fn parse(
        text: &str,
        part: &str,
        max_depth: usize,
        deadline: &Deadline,
    ) -> Result<(Styles, Option<String>), crate::Error> {
        let mut reader = XmlReader::new(text, part, max_depth, deadline);
        let mut raw: HashMap<String, RawStyle> = HashMap::new();
        let mut default = None;
        let mut current: Option<(String, RawStyle)> = None;
        let mut style_depth = 0;
        let mut broken = None;
        loop {
            let step = match reader.next() {
                Ok(s) => s,
                Err(Stop::Fatal(e)) => return Err(e),
                Err(Stop::Broken(m)) => {
                    broken = Some(m);
                    break;
                }
            };
            match step {
                Step::Start(Ns::W, e) => {
                    let qname = e.name();
                    let name = local(qname.as_ref());
                    match name {
                        b"style" if current.is_none() => {
                            let is_para = attr(&e, b"type").is_none_or(|t| t == "paragraph");
                            let Some(id) = attr(&e, b"styleId") else {
                                continue;
                            };
                            if !is_para {
                                reader_skip(&mut reader, &mut broken)?;
                                continue;
                            }
                            if attr(&e, b"default").is_some_and(|v| v == "1" || v == "true") {
                                default = Some(id.clone());
                            }
                            style_depth = reader.depth();
                            current = Some((id, RawStyle::default()));
                        }
                        // Old formatting of a tracked style change is not the style.
                        b"pPrChange" | b"rPrChange" => reader_skip(&mut reader, &mut broken)?,
                        _ => {
                            if let Some((_, style)) = current.as_mut() {
                                let val = || attr(&e, b"val");
                                match name {
                                    b"name" => style.name = val(),
                                    b"basedOn" => style.based_on = val(),
                                    b"outlineLvl" => {
                                        style.outline = val().and_then(|v| v.parse().ok())
                                    }
                                    b"numId" => {
                                        style.num.get_or_insert_with(NumRef::default).num_id = val()
                                    }
                                    b"ilvl" => {
                                        style.num.get_or_insert_with(NumRef::default).ilvl =
                                            val().and_then(|v| v.parse().ok())
                                    }
                                    _ => {}
                                }
                            }
                        }
                    }
                }
                Step::End if current.is_some() && reader.depth() < style_depth => {
                    if let Some((id, style)) = current.take() {
                        raw.entry(id).or_insert(style);
                    }
                }
                Step::Eof => break,
                _ => {}
            }
            if broken.is_some() {
                break;
            }
        }
        let resolved = raw
            .keys()
            .map(|id| (id.clone(), resolve(&raw, id)))
            .collect();
        Ok((Styles { resolved, default }, broken))
    }
}

fn reader_skip(reader: &mut XmlReader<'_>, broken: &mut Option<String>) -> crate::Result<()> {
    match reader.skip_element() {
        Ok(()) => Ok(()),
        Err(Stop::Fatal(e)) => Err(e),
        Err(Stop::Broken(m)) => {
            *broken = Some(m);
            Ok(())
        }
    }
}

/// `heading 3` -> 3; `Title` -> 1.
fn level_from_name(name: &str) -> Option<u8> {
    let lower = name.trim().to_ascii_lowercase();
    if lower == "title" {
        return Some(1);
    }
    let rest = lower.strip_prefix("heading")?.trim();
    match rest.parse::<u8>() {
        Ok(n @ 1..=9) => Some(n),
        _ => None,
    }
}

/// Follow the `basedOn` chain from `id`: the first style in it that says something decides.
fn resolve(raw: &HashMap<String, RawStyle>, id: &str) -> StyleProps {
    let mut props = StyleProps::default();
    let mut heading_decided = false;
    let mut seen: Vec<&str> = Vec::new();
    let mut cur = Some(id);
    while let Some(cid) = cur {
        if seen.len() >= MAX_BASED_ON || seen.contains(&cid) {
            break;
        }
        seen.push(cid);
        let Some(style) = raw.get(cid) else { break };
        if !heading_decided {
            let by_name = style.name.as_deref().and_then(level_from_name);
            if let Some(level) = by_name {
                props.heading = Some(level);
                heading_decided = true;
            } else if let Some(outline) = style.outline {
                props.heading = (outline <= 8).then_some(outline + 1);
                heading_decided = true;
            } else if style.name.is_none() {
                // No name at all: fall back on the id (`Heading2`).
                if let Some(level) = level_from_name(cid) {
                    props.heading = Some(level);
                    heading_decided = true;
                }
            }
        }
        if let Some(num) = &style.num {
            let mine = props.num.get_or_insert_with(NumRef::default);
            if mine.num_id.is_none() {
                mine.num_id.clone_from(&num.num_id);
            }
            if mine.ilvl.is_none() {
                mine.ilvl = num.ilvl;
            }
        }
        cur = style.based_on.as_deref();
    }
    props
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn parse(body: &str) -> Styles {
        let xml = format!("<w:styles {W}>{body}</w:styles>");
        let deadline = Deadline::after(Duration::from_secs(5));
        Styles::parse(&xml, "styles.xml", 64, &deadline).unwrap().0
    }

    #[test]
    fn headings_by_name_outline_and_based_on() {
        let s = parse(
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
            <w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
            <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="Mine"/><w:basedOn w:val="berschrift2"/></w:style>
            <w:style w:type="paragraph" w:styleId="Outl"><w:name w:val="Outl"/><w:pPr><w:outlineLvl w:val="3"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="Body9"><w:name w:val="Body9"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr><w:basedOn w:val="Outl"/></w:style>
            <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
            <w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
            <w:style w:type="character" w:styleId="Heading1Char"><w:name w:val="heading 1"/></w:style>"#,
        );
        assert_eq!(s.get(Some("berschrift2")).unwrap().heading, Some(2));
        assert_eq!(s.get(Some("Mine")).unwrap().heading, Some(2));
        assert_eq!(s.get(Some("Outl")).unwrap().heading, Some(4));
        assert_eq!(s.get(Some("Body9")).unwrap().heading, None);
        assert_eq!(s.get(Some("Title")).unwrap().heading, Some(1));
        assert_eq!(s.get(None).unwrap().heading, None);
        assert!(s.get(Some("Heading1Char")).is_none());
        let num = s.get(Some("ListBullet")).unwrap().num.clone().unwrap();
        assert_eq!(num.num_id.as_deref(), Some("7"));
    }

    #[test]
    fn based_on_cycles_end() {
        let s = parse(
            r#"<w:style w:type="paragraph" w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="B"/></w:style>
            <w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/><w:basedOn w:val="A"/></w:style>"#,
        );
        assert_eq!(s.get(Some("A")).unwrap().heading, None);
    }
}
