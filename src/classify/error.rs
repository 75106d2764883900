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

/// Errors shown per file; the rest of that file's are counted. One mistake can repeat on every
/// row of a file (a principle renamed in the model's header leaves each row that names it
/// wrong), and a thousand lines bury the first, which is usually the one to fix.
const SHOWN_PER_FILE: usize = 20;

fn list(errors: &[RuleError]) -> String {
    let mut lines = Vec::new();
    let mut start = 0;
    while start < errors.len() {
        let file = &errors[start].file;
        let end = errors[start..]
            .iter()
            .position(|e| &e.file != file)
            .map_or(errors.len(), |n| start + n);
        for e in &errors[start..end.min(start + SHOWN_PER_FILE)] {
            lines.push(format!("  {e}"));
        }
        let more = (end - start).saturating_sub(SHOWN_PER_FILE);
        if more > 0 {
            lines.push(format!("  {file}: {more} more error(s) not shown"));
        }
        start = end;
    }
    lines.join("\n")
}

/// The start of every line of a text, so that many offsets of one file are placed without
/// scanning it from the start each time (a rule file's every rule id and example is placed
/// when it loads, and scanning for each cost a seventh of the load).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        LineIndex { starts }
    }

    /// Line and column (1-based, column in characters) of a byte offset in `text`, the text
    /// this index was made from. An offset past the end or inside a character is clamped to
    /// the nearest earlier character boundary.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        // The last line start at or before `end` (the first is 0, so there is one).
        let line = self.starts.partition_point(|&s| s <= end).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0).min(end);
        let col = text.get(start..end).map_or(0, |s| s.chars().count()) + 1;
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first, scanning version of [`LineIndex::line_col`]: the reference it is checked
    /// against.
    fn line_col(text: &str, offset: usize) -> (usize, usize) {
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

    #[test]
    fn the_line_index_places_offsets_as_line_col_does() {
        for text in ["", "a", "a\nb£c\nd", "\n\n£\n", "x£\n\ny\n"] {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.line_col(text, offset),
                    line_col(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "a\nb£c\nd";
        let index = LineIndex::new(text);
        let line_col = |offset| index.line_col(text, offset);
        assert_eq!(line_col(0), (1, 1));
        assert_eq!(line_col(2), (2, 1));
        // `c` comes after the two-byte `£`.
        assert_eq!(line_col(5), (2, 3));
        assert_eq!(line_col(4), (2, 2));
        assert_eq!(line_col(999), (3, 2));
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

    #[test]
    fn a_file_with_many_errors_shows_the_first_and_counts_the_rest() {
        let error = |file: &str, line: usize| RuleError {
            file: file.into(),
            line,
            col: 1,
            rule: None,
            message: "bad weight".into(),
        };
        let mut errors: Vec<RuleError> = (1..=25).map(|l| error("model.toml", l)).collect();
        errors.push(error("themes.toml", 4));
        let shown = LoadError::Invalid(errors).to_string();
        assert!(shown.starts_with("26 error(s) in the rule set:"), "{shown}");
        assert!(shown.contains("model.toml:20:1: bad weight"), "{shown}");
        assert!(!shown.contains("model.toml:21:1"), "{shown}");
        assert!(
            shown.contains("  model.toml: 5 more error(s) not shown"),
            "{shown}"
        );
        // The next file's errors are still shown.
        assert!(shown.ends_with("  themes.toml:4:1: bad weight"), "{shown}");
    }
}
