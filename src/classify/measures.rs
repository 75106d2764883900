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

use regex::{Captures, Regex};

use super::load::RuleSet;
use super::model::{Measure, MeasureKind, MeasureValue};
use super::numbers::{month_number, multiplier, parse_number};
use super::pattern::{self, Hit, HitSource};

/// Most measures kept from one passage.
const MAX_MEASURES: usize = 256;

/// All measures in `text`, in text order.
pub fn extract(rules: &RuleSet, text: &str) -> Vec<Measure> {
    extract_lowered(rules, text, &pattern::lowered(text))
}

/// [`extract`] with the [`pattern::lowered`] text already made (the classifier lowers a
/// passage once for all its layers).
pub fn extract_lowered(rules: &RuleSet, text: &str, lower: &str) -> Vec<Measure> {
    let mut found: Vec<Measure> = Vec::new();
    // Counts that need another count before them (a number in words in a list), by index.
    let mut listed: Vec<usize> = Vec::new();
    // Numbers like years that are counts here ("2000 trees"): (start, end) of the number.
    let mut year_counts: Vec<(usize, usize)> = Vec::new();
    let mut hits = rules.measure_layer.scan_lowered(text, lower);
    let mut next = 0;
    while let Some(&hit) = hits.get(next) {
        next += 1;
        let Some(def) = rules.measures.get(hit.matcher) else {
            continue;
        };
        let Some(matched) = text.get(hit.start..hit.end) else {
            continue;
        };
        // A number already taken by a kind that wins over this one ("£2,500" for a count,
        // "6 months" for a date), or inside a longer measure of its kind ("1,000" in "1,000
        // people", "2030" in "by 2030"), would lose anyway: skip reading it. A date does not
        // take a number from a count: it gives way to a count like "2000 trees".
        if rank(def.kind).0 == 0
            && found.iter().any(|m| {
                let wins = m.kind != MeasureKind::Date
                    && rank(m.kind) < rank(def.kind)
                    && m.start < hit.end
                    && hit.start < m.end
                    && !inside_counted_noun(m, def.kind, hit.start, hit.end);
                let holds = m.kind == def.kind
                    && m.start <= hit.start
                    && hit.end <= m.end
                    && m.end - m.start > hit.end - hit.start;
                wins || holds
            })
        {
            continue;
        }
        // A count whose number starts the match can be checked before its groups are read:
        // what comes before the number, and a figure alone like a year.
        if def.kind == MeasureKind::Count
            && matched.starts_with(|c: char| c.is_ascii_digit())
            && (!count_may_start(text, hit.start)
                || looks_like_year(matched.trim_end_matches('+'))
                || (matched
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
                    && !figure_counts_at(text, hit.start, matched, hit.end, false)))
        {
            continue;
        }
        let (mut start, mut end) = (hit.start, hit.end);
        let mut in_list = false;
        let normalised = match hit.source {
            HitSource::Regex(i) => {
                let Some(re) = rules.measure_layer.regex(i) else {
                    continue;
                };
                let haystack = if rules.measure_layer.folds(i) {
                    lower
                } else {
                    text
                };
                let Some(caps) = re
                    .captures_at(haystack, hit.start)
                    .filter(|c| c.get(0).is_some_and(|m| m.start() == hit.start))
                else {
                    continue;
                };
                let caps = Groups::read(re, &caps, text);
                // A number inside what a count counts ("four of the twelve places", "3.5 Two
                // suppliers") was passed over by the scan: read it next, as its own match.
                let inner = match def.kind {
                    MeasureKind::Count => number_inside(&caps).filter(|&p| p > hit.start),
                    _ => None,
                };
                if let Some(start) = inner {
                    hits.insert(next, Hit { start, ..hit });
                }
                let n = normalise(def.kind, &caps, def.value.as_deref());
                let n = match def.kind {
                    MeasureKind::Count => {
                        match n.and_then(|n| check_count(text, &caps, n, inner)) {
                            Some(c) => {
                                end = c.end;
                                in_list = c.listed;
                                if c.year_like {
                                    if let Some(num) = caps.name("num") {
                                        year_counts.push((num.start(), num.end()));
                                    }
                                }
                                Some(c.value)
                            }
                            None => None,
                        }
                    }
                    MeasureKind::Money => n
                        .map(|n| widen_money(text, &caps, n))
                        .filter(|n| range_end_stands(&caps, n)),
                    MeasureKind::Date => n.filter(|_| year_stands(text, &caps)),
                    MeasureKind::Percent => n.filter(|_| proportion_stands(text, &caps)),
                    MeasureKind::Duration | MeasureKind::Hours => n.filter(|_| {
                        caps.name("num")
                            .is_none_or(|num| !after_year_span(text, num.start()))
                            && !school_year(text, &caps)
                            && !day_compound(text, &caps)
                    }),
                    _ => n,
                };
                // A range gives each end its own measure: the `at` group is this one's words.
                if let Some(at) = caps.name("at") {
                    (start, end) = (at.start(), at.end());
                }
                n
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
            if in_list {
                listed.push(found.len());
            }
            found.push(Measure {
                kind: def.kind,
                value,
                unit,
                text: text.get(start..end).unwrap_or(matched).to_string(),
                start,
                end,
                rule: def.id.clone(),
            });
        }
    }
    // A number in words alone is a count only in a list that a count began ("303 people into
    // work, 689 onto training and ten into volunteering").
    let first_count = found
        .iter()
        .enumerate()
        .filter(|(i, m)| m.kind == MeasureKind::Count && !listed.contains(i))
        .map(|(_, m)| m.start)
        .min();
    let mut i = 0;
    found.retain(|m| {
        let keep_listed = !listed.contains(&i) || first_count.is_some_and(|s| s < m.start);
        i += 1;
        // A number like a year that counts something is not a date.
        let counted_year = m.kind == MeasureKind::Date
            && year_counts.iter().any(|&(s, e)| m.start == s && m.end <= e);
        keep_listed && !counted_year
    });
    units_by_row(text, &mut found);
    resolve_overlaps(found)
}

/// A figure alone in a table cell counts what its row's label names: in "Volunteering hours |
/// 415" or "Delivered in 2024/25 | Hours given to schools | 3,470" it is hours, in "Spend with
/// local SMEs (£) | 318,450" money. The label is the nearest cell before the figure's that has
/// words in it.
fn units_by_row(text: &str, found: &mut [Measure]) {
    if !text.contains('|') {
        return;
    }
    for m in found.iter_mut() {
        if m.kind != MeasureKind::Count || m.unit.is_some() {
            continue;
        }
        let (Some(before), Some(after)) = (text.get(..m.start), text.get(m.end..)) else {
            continue;
        };
        let mut cells = before.rsplit('|');
        let own_start = cells.next().unwrap_or("");
        let own_end = after.split('|').next().unwrap_or("");
        let head = own_start.trim();
        let alone = own_end.trim().is_empty() && (head.is_empty() || one_of(FIGURE_HEADS, head));
        if !alone {
            continue;
        }
        let label = cells.find(|c| c.chars().any(char::is_alphabetic));
        let names_hours = label.is_some_and(|l| {
            l.split(|c: char| !c.is_ascii_alphabetic())
                .any(|w| w.eq_ignore_ascii_case("hours") || w.eq_ignore_ascii_case("hrs"))
        });
        if names_hours {
            m.kind = MeasureKind::Hours;
            m.unit = Some("hour".to_string());
        } else if let Some(scale) = label.and_then(pounds_column) {
            if let MeasureValue::Number(v) = m.value {
                m.kind = MeasureKind::Money;
                m.value = MeasureValue::Number(round(v * scale));
                m.unit = Some("GBP".to_string());
            }
        }
    }
}

/// The multiplier of a row label that gives its figures in pounds ("Spend with local SMEs (£)",
/// "Community fund (£k)", "Value £m"): a pound sign with no figure after it.
fn pounds_column(label: &str) -> Option<f64> {
    let at = label.find('£')?;
    let rest = label.get(at + '£'.len_utf8()..)?;
    if rest.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let unit = &rest[..rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len())];
    let is = |u: &str| unit.eq_ignore_ascii_case(u);
    if unit.is_empty() {
        Some(1.0)
    } else if is("k") {
        Some(1e3)
    } else if is("m") || is("million") {
        Some(1e6)
    } else {
        None
    }
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
        let clash = kept.iter().any(|k| {
            rank(k.kind).0 == family
                && k.start < m.end
                && m.start < k.end
                && !inside_counted_noun(k, m.kind, m.start, m.end)
        });
        if !clash && kept.len() < MAX_MEASURES {
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| (m.start, m.end));
    kept
}

/// Whether `time`, a length of time or hours, is part of what a measure of `kind` spanning
/// `start..end` counts, after its number: "four two-week placements" counts four placements,
/// each of two weeks; both stand.
fn inside_counted_noun(time: &Measure, kind: MeasureKind, start: usize, end: usize) -> bool {
    kind == MeasureKind::Count
        && matches!(time.kind, MeasureKind::Duration | MeasureKind::Hours)
        && time.start > start
        && time.end <= end
}

/// The names of the groups the measure rules use.
const GROUP_NAMES: [&str; 10] = [
    "num", "mult", "per", "unit", "year", "month", "quarter", "what", "at", "den",
];

/// The named groups of one match, read once by index (a lookup by name hashes the name).
struct Groups<'t> {
    whole: Option<Match<'t>>,
    named: [Option<Match<'t>>; GROUP_NAMES.len()],
}

/// A group's span, read from the text itself: a case-insensitive pattern matched the lowered
/// text, whose byte offsets are the same.
#[derive(Clone, Copy, Debug)]
struct Match<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Match<'t> {
    fn start(&self) -> usize {
        self.start
    }

    fn end(&self) -> usize {
        self.end
    }

    fn as_str(&self) -> &'t str {
        self.text.get(self.start..self.end).unwrap_or("")
    }
}

impl<'t> Groups<'t> {
    fn read(re: &Regex, caps: &Captures<'_>, text: &'t str) -> Self {
        let at = |m: regex::Match<'_>| Match {
            text,
            start: m.start(),
            end: m.end(),
        };
        let mut named = [None; GROUP_NAMES.len()];
        for (i, name) in re.capture_names().enumerate() {
            if let Some(k) = name.and_then(|n| GROUP_NAMES.iter().position(|g| *g == n)) {
                named[k] = caps.get(i).map(at);
            }
        }
        Groups {
            whole: caps.get(0).map(at),
            named,
        }
    }

    /// The whole match (`get(0)`), as `Captures::get` has it; other indexes are not kept.
    fn get(&self, i: usize) -> Option<Match<'t>> {
        if i == 0 {
            self.whole
        } else {
            None
        }
    }

    fn name(&self, name: &str) -> Option<Match<'t>> {
        let k = GROUP_NAMES.iter().position(|g| *g == name)?;
        self.named.get(k).copied().flatten()
    }
}

fn group<'t>(caps: &Groups<'t>, name: &str) -> Option<&'t str> {
    caps.name(name)
        .map(|m| m.as_str())
        .filter(|s| !s.trim().is_empty())
}

/// Whether a proportion's words are one: "6 in 10 trainees" is, "Level 3 in 12 months" and
/// "9 in 5" are not (a time or a distance follows, or the part is larger than the whole).
fn proportion_stands(text: &str, caps: &Groups) -> bool {
    // A range's first end that is a year ("from 38% in 2022 to 21% in 2024": "2022 to 21%")
    // is a date beside a percentage, not a percentage.
    if caps.name("at").is_some() && group(caps, "num").is_some_and(looks_like_year) {
        return false;
    }
    let Some(den) = caps.name("den") else {
        return true;
    };
    let num = group(caps, "num").and_then(parse_number).unwrap_or(1.0);
    if denominator(den.as_str()).is_none_or(|d| num > d) {
        return false;
    }
    // The word right after the whole, if a space (not a comma or a stop) leads to it.
    let after = text.get(den.end()..).unwrap_or("");
    let rest = after.trim_start_matches([' ', '\t']);
    if rest.len() == after.len() {
        return true;
    }
    let next: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    !matches!(
        next.trim_end_matches('s'),
        "year" | "month" | "week" | "day" | "hour" | "minute" | "mile" | "km" | "metre" | "meter"
    )
}

/// The denominator of a proportion: a number ("10", "ten") or a fraction's name ("fifth",
/// "thirds", "quarter"); never zero.
fn denominator(s: &str) -> Option<f64> {
    let w = s.trim().to_ascii_lowercase();
    let w = w.strip_suffix('s').filter(|w| w.len() > 3).unwrap_or(&w);
    let named = match w {
        "half" | "halve" => Some(2.0),
        "third" => Some(3.0),
        "quarter" => Some(4.0),
        "fifth" => Some(5.0),
        "sixth" => Some(6.0),
        "seventh" => Some(7.0),
        "eighth" => Some(8.0),
        "ninth" => Some(9.0),
        "tenth" => Some(10.0),
        _ => None,
    };
    named
        .or_else(|| parse_number(w))
        .filter(|d| *d >= 1.0 && d.is_finite())
}

fn normalise(
    kind: MeasureKind,
    caps: &Groups,
    fixed: Option<&str>,
) -> Option<(MeasureValue, Option<String>)> {
    let number = || group(caps, "num").and_then(parse_number);
    // The number times its multiplier ("£1.2m", "1.5k hours"), where the pattern reads one.
    let scaled = || Some(number()? * group(caps, "mult").map(multiplier).unwrap_or(1.0));
    let num = |unit: &str| number().map(|v| (MeasureValue::Number(v), Some(unit.to_string())));
    match kind {
        MeasureKind::Money => {
            let value = scaled()?;
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
        // A proportion ("6 in every 10", "a fifth of") is the percentage it stands for.
        MeasureKind::Percent => match group(caps, "den") {
            Some(den) => {
                let den = denominator(den)?;
                let share = number().unwrap_or(1.0) / den * 100.0;
                Some((MeasureValue::Number(round(share)), Some("%".into())))
            }
            None => num("%"),
        },
        MeasureKind::Hours => Some((MeasureValue::Number(round(scaled()?)), Some("hour".into()))),
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
            let written = group(caps, "year")?;
            let mut year: u32 = written.parse().ok()?;
            // "FY26": two digits stand for this century.
            if written.len() == 2 {
                year += 2000;
            }
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
            // What is counted is read when the count is checked against its context.
            let value = scaled()?;
            Some((MeasureValue::Number(round(value)), None))
        }
        MeasureKind::Place | MeasureKind::Group => {
            let value = fixed
                .map(str::to_string)
                .or_else(|| caps.get(0).map(|m| m.as_str().to_string()))?;
            Some((MeasureValue::Text(value), None))
        }
    }
}

/// Whether `word` is one of the words of `list` (sorted, in lower case), whatever its case.
fn one_of(list: &[&str], word: &str) -> bool {
    let mut buf = [0u8; 16];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).is_ok_and(|w| list.binary_search(&w).is_ok())
}

/// Words before a number that make it a label, not a count: "Level 2", "Year 10", "Scope 3".
#[rustfmt::skip]
const LABEL_WORDS: &[&str] = &[
    "act", "age", "aged", "ages", "annex", "appendix", "article", "band", "box", "bs", "category",
    "ce", "chapter", "clause", "clauses", "cohort", "cop", "covid", "criterion", "edition", "en",
    "every", "fax", "figure", "floor", "gcse", "gcses", "goal", "goals", "grade", "iso", "issue",
    "item", "junction", "key", "ks", "level", "levels", "lot", "lots", "mobile", "no", "nt",
    "number", "nvq", "objective", "option", "outcome", "page", "pages", "para", "paragraph",
    "paragraphs", "part", "pas", "per", "phase", "phone", "platform", "plot", "ppn", "principle",
    "priority", "question", "ref", "regulation", "room", "route", "rule", "schedule", "scope",
    "scopes", "sdg", "sdgs", "section", "sections", "stage", "stages", "standard", "step",
    "table", "tel", "telephone", "theme", "tier", "tom", "toms", "unit", "version", "vol", "wave",
    "year", "years",
];

/// Capitalised words that name a figure in a table or report rather than a thing ("Local
/// people employed | 27 | Target 30"): a number after them counts.
#[rustfmt::skip]
const FIGURE_HEADS: &[&str] = &[
    "achieved", "actual", "baseline", "delivered", "forecast", "planned", "projected", "target",
    "total",
];

/// Small words that end what a count counts: "12 apprentices and trainees" counts apprentices.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "across", "an", "and", "are", "at", "be", "by", "each", "every", "for", "from", "has",
    "have", "in", "into", "is", "its", "of", "on", "or", "our", "per", "than", "that", "the",
    "their", "these", "this", "those", "to", "was", "were", "which", "who", "will", "with",
];

/// Words that make a number a length of time or a rate, not a count.
#[rustfmt::skip]
const UNIT_WORDS: &[&str] = &[
    "day", "days", "fte", "hour", "hours", "hrs", "minute", "minutes", "month", "months", "per",
    "percent", "pounds", "times", "week", "weekend", "weekends", "weeks", "year", "years",
];

/// Words after a figure that make it a measurement, a time or a date, not a count: "a 30-mile
/// radius", "9 am", "31 March".
#[rustfmt::skip]
const FIGURE_UNITS: &[&str] = &[
    "acre", "acres", "am", "apr", "april", "aug", "august", "c", "cent", "cm", "dec", "december",
    "degree", "degrees", "feb", "february", "g", "gw", "gwh", "ha", "hectare", "hectares", "jan",
    "january", "jul", "july", "jun", "june", "kg", "kgs", "kilometer", "kilometers", "kilometre",
    "kilometres", "km", "kms", "kw", "kwh", "liter", "liters", "litre", "litres", "m", "mar",
    "march", "may", "meter", "meters", "metre", "metres", "mile", "miles", "min", "mins", "mm",
    "mph", "mw", "mwh", "nd", "nov", "november", "o", "oct", "october", "p", "pc", "pence", "pm",
    "rd", "sec", "second", "seconds", "secs", "sep", "sept", "september", "sq", "square", "st",
    "t", "th", "ton", "tonne", "tonnes", "tons", "year-old", "year-olds", "yr", "yrs",
];

/// Words before a number that make it a year ("in 2000", "by 2030"), not a count.
#[rustfmt::skip]
const TIME_WORDS: &[&str] = &[
    "after", "apr", "april", "around", "aug", "august", "autumn", "before", "between", "by", "c",
    "circa", "dec", "december", "during", "early", "end", "feb", "february", "from", "fy", "in",
    "jan", "january", "jul", "july", "jun", "june", "late", "mar", "march", "may", "mid", "nov",
    "november", "oct", "october", "sep", "sept", "september", "since", "spring", "summer",
    "through", "till", "until", "winter", "year",
];

/// Plural nouns a year qualifies ("2019 levels", "2023 results"): the number stays a year.
#[rustfmt::skip]
const YEAR_NOUNS: &[&str] = &[
    "accounts", "ambitions", "assessments", "awards", "baselines", "budgets", "commitments",
    "deadlines", "elections", "emissions", "exams", "figures", "finalists", "games", "goals",
    "holidays", "levels", "olympics", "plans", "pledges", "prices", "rates", "reports", "results",
    "returns", "statistics", "submissions", "targets", "values", "winners",
];

/// Words before a year that make it part of a name: "Modern Slavery Act 2015", "Vision 2030".
#[rustfmt::skip]
const NAME_BEFORE: &[&str] = &[
    "accord", "act", "acts", "agenda", "award", "awards", "bill", "bs", "census", "charter",
    "code", "conference", "convention", "cop", "covid", "directive", "edition", "en", "expo",
    "framework", "games", "guidance", "iso", "manifesto", "no", "number", "olympics", "order",
    "pas", "plan", "policy", "ppn", "procedure", "procedures", "program", "programme", "regs",
    "regulation", "regulations", "report", "review", "roadmap", "rules", "standard", "standards",
    "statement", "strategies", "strategy", "version", "vision",
];

/// Words after a year that make it part of a name: "our 2050 strategy", "the 2012 Act".
#[rustfmt::skip]
const NAME_AFTER: &[&str] = &[
    "accord", "act", "agenda", "award", "awards", "census", "charter", "cohort", "conference",
    "edition", "framework", "games", "manifesto", "olympics", "plan", "policy", "programme",
    "regulations", "report", "roadmap", "standard", "strategies", "strategy", "summit", "vision",
];

type Normalised = (MeasureValue, Option<String>);

/// A count checked against its context: where it ends, its value, whether it needs a count
/// before it to stand (a number in words in a list), and whether its number looks like a year.
struct CheckedCount {
    end: usize,
    value: Normalised,
    listed: bool,
    year_like: bool,
}

/// Check and trim a count. Not money, not a label ("Level 2", "Scope 1 and 2"), not the second
/// part of a financial year ("2019/20"). With a counted noun: not a unit of time; what is counted
/// ends before the first small word and must end in a countable noun; a number like a year
/// counts only where no time word comes before it and the noun is not one a year qualifies
/// ("2000 trees" but not "in 2000 trees", "2019 levels"). Without one, see [`figure_counts`].
/// `stop` is where a number inside what is counted starts ([`number_inside`]): what is counted
/// ends before it ("four of the twelve places"), and the caller reads it on its own.
fn check_count(
    text: &str,
    caps: &Groups,
    normalised: Normalised,
    stop: Option<usize>,
) -> Option<CheckedCount> {
    let num = caps.name("num")?;
    if !count_may_start(text, num.start()) {
        return None;
    }
    let year_like = looks_like_year(num.as_str());
    let Some(what) = caps.name("what") else {
        // In words, in a list ("..., nine into training"), not before a verb ("nine were").
        let listed = !num.as_str().starts_with(|c: char| c.is_ascii_digit())
            && caps.get(0).is_some_and(|m| {
                let s = m.as_str().to_ascii_lowercase();
                s.starts_with([',', ';']) || s.starts_with("and")
            });
        if year_like || !figure_counts(text, caps) {
            return None;
        }
        let end = caps.name("at").map_or(caps.get(0)?.end(), |a| a.end());
        return Some(CheckedCount {
            end,
            value: normalised,
            listed,
            year_like: false,
        });
    };
    let (value, _) = normalised;
    if year_like
        && (one_of(TIME_WORDS, prev_word(text, num.start()))
            || one_of(NAME_AFTER, next_word(text.get(num.end()..).unwrap_or(""))))
    {
        return None;
    }
    // Words of what is counted, with their byte ranges in `text`.
    let mut words: Vec<(usize, usize, &str)> = Vec::new();
    let mut offset = what.start();
    for w in what.as_str().split(char::is_whitespace) {
        if stop == Some(offset) {
            break;
        }
        if !w.is_empty() {
            words.push((offset, offset + w.len(), w));
        }
        offset += w.len() + 1;
    }
    let day_noun = matches!(words.as_slice(), [(_, _, d), (_, _, n), ..]
        if d.eq_ignore_ascii_case("day") && one_of(DAY_NOUNS, n));
    if words.first().is_some_and(|(_, _, w)| one_of(UNIT_WORDS, w)) && !day_noun {
        return None;
    }
    let kept = words
        .iter()
        .position(|(_, _, w)| one_of(STOP_WORDS, w))
        .unwrap_or(words.len());
    let kept = words.get(..kept)?;
    let &(_, end, last) = kept.last()?;
    // "at least one apprentice": one of a thing is counted in the singular.
    let one = matches!(value, MeasureValue::Number(n) if n == 1.0);
    if !countable(last) && !one {
        return None;
    }
    if year_like && one_of(YEAR_NOUNS, last) {
        return None;
    }
    let counted_words: Vec<&str> = kept.iter().map(|(_, _, w)| *w).collect();
    Some(CheckedCount {
        end,
        value: (value, Some(counted(&counted_words.join(" ")))),
        listed: false,
        year_like,
    })
}

/// Where the first number in words inside a count's counted words starts, if any.
fn number_inside(caps: &Groups) -> Option<usize> {
    let what = caps.name("what")?;
    let mut offset = what.start();
    for w in what.as_str().split(char::is_whitespace) {
        if one_of(NUMBER_WORDS, w) {
            return Some(offset);
        }
        offset += w.len() + 1;
    }
    None
}

/// Whether a count's number may start at `start`, from what comes before it: not money, not
/// a part of a clause number or a time ("7.2.1", "10:30"), not a label ("Level 2", "Scope 1
/// and 2"), not the second part of a financial year ("2019/20").
fn count_may_start(text: &str, start: usize) -> bool {
    let Some(before) = text.get(..start) else {
        return false;
    };
    let in_figure = before
        .strip_suffix(['.', ':', ','])
        .is_some_and(|b| b.ends_with(|c: char| c.is_ascii_digit()));
    !(before.ends_with(['£', '$', '€'])
        || in_figure
        || after_label(text, start)
        || label_range(text, start)
        || after_year_span(text, start))
}

/// Four digits that could be a year (1900 to 2100), written without a comma.
fn looks_like_year(num: &str) -> bool {
    num.len() == 4
        && num.chars().all(|c| c.is_ascii_digit())
        && num.parse::<u32>().is_ok_and(|n| (1900..=2100).contains(&n))
}

/// Whether a figure with no counted noun counts something, from the characters and words
/// around it: not a decimal or a clause number ("4.1.3"), not a time or rate ("9:30", "24/7"),
/// not followed by a unit ("30-mile", "5 km"), not list numbering ("1." at the start), not
/// after a capitalised word mid-sentence ("Windows 10"), nor after another number.
fn figure_counts(text: &str, caps: &Groups) -> bool {
    let Some(num) = caps.name("num") else {
        return false;
    };
    let whole_end = caps
        .name("at")
        .or_else(|| caps.get(0))
        .map_or(num.end(), |m| m.end());
    figure_counts_at(
        text,
        num.start(),
        num.as_str(),
        whole_end,
        caps.name("mult").is_some(),
    )
}

/// [`figure_counts`] for the number `digits` at `start`, its match ending at `whole_end`.
fn figure_counts_at(
    text: &str,
    start: usize,
    digits: &str,
    whole_end: usize,
    has_mult: bool,
) -> bool {
    let in_digits = digits.starts_with(|c: char| c.is_ascii_digit());
    if in_digits {
        if !has_mult && digits.contains('.') {
            return false;
        }
        if digits.len() > 1 && digits.starts_with('0') || digits == "0" {
            return false;
        }
    }
    let before = text.get(..start).unwrap_or("");
    let after = text.get(whole_end..).unwrap_or("");
    let prev = before.chars().next_back();
    if prev.is_some_and(|c| c.is_alphanumeric() || "./:#£$€@+-–−_\\&'’".contains(c)) {
        return false;
    }
    let mut next = after.chars();
    let n1 = next.next();
    let n2 = next.next();
    if n1.is_some_and(|c| c.is_alphanumeric() || "%/:°-–'’_".contains(c)) {
        return false;
    }
    if n1.is_some_and(|c| c == '.' || c == ',') && n2.is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    if matches!(n1, Some(')') | Some(']')) && matches!(prev, Some('(') | Some('[')) {
        return false;
    }
    let next = next_word(after);
    if (one_of(UNIT_WORDS, next) && !per_period(after)) || one_of(FIGURE_UNITS, next) {
        return false;
    }
    // List numbering: "1. Use licensed carriers", "3 Our approach" at the start of a line or
    // sentence.
    let lead = before.trim_end();
    if lead.ends_with(['+', '=']) {
        return false;
    }
    let starts_sentence = lead.is_empty() || lead.ends_with(['.', '!', '?', ':', ';', '\n', '•']);
    if starts_sentence && in_digits && matches!(n1, Some('.') | Some(')')) {
        return false;
    }
    // Before a name ("3 Our approach", "12 High Street").
    if after.trim_start().starts_with(|c: char| c.is_uppercase()) {
        return false;
    }
    // After a name ("Windows 10", "Route 66") but not a heading that names what is counted
    // ("Apprentices 12"); after a part of a phone number or reference.
    let word = last_word(lead);
    if let Some(first) = word.chars().next() {
        if first.is_ascii_digit() && (word.starts_with('0') || word.len() > 4) {
            return false;
        }
        let head = lead.get(..lead.len() - word.len()).unwrap_or("").trim_end();
        let word_starts_sentence =
            head.is_empty() || head.ends_with(['.', '!', '?', ':', ';', '\n', '•', '(', '"', '“']);
        if first.is_uppercase()
            && !word_starts_sentence
            && !countable(word)
            && !one_of(FIGURE_HEADS, word)
        {
            return false;
        }
    }
    // An age: "aged over 50", "ages between 16 and 24".
    let mut from = lead.len().saturating_sub(30);
    while !lead.is_char_boundary(from) {
        from += 1;
    }
    let recent = lead.get(from..).unwrap_or("").to_ascii_lowercase();
    if recent
        .split(|c: char| !c.is_ascii_alphanumeric())
        .rev()
        .take(4)
        .any(|w| matches!(w, "aged" | "age" | "ages"))
    {
        return false;
    }
    true
}

/// The word that ends `s` (letters and digits only), or "" when `s` ends in punctuation.
fn last_word(s: &str) -> &str {
    s.rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
}

/// Whether `after` a figure says how often it is delivered ("6 per year", "2 per supplier"):
/// the figure counts what a plan offers in each period, as an offer's table writes it. ("3
/// per cent" is a percentage, "30 per hour" a rate of pay.)
fn per_period(after: &str) -> bool {
    let mut words = after.split_whitespace();
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("per"))
        && words.next().is_some_and(|w| {
            let w = w
                .trim_end_matches(|c: char| !c.is_alphanumeric())
                .to_ascii_lowercase();
            matches!(
                w.as_str(),
                "year" | "annum" | "quarter" | "term" | "school" | "site" | "supplier" | "contract"
            )
        })
}

/// The word right before `start` (spaces between allowed).
fn prev_word(text: &str, start: usize) -> &str {
    last_word(text.get(..start).unwrap_or("").trim_end())
}

/// The word at the start of `after` (after spaces or a hyphen).
fn next_word(after: &str) -> &str {
    let after = after.trim_start();
    let after = after.strip_prefix(['-', '–']).unwrap_or(after).trim_start();
    after
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .next()
        .unwrap_or("")
}

/// Whether the word before `start` makes the number a label.
///
/// A number with a thousands separator ("1,212") labels nothing, and after "year" only a
/// school or contract year (up to 15) is a label: "last year 63 of our buses" counts buses.
fn after_label(text: &str, start: usize) -> bool {
    let word = prev_word(text, start);
    if !one_of(LABEL_WORDS, word) {
        return false;
    }
    let digits = text
        .get(start..)
        .unwrap_or("")
        .split(|c: char| !(c.is_ascii_digit() || c == ','))
        .next()
        .unwrap_or("")
        .trim_end_matches(',');
    if digits.contains(',') {
        return false;
    }
    !(word.eq_ignore_ascii_case("year") || word.eq_ignore_ascii_case("years"))
        || digits.parse::<u32>().map_or(true, |n| n <= 15)
}

/// Whether the number at `start` ends a range or list of labels: "Scope 1 and 2",
/// "aged 16 to 24", "Years 10-11".
fn label_range(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("").trim_end();
    let rest = match before.strip_suffix(['-', '–']) {
        Some(rest) => rest,
        None => {
            let word = last_word(before);
            if !["to", "and", "or", "&"].contains(&word.to_ascii_lowercase().as_str())
                && !before.ends_with('&')
            {
                return false;
            }
            let cut = if before.ends_with('&') { 1 } else { word.len() };
            before.get(..before.len() - cut).unwrap_or("")
        }
    };
    let rest = rest.trim_end();
    let digits = rest
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    digits > 0 && after_label(text, rest.len() - digits)
}

/// Whether a "day" is the first half of a noun ("seven day centres", "two day trips"): the
/// number counts the centres, it is no length of time.
fn day_compound(text: &str, caps: &Groups) -> bool {
    let Some(whole) = caps.get(0) else {
        return false;
    };
    let ends_in_day = whole
        .as_str()
        .get(whole.as_str().len().saturating_sub(4)..)
        .is_some_and(|w| w.eq_ignore_ascii_case(" day") || w.eq_ignore_ascii_case("-day"));
    ends_in_day && one_of(DAY_NOUNS, next_word(text.get(whole.end()..).unwrap_or("")))
}

/// Numbers written as one word, from two to ninety: a number inside what a count counts
/// ([`number_inside`]). Not "a", "one" or "dozen", which other words use.
#[rustfmt::skip]
const NUMBER_WORDS: &[&str] = &[
    "eight", "eighteen", "eighty", "eleven", "fifteen", "fifty", "five", "forty", "four",
    "fourteen", "nine", "nineteen", "ninety", "seven", "seventeen", "seventy", "six", "sixteen",
    "sixty", "ten", "thirteen", "thirty", "three", "twelve", "twenty", "two",
];

/// Nouns a "day" before them qualifies (see [`day_compound`]).
#[rustfmt::skip]
const DAY_NOUNS: &[&str] = &[
    "care", "center", "centers", "centre", "centres", "hospice", "hospices", "nurseries",
    "nursery", "opportunities", "services", "trip", "trips",
];

/// Whether a length of time in years is the number before a school year instead: "30 Year 9
/// students" counts students, it is not thirty years ("1 year 6 months" still is a length).
fn school_year(text: &str, caps: &Groups) -> bool {
    let (Some(whole), Some(num)) = (caps.get(0), caps.name("num")) else {
        return false;
    };
    let (end, whole) = (whole.end(), whole.as_str());
    let ends_in_year = whole
        .get(whole.len().saturating_sub(4)..)
        .is_some_and(|w| w.eq_ignore_ascii_case("year"));
    if ["a", "an"]
        .iter()
        .any(|a| num.as_str().eq_ignore_ascii_case(a))
        || !ends_in_year
    {
        return false;
    }
    let mut rest = text.get(end..).unwrap_or("").split_whitespace();
    let label = rest.next().unwrap_or("");
    let next = rest
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_ascii_lowercase();
    (1..=2).contains(&label.len())
        && label.bytes().all(|b| b.is_ascii_digit())
        && !["month", "months", "week", "weeks", "day", "days"].contains(&next.as_str())
}

/// Whether the number at `start` is the second part of a financial or academic year
/// ("2019/20") or of a rate ("24/7"): it follows a slash after digits, or a dash after a year.
fn after_year_span(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    let Some(c) = before.chars().next_back() else {
        return false;
    };
    if !matches!(c, '/' | '-' | '–') {
        return false;
    }
    let rest = before.get(..before.len() - c.len_utf8()).unwrap_or("");
    let digits = rest
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (c == '/' && digits > 0) || looks_like_year(rest.get(rest.len() - digits..).unwrap_or(""))
}

/// Whether a year written alone (no "by", "in", month or "FY" before it) is a date: not part
/// of a statute, standard or title ("Modern Slavery Act 2015", "ISO 14001:2015", "Vision
/// 2030", "our 2050 strategy"), not after another figure, not in a decimal.
fn year_stands(text: &str, caps: &Groups) -> bool {
    let (Some(whole), Some(year)) = (caps.get(0), caps.name("year")) else {
        return true;
    };
    if whole.start() != year.start() && caps.name("at").is_none() {
        return true;
    }
    let before = text.get(..whole.start()).unwrap_or("");
    let after = text.get(whole.end()..).unwrap_or("");
    match before.chars().next_back() {
        Some(c) if ":./£$€#+_".contains(c) => return false,
        Some(c @ ('-' | '–')) => {
            let rest = before.get(..before.len() - c.len_utf8()).unwrap_or("");
            if rest.ends_with(|c: char| c.is_ascii_digit()) {
                return false;
            }
        }
        _ => {}
    }
    let mut next = after.chars();
    if next
        .next()
        .is_some_and(|c| c == '.' || c == ',' || c == ':')
        && next.next().is_some_and(|c| c.is_ascii_digit())
    {
        return false;
    }
    let lead = before
        .trim_end()
        .trim_end_matches(['(', '[', ','])
        .trim_end();
    let prev = last_word(lead);
    // After a number the year is one of a list of figures ("2 2025"), unless the number
    // counts a period of the year: "Quarter 2, 2025/26", "Term 3 2026".
    let numbered_period = || {
        let word = prev_word(lead, lead.len() - prev.len()).to_ascii_lowercase();
        matches!(
            word.as_str(),
            "quarter" | "term" | "period" | "month" | "week" | "round"
        )
    };
    // A title is capitalised ("Act 2015", "Vision 2030"); "we will review 2024 results" is not.
    if (prev.starts_with(|c: char| c.is_ascii_digit()) && !numbered_period())
        || (prev.starts_with(|c: char| c.is_uppercase()) && one_of(NAME_BEFORE, prev))
    {
        return false;
    }
    !one_of(NAME_AFTER, next_word(after))
}

/// Whether the second end of a money range (the `at` group) is at least its first end: in
/// "£86,400 to 57 groups" the 57 counts groups, it ends no range.
fn range_end_stands(caps: &Groups, n: &Normalised) -> bool {
    let (Some(at), Some(whole), MeasureValue::Number(second)) =
        (caps.name("at"), caps.get(0), &n.0)
    else {
        return true;
    };
    let before = whole
        .as_str()
        .get(..at.start().saturating_sub(whole.start()))
        .unwrap_or("");
    let figure = before.trim_start_matches(|c: char| !c.is_ascii_digit());
    let end = figure
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(figure.len());
    parse_number(&figure[..end]).is_none_or(|first| *second >= first)
}

/// Money with the multiplier of the other end of its range: "£3-4 million" is £3 million to
/// £4 million.
fn widen_money(text: &str, caps: &Groups, n: Normalised) -> Normalised {
    let (MeasureValue::Number(v), unit) = (&n.0, &n.1) else {
        return n;
    };
    if caps.name("mult").is_some() {
        return n;
    }
    let (Some(num), Some(whole)) = (caps.name("num"), caps.get(0)) else {
        return n;
    };
    let between = text
        .get(..whole.start())
        .unwrap_or("")
        .trim_end()
        .to_ascii_lowercase()
        .ends_with("between");
    match range_multiplier(text.get(num.end()..).unwrap_or(""), between) {
        Some(m) => (MeasureValue::Number(round(v * m)), unit.clone()),
        None => n,
    }
}

/// The multiplier of the second end of a money range that starts `rest`: "-4 million",
/// " to £5m", " and £20k" (after "between").
fn range_multiplier(rest: &str, between: bool) -> Option<f64> {
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix(['-', '–'])
        .or_else(|| rest.strip_prefix("to "))
        .or_else(|| rest.strip_prefix("and ").filter(|_| between))?
        .trim_start();
    let rest = rest.strip_prefix('£').unwrap_or(rest).trim_start();
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(rest.len());
    if digits == 0 {
        return None;
    }
    let word: String = rest
        .get(digits..)?
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let m = multiplier(&word);
    (m > 1.0).then_some(m)
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
        "tco2e",
        "tco2",
        "co2e",
    ]
    .contains(&w.as_str())
        || (w.len() > 2
            && w.ends_with('s')
            && !w.ends_with("ss")
            && !w.ends_with("us")
            && !w.ends_with("is"))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn measures(text: &str) -> Vec<(MeasureKind, MeasureValue)> {
        static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
        let rules = RULES.get_or_init(|| RuleSet::embedded().unwrap());
        extract(rules, text)
            .into_iter()
            .filter(|m| m.kind.is_quantity() || m.kind.is_time())
            .map(|m| (m.kind, m.value))
            .collect()
    }

    fn has(text: &str, kind: MeasureKind, value: MeasureValue) {
        let got = measures(text);
        assert!(
            got.contains(&(kind, value.clone())),
            "{text}: want {kind}={value:?}, got {got:?}"
        );
    }

    fn lacks(text: &str, kind: MeasureKind) {
        let got = measures(text);
        assert!(
            got.iter().all(|(k, _)| *k != kind),
            "{text}: no {kind} wanted, got {got:?}"
        );
    }

    use MeasureKind::{Count, Date, Duration, Money, Percent};
    use MeasureValue::{Number, Text};

    fn year(y: &str) -> MeasureValue {
        Text(y.to_string())
    }

    #[test]
    fn word_lists_are_sorted_for_one_of() {
        for list in [
            LABEL_WORDS,
            FIGURE_UNITS,
            TIME_WORDS,
            YEAR_NOUNS,
            NAME_BEFORE,
            NAME_AFTER,
            UNIT_WORDS,
            STOP_WORDS,
            FIGURE_HEADS,
            DAY_NOUNS,
            NUMBER_WORDS,
        ] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            assert!(list
                .iter()
                .all(|w| w.len() <= 16 && *w == w.to_ascii_lowercase()));
        }
        assert!(one_of(LABEL_WORDS, "Schedule"));
        assert!(!one_of(LABEL_WORDS, "schedules-and-more-than-sixteen"));
    }

    #[test]
    fn proportions_are_the_share_they_stand_for() {
        has("at least 6 of every 10 trainees", Percent, Number(60.0));
        has("one in five new starters", Percent, Number(20.0));
        has("a fifth of new jobs go to residents", Percent, Number(20.0));
        has("two thirds of our spend", Percent, Number(66.67));
        has("9 out of every 10 calls", Percent, Number(90.0));
        // The whole is not also a count of trainees.
        assert_eq!(
            measures("6 in every 10 trainees"),
            vec![(Percent, Number(60.0))]
        );
        lacks("Level 3 in 12 months", Percent);
        lacks("one in Crewe, one in Sandbach", Percent);
        lacks("we hired 3 in 2025", Percent);
        lacks("9 in 5", Percent);
    }

    #[test]
    fn numbers_in_words() {
        has("We took on thirty five trainees.", Count, Number(35.0));
        has("Forty-one local firms were paid.", Count, Number(41.0));
        has("a dozen school visits", Count, Number(12.0));
        has("half a dozen school visits", Count, Number(6.0));
        has("We will host six (6) site visits.", Count, Number(6.0));
        has(
            "We will give 1,500hrs of volunteering.",
            MeasureKind::Hours,
            Number(1500.0),
        );
        has(
            "Staff gave 1.5k hours last year.",
            MeasureKind::Hours,
            Number(1500.0),
        );
        has(
            "We will cut waste by a quarter by 2027.",
            Percent,
            Number(25.0),
        );
        has("two hundred and ten tenants", Count, Number(210.0));
        has("seven per cent of spend", Percent, Number(7.0));
        has(
            "Three Riverside Academy sixth form pupils",
            Count,
            Number(3.0),
        );
    }

    #[test]
    fn financial_and_academic_years_are_their_first_year() {
        has("spend in FY23 rose", Date, year("2023"));
        has("our FY2025/26 budget", Date, year("2025"));
        has("FY 24-25 results", Date, year("2024"));
        has("the 2021/22 academic year", Date, year("2021"));
        has("over the 2022-23 season", Date, year("2022"));
        // Not a duration of 22 years, nor a count of 22.
        let got = measures("the 2021/22 academic year");
        assert_eq!(got, vec![(Date, year("2021"))]);
    }

    #[test]
    fn a_row_in_pounds_gives_money() {
        has(
            "Spend with local SMEs (£) | 1,200,000 | 318,450",
            MeasureKind::Money,
            MeasureValue::Number(318_450.0),
        );
        has(
            "Community fund (£k) | 25 | 12",
            MeasureKind::Money,
            MeasureValue::Number(12_000.0),
        );
        has(
            "Grants of £500 | 12 | 9",
            MeasureKind::Count,
            MeasureValue::Number(12.0),
        );
    }

    #[test]
    fn a_figure_per_year_counts_what_a_plan_offers() {
        has(
            "Careers talks / site visits | 6 per year | Annually",
            MeasureKind::Count,
            MeasureValue::Number(6.0),
        );
        lacks("a pay rise of 3 per cent", MeasureKind::Count);
        lacks("paid 30 per hour", MeasureKind::Count);
    }

    #[test]
    fn a_numbered_quarter_leaves_its_year() {
        has(
            "Monitoring return, Quarter 2, 2025/26",
            MeasureKind::Date,
            year("2025"),
        );
        lacks("Apprentices | 2 2025", MeasureKind::Date);
    }

    #[test]
    fn a_school_year_is_no_length_of_time() {
        // "30 Year 9 students" counts students; it is not thirty years.
        let got = measures("We will mentor 30 Year 9 students.");
        assert_eq!(got, vec![(Count, Number(30.0))]);
        has("Thirty Year 11 pupils will attend.", Count, Number(30.0));
        lacks("Thirty Year 11 pupils will attend.", Duration);
        // A length in years and months stays two lengths; "a year" stays one.
        has(
            "The placement lasts 1 year 6 months.",
            Duration,
            Number(1.0),
        );
        has(
            "The placement lasts 1 year 6 months.",
            Duration,
            Number(6.0),
        );
        has(
            "Within a year 12 apprentices will start.",
            Duration,
            Number(1.0),
        );
    }

    #[test]
    fn a_year_alone_is_a_date_unless_it_names_something() {
        has("Baseline: 2021", Date, year("2021"));
        has("our plan for spring 2027", Date, year("2027"));
        has("the years 2020-2025", Date, year("2025"));
        has("the years 2020-2025", Date, year("2020"));
        has("the years 2020–2025", Date, year("2025"));
        for text in [
            "the Equality Act 2010 applies",
            "certified to ISO 9001:2015",
            "our Roadmap 2035 sets goals",
            "our 2040 strategy is public",
            "Procurement Regulations (2015)",
        ] {
            lacks(text, Date);
        }
    }

    #[test]
    fn four_digit_counts_are_not_years() {
        has("We gave away 1500 laptops.", Count, Number(1500.0));
        lacks("We gave away 1500 laptops.", Date);
        has("in 2020 volunteers cleared the canal", Date, year("2020"));
        lacks("in 2020 volunteers cleared the canal", Count);
        lacks("against 2019 levels", Count);
    }

    #[test]
    fn a_year_before_a_percentage_starts_no_range() {
        let text = "Staff turnover fell from 38% in 2022 to 21% in 2024.";
        has(text, MeasureKind::Date, year("2022"));
        assert!(
            !measures(text)
                .iter()
                .any(|(k, v)| *k == MeasureKind::Percent && *v == MeasureValue::Number(2022.0)),
            "{:?}",
            measures(text)
        );
    }

    #[test]
    fn ranges_give_both_ends() {
        has("a budget of £2-3 million", Money, Number(2e6));
        has("a budget of £2-3 million", Money, Number(3e6));
        has("between £5k and £8k", Money, Number(5e3));
        has("15-20 placements a year", Count, Number(15.0));
        has("15-20 placements a year", Count, Number(20.0));
        has(
            "Returns for April to June 2026",
            Date,
            MeasureValue::Text("2026-04".into()),
        );
        has(
            "Returns for April to June 2026",
            Date,
            MeasureValue::Text("2026-06".into()),
        );
        has("between 4 and 6 school visits", Count, Number(4.0));
        has("a 5 to 10% saving", Percent, Number(5.0));
        has("a 5 to 10% saving", Percent, Number(10.0));
        // A smaller figure after "to" counts something else; it ends no range.
        let grants = "The chest awarded £86,400 to 57 resident-led groups.";
        has(grants, Money, Number(86_400.0));
        has(grants, Count, Number(57.0));
        assert!(
            !measures(grants).contains(&(Money, Number(57.0))),
            "{grants}: 57 groups read as money"
        );
    }

    #[test]
    fn figures_in_lists_and_reports_count() {
        let text = "We placed 120 people in jobs, 340 on courses and 75 with mentors.";
        for n in [120.0, 340.0, 75.0] {
            has(text, Count, Number(n));
        }
        has("Of the 30 trainees, 22 finished.", Count, Number(22.0));
        has(
            "12 helped into work, nine from the estate",
            Count,
            Number(9.0),
        );
        has("2 × £4,000 bursaries", Count, Number(2.0));
        has("out of more than 5,000", Count, Number(5000.0));
        has("reaching 2.4 million residents", Count, Number(2.4e6));
        has("saving 85 tCO2e a year", Count, Number(85.0));
        has(
            "we will offer at least one work placement",
            Count,
            Number(1.0),
        );
        has("Twenty were placed with local firms.", Count, Number(20.0));
        has("at least seven of the 30 porters", Count, Number(7.0));
        has("We are a team of eleven in Leek.", Count, Number(11.0));
        // Otherwise a number in words alone counts only in a list a count began.
        lacks("The office is staffed nine to five.", Count);
        lacks("Nine, ten and eleven", Count);
    }

    #[test]
    fn a_number_inside_what_is_counted_is_read_on_its_own() {
        let text = "At least four of the twelve seats will go to tenants.";
        has(text, Count, Number(4.0));
        has(text, Count, Number(12.0));
        has("nine of our ten depots", Count, Number(10.0));
        // A clause number before a count in words is not a count of it.
        let text = "3.5 Two suppliers sent no return.";
        has(text, Count, Number(2.0));
        assert!(!measures(text).contains(&(Count, Number(3.5))), "{text}");
    }

    #[test]
    fn a_day_before_a_noun_is_no_length_of_time() {
        let text = "We will visit the borough's five day centres.";
        has(text, Count, Number(5.0));
        lacks(text, MeasureKind::Duration);
        has("a five day course", MeasureKind::Duration, Number(5.0));
        has("two Level 2 apprenticeships", Count, Number(2.0));
    }

    #[test]
    fn only_a_small_number_after_year_is_a_label() {
        has("Last year 63 of our vans ran on HVO.", Count, Number(63.0));
        has(
            "During the year 1,480 staff were trained.",
            Count,
            Number(1480.0),
        );
        lacks("In Year 9 pupils choose options.", Count);
        lacks("Year 2 of the contract", Count);
    }

    #[test]
    fn a_length_of_time_inside_what_is_counted_leaves_the_count() {
        let text = "We will offer three two-week placements and 5 four-hour workshops.";
        has(text, Count, Number(3.0));
        has(text, Duration, Number(2.0));
        has(text, Count, Number(5.0));
        has("Ten 12-month traineeships", Count, Number(10.0));
        // The number of a length of time is not a count.
        lacks("a six-month programme", Count);
    }

    #[test]
    fn table_cells_are_read_by_their_row() {
        // A column's name before a figure leaves it a count ("Target 30", unlike "Route 66").
        has("Residents employed | 14 | Target 18", Count, Number(18.0));
        lacks("Route 66 passes the depot.", Count);
        // A figure alone in a cell is hours when its row's label names hours.
        has(
            "Staff volunteering hours | 380 | 410",
            MeasureKind::Hours,
            Number(410.0),
        );
        has(
            "2024/25 | Hours given to schools | 1,250",
            MeasureKind::Hours,
            Number(1250.0),
        );
        lacks("Apprentices in post | 6", MeasureKind::Hours);
    }

    #[test]
    fn labels_times_and_measurements_are_not_counts() {
        for text in [
            "See Schedule 3 for the terms.",
            "clause 7.2.1 applies",
            "Scope 1 and 2 emissions",
            "for people aged 18 to 25",
            "open 24/7 all year",
            "starts at 8:30 each day",
            "within a 15-mile radius",
            "a 2.5 km walk",
            "1. Keep records of all waste.",
            "buses on Route 66 are electric",
            "Key Stage 3 pupils",
            "the Modern Slavery Act 2015",
            "by 31 May",
            "Tel 0161 496 0000",
            "an NVQ Level 3",
        ] {
            lacks(text, Count);
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "£",
            "£-",
            "£3-",
            "£3-£",
            "£3 to £",
            "2019/",
            "/20",
            "FY",
            "FY'",
            "—1—",
            "1–",
            "–1",
            "é1é",
            "１２ apprentices",
            "1\u{301} 2",
            "between",
            "£1.2m-",
            "2020-",
            "x 1 x",
        ] {
            let _ = measures(text);
        }
    }
}
