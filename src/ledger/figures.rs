//! Delivered figures: the quantities a monitoring return states, each with the words that say
//! what it counts and whether it is a per-period or a cumulative figure.
//!
//! A return's passages are classified as any other ([`crate::classify`]); each quantity
//! measure (count, money, percent, hours, FTE) of a passage that is not itself a promise
//! becomes a [`Figure`]. Its context is its clause in prose ("7 apprentices this quarter") or,
//! in a table row, the row's label (first cell) and its column's header ("Apprentices started
//! | 1 | 3" under "KPI | This quarter | Contract to date"). A bare number in a KPI row takes
//! its kind from the label or header ("Careers hours", "Local spend (£)", "% paid in 14
//! days"). A figure is cumulative when its context says so ("to date", "since the start",
//! "cumulative", "in total", "so far"); otherwise it reports the period alone.

use crate::classify::{Measure, MeasureKind, MeasureValue, StatementKind};
use crate::index::records::PassageRecord;
use crate::period::Month;

/// One delivered figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub kind: MeasureKind,
    pub value: f64,
    /// What a count counts, when the text says.
    pub unit: Option<String>,
    /// The words around it that say what it is (its clause, or its row's label and column).
    pub context: String,
    /// Over the contract to date, not the period alone.
    pub cumulative: bool,
    /// The measure's words as the return wrote them.
    pub text: String,
}

/// Cues that a figure is a running total.
const CUMULATIVE: [&str; 12] = [
    "to date",
    "so far",
    "cumulative",
    "in total",
    "total to",
    "since the start",
    "since start",
    "since contract",
    "since the contract",
    "since we started",
    "year to date",
    "ytd",
];

fn is_cumulative(context: &str) -> bool {
    let c = context.to_lowercase();
    CUMULATIVE.iter().any(|cue| c.contains(cue)) || c.split_whitespace().any(|w| w == "total")
}

/// The figures a return's passage states. `classified` is the text the classifier read (the
/// row's header and a space before a table row's text), which the measures' offsets index.
pub fn figures(p: &PassageRecord, lead_in: Option<&str>, table_row: bool) -> Vec<Figure> {
    // "We will recruit three more next quarter" is a promise, not a delivery. A row of a
    // return's KPI sheet is not, though the classifier reads a verbless row with a target
    // column as an offer ("SV1 | Apprenticeship starts | 1 | 9 | 8"): there only a row that
    // says so itself promises.
    let promise = matches!(
        p.kind,
        StatementKind::Commitment | StatementKind::Aspiration
    );
    if promise && (!table_row || promises_itself(&p.text)) {
        return Vec::new();
    }
    let classified = match lead_in {
        Some(lead) => format!("{lead} {}", p.text),
        None => p.text.clone(),
    };
    let row_start = lead_in.map_or(0, |l| l.len() + 1);
    let cells = if table_row {
        number_cells(&p.text, row_start, &p.measures)
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for m in p.measures.iter().chain(&cells) {
        if !m.kind.is_quantity() {
            continue;
        }
        let MeasureValue::Number(value) = m.value else {
            continue;
        };
        if !value.is_finite() {
            continue;
        }
        let (context, labelled) = if table_row {
            (row_context(&classified, row_start, lead_in, m), true)
        } else {
            labelled_clause(&classified, m.start, m.end)
        };
        // "169 against the 120 we promised": the plan's figure restated, not a delivery; in a
        // sheet, so is the figure under a "Target" column.
        if restates_target(&classified, m.start)
            || (table_row && target_column(&classified, row_start, lead_in, m))
        {
            continue;
        }
        let mut kind = m.kind;
        let mut unit = m.unit.clone();
        // A bare number under a label ("Hours of careers activity: 36") has the label's kind,
        // and so does one whose clause names what it counts before it, with no other number
        // between ("Careers hours for the year reached 169").
        if kind == MeasureKind::Count && unit.is_none() {
            let named = if labelled {
                Some(context.as_str())
            } else {
                clause_before(&classified, m.start)
            };
            if let Some(k) = named.and_then(kind_from_label) {
                kind = k;
            }
        }
        if kind != MeasureKind::Count {
            unit = m.unit.clone().filter(|_| kind == m.kind);
        }
        // A bare year in a row ("2027") or a reference number is not a delivered figure.
        if unit.is_none() && year_like(kind, value) {
            continue;
        }
        out.push(Figure {
            kind,
            value,
            unit,
            cumulative: is_cumulative(&context),
            context,
            text: m.text.clone(),
        });
    }
    if !table_row {
        out.extend(label_figures(&classified, &p.measures));
    }
    out
}

/// Bare figures after a label that end their sentence ("Hours of careers activity in schools:
/// 36.", "Local hires (FTE) in the quarter: 4.5."), which the classifier reads as no measure
/// (in a tender, a lone number is more often a reference than a quantity), when no measure
/// covers them. The label gives the kind, as for a KPI row.
fn label_figures(text: &str, measures: &[Measure]) -> Vec<Figure> {
    static LABELLED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r":[ \t]*(\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)[ \t]*(?:[.;]|$)")
            .expect("a valid regex")
    });
    let mut out = Vec::new();
    for c in LABELLED.captures_iter(text) {
        let Some(num) = c.get(1) else { continue };
        if measures
            .iter()
            .any(|m| m.start < num.end() && num.start() < m.end)
        {
            continue;
        }
        let Ok(value) = num.as_str().replace(',', "").parse::<f64>() else {
            continue;
        };
        let (context, labelled) = labelled_clause(text, num.start(), num.end());
        if !labelled || !value.is_finite() || restates_target(text, num.start()) {
            continue;
        }
        let kind = kind_from_label(&context).unwrap_or(MeasureKind::Count);
        if year_like(kind, value) {
            continue;
        }
        out.push(Figure {
            kind,
            value,
            unit: None,
            cumulative: is_cumulative(&context),
            context,
            text: num.as_str().to_string(),
        });
    }
    out
}

/// The clause around `start..end`, with the label before it when the sentence is a label, a
/// colon and the figure ("Library drop-ins this quarter: 11, in ...", "Local hires (FTE) in
/// the quarter: 4.5", "Apprenticeships: 2 new starts"): returns write KPIs as prose that way.
/// Says whether a label was taken.
fn labelled_clause(text: &str, start: usize, end: usize) -> (String, bool) {
    let (from, to) = clause_bounds(text, start, end);
    let own = text.get(from..to).unwrap_or("").trim();
    let figure = text.get(start..end).unwrap_or("");
    let words = |s: &str| {
        s.split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() > 1)
            .count()
    };
    let colon = text
        .get(..from)
        .and_then(|b| b.trim_end().char_indices().last())
        .filter(|(_, c)| *c == ':');
    let Some((at, _)) = colon else {
        return (own.to_string(), false);
    };
    // The label runs from the start of its sentence or line to the colon.
    let head = text.get(..at).unwrap_or("");
    let label_from = head
        .char_indices()
        .rev()
        .find(|(i, c)| {
            matches!(c, ';' | '|' | '\n' | '!' | '?' | '•')
                || (*c == '.'
                    && !head[i + 1..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_ascii_digit()))
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    let label = head.get(label_from..).unwrap_or("").trim();
    let label_words = words(label);
    if label_words == 0 || (label_words > 8 && words(&own.replacen(figure, " ", 1)) >= 2) {
        return (own.to_string(), false);
    }
    (format!("{label}: {own}"), true)
}

/// Where the clause around `start..end` begins and ends: from the previous sentence or clause
/// break to the next.
fn clause_bounds(text: &str, start: usize, end: usize) -> (usize, usize) {
    let breaks = |c: char| matches!(c, '.' | ';' | ',' | ':' | '(' | ')' | '|');
    let start = start.min(text.len());
    let end = end.clamp(start, text.len());
    let before = text.get(..start).unwrap_or("");
    let from = before
        .char_indices()
        .rev()
        .find(|(i, c)| {
            // A decimal point or a thousands comma is not a break.
            breaks(*c)
                && !(matches!(c, '.' | ',')
                    && before[i + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_ascii_digit()))
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    let after = text.get(end..).unwrap_or("");
    let to = after
        .char_indices()
        .find(|(i, c)| {
            breaks(*c)
                && !(matches!(c, '.' | ',')
                    && after[i + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_ascii_digit()))
        })
        .map_or(text.len(), |(i, _)| end + i);
    (from, to)
}

/// A table row's label (first cell), the cell with the measure and its column's header.
fn row_context(classified: &str, row_start: usize, lead_in: Option<&str>, m: &Measure) -> String {
    let row = classified.get(row_start..).unwrap_or("");
    let cells: Vec<&str> = row.split(" | ").collect();
    let at = m.start.saturating_sub(row_start);
    let column = row
        .get(..at.min(row.len()))
        .map_or(0, |before| before.matches(" | ").count());
    let header: Vec<&str> = lead_in
        .map(|h| h.split(" | ").collect())
        .unwrap_or_default();
    let mut parts: Vec<&str> = Vec::new();
    if let Some(label) = cells.first() {
        parts.push(label);
    }
    if let Some(h) = header.first() {
        parts.push(h);
    }
    // Cells between the label and the figure that hold no number are its unit ("%", "FTE",
    // "hours", "no."): a KPI sheet often gives the unit a column of its own.
    for cell in cells.iter().take(column).skip(1) {
        if !cell.trim().is_empty() && !cell.bytes().any(|b| b.is_ascii_digit()) {
            parts.push(cell);
        }
    }
    if column > 0 {
        if let Some(cell) = cells.get(column) {
            parts.push(cell);
        }
        if let Some(h) = header.get(column) {
            parts.push(h);
        }
    }
    parts.join(" | ")
}

/// The cells of a table row that hold a number alone and no measure covers: a KPI sheet's
/// figures, which the classifier may not read as measures ("99.93" is a decimal, and a lone
/// decimal in prose is more often a clause number than a quantity). As bare counts; the label
/// and column give them their kind. Offsets are into the classified text (`row_start` is where
/// the row begins in it).
fn number_cells(row: &str, row_start: usize, measures: &[Measure]) -> Vec<Measure> {
    let mut out = Vec::new();
    let mut from = 0;
    for cell in row.split('|') {
        let at = from;
        from += cell.len() + 1;
        let text = cell.trim();
        let Some(value) = cell_number(text) else {
            continue;
        };
        let start = row_start + at + (cell.len() - cell.trim_start().len());
        let end = start + text.len();
        if measures.iter().any(|m| m.start < end && start < m.end) {
            continue;
        }
        out.push(Measure {
            kind: MeasureKind::Count,
            value: MeasureValue::Number(value),
            unit: None,
            text: text.to_string(),
            start,
            end,
            rule: crate::classify::RuleId::from("ledger.number-cell"),
        });
    }
    out
}

/// A cell's number: digits with thousands commas or a decimal point, a sign, a trailing `%`.
fn cell_number(cell: &str) -> Option<f64> {
    let body = cell.strip_suffix('%').unwrap_or(cell).trim_end();
    let digits = body.strip_prefix('-').unwrap_or(body);
    if digits.is_empty()
        || digits.len() > 24
        || !digits.starts_with(|c: char| c.is_ascii_digit())
        || !digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        return None;
    }
    body.replace(',', "")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// The months a table row's first cell names when that cell is a period and nothing else:
/// "2028 Q1", "Q1 2028", "Jan-Mar 2028", "April 2028" (first and last month). A year alone
/// names none (a year's row may be a total to date).
pub fn row_period(row: &str) -> Option<(Month, Month)> {
    let cell = row.split('|').next()?.trim();
    let words: Vec<String> = cell
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '/' | ','))
        .filter(|w| !w.is_empty())
        .take(5)
        .map(|w| w.to_ascii_lowercase())
        .collect();
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    let mut year = None;
    let mut months: Vec<u8> = Vec::new();
    for w in &words {
        if let Some(y) = w.parse::<i32>().ok().filter(|y| (1990..=2200).contains(y)) {
            year = Some(y);
        } else if let Some(q) = w
            .strip_prefix('q')
            .and_then(|q| q.parse::<u8>().ok())
            .filter(|q| (1..=4).contains(q))
        {
            months.extend([q * 3 - 2, q * 3]);
        } else if let Some(m) = crate::classify::numbers::month_number(w) {
            months.push(m as u8);
        } else {
            return None;
        }
    }
    let year = year?;
    let from = Month::new(year, *months.iter().min()?)?;
    let to = Month::new(year, *months.iter().max()?)?;
    Some((from, to))
}

/// Whether a row's own words promise (rather than report): a future or an intention.
fn promises_itself(row: &str) -> bool {
    row.split(|c: char| !(c.is_ascii_alphabetic() || c == '\'' || c == '’'))
        .map(|w| w.to_ascii_lowercase())
        .any(|w| {
            matches!(
                w.as_str(),
                "will" | "shall" | "we'll" | "we’ll" | "plan" | "plans" | "aim" | "aims" | "intend"
            )
        })
}

/// Whether the figure `m` of a table row stands under a column of the plan's figures
/// ("Target", "Contract target", "Plan", "Goal", "Baseline").
fn target_column(classified: &str, row_start: usize, lead_in: Option<&str>, m: &Measure) -> bool {
    let row = classified.get(row_start..).unwrap_or("");
    let at = m.start.saturating_sub(row_start);
    let column = row
        .get(..at.min(row.len()))
        .map_or(0, |before| before.matches(" | ").count());
    let Some(header) = lead_in.and_then(|h| h.split(" | ").nth(column)) else {
        return false;
    };
    header
        .split(|c: char| !c.is_ascii_alphabetic())
        .map(|w| w.to_ascii_lowercase())
        .any(|w| {
            matches!(
                w.as_str(),
                "target" | "targets" | "plan" | "planned" | "goal" | "promised" | "baseline"
            )
        })
}

/// A bare count that reads as a year ("2027" in a row, "Ref: 2027."): no delivered figure.
fn year_like(kind: MeasureKind, value: f64) -> bool {
    kind == MeasureKind::Count && value.fract() == 0.0 && (1990.0..=2200.0).contains(&value)
}

/// The words of the clause before the figure at `start`, when no other number is among them.
fn clause_before(text: &str, start: usize) -> Option<&str> {
    let (from, _) = clause_bounds(text, start, start);
    let before = text.get(from..start)?;
    (!before.chars().any(|c| c.is_ascii_digit())).then_some(before)
}

/// Whether the figure at `start` is the plan's own figure restated beside a delivery
/// ("against the 120 we promised", "a target of 40").
fn restates_target(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("").trim_end().to_lowercase();
    let words: Vec<&str> = before.split_whitespace().rev().take(3).collect();
    let number = |w: &str| {
        w.chars().all(|c| c.is_ascii_digit() || c == ',')
            || crate::classify::numbers::parse_number(w).is_some()
    };
    matches!(
        words.as_slice(),
        ["against" | "target" | "targets", ..]
            | ["the", "against", ..]
            | ["of", "target" | "targets", ..]
    ) || matches!(words.as_slice(), ["the", "of", n, ..] if number(n))
}

/// The kind a bare number in a KPI row has, by its label or column.
fn kind_from_label(context: &str) -> Option<MeasureKind> {
    let c = context.to_lowercase();
    let words: Vec<&str> = c
        .split(|ch: char| !ch.is_alphanumeric() && ch != '%' && ch != '£')
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    if c.contains('%') || c.contains("per cent") || has("percent") || has("percentage") {
        Some(MeasureKind::Percent)
    } else if c.contains('£') || has("gbp") || has("spend") || has("value") || has("pounds") {
        Some(MeasureKind::Money)
    } else if has("hours") || has("hrs") || has("hour") {
        Some(MeasureKind::Hours)
    } else if has("fte") {
        Some(MeasureKind::Fte)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheets_number_cells_are_figures_and_its_target_column_is_not() {
        let lead = "KPI | Unit | Q2 | Target";
        let row = "Core-hours availability | % | 99.93 | 99.8";
        let classified = format!("{lead} {row}");
        let cells = number_cells(row, lead.len() + 1, &[]);
        let got: Vec<(&str, f64)> = cells
            .iter()
            .map(|m| match m.value {
                MeasureValue::Number(v) => (&classified[m.start..m.end], v),
                _ => ("", 0.0),
            })
            .collect();
        assert_eq!(got, vec![("99.93", 99.93), ("99.8", 99.8)]);
        let target = |m: &Measure| target_column(&classified, lead.len() + 1, Some(lead), m);
        assert!(!target(&cells[0]));
        assert!(target(&cells[1]));
        // A cell a measure already covers is not read twice; words and codes are no number.
        assert!(number_cells("SV1 | 12 | n/a | 3a | -", 0, &cells[..0]).len() == 1);
        assert_eq!(cell_number("-21%"), Some(-21.0));
        assert_eq!(cell_number("1,250"), Some(1250.0));
        assert_eq!(cell_number("Q2"), None);
    }

    #[test]
    fn a_row_labelled_by_a_period_says_which() {
        let m = |y, n| Month::new(y, n).unwrap();
        assert_eq!(
            row_period("2028 Q1 | 2 | 4.5"),
            Some((m(2028, 1), m(2028, 3)))
        );
        assert_eq!(row_period("Q3 2028 | 0"), Some((m(2028, 7), m(2028, 9))));
        assert_eq!(
            row_period("Jan-Mar 2028 | 7"),
            Some((m(2028, 1), m(2028, 3)))
        );
        assert_eq!(row_period("April 2028 | 7"), Some((m(2028, 4), m(2028, 4))));
        assert_eq!(row_period("2028 | 40"), None);
        assert_eq!(row_period("Apprentices in Q1 2028 | 2"), None);
        assert_eq!(row_period("Local FTE | 2.5"), None);
    }

    #[test]
    fn a_row_promises_only_in_its_own_words() {
        assert!(promises_itself("Next quarter | we will recruit 3"));
        assert!(!promises_itself(
            "Apprenticeship starts | starts | 1 | 9 | 8"
        ));
    }

    #[test]
    fn a_clause_stops_at_commas_but_not_inside_numbers() {
        let t =
            "We employed 7 apprentices this quarter, bringing the total to 12. Spend was £48,200.";
        let seven = t.find('7').unwrap();
        assert_eq!(
            labelled_clause(t, seven, seven + 1).0,
            "We employed 7 apprentices this quarter"
        );
        let twelve = t.find("12").unwrap();
        assert_eq!(
            labelled_clause(t, twelve, twelve + 2).0,
            "bringing the total to 12"
        );
        let money = t.find('£').unwrap();
        assert_eq!(labelled_clause(t, money, money + 8).0, "Spend was £48,200");
        assert!(is_cumulative("bringing the total to 12"));
        let t = "Invoices paid within 14 days: 98% (412 of 421). Library drop-ins: 11, in Crewe";
        let at = t.find("98%").unwrap();
        assert_eq!(
            labelled_clause(t, at, at + 3).0,
            "Invoices paid within 14 days: 98%"
        );
        let at = t.find("11").unwrap();
        assert_eq!(labelled_clause(t, at, at + 2).0, "Library drop-ins: 11");
        let at = t.find("14").unwrap();
        assert_eq!(
            labelled_clause(t, at, at + 2).0,
            "Invoices paid within 14 days"
        );
        assert!(!is_cumulative("We employed 7 apprentices this quarter"));
        let t = "Headlines. Local hires (FTE) in the quarter: 4.5. Apprenticeships: 2 new starts.";
        let at = t.find("4.5").unwrap();
        assert_eq!(
            labelled_clause(t, at, at + 3),
            ("Local hires (FTE) in the quarter: 4.5".to_string(), true)
        );
        let at = t.find("2 new").unwrap();
        assert_eq!(
            labelled_clause(t, at, at + 1).0,
            "Apprenticeships: 2 new starts"
        );
    }

    #[test]
    fn restated_targets_and_bare_labelled_figures() {
        let t = "Careers hours for the year reached 169 against the 120 we promised.";
        assert!(restates_target(t, t.find("120").unwrap()));
        assert!(!restates_target(t, t.find("169").unwrap()));
        assert!(restates_target("a target of 40", 12));
        // "4 of the 6 vans": the 6 is the whole, not a delivery.
        let vans = "4 of the 6 diesel vans have been replaced";
        assert!(restates_target(vans, vans.find('6').unwrap()));
        assert!(!restates_target(vans, 0));
        // The clause names what its bare number counts, before it and with no other number.
        let before = clause_before(t, t.find("169").unwrap()).unwrap();
        assert_eq!(kind_from_label(before), Some(MeasureKind::Hours));
        let t = "In 3 weeks we helped 40 people";
        assert_eq!(clause_before(t, t.find("40").unwrap()), None);
        // A label, a colon and a lone number that ends the sentence: a figure of the label's
        // kind, unless a measure covers it.
        let t = "Hours of careers activity in schools: 36. Local hires (FTE) in the quarter: 4.5. \
                 Ref: 2027.";
        let found = label_figures(t, &[]);
        let got: Vec<(MeasureKind, f64)> = found.iter().map(|f| (f.kind, f.value)).collect();
        assert_eq!(
            got,
            vec![(MeasureKind::Hours, 36.0), (MeasureKind::Fte, 4.5)]
        );
        assert_eq!(found[0].context, "Hours of careers activity in schools: 36");
        let at = t.find("36").unwrap();
        let covering = Measure {
            kind: MeasureKind::Count,
            value: MeasureValue::Number(36.0),
            unit: None,
            text: "36".into(),
            start: at,
            end: at + 2,
            rule: crate::classify::ids::RuleId::from("count"),
        };
        assert_eq!(label_figures(t, &[covering]).len(), 1);
    }

    #[test]
    fn a_row_figure_reads_its_label_and_column() {
        let header = "KPI | This quarter | Contract to date";
        let row = "Careers hours | 30 | 68";
        let classified = format!("{header} {row}");
        let at = classified.rfind("68").unwrap();
        let m = Measure {
            kind: MeasureKind::Count,
            value: MeasureValue::Number(68.0),
            unit: None,
            text: "68".into(),
            start: at,
            end: at + 2,
            rule: crate::classify::ids::RuleId::from("count"),
        };
        let c = row_context(&classified, header.len() + 1, Some(header), &m);
        assert_eq!(c, "Careers hours | KPI | 68 | Contract to date");
        assert!(is_cumulative(&c));
        assert_eq!(kind_from_label(&c), Some(MeasureKind::Hours));
        assert_eq!(
            kind_from_label("Local spend (£) | KPI"),
            Some(MeasureKind::Money)
        );
        assert_eq!(
            kind_from_label("Invoices paid in 14 days (%)"),
            Some(MeasureKind::Percent)
        );
        assert_eq!(kind_from_label("Apprentices started"), None);
        assert_eq!(
            kind_from_label("Spend with local SMEs (%)"),
            Some(MeasureKind::Percent)
        );
    }
}
