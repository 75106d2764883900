//! The report's ledger section, decided once for every format: each commitment of an awarded
//! supplier against what its monitoring returns say, as plain-text cells, and the series that
//! the HTML report draws as a small chart (target against delivered over time).
//!
//! Rows the returns cannot judge (`not_measurable`) are left out here; `tenderscope ledger`
//! lists them all.

use crate::ledger::{figure_text, Row, Shape, Status};
use crate::period::Period;

/// The section's heading, in every format.
pub const HEADING: &str = "Commitments against delivery";

/// Under the heading, with the month the ledger was judged at after it.
pub const NOTE: &str = "What each awarded supplier promised against what its monitoring returns \
                        say. Figures that answer no commitment are listed as unmatched. As at";

/// One line of the ledger section.
pub struct LedgerLine<'r> {
    pub supplier: &'r str,
    /// `met`, `on_track`, ..., or `unmatched` for a figure that answers no commitment.
    pub status: &'static str,
    pub target: String,
    pub expected: String,
    pub to_date: String,
    /// Each period's own figure: `2027-Q1 3, 2027-Q2 4`.
    pub per_period: String,
    /// The commitment's text, or the unmatched figure's quote.
    pub text: &'r str,
    /// Each figure with its citation: `2027-Q2 4 apprentices: q2.docx p.1`.
    pub evidence: Vec<String>,
    /// Earlier returns that later ones replaced.
    pub corrected: &'r [String],
    pub chart: Option<Chart>,
}

/// What the chart of one commitment shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub target: f64,
    /// Expected so far, at the last period.
    pub expected: Option<f64>,
    /// For a rate or standard, the level reached in each period; else the running total.
    pub rate: bool,
    /// Each period, oldest first: its label, its own figure, and the level or running total
    /// the line is drawn through.
    pub points: Vec<Point>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub period: String,
    pub delivered: Option<f64>,
    pub line: f64,
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The lines of the section, in the ledger's order.
pub fn lines(rows: &[Row]) -> Vec<LedgerLine<'_>> {
    rows.iter()
        .filter(|row| row.unmatched || row.status.is_some_and(|s| s != Status::NotMeasurable))
        .map(|row| LedgerLine {
            supplier: &row.supplier,
            status: row.status.map_or("unmatched", Status::as_str),
            target: row
                .target
                .as_ref()
                .map_or_else(|| "-".to_string(), |t| t.text.clone()),
            expected: row.expected.map_or_else(|| "-".to_string(), figure_text),
            to_date: row.cumulative.map_or_else(|| "-".to_string(), figure_text),
            per_period: row
                .delivered
                .iter()
                .map(|d| format!("{} {}", d.period, figure_text(d.value)))
                .collect::<Vec<_>>()
                .join(", "),
            text: row
                .commitment
                .as_deref()
                .or(row.evidence.first().map(|e| e.quote.as_str()))
                .unwrap_or(""),
            evidence: row
                .evidence
                .iter()
                .map(|e| {
                    format!(
                        "{} {}: {} p.{}",
                        e.period,
                        e.figure,
                        file_name(&e.file),
                        e.page
                    )
                })
                .collect(),
            corrected: &row.corrected,
            chart: chart(row),
        })
        .collect()
}

impl LedgerLine<'_> {
    /// The chart as words, for formats without pictures: the running total (a rate: the level
    /// reached) by period, `2027-Q1 2, 2027-Q2 5 of 8`.
    pub fn over_time(&self) -> String {
        let Some(c) = &self.chart else {
            return String::new();
        };
        let points: Vec<String> = c
            .points
            .iter()
            .map(|p| format!("{} {}", p.period, figure_text(p.line)))
            .collect();
        format!("{} of {}", points.join(", "), figure_text(c.target))
    }
}

/// The chart of a row with a target and figures for at least one period.
pub fn chart(row: &Row) -> Option<Chart> {
    let target = row.target.as_ref()?;
    if row.unmatched || !target.value.is_finite() || target.value <= 0.0 {
        return None;
    }
    let rate = matches!(target.shape, Shape::Rate);
    let mut periods: Vec<Period> = row
        .delivered
        .iter()
        .chain(&row.reported_to_date)
        .map(|d| d.period)
        .collect();
    periods.sort();
    periods.dedup();
    if periods.is_empty() {
        return None;
    }
    let mut running = 0.0;
    let points = periods
        .into_iter()
        .map(|p| {
            let own = row
                .delivered
                .iter()
                .find(|d| d.period == p)
                .map(|d| d.value);
            let reported = row
                .reported_to_date
                .iter()
                .find(|d| d.period == p)
                .map(|d| d.value);
            let line = if rate {
                own.or(reported).unwrap_or(running)
            } else {
                // A running total the return itself reports wins over our own sum.
                reported.unwrap_or(running + own.unwrap_or(0.0))
            };
            running = line;
            Point {
                period: p.to_string(),
                delivered: own,
                line,
            }
        })
        .collect();
    Some(Chart {
        target: target.value,
        expected: if rate { None } else { row.expected },
        rate,
        points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::MeasureKind;
    use crate::ledger::{PeriodFigure, Target};
    use crate::period::Month;

    fn period(s: &str) -> Period {
        s.parse().expect("a period")
    }

    fn row(shape: Shape, delivered: &[(&str, f64)], reported: &[(&str, f64)]) -> Row {
        let figures = |list: &[(&str, f64)]| {
            list.iter()
                .map(|(p, v)| PeriodFigure {
                    period: period(p),
                    value: *v,
                })
                .collect()
        };
        Row {
            tender: "t".into(),
            supplier: "s".into(),
            commitment: Some("We will employ 8 apprentices by March 2029.".into()),
            commitment_id: None,
            commitment_file: None,
            commitment_page: None,
            target: Some(Target {
                kind: MeasureKind::Count,
                value: 8.0,
                unit: None,
                text: "8".into(),
                shape,
                start: None,
            }),
            expected: Some(2.0),
            cumulative: Some(5.0),
            delivered: figures(delivered),
            reported_to_date: figures(reported),
            status: Some(Status::OnTrack),
            evidence: Vec::new(),
            link: Vec::new(),
            unmatched: false,
            corrected: Vec::new(),
            note: None,
            as_of: Month {
                year: 2027,
                month: 6,
            },
        }
    }

    #[test]
    fn a_total_is_drawn_as_a_running_sum_and_a_reported_total_wins() {
        let total = Shape::Total { due: None };
        let c = chart(&row(total, &[("2027-Q2", 3.0), ("2027-Q1", 2.0)], &[])).unwrap();
        let line: Vec<f64> = c.points.iter().map(|p| p.line).collect();
        assert_eq!(line, [2.0, 5.0], "oldest first, summed");
        assert_eq!(c.points[0].period, "2027-Q1");
        let rows = [row(total, &[("2027-Q2", 3.0), ("2027-Q1", 2.0)], &[])];
        assert_eq!(lines(&rows)[0].over_time(), "2027-Q1 2, 2027-Q2 5 of 8");
        assert_eq!(c.expected, Some(2.0));
        let c = chart(&row(total, &[("2027-Q1", 2.0)], &[("2027-Q2", 9.0)])).unwrap();
        let line: Vec<f64> = c.points.iter().map(|p| p.line).collect();
        assert_eq!(line, [2.0, 9.0]);
        assert_eq!(c.points[1].delivered, None);
    }

    #[test]
    fn a_rate_is_drawn_as_its_level_and_has_no_expected_mark() {
        let c = chart(&row(
            Shape::Rate,
            &[("2027-Q1", 90.0), ("2027-Q2", 96.0)],
            &[],
        ))
        .unwrap();
        let line: Vec<f64> = c.points.iter().map(|p| p.line).collect();
        assert_eq!(line, [90.0, 96.0]);
        assert!(c.rate && c.expected.is_none());
    }

    #[test]
    fn no_chart_without_figures_or_target() {
        assert!(chart(&row(Shape::PerYear, &[], &[])).is_none());
        let mut r = row(Shape::PerYear, &[("2027-Q1", 1.0)], &[]);
        r.target = None;
        assert!(chart(&r).is_none());
        r = row(Shape::PerYear, &[("2027-Q1", 1.0)], &[]);
        r.unmatched = true;
        assert!(chart(&r).is_none());
    }

    #[test]
    fn not_measurable_rows_are_left_out_and_unmatched_figures_kept() {
        let mut a = row(Shape::Rate, &[("2027-Q1", 1.0)], &[]);
        a.status = Some(Status::NotMeasurable);
        let mut b = row(Shape::Rate, &[("2027-Q1", 1.0)], &[]);
        b.status = None;
        b.unmatched = true;
        let rows = [a, b];
        let l = lines(&rows);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].status, "unmatched");
        assert_eq!(l[0].per_period, "2027-Q1 1");
    }
}
