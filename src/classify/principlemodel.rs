//! The principle model: for a passage the theme rules tie to no principle, a small linear
//! layer over its words says which principle it most likely evidences.
//!
//! Real suppliers imply principles more often than they name them ("we will ask residents
//! what matters to them" is a voice for communities without "consult" or "voice"), and a
//! theme vocabulary written by hand never covers every way of saying it. The model is learnt
//! from labelled passages (`examples/train_principles.rs`) as one logistic regression per
//! principle over the passage's words and word pairs, and kept as data:
//! `rules/principle-model.toml`, one row of weights per feature (only the principles it moves).
//! It mostly fills gaps: when the theme rules found no principle and the passage is a statement
//! (its kind is not `none`), the principle the model rates most likely is added if its
//! probability reaches the file's `threshold`; when they found some, the model's most likely
//! principle joins them only if it is not among them and reaches the (higher) `add_threshold`. The decision is
//! explained by the words that pushed that principle up most (`features` of the principle in
//! the classification, shown by `show`). A council can retrain it on its own labels or delete
//! the file; without it the theme rules decide alone.
//!
//! Features are those of [`super::kindmodel::words`]: `w=WORD` and `b=WORD WORD`, lower-cased,
//! numbers as `<num>` and years as `<year>`.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use serde::Deserialize;
use toml::Spanned;

use super::kindmodel::{comment, for_each_word, KindFeature, MAX_FEATURES};
use super::model::Evidence;

/// The rule id a principle added by the model is reported under.
pub const RULE_ID: &str = "model.principle";

/// A loaded principle model.
#[derive(Debug, Clone)]
pub struct PrincipleModel {
    /// The framework whose principles it names.
    pub framework: String,
    /// The principle ids, in the order of `bias` and of every weight row.
    pub principles: Vec<String>,
    pub threshold: f32,
    /// The probability the model's principle needs to join principles the theme rules found
    /// (`None`: it never does).
    pub add_threshold: Option<f32>,
    bias: Vec<f32>,
    /// Each feature's name and its non-zero weights as (principle index, weight), sorted by
    /// name: a feature's id is its position, so that ids sort as names do.
    features: Vec<Feature>,
    /// The same weights as one dense row per feature (`principles.len()` each, 0 where a
    /// feature leaves a principle alone), so that scoring adds whole rows instead of looking
    /// up each principle, and reads a feature's weight for one principle directly. Empty if
    /// the rows would exceed [`MAX_DENSE`]: scoring then reads `features`.
    dense: Vec<f32>,
    /// The features by their words, for scoring.
    lookup: Lookup,
}

/// Most weights [`PrincipleModel::dense`] holds (16 MB): enough for the largest model file
/// with tens of principles, and no more memory than that for a file that names many principles
/// but gives each feature few weights.
const MAX_DENSE: usize = 1 << 22;

/// The dense rows of `features` (see [`PrincipleModel::dense`]).
fn dense_rows(features: &[Feature], principles: usize) -> Vec<f32> {
    let Some(size) = features
        .len()
        .checked_mul(principles)
        .filter(|&size| size <= MAX_DENSE)
    else {
        return Vec::new();
    };
    let mut dense = vec![0.0; size];
    for ((_, weights), row) in features
        .iter()
        .zip(dense.chunks_exact_mut(principles.max(1)))
    {
        for &(p, w) in weights {
            if let Some(cell) = row.get_mut(p as usize) {
                *cell = w;
            }
        }
    }
    dense
}

/// The features by their words: a text's words are each hashed once, and a pair of words is
/// looked up by the two words' ids, so scoring builds no feature name. (Looking each feature
/// up by its name cost a quarter of the classifier's time.)
#[derive(Debug, Clone, Default)]
struct Lookup {
    /// Every word that is part of a feature, and every function word.
    words: FxHashMap<Box<str>, Word>,
    /// The feature id of each pair of word ids (see [`pair_key`]).
    pairs: FxHashMap<u64, u32>,
}

#[derive(Debug, Clone, Copy)]
struct Word {
    id: u32,
    /// The id of the word's own feature (`w=`), if it has one.
    single: Option<u32>,
    function: bool,
    /// Whether the word opens some pair feature, and whether it closes one: most neighbours
    /// cannot make a pair, and these spare hashing them to find out.
    opens: bool,
    closes: bool,
}

/// The key of a pair of word ids in [`Lookup::pairs`]: one number, hashed in one step.
fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

impl Lookup {
    fn new(features: &[Feature]) -> Lookup {
        let mut lookup = Lookup::default();
        for w in FUNCTION_WORDS {
            lookup.word(w);
        }
        for (i, (name, _)) in features.iter().enumerate() {
            if let Some(w) = name.strip_prefix("w=") {
                let word = lookup.word(w);
                // A function word alone is never a feature of a text.
                if !word.function {
                    word.single = Some(i as u32);
                }
            } else if let Some((a, b)) = name.strip_prefix("b=").and_then(|p| p.split_once(' ')) {
                let (first, second) = (*lookup.word(a), *lookup.word(b));
                // Nor is a pair of function words.
                if !(first.function && second.function) {
                    lookup.pairs.insert(pair_key(first.id, second.id), i as u32);
                    lookup.word(a).opens = true;
                    lookup.word(b).closes = true;
                }
            }
        }
        lookup
    }

    fn word(&mut self, w: &str) -> &mut Word {
        let next = self.words.len() as u32;
        self.words.entry(w.into()).or_insert(Word {
            id: next,
            single: None,
            function: is_function_word(w),
            opens: false,
            closes: false,
        })
    }

    /// The ids of the features of `text`, as `for_each_feature` would name them.
    fn found(&self, text: &str, found: &mut Vec<u32>) {
        // The previous word, if it is in any feature. A word in none (nor a function word)
        // makes no feature alone or in a pair, so it only ends the previous word's pairs.
        let mut prev: Option<&Word> = None;
        for_each_word(text, |w| {
            let word = self.words.get(w);
            if let (Some(p), Some(x)) = (prev, word) {
                // `pairs` holds no pair of function words, as `for_each_feature` names none.
                if p.opens && x.closes {
                    if let Some(&id) = self.pairs.get(&pair_key(p.id, x.id)) {
                        found.push(id);
                    }
                }
            }
            if let Some(id) = word.and_then(|x| x.single) {
                found.push(id);
            }
            prev = word;
        });
    }
}

/// A feature's name and its non-zero weights as (principle index, weight).
type Feature = (Box<str>, Vec<(u16, f32)>);

/// The model's guess for one passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// Index into [`PrincipleModel::principles`].
    pub principle: usize,
    pub probability: f32,
    /// The features that pushed the principle up most, strongest first.
    pub top: Vec<KindFeature>,
}

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrincipleModelFile {
    pub model: Header,
    pub weights: BTreeMap<String, Spanned<BTreeMap<String, f64>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub framework: Spanned<String>,
    pub principles: Spanned<Vec<String>>,
    pub bias: Spanned<Vec<f64>>,
    pub threshold: Spanned<f64>,
    #[serde(default)]
    pub add_threshold: Option<Spanned<f64>>,
    #[serde(default)]
    pub trained: Option<String>,
}

/// The rows of a model file's `[weights]` table read without a TOML parser, when every row is
/// in the one shape the trainer writes: `"FEATURE" = { ID = NUMBER, ... }` on a line of its own
/// (blank and comment lines between rows allowed). Returns the text up to and including the
/// `[weights]` line, for the TOML parser (the header's errors and spans are its), and the rows,
/// each spanned over its inline table as the TOML parser spans it.
///
/// Why by hand: the shipped model has about 3,000 rows, and the `toml` crate's general,
/// span-keeping parser spent 15% of the rule set's load on them (142 M of 954 M instructions;
/// the load has a goal of 100 ms). Anything else (an escape, a comment after a row, a value on
/// two lines, another table, a repeated key or a number TOML words otherwise) gives `None`, and
/// the whole file goes to the TOML parser, which reads what is valid and reports what is not,
/// with its place.
#[allow(clippy::type_complexity)]
pub fn split_weights(
    text: &str,
) -> Option<(&str, BTreeMap<String, Spanned<BTreeMap<String, f64>>>)> {
    let mut offset = 0;
    let mut head_end = None;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        if line.trim() == "[weights]" {
            head_end = Some(offset);
            break;
        }
    }
    let head_end = head_end?;
    let mut rows = BTreeMap::new();
    let mut at = head_end;
    for line in text.get(head_end..)?.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let row = line.trim_end_matches(['\n', '\r']);
        let trimmed = row.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (name, weights, brace) = weights_row(trimmed)?;
        // Spanned as the TOML parser spans a value: its inline table, braces included.
        let from = start + (row.len() - row.trim_start().len());
        let span = from + brace..from + trimmed.len();
        if rows
            .insert(name.to_string(), Spanned::new(span, weights))
            .is_some()
        {
            return None;
        }
    }
    Some((text.get(..head_end)?, rows))
}

/// One row `"FEATURE" = { ID = NUMBER, ... }` (see [`split_weights`]), trimmed: its name, its
/// weights and where its `{` is.
fn weights_row(row: &str) -> Option<(&str, BTreeMap<String, f64>, usize)> {
    let rest = row.strip_prefix('"')?;
    let (name, rest) = rest.split_once('"')?;
    if name.contains(['\\', '"']) || name.chars().any(char::is_control) {
        return None;
    }
    let table = rest.trim_start().strip_prefix('=')?.trim();
    let brace = row.len() - table.len();
    let inner = table.strip_prefix('{')?.strip_suffix('}')?.trim();
    let mut weights = BTreeMap::new();
    if inner.is_empty() {
        return Some((name, weights, brace));
    }
    for entry in inner.split(',') {
        let (id, value) = entry.split_once('=')?;
        let (id, value) = (id.trim(), value.trim());
        let bare = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if id.is_empty() || !id.chars().all(bare) || !toml_decimal(value) {
            return None;
        }
        if weights
            .insert(id.to_string(), value.parse().ok()?)
            .is_some()
        {
            return None;
        }
    }
    Some((name, weights, brace))
}

/// Whether `v` is a TOML integer or float in plain decimal form: an optional sign, digits
/// without a leading zero, an optional fraction and exponent (`-0.1516`, `3`, `1.5e-3`).
fn toml_decimal(v: &str) -> bool {
    let v = v.strip_prefix(['+', '-']).unwrap_or(v);
    let (mantissa, exponent) = match v.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (v, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    digits(whole)
        && (whole == "0" || !whole.starts_with('0'))
        && fraction.is_none_or(digits)
        && exponent.is_none_or(digits)
}

/// A problem in a model file: the byte offset and what is wrong.
pub type ModelError = (usize, String);

fn finite(v: f64) -> bool {
    v.is_finite() && v.abs() <= 1e6
}

/// Function words: they say how a sentence is built, not what it is about, so they are no
/// feature on their own (nor is a pair of them). A principle explained by "the" and "will"
/// explains nothing.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "being",
    "both", "but", "by", "can", "could", "do", "does", "each", "every", "for", "from", "had",
    "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "may",
    "more", "most", "must", "no", "not", "of", "on", "or", "other", "our", "ours", "over", "shall",
    "she", "should", "so", "such", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "under", "up", "us", "was", "we", "we'll",
    "we're", "we've", "were", "what", "when", "where", "which", "while", "who", "will", "with",
    "within", "would", "you", "your",
];

fn is_function_word(w: &str) -> bool {
    FUNCTION_WORDS.binary_search(&w).is_ok()
}

/// Every `w=` and `b=` feature of a text, in text order: each word but function words, and
/// each pair of neighbouring words with at least one that is not a function word.
pub fn for_each_feature(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::with_capacity(80);
    // The previous word, for the pair it makes with this one, and whether it is a function word.
    let mut prev = String::with_capacity(40);
    let mut prev_function: Option<bool> = None;
    for_each_word(text, |w| {
        let function = is_function_word(w);
        if let Some(pf) = prev_function {
            if !(pf && function) {
                buf.clear();
                buf.push_str("b=");
                buf.push_str(&prev);
                buf.push(' ');
                buf.push_str(w);
                f(&buf);
            }
        }
        if !function {
            buf.clear();
            buf.push_str("w=");
            buf.push_str(w);
            f(&buf);
        }
        prev.clear();
        prev.push_str(w);
        prev_function = Some(function);
    });
}

/// Every distinct feature of a text, sorted (what the trainer learns from).
pub fn features(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_feature(text, |s| out.push(s.to_string()));
    out.sort();
    out.dedup();
    out
}

impl PrincipleModel {
    /// Build a model from its parsed file; every problem is reported with where it is.
    /// Whether the framework and its principles exist is checked by the loader.
    pub fn from_file(file: PrincipleModelFile) -> Result<PrincipleModel, Vec<ModelError>> {
        let mut errors = Vec::new();
        let principles = file.model.principles.get_ref().clone();
        let n = principles.len();
        if n == 0 || n > u16::MAX as usize {
            errors.push((
                file.model.principles.span().start,
                "principles must list the framework's principle ids".into(),
            ));
        }
        let bias = file.model.bias.get_ref();
        if bias.len() != n || !bias.iter().all(|v| finite(*v)) {
            errors.push((
                file.model.bias.span().start,
                format!("bias must be {n} finite numbers, one per principle"),
            ));
        }
        let threshold = *file.model.threshold.get_ref();
        if !(0.0..=1.0).contains(&threshold) {
            errors.push((
                file.model.threshold.span().start,
                "threshold must be a probability from 0 to 1".into(),
            ));
        }
        let add_threshold = file.model.add_threshold.as_ref().map(|t| {
            if !(0.0..=1.0).contains(t.get_ref()) {
                errors.push((
                    t.span().start,
                    "add_threshold must be a probability from 0 to 1".into(),
                ));
            }
            *t.get_ref() as f32
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
        let position: HashMap<&str, usize> = principles
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        // The file's rows come sorted by name (a BTreeMap).
        let mut features = Vec::with_capacity(file.weights.len().min(MAX_FEATURES));
        for (name, row) in file.weights.iter().take(MAX_FEATURES) {
            let mut weights = Vec::with_capacity(row.get_ref().len());
            for (p, w) in row.get_ref() {
                match position.get(p.as_str()) {
                    Some(&i) if finite(*w) => weights.push((i as u16, *w as f32)),
                    Some(_) => errors.push((
                        row.span().start,
                        format!("feature `{name}`: the weight of {p} is not a finite number"),
                    )),
                    None => errors.push((
                        row.span().start,
                        format!("feature `{name}`: {p} is not one of the model's principles"),
                    )),
                }
            }
            features.push((name.as_str().into(), weights));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let bias: Vec<f32> = bias.iter().map(|v| *v as f32).collect();
        Ok(PrincipleModel {
            framework: file.model.framework.get_ref().clone(),
            principles,
            threshold: threshold as f32,
            add_threshold,
            dense: dense_rows(&features, bias.len()),
            bias,
            lookup: Lookup::new(&features),
            features,
        })
    }

    /// A model from its weights (the trainer's output); `rows` holds one dense row per name.
    pub fn new(
        framework: &str,
        principles: Vec<String>,
        threshold: f32,
        bias: Vec<f32>,
        names: Vec<String>,
        rows: Vec<Vec<f32>>,
    ) -> PrincipleModel {
        let mut features: Vec<Feature> = names
            .into_iter()
            .zip(rows)
            .map(|(name, row)| {
                let sparse = row
                    .into_iter()
                    .enumerate()
                    .filter(|(_, w)| *w != 0.0)
                    .map(|(i, w)| (i as u16, w))
                    .collect();
                (name.into_boxed_str(), sparse)
            })
            .collect();
        features.sort_by(|a, b| a.0.cmp(&b.0));
        features.dedup_by(|a, b| a.0 == b.0);
        PrincipleModel {
            framework: framework.to_string(),
            principles,
            threshold,
            add_threshold: None,
            dense: dense_rows(&features, bias.len()),
            bias,
            lookup: Lookup::new(&features),
            features,
        }
    }

    pub fn len(&self) -> usize {
        self.features.len()
    }

    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// Every principle's probability for a text, in the order of `principles`, with the
    /// features found.
    /// Each principle's probability, and the ids of the features the text has. The weights
    /// are summed in the order of the features' names, whatever the text's order, so that
    /// the same features always give the same sum.
    fn scores(&self, text: &str) -> (Vec<f32>, Vec<u32>) {
        let mut found: Vec<u32> = Vec::with_capacity(64);
        self.lookup.found(text, &mut found);
        found.sort_unstable();
        found.dedup();
        let mut z = self.bias.clone();
        for &id in &found {
            match self.dense_row(id) {
                // A dense row adds 0 where the sparse one adds nothing: the same sums (but
                // for the sign of a zero sum, which gives the same probability).
                Some(row) => {
                    for (s, w) in z.iter_mut().zip(row) {
                        *s += w;
                    }
                }
                None => {
                    for &(p, w) in self.weights(id) {
                        if let Some(s) = z.get_mut(p as usize) {
                            *s += w;
                        }
                    }
                }
            }
        }
        // The sums become the probabilities in place (one vector the fewer).
        for v in &mut z {
            *v = 1.0 / (1.0 + (-*v).exp());
        }
        (z, found)
    }

    /// The non-zero weights of feature `id`.
    fn weights(&self, id: u32) -> &[(u16, f32)] {
        self.features
            .get(id as usize)
            .map_or(&[], |(_, w)| w.as_slice())
    }

    /// The dense row of feature `id`: one weight per entry of `bias`. `None` when the model
    /// keeps no dense rows.
    fn dense_row(&self, id: u32) -> Option<&[f32]> {
        let n = self.bias.len();
        let start = (id as usize).checked_mul(n)?;
        self.dense.get(start..start.checked_add(n)?)
    }

    /// The weight of feature `id` for principle `p` (0 if it has none).
    fn weight(&self, id: u32, p: usize) -> f32 {
        match self.dense_row(id) {
            Some(row) => row.get(p).copied().unwrap_or(0.0),
            None => self
                .weights(id)
                .iter()
                .find(|(i, _)| *i as usize == p)
                .map_or(0.0, |&(_, w)| w),
        }
    }

    /// Each principle's probability for a text (the trainer's scoring).
    pub fn probabilities(&self, text: &str) -> Vec<f32> {
        self.scores(text).0
    }

    /// The most likely principle of a text, when its probability reaches `threshold`.
    pub fn guess(&self, text: &str, threshold: f32) -> Option<Guess> {
        let (probs, found) = self.scores(text);
        let (best, &p) = probs
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))?;
        if p < threshold {
            return None;
        }
        // The strongest five by rounded weight, named only once chosen. Of equal weights the
        // first found (the first by name) comes first, as a stable sort would leave them:
        // each feature goes after every kept one at least as strong, and the sixth falls off.
        let mut top = [(0.0f32, 0u32); 5];
        let mut kept = 0;
        for &id in &found {
            let w = self.weight(id, best);
            if w > 0.0 {
                let w = (w * 100.0).round() / 100.0;
                let at = top[..kept]
                    .iter()
                    .position(|k| k.0.total_cmp(&w).is_lt())
                    .unwrap_or(kept);
                if at < top.len() {
                    let end = kept.min(top.len() - 1);
                    top.copy_within(at..end, at + 1);
                    top[at] = (w, id);
                    kept = end + 1;
                }
            }
        }
        let top = top[..kept]
            .iter()
            .filter_map(|&(weight, id)| {
                let (name, _) = self.features.get(id as usize)?;
                Some(KindFeature {
                    feature: name.to_string(),
                    weight,
                })
            })
            .collect();
        Some(Guess {
            principle: best,
            probability: (p * 1000.0).round() / 1000.0,
            top,
        })
    }

    /// The model as a rule file (what the trainer writes); empty weight rows are left out.
    pub fn to_toml(&self, header: &str, trained: &str) -> String {
        let mut out = comment(header);
        let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
        out.push_str("\n[model]\n");
        out.push_str(&format!("framework = {}\n", quote(&self.framework)));
        out.push_str(&format!(
            "principles = [{}]\n",
            self.principles
                .iter()
                .map(|p| quote(p))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        out.push_str(&format!(
            "bias = [{}]\n",
            self.bias
                .iter()
                .map(|v| format!("{v:.4}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        out.push_str(&format!("threshold = {}\n", self.threshold));
        if let Some(t) = self.add_threshold {
            out.push_str(&format!("add_threshold = {t}\n"));
        }
        out.push_str(&format!("trained = {}\n\n[weights]\n", quote(trained)));
        for (name, row) in &self.features {
            if row.is_empty() {
                continue;
            }
            let cells: Vec<String> = row
                .iter()
                .map(|(i, w)| format!("{} = {w:.4}", self.principles[*i as usize]))
                .collect();
            out.push_str(&format!("{} = {{ {} }}\n", quote(name), cells.join(", ")));
        }
        out
    }
}

/// Where a feature's words are in `text` (each occurrence, whole words, any case), as evidence.
/// Numbers and years (`<num>`, `<year>`) are not looked for.
pub fn spans(text: &str, feature: &str) -> Vec<Evidence> {
    spans_in(text, &word_ranges(text), feature)
}

/// The byte ranges of the words of `text` that [`spans_in`] looks through (letters, digits and
/// apostrophes): cut once for all the features of a guess.
pub fn word_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        let inner = c.is_alphanumeric() || c == '\'' || c == '’';
        match (start, inner) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                found.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    found
}

/// [`spans`], with the text's [`word_ranges`] already cut.
pub fn spans_in(text: &str, found: &[(usize, usize)], feature: &str) -> Vec<Evidence> {
    let Some(phrase) = feature
        .strip_prefix("w=")
        .or_else(|| feature.strip_prefix("b="))
    else {
        return Vec::new();
    };
    if phrase.contains('<') {
        return Vec::new();
    }
    let want: Vec<&str> = phrase.split(' ').collect();
    let mut out = Vec::new();
    for k in 0..found.len() {
        let Some(window) = found.get(k..k + want.len()) else {
            break;
        };
        let same = window.iter().zip(&want).all(|(&(s, e), w)| {
            text.get(s..e)
                .is_some_and(|t| t.trim_matches(['\'', '’']).eq_ignore_ascii_case(w))
        });
        if same {
            let (s, e) = (window[0].0, window[want.len() - 1].1);
            out.push(Evidence {
                start: s,
                end: e,
                text: text[s..e].to_string(),
            });
        }
        if out.len() >= 8 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> PrincipleModel {
        PrincipleModel::new(
            "fw",
            vec!["A".into(), "B".into()],
            0.5,
            vec![-2.0, -2.0],
            vec![
                "w=residents".into(),
                "b=ask residents".into(),
                "w=carbon".into(),
            ],
            vec![vec![1.5, 0.0], vec![1.0, 0.0], vec![0.0, 3.0]],
        )
    }

    #[test]
    fn features_found_by_their_words_are_the_features_named() {
        let texts = [
            "We will ask residents what matters to them, in 2027 and 2028.",
            "Our carbon plan: 1,500 tonnes cut by the end of the contract; we'll report it.",
            "Of the apprentices, the most were local. THE END of the Residents' survey",
        ];
        let mut names: Vec<String> = texts.iter().flat_map(|t| features(t)).collect();
        // Features no text yields: a function word alone and a pair of function words.
        names.extend(["w=the".to_string(), "b=of the".to_string()]);
        names.sort();
        names.dedup();
        let rows = vec![vec![0.5]; names.len()];
        let m = PrincipleModel::new("fw", vec!["A".into()], 0.5, vec![0.0], names, rows);
        for t in texts
            .iter()
            .chain(&["", "the of the", "residents residents carbon"])
        {
            let mut by_name: Vec<u32> = Vec::new();
            for_each_feature(t, |s| {
                if let Ok(i) = m.features.binary_search_by(|f| (*f.0).cmp(s)) {
                    by_name.push(i as u32);
                }
            });
            by_name.sort_unstable();
            by_name.dedup();
            assert_eq!(m.scores(t).1, by_name, "{t}");
        }
        assert!(!m.scores(texts[0]).1.is_empty());
    }

    #[test]
    fn dense_rows_score_and_explain_as_sparse_rows_do() {
        // Many features of equal weight, so that the order of ties among the top five counts.
        let texts = [
            "We will ask residents what matters to them, and ask residents again in 2027.",
            "Local apprentices, local suppliers and local jobs: carbon cut by 1,500 tonnes.",
            "the of the",
            "",
        ];
        let mut names: Vec<String> = texts.iter().flat_map(|t| features(t)).collect();
        names.sort();
        names.dedup();
        let rows: Vec<Vec<f32>> = (0..names.len())
            .map(|i| vec![[0.5, 0.25, 0.0, -0.125][i % 4], [0.0, 1.0][i % 2], -0.0])
            .collect();
        let dense = PrincipleModel::new(
            "fw",
            vec!["A".into(), "B".into(), "C".into()],
            0.5,
            vec![-1.0, -2.0, -0.0],
            names,
            rows,
        );
        assert!(!dense.dense.is_empty());
        let mut sparse = dense.clone();
        sparse.dense.clear();
        for t in texts {
            assert_eq!(dense.probabilities(t), sparse.probabilities(t), "{t}");
            for threshold in [0.0, 0.5] {
                let (d, s) = (dense.guess(t, threshold), sparse.guess(t, threshold));
                assert_eq!(d, s, "{t}");
                // The top five are the first five of a stable sort, strongest first.
                if let Some(g) = d {
                    let (_, found) = sparse.scores(t);
                    let mut all: Vec<(f32, &str)> = found
                        .iter()
                        .map(|&id| {
                            (
                                sparse.weight(id, g.principle),
                                &*sparse.features[id as usize].0,
                            )
                        })
                        .filter(|(w, _)| *w > 0.0)
                        .map(|(w, n)| ((w * 100.0).round() / 100.0, n))
                        .collect();
                    all.sort_by(|a, b| b.0.total_cmp(&a.0));
                    all.truncate(5);
                    let top: Vec<(f32, &str)> = g
                        .top
                        .iter()
                        .map(|f| (f.weight, f.feature.as_str()))
                        .collect();
                    assert_eq!(top, all, "{t}");
                }
            }
        }
    }

    #[test]
    fn guesses_the_principle_its_words_favour_with_the_words() {
        let g = model().guess("We will ask residents first.", 0.5).unwrap();
        assert_eq!(g.principle, 0);
        assert!(g.probability > 0.6, "{g:?}");
        assert_eq!(g.top[0].feature, "w=residents");
        assert_eq!(g.top[1].feature, "b=ask residents");
        assert_eq!(model().guess("Carbon.", 0.5).unwrap().principle, 1);
    }

    #[test]
    fn function_words_are_no_features_alone() {
        assert!(
            FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]),
            "keep the list sorted"
        );
        let f = features("We will ask the residents");
        assert!(f.contains(&"w=residents".to_string()), "{f:?}");
        assert!(f.contains(&"b=the residents".to_string()), "{f:?}");
        assert!(!f.contains(&"w=will".to_string()), "{f:?}");
        assert!(!f.contains(&"b=we will".to_string()), "{f:?}");
    }

    #[test]
    fn spans_find_the_words_of_a_feature() {
        let t = "We will ask Residents, and ask residents again.";
        let s = spans(t, "b=ask residents");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "ask Residents");
        assert_eq!(&t[s[1].start..s[1].end], "ask residents");
        assert!(spans(t, "w=<num>").is_empty());
    }

    #[test]
    fn below_the_threshold_no_guess() {
        assert!(model().guess("We will paint the fence.", 0.5).is_none());
        assert!(model().guess("ask residents", 0.99).is_none());
    }

    #[test]
    fn written_file_reads_back_the_same() {
        let mut m = model();
        m.add_threshold = Some(0.9);
        let text = m.to_toml("a test model", "today");
        let file: PrincipleModelFile = toml::from_str(&text).unwrap();
        let back = PrincipleModel::from_file(file).unwrap();
        assert_eq!(back.principles, m.principles);
        assert_eq!(back.len(), 3);
        assert_eq!(back.add_threshold, Some(0.9));
        assert_eq!(
            back.probabilities("ask residents"),
            m.probabilities("ask residents")
        );
    }

    #[test]
    fn a_bad_file_names_what_is_wrong() {
        let text = "[model]\nframework = \"fw\"\nprinciples = [\"A\"]\nbias = [0.0, 1.0]\n\
                    threshold = 1.5\n[weights]\n\"w=x\" = { Z = 1.0 }\n";
        let file: PrincipleModelFile = toml::from_str(text).unwrap();
        let errors = PrincipleModel::from_file(file).unwrap_err();
        let all: Vec<&str> = errors.iter().map(|(_, m)| m.as_str()).collect();
        assert!(all.iter().any(|m| m.contains("bias must be 1")), "{all:?}");
        assert!(all.iter().any(|m| m.contains("threshold")), "{all:?}");
        assert!(all.iter().any(|m| m.contains("Z is not one")), "{all:?}");
    }

    /// A row's name, span and weights.
    type Row = (String, std::ops::Range<usize>, Vec<(String, f64)>);

    /// The rows as the TOML parser reads them, spans included.
    fn rows_by_toml(text: &str) -> Vec<Row> {
        let file: PrincipleModelFile = toml::from_str(text).unwrap();
        flat(file.weights)
    }

    fn flat(rows: BTreeMap<String, Spanned<BTreeMap<String, f64>>>) -> Vec<Row> {
        rows.into_iter()
            .map(|(k, v)| {
                let span = v.span();
                (k, span, v.into_inner().into_iter().collect())
            })
            .collect()
    }

    #[test]
    fn weights_read_by_hand_are_what_the_toml_parser_reads() {
        let shipped = include_str!("../../rules/principle-model.toml");
        let head = "[model]\nframework = \"fw\"\nprinciples = [\"A\", \"B\"]\nbias = [0, 0]\nthreshold = 0.5\n\n[weights]\n";
        let small = format!(
            "{head}\"w=residents\" = {{ A = 1.5, B = -0.25 }}\n# a comment\n\n\"b=ask residents\" = {{ B = 3 }}\r\n\"w=none\" = {{ }}\n\"w=exp\" = {{ A = -1.5e-3, B = +2E2 }}\n"
        );
        for text in [shipped, small.as_str()] {
            let (before, rows) = split_weights(text).expect("the trainer's shape");
            assert!(before.trim_end().ends_with("[weights]"));
            assert_eq!(flat(rows), rows_by_toml(text));
            let header: PrincipleModelFile = toml::from_str(before).unwrap();
            assert!(header.weights.is_empty());
        }
        assert_eq!(rows_by_toml(&small).len(), 4);
    }

    #[test]
    fn rows_in_any_other_shape_go_to_the_toml_parser() {
        let head = "[model]\nframework = \"fw\"\nprinciples = [\"A\"]\nbias = [0]\nthreshold = 0.5\n\n[weights]\n";
        for rows in [
            "\"w=a\\\"b\" = { A = 1 }",                 // an escape in the name
            "\"w=a\" = { A = 1 } # why",                // a comment after the row
            "\"w=a\" = { A = 1 }\n\"w=a\" = { A = 2 }", // a repeated row (a TOML error)
            "\"w=a\" = { A = 1, A = 2 }",               // a repeated principle
            "\"w=a\" = { A = 01 }",                     // not a TOML number
            "\"w=a\" = { A = 1_000 }",                  // a TOML number written otherwise
            "\"w=a\" = { A = inf }",
            "\"w=a\" = {\n  A = 1 }",       // a value on two lines
            "\"w=a\" = { A = 1 }\n[other]", // another table
            "w = { A = 1 }",                // a bare name
        ] {
            assert!(
                split_weights(&format!("{head}{rows}\n")).is_none(),
                "{rows}"
            );
        }
        assert!(split_weights("[model]\nframework = \"fw\"\n").is_none());
    }
}
