//! Counts in prose: "1 passage", "2 passages". Every noun the tool counts takes a plain `-s`
//! plural, so no table of irregular forms is needed.

/// `count` and `noun`, in the plural unless `count` is one: `n(1, "file")` is "1 file".
pub fn n(count: u64, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The verb that agrees with `count` things: `agree(1, "matches", "match")`.
pub fn agree<'a>(count: u64, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(n(0, "passage"), "0 passages");
        assert_eq!(n(1, "passage"), "1 passage");
        assert_eq!(n(2, "file"), "2 files");
        assert_eq!(agree(1, "matches", "match"), "matches");
        assert_eq!(agree(7, "matches", "match"), "match");
    }
}
