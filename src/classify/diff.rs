//! What a rule change can touch: the difference between two versions of a rule set, as a
//! [`Probe`] that tells which passages need classifying again.
//!
//! A passage's classification is a function of the hits of every rule on its text and of the
//! rules' settings. A rule that fires on neither side of a change (its old and its new patterns
//! and terms both miss the passage) contributes nothing to the passage before or after, so the
//! passage's classification cannot change: only passages that the changed rules' old or new
//! patterns or terms match need the whole rule set again. Exclusions only veto a rule that
//! matched, so they need no probing of their own.
//!
//! That argument holds only for changes inside rules. Anything else makes the probe give up
//! (and the caller re-classifies everything): a framework file or a model (kind or principle) changed (principles map themes
//! and carry their own weights), rule files added or removed, top-level settings changed, or
//! the rules both versions share in a different order (ties are broken by rule order).
//!
//! Rules are compared as parsed TOML, so comments, whitespace and a rule's examples and
//! description do not count as changes.

use std::collections::{BTreeMap, HashMap};

use super::pattern::{Layer, MatcherDef};
use super::source::{FileRole, RuleSource};

/// The rule keys whose values do not affect classification.
const INERT_KEYS: &[&str] = &["description", "must_match", "must_not_match"];

/// Passages that a rule change may affect: those any changed rule (old or new) matches.
#[derive(Debug)]
pub struct Probe {
    layer: Option<Layer>,
    /// Ids of the rules that changed, were added or were removed, for the run summary.
    pub changed: Vec<String>,
}

impl Probe {
    /// Whether the change may alter this text's classification.
    pub fn touches(&self, text: &str) -> bool {
        self.layer
            .as_ref()
            .is_some_and(|l| !l.scan(text).is_empty())
    }
}

/// One rule: its id, its canonical content (examples and description removed), and the
/// matching fields to probe with.
struct Unit {
    id: String,
    canonical: String,
    /// The canonical content without its patterns and terms.
    frame: String,
    def: MatcherDef,
}

fn symmetric_difference(a: &[String], b: &[String]) -> Vec<String> {
    let only = |x: &[String], y: &[String]| -> Vec<String> {
        x.iter().filter(|p| !y.contains(p)).cloned().collect()
    };
    let mut out = only(a, b);
    out.extend(only(b, a));
    out
}

/// A file reduced to its rules in order and whatever else it holds.
struct FileUnits {
    units: Vec<Unit>,
    rest: String,
}

fn strings(table: &toml::Table, key: &str) -> Vec<String> {
    table
        .get(key)
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn split_file(text: &str) -> Result<FileUnits, String> {
    let mut doc: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut units = Vec::new();
    for (key, value) in doc.iter_mut() {
        let Some(array) = value.as_array_mut() else {
            continue;
        };
        for item in array.iter() {
            let Some(table) = item.as_table() else {
                continue;
            };
            let Some(id) = table.get("id").and_then(|v| v.as_str()).map(str::to_string) else {
                continue;
            };
            let mut kept = table.clone();
            for k in INERT_KEYS {
                kept.remove(*k);
            }
            let case_sensitive = table
                .get("case_sensitive")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            let canonical = format!("{key}\u{0}{kept}");
            kept.remove("patterns");
            kept.remove("terms");
            units.push(Unit {
                canonical,
                frame: format!("{key}\u{0}{kept}"),
                def: MatcherDef {
                    patterns: strings(table, "patterns"),
                    terms: strings(table, "terms"),
                    exclude: Vec::new(),
                    case_sensitive,
                    compiled: Vec::new(),
                },
                id,
            });
        }
        // What stays of the file is everything but its rules (their order is compared apart).
        array.retain(|item| {
            item.as_table()
                .is_none_or(|t| t.get("id").and_then(|v| v.as_str()).is_none())
        });
    }
    Ok(FileUnits {
        units,
        rest: doc.to_string(),
    })
}

/// Every non-framework file by name; `None` when a framework file differs or a file does not
/// parse.
fn files_of(source: &RuleSource) -> Result<BTreeMap<&str, FileUnits>, String> {
    let mut out = BTreeMap::new();
    for f in &source.files {
        if matches!(
            f.role,
            FileRole::Framework | FileRole::Model | FileRole::PrincipleModel
        ) {
            continue;
        }
        out.insert(
            f.name.as_str(),
            split_file(&f.text).map_err(|e| format!("{}: {e}", f.name))?,
        );
    }
    Ok(out)
}

fn frameworks_of(source: &RuleSource) -> BTreeMap<&str, &str> {
    source
        .files
        .iter()
        .filter(|f| f.role == FileRole::Framework)
        .map(|f| (f.name.as_str(), f.text.as_str()))
        .collect()
}

fn models_of(source: &RuleSource) -> Vec<&str> {
    source
        .files
        .iter()
        .filter(|f| matches!(f.role, FileRole::Model | FileRole::PrincipleModel))
        .map(|f| f.text.as_str())
        .collect()
}

/// The probe from `old` to `new`, or why the change needs everything re-classified.
pub fn probe(old: &RuleSource, new: &RuleSource) -> Result<Probe, String> {
    if frameworks_of(old) != frameworks_of(new) {
        return Err("a framework file changed".into());
    }
    // The kind model weighs every passage's words: a new model may change any passage.
    if models_of(old) != models_of(new) {
        return Err("a model (kind or principle) changed".into());
    }
    let (old_files, new_files) = (files_of(old)?, files_of(new)?);
    if !old_files.keys().eq(new_files.keys()) {
        return Err("rule files were added or removed".into());
    }
    let mut defs = Vec::new();
    let mut changed = Vec::new();
    for ((name, a), b) in old_files.iter().zip(new_files.values()) {
        if a.rest != b.rest {
            return Err(format!("{name}: settings outside its rules changed"));
        }
        let old_units: HashMap<&str, &Unit> = a.units.iter().map(|u| (u.id.as_str(), u)).collect();
        let new_units: HashMap<&str, &Unit> = b.units.iter().map(|u| (u.id.as_str(), u)).collect();
        // Rules on both sides keep their order (it breaks ties between rules).
        let common = |list: &[Unit], other: &HashMap<&str, &Unit>| -> Vec<String> {
            list.iter()
                .filter(|u| other.contains_key(u.id.as_str()))
                .map(|u| u.id.clone())
                .collect()
        };
        if common(&a.units, &new_units) != common(&b.units, &old_units) {
            return Err(format!("{name}: rules were reordered"));
        }
        for u in &a.units {
            match new_units.get(u.id.as_str()) {
                Some(n) if n.canonical == u.canonical => {}
                // Only patterns or terms added or removed: a pattern that matches nowhere in a
                // text changes none of the rule's matches there, so only those are probed.
                Some(n) if n.frame == u.frame => {
                    changed.push(u.id.clone());
                    defs.push(MatcherDef {
                        patterns: symmetric_difference(&u.def.patterns, &n.def.patterns),
                        terms: symmetric_difference(&u.def.terms, &n.def.terms),
                        ..u.def.clone()
                    });
                }
                Some(n) => {
                    changed.push(u.id.clone());
                    defs.push(u.def.clone());
                    defs.push(n.def.clone());
                }
                None => {
                    changed.push(u.id.clone());
                    defs.push(u.def.clone());
                }
            }
        }
        for n in b
            .units
            .iter()
            .filter(|n| !old_units.contains_key(n.id.as_str()))
        {
            changed.push(n.id.clone());
            defs.push(n.def.clone());
        }
    }
    changed.sort();
    changed.dedup();
    let defs: Vec<MatcherDef> = defs
        .into_iter()
        .filter(|d| !d.patterns.is_empty() || !d.terms.is_empty())
        .collect();
    let layer = if defs.is_empty() {
        None
    } else {
        Some(Layer::build(&defs)?)
    };
    Ok(Probe { layer, changed })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::RuleSet;

    fn source_with(edit: impl Fn(&str, &str) -> Option<String>) -> RuleSource {
        let mut s = RuleSource::embedded();
        for f in &mut s.files {
            if let Some(t) = edit(&f.name, &f.text) {
                f.text = t;
            }
        }
        s
    }

    const ANCHOR: &str = "  '\\bemployability\\b',\n";

    #[test]
    fn an_edited_pattern_probes_only_what_its_rules_match() {
        let old = RuleSource::embedded();
        let new = source_with(|name, text| {
            (name == "themes.toml")
                .then(|| text.replacen(ANCHOR, "  '\\bemployability\\b',\n  '\\bscope\\b',\n", 1))
        });
        assert_ne!(
            old.version(),
            new.version(),
            "the anchor must be in themes.toml"
        );
        let p = probe(&old, &new).unwrap();
        assert_eq!(p.changed.len(), 1, "{:?}", p.changed);
        assert!(p.touches("The scope of the contract."));
        // The rule's other patterns match as before: only the added one is probed.
        assert!(!p.touches("We will improve employability."));
        assert!(!p.touches("We will plant 500 trees in Crewe."));
    }

    #[test]
    fn a_changed_weight_probes_everything_the_rule_matches() {
        let old = RuleSource::embedded();
        let new = source_with(|name, text| {
            (name == "themes.toml").then(|| {
                let at = text.find(ANCHOR).unwrap();
                let w = text[..at].rfind("weight = ").unwrap();
                format!(
                    "{}weight = 9{}",
                    &text[..w],
                    &text[w + "weight = 4".len()..]
                )
            })
        });
        assert_ne!(old.version(), new.version());
        let p = probe(&old, &new).unwrap();
        assert_eq!(p.changed, ["local-employment"]);
        assert!(p.touches("We will improve employability."));
        assert!(!p.touches("We will plant 500 trees in Crewe."));
    }

    #[test]
    fn comments_and_examples_are_no_change() {
        let old = RuleSource::embedded();
        let new = source_with(|name, text| {
            (name == "kinds.toml").then(|| {
                text.replacen("must_match = [", "must_match = [\"An extra example.\", ", 1)
                    + "\n# a comment\n"
            })
        });
        assert_ne!(old.version(), new.version());
        let p = probe(&old, &new).unwrap();
        assert!(p.changed.is_empty(), "{:?}", p.changed);
        assert!(!p.touches("We will recruit 12 apprentices."));
    }

    #[test]
    fn frameworks_and_reordering_need_everything() {
        let old = RuleSource::embedded();
        let fw = source_with(|name, text| {
            name.starts_with("frameworks/")
                .then(|| format!("{text}\n# edited\n"))
        });
        assert_ne!(old.version(), fw.version());
        assert!(probe(&old, &fw).is_err());
        let reordered = source_with(|name, text| {
            (name == "themes.toml").then(|| {
                let parts: Vec<&str> = text.split("\n[[theme]]").collect();
                let mut out = parts[0].to_string();
                let mut rest: Vec<&str> = parts[1..].to_vec();
                rest.swap(0, 1);
                for r in rest {
                    out.push_str("\n[[theme]]");
                    out.push_str(r);
                }
                out
            })
        });
        assert!(RuleSet::load(&reordered).is_ok());
        assert!(probe(&old, &reordered).is_err());
    }

    #[test]
    fn a_probe_finds_every_passage_whose_classification_changed() {
        let old_src = RuleSource::embedded();
        let new_src = source_with(|name, text| {
            (name == "themes.toml")
                .then(|| text.replacen(ANCHOR, "  '\\bscope\\b',\n  '\\btraining\\b',\n", 1))
        });
        let (old, new) = (
            RuleSet::load(&old_src).unwrap(),
            RuleSet::load(&new_src).unwrap(),
        );
        let (a, b) = (old.classifier(None).unwrap(), new.classifier(None).unwrap());
        let p = probe(&old_src, &new_src).unwrap();
        let texts = [
            "We will offer training to 20 local residents.",
            "The scope of the contract covers Crewe.",
            "We will improve employability for young people.",
            "We will plant 500 trees in Macclesfield by 2027.",
            "Our company was founded in 1990.",
            "We will recruit 12 apprentices from Crewe by March 2026.",
        ];
        let mut differing = 0;
        for t in texts {
            let (ca, cb) = (a.classify(t), b.classify(t));
            let same = serde_json::to_string(&ca).unwrap() == serde_json::to_string(&cb).unwrap();
            if !same {
                differing += 1;
                assert!(p.touches(t), "changed but not probed: {t}");
            }
        }
        assert!(differing > 0, "the edit must change some classification");
    }
}
