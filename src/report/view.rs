//! What every format shows, in order, decided once: the title and provenance, the heatmap rows
//! with their cell labels and anchors, the summary rows, the totals, the unanswered principles,
//! the files not read, the near-duplicate groups and each supplier's evidence.
//!
//! A [`View`] is built from a [`Report`] by walking it once: findings are looked up by key,
//! cells' best and listed findings chosen, totals joined with their evidence, and each
//! supplier's evidence gathered. The renderers (Markdown, HTML, CSV, JSON, DOCX) only format it,
//! so the same numbers, the same sentences and the same selections appear in every format.
//! Strings in a view are plain text: each renderer escapes them for its own format.

use std::collections::HashMap;

use crate::classify::StatementKind;

use super::model::{
    Category, Cell, DuplicateGroup, Finding, Level, NotRead, PrincipleInfo, Report, SupplierReport,
    Total,
};
use super::numbers::{self, cell_anchor, finding_anchor, supplier_anchor, total_anchor};
use super::totals::{categorise, counts, measure_number};

/// Findings listed under a cell besides the best one; the rest are in the evidence list.
pub const CELL_LIST: usize = 5;
/// Longest principle name beside a principle, in characters.
pub const NAME_CHARS: usize = 60;

/// Section headings that every format shows the same.
pub const HEATMAP: &str = "Supplier by principle";
pub const UNANSWERED: &str = "Unanswered principles";
pub const NOT_READ: &str = "Files not read";
pub const DUPLICATES: &str = "Near-duplicate commitments across suppliers";

/// The definition of the summary's counts: text, then a command's name, then text.
pub const COUNTS_DEFINITION: [&str; 3] = [
    "All commitments: passages classified as commitments, as ",
    "ingest",
    " counts them. The other counts are of passages that evidence a principle (mapped to at \
     least one), as the cells count them.",
];
/// Above the list of files not read, when there are any.
pub const NOT_READ_NOTE: &str = "Evidence in these is missing from the scorecard.";
/// In place of the list of files not read, when there are none.
pub const ALL_READ: &str = "Every file under the batch roots was read.";
/// In place of the near-duplicate groups, when there are none.
pub const NO_DUPLICATES: &str = "None found.";

/// `…` after the first `max` characters of a longer text.
pub fn short(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

/// A statement kind as words: `track record`.
pub fn kind_label(kind: StatementKind) -> &'static str {
    match kind {
        StatementKind::Commitment => "commitment",
        StatementKind::Aspiration => "aspiration",
        StatementKind::TrackRecord => "track record",
        StatementKind::None => "none",
    }
}

/// `3/5`, or `–` without a score.
pub fn score(s: Option<u8>) -> String {
    s.map(|b| format!("{b}/5")).unwrap_or_else(|| "–".into())
}

/// The measures of a finding that count towards a total of the category, with their units.
pub fn figures(
    f: &Finding,
    cat: Category,
) -> impl Iterator<Item = (&crate::classify::Measure, &'static str)> {
    f.measures.iter().filter_map(move |m| {
        let (c, unit) = categorise(m, &f.themes)?;
        (c == cat && counts(m, c, &f.text)).then_some((m, unit))
    })
}

/// A finding's figures of a category written as totals (`6 apprentices; £5,000`).
pub fn figure_totals(f: &Finding, cat: Category) -> Vec<String> {
    figures(f, cat)
        .filter_map(|(m, unit)| {
            Some(numbers::total(&Total {
                category: cat,
                unit: unit.to_string(),
                value: measure_number(m)?,
                evidence: Vec::new(),
            }))
        })
        .collect()
}

/// The whole report as every format shows it.
pub struct View<'r> {
    pub report: &'r Report,
    /// `Social value scorecard: TENDERS`, or `Social value scorecard` for all tenders.
    pub title: String,
    /// The tenders the report covers (`all tenders` when not filtered).
    pub scope: String,
    pub provenance: ProvenanceView<'r>,
    pub principles: &'r [PrincipleInfo],
    /// One per supplier, in the report's order: its heatmap row, summary row, unanswered
    /// principles and section.
    pub suppliers: Vec<SupplierView<'r>>,
    pub not_read: &'r [NotRead],
    pub duplicates: Vec<DuplicateView<'r>>,
    /// Findings not of any supplier's run (none while findings are sorted as suppliers are):
    /// listed after the suppliers' evidence.
    pub other_findings: Vec<&'r Finding>,
    /// Near-duplicate commitments over all suppliers.
    pub flagged: u32,
    /// Commitments that evidence a principle, over all suppliers.
    pub commitments: u32,
    /// Commitments against delivery, once monitoring returns are in the index.
    pub ledger: Vec<super::ledger::LedgerLine<'r>>,
    /// The month the ledger was judged at.
    pub ledger_as_of: Option<String>,
}

/// Where the report comes from: the lines under the title.
pub struct ProvenanceView<'r> {
    pub framework_name: &'r str,
    pub framework_id: &'r str,
    /// The passages were re-classified with the framework for this report.
    pub reclassified: bool,
    pub files: u64,
    pub files_not_read: u64,
    pub passages: u64,
    pub findings: usize,
    /// Rule set versions, joined with `, `.
    pub ruleset: String,
    /// Extractor versions, joined with `, `.
    pub extractor: String,
    pub last_run: Option<&'r str>,
}

/// One supplier: its row in each table and its section.
pub struct SupplierView<'r> {
    pub supplier: &'r SupplierReport,
    pub name: &'r str,
    /// `s0`: the section.
    pub anchor: String,
    /// `s0-evidence`: the supplier's evidence list.
    pub evidence_anchor: String,
    /// Mean specificity of commitments (`2.50`), or `–`.
    pub mean: String,
    /// One per principle, in the framework's order.
    pub cells: Vec<CellView<'r>>,
    /// One per category, in [`Category::ALL`] order (with no values when there is no total).
    pub totals: Vec<CategoryView<'r>>,
    /// The principles with no evidence.
    pub unanswered: Vec<(&'r str, &'r str)>,
    /// Citations of the supplier's files not read that may hold evidence (not those skipped by
    /// a rule): they may answer the unanswered principles.
    pub lost: Vec<String>,
    /// `N commitments, N aspirations, N track-record claims; mean specificity of commitments
    /// M/5. Unanswered: CE1, CE2.`
    pub intro: String,
    /// The supplier's findings, in report order.
    pub findings: Vec<&'r Finding>,
}

/// What a heatmap cell shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellLabel {
    /// No evidence: `–`.
    Unanswered,
    /// Aspirations and track record only.
    Mentioned { aspirations: u32, track_record: u32 },
    /// Commitments, and the best one's specificity.
    Committed { commitments: u32, best: u8 },
}

/// One supplier's answer to one principle.
pub struct CellView<'r> {
    pub cell: &'r Cell,
    pub principle: &'r str,
    pub principle_name: &'r str,
    pub level: Level,
    pub label: CellLabel,
    /// Where the cell's evidence is (in the supplier's section).
    pub anchor: String,
    /// `N commitments, N aspirations, N track record`.
    pub counts: String,
    /// `3/5` or `–`.
    pub best_score: String,
    /// The cell's totals, each with the anchor of the supplier's total of its category.
    pub totals: Vec<(String, String)>,
    pub best: Option<&'r Finding>,
    /// Up to [`CELL_LIST`] more findings.
    pub listed: Vec<&'r Finding>,
    /// Findings beyond those.
    pub more: usize,
}

/// One supplier's total of one category.
pub struct CategoryView<'r> {
    pub category: Category,
    pub anchor: String,
    /// One value per unit: `£35,000`, `£5,000 a year`. Empty when the supplier has none.
    pub values: Vec<String>,
    /// The passages behind the values, with the figures each states.
    pub evidence: Vec<TotalLine<'r>>,
}

/// A passage behind a total and the figures of it that count.
pub struct TotalLine<'r> {
    pub figures: Vec<&'r str>,
    pub finding: &'r Finding,
}

/// A near-duplicate group with its members' findings.
pub struct DuplicateView<'r> {
    pub group: &'r DuplicateGroup,
    pub anchor: String,
    /// `Group 1: 2 passages of 2 suppliers, similarity at least 0.62`.
    pub heading: String,
    pub members: Vec<&'r Finding>,
}

impl Cell {
    fn label(&self) -> CellLabel {
        match self.level {
            Level::Unanswered => CellLabel::Unanswered,
            Level::Mentioned => CellLabel::Mentioned {
                aspirations: self.counts.aspirations,
                track_record: self.counts.track_record,
            },
            _ => CellLabel::Committed {
                commitments: self.counts.commitments,
                best: self.best_score.unwrap_or(0),
            },
        }
    }
}

impl CellLabel {
    /// `3 (4/5)`, `A1 T2` or `–`.
    pub fn plain(self) -> String {
        match self {
            CellLabel::Unanswered => "–".into(),
            CellLabel::Mentioned {
                aspirations,
                track_record,
            } => format!("A{aspirations} T{track_record}"),
            CellLabel::Committed { commitments, best } => format!("{commitments} ({best}/5)"),
        }
    }
}

impl CategoryView<'_> {
    /// `£35,000 + £5,000 a year`.
    pub fn joined(&self) -> String {
        self.values.join(" + ")
    }
}

impl<'r> View<'r> {
    pub fn new(r: &'r Report) -> View<'r> {
        let map = r.finding_map();
        let p = &r.provenance;
        let provenance = ProvenanceView {
            framework_name: &r.framework.name,
            framework_id: &r.framework.id,
            reclassified: r.framework.reclassified,
            files: p.files,
            files_not_read: p.files_not_read,
            passages: p.passages,
            findings: r.findings.len(),
            ruleset: p.ruleset_versions.join(", "),
            extractor: p.extractor_versions.join(", "),
            last_run: p.last_run.as_deref(),
        };
        let mut at = 0;
        let suppliers = r
            .suppliers
            .iter()
            .enumerate()
            .map(|(si, s)| {
                // Findings are sorted by supplier as the suppliers are.
                let start = at;
                while r.findings.get(at).is_some_and(|f| f.supplier == s.name) {
                    at += 1;
                }
                let findings = r.findings[start..at].iter().collect();
                supplier(r, &map, si, s, findings)
            })
            .collect();
        let duplicates = r
            .duplicates
            .iter()
            .map(|g| DuplicateView {
                group: g,
                anchor: format!("dup-{}", g.id),
                heading: format!(
                    "Group {}: {} passages of {} suppliers, similarity at least {:.2}",
                    g.id,
                    g.members.len(),
                    g.suppliers.len(),
                    g.similarity
                ),
                members: g
                    .members
                    .iter()
                    .filter_map(|k| map.get(k.as_str()).copied())
                    .collect(),
            })
            .collect();
        View {
            report: r,
            title: if r.tenders.is_empty() {
                "Social value scorecard".to_string()
            } else {
                format!("Social value scorecard: {}", r.tenders.join(", "))
            },
            scope: if r.tenders.is_empty() {
                "all tenders".to_string()
            } else {
                r.tenders.join(", ")
            },
            provenance,
            principles: &r.principles,
            suppliers,
            not_read: &r.not_read,
            duplicates,
            other_findings: r.findings[at..].iter().collect(),
            flagged: r.suppliers.iter().map(|s| s.flagged).sum(),
            commitments: r.suppliers.iter().map(|s| s.counts.commitments).sum(),
            ledger: super::ledger::lines(&r.ledger),
            ledger_as_of: r.ledger.first().map(|row| row.as_of.to_string()),
        }
    }

    /// Every finding once: each supplier's, then any other.
    pub fn findings(&self) -> impl Iterator<Item = &'r Finding> + '_ {
        self.suppliers
            .iter()
            .flat_map(|s| s.findings.iter().copied())
            .chain(self.other_findings.iter().copied())
    }
}

fn supplier<'r>(
    r: &'r Report,
    map: &HashMap<&str, &'r Finding>,
    si: usize,
    s: &'r SupplierReport,
    findings: Vec<&'r Finding>,
) -> SupplierView<'r> {
    let anchor = supplier_anchor(si);
    let cells = s
        .cells
        .iter()
        .map(|c| {
            let listed: Vec<&Finding> = c
                .findings
                .iter()
                .skip(1)
                .take(CELL_LIST)
                .filter_map(|k| map.get(k.as_str()).copied())
                .collect();
            CellView {
                cell: c,
                principle: &c.principle,
                principle_name: r.principle_name(&c.principle),
                level: c.level,
                label: c.label(),
                anchor: cell_anchor(si, &c.principle),
                counts: format!(
                    "{} commitments, {} aspirations, {} track record",
                    c.counts.commitments, c.counts.aspirations, c.counts.track_record
                ),
                best_score: score(c.best_score),
                totals: c
                    .totals
                    .iter()
                    .map(|t| (numbers::total(t), total_anchor(si, t.category)))
                    .collect(),
                best: c.best.as_deref().and_then(|k| map.get(k).copied()),
                listed,
                more: c.findings.len().saturating_sub(1 + CELL_LIST),
            }
        })
        .collect();
    let totals = Category::ALL
        .into_iter()
        .map(|cat| {
            let ts = numbers::totals_of(&s.totals, cat);
            let evidence = ts
                .iter()
                .flat_map(|t| {
                    t.evidence.iter().filter_map(move |k| {
                        let f = *map.get(k.as_str())?;
                        let figures = figures(f, cat)
                            .filter(|(_, unit)| *unit == t.unit)
                            .map(|(m, _)| m.text.as_str())
                            .collect();
                        Some(TotalLine {
                            figures,
                            finding: f,
                        })
                    })
                })
                .collect();
            CategoryView {
                category: cat,
                anchor: total_anchor(si, cat),
                values: ts.iter().map(|t| numbers::total(t)).collect(),
                evidence,
            }
        })
        .collect();
    let mean = s
        .mean_commitment_score
        .map(|m| format!("{m:.2}"))
        .unwrap_or_else(|| "–".into());
    let intro = format!(
        "{} commitments, {} aspirations, {} track-record claims{}. Unanswered: {}.",
        s.counts.commitments,
        s.counts.aspirations,
        s.counts.track_record,
        s.mean_commitment_score
            .map(|m| format!("; mean specificity of commitments {m:.2}/5"))
            .unwrap_or_default(),
        if s.unanswered.is_empty() {
            "none".to_string()
        } else {
            s.unanswered.join(", ")
        }
    );
    SupplierView {
        supplier: s,
        name: &s.name,
        evidence_anchor: format!("{anchor}-evidence"),
        anchor,
        mean,
        cells,
        totals,
        unanswered: s
            .unanswered
            .iter()
            .map(|p| (p.as_str(), r.principle_name(p)))
            .collect(),
        lost: s
            .not_read
            .iter()
            .filter(|n| n.loses_evidence())
            .map(NotRead::citation)
            .collect(),
        intro,
        findings,
    }
}

/// The anchor of a finding in the evidence list.
pub fn anchor_of(f: &Finding) -> String {
    finding_anchor(&f.key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_labels_and_short_texts() {
        assert_eq!(CellLabel::Unanswered.plain(), "–");
        let mentioned = CellLabel::Mentioned {
            aspirations: 1,
            track_record: 2,
        };
        assert_eq!(mentioned.plain(), "A1 T2");
        let committed = CellLabel::Committed {
            commitments: 3,
            best: 4,
        };
        assert_eq!(committed.plain(), "3 (4/5)");
        assert_eq!(short("abcdef", 3), "abc…");
        assert_eq!(short("abc", 3), "abc");
        assert_eq!(score(None), "–");
        assert_eq!(score(Some(2)), "2/5");
        assert_eq!(kind_label(StatementKind::TrackRecord), "track record");
    }
}
