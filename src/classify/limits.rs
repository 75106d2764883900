//! Named limits for rule files. Rule files are untrusted input (a council edits them); each
//! limit bounds one resource so that a bad file is an error, never a hang or a huge allocation.

/// Largest rule file, in bytes.
pub const MAX_FILE_BYTES: usize = 4 << 20;
/// Most rule files in one rule set.
pub const MAX_FILES: usize = 64;
/// Longest regex pattern, in bytes.
pub const MAX_PATTERN_BYTES: usize = 4_000;
/// Compiled size limit of one regex, in bytes (the `regex` crate's `size_limit`).
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Compiled size limit of one layer's combined regex set.
pub const SET_SIZE_LIMIT: usize = 64 << 20;
/// Lazy DFA cache of one regex or set.
pub const DFA_SIZE_LIMIT: usize = 8 << 20;
/// Most patterns (and, separately, exclusions) in one rule.
pub const MAX_PATTERNS: usize = 200;
/// Most terms in one rule.
pub const MAX_TERMS: usize = 5_000;
/// Most examples (must and must-not together) in one rule.
pub const MAX_EXAMPLES: usize = 200;
/// Most rules in one rule set.
pub const MAX_RULES: usize = 10_000;
/// Most evidence spans kept per rule and passage.
pub const MAX_SPANS: usize = 16;
/// Most term matches read from one passage (a passage that repeats a place name thousands of
/// times yields the first ones).
pub const MAX_TERM_HITS: usize = 4_096;
