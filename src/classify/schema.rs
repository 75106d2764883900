//! The TOML schema of the rule files, as serde types. Unknown fields are errors; every value a
//! later check may complain about is [`Spanned`] so the complaint can name its line and column.
//!
//! Every rule has the same matching fields: `patterns` (regexes, case-insensitive unless
//! `case_sensitive = true`), `terms` (literal words or phrases, matched on word boundaries),
//! `exclude` (regexes that veto the rule), and the examples `must_match` / `must_not_match`.

use serde::Deserialize;
use toml::Spanned;

use super::model::MeasureKind;

pub type Text = Spanned<String>;

/// What a cue says about a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// A firm promise: "we will", "we commit to", "the Contractor shall".
    Commit,
    /// A promise that is firm only when it says something concrete: "we are committed to".
    CommitWeak,
    /// An intention: "we aim to", "we plan to", "our objective is". A target, and so a
    /// commitment, when a quantity follows it and a date or a duration is in its sentence ("we
    /// aim to plant 500 trees by 2028"); else an aspiration ("we aim to recruit locally").
    Intent,
    /// A hedge: "where possible", "we hope to", "subject to".
    Hedge,
    /// The past: "last year we", "since 2019", "we have delivered".
    Past,
    /// A claim about the present: "we pay", "we are accredited".
    Present,
    /// A refusal: "we will not be able to".
    Refusal,
    /// Not a statement of social value: terms, navigation, boilerplate.
    NonStatement,
    /// What the business is and does: its market, its services, its reach. A themed passage
    /// with no other cue is `none` rather than a track record ("the trust provides community
    /// health services across the region" names what it sells); a claim, a promise or a hedge
    /// beside it still decides.
    Description,
    /// Document furniture: a question of the invitation to tender, navigation, a heading.
    /// A passage with it and no firm promise is `none`.
    Furniture,
    /// A measurable deliverable without a verb ("4 x placements per year", "Target 40%"): in a
    /// fragment (a table row, a bullet) with a quantity or a date and no other cue, a commitment.
    Deliverable,
    /// Ties a statement to this contract (specificity, and what makes a weak promise concrete).
    ContractSpecific,
    /// Names the commissioning council (specificity only).
    Council,
    /// Local people or businesses (specificity).
    Local,
}

impl Signal {
    /// The name used in `kinds.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Commit => "commit",
            Signal::CommitWeak => "commit_weak",
            Signal::Intent => "intent",
            Signal::Hedge => "hedge",
            Signal::Past => "past",
            Signal::Present => "present",
            Signal::Refusal => "refusal",
            Signal::NonStatement => "non_statement",
            Signal::Description => "description",
            Signal::Furniture => "furniture",
            Signal::Deliverable => "deliverable",
            Signal::ContractSpecific => "contract_specific",
            Signal::Council => "council",
            Signal::Local => "local",
        }
    }
}

/// `kinds.toml`, `specificity.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueFile {
    #[serde(default)]
    pub cue: Vec<CueRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueRule {
    pub id: Text,
    pub signal: Signal,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub patterns: Vec<Text>,
    #[serde(default)]
    pub terms: Vec<Text>,
    #[serde(default)]
    pub exclude: Vec<Text>,
    #[serde(default)]
    pub case_sensitive: bool,
    /// For a cue that makes a passage `none` (furniture, non_statement): the passage keeps its
    /// principles when every cue that made it `none` has this set. Neutral description and
    /// general advice ("suppliers should pay the Real Living Wage") promise and claim nothing,
    /// but are still about a principle, and their kind is the least certain of the `none`s.
    #[serde(default = "no")]
    pub keeps_principles: Spanned<bool>,
    pub must_match: Spanned<Vec<Text>>,
    pub must_not_match: Spanned<Vec<Text>>,
}

/// `themes.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeFile {
    #[serde(default)]
    pub theme: Vec<ThemeRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeRule {
    pub id: Text,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// How specific the theme is (1 broad .. 5 narrow); orders themes and principles.
    #[serde(default = "default_weight")]
    pub weight: Spanned<u32>,
    #[serde(default)]
    pub patterns: Vec<Text>,
    #[serde(default)]
    pub terms: Vec<Text>,
    #[serde(default)]
    pub exclude: Vec<Text>,
    #[serde(default)]
    pub case_sensitive: bool,
    pub must_match: Spanned<Vec<Text>>,
    pub must_not_match: Spanned<Vec<Text>>,
}

fn no() -> Spanned<bool> {
    Spanned::new(0..0, false)
}

fn default_weight() -> Spanned<u32> {
    Spanned::new(0..0, 2)
}

/// `frameworks/*.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkFile {
    pub framework: FrameworkHeader,
    #[serde(default)]
    pub principle: Vec<PrincipleRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkHeader {
    pub id: Text,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The framework used when none is asked for. Exactly one framework is the default.
    #[serde(default = "no")]
    pub default: Spanned<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrincipleRule {
    pub id: Text,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The themes that evidence this principle.
    #[serde(default)]
    pub themes: Vec<Text>,
    /// Weight of the principle's own patterns, when they match.
    #[serde(default = "default_weight")]
    pub weight: Spanned<u32>,
    #[serde(default)]
    pub patterns: Vec<Text>,
    #[serde(default)]
    pub terms: Vec<Text>,
    #[serde(default)]
    pub exclude: Vec<Text>,
    #[serde(default)]
    pub case_sensitive: bool,
    pub must_match: Spanned<Vec<Text>>,
    pub must_not_match: Spanned<Vec<Text>>,
}

/// `measures.toml`, `places.toml`, `groups.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureFile {
    #[serde(default)]
    pub measure: Vec<MeasureRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureRule {
    pub id: Text,
    pub kind: MeasureKind,
    #[serde(default)]
    pub description: Option<String>,
    /// A fixed normalised value (a group's id); without it a term is its own value.
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub patterns: Vec<Text>,
    #[serde(default)]
    pub terms: Vec<Text>,
    #[serde(default)]
    pub exclude: Vec<Text>,
    #[serde(default)]
    pub case_sensitive: bool,
    pub must_match: Spanned<Vec<Text>>,
    pub must_not_match: Spanned<Vec<Text>>,
}
