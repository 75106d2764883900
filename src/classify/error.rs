//! Errors of loading a rule set, reported the way a compiler reports them:
//! `file:line:col: rule `id`: what is wrong`.
//!
//! Loading collects every problem it finds before giving up, so that a rule author sees all
//! of them at once; nothing runs on a rule set with any error.

use std::fmt;
use std::path::PathBuf;

/// One problem in one rule file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    /// The file as the user named it (or `rules/NAME` for the built-in set).
    pub file: String,
    /// 1-based line and column (in characters) of the offending text.
    pub line: usize,
    pub col: usize,
    /// The rule the problem belongs to, when it is known.
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.col)?;
        if let Some(rule) = &self.rule {
            write!(f, "rule `{rule}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Why a rule set could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Layout { path: PathBuf, message: String },
    /// The files were read, and at least one rule is invalid. Every error found is listed.
    #[error("{} error(s) in the rule set:\n{}", .0.len(), list(.0))]
    Invalid(Vec<RuleError>),
}

fn list(errors: &[RuleError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Line and column (1-based, column in characters) of a byte offset in `text`. An offset past
/// the end or inside a character is clamped to the nearest earlier character boundary.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "a\nb£c\nd";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        // `c` comes after the two-byte `£`.
        assert_eq!(line_col(text, 5), (2, 3));
        assert_eq!(line_col(text, 4), (2, 2));
        assert_eq!(line_col(text, 999), (3, 2));
    }

    #[test]
    fn display_is_compiler_style() {
        let e = RuleError {
            file: "rules/themes.toml".into(),
            line: 3,
            col: 7,
            rule: Some("apprenticeships".into()),
            message: "invalid regex".into(),
        };
        assert_eq!(
            e.to_string(),
            "rules/themes.toml:3:7: rule `apprenticeships`: invalid regex"
        );
    }
}
