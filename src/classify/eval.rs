//! Scoring the classifier against a labelled set of real published passages
//! (`../shared/realworld/dev.jsonl`, see its README): kind accuracy, commitment F1, principle
//! recall and precision, measure recall.
//!
//! The set is split by *source* (the page a passage came from), never by passage: a rule that
//! fits one page's wording must be measured on pages it was not written for. [`Split`] puts
//! each source in a part by a hash of its address, so the split is the same on every machine
//! and does not depend on the order of the file.

use std::collections::BTreeMap;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::model::{Classification, MeasureKind, MeasureValue, StatementKind};
use super::Classifier;

/// One labelled passage.
#[derive(Clone, Debug, Deserialize)]
pub struct Item {
    pub id: String,
    pub text: String,
    /// `firm` | `aspirational` | `claim` | `none`.
    pub commitment: String,
    /// Principles a correct answer must include one of.
    #[serde(default)]
    pub primary: Vec<String>,
    /// Every principle a careful reader could defend.
    #[serde(default)]
    pub ok: Vec<String>,
    #[serde(default)]
    pub measures: Vec<LabelledMeasure>,
    pub source: String,
    /// The passage's lead-in or heading, where the set gives one.
    #[serde(default)]
    pub context: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct LabelledMeasure {
    pub kind: String,
    pub value: serde_json::Value,
}

impl Item {
    /// The tenderscope kind of the label.
    pub fn kind(&self) -> Option<StatementKind> {
        Some(match self.commitment.as_str() {
            "firm" => StatementKind::Commitment,
            "aspirational" => StatementKind::Aspiration,
            "claim" => StatementKind::TrackRecord,
            "none" => StatementKind::None,
            _ => return None,
        })
    }
}

/// Read a labelled set (one JSON object a line).
pub fn read(text: &str) -> Result<Vec<Item>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let item: Item = serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1))?;
            if item.kind().is_none() {
                return Err(format!(
                    "line {}: unknown commitment label `{}`",
                    i + 1,
                    item.commitment
                ));
            }
            Ok(item)
        })
        .collect()
}

/// Which part of the set a source belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// The sources the rules may be tuned on.
    Tune,
    /// The sources kept out of tuning: the figure that estimates unseen text.
    HeldOut,
}

/// Splits sources into [`Part`]s by the hash of their address: about half each.
pub struct Split;

impl Split {
    pub fn part(source: &str) -> Part {
        let digest = Sha256::digest(source.as_bytes());
        if digest[0] & 1 == 0 {
            Part::Tune
        } else {
            Part::HeldOut
        }
    }
}

/// The scored measure kinds (duration and quantity are labelled but not scored).
fn scored_kind(kind: &str) -> Option<MeasureKind> {
    match kind {
        "count" => Some(MeasureKind::Count),
        "money" => Some(MeasureKind::Money),
        "percent" => Some(MeasureKind::Percent),
        "hours" => Some(MeasureKind::Hours),
        "date" => Some(MeasureKind::Date),
        _ => None,
    }
}

/// Whether a predicted measure equals a labelled one.
fn same_value(want: &serde_json::Value, got: &MeasureValue) -> bool {
    match (want, got) {
        (serde_json::Value::Number(n), MeasureValue::Number(g)) => n
            .as_f64()
            .is_some_and(|w| (w - g).abs() <= 1e-6 * w.abs().max(1.0)),
        (serde_json::Value::String(w), MeasureValue::Text(g)) => w == g,
        (serde_json::Value::String(w), MeasureValue::Number(g)) => {
            w.parse::<f64>().is_ok_and(|w| (w - g).abs() < 1e-9)
        }
        _ => false,
    }
}

/// What went wrong (or right) on one item, for reading the failures.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub kind_ok: bool,
    pub got_kind: StatementKind,
    pub want_kind: StatementKind,
    /// `None` when the item has no primary principle.
    pub principle_found: Option<bool>,
    /// Predicted principles outside `ok`.
    pub wrong_principles: Vec<String>,
    /// Labelled measures not found, as `kind=value`.
    pub missed_measures: Vec<String>,
}

/// Running totals of the five figures.
#[derive(Clone, Debug, Default)]
pub struct Scores {
    pub items: usize,
    pub kind_ok: usize,
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub with_primary: usize,
    pub primary_found: usize,
    pub predicted: usize,
    pub allowed: usize,
    pub measures: usize,
    pub measures_found: usize,
    /// (labelled kind, predicted kind) counts.
    pub confusion: BTreeMap<(StatementKind, StatementKind), usize>,
    /// Per principle: (items with it in `primary`, of those found).
    pub by_principle: BTreeMap<String, (usize, usize)>,
    /// Per measure kind: (labelled, found).
    pub by_measure: BTreeMap<String, (usize, usize)>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

impl Scores {
    /// Score one item against its classification.
    pub fn add(&mut self, item: &Item, c: &Classification) -> Outcome {
        let want = item.kind().unwrap_or(StatementKind::None);
        self.items += 1;
        let kind_ok = c.kind == want;
        self.kind_ok += usize::from(kind_ok);
        *self.confusion.entry((want, c.kind)).or_default() += 1;
        match (
            want == StatementKind::Commitment,
            c.kind == StatementKind::Commitment,
        ) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }

        let got: Vec<&str> = c.principles.iter().map(|p| p.id.as_str()).collect();
        let principle_found = if item.primary.is_empty() {
            None
        } else {
            self.with_primary += 1;
            let found = got.iter().any(|g| item.primary.iter().any(|p| p == g));
            self.primary_found += usize::from(found);
            for p in &item.primary {
                let e = self.by_principle.entry(p.clone()).or_default();
                e.0 += 1;
                e.1 += usize::from(got.contains(&p.as_str()));
            }
            Some(found)
        };
        let mut wrong_principles = Vec::new();
        for g in &got {
            self.predicted += 1;
            if item.ok.iter().any(|o| o == g) {
                self.allowed += 1;
            } else {
                wrong_principles.push(g.to_string());
            }
        }

        let mut missed_measures = Vec::new();
        for m in &item.measures {
            let Some(kind) = scored_kind(&m.kind) else {
                continue;
            };
            self.measures += 1;
            let found = c
                .measures
                .iter()
                .any(|g| g.kind == kind && same_value(&m.value, &g.value));
            self.measures_found += usize::from(found);
            let e = self.by_measure.entry(m.kind.clone()).or_default();
            e.0 += 1;
            e.1 += usize::from(found);
            if !found {
                missed_measures.push(format!("{}={}", m.kind, m.value));
            }
        }
        Outcome {
            kind_ok,
            got_kind: c.kind,
            want_kind: want,
            principle_found,
            wrong_principles,
            missed_measures,
        }
    }

    /// Add another part's totals (confusion and per-principle counts included).
    pub fn merge(&mut self, s: &Scores) {
        self.items += s.items;
        self.kind_ok += s.kind_ok;
        self.tp += s.tp;
        self.fp += s.fp;
        self.fn_ += s.fn_;
        self.with_primary += s.with_primary;
        self.primary_found += s.primary_found;
        self.predicted += s.predicted;
        self.allowed += s.allowed;
        self.measures += s.measures;
        self.measures_found += s.measures_found;
        for (k, n) in &s.confusion {
            *self.confusion.entry(*k).or_default() += n;
        }
        for (maps, other) in [
            (&mut self.by_principle, &s.by_principle),
            (&mut self.by_measure, &s.by_measure),
        ] {
            for (k, (n, f)) in other {
                let e = maps.entry(k.clone()).or_default();
                e.0 += n;
                e.1 += f;
            }
        }
    }

    pub fn kind_accuracy(&self) -> f64 {
        ratio(self.kind_ok, self.items)
    }

    pub fn commitment_f1(&self) -> f64 {
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    pub fn principle_recall(&self) -> f64 {
        ratio(self.primary_found, self.with_primary)
    }

    pub fn principle_precision(&self) -> f64 {
        ratio(self.allowed, self.predicted)
    }

    pub fn measure_recall(&self) -> f64 {
        ratio(self.measures_found, self.measures)
    }

    /// The five figures on one line.
    pub fn line(&self) -> String {
        format!(
            "items {:>4}  kind {:.3}  commitment F1 {:.3}  principle recall {:.3}  precision {:.3}  measure recall {:.3}",
            self.items,
            self.kind_accuracy(),
            self.commitment_f1(),
            self.principle_recall(),
            self.principle_precision(),
            self.measure_recall()
        )
    }
}

/// Classify every item, scored per part; calls `each` with every item's outcome.
///
/// With `principles_any_kind`, principles are scored as the themes map them even where the
/// kind is `none` (which otherwise clears them): it measures the principle rules alone.
pub fn evaluate(
    classifier: &Classifier,
    items: &[Item],
    principles_any_kind: bool,
    mut each: impl FnMut(&Item, &Classification, &Outcome),
) -> BTreeMap<Part, Scores> {
    let mut parts: BTreeMap<Part, Scores> = BTreeMap::new();
    for item in items {
        let mut c = classifier.classify(&item.text);
        if principles_any_kind {
            if let Some(fw) = classifier.rules.frameworks.get(classifier.framework) {
                c.principles = super::themes::map(classifier.rules, fw, &item.text).1;
            }
        }
        let outcome = parts
            .entry(Split::part(&item.source))
            .or_default()
            .add(item, &c);
        each(item, &c, &outcome);
    }
    parts
}
