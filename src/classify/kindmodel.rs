//! The kind model: a small linear layer that weighs the cue rules' verdict together with the
//! passage's words, its shape and its measures, and gives the statement kind.
//!
//! The cue rules (`kinds.toml`, [`super::kind`]) name what they see (a promise, a hedge, the
//! past, a refusal) but real prose mixes them: "we have set a target to ... by 2030" is a
//! commitment in the past tense, "the contractor shall comply with the law" a `shall` that
//! promises nothing, "Maintain ..." an undertaking with no subject. How much each cue counts,
//! and which words move a sentence from one kind to another, is learnt from labelled passages
//! (`examples/train_kind.rs`) and kept as data: `rules/kind-model.toml`, one row of four
//! weights (commitment, aspiration, track record, none) per feature. A council can retrain it
//! on its own labels or delete it; without it the cue rules decide alone.
//!
//! Every feature is a readable name, so the decision is explained by the features that pushed
//! the passage towards its kind most (`kind_features` in the classification):
//!
//! * `rule=KIND`: what the cue rules alone decided;
//! * `cue=ID`, `sig=SIGNAL`: each cue rule that fired, and its signal;
//! * `sig=SIGNAL+time`, `sig=SIGNAL+qty`: a signal beside a date or duration, or a quantity;
//! * `m=KIND`: a kind of measure is present (`m=quantity`, `m=time`, `m=date`, ...);
//! * `theme`: some theme fired;
//! * `shape=...`: a bullet, a table row, an unfinished line, a question, a short or long text;
//! * `first=WORD`, `first2=WORD WORD`: how the passage opens (imperatives, subjects), and
//!   `first=<ing>` for a gerund ("Providing ...");
//! * `x=ed`: some word ends in "-ed" (a past tense or participle);
//! * `w=WORD`, `b=WORD WORD`: words and word pairs, lower-cased, numbers as `<num>` and
//!   years as `<year>`.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::model::{Measure, MeasureKind, StatementKind};

/// The classes of the model, in the order of a weight row.
pub const CLASSES: [StatementKind; 4] = StatementKind::ALL;

/// Most features a model file may hold.
pub const MAX_FEATURES: usize = 200_000;

/// Longest word (in bytes) that becomes a feature; longer ones are noise (URLs, codes).
const MAX_WORD: usize = 32;

/// A feature that moved the decision, with how much it favoured the chosen kind over the mean
/// of the others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindFeature {
    pub feature: String,
    pub weight: f32,
}

/// What the features are computed from.
pub struct FeatureInput<'a> {
    pub text: &'a str,
    /// Ids of the cue rules that fired, with their signals (`commit`, `hedge`, ...).
    pub cues: &'a [(&'a str, &'a str)],
    /// The cue rules' own verdict.
    pub rule_kind: StatementKind,
    pub measures: &'a [Measure],
    pub has_theme: bool,
}

/// Lower-cased words of a text: letters, digits and inner apostrophes; a number is `<num>`,
/// a year (1900-2099) `<year>`.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// Each word of a text, as [`words`] cuts and spells them, without a string per word (the
/// models look up every word of every passage).
///
/// The text is read a byte at a time, since almost all of it is ASCII and needs no decoding;
/// only a byte of a multi-byte character makes it decode one. A word the text already spells
/// in lower case (most of them) is handed out as a slice of the text, copied nowhere; only a
/// word with a capital, a curly apostrophe or a non-ASCII letter is spelt into a fixed buffer
/// of [`MAX_WORD`] bytes (see [`Spelling`]), so that no text allocates.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut word = Spelling::default();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let mut step = 1;
        match b {
            b'a'..=b'z' => word.keep(i, b),
            b'0'..=b'9' => {
                word.digit = true;
                word.keep(i, b);
            }
            b'A'..=b'Z' => {
                word.respell(text, i);
                word.put(b.to_ascii_lowercase());
            }
            b'\'' if word.len > 0 => word.keep(i, b),
            // "1,500" and "2.5" stay one number (a digit is always part of the word).
            b',' | b'.'
                if i.checked_sub(1)
                    .and_then(|j| bytes.get(j))
                    .is_some_and(u8::is_ascii_digit) =>
            {
                word.keep(i, b)
            }
            0x80.. => {
                // `i` is always at a character's first byte: every step is a whole character.
                let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                    break;
                };
                step = c.len_utf8();
                if c.is_alphanumeric() {
                    word.respell(text, i);
                    let mut utf8 = [0; 4];
                    for lower in c.to_lowercase() {
                        for &b in lower.encode_utf8(&mut utf8).as_bytes() {
                            word.put(b);
                        }
                    }
                } else if c == '’' && word.len > 0 {
                    word.respell(text, i);
                    word.put(b'\'');
                } else {
                    word.finish(text, &mut f);
                }
            }
            _ => word.finish(text, &mut f),
        }
        i += step;
    }
    word.finish(text, &mut f);
}

/// The word [`for_each_word`] is cutting. Only an apostrophe, comma or full stop can end a
/// word's spelling and be trimmed off (none can start it: an apostrophe joins only a word
/// begun, a comma or stop only a digit), so the word is its spelling up to its last other byte.
#[derive(Default)]
struct Spelling {
    /// Where the word starts in the text, while it is spelt as the text has it.
    start: usize,
    /// How many bytes it is spelt with so far.
    len: usize,
    /// Whether it has an ASCII digit (then it is a number or a year).
    digit: bool,
    /// Whether it is spelt differently from the text: then `buf` holds its first bytes and
    /// `end` its length without the trailing apostrophes, commas and stops.
    respelt: bool,
    end: usize,
    /// A word longer than `MAX_WORD` is no word, so its tail needs no room.
    buf: [u8; MAX_WORD],
}

impl Spelling {
    /// Adds byte `b`, found at `at` in the text and spelt as it is there.
    fn keep(&mut self, at: usize, b: u8) {
        if self.respelt {
            self.put(b);
        } else {
            if self.len == 0 {
                self.start = at;
            }
            self.len += 1;
        }
    }

    /// From the byte at `at` on, the word is spelt otherwise than the text: copies what it has
    /// so far into the buffer.
    fn respell(&mut self, text: &str, at: usize) {
        if self.respelt {
            return;
        }
        self.respelt = true;
        let so_far = text.as_bytes().get(self.start..at).unwrap_or_default();
        let so_far = so_far.get(..self.len).unwrap_or(so_far);
        self.end = untrimmed(so_far);
        let n = so_far.len().min(MAX_WORD);
        if let (Some(to), Some(from)) = (self.buf.get_mut(..n), so_far.get(..n)) {
            to.copy_from_slice(from);
        }
    }

    /// Adds byte `b` to a respelt word.
    fn put(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
        }
        self.len += 1;
        if !matches!(b, b'\'' | b',' | b'.') {
            self.end = self.len;
        }
    }

    /// Hands the word to `f` (if it is one) and starts the next.
    fn finish(&mut self, text: &str, f: &mut impl FnMut(&str)) {
        if self.len == 0 {
            return;
        }
        let w = if self.respelt {
            self.buf
                .get(..self.end)
                .and_then(|b| std::str::from_utf8(b).ok())
        } else {
            text.as_bytes()
                .get(self.start..self.start + self.len)
                .and_then(|b| text.get(self.start..self.start + untrimmed(b)))
        };
        if let Some(w) = w.filter(|w| !w.is_empty() && w.len() <= MAX_WORD) {
            if self.digit {
                let digits = w.bytes().all(|b| b.is_ascii_digit());
                if digits && w.len() == 4 && (w.starts_with("19") || w.starts_with("20")) {
                    f("<year>");
                } else {
                    f("<num>");
                }
            } else {
                f(w);
            }
        }
        self.len = 0;
        self.digit = false;
        self.respelt = false;
    }
}

/// The length of `word` without the apostrophes, commas and full stops that end it.
fn untrimmed(word: &[u8]) -> usize {
    word.iter()
        .rposition(|b| !matches!(b, b'\'' | b',' | b'.'))
        .map_or(0, |i| i + 1)
}

fn shape(text: &str) -> Vec<&'static str> {
    let t = text.trim();
    let mut out = Vec::new();
    if t.starts_with([
        '•', '▪', '◦', '·', '●', '○', '■', '-', '–', '*', '>', '✓', '✔', '\u{f0b7}',
    ]) {
        out.push("shape=bullet");
    }
    if t.contains('|') || t.contains('\t') {
        out.push("shape=row");
    }
    if t.ends_with('?') {
        out.push("shape=question");
    } else if t.ends_with(':') {
        out.push("shape=lead-in");
    } else if !t.ends_with(['.', '!', ';', ')', '"', '”']) {
        out.push("shape=unfinished");
    }
    let n = t.split_whitespace().count();
    out.push(match n {
        0..=6 => "shape=short",
        7..=25 => "shape=medium",
        _ => "shape=long",
    });
    out
}

fn emit(buf: &mut String, parts: &[&str], f: &mut dyn FnMut(&str)) {
    buf.clear();
    for p in parts {
        buf.push_str(p);
    }
    f(buf);
}

/// Calls `f` with every feature of a passage (a feature may come more than once).
pub fn for_each_feature(input: &FeatureInput, mut f: impl FnMut(&str)) {
    let f: &mut dyn FnMut(&str) = &mut f;
    let mut buf = String::with_capacity(48);
    emit(&mut buf, &["rule=", input.rule_kind.as_str()], f);
    for (id, signal) in input.cues {
        emit(&mut buf, &["cue=", id], f);
        emit(&mut buf, &["sig=", signal], f);
    }
    for m in input.measures {
        emit(&mut buf, &["m=", m.kind.as_str()], f);
        if m.kind.is_quantity() {
            f("m=quantity");
        }
        if m.kind.is_time() {
            f("m=time");
        }
        if m.kind == MeasureKind::Date {
            let before = input.text.get(..m.start).unwrap_or("").trim_end();
            let tail = before
                .get(before.len().saturating_sub(8)..)
                .unwrap_or("")
                .to_ascii_lowercase();
            if [" by", " before", " until", " from", "by", "target"]
                .iter()
                .any(|w| tail.ends_with(w))
            {
                f("m=date-by");
            }
        }
    }
    // A promise, a hedge or the past means more with a figure or a date beside it.
    let time = input.measures.iter().any(|m| m.kind.is_time());
    let qty = input.measures.iter().any(|m| m.kind.is_quantity());
    for (_, signal) in input.cues {
        if time {
            emit(&mut buf, &["sig=", signal, "+time"], f);
        }
        if qty {
            emit(&mut buf, &["sig=", signal, "+qty"], f);
        }
    }
    if input.has_theme {
        f("theme");
    }
    for s in shape(input.text) {
        f(s);
    }
    let words = words(input.text);
    if let Some(w) = words.first() {
        emit(&mut buf, &["first=", w], f);
        if let Some(w2) = words.get(1) {
            emit(&mut buf, &["first2=", w, " ", w2], f);
        }
    }
    if let Some(w) = words.first() {
        if w.len() > 4 && w.ends_with("ing") {
            f("first=<ing>");
        }
    }
    for (i, w) in words.iter().enumerate() {
        emit(&mut buf, &["w=", w], f);
        if w.len() > 4 && w.ends_with("ed") {
            f("x=ed");
        }
        if let Some(next) = words.get(i + 1) {
            emit(&mut buf, &["b=", w, " ", next], f);
        }
    }
}

/// Every distinct feature of a passage, sorted.
pub fn features(input: &FeatureInput) -> Vec<String> {
    let mut out = Vec::new();
    for_each_feature(input, |s| out.push(s.to_string()));
    out.sort();
    out.dedup();
    out
}

/// `text` as TOML comment lines (the header a trainer writes above a model).
pub fn comment(text: &str) -> String {
    text.lines().map(|l| format!("# {l}\n")).collect()
}

/// A loaded kind model.
#[derive(Debug, Clone)]
pub struct KindModel {
    bias: [f32; 4],
    names: Vec<Box<str>>,
    rows: Vec<[f32; 4]>,
    index: FxHashMap<Box<str>, usize>,
}

/// The model's verdict on one passage.
pub struct Verdict {
    pub kind: StatementKind,
    /// The features that favoured `kind` most, strongest first.
    pub top: Vec<KindFeature>,
}

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub model: Header,
    pub weights: BTreeMap<String, Spanned<Vec<f64>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub classes: Spanned<Vec<String>>,
    pub bias: Spanned<Vec<f64>>,
    #[serde(default)]
    pub trained: Option<String>,
}

/// A problem in a model file: the byte offset and what is wrong.
pub type ModelError = (usize, String);

fn row(values: &[f64]) -> Option<[f32; 4]> {
    if values.len() != 4 || values.iter().any(|v| !v.is_finite() || v.abs() > 1e6) {
        return None;
    }
    Some([
        values[0] as f32,
        values[1] as f32,
        values[2] as f32,
        values[3] as f32,
    ])
}

impl KindModel {
    /// Build a model from its parsed file; every problem is reported with where it is.
    pub fn from_file(file: ModelFile) -> Result<KindModel, Vec<ModelError>> {
        let mut errors = Vec::new();
        let classes: Vec<&str> = file
            .model
            .classes
            .get_ref()
            .iter()
            .map(|s| s.as_str())
            .collect();
        let expected: Vec<&str> = CLASSES.iter().map(|k| k.as_str()).collect();
        if classes != expected {
            errors.push((
                file.model.classes.span().start,
                format!("classes must be {expected:?} in that order"),
            ));
        }
        let bias = row(file.model.bias.get_ref()).unwrap_or_else(|| {
            errors.push((
                file.model.bias.span().start,
                "bias must be four finite numbers".into(),
            ));
            [0.0; 4]
        });
        if file.weights.len() > MAX_FEATURES {
            errors.push((
                0,
                format!(
                    "{} features exceed the limit of {MAX_FEATURES}",
                    file.weights.len()
                ),
            ));
        }
        let mut names = Vec::with_capacity(file.weights.len());
        let mut rows = Vec::with_capacity(file.weights.len());
        for (name, values) in file.weights.iter().take(MAX_FEATURES) {
            match row(values.get_ref()) {
                Some(r) => {
                    names.push(name.as_str().into());
                    rows.push(r);
                }
                None => errors.push((
                    values.span().start,
                    format!("feature `{name}`: a weight row is four finite numbers"),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(KindModel::new(bias, names, rows))
    }

    /// A model from its weights (the trainer's output).
    pub fn new(bias: [f32; 4], names: Vec<Box<str>>, rows: Vec<[f32; 4]>) -> KindModel {
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        KindModel {
            bias,
            names,
            rows,
            index,
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The kind of a passage, with the features behind it.
    pub fn predict(&self, input: &FeatureInput) -> Verdict {
        let mut found: Vec<usize> = Vec::with_capacity(64);
        for_each_feature(input, |s| {
            if let Some(&i) = self.index.get(s) {
                found.push(i);
            }
        });
        found.sort_unstable();
        found.dedup();
        let mut score = self.bias;
        for &i in &found {
            if let Some(r) = self.rows.get(i) {
                for (s, w) in score.iter_mut().zip(r) {
                    *s += w;
                }
            }
        }
        let best = (0..4)
            .max_by(|&a, &b| score[a].total_cmp(&score[b]).then(b.cmp(&a)))
            .unwrap_or(3);
        let mut top: Vec<KindFeature> = found
            .iter()
            .filter_map(|&i| {
                let r = self.rows.get(i)?;
                let others = (r.iter().sum::<f32>() - r[best]) / 3.0;
                let w = r[best] - others;
                (w > 0.0).then(|| KindFeature {
                    feature: self.names[i].to_string(),
                    weight: (w * 100.0).round() / 100.0,
                })
            })
            .collect();
        top.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        top.truncate(5);
        Verdict {
            kind: CLASSES[best],
            top,
        }
    }

    /// The model as a rule file (what the trainer writes).
    pub fn to_toml(&self, header: &str, trained: &str) -> String {
        let mut out = comment(header);
        let nums = |r: &[f32; 4]| {
            r.iter()
                .map(|v| format!("{v:.4}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(
            "\n[model]\nclasses = [\"commitment\", \"aspiration\", \"track_record\", \"none\"]\n",
        );
        out.push_str(&format!("bias = [{}]\n", nums(&self.bias)));
        out.push_str(&format!(
            "trained = {}\n\n[weights]\n",
            toml_string(trained)
        ));
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by(|&a, &b| self.names[a].cmp(&self.names[b]));
        for i in order {
            out.push_str(&toml_string(&self.names[i]));
            out.push_str(" = [");
            out.push_str(&nums(&self.rows[i]));
            out.push_str("]\n");
        }
        out
    }
}

fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_normalise_numbers_years_and_apostrophes() {
        assert_eq!(
            words("We’ve set 1,500 targets by 2030, (FY24) e.g."),
            vec!["we've", "set", "<num>", "targets", "by", "<year>", "<num>", "e", "g"]
        );
    }

    /// `for_each_word` as first written (a `String` per text, `char` by `char`): the
    /// spelling the byte-at-a-time version must match exactly.
    fn reference_words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut flush = |cur: &mut String| {
            let w = cur.trim_matches(['\'', ',', '.']);
            if !w.is_empty() && w.len() <= MAX_WORD {
                if w.bytes().any(|b| b.is_ascii_digit()) {
                    let digits = w.bytes().all(|b| b.is_ascii_digit());
                    if digits && w.len() == 4 && (w.starts_with("19") || w.starts_with("20")) {
                        out.push("<year>".to_string());
                    } else {
                        out.push("<num>".to_string());
                    }
                } else {
                    out.push(w.to_string());
                }
            }
            cur.clear();
        };
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                cur.push(c.to_ascii_lowercase());
            } else if c.is_alphanumeric() {
                cur.extend(c.to_lowercase());
            } else if (c == '\'' || c == '’') && !cur.is_empty() {
                cur.push('\'');
            } else if (c == ',' || c == '.')
                && cur.bytes().last().is_some_and(|b| b.is_ascii_digit())
            {
                cur.push(c);
            } else {
                flush(&mut cur);
            }
        }
        flush(&mut cur);
        out
    }

    #[test]
    fn words_are_spelt_as_the_reference_spells_them() {
        let fixed = [
            "",
            "We’ve set 1,500 targets by 2030, (FY24) e.g.",
            "İstanbul ΣΊΣΥΦΟΣ Straße K (Kelvin) café’s naïve CAFÉ",
            "it's ''quoted'' words’’’ ’lead 'lead trail''' 1,,2 3.. 4.5.6 2024.",
            "abcdefghijklmnopqrstuvwxyzabcdef abcdefghijklmnopqrstuvwxyzabcdefg",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG",
            "abcdefghijklmnopqrstuvwxyzabcdef''''''''''''''''''''''''''''''''''x",
            "abcdefghijklmnopqrstuvwxyzabcdeF''''''''''''''''''''''''''''''''''",
            "abcdefghijklmnopqrstuvwxyzabcdef’’’’’’’’’’’’’’’’’’’’’’’’’’’’’’’’’’’",
            "abcdefghijklmnopqrstuvwxyzabcdefghij’’’’ abcdefghijklmnopqrstuvwxyzabcdefgh’",
            "éééééééééééééééé ééééééééééééééééé aéééééééééééééééé",
            "1999 2100 19999 0019 20a0 £2.5m 10% 3rd ٣٤ ５０ 12'' 2020’s",
        ];
        for t in fixed {
            assert_eq!(words(t), reference_words(t), "{t:?}");
        }
        // Random texts over the characters the cutting treats apart.
        let alphabet: Vec<char> = "aZz09 '’,.-İßΣςé\u{301}Kk\t2019xÉ".chars().collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let mut t = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            for _ in 0..state % 48 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                t.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            assert_eq!(words(&t), reference_words(&t), "{t:?}");
        }
    }

    #[test]
    fn a_model_round_trips_through_its_file() {
        let m = KindModel::new(
            [0.1, 0.0, 0.0, 0.2],
            vec!["w=will".into(), "b=we \"will\"".into()],
            vec![[1.0, -0.5, -0.5, -0.5], [0.5, 0.0, 0.0, 0.0]],
        );
        let text = m.to_toml("test model", "by hand");
        let file: ModelFile = toml::from_str(&text).unwrap();
        let back = KindModel::from_file(file).unwrap();
        assert_eq!(back.len(), 2);
        let input = FeatureInput {
            text: "We will",
            cues: &[],
            rule_kind: StatementKind::None,
            measures: &[],
            has_theme: false,
        };
        let v = back.predict(&input);
        assert_eq!(v.kind, StatementKind::Commitment);
        assert_eq!(v.top[0].feature, "w=will");
    }

    #[test]
    fn bad_rows_are_errors_with_places() {
        let text = "[model]\nclasses = [\"commitment\", \"aspiration\", \"track_record\", \"none\"]\nbias = [0, 0, 0]\n[weights]\n\"w=x\" = [1, 2, 3, \"a\"]\n";
        assert!(toml::from_str::<ModelFile>(text).is_err());
        let text =
            "[model]\nclasses = [\"none\"]\nbias = [0, 0, 0]\n[weights]\n\"w=x\" = [1, 2, 3]\n";
        let file: ModelFile = toml::from_str(text).unwrap();
        let errors = KindModel::from_file(file).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
    }
}
