//! Word's list numbering, shared by the DOC and DOCX readers: both store a list as a
//! definition (DOC's LST, DOCX's `w:abstractNum`) of up to nine levels, each with a start
//! value, a number format and a number text in which placeholders stand for the levels'
//! numbers ("%1.%2" in DOCX), and instances that paragraphs name (DOC's LFO, DOCX's `w:num`)
//! which may restart some levels (`startOverride`). Counters run per definition, so two
//! instances of one definition continue each other's numbering, as in Word; an instance's
//! restarts apply at its first paragraph; an item resets the counters of the levels below
//! it, and the levels above it that had no item yet count one at their start value (a
//! list that opens with "1.1" goes on with "2", as Word prints it). Bullets get no label, as in the ODT reader.
//!
//! Bounded: at most [`MAX_LISTS`] definitions and instances, nine levels, labels of at most
//! 64 bytes, saturating counters.

use std::collections::{HashMap, HashSet};

/// Most list definitions and instances kept.
pub(super) const MAX_LISTS: usize = 4096;
/// Levels of a Word list.
pub(super) const LEVELS: usize = 9;
/// The number format (`nfc`) of a bullet.
pub(super) const BULLET: u8 = 23;
/// The number format (`nfc`) of a level that shows no number.
pub(super) const NO_NUMBER: u8 = 255;

/// One level of a list definition.
#[derive(Clone, Debug, Default)]
pub(super) struct Level {
    pub start: u32,
    /// The number format as DOC numbers it (`nfc`): 0 decimal, 1/2 upper/lower roman, 3/4
    /// upper/lower letter, 5 ordinal ("2nd"), 22 decimal with a leading zero, 23 bullet, 255
    /// none; others are shown as decimal.
    pub nfc: u8,
    /// Every level's number shown in decimal (`fLegal`, `w:isLgl`).
    pub legal: bool,
    /// The number text in UTF-16: units 0 to 8 stand for that level's number.
    pub text: Vec<u16>,
}

/// The DOC number format code of a DOCX `w:numFmt` value.
pub(super) fn nfc_of(num_fmt: &str) -> u8 {
    match num_fmt {
        "upperRoman" => 1,
        "lowerRoman" => 2,
        "upperLetter" => 3,
        "lowerLetter" => 4,
        "ordinal" => 5,
        "decimalZero" => 22,
        "bullet" => BULLET,
        "none" => NO_NUMBER,
        _ => 0,
    }
}

/// A DOCX `w:lvlText` ("%1.%2)") as a number text: `%N` (N from 1 to 9) becomes unit N-1.
/// At most 64 units are kept.
pub(super) fn level_text(lvl_text: &str) -> Vec<u16> {
    let mut out = Vec::new();
    let mut chars = lvl_text.chars().peekable();
    while let Some(c) = chars.next() {
        if out.len() >= 64 {
            break;
        }
        if c == '%' {
            if let Some(d) = chars
                .peek()
                .and_then(|d| d.to_digit(10))
                .filter(|d| *d >= 1)
            {
                chars.next();
                out.push(d as u16 - 1);
                continue;
            }
        }
        let mut buf = [0u16; 2];
        out.extend_from_slice(c.encode_utf16(&mut buf));
    }
    out
}

/// A list instance: its definition, the levels it restarts (at what), the levels it
/// redefines.
#[derive(Debug, Default)]
struct Instance {
    def: i64,
    restarts: Vec<(usize, u32)>,
    levels: Vec<(usize, Level)>,
}

/// The lists of one document: definitions, instances and the running counters.
#[derive(Debug, Default)]
pub(super) struct Lists {
    defs: HashMap<i64, Vec<Level>>,
    instances: HashMap<i64, Instance>,
    counters: HashMap<i64, [Option<u32>; LEVELS]>,
    /// Instances whose restarts have been applied.
    started: HashSet<i64>,
}

impl Lists {
    /// Add a definition's levels (at most [`LEVELS`]); past [`MAX_LISTS`] it is left out.
    pub fn define(&mut self, id: i64, mut levels: Vec<Level>) {
        if self.defs.len() < MAX_LISTS || self.defs.contains_key(&id) {
            levels.truncate(LEVELS);
            self.defs.insert(id, levels);
        }
    }

    /// Add an instance of definition `def` with its restarts (level, start value) and the
    /// levels it redefines.
    pub fn instance(
        &mut self,
        id: i64,
        def: i64,
        mut restarts: Vec<(usize, u32)>,
        mut levels: Vec<(usize, Level)>,
    ) {
        if self.instances.len() < MAX_LISTS || self.instances.contains_key(&id) {
            restarts.retain(|(l, _)| *l < LEVELS);
            restarts.truncate(LEVELS);
            levels.retain(|(l, _)| *l < LEVELS);
            levels.truncate(LEVELS);
            let instance = Instance {
                def,
                restarts,
                levels,
            };
            self.instances.insert(id, instance);
        }
    }

    /// The label of a paragraph of instance `id` at level `ilvl`, advancing the counters;
    /// `None` for a bullet, a level with no number, or a list not defined.
    pub fn label(&mut self, id: i64, ilvl: u8) -> Option<String> {
        let Instance {
            def,
            restarts,
            levels: redefined,
        } = self.instances.get(&id)?;
        let defined = self.defs.get(def)?;
        let level_at = |l: usize| {
            redefined
                .iter()
                .find(|(r, _)| *r == l)
                .map(|(_, level)| level)
                .or_else(|| defined.get(l))
        };
        // A simple list (one level) numbers every paragraph at its level.
        let level = if defined.len() == 1 {
            0
        } else {
            usize::from(ilvl).min(LEVELS - 1)
        };
        let this = level_at(level)?;
        let counters = self.counters.entry(*def).or_insert([None; LEVELS]);
        if self.started.len() < MAX_LISTS && self.started.insert(id) {
            for &(l, start) in restarts {
                if let Some(c) = counters.get_mut(l) {
                    *c = Some(start.saturating_sub(1));
                }
            }
        }
        // A level above this one that has had no item yet counts as having had one at its
        // start value, as Word numbers them: "1.1" first, then "2" for the next item above.
        for (l, c) in counters.iter_mut().enumerate().take(level) {
            if c.is_none() {
                *c = Some(level_at(l).map_or(1, |at| at.start));
            }
        }
        counters[level] = Some(match counters[level] {
            Some(n) => n.saturating_add(1),
            None => this.start,
        });
        for c in counters.iter_mut().skip(level + 1) {
            *c = None;
        }
        if this.nfc == BULLET {
            return None;
        }
        let mut out = String::new();
        for c in char::decode_utf16(this.text.iter().copied()) {
            let Ok(c) = c else { continue };
            let l = c as usize;
            if l < LEVELS {
                let Some(at) = level_at(l) else { continue };
                let n = counters[l].unwrap_or(at.start);
                let nfc = if this.legal { 0 } else { at.nfc };
                out.push_str(&number(nfc, n));
            } else {
                out.push(c);
            }
            if out.len() > 64 {
                break;
            }
        }
        let out = out.trim();
        out.chars()
            .any(char::is_alphanumeric)
            .then(|| out.to_string())
    }
}

/// A number in a Word number format (`nfc`); formats other than those below as decimal.
pub(super) fn number(nfc: u8, n: u32) -> String {
    match nfc {
        1 => super::odf::format_number("I", false, n),
        2 => super::odf::format_number("i", false, n),
        3 => super::odf::format_number("A", true, n),
        4 => super::odf::format_number("a", true, n),
        5 => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
        22 => format!("{n:02}"),
        NO_NUMBER => String::new(),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(start: u32, nfc: u8, text: &str) -> Level {
        Level {
            start,
            nfc,
            legal: false,
            text: level_text(text),
        }
    }

    #[test]
    fn labels_count_per_definition_and_restart_below() {
        let mut lists = Lists::default();
        lists.define(
            1,
            vec![
                level(1, 0, "%1."),
                level(1, 4, "%2)"),
                level(1, 2, "%1.%2.%3"),
            ],
        );
        lists.instance(10, 1, Vec::new(), Vec::new());
        lists.instance(11, 1, vec![(0, 5)], Vec::new());
        let got: Vec<_> = [
            (10, 0),
            (10, 1),
            (10, 1),
            (10, 2),
            (10, 0),
            (10, 1),
            (11, 0),
        ]
        .iter()
        .map(|&(id, l)| lists.label(id, l))
        .collect();
        let want = ["1.", "a)", "b)", "1.b.i", "2.", "a)", "5."];
        assert_eq!(got, want.map(|s| Some(s.to_string())));
    }

    #[test]
    fn a_level_above_with_no_item_yet_counts_one_at_its_start() {
        // Word: a list that opens at its second level prints "1.1.", and its first item
        // at the first level is then "2." (Tika's numbered-list test types the numbers Word
        // shows: "1.2->1.1", then "2.", "2.1").
        let mut lists = Lists::default();
        lists.define(
            1,
            vec![
                level(1, 0, "%1."),
                level(1, 0, "%1.%2."),
                level(3, 0, "%3."),
            ],
        );
        lists.instance(1, 1, Vec::new(), Vec::new());
        let got: Vec<_> = [1, 1, 0, 1, 2, 2, 0]
            .iter()
            .map(|&l| lists.label(1, l))
            .collect();
        let want = ["1.1.", "1.2.", "2.", "2.1.", "3.", "4.", "3."];
        assert_eq!(got, want.map(|s| Some(s.to_string())));
    }

    #[test]
    fn bullets_and_unknown_lists_have_no_label() {
        let mut lists = Lists::default();
        lists.define(
            1,
            vec![level(1, BULLET, "\u{f0b7}"), level(1, NO_NUMBER, "%2")],
        );
        lists.instance(1, 1, Vec::new(), Vec::new());
        assert_eq!(lists.label(1, 0), None);
        assert_eq!(lists.label(1, 1), None);
        assert_eq!(lists.label(2, 0), None);
    }

    #[test]
    fn hostile_values_stay_bounded() {
        let mut lists = Lists::default();
        lists.define(1, vec![level(u32::MAX, 3, &"%1".repeat(1000)); 20]);
        lists.instance(1, 1, vec![(0, 0), (99, 7)], vec![(99, Level::default())]);
        for _ in 0..3 {
            let label = lists.label(1, 200).unwrap();
            assert!(label.len() <= 80, "{label}");
        }
        assert_eq!(level_text("%0%%9x").len(), 5);
        let ordinals: Vec<String> = [0, 1, 2, 3, 11, 12, 22, 113].map(|n| number(5, n)).into();
        assert_eq!(
            ordinals,
            ["0th", "1st", "2nd", "3rd", "11th", "12th", "22nd", "113th"]
        );
    }
}
