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
use crate::classify::{Classifier, RuleSource};
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

/// The probe for each rule-set stamp (`VERSION/FRAMEWORK`) that documents to re-classify were
/// stamped with, or why it could not be made. Saves this run's rule files, and says in
/// `rec.rule_change` how the change is applied.
pub(super) fn rule_changes(
    store: &Store,
    plans: &[Plan],
    classifier: &Classifier<'_>,
    rec: &mut RunRecord,
) -> HashMap<String, Result<Probe, String>> {
    let rules = classifier.rules;
    save(store, &rules.source, &rules.version, rec);
    let fw = classifier.framework_id().map_or("-", |f| f.as_str());
    let mut out: HashMap<String, Result<Probe, String>> = HashMap::new();
    for plan in plans {
        let Plan::Reclassify { ruleset, .. } = plan else {
            continue;
        };
        if out.contains_key(ruleset) {
            continue;
        }
        let result = match ruleset.split_once('/') {
            Some((_, old_fw)) if old_fw != fw => {
                Err(format!("the framework changed from {old_fw} to {fw}"))
            }
            Some((version, _)) => load(store, version).and_then(|old| probe(&old, &rules.source)),
            None => Err(format!("`{ruleset}` is not a rule-set stamp")),
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
