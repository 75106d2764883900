//! Compiled matchers: one [`Layer`] holds many rules' patterns in one `RegexSet` and their
//! terms in one Aho-Corasick automaton, so a passage is scanned once per layer whatever the
//! number of rules. Only the regexes that the set reports as matching are run again, to find
//! where they matched.
//!
//! The classes `\b`, `\w`, `\s`, `\d` in patterns are ASCII classes (their negations stay
//! Unicode, as an ASCII negation could match inside a multi-byte character).
//! A Unicode word boundary would make the lazy DFA give up on any non-ASCII text (a `£`, a
//! curly quote) and fall back to a slow engine, and Unicode `\w` multiplies the DFA's states
//! when hundreds of patterns share one set. Tender text is English: ASCII classes suffice.

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use super::limits;

/// One rule's matching fields, as validated strings.
#[derive(Clone, Debug, Default)]
pub struct MatcherDef {
    pub patterns: Vec<String>,
    pub terms: Vec<String>,
    pub exclude: Vec<String>,
    pub case_sensitive: bool,
    /// The patterns, then the exclusions, already compiled (by [`compile_one`]) while the
    /// rule was validated; compiled again by [`Layer::build`] when empty.
    pub compiled: Vec<Regex>,
}

/// Where a hit came from: a regex of the layer or a term of the layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitSource {
    Regex(usize),
    Term(usize),
}

/// One match of one rule (a matcher), as byte offsets into the scanned text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub matcher: usize,
    pub source: HitSource,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Copy, Debug)]
struct Owner {
    matcher: usize,
    exclude: bool,
}

#[derive(Debug)]
struct TermOwner {
    matcher: usize,
    case_sensitive: bool,
    term: String,
}

/// Many rules compiled together.
#[derive(Debug)]
pub struct Layer {
    set: RegexSet,
    regexes: Vec<Regex>,
    owners: Vec<Owner>,
    terms: Option<AhoCorasick>,
    term_owners: Vec<TermOwner>,
}

/// The pattern as it is compiled: case-insensitive unless asked, with ASCII `\b \w \s \d`.
fn prepared(pattern: &str, case_sensitive: bool) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    if !case_sensitive {
        out.push_str("(?i)");
    }
    // Depth of character classes (`[...]`, which may nest), and whether the previous
    // character opened one (a `]` right after `[` or `[^` is a literal).
    let mut depth = 0usize;
    let mut just_opened = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let class = match n {
                    'w' => Some("word"),
                    's' => Some("space"),
                    'd' => Some("digit"),
                    _ => None,
                };
                let negated = match n {
                    'W' => Some("word"),
                    'S' => Some("space"),
                    'D' => Some("digit"),
                    _ => None,
                };
                match (depth > 0, class, negated) {
                    (true, Some(name), _) => out.push_str(&format!("[:{name}:]")),
                    (true, _, Some(name)) => out.push_str(&format!("[:^{name}:]")),
                    // Negated ASCII classes could match inside a UTF-8 sequence: they stay Unicode.
                    (false, _, _) if matches!(n, 'b' | 'w' | 's' | 'd') => {
                        out.push_str("(?-u:\\");
                        out.push(n);
                        out.push(')');
                    }
                    _ => {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '[' => {
                out.push(c);
                depth += 1;
                just_opened = true;
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                continue;
            }
            ']' if depth > 0 && !just_opened => {
                out.push(c);
                depth -= 1;
            }
            _ => out.push(c),
        }
        just_opened = false;
    }
    out
}

/// Compile one pattern alone, to validate it (size limits included). The error is the
/// `regex` crate's message.
pub fn compile_one(pattern: &str, case_sensitive: bool) -> Result<Regex, String> {
    if pattern.len() > limits::MAX_PATTERN_BYTES {
        return Err(format!(
            "pattern of {} bytes exceeds the limit of {} bytes",
            pattern.len(),
            limits::MAX_PATTERN_BYTES
        ));
    }
    if pattern.is_empty() {
        return Err("empty pattern".into());
    }
    let re = RegexBuilder::new(&prepared(pattern, case_sensitive))
        .size_limit(limits::REGEX_SIZE_LIMIT)
        .dfa_size_limit(limits::DFA_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("invalid regex: {}", one_line(&e.to_string())))?;
    if re.is_match("") {
        return Err("pattern matches the empty string".into());
    }
    Ok(re)
}

/// Check a term: not empty, not only spaces, bounded.
pub fn check_term(term: &str) -> Result<(), String> {
    if term.trim().is_empty() {
        return Err("empty term".into());
    }
    if term.len() > limits::MAX_PATTERN_BYTES {
        return Err("term too long".into());
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Layer {
    /// Compile validated matchers into one layer. Matcher `i` of `defs` is reported as `i`.
    ///
    /// A matcher's patterns are joined into one alternation (and its exclusions into another),
    /// so that the set has one entry per matcher and a matching matcher costs one more search
    /// for its spans. Patterns with named groups (measures read them) stay apart, since names
    /// may not repeat within one regex.
    pub fn build(defs: &[MatcherDef]) -> Result<Layer, String> {
        let mut sources = Vec::new();
        let mut regexes = Vec::new();
        let mut owners = Vec::new();
        let mut term_list = Vec::new();
        let mut term_owners = Vec::new();
        for (matcher, def) in defs.iter().enumerate() {
            let named = def
                .patterns
                .iter()
                .chain(&def.exclude)
                .any(|p| p.contains("(?P<") || p.contains("(?<"));
            let compiled_all = def.compiled.len() == def.patterns.len() + def.exclude.len();
            let (compiled_patterns, compiled_exclude) =
                def.compiled
                    .split_at(if compiled_all { def.patterns.len() } else { 0 });
            for (list, compiled, exclude) in [
                (&def.patterns, compiled_patterns, false),
                (&def.exclude, compiled_exclude, true),
            ] {
                if list.is_empty() {
                    continue;
                }
                if named || list.len() == 1 {
                    for (k, p) in list.iter().enumerate() {
                        sources.push(prepared(p, def.case_sensitive));
                        regexes.push(match compiled.get(k) {
                            Some(re) if compiled_all => re.clone(),
                            _ => compile_one(p, def.case_sensitive)?,
                        });
                        owners.push(Owner { matcher, exclude });
                    }
                } else {
                    let joined = list
                        .iter()
                        .map(|p| format!("(?:{})", prepared(p, def.case_sensitive)))
                        .collect::<Vec<_>>()
                        .join("|");
                    let re = RegexBuilder::new(&joined)
                        .size_limit(limits::REGEX_SIZE_LIMIT.saturating_mul(list.len()))
                        .dfa_size_limit(limits::DFA_SIZE_LIMIT)
                        .build()
                        .map_err(|e| one_line(&e.to_string()))?;
                    sources.push(joined);
                    regexes.push(re);
                    owners.push(Owner { matcher, exclude });
                }
            }
            for t in &def.terms {
                term_list.push(t.clone());
                term_owners.push(TermOwner {
                    matcher,
                    case_sensitive: def.case_sensitive,
                    term: t.clone(),
                });
            }
        }
        let set = RegexSetBuilder::new(&sources)
            .size_limit(limits::SET_SIZE_LIMIT)
            .dfa_size_limit(limits::SET_SIZE_LIMIT)
            .build()
            .map_err(|e| {
                format!(
                    "the combined patterns are too large: {}",
                    one_line(&e.to_string())
                )
            })?;
        let terms = if term_list.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&term_list)
                    .map_err(|e| e.to_string())?,
            )
        };
        Ok(Layer {
            set,
            regexes,
            owners,
            terms,
            term_owners,
        })
    }

    pub fn regex(&self, i: usize) -> Option<&Regex> {
        self.regexes.get(i)
    }

    pub fn term(&self, i: usize) -> Option<&str> {
        self.term_owners.get(i).map(|t| t.term.as_str())
    }

    /// Every hit of every matcher that fired and was not vetoed by one of its exclusions,
    /// sorted by matcher, then position. At most [`limits::MAX_SPANS`] hits per pattern and
    /// [`limits::MAX_TERM_HITS`] term hits in all.
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut vetoed: Vec<usize> = Vec::new();
        for i in self.set.matches(text).iter() {
            let (Some(owner), Some(re)) = (self.owners.get(i), self.regexes.get(i)) else {
                continue;
            };
            if owner.exclude {
                vetoed.push(owner.matcher);
                continue;
            }
            for m in re.find_iter(text).take(limits::MAX_SPANS) {
                hits.push(Hit {
                    matcher: owner.matcher,
                    source: HitSource::Regex(i),
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
        if let Some(ac) = &self.terms {
            for m in ac.find_overlapping_iter(text).take(limits::MAX_TERM_HITS) {
                let Some(owner) = self.term_owners.get(m.pattern().as_usize()) else {
                    continue;
                };
                let (start, end) = (m.start(), m.end());
                if !on_word_boundaries(text, start, end) {
                    continue;
                }
                if owner.case_sensitive && text.get(start..end) != Some(owner.term.as_str()) {
                    continue;
                }
                hits.push(Hit {
                    matcher: owner.matcher,
                    source: HitSource::Term(m.pattern().as_usize()),
                    start,
                    end,
                });
            }
        }
        if !vetoed.is_empty() {
            hits.retain(|h| !vetoed.contains(&h.matcher));
        }
        hits.sort_by_key(|h| (h.matcher, h.start, h.end));
        hits
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A term matches only as whole words: the characters on either side of it (when the term
/// itself starts or ends with a word character) must not be word characters.
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let (Some(before), Some(inner), Some(after)) =
        (text.get(..start), text.get(start..end), text.get(end..))
    else {
        return false;
    };
    let first_is_word = inner.chars().next().is_some_and(is_word);
    let last_is_word = inner.chars().next_back().is_some_and(is_word);
    let left_ok = !first_is_word || !before.chars().next_back().is_some_and(is_word);
    let right_ok = !last_is_word || !after.chars().next().is_some_and(is_word);
    left_ok && right_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(patterns: &[&str], terms: &[&str], exclude: &[&str]) -> MatcherDef {
        MatcherDef {
            patterns: patterns.iter().map(|s| s.to_string()).collect(),
            terms: terms.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
            case_sensitive: false,
            compiled: Vec::new(),
        }
    }

    #[test]
    fn layer_reports_matchers_with_spans_and_exclusions() {
        let layer = Layer::build(&[
            def(
                &[r"\bapprentice(s|ships?)?\b"],
                &[],
                &[r"\bapprentice of the year\b"],
            ),
            def(&[], &["care leavers", "veterans"], &[]),
            def(&[r"\btree"], &[], &[]),
        ])
        .unwrap();
        let hits = layer.scan("We will hire 3 Apprentices and 2 care leavers – £5k for veterans");
        let matchers: Vec<usize> = hits.iter().map(|h| h.matcher).collect();
        assert_eq!(matchers, vec![0, 1, 1]);
        assert_eq!(hits[0].start, 15);
        assert_eq!(hits[0].end, 26);
        // The exclusion vetoes the whole rule.
        assert!(layer.scan("our apprentice of the year").is_empty());
        // Terms respect word boundaries.
        assert!(layer.scan("preveterans").is_empty());
    }

    #[test]
    fn case_sensitive_terms() {
        let mut d = def(&[], &["Crewe"], &[]);
        d.case_sensitive = true;
        let layer = Layer::build(&[d]).unwrap();
        assert_eq!(layer.scan("in Crewe").len(), 1);
        assert!(layer.scan("the crewe").is_empty());
    }

    #[test]
    fn classes_become_ascii_inside_and_outside_brackets() {
        assert_eq!(
            prepared(r"\bwe\s+[\s-]\w", true),
            r"(?-u:\b)we(?-u:\s)+[[:space:]-](?-u:\w)"
        );
        assert_eq!(
            prepared(r"[^\W\d]\.", false),
            r"(?i)[^[:^word:][:digit:]]\."
        );
        assert_eq!(prepared(r"[]a]\(", true), r"[]a]\(");
        let re = compile_one(r"\bcare\s+leavers?\b", false).unwrap();
        assert!(re.is_match("two Care  leavers – £5k"));
    }

    #[test]
    fn bad_patterns_are_rejected() {
        assert!(compile_one("(", false).is_err());
        assert!(compile_one("a*", false)
            .unwrap_err()
            .contains("empty string"));
        assert!(compile_one(&"a".repeat(5000), false).is_err());
        assert!(compile_one(r"(?:\p{L}{100}){50}", false)
            .unwrap_err()
            .contains("invalid regex"));
    }
}
