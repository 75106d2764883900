//! Applying a rule change without re-classifying everything.
//!
//! Each run keeps a copy of its rule files in the index folder (`rulesets/VERSION.json`), so a
//! later run with other rules can tell what changed ([`crate::classify::diff`]). Documents whose
//! passages none of the changed rules match keep their passage records; the others are
//! re-classified and re-written. Without the old copy, or for a change the probe cannot reason
//! about (a framework file, reordered rules, another framework), every document is re-classified.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::{Plan, RunRecord};
use crate::classify::diff::{probe, Probe};
use crate::classify::{Classifier, FrameworkId, RuleSet, RuleSource};
use crate::error::Error;
use crate::index::stamp::RuleSetStamp;
use crate::index::{write_atomic, Store};

/// A rule set's files, as kept in the index folder.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    version: String,
    files: BTreeMap<String, String>,
}

fn snapshot_path(store: &Store, version: &str) -> Option<std::path::PathBuf> {
    // Versions are hex digests; anything else is not a name to build a path from.
    (!version.is_empty() && version.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| store.rulesets_dir().join(format!("{version}.json")))
}

/// Keep a copy of this run's rule files, once per version.
fn save(store: &Store, source: &RuleSource, version: &str, rec: &mut RunRecord) {
    let Some(path) = snapshot_path(store, version) else {
        return;
    };
    if path.exists() {
        return;
    }
    let snap = Snapshot {
        version: version.to_string(),
        files: source
            .files
            .iter()
            .map(|f| (f.name.clone(), f.text.clone()))
            .collect(),
    };
    let result = std::fs::create_dir_all(store.rulesets_dir())
        .map_err(|e| crate::error::Error::Io {
            path: store.rulesets_dir(),
            source: e,
        })
        .and_then(|()| {
            let bytes = serde_json::to_vec(&snap)
                .map_err(|e| crate::error::Error::Worker(e.to_string()))?;
            write_atomic(&path, &bytes)
        });
    if let Err(e) = result {
        // Without the copy, the next rule change re-classifies everything: slower, still right.
        rec.warnings.push(format!("rule-set copy: {e}"));
    }
}

fn load(store: &Store, version: &str) -> Result<RuleSource, String> {
    let path = snapshot_path(store, version)
        .ok_or_else(|| format!("`{version}` is not a rule-set version"))?;
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("no copy of rule set {version} in the index ({e})"))?;
    let snap: Snapshot = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{}: unreadable ({e})", path.display()))?;
    if snap.version != version {
        return Err(format!(
            "{}: holds rule set {}",
            path.display(),
            snap.version
        ));
    }
    let source = RuleSource::from_texts(snap.files);
    if source.version() != version {
        return Err(format!(
            "{}: its files do not hash to {version}",
            path.display()
        ));
    }
    Ok(source)
}

/// The rule set an index was last built with, kept as `INDEX/ruleset.json` after each run (its
/// files are in `rulesets/VERSION.json`). Later runs use it unless they are given `--rules`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    pub version: String,
    pub framework: String,
}

fn recorded_path(store: &Store) -> std::path::PathBuf {
    store.dir.join("ruleset.json")
}

/// Record the rule set and framework of the run just committed.
pub(super) fn record(store: &Store, classifier: &Classifier<'_>) -> crate::error::Result<()> {
    let rec = Recorded {
        version: classifier.rules.version.clone(),
        framework: classifier
            .framework_id()
            .map(|f| f.as_str().to_string())
            .unwrap_or_default(),
    };
    let bytes = serde_json::to_vec(&rec).map_err(|e| Error::Worker(e.to_string()))?;
    write_atomic(&recorded_path(store), &bytes)
}

/// The rule set (and framework) the index at `dir` was last built with, loaded from the copy
/// the index keeps; `None` for a folder with no index or an index with no run yet. For an index
/// written before `ruleset.json` existed, the last run record says which.
pub fn recorded_rules(
    dir: &std::path::Path,
) -> crate::error::Result<Option<(RuleSet, Option<FrameworkId>)>> {
    let Ok(store) = Store::open(dir) else {
        return Ok(None);
    };
    let bad = |detail: String| Error::Index {
        path: dir.to_path_buf(),
        detail,
    };
    let recorded = match std::fs::read(recorded_path(&store)) {
        Ok(bytes) => serde_json::from_slice::<Recorded>(&bytes).map_err(|e| {
            bad(format!(
                "{}: unreadable ({e}); pass --rules DIR",
                recorded_path(&store).display()
            ))
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let last = super::read_runs(&store)?
                .into_iter()
                .rev()
                .find_map(|r| r.ok());
            match last {
                Some(r) => Recorded {
                    version: r.ruleset_version.version().to_string(),
                    framework: r
                        .ruleset_version
                        .framework()
                        .map_or("-", |f| f.as_str())
                        .to_string(),
                },
                None => return Ok(None),
            }
        }
        Err(source) => {
            return Err(Error::Io {
                path: recorded_path(&store),
                source,
            })
        }
    };
    let embedded = RuleSource::embedded();
    let source = if embedded.version() == recorded.version {
        embedded
    } else {
        load(&store, &recorded.version).map_err(|why| {
            bad(format!(
                "it was built with rule set {} and cannot load it ({why}); pass --rules DIR",
                recorded.version
            ))
        })?
    };
    let rules = crate::classify::load::load(&source).map_err(|e| {
        bad(format!(
            "its copy of rule set {} does not load ({e}); pass --rules DIR",
            recorded.version
        ))
    })?;
    // "-" (or nothing) records that no framework was named.
    let framework = Some(recorded.framework.as_str())
        .filter(|f| !f.is_empty() && *f != "-")
        .map(FrameworkId::from);
    Ok(Some((rules, framework)))
}

/// The probe for each rule-set stamp (`VERSION/FRAMEWORK`) that documents to re-classify were
/// stamped with, or why it could not be made. Saves this run's rule files, and says in
/// `rec.rule_change` how the change is applied.
pub(super) fn rule_changes(
    store: &Store,
    plans: &[Plan],
    classifier: &Classifier<'_>,
    rec: &mut RunRecord,
) -> HashMap<RuleSetStamp, Result<Probe, String>> {
    let rules = classifier.rules;
    save(store, &rules.source, &rules.version, rec);
    let fw = classifier.framework_id().map_or("-", |f| f.as_str());
    let mut out: HashMap<RuleSetStamp, Result<Probe, String>> = HashMap::new();
    for plan in plans {
        let Plan::Reclassify { ruleset, .. } = plan else {
            continue;
        };
        if out.contains_key(ruleset) {
            continue;
        }
        let old_fw = ruleset.framework().map_or("-", |f| f.as_str());
        let result = if old_fw != fw {
            Err(format!("the framework changed from {old_fw} to {fw}"))
        } else {
            load(store, ruleset.version()).and_then(|old| probe(&old, &rules.source))
        };
        out.insert(ruleset.clone(), result);
    }
    let mut notes: Vec<String> = out
        .iter()
        .map(|(stamp, r)| match r {
            Ok(p) if p.changed.is_empty() => {
                format!("from {stamp}: no rule changed its matching; nothing re-classified")
            }
            Ok(p) => format!(
                "from {stamp}: {} rule(s) changed ({}); passages they match re-classified",
                p.changed.len(),
                p.changed.join(", ")
            ),
            Err(why) => format!("from {stamp}: everything re-classified: {why}"),
        })
        .collect();
    notes.sort();
    rec.rule_change = notes.join("; ");
    out
}
