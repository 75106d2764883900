//! Identifier newtypes for the rule set: rules, themes, principles and frameworks.
//!
//! Ids are plain strings in the TOML files; in code each kind of id has its own type so that a
//! theme id cannot be passed where a principle id is meant. Rule ids follow one syntax
//! (see [`valid_id`]) and are unique across the whole rule set.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Parse an id as a user types it: the rule set's id syntax ([`valid_id`]), so a
        /// mistyped one is an error here and not a silent miss later.
        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<$name, String> {
                if valid_id(s) {
                    Ok($name(s.to_string()))
                } else {
                    Err(format!(
                        "`{s}` is not an id: an ASCII letter or digit, then letters, digits, \
                         `.`, `_` or `-`, at most 64 characters"
                    ))
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> $name {
                $name(s.to_string())
            }
        }
    };
}

id_type!(
    /// The id of any rule (a cue, a theme, a principle's own patterns, a measure).
    RuleId
);
id_type!(
    /// A theme: a concrete kind of social value, such as `apprenticeships`.
    ThemeId
);
id_type!(
    /// A principle of a framework, such as `CE9` or `M3`.
    PrincipleId
);
id_type!(
    /// A framework: a set of principles, such as `cheshire-east`.
    FrameworkId
);

/// The id syntax shared by every rule: an ASCII letter or digit first, then letters, digits,
/// `.`, `_` and `-`, at most 64 characters.
pub fn valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && s.len() <= 64
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_syntax() {
        assert!(valid_id("CE9"));
        assert!(valid_id("commit.we-will"));
        assert!(!valid_id(""));
        assert!(!valid_id(".x"));
        assert!(!valid_id("has space"));
        assert!(!valid_id(&"a".repeat(65)));
    }

    #[test]
    fn ids_parse_with_the_syntax_and_say_why_not() {
        let fw: FrameworkId = "cheshire-east".parse().unwrap();
        assert_eq!(fw.as_str(), "cheshire-east");
        let err = "cheshire east".parse::<FrameworkId>().unwrap_err();
        assert!(err.contains("`cheshire east` is not an id"), "{err}");
    }
}
