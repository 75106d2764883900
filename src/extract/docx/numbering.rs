//! List definitions from `numbering.xml`: which `numId`s are real lists, and their labels.
//!
//! A paragraph is a list item when it (or its style) names a `numId` that `numbering.xml`
//! defines (a `w:num` pointing at an abstract definition); `numId` 0 means "no list". Its
//! label is computed as Word prints it, by [`super::super::wordlist`] (shared with the DOC
//! reader): each `w:abstractNum`'s levels (`w:start`, `w:numFmt`, `w:lvlText` such as
//! "%1.%2", `w:isLgl`), each `w:num`'s `w:lvlOverride`/`w:startOverride` restarts and
//! redefined levels (`w:lvlOverride`/`w:lvl`: a new format, the count going on), counters
//! per abstract definition. Not read: `w:numStyleLink` (a definition that borrows another
//! through a numbering style) and `w:lvlRestart`.

use std::cell::RefCell;
use std::collections::HashMap;

use super::super::wordlist::{self, Lists};
use super::xml::{attr, local, Ns, Step, Stop, XmlReader};
use crate::limits::Deadline;

#[derive(Debug, Default)]
pub struct Numbering {
    /// `numId` -> `abstractNumId`.
    nums: HashMap<String, String>,
    /// The definitions and the counters, advanced as the stories are walked.
    lists: RefCell<Lists>,
}

/// A `w:num` being read.
struct OpenNum {
    id: String,
    abs: Option<String>,
    /// The levels it restarts, at what.
    restarts: Vec<(usize, u32)>,
    /// The levels it redefines (`w:lvlOverride` with a `w:lvl`).
    levels: Vec<(usize, wordlist::Level)>,
    depth: usize,
}

impl OpenNum {
    fn finish(self, lists: &mut Lists, nums: &mut HashMap<String, String>) {
        let Some(abs) = self.abs else { return };
        if let (Ok(n), Ok(a)) = (self.id.trim().parse::<i64>(), abs.trim().parse::<i64>()) {
            lists.instance(n, a, self.restarts, self.levels);
        }
        nums.insert(self.id, abs);
    }
}

/// A level without `w:start` starts at 0, as the standard says and Word prints it (Tika's
/// list test: "0th", "00").
fn new_level() -> wordlist::Level {
    wordlist::Level::default()
}

/// A `w:lvl` being read: its level, and the depth it opened at.
struct OpenLevel {
    ilvl: usize,
    depth: usize,
}

impl Numbering {
    /// Whether `num_id` names a defined list.
    pub fn is_list(&self, num_id: &str) -> bool {
        num_id != "0" && self.nums.contains_key(num_id)
    }

    /// The label of the next paragraph of list `num_id` at level `ilvl`, advancing the
    /// list's counters; `None` for bullets and levels without a number.
    pub fn label(&self, num_id: &str, ilvl: u8) -> Option<String> {
        if !self.is_list(num_id) {
            return None;
        }
        let id = num_id.trim().parse::<i64>().ok()?;
        self.lists.borrow_mut().label(id, ilvl)
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
        let mut lists = Lists::default();
        let mut num: Option<OpenNum> = None;
        // The `w:abstractNum` open (its id, its levels), and its depth.
        let mut abs: Option<(i64, Vec<wordlist::Level>, usize)> = None;
        let mut lvl: Option<OpenLevel> = None;
        // The level a `w:lvlOverride` in the open `w:num` overrides, and its new definition.
        let mut over: Option<OpenLevel> = None;
        let mut redefined: Option<wordlist::Level> = None;
        let broken = loop {
            let step = match reader.next() {
                Ok(s) => s,
                Err(Stop::Fatal(e)) => return Err(e),
                Err(Stop::Broken(m)) => break Some(m),
            };
            match step {
                Step::Start(Ns::W, e) => {
                    let val = || attr(&e, b"val");
                    let level = || {
                        attr(&e, b"ilvl")
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .filter(|l| *l < wordlist::LEVELS)
                    };
                    match local(e.name().as_ref()) {
                        b"num" if abs.is_none() => {
                            num = attr(&e, b"numId").map(|id| OpenNum {
                                id,
                                abs: None,
                                restarts: Vec::new(),
                                levels: Vec::new(),
                                depth: reader.depth(),
                            });
                        }
                        b"abstractNumId" => {
                            if let (Some(n), Some(v)) = (&mut num, val()) {
                                n.abs = Some(v);
                            }
                        }
                        b"lvlOverride" if num.is_some() => {
                            over = level().map(|ilvl| OpenLevel {
                                ilvl,
                                depth: reader.depth(),
                            });
                        }
                        b"startOverride" => {
                            if let (Some(num), Some(o), Some(n)) = (
                                &mut num,
                                &over,
                                val().and_then(|v| v.trim().parse::<u32>().ok()),
                            ) {
                                num.restarts.push((o.ilvl, n));
                            }
                        }
                        b"abstractNum" if num.is_none() => {
                            abs = attr(&e, b"abstractNumId")
                                .and_then(|v| v.trim().parse::<i64>().ok())
                                .map(|id| {
                                    (id, vec![new_level(); wordlist::LEVELS], reader.depth())
                                });
                        }
                        b"lvl" if abs.is_some() && lvl.is_none() => {
                            lvl = level().map(|ilvl| OpenLevel {
                                ilvl,
                                depth: reader.depth(),
                            });
                        }
                        b"lvl" if lvl.is_none() => {
                            if let Some(o) = &over {
                                lvl = Some(OpenLevel {
                                    ilvl: o.ilvl,
                                    depth: reader.depth(),
                                });
                                redefined = Some(new_level());
                            }
                        }
                        name @ (b"start" | b"numFmt" | b"lvlText" | b"isLgl") => {
                            let Some(o) = &lvl else { continue };
                            let l = match (&mut abs, &mut redefined) {
                                (Some((_, levels, _)), _) => levels.get_mut(o.ilvl),
                                (None, Some(l)) => Some(l),
                                _ => None,
                            };
                            let Some(l) = l else { continue };
                            match name {
                                b"start" => {
                                    l.start = val()
                                        .and_then(|v| v.trim().parse::<u32>().ok())
                                        .unwrap_or(0);
                                }
                                b"numFmt" => l.nfc = wordlist::nfc_of(&val().unwrap_or_default()),
                                b"lvlText" => {
                                    l.text = wordlist::level_text(&val().unwrap_or_default())
                                }
                                _ => {
                                    l.legal = val().is_none_or(|v| {
                                        !matches!(v.as_str(), "0" | "false" | "off")
                                    });
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Step::End => {
                    let d = reader.depth();
                    if lvl.as_ref().is_some_and(|o| d < o.depth) {
                        // A level redefined for one list changes how it prints, not
                        // where it counts from (Word's shared counters go on).
                        if let (Some(o), Some(l), Some(n)) =
                            (lvl.take(), redefined.take(), &mut num)
                        {
                            n.levels.push((o.ilvl, l));
                        }
                        lvl = None;
                    }
                    if over.as_ref().is_some_and(|o| d < o.depth) {
                        over = None;
                    }
                    if abs.as_ref().is_some_and(|(_, _, at)| d < *at) {
                        if let Some((id, levels, _)) = abs.take() {
                            lists.define(id, levels);
                        }
                    }
                    if num.as_ref().is_some_and(|n| d < n.depth) {
                        if let Some(n) = num.take() {
                            n.finish(&mut lists, &mut out.nums);
                        }
                    }
                }
                Step::Eof => break None,
                _ => {}
            }
        };
        // What a damaged part left open is kept.
        if let Some((id, levels, _)) = abs {
            lists.define(id, levels);
        }
        if let Some(n) = num {
            n.finish(&mut lists, &mut out.nums);
        }
        out.lists = RefCell::new(lists);
        Ok((out, broken))
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
        assert_eq!(n.label("5", 0), None);
    }

    #[test]
    fn labels_as_word_prints_them() {
        let xml = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
          <w:abstractNum w:abstractNumId="1">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
            <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1.%2.%3"/></w:lvl>
          </w:abstractNum>
          <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
          <w:num w:numId="2"><w:abstractNumId w:val="1"/>
            <w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>
          <w:num w:numId="3"><w:abstractNumId w:val="1"/>
            <w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="10"/>
              <w:numFmt w:val="upperLetter"/><w:lvlText w:val="Part %1:"/></w:lvl></w:lvlOverride></w:num>
          </w:numbering>"#;
        let deadline = Deadline::after(Duration::from_secs(5));
        let (n, broken) = Numbering::parse(xml, "numbering.xml", 64, &deadline).unwrap();
        assert!(broken.is_none());
        let got: Vec<_> = [
            ("1", 0),
            ("1", 1),
            ("1", 1),
            ("1", 2),
            ("1", 0),
            ("2", 0),
            ("2", 0),
            ("3", 0),
            ("3", 1),
        ]
        .iter()
        .map(|&(id, l)| n.label(id, l).unwrap_or_default())
        .collect();
        // numId 3 redefines level 0's format but goes on counting (9 = "I"), as Word
        // does; its own start value is not a restart.
        assert_eq!(
            got,
            ["1.", "a)", "b)", "1.b.I", "2.", "7.", "8.", "Part I:", "a)"]
        );
    }
}
