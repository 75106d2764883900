//! The scorecard as plain data: suppliers, the supplier-by-principle cells, the findings behind
//! them, measure totals and near-duplicate groups.
//!
//! Every renderer (Markdown, HTML, CSV, JSON, DOCX) reads this one structure, and the JSON
//! format is this structure serialised, so the numbers in every format are the same numbers.
//! Findings are referred to by passage id: that id is the link from a number to its evidence.

use serde::{Deserialize, Serialize};

use crate::classify::{Measure, StatementKind};
use crate::unread::Status;

/// The scorecard of one index (or one tender in it) against one framework.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// The tenders the report covers, sorted.
    pub tenders: Vec<String>,
    pub framework: FrameworkInfo,
    /// The framework's principles, in the framework's order: the columns of the heatmap.
    pub principles: Vec<PrincipleInfo>,
    pub provenance: Provenance,
    /// Sorted by name.
    pub suppliers: Vec<SupplierReport>,
    /// Every passage that evidences a principle (kind commitment, aspiration or track record),
    /// and every commitment with a figure that the totals count (it may evidence no principle),
    /// sorted by supplier, file and position.
    pub findings: Vec<Finding>,
    /// Near-duplicate commitments across different suppliers, largest group first.
    pub duplicates: Vec<DuplicateGroup>,
    /// Every file (or page) under the batch roots that was not read, with the reason, sorted
    /// by supplier and origin. Each supplier's own are also in its [`SupplierReport`].
    #[serde(default)]
    pub not_read: Vec<NotRead>,
    /// The commitments ledger of the tender's awarded suppliers, once monitoring returns are
    /// in the index ([`crate::ledger`]); empty before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ledger: Vec<crate::ledger::Row>,
}

/// A file (or a page of one) that was not read: failed, an unsupported format, skipped by a
/// documented rule, or a page without a text layer. Evidence in it is missing from the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotRead {
    pub supplier: String,
    pub origin: String,
    /// The file's name, for citations.
    pub name: String,
    pub status: Status,
    pub reason: String,
    /// For a page without a text layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

impl NotRead {
    /// Whether evidence the supplier submitted may be missing (everything but files skipped by
    /// a rule).
    pub fn loses_evidence(&self) -> bool {
        self.status != Status::Skipped
    }

    /// `file, p. N`, or the file's name.
    pub fn citation(&self) -> String {
        match self.page {
            Some(p) => format!("{}, p. {p}", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FrameworkInfo {
    pub id: String,
    pub name: String,
    /// True when the index was classified with another framework and the passages were
    /// re-classified with this one for the report.
    pub reclassified: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PrincipleInfo {
    pub id: String,
    pub name: String,
}

/// Where the numbers come from: the versions stamped on the records read, and the index's
/// last run. No clock time of the report itself, so the same index gives the same bytes.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Provenance {
    pub ruleset_versions: Vec<String>,
    pub extractor_versions: Vec<String>,
    /// The end time of the index's last ingest run, when the run log has one.
    pub last_run: Option<String>,
    /// Passage records read (all kinds).
    pub passages: u64,
    pub files: u64,
    /// Files under the batch roots that were not read (failed, unsupported, skipped by rule;
    /// a file with no text layer on any page counts too).
    #[serde(default)]
    pub files_not_read: u64,
}

/// One indexed file of a supplier.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileInfo {
    pub origin: String,
    /// The file's name, for citations.
    pub name: String,
    pub sha256: String,
    pub pages: u64,
}

/// Passage counts by statement kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCounts {
    pub commitments: u32,
    pub aspirations: u32,
    pub track_record: u32,
}

impl KindCounts {
    pub fn add(&mut self, kind: StatementKind) {
        match kind {
            StatementKind::Commitment => self.commitments += 1,
            StatementKind::Aspiration => self.aspirations += 1,
            StatementKind::TrackRecord => self.track_record += 1,
            StatementKind::None => {}
        }
    }

    pub fn total(&self) -> u32 {
        self.commitments + self.aspirations + self.track_record
    }
}

/// How strongly a supplier answers a principle: the heatmap's colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// No passage evidences the principle.
    Unanswered,
    /// Only aspirations or track record, no commitment.
    Mentioned,
    /// Commitments, the most specific scoring 0 or 1 of 5.
    Vague,
    /// Commitments, the most specific scoring 2 or 3.
    Specific,
    /// Commitments, the most specific scoring 4 or 5 (SMART).
    Smart,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Unanswered,
        Level::Mentioned,
        Level::Vague,
        Level::Specific,
        Level::Smart,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Unanswered => "unanswered",
            Level::Mentioned => "mentioned",
            Level::Vague => "vague",
            Level::Specific => "specific",
            Level::Smart => "smart",
        }
    }

    /// What the level means, for legends.
    pub fn describe(self) -> &'static str {
        match self {
            Level::Unanswered => "no evidence",
            Level::Mentioned => "aspiration or track record only",
            Level::Vague => "commitment, specificity 0-1 of 5",
            Level::Specific => "commitment, specificity 2-3 of 5",
            Level::Smart => "commitment, specificity 4-5 of 5",
        }
    }

    pub fn of(counts: KindCounts, best_commitment_score: Option<u8>) -> Level {
        match best_commitment_score {
            Some(s) if s >= 4 => Level::Smart,
            Some(s) if s >= 2 => Level::Specific,
            Some(_) => Level::Vague,
            None if counts.total() > 0 => Level::Mentioned,
            None => Level::Unanswered,
        }
    }
}

/// What a measure total counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Apprenticeships,
    Jobs,
    Hours,
    LocalSpend,
    Carbon,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Apprenticeships,
        Category::Jobs,
        Category::Hours,
        Category::LocalSpend,
        Category::Carbon,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Apprenticeships => "apprenticeships",
            Category::Jobs => "jobs",
            Category::Hours => "hours",
            Category::LocalSpend => "local_spend",
            Category::Carbon => "carbon",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Category::Apprenticeships => "Apprenticeships",
            Category::Jobs => "Jobs",
            Category::Hours => "Hours",
            Category::LocalSpend => "Local spend",
            Category::Carbon => "Carbon",
        }
    }
}

/// A total of one category in one unit, with the passages whose measures add up to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Total {
    pub category: Category,
    /// `apprentices`, `jobs`, `FTE`, `hours`, `GBP`, `GBP/year`, `tCO2e`.
    pub unit: String,
    pub value: f64,
    /// Passage ids of the commitments stating the figures, in report order.
    pub evidence: Vec<String>,
}

/// One supplier's answer to one principle.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Cell {
    pub principle: String,
    pub counts: KindCounts,
    pub level: Level,
    /// The highest specificity score among the commitments.
    pub best_score: Option<u8>,
    /// The best evidence: the strongest commitment (else aspiration, else track record).
    pub best: Option<String>,
    /// Every finding in the cell, best first.
    pub findings: Vec<String>,
    /// Measure totals over the cell's commitments.
    pub totals: Vec<Total>,
}

/// One supplier's row of the scorecard.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SupplierReport {
    pub name: String,
    pub tenders: Vec<String>,
    pub files: Vec<FileInfo>,
    /// Passages that evidence a principle, by kind: what the cells count.
    pub counts: KindCounts,
    /// Every passage of the supplier's files in the tender, by kind, mapped to a principle or
    /// not: what `ingest` counts (its `commitments` column).
    #[serde(default)]
    pub classified: KindCounts,
    /// Mean specificity of the commitments (0 to 5), when there are any.
    pub mean_commitment_score: Option<f64>,
    /// One per principle, in the framework's order.
    pub cells: Vec<Cell>,
    /// Measure totals over all the supplier's commitments (a figure repeated in several
    /// passages counts once).
    pub totals: Vec<Total>,
    /// Principles with no evidence at all.
    pub unanswered: Vec<String>,
    /// The supplier's commitments flagged as near-duplicates of another supplier's.
    pub flagged: u32,
    /// The supplier's files (and pages) that were not read, with the reason.
    #[serde(default)]
    pub not_read: Vec<NotRead>,
}

/// One passage that evidences at least one principle, or a commitment with a figure that the
/// totals count.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Finding {
    /// Unique in the report: the passage id (ids are per submitted copy), with `~N` added should
    /// an id ever repeat. Cells, totals and duplicate groups refer to findings by key.
    pub key: String,
    /// The passage id in the index (`COPY:ORDINAL`: one submitted copy of a file).
    pub id: String,
    pub supplier: String,
    pub tender: String,
    pub origin: String,
    /// The file's name, for citations.
    pub file: String,
    pub sha256: String,
    pub page: u64,
    /// The passage's ordinal in its file.
    pub paragraph: u64,
    pub section: String,
    pub text: String,
    pub kind: StatementKind,
    /// Most specific first.
    pub principles: Vec<String>,
    pub themes: Vec<String>,
    /// Specificity, 0 to 5.
    pub score: u8,
    pub measures: Vec<Measure>,
    /// The near-duplicate group this commitment belongs to.
    pub duplicate_group: Option<u32>,
    /// Set when the text was read by OCR from a scanned page: its mean word confidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<f32>,
}

impl Finding {
    /// `file, p. N` as evaluators cite it; `file, p. N (OCR, confidence 91%)` for text read by
    /// OCR, so that every quote read from a scan says so wherever it is cited.
    pub fn citation(&self) -> String {
        match self.ocr {
            Some(c) => format!("{}, p. {} (OCR, confidence {c:.0}%)", self.file, self.page),
            None => format!("{}, p. {}", self.file, self.page),
        }
    }
}

/// Commitments of different suppliers whose words are nearly the same.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DuplicateGroup {
    pub id: u32,
    /// The lowest word-shingle Jaccard similarity of the pairs that joined the group.
    pub similarity: f64,
    pub suppliers: Vec<String>,
    /// Passage ids.
    pub members: Vec<String>,
}
