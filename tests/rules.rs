//! The rule set as data: every rule's examples pass, `rules test` reports failures with
//! file:line, and a broken rule file is rejected with file:line:col and the rule id before
//! anything runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use tenderscope::classify::{ruletest, LoadError, RuleSet, RuleSource};

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

/// A copy of the crate's rule directory in a temp dir, with `edit` applied to one file.
fn edited_copy(file: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in RuleSource::from_dir(&rules_dir()).unwrap().files {
        let path = dir.path().join(&f.name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = if f.name == file { edit(f.text) } else { f.text };
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn load_errors(dir: &Path) -> Vec<String> {
    match RuleSet::from_dir(dir) {
        Ok(_) => panic!("the rule set loaded although it is broken"),
        Err(LoadError::Invalid(errors)) => errors.iter().map(|e| e.to_string()).collect(),
        Err(other) => vec![other.to_string()],
    }
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tenderscope"))
}

#[test]
fn every_example_of_the_shipped_rules_passes() {
    let rules = RuleSet::from_dir(&rules_dir()).unwrap();
    let report = ruletest::run(&rules);
    let failures: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every rule carries examples both ways, so there are at least two per rule.
    assert!(report.passed >= 2 * (rules.cues.len() + rules.themes.len() + rules.measures.len()));
}

#[test]
fn the_frameworks_are_as_the_codebook_says() {
    let rules = RuleSet::embedded().unwrap();
    let ids = |fw: &str| -> Vec<String> {
        let f = rules
            .frameworks
            .iter()
            .find(|f| f.id.as_str() == fw)
            .unwrap();
        f.principles.iter().map(|p| p.id.0.clone()).collect()
    };
    let ce: Vec<String> = (1..=14).map(|i| format!("CE{i}")).collect();
    let m: Vec<String> = (1..=8).map(|i| format!("M{i}")).collect();
    assert_eq!(ids("cheshire-east"), ce);
    assert_eq!(ids("marmot"), m);
    assert_eq!(
        rules.frameworks[rules.default_framework].id.as_str(),
        "cheshire-east"
    );
}

#[test]
fn rules_test_command_passes_on_the_shipped_rules() {
    let out = bin()
        .args(["rules", "test"])
        .arg(rules_dir())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

#[test]
fn rules_test_command_reports_a_failing_example_with_file_and_line() {
    let dir = edited_copy("themes.toml", |t| {
        t.replacen(
            "must_not_match = [\"We will recruit 12 apprentices.\", \"We will plant 2,000 trees.\"]",
            "must_not_match = [\"We will recruit 12 apprentices.\", \"careers talks in schools\"]",
            1,
        )
    });
    let out = bin()
        .args(["rules", "test"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.contains("must not match but does"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains("themes.toml:"), "{line}");
    assert!(line.contains("rule `careers-education`"), "{line}");
    assert!(stdout.contains(" 1 failed"), "{stdout}");
}

/// The load error about `needle` when the line `after` of `file` is followed by `insert`.
fn error_after_inserting(file: &str, after: &str, insert: &str, needle: &str) -> String {
    let dir = edited_copy(file, |t| t.replacen(after, &format!("{after}{insert}"), 1));
    let errors = load_errors(dir.path());
    errors
        .into_iter()
        .find(|e| e.contains(needle))
        .unwrap_or_else(|| panic!("no error about {needle}"))
}

#[test]
fn unknown_field_names_file_line_column_and_rule() {
    let e = error_after_inserting(
        "themes.toml",
        "id = \"mentoring\"\n",
        "paterns = ['x']\n",
        "paterns",
    );
    assert!(e.contains("themes.toml:"), "{e}");
    assert!(e.contains("rule `mentoring`"), "{e}");
    // file:line:col
    let loc = e.split(": ").next().unwrap();
    assert_eq!(loc.split(':').count(), 3, "{e}");
}

#[test]
fn keeps_principles_on_a_promise_cue_is_reported_with_its_place() {
    let e = error_after_inserting(
        "kinds.toml",
        "id = \"commit.we-will\"\nsignal = \"commit\"\n",
        "keeps_principles = true\n",
        "keeps_principles",
    );
    assert!(e.contains("kinds.toml:"), "{e}");
    assert!(e.contains("rule `commit.we-will`"), "{e}");
    assert!(e.contains("furniture or non_statement"), "{e}");
}

#[test]
fn duplicate_ids_unknown_themes_bad_regexes_and_empty_examples_are_all_reported() {
    let dir = edited_copy("themes.toml", |t| {
        let t = t.replacen("id = \"mentoring\"", "id = \"careers-education\"", 1);
        let t = t.replacen(r"'\bmodern\s+slavery\b',", r"'\bmodern\s+slavery(\b',", 1);
        t.replacen(
            "must_match = [\"sponsoring breakfast clubs in primary schools\", \"support for family hubs in Crewe\"]",
            "must_match = []",
            1,
        )
    });
    // The framework refers to the theme whose id was changed.
    let errors = load_errors(dir.path());
    let all = errors.join("\n");
    assert!(
        all.contains("rule `careers-education`: duplicate rule id (first defined at"),
        "{all}"
    );
    assert!(
        all.contains("rule `ethical-conduct`: invalid regex"),
        "{all}"
    );
    assert!(
        all.contains("rule `early-years`: `must_match` is empty"),
        "{all}"
    );
    assert!(
        all.contains("cheshire-east.toml:") && all.contains("unknown theme `mentoring`"),
        "{all}"
    );
    for e in &errors {
        let mut parts = e.splitn(4, ':');
        let (file, line, col) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        assert!(file.ends_with(".toml"), "{e}");
        assert!(
            line.parse::<usize>().is_ok() && col.parse::<usize>().is_ok(),
            "{e}"
        );
    }
}

#[test]
fn oversized_regexes_and_two_default_frameworks_are_rejected() {
    let dir = edited_copy("frameworks/marmot.toml", |t| {
        let t = t.replacen(
            "name = \"Marmot principles\"",
            "name = \"Marmot principles\"\ndefault = true",
            1,
        );
        t.replacen(
            r"patterns = ['\b(?:real\s+)?living\s+wage\b',",
            r"patterns = ['(?:\p{L}{100}){50}', '\b(?:real\s+)?living\s+wage\b',",
            1,
        )
    });
    let all = load_errors(dir.path()).join("\n");
    assert!(
        all.contains("more than one framework is marked `default = true`"),
        "{all}"
    );
    assert!(all.contains("rule `marmot.M4`: invalid regex"), "{all}");
}

#[test]
fn a_broken_principle_model_is_reported_with_file_and_line() {
    // A weight that is not a number: a parse error, at its line.
    let dir = edited_copy("principle-model.toml", |t| {
        t.replacen("threshold = ", "threshold = \"high\" # ", 1)
    });
    let all = load_errors(dir.path()).join("\n");
    assert!(all.contains("principle-model.toml:"), "{all}");
    let line = all
        .lines()
        .find(|l| l.contains("principle-model.toml:"))
        .unwrap();
    let expected = format!(
        "principle-model.toml:{}:",
        std::fs::read_to_string(dir.path().join("principle-model.toml"))
            .unwrap()
            .lines()
            .position(|l| l.starts_with("threshold = \"high\""))
            .unwrap()
            + 1
    );
    assert!(line.contains(&expected), "{line} (expected {expected})");

    // A framework the rule set does not have, beside an error in another file: both reported.
    let dir = edited_copy("principle-model.toml", |t| {
        t.replacen(
            "framework = \"cheshire-east\"",
            "framework = \"nowhere\"",
            1,
        )
    });
    std::fs::write(
        dir.path().join("groups.toml"),
        std::fs::read_to_string(dir.path().join("groups.toml")).unwrap() + "\nnot toml at all\n",
    )
    .unwrap();
    let all = load_errors(dir.path()).join("\n");
    assert!(all.contains("groups.toml:"), "{all}");
    assert!(all.contains("principle-model.toml:9:"), "{all}");
    assert!(
        all.contains("the principle model's framework `nowhere` is not in the rule set"),
        "{all}"
    );
}

#[test]
fn a_broken_rule_directory_stops_classify_with_exit_code_2() {
    let dir = edited_copy("kinds.toml", |t| {
        t.replacen("signal = \"hedge\"", "signal = \"maybe\"", 1)
    });
    let out = bin()
        .args(["classify", "--rules"])
        .arg(dir.path())
        .arg("-")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("kinds.toml:") && stderr.contains("maybe"),
        "{stderr}"
    );
}

#[test]
fn the_version_is_a_hash_of_the_content() {
    let a = RuleSet::from_dir(&rules_dir()).unwrap().version;
    let dir = edited_copy("themes.toml", |t| t + "\n# a comment\n");
    let b = RuleSet::from_dir(dir.path()).unwrap().version;
    assert_ne!(a, b);
    assert_eq!(a, RuleSet::embedded().unwrap().version);
    let out = bin()
        .args(["rules", "version"])
        .arg(rules_dir())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), a);
}
