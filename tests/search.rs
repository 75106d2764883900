//! `search` over the demo batch: stemming across derivations, filters, facets, provenance and
//! errors for bad queries, through the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tenderscope"))
}

/// One index of the demo batch, built once for all tests here.
fn demo_index() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep().join("index");
        let out = bin()
            .args(["ingest", "fixtures/demo", "--index"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
}

fn search_json(args: &[&str]) -> serde_json::Value {
    let out = bin()
        .arg("search")
        .args(args)
        .arg("--json")
        .arg("--index")
        .arg(demo_index())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn apprentices_finds_apprenticeships() {
    let r = search_json(&["apprentices", "--limit", "50"]);
    let texts: Vec<String> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["text"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("apprenticeship")),
        "{texts:?}"
    );
    // Every hit carries its provenance.
    for h in r["hits"].as_array().unwrap() {
        assert_eq!(h["sha256"].as_str().unwrap().len(), 64);
        assert!(h["page"].as_u64().unwrap() >= 1);
        assert!(h["origin"].as_str().unwrap().contains("fixtures/demo/"));
        assert!(!h["id"].as_str().unwrap().is_empty());
    }
}

#[test]
fn filters_narrow_and_facets_count() {
    let all = search_json(&["--facets", "--limit", "1"]);
    let kinds = &all["facets"]["kind"];
    let commitments = kinds["commitment"].as_u64().unwrap();
    assert!(commitments > 20, "{kinds}");
    let only = search_json(&[
        "--kind",
        "commitment",
        "--principle",
        "CE9",
        "--limit",
        "1000",
    ]);
    let hits = only["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for h in hits {
        assert_eq!(h["kind"], "commitment");
        assert!(h["principles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "CE9"));
    }
    assert!((hits.len() as u64) < commitments + 1);
    let one = search_json(&["--supplier", "greenshoots-cic", "--facets", "--limit", "1"]);
    let suppliers = one["facets"]["supplier"].as_object().unwrap();
    assert_eq!(
        suppliers.keys().collect::<Vec<_>>(),
        vec!["greenshoots-cic"]
    );
}

#[test]
fn phrases_and_fields_in_the_query_language() {
    let r = search_json(&["\"real living wage\"", "--limit", "100"]);
    assert!(r["total"].as_u64().unwrap() > 0);
    for h in r["hits"].as_array().unwrap() {
        let t = h["text"].as_str().unwrap().to_lowercase();
        assert!(t.contains("real living wage"), "{t}");
    }
    // A supplier the index does not hold is an error now (issue 12; see
    // `unknown_filter_values_are_exit_2_with_suggestions_and_ids_match_in_any_case`).
    let dane = search_json(&["supplier:dane-valley-civils", "wage"]);
    assert!(dane["total"].as_u64().unwrap() > 0);
    for h in dane["hits"].as_array().unwrap() {
        assert_eq!(h["supplier"], "dane-valley-civils");
    }
}

#[test]
fn a_bad_query_is_a_clear_error() {
    let out = bin()
        .args(["search", "apprentices AND (", "--index"])
        .arg(demo_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad query `apprentices AND (`"), "{err}");
}

#[test]
fn a_missing_index_says_so() {
    let out = bin()
        .args(["search", "x", "--index", "/nonexistent/index"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no index here"));
}

#[test]
fn a_huge_offset_is_refused_not_allocated() {
    let out = bin()
        .args(["search", "wage", "--offset", "4000000000000", "--index"])
        .arg(demo_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("offset 4000000000000 is above 100000"),
        "{err}"
    );
}

/// Filters that name nothing in the index (issue 12) used to give "0 passages match", exit 0:
/// a typo read as "no evidence". Now they are exit 2 with suggestions, and ids match in any
/// case, as filters and as `field:value` in the query.
#[test]
fn unknown_filter_values_are_exit_2_with_suggestions_and_ids_match_in_any_case() {
    let run = |args: &[&str]| {
        bin()
            .arg("search")
            .args(args)
            .arg("--index")
            .arg(demo_index())
            .output()
            .unwrap()
    };
    for (args, expect) in [
        (
            &["--principle", "CE99"][..],
            "unknown principle `CE99`: did you mean CE9",
        ),
        (
            &["--theme", "apprentice"][..],
            "unknown theme `apprentice`: did you mean apprenticeships",
        ),
        (
            &["--supplier", "dane-valley"][..],
            "unknown supplier `dane-valley`: did you mean dane-valley-civils?",
        ),
        (
            &["--tender", "dem"][..],
            "unknown tender `dem`: did you mean demo?",
        ),
        (
            &["--kind", "commitments"][..],
            "unknown kind `commitments`: did you mean commitment",
        ),
        (
            &["apprentices", "principle:CE99"][..],
            "unknown principle `CE99`: did you mean CE9",
        ),
    ] {
        let out = run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expect), "{args:?}: {err}");
    }
    let total = |args: &[&str]| search_json(args)["total"].as_u64().unwrap();
    let upper = total(&["--principle", "CE9"]);
    assert!(upper > 0);
    assert_eq!(total(&["--principle", "ce9"]), upper);
    assert_eq!(total(&["principle:ce9"]), upper);
    assert_eq!(
        total(&["--supplier", "Dane-Valley-Civils"]),
        total(&["--supplier", "dane-valley-civils"])
    );
    // A principle of the rule set that no passage answers is a valid filter: 0 passages.
    assert_eq!(total(&["--principle", "M8", "--kind", "commitment"]), 0);
}

fn hits(r: &serde_json::Value) -> Vec<serde_json::Value> {
    r["hits"].as_array().unwrap().clone()
}

fn words_of(h: &serde_json::Value) -> usize {
    h["text"].as_str().unwrap().split_whitespace().count()
}

/// Issue 12: among hits of similar relevance, a firm commitment at least as specific comes
/// before an aspiration, a claim or other text (pure relevance order put them after).
#[test]
fn the_default_order_puts_firm_specific_commitments_first_among_similar_hits() {
    let mut reordered = 0;
    for q in ["apprentices", "local jobs", "carbon", "volunteering"] {
        let hs = hits(&search_json(&[q, "--limit", "50"]));
        for (i, x) in hs.iter().enumerate() {
            for c in &hs[i + 1..] {
                let firm = c["kind"] == "commitment" && x["kind"] != "commitment";
                let rel = |h: &serde_json::Value| h["relevance"].as_f64().unwrap();
                let spec = |h: &serde_json::Value| h["score"].as_u64().unwrap();
                assert!(
                    !(firm && words_of(c) >= 6 && spec(c) >= spec(x) && rel(c) >= 0.9 * rel(x)),
                    "{q}: {} came after {}",
                    c["text"],
                    x["text"]
                );
            }
            // Hits that relevance alone would have put the other way round.
            reordered += hs[i + 1..]
                .iter()
                .filter(|later| later["relevance"].as_f64() > x["relevance"].as_f64())
                .count();
        }
    }
    // The queries do exercise the order: some hits are not in relevance order.
    assert!(reordered > 0);
}

#[test]
fn sort_by_specificity_and_by_supplier() {
    let rank = |k: &str| match k {
        "commitment" => 3,
        "aspiration" => 2,
        "track_record" => 1,
        _ => 0,
    };
    let hs = hits(&search_json(&[
        "apprentices",
        "--sort",
        "specificity",
        "--limit",
        "50",
    ]));
    assert!(hs.len() > 5);
    let keys: Vec<(i32, u64)> = hs
        .iter()
        .map(|h| {
            (
                rank(h["kind"].as_str().unwrap()),
                h["score"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] >= w[1]), "{keys:?}");

    let hs = hits(&search_json(&[
        "carbon", "--sort", "supplier", "--limit", "50",
    ]));
    let names: Vec<&str> = hs.iter().map(|h| h["supplier"].as_str().unwrap()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    assert!(names.first() != names.last(), "{names:?}");

    let out = bin()
        .args(["search", "carbon", "--sort", "newest", "--index"])
        .arg(demo_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown sort `newest` (one of relevance, specificity, supplier)"),
        "{err}"
    );
}

#[test]
fn counts_agree_with_their_nouns() {
    let run = |q: &str| {
        let out = bin()
            .args(["search", q, "--index"])
            .arg(demo_index())
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    // One passage names the resurfaced yard; many mention carbon.
    let one = search_json(&["\"resurfaced yard\""]);
    assert_eq!(one["total"], 1, "{one}");
    assert_eq!(run("\"resurfaced yard\""), "1 passage matches; showing 1");
    assert!(run("carbon").ends_with("passages match; showing 10"));
}
