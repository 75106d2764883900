//! What the classifier says about one passage: its statement kind, themes, principles,
//! measures and specificity score, each with the rules and the matched words behind it.
//!
//! These are plain serde structs: the CLI prints them, the index stores them.

use serde::{Deserialize, Serialize};

use super::ids::{PrincipleId, RuleId, ThemeId};

/// The four kinds of statement of the codebook (PRINCIPLES.md, "Kinds of statement").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    /// A firm promise about this contract, including firm negative promises.
    Commitment,
    /// A hedged or vague intention.
    Aspiration,
    /// A claim about the past or present.
    TrackRecord,
    /// Anything else: company description, terms, navigation text, refusals.
    None,
}

impl StatementKind {
    pub const ALL: [StatementKind; 4] = [
        StatementKind::Commitment,
        StatementKind::Aspiration,
        StatementKind::TrackRecord,
        StatementKind::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Commitment => "commitment",
            StatementKind::Aspiration => "aspiration",
            StatementKind::TrackRecord => "track_record",
            StatementKind::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<StatementKind> {
        StatementKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for StatementKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kinds of measure the classifier recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// A number of things, with what is counted as the unit ("12 apprentices").
    Count,
    /// An amount of money, normalised to pounds.
    Money,
    Percent,
    Hours,
    Fte,
    /// A length of time ("six months", "14 days").
    Duration,
    /// A date or deadline, normalised to `YYYY` or `YYYY-MM`.
    Date,
    /// A place in the council's area.
    Place,
    /// A named target group of beneficiaries.
    Group,
}

impl MeasureKind {
    pub const ALL: [MeasureKind; 9] = [
        MeasureKind::Count,
        MeasureKind::Money,
        MeasureKind::Percent,
        MeasureKind::Hours,
        MeasureKind::Fte,
        MeasureKind::Duration,
        MeasureKind::Date,
        MeasureKind::Place,
        MeasureKind::Group,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeasureKind::Count => "count",
            MeasureKind::Money => "money",
            MeasureKind::Percent => "percent",
            MeasureKind::Hours => "hours",
            MeasureKind::Fte => "fte",
            MeasureKind::Duration => "duration",
            MeasureKind::Date => "date",
            MeasureKind::Place => "place",
            MeasureKind::Group => "group",
        }
    }

    pub fn parse(s: &str) -> Option<MeasureKind> {
        MeasureKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Measures that make a statement measurable (a number of something).
    pub fn is_quantity(self) -> bool {
        matches!(
            self,
            MeasureKind::Count
                | MeasureKind::Money
                | MeasureKind::Percent
                | MeasureKind::Hours
                | MeasureKind::Fte
        )
    }

    /// Measures that make a statement time-bound.
    pub fn is_time(self) -> bool {
        matches!(self, MeasureKind::Duration | MeasureKind::Date)
    }
}

impl std::fmt::Display for MeasureKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A normalised measure value: a number (pounds, percent, hours, a count, a duration) or a
/// text (a date as `YYYY` / `YYYY-MM`, a place's name, a group's id).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MeasureValue {
    Number(f64),
    Text(String),
}

/// Matched words: byte offsets into the classified text, and the words themselves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// One measure found in a passage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub kind: MeasureKind,
    pub value: MeasureValue,
    /// `GBP`, `GBP/year`, `%`, `hours`, `FTE`, `month`, or what a count counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The matched text.
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The measure rule that found it.
    pub rule: RuleId,
}

/// A theme found in a passage, with the words that matched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemeHit {
    pub id: ThemeId,
    pub weight: u32,
    pub evidence: Vec<Evidence>,
}

/// A principle a passage evidences, with the themes and rules that mapped it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrincipleHit {
    pub id: PrincipleId,
    /// Sum of the weights of the themes (and own patterns) behind it: larger is more specific.
    pub weight: u32,
    pub themes: Vec<ThemeId>,
    pub rules: Vec<RuleId>,
    pub evidence: Vec<Evidence>,
    /// For a principle the principle model added: the words that favoured it most (and
    /// `rules` is `model.principle`). Empty for a principle the theme rules found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<super::kindmodel::KindFeature>,
}

/// Why a statement is as specific as it is: one point per part that is present.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreReason {
    /// A quantity: a count, money, a percentage, hours or FTE.
    Measurable,
    /// A date, deadline or duration.
    TimeBound,
    /// A place in the council's area, or local people and businesses.
    Local,
    /// A named group of beneficiaries.
    NamedBeneficiaries,
    /// Tied to this contract rather than the company at large.
    ContractSpecific,
}

/// The specificity score, from 0 (vague) to 5 (SMART), with its reasons.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Specificity {
    pub score: u8,
    pub reasons: Vec<ScoreReason>,
}

/// Everything the classifier says about one passage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    pub kind: StatementKind,
    /// The cue rules that decided the kind.
    pub kind_rules: Vec<RuleId>,
    /// The kind model's features that favoured the kind most (empty without a model).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kind_features: Vec<super::kindmodel::KindFeature>,
    /// Most specific first.
    pub principles: Vec<PrincipleHit>,
    /// Most specific first.
    pub themes: Vec<ThemeHit>,
    /// In text order.
    pub measures: Vec<Measure>,
    pub specificity: Specificity,
    /// Every rule that fired, sorted.
    pub rules: Vec<RuleId>,
}
