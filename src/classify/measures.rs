//! Measures: the numbers, money, dates, places and groups that make a statement specific.
//!
//! The measure rules (data) find candidates; this module turns each into a normalised value
//! by its kind, reading the named groups of the rule's regex:
//!
//! | kind | groups | value | unit |
//! |---|---|---|---|
//! | money | `num`, `mult`, `per` | pounds | `GBP`, `GBP/year`, `GBP/month`, `GBP/week`, `GBP/hour` |
//! | percent | `num` | the number | `%` |
//! | hours | `num` | the number | `hour` |
//! | fte | `num` | the number | `FTE` |
//! | duration | `num`, `unit` | the number | `minute`, `hour`, `day`, `weekend`, `week`, `month`, `year` |
//! | date | `year`, `month`, `quarter` | `YYYY` or `YYYY-MM` | none |
//! | count | `num`, `what` | the number | what is counted, singular |
//! | place, group | (terms) | the rule's `value`, or the term as written in the rule | none |
//!
//! Where numeric candidates overlap, the more specific kind wins: money, percent, FTE, duration
//! ("within 24 hours" is a deadline, not hours given), hours, date, then count; among equals the
//! longer match. Places and groups compete only among themselves.

use regex::Captures;

use super::load::RuleSet;
use super::model::{Measure, MeasureKind, MeasureValue};
use super::numbers::{month_number, multiplier, parse_number};
use super::pattern::HitSource;

/// Most measures kept from one passage.
const MAX_MEASURES: usize = 256;

/// All measures in `text`, in text order.
pub fn extract(rules: &RuleSet, text: &str) -> Vec<Measure> {
    let mut found: Vec<Measure> = Vec::new();
    for hit in rules.measure_layer.scan(text) {
        let Some(def) = rules.measures.get(hit.matcher) else {
            continue;
        };
        let Some(matched) = text.get(hit.start..hit.end) else {
            continue;
        };
        let mut end = hit.end;
        let normalised = match hit.source {
            HitSource::Regex(i) => {
                let Some(caps) = rules
                    .measure_layer
                    .regex(i)
                    .and_then(|re| re.captures_at(text, hit.start))
                    .filter(|c| c.get(0).is_some_and(|m| m.start() == hit.start))
                else {
                    continue;
                };
                let n = normalise(def.kind, &caps, def.value.as_deref());
                if def.kind == MeasureKind::Count {
                    match n.and_then(|n| trim_count(text, &caps, n)) {
                        Some((e, n)) => {
                            end = e;
                            Some(n)
                        }
                        None => None,
                    }
                } else {
                    n
                }
            }
            HitSource::Term(i) => {
                let value = def
                    .value
                    .clone()
                    .or_else(|| rules.measure_layer.term(i).map(str::to_string))
                    .unwrap_or_else(|| matched.to_string());
                Some((MeasureValue::Text(value), None))
            }
        };
        if let Some((value, unit)) = normalised {
            found.push(Measure {
                kind: def.kind,
                value,
                unit,
                text: text.get(hit.start..end).unwrap_or(matched).to_string(),
                start: hit.start,
                end,
                rule: def.id.clone(),
            });
        }
    }
    resolve_overlaps(found)
}

/// Which kinds compete for the same words, and which wins: lower first.
fn rank(kind: MeasureKind) -> (u8, u8) {
    match kind {
        MeasureKind::Money => (0, 0),
        MeasureKind::Percent => (0, 1),
        MeasureKind::Fte => (0, 2),
        MeasureKind::Duration => (0, 3),
        MeasureKind::Hours => (0, 4),
        MeasureKind::Date => (0, 5),
        MeasureKind::Count => (0, 6),
        MeasureKind::Place => (1, 0),
        MeasureKind::Group => (2, 0),
    }
}

fn resolve_overlaps(mut found: Vec<Measure>) -> Vec<Measure> {
    found.sort_by(|a, b| {
        rank(a.kind)
            .cmp(&rank(b.kind))
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Measure> = Vec::new();
    for m in found {
        let family = rank(m.kind).0;
        let clash = kept
            .iter()
            .any(|k| rank(k.kind).0 == family && k.start < m.end && m.start < k.end);
        if !clash && kept.len() < MAX_MEASURES {
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| (m.start, m.end));
    kept
}

fn group<'t>(caps: &Captures<'t>, name: &str) -> Option<&'t str> {
    caps.name(name)
        .map(|m| m.as_str())
        .filter(|s| !s.trim().is_empty())
}

fn normalise(
    kind: MeasureKind,
    caps: &Captures,
    fixed: Option<&str>,
) -> Option<(MeasureValue, Option<String>)> {
    let number = || group(caps, "num").and_then(parse_number);
    let num = |unit: &str| number().map(|v| (MeasureValue::Number(v), Some(unit.to_string())));
    match kind {
        MeasureKind::Money => {
            let value = number()? * group(caps, "mult").map(multiplier).unwrap_or(1.0);
            let unit = match group(caps, "per").map(|s| s.to_ascii_lowercase()) {
                Some(p) if p.contains("hour") => "GBP/hour",
                Some(p) if p.contains("week") => "GBP/week",
                Some(p) if p.contains("month") => "GBP/month",
                Some(p) if p.contains("total") || p.contains("overall") => "GBP",
                Some(_) => "GBP/year",
                None => "GBP",
            };
            Some((MeasureValue::Number(round(value)), Some(unit.into())))
        }
        MeasureKind::Percent => num("%"),
        MeasureKind::Hours => num("hour"),
        MeasureKind::Fte => num("FTE"),
        MeasureKind::Duration => {
            let unit = group(caps, "unit")?.to_ascii_lowercase();
            let unit = ["minute", "hour", "day", "weekend", "week", "month", "year"]
                .into_iter()
                .find(|u| unit.starts_with(u))?;
            // "within a year": no number written means one.
            let n = match group(caps, "num") {
                Some(text) => parse_number(text)?,
                None => 1.0,
            };
            Some((MeasureValue::Number(n), Some(unit.to_string())))
        }
        MeasureKind::Date => {
            let year: u32 = group(caps, "year")?.parse().ok()?;
            if !(1950..=2100).contains(&year) {
                return None;
            }
            let month = group(caps, "month").and_then(month_number).or_else(|| {
                group(caps, "quarter").and_then(|q| {
                    let n: u32 = q.trim_start_matches(['Q', 'q']).parse().ok()?;
                    (1..=4).contains(&n).then(|| (n - 1) * 3 + 1)
                })
            });
            let value = match month {
                Some(m) => format!("{year:04}-{m:02}"),
                None => format!("{year:04}"),
            };
            Some((MeasureValue::Text(value), None))
        }
        MeasureKind::Count => {
            let what = counted(group(caps, "what")?);
            number().map(|v| (MeasureValue::Number(v), Some(what)))
        }
        MeasureKind::Place | MeasureKind::Group => {
            let value = fixed
                .map(str::to_string)
                .or_else(|| caps.get(0).map(|m| m.as_str().to_string()))?;
            Some((MeasureValue::Text(value), None))
        }
    }
}

/// Words before a number that make it a label, not a count: "Level 2", "Year 10", "Scope 3".
const LABEL_WORDS: &[&str] = &[
    "level", "year", "years", "scope", "stage", "phase", "key", "ppn", "iso", "page", "section",
    "lot", "annex", "appendix", "question", "no", "number", "tier", "band", "grade", "step",
    "schedule", "clause", "table", "figure", "version", "nvq", "aged", "ages", "age",
];

/// Small words that end what a count counts: "12 apprentices and trainees" counts apprentices.
const STOP_WORDS: &[&str] = &[
    "of", "a", "an", "the", "to", "and", "or", "in", "for", "from", "with", "per", "each", "every",
    "at", "on", "by", "our", "their", "its", "this", "that", "these", "those", "will", "be", "is",
    "are", "was", "were", "have", "has", "who", "which", "into", "across", "than",
];

/// Words that make a number a length of time or a rate, not a count.
const UNIT_WORDS: &[&str] = &[
    "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "weekend", "weekends",
    "month", "months", "year", "years", "per", "percent", "pounds", "times", "fte", "hrs",
];

type Normalised = (MeasureValue, Option<String>);

/// Check and trim a count: not a year, not money, not a label, not a unit of time; what is
/// counted ends before the first small word and must end in a countable noun. Returns the new
/// end of the match and the normalised value with what is counted as its unit.
fn trim_count(text: &str, caps: &Captures, normalised: Normalised) -> Option<(usize, Normalised)> {
    let (value, _) = normalised;
    let num = caps.name("num")?;
    let what = caps.name("what")?;
    let before = text.get(..num.start())?;
    if after_label(text, num.start()) || before.ends_with(['£', '$', '€']) {
        return None;
    }
    let is_year = num.as_str().len() == 4
        && num.as_str().chars().all(|c| c.is_ascii_digit())
        && matches!(value, MeasureValue::Number(n) if (1900.0..=2100.0).contains(&n));
    if is_year {
        return None;
    }
    // Words of what is counted, with their byte ranges in `text`.
    let mut words: Vec<(usize, usize, &str)> = Vec::new();
    let mut offset = what.start();
    for w in what.as_str().split(char::is_whitespace) {
        if !w.is_empty() {
            words.push((offset, offset + w.len(), w));
        }
        offset += w.len() + 1;
    }
    let lower = |w: &str| w.to_ascii_lowercase();
    if words
        .first()
        .is_some_and(|(_, _, w)| UNIT_WORDS.contains(&lower(w).as_str()))
    {
        return None;
    }
    let kept = words
        .iter()
        .position(|(_, _, w)| STOP_WORDS.contains(&lower(w).as_str()))
        .unwrap_or(words.len());
    let kept = words.get(..kept)?;
    let &(_, end, last) = kept.last()?;
    if !countable(last) {
        return None;
    }
    let counted_words: Vec<&str> = kept.iter().map(|(_, _, w)| *w).collect();
    Some((end, (value, Some(counted(&counted_words.join(" "))))))
}

/// A noun that can be counted: a plural, or one of a few collective nouns.
fn countable(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    [
        "people",
        "staff",
        "children",
        "youth",
        "women",
        "men",
        "personnel",
        "workforce",
    ]
    .contains(&w.as_str())
        || (w.len() > 2 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us"))
}

/// Whether the word before `start` makes the number a label.
fn after_label(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    let word = before
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    LABEL_WORDS.contains(&word.as_str())
}

/// What a count counts, in the singular, without leading words that only say how many are
/// new or extra: "new apprenticeships" -> "apprenticeship".
fn counted(what: &str) -> String {
    const FILLER: &[&str] = &[
        "new",
        "additional",
        "extra",
        "more",
        "further",
        "the",
        "separate",
        "different",
    ];
    let mut words: Vec<&str> = what.split_whitespace().collect();
    while words.len() > 1
        && words
            .first()
            .is_some_and(|w| FILLER.contains(&w.to_ascii_lowercase().as_str()))
    {
        words.remove(0);
    }
    let Some(last) = words.pop() else {
        return String::new();
    };
    let singular = singular(last);
    words.push(&singular);
    words.join(" ")
}

fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let irregular = [
        ("people", "person"),
        ("children", "child"),
        ("women", "woman"),
        ("men", "man"),
    ];
    if let Some((_, s)) = irregular.iter().find(|(p, _)| *p == lower) {
        return s.to_string();
    }
    if ["staff", "personnel", "workforce", "youth", "series"].contains(&lower.as_str()) {
        return word.to_string();
    }
    if let Some(stem) = word.strip_suffix("ies").filter(|s| s.len() > 1) {
        return format!("{stem}y");
    }
    for suffix in ["ches", "shes", "sses", "xes"] {
        if word.ends_with(suffix) {
            return word[..word.len() - 2].to_string();
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') && !stem.is_empty() => stem.to_string(),
        _ => word.to_string(),
    }
}

fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}
