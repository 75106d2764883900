//! The rule-set stamp every document and passage record, and every run, carries:
//! `VERSION/FRAMEWORK`, the rule set's content hash and the framework its principles came
//! from (`-` when the rule set had none). Parsed once, where a record or run is read; past
//! that, code asks for the version or the framework and never splits strings again.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::classify::FrameworkId;

/// Which rules classified a record: stored and shown as `VERSION/FRAMEWORK`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleSetStamp {
    version: String,
    framework: Option<FrameworkId>,
}

impl RuleSetStamp {
    /// The stamp of a rule set's `version` used with `framework`.
    pub fn new(version: &str, framework: Option<&FrameworkId>) -> RuleSetStamp {
        RuleSetStamp {
            version: version.to_string(),
            framework: framework.cloned(),
        }
    }

    /// Read a stored stamp: a version, `/`, then a framework id or `-` (neither part empty,
    /// neither holding `/`).
    pub fn parse(s: &str) -> Option<RuleSetStamp> {
        let (version, framework) = s.split_once('/')?;
        if version.is_empty() || framework.is_empty() || framework.contains('/') {
            return None;
        }
        let framework = (framework != "-").then(|| FrameworkId::from(framework));
        Some(RuleSetStamp {
            version: version.to_string(),
            framework,
        })
    }

    /// The rule set's version (its content hash).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The framework the principles came from, if the rule set had one.
    pub fn framework(&self) -> Option<&FrameworkId> {
        self.framework.as_ref()
    }
}

impl fmt::Display for RuleSetStamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fw = self.framework.as_ref().map_or("-", |f| f.as_str());
        write!(f, "{}/{fw}", self.version)
    }
}

impl Serialize for RuleSetStamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RuleSetStamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RuleSetStamp, D::Error> {
        let s = String::deserialize(d)?;
        RuleSetStamp::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("{s:?} is not a rule-set stamp (VERSION/FRAMEWORK)"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_reads_back_as_it_was_written() {
        let s = RuleSetStamp::parse("0123abcd0123abcd/cheshire-east").unwrap();
        assert_eq!(s.version(), "0123abcd0123abcd");
        assert_eq!(s.framework().map(|f| f.as_str()), Some("cheshire-east"));
        assert_eq!(s.to_string(), "0123abcd0123abcd/cheshire-east");
        let none = RuleSetStamp::parse("0123/-").unwrap();
        assert_eq!(none.framework(), None);
        assert_eq!(none.to_string(), "0123/-");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, "\"0123abcd0123abcd/cheshire-east\"");
        assert_eq!(serde_json::from_str::<RuleSetStamp>(&json).unwrap(), s);
    }

    #[test]
    fn a_bad_stamp_is_refused() {
        for bad in ["", "abc", "/fw", "abc/", "abc/x/y"] {
            assert!(RuleSetStamp::parse(bad).is_none(), "{bad}");
        }
        assert!(serde_json::from_str::<RuleSetStamp>("\"abc\"").is_err());
    }
}
