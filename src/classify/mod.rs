//! The classifier: from a passage's text to its statement kind, themes, principles, measures
//! and specificity score, each explained by the rules and words behind it.
//!
//! The rules are data (the `rules/` directory, see [`source`]); this module loads and validates
//! them ([`load`]), compiles each layer into one automaton ([`pattern`]) and applies them:
//!
//! * [`kind`]: commitment, aspiration, track record or none, from the cues of `kinds.toml`,
//!   weighed with the passage's words by the kind model ([`kindmodel`], `kind-model.toml`);
//! * [`themes`]: themes from `themes.toml`, mapped to a framework's principles;
//! * [`measures`]: counts, money, percentages, hours, FTE, durations, dates, places, groups;
//! * [`score`]: the specificity score with its reasons;
//! * [`ruletest`]: every rule's examples, run as tests.
//!
//! ```
//! use tenderscope::classify::RuleSet;
//!
//! let rules = RuleSet::embedded().unwrap();
//! let classifier = rules.classifier(None).unwrap();
//! let c = classifier.classify("We will recruit 12 apprentices from Crewe by March 2026.");
//! assert_eq!(c.kind.as_str(), "commitment");
//! assert_eq!(c.principles[0].id.as_str(), "CE9");
//! ```

pub mod diff;
pub mod error;
pub mod eval;
pub mod ids;
pub mod kind;
pub mod kindmodel;
pub mod limits;
pub mod load;
pub mod measures;
pub mod model;
pub mod numbers;
pub mod pattern;
pub mod principlemodel;
pub mod ruletest;
pub mod schema;
pub mod score;
pub mod source;
pub mod themes;

use std::path::Path;

pub use error::{LoadError, RuleError};
pub use ids::{FrameworkId, PrincipleId, RuleId, ThemeId};
pub use load::RuleSet;
pub use model::{
    Classification, Evidence, Measure, MeasureKind, MeasureValue, PrincipleHit, ScoreReason,
    Specificity, StatementKind, ThemeHit,
};
pub use source::RuleSource;

use schema::Signal;

impl RuleSet {
    /// Load and validate a rule set from its files.
    pub fn load(source: &RuleSource) -> Result<RuleSet, LoadError> {
        load::load(source)
    }

    /// The default rule set built into the binary.
    pub fn embedded() -> Result<RuleSet, LoadError> {
        load::load(&RuleSource::embedded())
    }

    /// Load a rule directory.
    pub fn from_dir(dir: &Path) -> Result<RuleSet, LoadError> {
        load::load(&RuleSource::from_dir(dir)?)
    }

    /// A classifier for one framework (`None`: the default framework).
    pub fn classifier(&self, framework: Option<&str>) -> Result<Classifier<'_>, String> {
        let index = match framework {
            None => self.default_framework,
            Some(id) => self
                .frameworks
                .iter()
                .position(|f| f.id.as_str() == id)
                .ok_or_else(|| {
                    format!(
                        "unknown framework `{id}` (the rule set has: {})",
                        self.frameworks
                            .iter()
                            .map(|f| f.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?,
        };
        Ok(Classifier {
            rules: self,
            framework: index,
        })
    }
}

/// What the rules find in a passage before the kind is settled.
struct Parts {
    measures: Vec<Measure>,
    themes: Vec<ThemeHit>,
    principles: Vec<PrincipleHit>,
    cue_hits: Vec<pattern::Hit>,
    rule_kind: StatementKind,
    kind_rules: Vec<RuleId>,
}

impl Parts {
    /// `(rule id, signal)` of every cue that fired, once each.
    fn cue_names<'r>(&self, rules: &'r RuleSet) -> Vec<(&'r str, &'static str)> {
        let mut out: Vec<(&str, &str)> = self
            .cue_hits
            .iter()
            .filter_map(|h| rules.cues.get(h.matcher))
            .map(|c| (c.id.as_str(), c.signal.as_str()))
            .collect();
        out.dedup();
        out
    }

    fn feature_input<'a>(
        &'a self,
        text: &'a str,
        cues: &'a [(&'a str, &'a str)],
    ) -> kindmodel::FeatureInput<'a> {
        kindmodel::FeatureInput {
            text,
            cues,
            rule_kind: self.rule_kind,
            measures: &self.measures,
            has_theme: !self.themes.is_empty(),
        }
    }
}

/// A rule set with a chosen framework.
#[derive(Clone, Copy, Debug)]
pub struct Classifier<'a> {
    pub rules: &'a RuleSet,
    /// Index into the rule set's frameworks.
    pub framework: usize,
}

impl Classifier<'_> {
    pub fn framework_id(&self) -> Option<&FrameworkId> {
        self.rules.frameworks.get(self.framework).map(|f| &f.id)
    }

    /// The features the kind model sees for a passage (what the trainer learns from).
    pub fn kind_features(&self, text: &str) -> Vec<String> {
        let parts = self.parts(text);
        let cues = parts.cue_names(self.rules);
        kindmodel::features(&parts.feature_input(text, &cues))
    }

    fn parts(&self, text: &str) -> Parts {
        let rules = self.rules;
        // The text with its ASCII letters lowered, which all three layers scan: made once.
        let lower = pattern::lowered(text);
        let measures = measures::extract_lowered(rules, text, &lower);
        let (themes, principles) = match rules.frameworks.get(self.framework) {
            Some(fw) => themes::map_lowered(rules, fw, text, &lower),
            None => (Vec::new(), Vec::new()),
        };
        let cue_hits = rules.cue_layer.scan_lowered(text, &lower);
        let (rule_kind, kind_rules) = kind::decide(&kind::KindInput {
            text,
            hits: &cue_hits,
            cues: &rules.cues,
            has_theme: !themes.is_empty(),
            measures: &measures,
        });
        Parts {
            measures,
            themes,
            principles,
            cue_hits,
            rule_kind,
            kind_rules,
        }
    }

    /// A statement's principles: the theme rules', and the one the principle model (when
    /// there is one for this framework) finds most likely, if the rules found none and it
    /// reaches the model's threshold, or it is not among theirs and reaches the higher
    /// `add_threshold`. Its evidence is where its words are.
    fn principles_with_model(&self, text: &str, mut found: Vec<PrincipleHit>) -> Vec<PrincipleHit> {
        let (Some(model), Some(fw)) = (
            &self.rules.principle_model,
            self.rules.frameworks.get(self.framework),
        ) else {
            return found;
        };
        let threshold = if found.is_empty() {
            model.threshold
        } else {
            match model.add_threshold {
                Some(t) => t,
                None => return found,
            }
        };
        if model.framework != fw.id.as_str() {
            return found;
        }
        let Some(guess) = model.guess(text, threshold) else {
            return found;
        };
        let Some(principle) = model
            .principles
            .get(guess.principle)
            .and_then(|id| fw.principles.iter().find(|p| p.id.as_str() == id))
        else {
            return found;
        };
        if found.iter().any(|p| p.id == principle.id) {
            return found;
        }
        let words = principlemodel::word_ranges(text);
        let evidence = guess
            .top
            .iter()
            .flat_map(|f| principlemodel::spans_in(text, &words, &f.feature))
            .collect();
        found.push(PrincipleHit {
            id: principle.id.clone(),
            weight: 1,
            themes: Vec::new(),
            rules: vec![RuleId(principlemodel::RULE_ID.to_string())],
            evidence,
            features: guess.top,
        });
        found
    }

    /// Classify one passage.
    pub fn classify(&self, text: &str) -> Classification {
        let rules = self.rules;
        let mut parts = self.parts(text);
        let (kind, kind_rules, kind_features) = match &rules.kind_model {
            None => (
                parts.rule_kind,
                std::mem::take(&mut parts.kind_rules),
                Vec::new(),
            ),
            Some(model) => {
                let cues = parts.cue_names(rules);
                let verdict = model.predict(&parts.feature_input(text, &cues));
                let kind_rules = if verdict.kind == parts.rule_kind {
                    std::mem::take(&mut parts.kind_rules)
                } else {
                    // The cue rules that favoured the model's kind.
                    let mut ids: Vec<RuleId> = verdict
                        .top
                        .iter()
                        .filter_map(|f| f.feature.strip_prefix("cue="))
                        .map(|id| RuleId(id.to_string()))
                        .collect();
                    ids.sort();
                    ids.dedup();
                    ids
                };
                (verdict.kind, kind_rules, verdict.top)
            }
        };
        let Parts {
            measures,
            themes,
            principles,
            cue_hits,
            ..
        } = parts;
        let signal = |s: Signal| {
            cue_hits
                .iter()
                .any(|h| rules.cues.get(h.matcher).is_some_and(|c| c.signal == s))
        };
        // Principles are evidence of what a supplier offers or did; a passage that is neither
        // (a refusal, terms, a company description) evidences none. Its themes stay, to explain.
        // Neutral description and general advice are the exception, when every cue that made
        // the passage `none` says so (`keeps_principles`): "suppliers should pay the Real Living
        // Wage" claims nothing, but is about fair pay, and its kind is the least sure of all.
        // It keeps what its themes evidence; the principle model does not guess for it (on
        // text that is not about social value at all, manuals and handbooks full of "should",
        // its guesses were noise).
        let keeps = |r: &RuleId| rules.cues.iter().any(|c| c.keeps_principles && &c.id == r);
        let principles = if kind != StatementKind::None {
            self.principles_with_model(text, principles)
        } else if !kind_rules.is_empty() && kind_rules.iter().all(keeps) {
            principles
        } else {
            Vec::new()
        };
        let specificity = score::specificity(
            &measures,
            signal(Signal::ContractSpecific) || signal(Signal::Council),
            signal(Signal::Local),
        );
        // Every rule that fired, named once (a rule fires often in one passage).
        let mut fired: Vec<&str> = cue_hits
            .iter()
            .filter_map(|h| rules.cues.get(h.matcher).map(|c| c.id.0.as_str()))
            .chain(themes.iter().map(|t| t.id.0.as_str()))
            .chain(
                principles
                    .iter()
                    .flat_map(|p| p.rules.iter().map(|r| r.0.as_str())),
            )
            .chain(measures.iter().map(|m| m.rule.0.as_str()))
            .collect();
        fired.sort_unstable();
        fired.dedup();
        let fired: Vec<RuleId> = fired.into_iter().map(|r| RuleId(r.to_string())).collect();
        Classification {
            kind,
            kind_rules,
            kind_features,
            principles,
            themes,
            measures,
            specificity,
            rules: fired,
        }
    }
}
