//! `rules test`: run every rule's `must_match` and `must_not_match` examples, the way
//! semgrep-rules tests its rules, and report each failure with the file and line of the example.

use serde::Serialize;

use super::ids::RuleId;
use super::load::{RuleSet, Target};
use super::measures;
use super::themes;

/// One example that did not behave as its rule says.
#[derive(Clone, Debug, Serialize)]
pub struct Failure {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub rule: RuleId,
    pub must_match: bool,
    pub text: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.must_match {
            "must match but does not"
        } else {
            "must not match but does"
        };
        write!(
            f,
            "{}:{}:{}: rule `{}`: {what}: {:?}",
            self.file, self.line, self.col, self.rule, self.text
        )
    }
}

/// The outcome of running all examples.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub passed: usize,
    pub failures: Vec<Failure>,
}

/// Whether the rule of an example matches the example's text.
fn matches(rules: &RuleSet, target: Target, rule: &RuleId, text: &str) -> bool {
    match target {
        Target::Cue(i) => rules.cue_layer.scan(text).iter().any(|h| h.matcher == i),
        Target::Theme(i) => rules.theme_layer.scan(text).iter().any(|h| h.matcher == i),
        Target::Principle {
            framework,
            principle,
        } => {
            let Some(fw) = rules.frameworks.get(framework) else {
                return false;
            };
            let Some(id) = rules
                .frameworks
                .get(framework)
                .and_then(|f| f.principles.get(principle))
                .map(|p| &p.id)
            else {
                return false;
            };
            // The mapping alone: a principle example need not be a statement of any kind.
            themes::map(rules, fw, text).1.iter().any(|p| &p.id == id)
        }
        Target::Measure(_) => measures::extract(rules, text)
            .iter()
            .any(|m| &m.rule == rule),
    }
}

/// Run every example of the rule set.
pub fn run(rules: &RuleSet) -> Report {
    let mut report = Report::default();
    for ex in &rules.examples {
        if matches(rules, ex.target, &ex.rule, &ex.text) == ex.must_match {
            report.passed += 1;
        } else {
            report.failures.push(Failure {
                file: ex.file.clone(),
                line: ex.line,
                col: ex.col,
                rule: ex.rule.clone(),
                must_match: ex.must_match,
                text: ex.text.clone(),
            });
        }
    }
    report
}
