//! Document metadata from the package's core properties (`docProps/core.xml`: title, creator,
//! subject, dates) and extended properties (`docProps/app.xml`: the writing application).

use super::xml::{local, Step, Stop, XmlReader};
use crate::document::Metadata;
use crate::limits::Deadline;

/// Fill `meta` from the core properties part. Unreadable XML leaves what was read.
pub fn read_core(
    text: &str,
    part: &str,
    max_depth: usize,
    deadline: &Deadline,
    meta: &mut Metadata,
) -> crate::Result<()> {
    read_fields(text, part, max_depth, deadline, |name, value| {
        let slot = match name {
            b"title" => &mut meta.title,
            b"creator" => &mut meta.author,
            b"subject" => &mut meta.subject,
            b"created" => &mut meta.created,
            b"modified" => &mut meta.modified,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    })
}

/// Fill `meta.producer` from the extended properties part (`Application`).
pub fn read_app(
    text: &str,
    part: &str,
    max_depth: usize,
    deadline: &Deadline,
    meta: &mut Metadata,
) -> crate::Result<()> {
    read_fields(text, part, max_depth, deadline, |name, value| {
        if name == b"Application" && meta.producer.is_none() {
            meta.producer = Some(value);
        }
    })
}

/// Call `found(local_name, text)` for each child of the root element that holds text.
fn read_fields(
    text: &str,
    part: &str,
    max_depth: usize,
    deadline: &Deadline,
    mut found: impl FnMut(&[u8], String),
) -> crate::Result<()> {
    let mut reader = XmlReader::new(text, part, max_depth, deadline);
    let mut current: Option<Vec<u8>> = None;
    let mut value = String::new();
    loop {
        match reader.next() {
            Ok(Step::Start(_, e)) => {
                if reader.depth() == 2 {
                    current = Some(local(e.name().as_ref()).to_vec());
                    value.clear();
                }
            }
            Ok(Step::Text(t)) if current.is_some() => value.push_str(&t),
            Ok(Step::Char(super::xml::RefText::Char(c))) if current.is_some() => value.push(c),
            Ok(Step::End) => {
                if reader.depth() == 1 {
                    if let Some(name) = current.take() {
                        let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !v.is_empty() {
                            found(&name, v);
                        }
                    }
                }
            }
            Ok(Step::Eof) | Err(Stop::Broken(_)) => return Ok(()),
            Ok(_) => {}
            Err(Stop::Fatal(e)) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn core_and_app_properties() {
        let core = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
          <dc:title>Social  value plan</dc:title><dc:creator>A &amp; B Ltd</dc:creator>
          <dcterms:created>2024-01-02T03:04:05Z</dcterms:created><dc:subject/></cp:coreProperties>"#;
        let app = r#"<Properties><Application>Microsoft Office Word</Application><Pages>3</Pages></Properties>"#;
        let d = Deadline::after(Duration::from_secs(5));
        let mut m = Metadata::default();
        read_core(core, "core.xml", 32, &d, &mut m).unwrap();
        read_app(app, "app.xml", 32, &d, &mut m).unwrap();
        assert_eq!(m.title.as_deref(), Some("Social value plan"));
        assert_eq!(m.author.as_deref(), Some("A & B Ltd"));
        assert_eq!(m.created.as_deref(), Some("2024-01-02T03:04:05Z"));
        assert_eq!(m.subject, None);
        assert_eq!(m.producer.as_deref(), Some("Microsoft Office Word"));
    }
}
