//! Measure totals: which measures count as apprenticeships, jobs, hours, local spend or carbon,
//! and how they add up.
//!
//! Only commitments are totalled (a promise; track record and aspirations are not added).
//! A measure belongs to a category by its kind and unit, and for money and carbon also by the
//! passage's themes:
//!
//! | category | measures |
//! |---|---|
//! | apprenticeships | counts of apprentices or apprenticeships |
//! | jobs | counts of jobs, roles, posts, positions, vacancies; FTE |
//! | hours | hours (volunteering, careers talks, training) |
//! | local spend | money in a passage with the `local-supply-chain` theme |
//! | carbon | tonnes (of CO2e) in a passage with the `carbon-reduction` theme |
//!
//! Which figures add up:
//! * only figures written in the passage itself: a list item is classified with its lead-in
//!   ("We will give 120 hours a year to: …"), whose figure belongs to the lead-in's own passage;
//! * not tonnes that the text calls a baseline or a footprint (what is emitted, not saved),
//!   nor the denominator of a rate ("per 100,000 hours worked");
//! * within one passage, the largest figure of a category and unit: a second figure is usually
//!   a part of the first ("£1.2 million a year. At least £150,000 a year of that …");
//! * across passages, each distinct figure once: suppliers repeat their headline figures (a
//!   summary table, then the plan, then the method statement). Every passage that states a
//!   figure is listed as its evidence.

use std::collections::BTreeMap;

use crate::classify::{Measure, MeasureKind, MeasureValue};

use super::model::{Category, Total};

/// The category and unit a measure counts towards, if any.
pub fn categorise(m: &Measure, themes: &[String]) -> Option<(Category, &'static str)> {
    let unit = m.unit.as_deref().unwrap_or("").to_ascii_lowercase();
    let has_theme = |t: &str| themes.iter().any(|x| x == t);
    match m.kind {
        MeasureKind::Count => {
            if unit.contains("apprentice") {
                Some((Category::Apprenticeships, "apprentices"))
            } else if is_job_unit(&unit) {
                Some((Category::Jobs, "jobs"))
            } else if (unit.contains("tonne") || unit.contains("tco2"))
                && has_theme("carbon-reduction")
            {
                Some((Category::Carbon, "tCO2e"))
            } else {
                None
            }
        }
        MeasureKind::Fte => Some((Category::Jobs, "FTE")),
        MeasureKind::Hours => Some((Category::Hours, "hours")),
        MeasureKind::Money if has_theme("local-supply-chain") => match unit.as_str() {
            "gbp" => Some((Category::LocalSpend, "GBP")),
            "gbp/year" => Some((Category::LocalSpend, "GBP/year")),
            _ => None,
        },
        _ => None,
    }
}

fn is_job_unit(unit: &str) -> bool {
    let last = unit.rsplit(' ').next().unwrap_or(unit);
    matches!(
        last,
        "job" | "role" | "post" | "position" | "vacancy" | "vacancie" | "opportunity"
    ) && !unit.contains("placement")
}

/// The number of a measure, when it has one.
pub fn measure_number(m: &Measure) -> Option<f64> {
    match m.value {
        MeasureValue::Number(v) if v.is_finite() && v >= 0.0 => Some(v),
        _ => None,
    }
}

/// Whether a measure of a passage's classified text counts towards a total of the passage:
/// written in the passage's own text, and for carbon not a baseline or footprint.
pub fn counts(m: &Measure, cat: Category, own_text: &str) -> bool {
    if m.text.is_empty() {
        return false;
    }
    let Some(at) = own_text.find(m.text.as_str()) else {
        return false;
    };
    // A rate's denominator ("0.09 incidents per 100,000 hours worked") is not an amount.
    let before = own_text.get(..at).unwrap_or("").trim_end().to_lowercase();
    if before.ends_with(" per") || before.ends_with(" every") || before.ends_with('/') {
        return false;
    }
    if cat == Category::Carbon {
        let before = own_text.get(..at).unwrap_or("");
        let sentence = before.rsplit(['.', ';', '!', '?']).next().unwrap_or(before);
        let lower = sentence.to_lowercase();
        if [
            "baseline",
            "footprint",
            "emitted",
            "we emit",
            "emissions were",
            "emissions of",
        ]
        .iter()
        .any(|w| lower.contains(w))
        {
            return false;
        }
    }
    true
}

/// Whether a passage states a figure that a total would count.
pub fn has_figure(themes: &[String], own_text: &str, measures: &[Measure]) -> bool {
    measures.iter().any(|m| {
        categorise(m, themes).is_some_and(|(cat, _)| counts(m, cat, own_text))
            && measure_number(m).is_some()
    })
}

/// Adds measures up by category and unit, counting a repeated figure once.
#[derive(Default)]
pub struct Totaller {
    /// (category, unit) -> figure (as bits, for exact equality) -> passage ids stating it.
    figures: BTreeMap<(Category, &'static str), BTreeMap<u64, Vec<String>>>,
}

impl Totaller {
    /// Add the figures of one passage (`own_text`: the passage's text without its lead-in).
    pub fn add(&mut self, passage: &str, themes: &[String], own_text: &str, measures: &[Measure]) {
        // The largest figure per category and unit in this passage.
        let mut largest: BTreeMap<(Category, &'static str), f64> = BTreeMap::new();
        for m in measures {
            let (Some((cat, unit)), Some(v)) = (categorise(m, themes), measure_number(m)) else {
                continue;
            };
            if !counts(m, cat, own_text) {
                continue;
            }
            let slot = largest.entry((cat, unit)).or_insert(v);
            *slot = slot.max(v);
        }
        for (key, v) in largest {
            let ids = self
                .figures
                .entry(key)
                .or_default()
                .entry(v.to_bits())
                .or_default();
            if ids.last().map(String::as_str) != Some(passage) {
                ids.push(passage.to_string());
            }
        }
    }

    /// The totals in category order, each with its evidence in the order it was added.
    pub fn totals(&self, order: &dyn Fn(&str) -> usize) -> Vec<Total> {
        self.figures
            .iter()
            .map(|((cat, unit), figures)| {
                let value = figures.keys().map(|b| f64::from_bits(*b)).sum();
                let mut evidence: Vec<String> = figures.values().flatten().cloned().collect();
                evidence.sort_by_key(|id| order(id));
                evidence.dedup();
                Total {
                    category: *cat,
                    unit: unit.to_string(),
                    value,
                    evidence,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::RuleId;

    fn measure(kind: MeasureKind, value: f64, unit: &str) -> Measure {
        Measure {
            kind,
            value: MeasureValue::Number(value),
            unit: Some(unit.to_string()),
            text: format!("{value} {unit}"),
            start: 0,
            end: 0,
            rule: RuleId("measure.test".into()),
        }
    }

    #[test]
    fn categories_by_kind_unit_and_theme() {
        let none: Vec<String> = Vec::new();
        let local = vec!["local-supply-chain".to_string()];
        let carbon = vec!["carbon-reduction".to_string()];
        let c = |m: Measure, t: &[String]| categorise(&m, t);
        assert_eq!(
            c(measure(MeasureKind::Count, 8.0, "apprentice"), &none),
            Some((Category::Apprenticeships, "apprentices"))
        );
        assert_eq!(
            c(measure(MeasureKind::Count, 2.0, "permanent role"), &none),
            Some((Category::Jobs, "jobs"))
        );
        assert_eq!(
            c(
                measure(MeasureKind::Count, 2.0, "T Level industry placement"),
                &none
            ),
            None
        );
        assert_eq!(
            c(measure(MeasureKind::Money, 5000.0, "GBP"), &none),
            None,
            "money that is not local spend"
        );
        assert_eq!(
            c(measure(MeasureKind::Money, 5000.0, "GBP/year"), &local),
            Some((Category::LocalSpend, "GBP/year"))
        );
        assert_eq!(
            c(measure(MeasureKind::Count, 40.0, "tonne"), &carbon),
            Some((Category::Carbon, "tCO2e"))
        );
        assert_eq!(c(measure(MeasureKind::Count, 40.0, "tonne"), &none), None);
        assert_eq!(
            c(measure(MeasureKind::Hours, 120.0, "hour"), &none),
            Some((Category::Hours, "hours"))
        );
    }

    #[test]
    fn repeated_figures_count_once_and_keep_all_evidence() {
        let mut t = Totaller::default();
        let none: Vec<String> = Vec::new();
        let text = "We will recruit 8 apprentices, 2 apprentice and give 50 hours.";
        t.add(
            "a:1",
            &none,
            text,
            &[measure(MeasureKind::Count, 8.0, "apprentices")],
        );
        t.add(
            "a:7",
            &none,
            text,
            &[measure(MeasureKind::Count, 8.0, "apprentices")],
        );
        t.add(
            "a:9",
            &none,
            text,
            &[measure(MeasureKind::Count, 2.0, "apprentice")],
        );
        t.add(
            "a:9",
            &none,
            text,
            &[measure(MeasureKind::Hours, 50.0, "hours")],
        );
        // A figure of the lead-in, not in the item's own text, does not count here.
        t.add(
            "a:10",
            &none,
            "careers talks in schools",
            &[measure(MeasureKind::Hours, 120.0, "hours")],
        );
        let order = |id: &str| {
            id.rsplit(':')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        let totals = t.totals(&order);
        assert_eq!(totals.len(), 2);
        assert_eq!(totals[0].category, Category::Apprenticeships);
        assert_eq!(totals[0].value, 10.0);
        assert_eq!(totals[0].evidence, vec!["a:1", "a:7", "a:9"]);
        assert_eq!(totals[1].value, 50.0);
    }

    #[test]
    fn a_part_of_a_figure_and_a_baseline_do_not_add() {
        let local = vec![
            "local-supply-chain".to_string(),
            "carbon-reduction".to_string(),
        ];
        let mut t = Totaller::default();
        let mut a = measure(MeasureKind::Money, 1_200_000.0, "GBP/year");
        a.text = "£1.2 million a year".into();
        let mut b = measure(MeasureKind::Money, 150_000.0, "GBP/year");
        b.text = "£150,000 a year".into();
        let mut c = measure(MeasureKind::Count, 612.0, "tonne");
        c.text = "612 tonnes".into();
        t.add(
            "a:1",
            &local,
            "We will spend about £1.2 million a year locally. At least £150,000 a year of that will go to small firms. Our baseline is 612 tonnes CO2e.",
            &[a, b, c.clone()],
        );
        t.add("a:2", &local, "We will save 612 tonnes of CO2e.", &[c]);
        let mut rate = measure(MeasureKind::Hours, 100_000.0, "hour");
        rate.text = "100,000 hours".into();
        t.add(
            "a:3",
            &local,
            "We will keep below 0.1 incidents per 100,000 hours worked.",
            &[rate],
        );
        let totals = t.totals(&|_| 0);
        assert_eq!(totals.len(), 2, "{totals:?}");
        assert_eq!(totals[0].category, Category::LocalSpend);
        assert_eq!(totals[0].value, 1_200_000.0);
        assert_eq!(totals[1].category, Category::Carbon);
        assert_eq!(totals[1].evidence, vec!["a:2"]);
    }
}
