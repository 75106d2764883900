//! List definitions from `numbering.xml`: which `numId`s are real lists.
//!
//! A paragraph is a list item when it (or its style) names a `numId` that `numbering.xml`
//! defines (a `w:num` pointing at an abstract definition); `numId` 0 means "no list".

use std::collections::HashMap;

use super::xml::{attr, local, Ns, Step, Stop, XmlReader};
use crate::limits::Deadline;

#[derive(Debug, Default)]
pub struct Numbering {
    /// `numId` -> `abstractNumId`.
    nums: HashMap<String, String>,
}

impl Numbering {
    /// Whether `num_id` names a defined list.
    pub fn is_list(&self, num_id: &str) -> bool {
        num_id != "0" && self.nums.contains_key(num_id)
    }

    /// Parse `numbering.xml`; a malformed part gives what was read before the damage, and why.
    pub fn parse(
        text: &str,
        part: &str,
        max_depth: usize,
        deadline: &Deadline,
    ) -> Result<(Numbering, Option<String>), crate::Error> {
        let mut reader = XmlReader::new(text, part, max_depth, deadline);
        let mut out = Numbering::default();
        // The `w:num` open, and the depth it started at.
        let mut num: Option<(String, usize)> = None;
        loop {
            let step = match reader.next() {
                Ok(s) => s,
                Err(Stop::Fatal(e)) => return Err(e),
                Err(Stop::Broken(m)) => return Ok((out, Some(m))),
            };
            match step {
                Step::Start(Ns::W, e) => match local(e.name().as_ref()) {
                    b"num" => num = attr(&e, b"numId").map(|id| (id, reader.depth())),
                    b"abstractNumId" => {
                        if let (Some((id, _)), Some(abs)) = (&num, attr(&e, b"val")) {
                            out.nums.insert(id.clone(), abs);
                        }
                    }
                    _ => {}
                },
                Step::End if num.as_ref().is_some_and(|(_, d)| reader.depth() < *d) => num = None,
                Step::Eof => return Ok((out, None)),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn defined_nums_are_lists() {
        let xml = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
          <w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
          <w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num></w:numbering>"#;
        let deadline = Deadline::after(Duration::from_secs(5));
        let (n, broken) = Numbering::parse(xml, "numbering.xml", 64, &deadline).unwrap();
        assert!(broken.is_none());
        assert!(n.is_list("5"));
        assert!(!n.is_list("0"));
        assert!(!n.is_list("3"));
    }
}
