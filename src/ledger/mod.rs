//! The commitments ledger: what each awarded supplier promised against what its monitoring
//! returns say it delivered.
//!
//! [`build`] is a pure function over the index's records: the tender-stage commitments and
//! the delivery-stage passages (`ingest --stage delivery --period P`). For each supplier with
//! at least one return, every commitment with a social value theme becomes a [`Row`] with its [`Target`]
//! ([`read_target`]), the delivered figures linked to it ([`matching`], each link with its
//! reason), per period and to date, and its [`Status`] ([`status`]). Delivered figures that
//! answer no commitment are rows of their own with `unmatched: true`.
//!
//! Figures per period and to date are kept apart: a period's figure is the largest the
//! return gives for that commitment in that period (a narrative and its KPI sheet repeat the
//! same number; they are not added); the figure to date is the latest cumulative figure
//! reported plus the period figures of later periods, or, when no cumulative figure was
//! reported, the sum of the period figures.
//!
//! The contract's start is the first month of the earliest return of the tender unless
//! given; the ledger is judged as at the last month of the latest return unless given.

pub mod figures;
pub mod matching;
pub mod status;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::classify::{MeasureKind, MeasureValue, StatementKind};
use crate::index::records::{DocumentRecord, PassageRecord};
use crate::period::{Month, Period, Stage};
use figures::Figure;
use matching::Promise;
pub use status::{Judgement, Progress, Shape, Status, Target};

/// What a ledger is built for.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only this tender (matched in any case).
    pub tender: Option<String>,
    /// Only this supplier (matched ignoring case and spacing).
    pub supplier: Option<String>,
    /// The contract's first month (default: the first month of the earliest return).
    pub start: Option<Month>,
    /// The month the ledger is judged at (default: the last month of the latest return).
    pub as_of: Option<Month>,
}

/// One figure behind a row: where it is written.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Evidence {
    pub period: Period,
    pub value: f64,
    /// Over the contract to date (`true`) or for the period alone.
    pub cumulative: bool,
    /// The figure's words.
    pub figure: String,
    /// The file (its origin) and page.
    pub file: String,
    pub page: u64,
    /// The passage's text.
    pub quote: String,
    pub passage: String,
    /// Why this figure answers the commitment (absent for an unmatched figure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A period's figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodFigure {
    pub period: Period,
    pub value: f64,
}

/// One ledger row: a commitment with what was delivered against it, or a delivered figure
/// that answers no commitment (`unmatched`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Row {
    pub tender: String,
    pub supplier: String,
    /// The commitment's text (`None` for an unmatched figure).
    pub commitment: Option<String>,
    /// The commitment's passage id, file and page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment_page: Option<u64>,
    pub target: Option<Target>,
    /// What was expected by `as_of` (see [`status::expected`]).
    pub expected: Option<f64>,
    /// Delivered over the contract to date.
    pub cumulative: Option<f64>,
    /// Delivered in each period (figures for the period alone), oldest first.
    pub delivered: Vec<PeriodFigure>,
    /// Running totals the returns reported, by period.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reported_to_date: Vec<PeriodFigure>,
    /// `None` for an unmatched figure.
    pub status: Option<Status>,
    pub evidence: Vec<Evidence>,
    /// Why the figures were linked to this commitment (one line per distinct reason).
    pub link: Vec<String>,
    pub unmatched: bool,
    /// Returns behind this row that corrected earlier ones (what they replaced).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrected: Vec<String>,
    /// Anything else the reader must know (a target with no date, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub as_of: Month,
}

/// The ledger with the months it was judged by.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Ledger {
    pub rows: Vec<Row>,
}

/// A ledger figure as every view writes it (terminal, web page, report): whole numbers
/// without decimals, others to one place.
pub fn figure_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// Whether a commitment's quantity is per year ("120 hours a year", "£12,000 per annum";
/// not "a year's mobile data").
fn per_year(text: &str) -> bool {
    static CUE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(?:(?:a|per|each|every)\s+year(?:[^'’\w]|$)|per\s+annum|annually|yearly)",
        )
        .ok()
    });
    CUE.as_ref().is_some_and(|re| re.is_match(text))
}

/// A passage's quantities with a finite value, in text order.
fn quantities(p: &PassageRecord) -> Vec<&crate::classify::Measure> {
    p.measures
        .iter()
        .filter(|m| {
            m.kind.is_quantity() && matches!(m.value, MeasureValue::Number(v) if v.is_finite())
        })
        .collect()
}

/// Where a passage's own text starts in its classified text (after a list item's lead-in).
fn own_start(p: &PassageRecord, classified: &str) -> usize {
    if classified.ends_with(p.text.as_str()) {
        classified.len() - p.text.len()
    } else {
        0
    }
}

/// Whether a list item states a quantity of its own, so that its target is its own.
fn has_own_quantity(p: &PassageRecord, classified: &str) -> bool {
    let start = own_start(p, classified);
    quantities(p).iter().any(|m| m.start >= start)
}

/// The target a commitment's text sets (see [`status`]): its first quantity with a unit, in
/// text order (else its first quantity), and its dates: one written "from ..." is when it
/// starts, the latest other one when it is due. `None` when it has no quantity.
pub fn read_target(p: &PassageRecord, classified: &str) -> Option<Target> {
    let quantities = quantities(p);
    // An item of a list is classified after its lead-in ("We will cut this by 30%: ...;
    // recycling at least 95% of road planings"): its own quantity is its target, the
    // lead-in's only when it has none.
    let own_start = own_start(p, classified);
    let own: Vec<_> = quantities
        .iter()
        .copied()
        .filter(|m| m.start >= own_start)
        .collect();
    let pool = if own.is_empty() { &quantities } else { &own };
    let primary = pool
        .iter()
        .find(|m| m.unit.is_some())
        .or_else(|| pool.first())?;
    let MeasureValue::Number(value) = primary.value else {
        return None;
    };
    let mut due: Option<Month> = None;
    let mut start: Option<Month> = None;
    for m in &p.measures {
        if m.kind != MeasureKind::Date {
            continue;
        }
        let MeasureValue::Text(d) = &m.value else {
            continue;
        };
        let Some(month) = Month::parse_date(d) else {
            continue;
        };
        let lower = m.text.to_lowercase();
        if lower.starts_with("from") || lower.starts_with("starting") {
            start = Some(start.map_or(month, |s: Month| s.min(month)));
        } else if !lower.starts_with("since") && !lower.starts_with("in ") {
            due = Some(due.map_or(month, |d: Month| d.max(month)));
        }
    }
    let shape = if primary.kind == MeasureKind::Percent {
        Shape::Rate
    } else if per_year(classified) || primary.unit.as_deref() == Some("GBP/year") {
        Shape::PerYear
    } else {
        match due {
            Some(d) if value <= 1.0 && primary.kind == MeasureKind::Count => {
                Shape::Milestone { due: d }
            }
            d => Shape::Total { due: d },
        }
    };
    Some(Target {
        kind: primary.kind,
        value,
        unit: primary.unit.clone(),
        text: primary.text.clone(),
        shape,
        start,
    })
}

/// Words that say where or who, not what: the place names a passage's measures found, and
/// the supplier's own name ("New permanent jobs at Greenshoots" and a sheet headed
/// "Greenshoots CIC" share no subject).
fn places(p: &PassageRecord) -> Vec<&str> {
    p.measures
        .iter()
        .filter(|m| m.kind == MeasureKind::Place)
        .map(|m| m.text.as_str())
        .chain(p.provenance.supplier.split(['-', '_', ' ']))
        .collect()
}

/// A passage's classified text and whether it is a table row, from its stored detail.
fn context_of(p: &PassageRecord) -> (Option<String>, bool) {
    match p.detail() {
        Ok(d) => (
            d.passage.lead_in.clone(),
            d.passage.kind == crate::passage::PassageKind::TableRow,
        ),
        Err(_) => (None, false),
    }
}

struct Commitment<'a> {
    record: &'a PassageRecord,
    target: Option<Target>,
    promise: Option<Promise>,
}

struct Delivered<'a> {
    record: &'a PassageRecord,
    period: Period,
    figure: Figure,
    words: BTreeSet<String>,
}

/// Build the ledger from every passage and document record of an index.
pub fn build(passages: &[PassageRecord], documents: &[DocumentRecord], opts: &Options) -> Ledger {
    use crate::ingest::delivery::key;
    let wanted = |tender: &str, supplier: &str| {
        opts.tender.as_deref().is_none_or(|t| key(t) == key(tender))
            && opts
                .supplier
                .as_deref()
                .is_none_or(|s| key(s) == key(supplier))
    };
    // Corrections, by the origin of the return file that made them.
    let corrections: HashMap<&str, &DocumentRecord> = documents
        .iter()
        .filter(|d| !d.replaced.is_empty())
        .map(|d| (d.provenance.origin.as_str(), d))
        .collect();

    type Key = (String, String);
    let mut commitments: BTreeMap<Key, Vec<Commitment>> = BTreeMap::new();
    let mut delivered: BTreeMap<Key, Vec<Delivered>> = BTreeMap::new();
    let mut months: BTreeMap<String, (Month, Month)> = BTreeMap::new();
    for p in passages {
        let prov = &p.provenance;
        if !wanted(&prov.tender, &prov.supplier) {
            continue;
        }
        let k = (prov.tender.clone(), prov.supplier.clone());
        match (prov.stage, prov.period) {
            // Commitments of social value: ones that evidence a theme (a method statement's
            // response times are the contract's, not the ledger's).
            (Stage::Tender, _) if p.kind == StatementKind::Commitment && !p.themes.is_empty() => {
                let (lead_in, table_row) = context_of(p);
                let classified = match &lead_in {
                    Some(l) => format!("{l} {}", p.text),
                    None => p.text.clone(),
                };
                let target = read_target(p, &classified);
                // A table row's header ("Ref | Commitment | Target") is not its wording, and
                // a list item with a quantity of its own is about that, not its lead-in.
                let own = if table_row || (lead_in.is_some() && has_own_quantity(p, &classified)) {
                    &p.text
                } else {
                    &classified
                };
                let promise = target.as_ref().map(|t| Promise {
                    kind: t.kind,
                    unit: t.unit.clone(),
                    words: matching::words_without(own, &places(p)),
                    themes: p.themes.iter().cloned().collect(),
                    principles: p.principles.iter().cloned().collect(),
                });
                commitments.entry(k).or_default().push(Commitment {
                    record: p,
                    target,
                    promise,
                });
            }
            (Stage::Delivery, Some(period)) => {
                let span = months
                    .entry(prov.tender.clone())
                    .or_insert((period.start, period.end));
                span.0 = span.0.min(period.start);
                span.1 = span.1.max(period.end);
                let (lead_in, table_row) = context_of(p);
                // A sheet of quarters by row ("2028 Q1 | 2 | 4.5"): a row of another period
                // than the return's is history, reported in its own return.
                let other_period = table_row
                    && figures::row_period(&p.text)
                        .is_some_and(|(from, to)| to < period.start || from > period.end);
                let found = if other_period {
                    Vec::new()
                } else {
                    figures::figures(p, lead_in.as_deref(), table_row)
                };
                for figure in found {
                    let mut words = matching::words_without(&figure.context, &places(p));
                    if let Some(u) = &figure.unit {
                        words.extend(matching::words(u));
                    }
                    delivered.entry(k.clone()).or_default().push(Delivered {
                        record: p,
                        period,
                        figure,
                        words,
                    });
                }
                delivered.entry(k).or_default();
            }
            _ => {}
        }
    }

    let mut rows = Vec::new();
    for (k, figures) in &delivered {
        let (tender, supplier) = k;
        let Some(&(first, last)) = months.get(tender) else {
            continue;
        };
        let start = opts.start.unwrap_or(first);
        let as_of = opts.as_of.unwrap_or(last);
        let empty = Vec::new();
        let promised = commitments.get(k).unwrap_or(&empty);
        // Link every figure to its best commitments.
        let mut links: Vec<Vec<(usize, String)>> = vec![Vec::new(); promised.len()];
        let mut unmatched: Vec<&Delivered> = Vec::new();
        for (j, d) in figures.iter().enumerate() {
            let themes: BTreeSet<String> = d.record.themes.iter().cloned().collect();
            let principles: BTreeSet<String> = d.record.principles.iter().cloned().collect();
            let fits: Vec<(usize, matching::Fit)> = promised
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let promise = c.promise.as_ref()?;
                    matching::fit(&d.figure, &d.words, &themes, &principles, promise)
                        .map(|f| (i, f))
                })
                .collect();
            if fits.is_empty() {
                unmatched.push(d);
            }
            for (i, f) in matching::best(fits) {
                if let Some(l) = links.get_mut(i) {
                    l.push((j, f.reason));
                }
            }
        }
        for (c, linked) in promised.iter().zip(&links) {
            let evidence: Vec<(&Delivered, &String)> = linked
                .iter()
                .filter_map(|(j, reason)| figures.get(*j).map(|d| (d, reason)))
                .collect();
            rows.push(commitment_row(
                tender,
                supplier,
                c,
                &evidence,
                &corrections,
                start,
                as_of,
            ));
        }
        for d in unmatched {
            rows.push(Row {
                tender: tender.clone(),
                supplier: supplier.clone(),
                commitment: None,
                commitment_id: None,
                commitment_file: None,
                commitment_page: None,
                target: None,
                expected: None,
                cumulative: d.figure.cumulative.then_some(d.figure.value),
                delivered: if d.figure.cumulative {
                    Vec::new()
                } else {
                    vec![PeriodFigure {
                        period: d.period,
                        value: d.figure.value,
                    }]
                },
                reported_to_date: Vec::new(),
                status: None,
                evidence: vec![evidence_of(d, None)],
                link: Vec::new(),
                unmatched: true,
                corrected: corrected_notes(&[d], &corrections),
                note: Some(format!(
                    "a {} figure that answers no commitment of {supplier}",
                    d.figure.kind
                )),
                as_of,
            });
        }
    }
    Ledger { rows }
}

fn evidence_of(d: &Delivered, reason: Option<&String>) -> Evidence {
    Evidence {
        period: d.period,
        value: d.figure.value,
        cumulative: d.figure.cumulative,
        figure: d.figure.text.clone(),
        file: d.record.provenance.origin.clone(),
        page: d.record.page,
        quote: d.record.text.clone(),
        passage: d.record.provenance.id.clone(),
        reason: reason.cloned(),
    }
}

fn corrected_notes(ds: &[&Delivered], corrections: &HashMap<&str, &DocumentRecord>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in ds {
        let origin = d.record.provenance.origin.as_str();
        if let Some(doc) = corrections.get(origin) {
            for old in &doc.replaced {
                let note = if old == origin {
                    format!(
                        "{}: {origin} was corrected (re-ingested after a change)",
                        d.period
                    )
                } else {
                    format!("{}: {origin} corrects {old}", d.period)
                };
                if !out.contains(&note) {
                    out.push(note);
                }
            }
        }
    }
    out.sort();
    out
}

fn commitment_row(
    tender: &str,
    supplier: &str,
    c: &Commitment,
    linked: &[(&Delivered, &String)],
    corrections: &HashMap<&str, &DocumentRecord>,
    start: Month,
    as_of: Month,
) -> Row {
    // Per period: the largest figure for the period alone, and the largest running total.
    let mut per_period: BTreeMap<Period, f64> = BTreeMap::new();
    let mut to_date: BTreeMap<Period, f64> = BTreeMap::new();
    for (d, _) in linked {
        if d.period.end > as_of {
            continue;
        }
        let slot = if d.figure.cumulative {
            to_date.entry(d.period).or_insert(f64::MIN)
        } else {
            per_period.entry(d.period).or_insert(f64::MIN)
        };
        *slot = slot.max(d.figure.value);
    }
    let progress = if linked.is_empty() || (per_period.is_empty() && to_date.is_empty()) {
        None
    } else {
        let cumulative = match to_date.iter().next_back() {
            Some((last, &reported)) => {
                reported
                    + per_period
                        .iter()
                        .filter(|(p, _)| *p > last)
                        .map(|(_, v)| v)
                        .sum::<f64>()
            }
            None => per_period.values().sum(),
        };
        let latest_period = per_period.keys().chain(to_date.keys()).max().copied();
        let latest = latest_period
            .and_then(|p| {
                let a = per_period.get(&p).copied();
                let b = to_date.get(&p).copied();
                match (a, b) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                }
            })
            .unwrap_or(0.0);
        Some(Progress { cumulative, latest })
    };
    let judgement = status::decide(c.target.as_ref(), progress, start, as_of);
    let mut link: Vec<String> = linked.iter().map(|(_, r)| (*r).clone()).collect();
    link.sort();
    link.dedup();
    let ds: Vec<&Delivered> = linked.iter().map(|(d, _)| *d).collect();
    let note = match (&c.target, judgement.status) {
        (None, _) => Some("no quantity to count: judge by reading the evidence".to_string()),
        (Some(t), _) if t.shape == (Shape::Total { due: None }) => {
            Some("the commitment names no date: nothing says how much is due by now".to_string())
        }
        _ => None,
    };
    let is_rate = c.target.as_ref().is_some_and(|t| t.shape == Shape::Rate);
    Row {
        tender: tender.to_string(),
        supplier: supplier.to_string(),
        commitment: Some(c.record.text.clone()),
        commitment_id: Some(c.record.provenance.id.clone()),
        commitment_file: Some(c.record.provenance.origin.clone()),
        commitment_page: Some(c.record.page),
        target: c.target.clone(),
        expected: judgement.expected.map(round2),
        cumulative: progress.map(|p| round2(if is_rate { p.latest } else { p.cumulative })),
        delivered: per_period
            .iter()
            .map(|(p, v)| PeriodFigure {
                period: *p,
                value: *v,
            })
            .collect(),
        reported_to_date: to_date
            .iter()
            .map(|(p, v)| PeriodFigure {
                period: *p,
                value: *v,
            })
            .collect(),
        status: Some(judgement.status),
        evidence: linked
            .iter()
            .map(|(d, r)| evidence_of(d, Some(r)))
            .collect(),
        link,
        unmatched: false,
        corrected: corrected_notes(&ds, corrections),
        note,
        as_of,
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Read the records a ledger needs from an index and build it: tender-stage commitments,
/// every delivery-stage passage and the document records. A record that cannot be read
/// stops it (a ledger with a silently missing return would read as "no evidence").
pub fn read(records: &crate::index::records::Records, opts: &Options) -> crate::Result<Ledger> {
    use crate::index::records::Record;
    let mut passages = Vec::new();
    let mut documents = Vec::new();
    records.for_each(|rec| {
        match rec? {
            Record::Passage(p)
                if p.provenance.stage == Stage::Delivery || p.kind == StatementKind::Commitment =>
            {
                passages.push(p)
            }
            Record::Document(d) if d.provenance.stage == Stage::Delivery => documents.push(d),
            _ => {}
        }
        Ok(())
    })?;
    // The index's order is not the reading order: sort by file and position.
    passages.sort_by(|a, b| {
        (&a.provenance.origin, a.paragraph).cmp(&(&b.provenance.origin, b.paragraph))
    });
    Ok(build(&passages, &documents, opts))
}

#[cfg(test)]
mod tests {
    use super::per_year;

    #[test]
    fn per_year_cues_and_a_years_data() {
        assert!(per_year("120 hours a year to careers activity"));
        assert!(per_year("Each year"));
        assert!(per_year("£12,000 per annum"));
        assert!(per_year("10 a year"));
        assert!(!per_year(
            "120 laptops over the contract, with a year's mobile data"
        ));
        assert!(!per_year("within a yearning"));
    }
}
