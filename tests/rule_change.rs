//! The rule-change probe is sound: over every labelled passage and a spread of rule edits
//! (patterns and terms added or removed, weights, signals and exclusions changed, rules added
//! and removed), every passage whose classification differs between the two rule sets is one
//! the probe says the change touches. A probe that missed one would leave a stale finding in
//! an index re-classified incrementally.

use tenderscope::classify::diff::probe;
use tenderscope::classify::{RuleSet, RuleSource};

fn texts() -> Vec<String> {
    let mut out = Vec::new();
    for file in [
        "fixtures/labelled/passages.jsonl",
        "fixtures/labelled/holdout.jsonl",
    ] {
        let data = std::fs::read_to_string(file).unwrap();
        for line in data.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            out.push(v["text"].as_str().unwrap().to_string());
        }
    }
    assert!(out.len() > 400, "{} labelled passages", out.len());
    out
}

/// The embedded rule set with `edit` applied to the file `name` (which must change).
fn edited(name: &str, edit: impl Fn(&str) -> String) -> RuleSource {
    let mut s = RuleSource::embedded();
    let f = s.files.iter_mut().find(|f| f.name == name).unwrap();
    let new = edit(&f.text);
    assert_ne!(new, f.text, "the edit of {name} changed nothing");
    f.text = new;
    s
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "anchor {from:?} not found");
    text.replacen(from, to, 1)
}

#[test]
fn every_changed_classification_is_probed() {
    let texts = texts();
    let old_src = RuleSource::embedded();
    let old = RuleSet::load(&old_src).unwrap();
    let a = old.classifier(None).unwrap();
    let before: Vec<String> = texts
        .iter()
        .map(|t| serde_json::to_string(&a.classify(t)).unwrap())
        .collect();

    let edits: Vec<(&str, RuleSource)> = vec![
        (
            "a theme pattern added",
            edited("themes.toml", |t| {
                replace_once(
                    t,
                    "  '\\bemployability\\b',\n",
                    "  '\\bemployability\\b',\n  '\\b(?:staff|team)\\b',\n",
                )
            }),
        ),
        (
            "a cue pattern removed",
            edited("kinds.toml", |t| {
                replace_once(
                    t,
                    "patterns = [\n  '\\b(?:we|i)\\s+(?:will|shall)\\b',\n",
                    "patterns = [\n",
                )
            }),
        ),
        (
            "a theme weight changed",
            edited("themes.toml", |t| {
                replace_once(t, "weight = 4", "weight = 10")
            }),
        ),
        (
            "a commitment cue widened",
            edited("kinds.toml", |t| {
                replace_once(t, "patterns = [", "patterns = [\n  '\\b(?:can|could)\\b',")
            }),
        ),
        (
            "an exclusion added to a cue",
            edited("kinds.toml", |t| {
                // Into the first cue's list of exclusions (every cue the file opens with has
                // one; a second `exclude` key would be a TOML error).
                replace_once(t, "exclude = [", "exclude = ['\\bpartner', ")
            }),
        ),
        (
            "a rule added",
            edited("themes.toml", |t| {
                format!(
                    "{t}\n[[theme]]\nid = \"extra-theme\"\nname = \"Extra\"\nweight = 9\n\
                     terms = [\"local\", \"community\"]\nmust_match = [\"local\"]\n\
                     must_not_match = [\"none\"]\n"
                )
            }),
        ),
        (
            "a place term removed",
            edited("places.toml", |t| replace_once(t, "  \"Crewe\", ", "  ")),
        ),
        (
            "a measure pattern narrowed",
            edited("measures.toml", |t| {
                replace_once(
                    t,
                    "(?:%|per[\\s-]?cent\\b|percent\\b|percentage\\s+points?\\b)",
                    "(?:per[\\s-]?cent\\b|percent\\b|percentage\\s+points?\\b)",
                )
            }),
        ),
    ];

    for (what, new_src) in edits {
        let p = match probe(&old_src, &new_src) {
            Ok(p) => p,
            Err(why) => panic!("{what}: the probe gave up: {why}"),
        };
        let new = match RuleSet::load(&new_src) {
            Ok(r) => r,
            Err(e) => panic!("{what}: the edited rules do not load: {e}"),
        };
        let b = new.classifier(None).unwrap();
        let (mut differing, mut probed) = (0, 0);
        for (t, was) in texts.iter().zip(&before) {
            let now = serde_json::to_string(&b.classify(t)).unwrap();
            let touched = p.touches(t);
            probed += usize::from(touched);
            if &now != was {
                differing += 1;
                assert!(
                    touched,
                    "{what}: classification changed but not probed: {t}"
                );
            }
        }
        eprintln!(
            "{what}: {differing} of {} passages changed, {probed} probed ({:?})",
            texts.len(),
            p.changed
        );
        assert!(differing > 0, "{what}: the edit must change some passage");
    }
}
