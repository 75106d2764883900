//! Compiled matchers: one [`Layer`] holds many rules' patterns and terms, so that a passage is
//! scanned once per layer whatever the number of rules. Each regex's required literals (a set
//! of words of which every match holds one, read from its parsed form with its letters lowered,
//! for each branch of a joined regex apart) are one Aho-Corasick automaton with the layer's
//! terms (lowered, in the lowered text: one scan for all): the
//! scan finds which literals the passage holds, and only the regexes whose literals are there
//! run, to find where they match. The same scan
//! looks for the other words a regex's match needs (its [`need`]: every word of one of its
//! branches), and a regex runs only when they are there too. Where every match of a regex
//! starts with one of some literals, the scan keeps where it found them and the regex is
//! tried only there, by an anchored search, instead of reading the whole passage. A regex
//! that is an alternation (a matcher's joined patterns) is looked for branch by branch: only
//! the branches whose literals the passage holds run, each tried where its own first words
//! are, with the matches of the whole regex ([`Layer::run`]). A regex
//! without required literals (none in the built-in rules) is matched with the others of its
//! kind in a regex set, and runs when the set reports it.
//!
//! Why not sets for all: on text it has not seen, a set's lazy DFA builds a state at nearly
//! every byte (the product of the partial matches of hundreds of patterns), which was most of
//! the classifier's time in real ingestion; a single regex's DFA has few states, and most
//! regexes do not run on a given passage at all.
//!
//! The classes `\b`, `\w`, `\s`, `\d` in patterns are ASCII classes (their negations stay
//! Unicode, as an ASCII negation could match inside a multi-byte character).
//! A Unicode word boundary would make the lazy DFA give up on any non-ASCII text (a `£`, a
//! curly quote) and fall back to a slow engine, and Unicode `\w` multiplies the DFA's states
//! when hundreds of patterns share one set. Tender text is English: ASCII classes suffice.
//!
//! Building is the cost of loading a rule set, so each pattern is parsed once and compiled
//! once: the parsed patterns of a matcher are joined into one regex, which also validates them
//! (only when it fails is each pattern compiled alone, to say which one is wrong), and the
//! literals and any set come from the same parsed patterns. The regexes are built with `regex-automata`, the
//! engine under `regex`, with `regex`'s settings and limits but without its literal prefilter:
//! extracting literals from hundreds of case-insensitive alternations was most of the build
//! time, and a rule's regex only runs on a passage that holds its own literals.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexBuilder};
use regex_automata::nfa::thompson::{self, pikevm::PikeVM, WhichCaptures, NFA};
use regex_automata::{meta, Input, PatternSet};
use regex_syntax::hir::{Class, Hir, HirKind, Look, Repetition};

use super::limits;

/// One rule's matching fields, as validated strings.
#[derive(Clone, Debug, Default)]
pub struct MatcherDef {
    pub patterns: Vec<String>,
    pub terms: Vec<String>,
    pub exclude: Vec<String>,
    pub case_sensitive: bool,
    /// The layer entries of the patterns and exclusions, already compiled (by [`compile`])
    /// while the rule was validated; compiled by [`Layer::build`] when empty or out of date.
    pub compiled: Vec<Entry>,
}

/// One regex of a layer: one pattern, or a matcher's patterns (or exclusions) joined.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The regex as `regex` would compile it.
    source: String,
    hir: Hir,
    exclude: bool,
    /// How many patterns it joins: its size limit is that many times one regex's.
    parts: usize,
    /// Whether it is matched against the [`lowered`] text (a case-insensitive matcher's).
    folded: bool,
    /// How the prefilter runs it ([`searched_as`]), worked out here rather than in
    /// [`Layer::build`]: matchers are compiled in parallel, a layer is built on one thread.
    searched: Option<Vec<Searched>>,
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
    folded: bool,
}

#[derive(Clone, Debug)]
struct TermOwner {
    matcher: usize,
    case_sensitive: bool,
    term: String,
}

/// One regex set of a layer: the regexes matched against the same text.
#[derive(Clone, Debug)]
struct Set {
    set: meta::Regex,
    /// The layer's number of each regex of the set, in the set's order.
    members: Vec<usize>,
    /// Whether the set is matched against the [`lowered`] text.
    folded: bool,
}

/// Many rules compiled together. A clone shares the compiled automata and starts with empty
/// regex caches (its lazy DFAs have built no state yet): what a bench of new text needs.
#[derive(Clone, Debug)]
pub struct Layer {
    /// The regexes without [`required_literals`], in sets: the case-insensitive ones, then
    /// (if any) the case-sensitive ones.
    sets: Vec<Set>,
    /// The regexes with required literals, those matched against the text as written too:
    /// their literals, lowered, are looked for in the [`lowered`] text.
    prefilter: Option<Prefilter>,
    /// Each regex's place in the order of hits of one matcher at one place.
    rank: Vec<usize>,
    /// Each regex's parsed pattern and its searcher, built when the set first reports it.
    regexes: Vec<(Hir, OnceLock<Option<meta::Regex>>)>,
    /// What the prefilter runs: each regex with required literals whole, or each branch of
    /// its alternation apart (see [`searched_as`]), numbered regex by regex.
    units: Vec<Unit>,
    /// Each regex's source and number of patterns, to compile it as a [`Regex`] (for its
    /// captures) when [`Layer::regex`] first asks for it.
    sources: Vec<(String, usize)>,
    api: Vec<OnceLock<Regex>>,
    owners: Vec<Owner>,
    /// The terms, in the order of `term_owners`, are looked for by the prefilter of the
    /// lowered text, in the same scan as the literals.
    term_owners: Vec<TermOwner>,
}

/// What the prefilter runs (a unit): a regex with required literals, whole, or one branch of
/// its alternation (see [`searched_as`]).
#[derive(Clone, Debug)]
struct Unit {
    /// Its regex's number in the layer.
    regex: usize,
    /// The branch's parsed pattern and its searcher, built the first time it runs; `None`
    /// for a whole regex (its searcher is the regex's).
    branch: Option<(Hir, OnceLock<Option<meta::Regex>>)>,
}

/// A unit as [`searched_as`] finds it, before it is numbered.
#[derive(Clone, Debug)]
struct Searched {
    branch: Option<Hir>,
    /// Required literals and need, for each branch of what it searches apart.
    literals: Vec<(Vec<Vec<u8>>, Need)>,
    /// The literals every match of it starts with, if it has such a set.
    starts: Option<Vec<Vec<u8>>>,
}

/// The pattern as it is compiled, with ASCII `\b \w \s \d`. A case-insensitive pattern is
/// matched against the text with its ASCII letters lowered ([`lowered`], which keeps every
/// byte offset), so its own ASCII letters are lowered too, rather than asking the engine to
/// fold case with `(?i)`.
///
/// Why: the engine compiles an alternation of plain literals into a trie, but not one of
/// case-folded letters (each a class, folded through Unicode's tables). Lowering made loading
/// the default rule set take about half the time and memory (`bench/rules_load.sh`: median
/// 103 ms to 59 ms, 70 MB to 37 MB peak RSS). What still needs the engine's folding keeps it,
/// in a `(?i:...)` group of its own: a bracketed class (the engine folds before it negates,
/// which only it can do right), a `\p{..}` class, a character given by its number (`\x41`),
/// and a letter outside ASCII (the text keeps those as written). A pattern that sets flags
/// itself (`(?i)`, `(?-i:...)`, `(?x)`) is folded whole by the engine and matched against the
/// text as written, as a case-sensitive pattern is.
fn prepared(pattern: &str, case_sensitive: bool) -> String {
    let fold = !case_sensitive && !sets_flags(pattern);
    let mut out = String::with_capacity(pattern.len() + 16);
    if !case_sensitive && !fold {
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
                        // A class or a character given by its number may be an upper-case letter.
                        let property =
                            fold && depth == 0 && matches!(n, 'p' | 'P' | 'x' | 'u' | 'U');
                        if property {
                            out.push_str("(?i:");
                        }
                        out.push('\\');
                        out.push(n);
                        // The argument of `\x41`, `\u{..}`, `\pL`, `\p{Greek}` is copied as
                        // written: its letters are not letters of the text.
                        let fixed = match n {
                            'x' => 2,
                            'u' => 4,
                            'U' => 8,
                            'p' | 'P' => 1,
                            _ => 0,
                        };
                        if fixed > 0 && chars.peek() == Some(&'{') {
                            for a in chars.by_ref() {
                                out.push(a);
                                if a == '}' {
                                    break;
                                }
                            }
                        } else {
                            out.extend(chars.by_ref().take(fixed));
                        }
                        if property {
                            out.push(')');
                        }
                    }
                }
            }
            '[' => {
                if fold && depth == 0 {
                    out.push_str("(?i:");
                }
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
                if fold && depth == 0 {
                    out.push(')');
                }
            }
            // A group's opening (`(?:`, `(?P<Name>`) is syntax, not text.
            '(' if depth == 0 && chars.peek() == Some(&'?') => {
                out.push(c);
                for a in chars.by_ref() {
                    out.push(a);
                    if matches!(a, ':' | ')' | '>') {
                        break;
                    }
                }
            }
            c if fold && depth == 0 && c.is_ascii_uppercase() => out.push(c.to_ascii_lowercase()),
            c if fold && depth == 0 && !c.is_ascii() && c.is_alphabetic() => {
                out.push_str("(?i:");
                out.push(c);
                out.push(')');
            }
            _ => out.push(c),
        }
        just_opened = false;
    }
    out
}

/// Whether a pattern sets the regex engine's flags itself (`(?i)`, `(?-i:`, `(?x)`, ...).
fn sets_flags(pattern: &str) -> bool {
    pattern.match_indices("(?").any(|(at, _)| {
        pattern
            .get(at + 2..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| matches!(c, 'i' | 'm' | 's' | 'U' | 'u' | 'x' | 'R' | '-'))
    })
}

/// The text a case-insensitive pattern is matched against: its ASCII letters lowered, every
/// byte where it was.
pub fn lowered(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// The checks every pattern passes before it is parsed: not empty, bounded.
fn check_size(pattern: &str) -> Result<(), String> {
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
    Ok(())
}

/// Compile one pattern alone, to validate it (size limits included). The error is the
/// `regex` crate's message.
pub fn compile_one(pattern: &str, case_sensitive: bool) -> Result<Regex, String> {
    check_size(pattern)?;
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

/// `regex`'s settings for one regex (`RegexBuilder::build`), without the literal prefilter.
fn one_config(size_limit: usize) -> meta::Config {
    meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .nfa_size_limit(Some(size_limit))
        .hybrid_cache_capacity(limits::DFA_SIZE_LIMIT)
        .auto_prefilter(false)
}

/// `regex`'s settings for a set (`RegexSetBuilder::build`), without the literal prefilter.
fn set_config() -> meta::Config {
    meta::Config::new()
        .match_kind(regex_automata::MatchKind::All)
        .utf8_empty(true)
        .which_captures(WhichCaptures::None)
        .nfa_size_limit(Some(limits::SET_SIZE_LIMIT))
        .hybrid_cache_capacity(limits::SET_SIZE_LIMIT)
        .auto_prefilter(false)
}

/// A build error as `regex` words it.
fn build_error(e: &meta::BuildError) -> String {
    let e = match (e.size_limit(), e.syntax_error()) {
        (Some(limit), _) => regex::Error::CompiledTooBig(limit),
        (None, Some(syntax)) => regex::Error::Syntax(syntax.to_string()),
        (None, None) => regex::Error::Syntax(e.to_string()),
    };
    one_line(&e.to_string())
}

/// A forward NFA's build error as `regex` words it (the pattern is parsed already, so only a
/// size limit can fail it).
fn nfa_error(e: &thompson::BuildError) -> String {
    let e = match e.size_limit() {
        Some(limit) => regex::Error::CompiledTooBig(limit),
        None => regex::Error::Syntax(e.to_string()),
    };
    one_line(&e.to_string())
}

/// Whether an NFA matches the empty string.
fn matches_empty(nfa: &NFA) -> bool {
    PikeVM::new_from_nfa(nfa.clone()).is_ok_and(|vm| vm.is_match(&mut vm.create_cache(), ""))
}

/// Check and parse one pattern: the errors of [`compile_one`] that do not need a compile.
fn parse_one(pattern: &str, case_sensitive: bool) -> Result<Hir, String> {
    check_size(pattern)?;
    regex_syntax::Parser::new()
        .parse(&prepared(pattern, case_sensitive))
        .map_err(|e| format!("invalid regex: {}", one_line(&e.to_string())))
}

/// Patterns with named groups (measures read them) stay apart, since names may not repeat
/// within one regex; so does a list of one, and a list with a pattern that sets flags (that
/// one is matched against the text as written, the others against the lowered text).
fn stays_apart(def: &MatcherDef) -> bool {
    def.patterns
        .iter()
        .chain(&def.exclude)
        .any(|p| p.contains("(?P<") || p.contains("(?<") || sets_flags(p))
}

/// The groups of `def`'s patterns, then exclusions, that become one entry each:
/// `(first index into patterns ++ exclude, count, exclude)`.
fn groups(def: &MatcherDef) -> Vec<(usize, usize, bool)> {
    let apart = stays_apart(def);
    let mut out = Vec::new();
    for (offset, len, exclude) in [
        (0, def.patterns.len(), false),
        (def.patterns.len(), def.exclude.len(), true),
    ] {
        if apart || len == 1 {
            out.extend((offset..offset + len).map(|k| (k, 1, exclude)));
        } else if len > 1 {
            out.push((offset, len, exclude));
        }
    }
    out
}

/// The source of the entry joining `patterns`.
fn entry_source(patterns: &[String], case_sensitive: bool) -> String {
    match patterns {
        [one] => prepared(one, case_sensitive),
        _ => patterns
            .iter()
            .map(|p| format!("(?:{})", prepared(p, case_sensitive)))
            .collect::<Vec<_>>()
            .join("|"),
    }
}

/// Whether `def.compiled` holds the entries of `def`'s current patterns.
fn up_to_date(def: &MatcherDef) -> bool {
    let all: Vec<String> = def.patterns.iter().chain(&def.exclude).cloned().collect();
    let groups = groups(def);
    groups.len() == def.compiled.len()
        && groups
            .iter()
            .zip(&def.compiled)
            .all(|(&(k, n, exclude), e)| {
                e.exclude == exclude
                    && e.parts == n
                    && all
                        .get(k..k + n)
                        .is_some_and(|ps| e.source == entry_source(ps, def.case_sensitive))
            })
}

/// Validate and compile a matcher's patterns and exclusions into its layer entries. Each error
/// comes with the index (into patterns, then exclusions) of the pattern it is about, or `None`
/// when it is about the patterns together. The errors are those of [`compile_one`] on each
/// pattern.
#[allow(clippy::type_complexity)]
pub fn compile(def: &MatcherDef) -> Result<Vec<Entry>, Vec<(Option<usize>, String)>> {
    let all: Vec<&String> = def.patterns.iter().chain(&def.exclude).collect();
    let mut hirs = Vec::with_capacity(all.len());
    for p in &all {
        match parse_one(p, def.case_sensitive) {
            Ok(h) => hirs.push(h),
            // Compile each pattern alone, to report every error `compile_one` finds.
            Err(_) => {
                return Err(all
                    .iter()
                    .enumerate()
                    .filter_map(|(k, p)| {
                        compile_one(p, def.case_sensitive)
                            .err()
                            .map(|e| (Some(k), e))
                    })
                    .collect())
            }
        }
    }
    let mut errors = Vec::new();
    let mut entries = Vec::new();
    // The groups are consecutive and in order.
    let mut hirs = hirs.into_iter();
    for (k, n, exclude) in groups(def) {
        let patterns: Vec<String> = all[k..k + n].iter().map(|p| p.to_string()).collect();
        let parts: Vec<Hir> = hirs.by_ref().take(n).collect();
        let hir = if n == 1 {
            parts.into_iter().next().unwrap_or_else(Hir::fail)
        } else {
            Hir::alternation(parts)
        };
        // Validation needs only the forward NFA, which is what `regex`'s size limit bounds;
        // the searcher (forward and reverse automata) is built when the set first reports
        // this regex, so loading a rule set compiles each pattern once, in the set.
        let built = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(limits::REGEX_SIZE_LIMIT.saturating_mul(n))),
            )
            .build_from_hir(&hir);
        let (ok, joined_error) = match &built {
            // A regex under half of one regex's limit joins patterns that are each under it.
            // (Searching needs a cache, costly to set up: only search "" when it could match.)
            Ok(nfa) => (
                (hir.properties().minimum_len() != Some(0) || !matches_empty(nfa))
                    && (n == 1 || nfa.memory_usage() <= limits::REGEX_SIZE_LIMIT / 2),
                None,
            ),
            Err(e) => (false, Some(nfa_error(e))),
        };
        if !ok {
            if n == 1 {
                let msg = match joined_error {
                    Some(e) => format!("invalid regex: {e}"),
                    None => "pattern matches the empty string".into(),
                };
                errors.push((Some(k), msg));
                continue;
            }
            // Compile each pattern alone to say which is wrong.
            let before = errors.len();
            for (j, p) in patterns.iter().enumerate() {
                if let Err(msg) = compile_one(p, def.case_sensitive) {
                    errors.push((Some(k + j), msg));
                }
            }
            if errors.len() > before {
                continue;
            }
            if let Some(e) = joined_error {
                errors.push((None, format!("the rule's patterns together: {e}")));
                continue;
            }
        }
        if built.is_err() {
            continue;
        }
        let folded = !def.case_sensitive && !patterns.iter().any(|p| sets_flags(p));
        entries.push(Entry {
            source: entry_source(&patterns, def.case_sensitive),
            searched: searched_as(&hir, !folded),
            hir,
            exclude,
            parts: n,
            folded,
        });
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

impl Layer {
    /// Compile validated matchers into one layer. Matcher `i` of `defs` is reported as `i`.
    ///
    /// A matcher's patterns are joined into one alternation (and its exclusions into another),
    /// so that the set has one entry per matcher and a matching matcher costs one more search
    /// for its spans. Patterns with named groups (measures read them) stay apart, since names
    /// may not repeat within one regex.
    pub fn build(defs: &[MatcherDef]) -> Result<Layer, String> {
        Layer::from_defs(defs.to_vec())
    }

    /// [`Layer::build`], taking the matchers: their parsed patterns move into the layer
    /// rather than being copied (a rule set's loading does not need them afterwards).
    pub fn from_defs(defs: Vec<MatcherDef>) -> Result<Layer, String> {
        // The regexes matched in sets, by number: case-insensitive, then case-sensitive.
        let mut in_sets: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
        let mut regexes = Vec::new();
        let mut sources = Vec::new();
        let mut owners = Vec::new();
        let mut term_list = Vec::new();
        let mut term_owners = Vec::new();
        // How each regex with required literals is searched (see [`searched_as`]), by its
        // number; the others are matched in sets.
        let mut pending: Vec<Option<Vec<Searched>>> = Vec::new();
        for (matcher, mut def) in defs.into_iter().enumerate() {
            if !up_to_date(&def) {
                def.compiled = compile(&def).map_err(|errors| {
                    errors
                        .into_iter()
                        .next()
                        .map(|(_, msg)| msg)
                        .unwrap_or_default()
                })?;
            }
            for e in def.compiled {
                let m = regexes.len();
                in_sets[usize::from(!e.folded)].push(m);
                regexes.push((e.hir, OnceLock::new()));
                pending.push(e.searched);
                sources.push((e.source, e.parts));
                owners.push(Owner {
                    matcher,
                    exclude: e.exclude,
                    folded: e.folded,
                });
            }
            for t in def.terms {
                term_owners.push(TermOwner {
                    matcher,
                    case_sensitive: def.case_sensitive,
                    term: t.clone(),
                });
                term_list.push(t);
            }
        }
        let mut sets = Vec::new();
        let mut rank = vec![0; regexes.len()];
        let mut next_rank = 0;
        for (k, members) in in_sets.into_iter().enumerate() {
            // Patterns with a gap of any words ("(?:\w+\s+){0,4}") make the lazy DFA of an
            // overlapping search build a new state at nearly every byte of new text once
            // several of them are in one set (their partial matches combine); each such
            // pattern gets a small set of its own, the rest share one.
            let (gappy, plain): (Vec<usize>, Vec<usize>) = members
                .into_iter()
                .partition(|&m| has_word_gap(&regexes[m].0));
            // Hits of one matcher at one place come in this order (that of the sets before
            // the prefilter), whichever way their regexes were found.
            for &m in plain.iter().chain(&gappy) {
                rank[m] = next_rank;
                next_rank += 1;
            }
            // A regex with required literals runs only on the texts that hold one of them;
            // the others are matched together in sets.
            let (mut plain, mut gappy) = (plain, gappy);
            for group in [&mut plain, &mut gappy] {
                group.retain(|&m| pending[m].is_none());
            }
            let groups = std::iter::once(plain).chain(
                gappy
                    .chunks(GAPPY_PER_SET)
                    .map(<[_]>::to_vec)
                    .collect::<Vec<_>>(),
            );
            for members in groups {
                if members.is_empty() {
                    continue;
                }
                let hirs: Vec<&Hir> = members.iter().map(|&m| &regexes[m].0).collect();
                let set = meta::Builder::new()
                    .configure(set_config())
                    .build_many_from_hir(&hirs)
                    .map_err(|e| {
                        format!("the combined patterns are too large: {}", build_error(&e))
                    })?;
                sets.push(Set {
                    set,
                    members,
                    folded: k == 0,
                });
            }
        }
        // The units are numbered in the order of their regexes, and a regex's branches in
        // their order, so that sorted candidates come regex by regex, branch by branch.
        // The required literals of every unit, those matched against the text as written
        // too, are looked for in the lowered text ([`lowered_hir`]): one scan for all.
        let mut units = Vec::new();
        let mut literals = Vec::new();
        // The literals every match of a unit starts with, where it has such a set.
        let mut prefixes = Vec::new();
        for (m, searched) in pending.into_iter().enumerate() {
            for unit in searched.into_iter().flatten() {
                let u = units.len();
                for (lits, need) in unit.literals {
                    literals.push((u, lits, need));
                }
                if let Some(starts) = unit.starts {
                    prefixes.push((u, starts));
                }
                units.push(Unit {
                    regex: m,
                    branch: unit.branch.map(|h| (h, OnceLock::new())),
                });
            }
        }
        // The terms are matched in any (ASCII) case: the lowered terms in the lowered text,
        // in the same scan as the literals.
        let prefilter = Prefilter::build(&literals, &prefixes, &term_list)?;
        Ok(Layer {
            sets,
            prefilter,
            rank,
            api: sources.iter().map(|_| OnceLock::new()).collect(),
            sources,
            regexes,
            units,
            owners,
            term_owners,
        })
    }

    /// Whether regex `i` of the layer is matched against the [`lowered`] text, not the text.
    pub fn folds(&self, i: usize) -> bool {
        self.owners.get(i).is_some_and(|o| o.folded)
    }

    /// Regex `i` of the layer (as hits number them), compiled with `regex` when first asked
    /// for. It is to be run on the [`lowered`] text when [`Layer::folds`] says so.
    pub fn regex(&self, i: usize) -> Option<&Regex> {
        let (source, parts) = self.sources.get(i)?;
        let cell = self.api.get(i)?;
        if let Some(re) = cell.get() {
            return Some(re);
        }
        let re = RegexBuilder::new(source)
            .size_limit(limits::REGEX_SIZE_LIMIT.saturating_mul(*parts))
            .dfa_size_limit(limits::DFA_SIZE_LIMIT)
            .build()
            .ok()?;
        Some(cell.get_or_init(|| re))
    }

    /// The searcher of regex `i`, built on first use. Its pattern was validated under
    /// `regex`'s size limit and compiled into the set, under the set's: built under the set's
    /// limit it cannot fail, so `None` only for an index out of range.
    fn searcher(&self, i: usize) -> Option<&meta::Regex> {
        let (hir, cell) = self.regexes.get(i)?;
        cell.get_or_init(|| {
            meta::Builder::new()
                .configure(one_config(limits::SET_SIZE_LIMIT))
                .build_from_hir(hir)
                .ok()
        })
        .as_ref()
    }

    pub fn term(&self, i: usize) -> Option<&str> {
        self.term_owners.get(i).map(|t| t.term.as_str())
    }

    /// Every hit of every matcher that fired and was not vetoed by one of its exclusions,
    /// sorted by matcher, then position. At most [`limits::MAX_SPANS`] hits per pattern and
    /// [`limits::MAX_TERM_HITS`] term hits in all.
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        self.scan_lowered(text, &lowered(text))
    }

    /// [`Layer::scan`] with the [`lowered`] text already made (a caller that also runs a
    /// layer's regexes itself lowers the text once).
    pub fn scan_lowered(&self, text: &str, lower: &str) -> Vec<Hit> {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.scan_with(text, lower, &mut scratch),
            Err(_) => self.scan_with(text, lower, &mut Scratch::default()),
        })
    }

    fn scan_with(&self, text: &str, lower: &str, scratch: &mut Scratch) -> Vec<Hit> {
        let mut hits = Vec::new();
        let Scratch {
            prefilter: found,
            candidates,
            exclusions,
            vetoed,
            terms,
            at,
            cursors,
        } = scratch;
        candidates.clear();
        exclusions.clear();
        vetoed.clear();
        terms.clear();
        if let Some(p) = &self.prefilter {
            p.candidates(lower, found, candidates, terms);
        }
        // The units of one regex come together, in the order of its branches.
        candidates.sort_unstable();
        candidates.dedup();
        let mut work = Work {
            found: &*found,
            at,
            cursors,
        };
        // Exclusions run last, and only for matchers with hits: a veto of nothing is no work.
        let mut c = 0;
        while let Some(&u) = candidates.get(c) {
            let Some(i) = self.units.get(u).map(|u| u.regex) else {
                c += 1;
                continue;
            };
            let n = candidates[c..]
                .iter()
                .take_while(|&&v| self.units.get(v).is_some_and(|v| v.regex == i))
                .count();
            if self.owners.get(i).is_some_and(|o| o.exclude) {
                exclusions.push((i, Some((c, c + n))));
            } else {
                let units = candidates.get(c..c + n);
                self.run(i, text, lower, units, &mut work, &mut hits, vetoed);
            }
            c += n;
        }
        for set in &self.sets {
            let haystack = if set.folded { lower } else { text };
            let mut which = PatternSet::new(set.set.pattern_len());
            set.set
                .which_overlapping_matches(&Input::new(haystack), &mut which);
            // The set's patterns come in order: stop after the last one that matched.
            let matched = which.iter().take(which.len());
            for &i in matched.filter_map(|p| set.members.get(p.as_usize())) {
                if self.owners.get(i).is_some_and(|o| o.exclude) {
                    exclusions.push((i, None));
                } else {
                    self.run(i, text, lower, None, &mut work, &mut hits, vetoed);
                }
            }
        }
        for &(t, start, end) in terms.iter() {
            let Some(owner) = self.term_owners.get(t) else {
                continue;
            };
            if !on_word_boundaries(text, start, end) {
                continue;
            }
            if owner.case_sensitive
                && (!text
                    .get(start..end)
                    .is_some_and(|found| written_as(found, &owner.term))
                    || acronym_among_capitals(&owner.term, text, start, end))
            {
                continue;
            }
            hits.push(Hit {
                matcher: owner.matcher,
                source: HitSource::Term(t),
                start,
                end,
            });
        }
        for &(i, units) in exclusions.iter() {
            let fired = self
                .owners
                .get(i)
                .is_some_and(|o| hits.iter().any(|h| h.matcher == o.matcher));
            if fired {
                let units = units.and_then(|(from, to)| candidates.get(from..to));
                self.run(i, text, lower, units, &mut work, &mut hits, vetoed);
            }
        }
        if !vetoed.is_empty() {
            hits.retain(|h| !vetoed.contains(&h.matcher));
        }
        hits.sort_by_key(|h| {
            let rank = match h.source {
                HitSource::Regex(i) => self.rank.get(i).copied().unwrap_or(usize::MAX),
                HitSource::Term(_) => usize::MAX,
            };
            (h.matcher, h.start, h.end, rank)
        });
        hits
    }

    /// The searcher of unit `u`: its branch's, built on first use, or its regex's.
    fn unit_searcher(&self, u: usize) -> Option<&meta::Regex> {
        let unit = self.units.get(u)?;
        match &unit.branch {
            Some((hir, cell)) => cell
                .get_or_init(|| {
                    meta::Builder::new()
                        .configure(one_config(limits::SET_SIZE_LIMIT))
                        .build_from_hir(hir)
                        .ok()
                })
                .as_ref(),
            None => self.searcher(unit.regex),
        }
    }

    /// Where unit `u`'s matches may start, appended to `work.at`, when the prefilter knows
    /// (and they are few): their range in `work.at`.
    fn places(&self, u: usize, work: &mut Work) -> Option<(usize, usize)> {
        let from = work.at.len();
        let known = self
            .prefilter
            .as_ref()
            .is_some_and(|p| p.starts(u, work.found, work.at));
        // Past a few places, one search over the whole text: each try may read on to the end
        // of the text (a rule's `.*`), and tries at every place of a long text would cost that
        // many times its length.
        let to = work.at.len();
        (known && to - from <= MAX_TRIES).then_some((from, to))
    }

    /// Run regex `i` on its text: its spans as hits, or, for an exclusion, its matcher
    /// vetoed. `units`: the prefilter's units of it the text may match (`None`: a set said it
    /// matches).
    ///
    /// Where the units are branches of the regex, only those the text may match are searched
    /// (the others cannot match), each with its own small automaton, where the regex's own
    /// would hold every branch: on new text, building the lazy DFA's states of a whole
    /// matcher's joined patterns (tens of branches) at every byte was most of the work. A
    /// branch that starts with some literals is tried only where they are. The matches are
    /// those of the whole regex, as `find_iter` gives them: from where the last one ended,
    /// the one that starts first, of the first branch that matches there (leftmost-first
    /// prefers the earlier branch of an alternation); a branch's next match is kept as long
    /// as it starts after the last match's end. Branches match no empty string (else the
    /// regex is searched whole), so each match ends past the last.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        i: usize,
        text: &str,
        lower: &str,
        units: Option<&[usize]>,
        work: &mut Work,
        hits: &mut Vec<Hit>,
        vetoed: &mut Vec<usize>,
    ) {
        let Some(owner) = self.owners.get(i) else {
            return;
        };
        let haystack = if owner.folded { lower } else { text };
        let mut push = |m: regex_automata::Match| {
            hits.push(Hit {
                matcher: owner.matcher,
                source: HitSource::Regex(i),
                start: m.start(),
                end: m.end(),
            })
        };
        work.at.clear();
        let (set_says, units) = match units {
            None => (true, &[][..]),
            Some(units) => (false, units),
        };
        // One searcher: the whole regex, or the one branch of it the text may match.
        if let (true, _) | (_, [_]) = (set_says, units) {
            let (re, places) = match units.first() {
                Some(&u) => (self.unit_searcher(u), self.places(u, work)),
                None => (self.searcher(i), None),
            };
            let Some(re) = re else {
                return;
            };
            let at = places.and_then(|(from, to)| work.at.get(from..to));
            if owner.exclude {
                let is_match = || match at {
                    Some(at) => anchored_matches(re, haystack, at).next().is_some(),
                    None => re.is_match(haystack),
                };
                if set_says || is_match() {
                    vetoed.push(owner.matcher);
                }
                return;
            }
            match at {
                Some(at) => anchored_matches(re, haystack, at)
                    .take(limits::MAX_SPANS)
                    .for_each(&mut push),
                None => re
                    .find_iter(haystack)
                    .take(limits::MAX_SPANS)
                    .for_each(&mut push),
            }
            return;
        }
        work.cursors.clear();
        for &u in units {
            let at = self.places(u, work);
            work.cursors.push(Cursor {
                unit: u,
                at,
                next: at.map_or(0, |(from, _)| from),
                found: None,
                done: false,
            });
        }
        // A branch that is not tried only at some places reads the whole text, as the whole
        // regex would: then the whole regex, in one pass, is searched instead. (On text its
        // lazy DFA has seen, a pass costs the same whichever the regex, and each branch's
        // pass or try costs one more; searching branches apart pays on new text, whose DFA
        // states a whole matcher's joined patterns make costly to build.)
        if work.cursors.iter().any(|c| c.at.is_none()) {
            let Some(re) = self.searcher(i) else {
                return;
            };
            if owner.exclude {
                if re.is_match(haystack) {
                    vetoed.push(owner.matcher);
                }
                return;
            }
            re.find_iter(haystack)
                .take(limits::MAX_SPANS)
                .for_each(&mut push);
            return;
        }
        let Work { at, cursors, .. } = work;
        if owner.exclude {
            let any = cursors.iter().any(|c| {
                let Some(re) = self.unit_searcher(c.unit) else {
                    return false;
                };
                match c.at.and_then(|(from, to)| at.get(from..to)) {
                    Some(at) => anchored_matches(re, haystack, at).next().is_some(),
                    None => re.is_match(haystack),
                }
            });
            if any {
                vetoed.push(owner.matcher);
            }
            return;
        }
        let mut from = 0;
        for _ in 0..limits::MAX_SPANS {
            let mut first: Option<regex_automata::Match> = None;
            for c in cursors.iter_mut() {
                let Some(re) = self.unit_searcher(c.unit) else {
                    continue;
                };
                // Strictly first: on a tie the earlier branch wins.
                if let Some(m) = c.next_match(re, haystack, at, from) {
                    if first.is_none_or(|f| m.start() < f.start()) {
                        first = Some(m);
                    }
                }
            }
            let Some(m) = first else {
                break;
            };
            push(m);
            from = m.end();
        }
    }
}

/// The buffers [`Layer::run`] works in.
struct Work<'s> {
    found: &'s Found,
    /// The places of the units being run, one range each.
    at: &'s mut Vec<usize>,
    cursors: &'s mut Vec<Cursor>,
}

/// Where a branch's search has got to (see [`Layer::run`]).
#[derive(Clone, Copy, Debug)]
struct Cursor {
    unit: usize,
    /// The range of its places in [`Work::at`], when it is tried only there.
    at: Option<(usize, usize)>,
    /// The next of those places to try.
    next: usize,
    /// Its first match found that starts at or after the last search's start.
    found: Option<regex_automata::Match>,
    /// Whether it has no match left.
    done: bool,
}

impl Cursor {
    /// The branch's first match that starts at `from` or after (`from` only grows).
    fn next_match(
        &mut self,
        re: &meta::Regex,
        haystack: &str,
        at: &[usize],
        from: usize,
    ) -> Option<regex_automata::Match> {
        if let Some(m) = self.found.filter(|m| m.start() >= from) {
            return Some(m);
        }
        if self.done || from > haystack.len() {
            self.done = true;
            return None;
        }
        let m = match self.at {
            Some((_, to)) => {
                let mut m = None;
                while self.next < to {
                    let Some(&start) = at.get(self.next) else {
                        break;
                    };
                    self.next += 1;
                    if start < from || start > haystack.len() {
                        continue;
                    }
                    let input = Input::new(haystack)
                        .range(start..)
                        .anchored(regex_automata::Anchored::Yes);
                    m = re.search(&input);
                    if m.is_some() {
                        break;
                    }
                }
                m
            }
            None => re.search(&Input::new(haystack).range(from..)),
        };
        self.found = m;
        self.done = m.is_none();
        m
    }
}

/// How the prefilter runs a regex (`sensitive`: matched against the text as written), when
/// every branch of it has [`required_literals`] (else `None`: it is matched in a set).
///
/// An alternation whose branches all take text (a matcher's joined patterns, or a pattern's
/// own `a|b`) is searched branch by branch ([`Layer::run`]): each branch is a unit, run only
/// when its own literals and need are found, and tried only where its own first words are
/// (the whole regex could be tried there only if every branch had first words). Otherwise
/// the regex is one unit, run when one of its branches' literals and need are found.
fn searched_as(hir: &Hir, sensitive: bool) -> Option<Vec<Searched>> {
    // A case-sensitive regex's literals are read lowered ([`lowered_hir`]); a folded one's
    // letters are lowered already.
    fn lower(h: &Hir, sensitive: bool) -> std::borrow::Cow<'_, Hir> {
        if sensitive {
            std::borrow::Cow::Owned(lowered_hir(h))
        } else {
            std::borrow::Cow::Borrowed(h)
        }
    }
    let literals_of = |low: &Hir| {
        required_literals(low).map(|lits| {
            let need = need(low, &lits);
            (lits, need)
        })
    };
    let starts_of = |low: &Hir| prefix_literals(low).filter(|s| !ubiquitous(s));
    // Counted first: most regexes are one branch, and making the branches clones their parts
    // (a tenth of loading the rule set when every regex was cloned so).
    let mut branches = Vec::new();
    if (2..=MAX_UNITS).contains(&count_branches(hir)) {
        push_branches(hir, &mut branches);
    }
    let takes_text = |h: &Hir| h.properties().minimum_len().is_some_and(|n| n > 0);
    if branches.len() > 1 && branches.len() <= MAX_UNITS && branches.iter().all(takes_text) {
        return branches
            .into_iter()
            .map(|b| {
                let low = lower(&b, sensitive);
                let literals = vec![literals_of(&low)?];
                let starts = starts_of(&low);
                Some(Searched {
                    branch: Some(b),
                    literals,
                    starts,
                })
            })
            .collect();
    }
    let low = lower(hir, sensitive);
    // Each branch of a joined regex is looked for apart, with its own literals and need: a
    // branch with a common word does not make the others run on every text.
    let branches: Vec<&Hir> = match low.kind() {
        HirKind::Alternation(hs) => hs.iter().collect(),
        _ => vec![&low],
    };
    let literals = branches
        .iter()
        .map(|b| literals_of(b))
        .collect::<Option<Vec<_>>>()?;
    Some(vec![Searched {
        branch: None,
        literals,
        starts: starts_of(&low),
    }])
}

/// The most branches a regex is searched as (a bound on the units, and searchers, a regex
/// adds; the built-in rules' largest matcher joins 72 patterns).
const MAX_UNITS: usize = 256;

/// The branches of `hir` as an alternation, in its order, into `out`: those of an
/// alternation, and those of a sequence that ends with one after parts that match one way
/// only (literals, classes, assertions), each with those parts before it. That is how the
/// parser writes joined patterns that start alike (`\bfoo|\bbar` is `\b(?:foo|bar)`), and
/// `p(?:a|b)` is `pa|pb` for leftmost-first matching when `p` matches one way only: at each
/// place `a` is tried, then `b`, after the same `p`.
fn push_branches(hir: &Hir, out: &mut Vec<Hir>) {
    match hir.kind() {
        HirKind::Alternation(hs) => hs.iter().for_each(|h| push_branches(h, out)),
        _ => match alternation_at_end(hir) {
            Some((before, hs)) => {
                for h in hs {
                    let mut parts = before.to_vec();
                    parts.push(h.clone());
                    push_branches(&Hir::concat(parts), out);
                }
            }
            None => out.push(hir.clone()),
        },
    }
}

/// How many branches [`push_branches`] makes of `hir`, without making them: a sequence that
/// ends with an alternation after parts that match one way only has as many as that
/// alternation (its parts go before each branch, which changes none of their shapes).
fn count_branches(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Alternation(hs) => hs.iter().map(count_branches).sum(),
        _ => alternation_at_end(hir).map_or(1, |(_, hs)| hs.iter().map(count_branches).sum()),
    }
}

/// A sequence that ends with an alternation after parts that match one way only (literals,
/// classes, assertions): those parts and the alternation's branches.
fn alternation_at_end(hir: &Hir) -> Option<(&[Hir], &[Hir])> {
    let HirKind::Concat(xs) = hir.kind() else {
        return None;
    };
    let (last, before) = xs.split_last()?;
    let HirKind::Alternation(hs) = last.kind() else {
        return None;
    };
    let simple = before.iter().all(|x| {
        matches!(
            x.kind(),
            HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_)
        )
    });
    simple.then_some((before, hs.as_slice()))
}

/// The most places a regex is tried at (see [`Layer::run`]).
const MAX_TRIES: usize = 32;

/// The matches `re.find_iter(haystack)` gives, when every match can only start at one of
/// `at` (sorted): an anchored search from each place in turn, after the last match's end.
/// A search from where a match may start reads only as far as that match could go, where
/// an unanchored one reads the whole text (most of a regex's runs match nothing).
fn anchored_matches<'a>(
    re: &'a meta::Regex,
    haystack: &'a str,
    at: &'a [usize],
) -> impl Iterator<Item = regex_automata::Match> + 'a {
    let mut from = 0;
    at.iter().filter_map(move |&start| {
        if start < from || start > haystack.len() {
            return None;
        }
        let input = Input::new(haystack)
            .range(start..)
            .anchored(regex_automata::Anchored::Yes);
        let m = re.search(&input)?;
        from = m.end().max(start + 1);
        Some(m)
    })
}

/// How many patterns with word gaps share one set (only patterns without required literals
/// are in sets now). Measured on 16,738 passages of real PDFs and DOCX when all patterns were
/// in sets (`tenderscope classify`, each passage new to the lazy DFAs): all in one set 4.5 s,
/// 1.0 to 1.1 s with 1, 2 or 4 a set, 1.4 s with 8. On text the DFAs have seen before (the
/// criterion bench, which classifies the same 325 passages again and again) more sets cost
/// more: 1.9 times the instructions with 4 a set, 2.6 with 2.
const GAPPY_PER_SET: usize = 4;

/// Whether a pattern has a gap of some words ("(?:\w+\s+){0,4}"): a repeat of a group that
/// may come more than once and holds an unbounded repeat of a class (a word, spaces).
fn has_word_gap(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Repetition(r) => {
            (r.max != Some(1)
                && !matches!(r.sub.kind(), HirKind::Class(_))
                && has_open_class(&r.sub))
                || has_word_gap(&r.sub)
        }
        HirKind::Capture(c) => has_word_gap(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(has_word_gap),
        _ => false,
    }
}

/// Whether a pattern holds an unbounded repeat of a class (`\w+`, `\s*`).
fn has_open_class(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Repetition(r) => {
            (r.max.is_none() && matches!(r.sub.kind(), HirKind::Class(_))) || has_open_class(&r.sub)
        }
        HirKind::Capture(c) => has_open_class(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(has_open_class),
        _ => false,
    }
}

/// `hir` with its ASCII letters lowered, for reading literals only: a match of `hir` in a
/// text is, byte for byte, a match of this in the [`lowered`] text, so the literals it
/// requires are required there. A case-sensitive pattern, or one the engine folds with
/// `(?i)` (whose letters are classes like `[Dd]`), so gives the same words as a lowered one
/// ("disabled", not a "d" that every other passage holds), and all of a layer's literals are
/// looked for in one scan of the lowered text.
fn lowered_hir(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Literal(lit) => Hir::literal(lit.0.to_ascii_lowercase()),
        // A small class is its characters, lowered ([Dd] is "d"); a larger one gives no
        // literal either way.
        HirKind::Class(class) => match class_literals(class) {
            Some(mut chars) => {
                for c in &mut chars {
                    c.make_ascii_lowercase();
                }
                chars.sort();
                chars.dedup();
                Hir::alternation(chars.into_iter().map(Hir::literal).collect())
            }
            None => hir.clone(),
        },
        HirKind::Capture(c) => lowered_hir(&c.sub),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(lowered_hir(&r.sub)),
        }),
        HirKind::Concat(hs) => Hir::concat(hs.iter().map(lowered_hir).collect()),
        HirKind::Alternation(hs) => Hir::alternation(hs.iter().map(lowered_hir).collect()),
        HirKind::Empty | HirKind::Look(_) => hir.clone(),
    }
}

/// At most this many alternative literals stand for one pattern.
const MAX_LITERALS: usize = 1000;
/// A class of at most this many characters is as many literals.
const MAX_CLASS: usize = 10;

/// Literals of which every match of `hir` holds at least one, when it has such a set (at most
/// [`MAX_LITERALS`] of them): what the prefilter
/// looks for. Of a concatenation's parts, a set that not nearly every text holds
/// ([`ubiquitous`]), then the set whose shortest literal is longest (then the smallest set) is
/// taken: a longer word is a rarer one.
fn required_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let lits = match hir.kind() {
        HirKind::Literal(lit) => vec![lit.0.to_vec()],
        HirKind::Class(class) => class_literals(class)?,
        HirKind::Capture(c) => return required_literals(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => return required_literals(&r.sub),
        HirKind::Concat(hs) => {
            return hs.iter().filter_map(required_literals).max_by_key(|set| {
                (
                    !ubiquitous(set),
                    shortest(set),
                    std::cmp::Reverse(set.len()),
                )
            })
        }
        HirKind::Alternation(hs) => every_branch(hs, required_literals)?,
        _ => return None,
    };
    (lits.len() <= MAX_LITERALS).then_some(lits)
}

/// Literals of which every match of `hir` starts with one (at most [`MAX_LITERALS`] of them),
/// when it has such a set; the empty literal stands for the start of the text (a branch that
/// starts with `^`). An assertion before them (`\b`) takes no text: an anchored search from
/// where a literal was found checks it there, with the text before in view.
fn prefix_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let lits = match hir.kind() {
        HirKind::Literal(lit) => vec![lit.0.to_vec()],
        HirKind::Class(class) => class_literals(class)?,
        HirKind::Capture(c) => return prefix_literals(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => return prefix_literals(&r.sub),
        // The first part that takes text, with the first words of any optional parts before
        // it ("(?:real\s+)?living" starts with "real" or "living").
        HirKind::Concat(hs) => {
            let mut all = Vec::new();
            let mut takes_text = false;
            for h in hs {
                match h.kind() {
                    // Only where the text starts: the empty literal.
                    HirKind::Look(Look::Start) if all.is_empty() => return Some(vec![Vec::new()]),
                    HirKind::Look(_) => {}
                    HirKind::Repetition(r) if r.min == 0 => all.extend(prefix_literals(&r.sub)?),
                    _ => {
                        all.extend(prefix_literals(h)?);
                        takes_text = true;
                        break;
                    }
                }
            }
            if !takes_text {
                return None;
            }
            all.sort();
            all.dedup();
            all
        }
        HirKind::Alternation(hs) => every_branch(hs, prefix_literals)?,
        _ => return None,
    };
    (!lits.is_empty() && lits.len() <= MAX_LITERALS).then_some(lits)
}

/// The literals `of` each branch of an alternation gives, joined; `None` if one gives none.
fn every_branch(hs: &[Hir], of: fn(&Hir) -> Option<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    let mut all = Vec::new();
    for h in hs {
        all.extend(of(h)?);
    }
    all.sort();
    all.dedup();
    Some(all)
}

/// The characters of a small class (at most [`MAX_CLASS`]), each as a literal.
fn class_literals(class: &Class) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    match class {
        Class::Unicode(c) => {
            for r in c.iter() {
                for ch in r.start()..=r.end() {
                    if out.len() == MAX_CLASS {
                        return None;
                    }
                    out.push(ch.to_string().into_bytes());
                }
            }
        }
        Class::Bytes(c) => {
            for r in c.iter() {
                for b in r.start()..=r.end() {
                    if out.len() == MAX_CLASS {
                        return None;
                    }
                    out.push(vec![b]);
                }
            }
        }
    }
    Some(out)
}

fn shortest(set: &[Vec<u8>]) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

/// What a match of a regex needs, as literals: one of some branches (an alternation's), each
/// a conjunction of clauses (a sequence's parts), each a set of literals of which the text
/// must hold one. The prefilter runs a regex only when its text meets one branch. A need
/// never asks for more than a match holds, so it only skips regexes that would not match:
/// where the exact need would be too large it is weakened (fewer clauses, or clauses joined),
/// never made stronger. No branches means no need (every text may match).
type Need = Vec<Vec<Clause>>;
type Clause = Vec<Vec<u8>>;

/// The shortest literal a need looks for: shorter ones are in most texts, and each one found
/// costs a step for every clause it is in.
const MIN_NEED: usize = 3;
/// Words (and parts of words) in most passages of English prose or of tenders, which a need
/// does not look for, for the same reason. (Counted on the labelled passages: "the" alone was
/// half of the steps. Leaving out the tender words from "people" on took 2% more off the
/// instructions a passage, new text and repeated; leaving out more words added work, and so
/// did a shortest literal of 4 bytes or of 2.)
#[rustfmt::skip]
const COMMON: &[&[u8]] = &[
    b"the", b"and", b"for", b"are", b"was", b"were", b"will", b"with", b"our", b"you", b"your",
    b"not", b"all", b"can", b"has", b"have", b"had", b"from", b"this", b"that", b"they", b"their",
    b"out", b"use", b"each", b"any", b"per", b"its", b"who", b"may", b"but", b"one", b"also",
    b"which", b"into", b"been", b"ing", b"ill", b"act", b"ent", b"ion", b"tion", b"people",
    b"work", b"local", b"year", b"community", b"social", b"contract",
];
/// The most literals a need names in all: checking more costs more than it saves.
const MAX_NEED: usize = 256;
/// The most clauses of a branch that are checked (a bit each in a word).
const MAX_CLAUSES: usize = 64;
/// The most branches a sequence's need is expanded to (each part's branches multiply).
const MAX_BRANCHES: usize = 32;

/// The need of `hir`, whose required literals are `required`.
fn need(hir: &Hir, required: &[Vec<u8>]) -> Need {
    let usable = |lits: &[Vec<u8>]| {
        lits.iter()
            .all(|l| l.len() >= MIN_NEED && !COMMON.contains(&l.as_slice()))
    };
    let mut need = need_of(hir, &usable);
    let mut required: Vec<&[u8]> = required.iter().map(Vec::as_slice).collect();
    required.sort_unstable();
    for branch in &mut need {
        for clause in branch.iter_mut() {
            clause.sort();
            clause.dedup();
        }
        // A clause that holds every required literal is met by every text the regex is a
        // candidate for.
        branch.retain(|c| {
            !required
                .iter()
                .all(|r| c.binary_search_by(|l| l.as_slice().cmp(r)).is_ok())
        });
        branch.sort();
        branch.dedup();
        // The rarest first (a longer literal is a rarer one): the one kept if weakened.
        branch.sort_by_key(|c| (std::cmp::Reverse(shortest(c)), c.len()));
    }
    if need.iter().any(Vec::is_empty) {
        return Vec::new();
    }
    // Branches of one clause each are one clause.
    let (single, mut need): (Need, Need) = need.into_iter().partition(|b| b.len() == 1);
    let mut single: Clause = single.into_iter().flatten().flatten().collect();
    if !single.is_empty() {
        single.sort();
        single.dedup();
        need.push(vec![single]);
    }
    need.sort();
    need.dedup();
    let size = |need: &Need| need.iter().flatten().map(Vec::len).sum::<usize>();
    if size(&need) > MAX_NEED {
        for branch in &mut need {
            branch.truncate(1);
        }
    }
    if size(&need) > MAX_NEED {
        need.clear();
    }
    need
}

fn need_of(hir: &Hir, usable: &dyn Fn(&[Vec<u8>]) -> bool) -> Need {
    let one = |lits: Vec<Vec<u8>>| {
        if !lits.is_empty() && usable(&lits) {
            vec![vec![lits]]
        } else {
            Vec::new()
        }
    };
    match hir.kind() {
        HirKind::Literal(lit) => one(vec![lit.0.to_vec()]),
        HirKind::Class(class) => class_literals(class).map_or_else(Vec::new, one),
        HirKind::Capture(c) => need_of(&c.sub, usable),
        HirKind::Repetition(r) if r.min >= 1 => need_of(&r.sub, usable),
        HirKind::Concat(hs) => hs.iter().map(|h| need_of(h, usable)).fold(Vec::new(), both),
        HirKind::Alternation(hs) => {
            // A match holds one branch. Branches of one clause each are one clause.
            let mut branches: Need = Vec::new();
            let mut single: Clause = Vec::new();
            for h in hs {
                let n = need_of(h, usable);
                if n.is_empty() {
                    return Vec::new();
                }
                for branch in n {
                    match <[Clause; 1]>::try_from(branch) {
                        Ok([clause]) => single.extend(clause),
                        Err(branch) => branches.push(branch),
                    }
                }
            }
            if !single.is_empty() {
                branches.push(vec![single]);
            }
            branches
        }
        _ => Vec::new(),
    }
}

/// The need of a sequence of two parts.
fn both(a: Need, b: Need) -> Need {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    if a.len() * b.len() <= MAX_BRANCHES {
        return a
            .iter()
            .flat_map(|x| b.iter().map(move |y| x.iter().chain(y).cloned().collect()))
            .collect();
    }
    // Too many: the part with more branches is weakened to one clause.
    let (few, many) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match one_clause(many) {
        Some(clause) => few
            .into_iter()
            .map(|mut branch| {
                branch.push(clause.clone());
                branch
            })
            .collect(),
        None => few,
    }
}

/// A need weakened to one clause: one clause of each branch (the one whose shortest literal is
/// longest), joined; `None` when some branch has no clause.
fn one_clause(need: Need) -> Option<Clause> {
    let mut out = Vec::new();
    for branch in need {
        let best = branch
            .into_iter()
            .max_by_key(|c| (shortest(c), std::cmp::Reverse(c.len())))?;
        out.extend(best);
    }
    Some(out)
}

/// Buffers a scan reuses from one passage to the next (a scan allocates only its hits).
#[derive(Default)]
struct Scratch {
    prefilter: Found,
    /// The units the prefilter found the text may match.
    candidates: Vec<usize>,
    /// The exclusions to run if their matchers fire, with their units' range in
    /// `candidates` (`None`: a set said it matches).
    exclusions: Vec<(usize, Option<(usize, usize)>)>,
    vetoed: Vec<usize>,
    /// The terms found: (term, start, end), in the order the scan found them.
    terms: Vec<(usize, usize, usize)>,
    /// Where the units being run may start (see [`Prefilter::starts`]).
    at: Vec<usize>,
    cursors: Vec<Cursor>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// What a prefilter's scan of one text found (buffers reused from one text to the next; all
/// zero between scans, so that a scan clears only what it set).
#[derive(Default)]
struct Found {
    /// The literals found, a bit each, and their list.
    literals: Vec<u64>,
    literal_list: Vec<usize>,
    /// The clauses of each branch that are met, a bit each, and the branches touched.
    branches: Vec<u64>,
    branch_list: Vec<usize>,
    /// Whether each regex's need is met, and the regexes whose need is met.
    met: Vec<bool>,
    met_list: Vec<usize>,
    /// The regexes one of whose required literals was found (with repeats).
    first: Vec<usize>,
    /// Where the literals that start every match of some regex were found: for each
    /// literal, the last of its places in `places` (`NONE` when it has none), and the
    /// literals found, once each.
    last_place: Vec<u32>,
    start_list: Vec<usize>,
    /// Each place found: where the literal starts, and its literal's place before it.
    places: Vec<(usize, u32)>,
    /// Whether more were found than `places` keeps (then no regex is tried at them alone).
    starts_lost: bool,
}

/// No place (see [`Found::last_place`]).
const NONE: u32 = u32::MAX;

/// Set bit `k` of `bits`; whether it was clear.
fn set_bit(bits: &mut [u64], k: usize) -> bool {
    let (word, bit) = (k / 64, 1u64 << (k % 64));
    match bits.get_mut(word) {
        Some(w) if *w & bit == 0 => {
            *w |= bit;
            true
        }
        _ => false,
    }
}

/// Grow `list` to `n` items (zero) if shorter.
fn at_least<T: Default + Clone>(list: &mut Vec<T>, n: usize) {
    if list.len() < n {
        list.resize(n, T::default());
    }
}

/// Which of a layer's regexes may match a text: those with [`required_literals`] found in it
/// whose [`need`] the text meets, for the regexes matched against one of the two texts. One
/// Aho-Corasick scan finds both kinds of literal, and each literal found the first time sets
/// its bit in the branches it is in, so the check costs what the text holds, not what the
/// rules ask for.
#[derive(Clone, Debug)]
struct Prefilter {
    /// The literals, then the layer's terms (lowered), as one automaton.
    literals: AhoCorasick,
    /// How many of its patterns are literals (the rest are terms).
    n_literals: usize,
    /// Each literal's regexes (those it is a required literal of), as indexes into `needs`.
    regexes: Vec<Vec<usize>>,
    /// Each literal's branches, with the bit of its clause in the branch.
    in_branches: Vec<Vec<(usize, u64)>>,
    /// Each regex of the prefilter: its number in the layer, and whether it has a need.
    needs: Vec<(usize, bool)>,
    /// Each branch: its regex (an index into `needs`) and the bits of all its clauses.
    branches: Vec<(usize, u64)>,
    /// The regexes (indexes into `needs`) whose required literals are not looked for, as
    /// nearly every text holds one of them ([`ubiquitous`]): candidates for every text whose
    /// need they meet.
    always: Vec<usize>,
    /// Whether each literal starts every match of some regex (where it is found is kept).
    starts_one: Vec<bool>,
    /// Each regex of the layer (by its number) whose every match starts with one of some
    /// literals: those literals, sorted.
    /// and whether a match may start where the text does (`^`).
    prefixes: Vec<Option<(Vec<usize>, bool)>>,
}

/// Whether a set of required literals holds one that nearly every passage holds: a space or
/// one of the commonest letters of English alone, or one of the two-letter words "in", "to",
/// "or", "of" (found 4.5 times a labelled passage; leaving them out took 0.2% off the
/// instructions, new text and repeated). Such a literal filters nothing, and finding
/// it costs a step of the literal scan at nearly every word (on the labelled passages, a space
/// and the letters "a" and "i" were 35 of the 76 literals found a passage, the scans' main
/// cost). Leaving such a set out changes no output: a regex whose literals the text lacks
/// cannot match, so running it anyway finds nothing.
fn ubiquitous(set: &[Vec<u8>]) -> bool {
    set.iter().any(|l| match l.as_slice() {
        [b] => b" etaoinshr".contains(&b.to_ascii_lowercase()),
        [a, b] => matches!(
            [a.to_ascii_lowercase(), b.to_ascii_lowercase()],
            [b'i', b'n'] | [b't', b'o'] | [b'o', b'r'] | [b'o', b'f']
        ),
        _ => false,
    })
}

impl Prefilter {
    /// `lits` holds each regex with its required literals and its need.
    /// `terms` are looked for in the same scan (lowered: the prefilter of the lowered text).
    fn build<'l>(
        lits: &'l [(usize, Vec<Vec<u8>>, Need)],
        starts: &'l [(usize, Vec<Vec<u8>>)],
        terms: &[String],
    ) -> Result<Option<Prefilter>, String> {
        let mut index: std::collections::HashMap<&'l [u8], usize> =
            std::collections::HashMap::new();
        let mut literals: Vec<&'l [u8]> = Vec::new();
        let mut number = |lit: &'l [u8], literals: &mut Vec<&'l [u8]>| -> usize {
            *index.entry(lit).or_insert_with(|| {
                literals.push(lit);
                literals.len() - 1
            })
        };
        let mut regexes: Vec<Vec<usize>> = Vec::new();
        let mut in_branches: Vec<Vec<(usize, u64)>> = Vec::new();
        let mut needs = Vec::with_capacity(lits.len());
        let mut branches = Vec::new();
        let mut always = Vec::new();
        for (j, (i, set, need)) in lits.iter().enumerate() {
            if ubiquitous(set) {
                always.push(j);
            } else {
                for lit in set {
                    let k = number(lit, &mut literals);
                    at_least(&mut regexes, k + 1);
                    regexes[k].push(j);
                }
            }
            for branch in need {
                let b = branches.len();
                let mut all = 0;
                for (c, clause) in branch.iter().take(MAX_CLAUSES).enumerate() {
                    let bit = 1u64 << c;
                    all |= bit;
                    for lit in clause {
                        let k = number(lit, &mut literals);
                        at_least(&mut in_branches, k + 1);
                        in_branches[k].push((b, bit));
                    }
                }
                branches.push((j, all));
            }
            needs.push((*i, !need.is_empty()));
        }
        let mut prefixes: Vec<Option<(Vec<usize>, bool)>> = Vec::new();
        // Where a regex starts with a word the scan does not look for already, it is added
        // only if it has three letters or more: a short word ("we", "at", "by") is found in
        // most passages, and every place it is found costs a step of the scan. Measured with
        // `bench/classify_instructions.sh` against the build before: with every set, new text
        // took 14.7% fewer instructions and repeated text 1.3% more; with only the words
        // looked for already, 3.9% and 3.2% fewer; as here, 8.7% and 3.6% fewer.
        let known: std::collections::HashSet<&[u8]> = literals.iter().copied().collect();
        for (i, set) in starts {
            if !set
                .iter()
                .all(|l| l.is_empty() || l.len() >= MIN_NEED || known.contains(l.as_slice()))
            {
                continue;
            }
            // The empty literal stands for the start of the text.
            let at_start = set.iter().any(Vec::is_empty);
            let mut ks: Vec<usize> = set
                .iter()
                .filter(|l| !l.is_empty())
                .map(|l| number(l, &mut literals))
                .collect();
            ks.sort_unstable();
            ks.dedup();
            at_least(&mut prefixes, i + 1);
            prefixes[*i] = Some((ks, at_start));
        }
        if literals.is_empty() && always.is_empty() && terms.is_empty() {
            return Ok(None);
        }
        let mut starts_one = vec![false; literals.len()];
        for &k in prefixes.iter().flatten().flat_map(|(ks, _)| ks) {
            starts_one[k] = true;
        }
        at_least(&mut regexes, literals.len());
        at_least(&mut in_branches, literals.len());
        let n_literals = literals.len();
        let lowered_terms: Vec<Vec<u8>> = terms
            .iter()
            .map(|t| t.to_ascii_lowercase().into_bytes())
            .collect();
        // A contiguous NFA, not a DFA. The DFA takes fewer steps a byte, but its tables are
        // large: 0.8, 1.4 and 2.3 MB for the measure, cue and theme layers of the default
        // rules (2,753 literals in the last), more than this machine's 1 MB of L2 cache a
        // core, so nearly every byte scanned was a cache miss. The contiguous NFA holds the
        // same automata in 75, 125 and 184 kB. Measured 2026-12-06 against the DFA:
        // `cargo bench --bench classify` (classify/passages, five alternating runs) 15.8k
        // against 13.5k passages/s (median); simulated last-level (1 MB) data-cache misses
        // 12% fewer (`valgrind --tool=callgrind --cache-sim=yes --LL=1048576,16,64`), for
        // 10.7% more instructions on repeated text and 2.3% more on new text
        // (`bench/classify_instructions.sh`); loading the rule set takes 10% fewer
        // instructions (1,023 M to 919 M), the DFA's construction being the dearer.
        let literals = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .match_kind(MatchKind::Standard)
            .build(
                literals
                    .iter()
                    .copied()
                    .chain(lowered_terms.iter().map(Vec::as_slice)),
            )
            .map_err(|e| e.to_string())?;
        Ok(Some(Prefilter {
            literals,
            n_literals,
            regexes,
            in_branches,
            needs,
            branches,
            always,
            starts_one,
            prefixes,
        }))
    }

    /// Where unit `u` may match, if every match of it starts with one of some literals: the
    /// places the scan found them (`found`), sorted, appended to `out`.
    fn starts(&self, u: usize, found: &Found, out: &mut Vec<usize>) -> bool {
        let Some(Some((set, at_start))) = self.prefixes.get(u) else {
            return false;
        };
        if found.starts_lost {
            return false;
        }
        let base = out.len();
        if *at_start {
            out.push(0);
        }
        let mut add = |k: usize| {
            let mut p = found.last_place.get(k).copied().unwrap_or(NONE);
            while let Some(&(at, before)) = found.places.get(p as usize) {
                out.push(at);
                p = before;
            }
        };
        // Whichever list is shorter: the unit's literals, or those the scan found.
        if set.len() <= found.start_list.len() {
            set.iter().for_each(|&k| add(k));
        } else {
            for &k in &found.start_list {
                if set.binary_search(&k).is_ok() {
                    add(k);
                }
            }
        }
        if let Some(mine) = out.get_mut(base..) {
            mine.sort_unstable();
        }
        // Each place once.
        let mut kept = base;
        for r in base..out.len() {
            let Some(&p) = out.get(r) else { break };
            if kept == base || out.get(kept - 1) != Some(&p) {
                if let Some(slot) = out.get_mut(kept) {
                    *slot = p;
                }
                kept += 1;
            }
        }
        out.truncate(kept);
        true
    }

    /// Add the regexes whose literals `haystack` holds and whose need it meets to `out`
    /// (unsorted, with repeats). `found` is a buffer.
    /// The layer's terms found (at most [`limits::MAX_TERM_HITS`] of them, as their own scan
    /// read them) are added to `terms` as (term, start, end).
    fn candidates(
        &self,
        haystack: &str,
        found: &mut Found,
        out: &mut Vec<usize>,
        terms: &mut Vec<(usize, usize, usize)>,
    ) {
        let Found {
            literals,
            literal_list,
            branches,
            branch_list,
            met,
            met_list,
            first,
            last_place,
            start_list,
            places,
            starts_lost,
        } = found;
        for k in start_list.drain(..) {
            if let Some(p) = last_place.get_mut(k) {
                *p = NONE;
            }
        }
        places.clear();
        *starts_lost = false;
        if last_place.len() < self.starts_one.len() {
            last_place.resize(self.starts_one.len(), NONE);
        }
        at_least(literals, self.regexes.len().div_ceil(64));
        at_least(branches, self.branches.len());
        at_least(met, self.needs.len());
        first.clear();
        first.extend_from_slice(&self.always);
        for m in self.literals.find_overlapping_iter(haystack) {
            let k = m.pattern().as_usize();
            if let Some(t) = k.checked_sub(self.n_literals) {
                if terms.len() < limits::MAX_TERM_HITS {
                    terms.push((t, m.start(), m.end()));
                }
                continue;
            }
            if let (Some(true), Some(last)) = (self.starts_one.get(k), last_place.get_mut(k)) {
                if places.len() < limits::MAX_TERM_HITS {
                    if *last == NONE {
                        start_list.push(k);
                    }
                    places.push((m.start(), *last));
                    *last = (places.len() - 1) as u32;
                } else {
                    *starts_lost = true;
                }
            }
            if !set_bit(literals, k) {
                continue;
            }
            literal_list.push(k);
            // A slice copy: extending from the flattened `Option` went element by element.
            if let Some(units) = self.regexes.get(k) {
                first.extend_from_slice(units);
            }
            for &(b, bit) in self.in_branches.get(k).into_iter().flatten() {
                let (Some(mask), Some(&(j, all))) = (branches.get_mut(b), self.branches.get(b))
                else {
                    continue;
                };
                if *mask == 0 {
                    branch_list.push(b);
                }
                *mask |= bit;
                if *mask == all {
                    if let Some(m) = met.get_mut(j).filter(|m| !**m) {
                        *m = true;
                        met_list.push(j);
                    }
                }
            }
        }
        out.extend(first.iter().filter_map(|&j| {
            let &(i, has_need) = self.needs.get(j)?;
            (!has_need || met.get(j) == Some(&true)).then_some(i)
        }));
        // Leave the buffers all zero.
        for k in literal_list.drain(..) {
            if let Some(w) = literals.get_mut(k / 64) {
                *w = 0;
            }
        }
        for b in branch_list.drain(..) {
            if let Some(mask) = branches.get_mut(b) {
                *mask = 0;
            }
        }
        for j in met_list.drain(..) {
            if let Some(m) = met.get_mut(j) {
                *m = false;
            }
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `found` is case-sensitive term `term` as written, or in capitals, as a heading or an
/// all-capitals table writes it ("CREWE" for "Crewe"). Place names are matched by case so that
/// a common word ("sound", "mere") is not read as a place; in capitals no word can be told
/// from a name, and the lists keep out names that are also common words.
fn written_as(found: &str, term: &str) -> bool {
    found == term
        || (found.len() == term.len()
            && !found.chars().any(char::is_lowercase)
            && found.chars().eq(term.chars().flat_map(char::to_uppercase)))
}

/// An acronym term ("SEND") found in a run of capitals ("WE WILL SEND A REPORT"): a word next
/// to it is in capitals too, so it cannot be told from an ordinary word.
fn acronym_among_capitals(term: &str, text: &str, start: usize, end: usize) -> bool {
    fn capitals(w: &str) -> bool {
        w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase)
    }
    let (Some(before), Some(after)) = (text.get(..start), text.get(end..)) else {
        return false;
    };
    let is_word_end = |c: char| !c.is_alphanumeric();
    capitals(term)
        && (before
            .rsplit(is_word_end)
            .find(|w| !w.is_empty())
            .is_some_and(capitals)
            || after
                .split(is_word_end)
                .find(|w| !w.is_empty())
                .is_some_and(capitals))
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
            r"(?i:[^[:^word:][:digit:]])\."
        );
        assert_eq!(prepared(r"[]a]\(", true), r"[]a]\(");
        let re = compile_one(r"\bcare\s+leavers?\b", false).unwrap();
        assert!(re.is_match(&lowered("two Care  leavers – £5k")));
    }

    #[test]
    fn patterns_with_word_gaps_are_told_apart() {
        let gap = |p: &str| has_word_gap(&parse_one(p, false).unwrap());
        assert!(gap(r"\bsigned\s+up\s+to\s+(?:\w+\s+){0,4}charter\b"));
        assert!(gap(r"\bsupport(?:\s+\w+){1,3}\s+into\s+work\b"));
        assert!(!gap(r"\bliving\s+wage\b"));
        assert!(!gap(r"\b20\d{2}\b"));
        assert!(!gap(r"\b(?:\d{1,3}(?:,\d{3})+)\b"));
        assert!(!gap(r"\bapprentice(?:s|ships?)?\b"));
    }

    #[test]
    fn required_literals_are_read_from_the_parsed_pattern() {
        let lits = |p: &str| {
            required_literals(&parse_one(p, false).unwrap()).map(|ls| {
                ls.into_iter()
                    .map(|l| String::from_utf8(l).unwrap())
                    .collect::<Vec<_>>()
            })
        };
        // The longest of a sequence's required words.
        assert_eq!(lits(r"\b(?:We|I)\s+will\b").unwrap(), ["will"]);
        assert_eq!(lits(r"\bliving\s+wage\b").unwrap(), ["living"]);
        // An alternation needs a literal in every branch; a small class is its characters.
        assert_eq!(
            lits(r"\bcare\s+leavers?\b|\bfoster").unwrap(),
            ["foster", "leaver"]
        );
        assert_eq!(lits(r"\d+\s*%").unwrap(), ["%"]);
        assert_eq!(lits(r"\d+").unwrap().len(), 10);
        // Optional parts and large classes require nothing.
        assert_eq!(lits(r"\b(?:big\s+)?[a-z]{3,}\b"), None);
        assert_eq!(lits(r"\bwe\b|[a-z]+"), None);
        // A layer finds the same hits with and without its prefilter's help.
        let layer = Layer::build(&[
            def(
                &[r"\b(?:we|i)\s+will\b", r"\b[a-z]+ly\s+agreed\b"],
                &[],
                &[],
            ),
            def(&[r"\bwill\b"], &[], &[r"\bwill\s+not\b"]),
        ])
        .unwrap();
        let found = |t: &str| -> Vec<(usize, usize)> {
            layer.scan(t).iter().map(|h| (h.matcher, h.start)).collect()
        };
        assert_eq!(
            found("We will, as we finally agreed"),
            vec![(0, 0), (0, 15), (1, 3)]
        );
        assert_eq!(found("I will not"), vec![(0, 0)]);
        assert!(found("goodwill").is_empty());
    }

    #[test]
    fn literals_of_case_sensitive_patterns_are_read_lowered() {
        let lits = |p: &str, case_sensitive: bool| {
            required_literals(&lowered_hir(&parse_one(p, case_sensitive).unwrap())).map(|ls| {
                ls.into_iter()
                    .map(|l| String::from_utf8(l).unwrap())
                    .collect::<Vec<_>>()
            })
        };
        // Folded by the engine, each letter is a class ([Dd]); lowered, the letters join into
        // words again ("s" stays a class, with the long s that folds to it, and ends a word).
        assert_eq!(lits(r"(?i)\bdisabled\b", true).unwrap(), ["abled"]);
        assert_eq!(
            lits(r"\bSEND\b|(?i:autism)", true).unwrap(),
            ["auti", "send"]
        );
        // A part that nearly every text holds ("in") is passed over for a rarer one.
        assert_eq!(lits(r"\b\d+\s+in\s+\d+\b", false).unwrap().len(), 10);
        // The case-sensitive matcher still matches only as written, and the layer finds the
        // same hits as its regexes alone.
        let mut send = def(&[r"\bSEND\b", r"(?i:special\s+needs)"], &[], &[]);
        send.case_sensitive = true;
        let layer = Layer::build(&[send, def(&[r"\bdisabled\b"], &["Autism"], &[])]).unwrap();
        let found = |t: &str| -> Vec<(usize, usize)> {
            layer.scan(t).iter().map(|h| (h.matcher, h.start)).collect()
        };
        assert_eq!(
            found("SEND pupils, Special Needs, DISABLED staff, autism"),
            vec![(0, 0), (0, 13), (1, 28), (1, 44)]
        );
        assert!(found("send the report").is_empty());
        // The branches of a joined regex are looked for apart (one has only letters that
        // every text holds); each still finds its matches.
        let joined = Layer::build(&[def(&[r"^\s*n/?a\s*$", r"\bdisabled\b"], &[], &[])]).unwrap();
        assert_eq!(joined.scan("N/A").len(), 1);
        assert_eq!(joined.scan("Disabled staff").len(), 1);
        assert!(joined.scan("a national plan").is_empty());
    }

    #[test]
    fn case_insensitive_patterns_match_the_lowered_text() {
        assert_eq!(
            prepared(r"(?P<Num>\d+) Care\x41[A-Z]\pLé", false),
            r"(?P<Num>(?-u:\d)+) care(?i:\x41)(?i:[A-Z])(?i:\pL)(?i:é)"
        );
        assert_eq!(
            prepared(r"(?-i)\bCW\d", false),
            r"(?i)(?-i)(?-u:\b)CW(?-u:\d)"
        );
        let layer = Layer::build(&[
            def(&[r"\bCare\s+Leavers?\b", r"caf\xE9"], &[], &[]),
            def(&[r"(?-i)\bCW\d\b", r"\bpostcode"], &[], &[]),
            def(&[r"\bx[^a-z]"], &[], &[]),
            def(&[r"\bAPP\b"], &[], &[]),
        ])
        .unwrap();
        let matchers = |text: &str| -> Vec<usize> {
            let mut m: Vec<usize> = layer.scan(text).iter().map(|h| h.matcher).collect();
            m.dedup();
            m
        };
        assert_eq!(matchers("two CARE leavers at the CAFÉ"), vec![0]);
        assert_eq!(matchers("two care leavers"), vec![0]);
        // A pattern that sets its own flags keeps them, on the text as written.
        assert_eq!(matchers("in CW1"), vec![1]);
        assert!(matchers("in cw1").is_empty());
        assert_eq!(matchers("the Postcode"), vec![1]);
        // A negated class is folded before it is negated: `[^a-z]` refuses `Y` too.
        assert!(matchers("XY").is_empty());
        assert_eq!(matchers("X1"), vec![2]);
        let hits = layer.scan("an App");
        assert_eq!((hits[0].matcher, hits[0].start, hits[0].end), (3, 3, 6));
        // A case-sensitive matcher is matched against the text as written.
        let mut d = def(&[r"\bCrewe\b"], &[], &[]);
        d.case_sensitive = true;
        let layer = Layer::build(&[d, def(&[r"\bcrewe\b"], &[], &[])]).unwrap();
        let matchers: Vec<usize> = layer.scan("Crewe").iter().map(|h| h.matcher).collect();
        assert_eq!(matchers, vec![0, 1]);
        let matchers: Vec<usize> = layer.scan("CREWE").iter().map(|h| h.matcher).collect();
        assert_eq!(matchers, vec![1]);
    }

    #[test]
    fn compile_validates_joined_patterns_and_names_the_bad_one() {
        let mut d = def(&[r"\bfoo\b", r"\bbar\b", r"\bbaz\b"], &[], &[r"\bqux\b"]);
        let entries = compile(&d).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!((entries[0].parts, entries[0].exclude), (3, false));
        d.compiled = entries;
        assert!(up_to_date(&d));
        // An edited pattern list makes the compiled entries stale: the layer compiles again.
        let mut edited = d.clone();
        edited.patterns[1] = r"\bzap\b".into();
        assert!(!up_to_date(&edited));
        let layer = Layer::build(&[edited]).unwrap();
        assert_eq!(layer.scan("zap").len(), 1);
        assert!(layer.scan("bar").is_empty());
        // Each bad pattern is reported with its index, with `compile_one`'s message.
        let bad = def(&[r"\bfoo\b", "a*", "(", r"\bbaz"], &[], &["x?"]);
        let errors = compile(&bad).unwrap_err();
        let at: Vec<Option<usize>> = errors.iter().map(|e| e.0).collect();
        assert_eq!(at, vec![Some(1), Some(2), Some(4)], "{errors:?}");
        assert!(errors[1].1.starts_with("invalid regex:"), "{errors:?}");
        let errors = compile(&def(&[r"\bfoo\b", "a*", r"\bbaz"], &[], &["x?"])).unwrap_err();
        assert_eq!(
            errors,
            vec![
                (Some(1), "pattern matches the empty string".to_string()),
                (Some(3), "pattern matches the empty string".to_string())
            ]
        );
        let errors = compile(&def(&["ok", r"(?:\p{L}{100}){50}"], &[], &[])).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, Some(1));
        assert!(errors[0].1.contains("exceeds size limit"), "{errors:?}");
    }

    #[test]
    fn regexes_are_tried_only_where_their_first_words_are() {
        let first = |p: &str| {
            prefix_literals(&parse_one(p, false).unwrap()).map(|ls| {
                ls.into_iter()
                    .map(|l| String::from_utf8(l).unwrap())
                    .collect::<Vec<_>>()
            })
        };
        // An assertion takes no text; every branch gives its own first words.
        assert_eq!(first(r"\b(?:we|i)\s+will\b").unwrap(), ["i", "we"]);
        assert_eq!(first(r"\bliving\s+wage\b").unwrap(), ["living"]);
        assert_eq!(first(r"(?:staff|crew)+ days").unwrap(), ["crew", "staff"]);
        assert_eq!(first(r"\d+\s*%").unwrap().len(), 10);
        // An optional first part adds its own first words; a large class leaves none, and so
        // does a sequence that may take no text.
        assert_eq!(first(r"(?:big\s+)?house").unwrap(), ["big", "house"]);
        assert_eq!(first(r"\b(?:big\s+)?(?:red\s+)?"), None);
        // A branch that starts where the text does matches only there.
        assert_eq!(first(r"^\s*[a-z]+ing\b|\bliving").unwrap(), ["", "living"]);
        assert_eq!(first(r"\bwe\b|[a-z]+ly"), None);

        // A layer finds what each regex finds over the whole text: its first words found
        // where a word goes on ("goodwill"), matches that overlap a later start, several
        // matches, a case-sensitive pattern, and an exclusion.
        let mut sensitive = def(&[r"\bSEND\s+pupils\b"], &[], &[]);
        sensitive.case_sensitive = true;
        let defs = [
            def(&[r"\b(?:we|i)\s+will\s+\w+"], &[], &[]),
            def(&[r"\bliving\s+wage(?:\s+employer)?\b"], &[], &[]),
            def(&[r"\d+\s*(?:%|per\s*cent)"], &[], &[]),
            sensitive,
            def(&[r"\bwill\b"], &[], &[r"\bwill\s+not\b"]),
            def(&[r"^\s*(?:\d+\.\s+)?[a-z]+ing\b|\bpays?\b"], &[], &[]),
        ];
        let layer = Layer::build(&defs).unwrap();
        let texts = [
            "Goodwill: we will hire, I will train and we will pay the living wage.",
            "We will we will recruit 12 SEND pupils, send pupils home, and 40 % or 5 per cent",
            "Living Wage Employer, living wage, LIVING WAGE and a livingwage",
            "we willingly will not; 100%100% 7per cent",
            "I will",
            "  2. Paying the living wage: we pay, she pays, paying",
        ];
        // More places than a regex is tried at: one search over the whole text.
        let long = format!("{}living wage, 12 %", "we will living ".repeat(MAX_TRIES));
        for text in texts.iter().copied().chain([long.as_str()]) {
            let lower = lowered(text);
            let hits = layer.scan(text);
            let mut expected = Vec::new();
            for (i, owner) in layer.owners.iter().enumerate() {
                let re = layer.regex(i).unwrap();
                let haystack = if layer.folds(i) { &lower } else { text };
                if owner.exclude {
                    continue;
                }
                let vetoed = layer.owners.iter().enumerate().any(|(j, o)| {
                    o.exclude
                        && o.matcher == owner.matcher
                        && layer.regex(j).unwrap().is_match(&lower)
                });
                if !vetoed {
                    expected.extend(
                        re.find_iter(haystack)
                            .take(limits::MAX_SPANS)
                            .map(|m| (owner.matcher, m.range())),
                    );
                }
            }
            expected.sort_by_key(|(m, r)| (*m, r.start, r.end));
            let got: Vec<_> = hits.iter().map(|h| (h.matcher, h.start..h.end)).collect();
            assert_eq!(got, expected, "{text}");
        }
        // The cases above are found (the comparison is not of two empty lists).
        let spans = |t: &str| layer.scan(t).len();
        assert_eq!(spans(texts[0]), 3 + 1 + 3 + 1);
        assert_eq!(spans("goodwill"), 0);
        assert_eq!(spans(&long), 2 * limits::MAX_SPANS + 1 + 1);
    }

    #[test]
    fn branches_are_counted_as_they_are_made() {
        for pattern in [
            r"\bwe\s+will\b",
            r"\bwe\s+will\b|\bwe\s+shall\b|^\s*use\b",
            r"\b(?:aim|plan)\s+to\b|\bour\s+(?:goal|target)\b|x(?:a|b(?:c|d))",
            r"(?:a|b)c|\d+\s*(?:%|per\s+cent)",
        ] {
            let hir = parse_one(pattern, false).unwrap();
            let mut made = Vec::new();
            push_branches(&hir, &mut made);
            assert_eq!(count_branches(&hir), made.len(), "{pattern}");
        }
    }

    #[test]
    fn joined_patterns_are_searched_branch_by_branch_with_the_same_matches() {
        // Joined patterns that all start with `\b` are parsed as `\b(?:...|...)`: searched
        // as branches, they find what the joined regex finds, with its preference for the
        // earlier pattern at one place and the next match after the last one's end.
        let mut sensitive = def(&[r"\bSEND\s+pupils\b", r"\bWe\s+pay\b"], &[], &[]);
        sensitive.case_sensitive = true;
        let defs = [
            def(
                &[
                    r"\bwe\s+will\b",
                    r"\bwe\s+will\s+pay\b",
                    r"\bliving\s+wage\b",
                    r"\bwill\s+pay\s+the\s+\w+",
                ],
                &[],
                &[],
            ),
            def(
                &[r"\bpay\b", r"\bthe\s+living\b"],
                &[],
                &[r"\bnot\s+pay\b", r"\bnever\b"],
            ),
            sensitive,
        ];
        let layer = Layer::build(&defs).unwrap();
        assert!(layer.units.iter().any(|u| u.branch.is_some()));
        let texts = [
            "We will pay the living wage; we will, and we will pay.",
            "we will not pay the living wage",
            "SEND pupils: We pay, we pay the Living Wage",
            "never pay",
        ];
        for text in texts {
            let lower = lowered(text);
            let mut expected = Vec::new();
            for (i, owner) in layer.owners.iter().enumerate() {
                let haystack = if layer.folds(i) { &lower } else { text };
                let vetoed = layer.owners.iter().enumerate().any(|(j, o)| {
                    o.exclude
                        && o.matcher == owner.matcher
                        && layer.regex(j).unwrap().is_match(&lower)
                });
                if !owner.exclude && !vetoed {
                    expected.extend(
                        layer
                            .regex(i)
                            .unwrap()
                            .find_iter(haystack)
                            .map(|m| (owner.matcher, m.range())),
                    );
                }
            }
            expected.sort_by_key(|(m, r)| (*m, r.start, r.end));
            let hits = layer.scan(text);
            let got: Vec<_> = hits.iter().map(|h| (h.matcher, h.start..h.end)).collect();
            assert_eq!(got, expected, "{text}");
        }
        // Three "we will" and a "living wage", two "pay" and a "the living" (the earlier
        // pattern wins where two start together, and "will pay the" starts inside a match).
        assert_eq!(layer.scan(texts[0]).len(), 4 + 3);
    }

    #[test]
    fn needs_ask_only_for_what_every_match_holds() {
        let need_of_pattern = |p: &str| {
            let hir = parse_one(p, false).unwrap();
            let required = required_literals(&hir).unwrap();
            need(&hir, &required)
                .into_iter()
                .map(|b| {
                    b.into_iter()
                        .map(|c| {
                            c.into_iter()
                                .map(|l| String::from_utf8(l).unwrap())
                                .collect::<Vec<_>>()
                        })
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        };
        // Every word of a sequence, but the required literal (the prefilter found it).
        assert_eq!(
            need_of_pattern(r"\bliving\s+wage\b"),
            vec![vec![vec!["wage"]]]
        );
        // One branch of an alternation; branches of one clause are one clause.
        assert_eq!(
            need_of_pattern(r"\bcare\s+leavers?\b|\bfoster|\byoung\s+carers\b"),
            vec![
                vec![vec!["carers"], vec!["young"]],
                vec![vec!["foster"]],
                vec![vec!["leaver"], vec!["care"]],
            ]
        );
        // Common words and short ones are not looked for; a branch without a need means
        // the regex has none.
        assert!(need_of_pattern(r"\bthe\s+council\b|\bwe\b").is_empty());
        // A layer skips a regex whose need a text does not meet, with the same hits.
        let layer = Layer::build(&[def(&[r"\bliving\s+wage\b"], &[], &[])]).unwrap();
        assert_eq!(layer.scan("the Living  Wage").len(), 1);
        assert!(layer.scan("living well").is_empty());
        assert!(layer.scan("living well, wages").is_empty());
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
