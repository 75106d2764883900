//! The classifier on real published text: `../shared/realworld/dev.jsonl` (its README says how
//! it was labelled and scored).
//!
//! The set is split by source into a tuning part and a held-out part (see
//! `tenderscope::classify::eval::Split`); both are reported, and only the held-out figure says
//! how the rules do on pages nobody tuned them on.
//!
//! ```text
//! cargo run --release --example realworld -- [--set ../shared/realworld/dev.jsonl] [--rules rules]
//!     [--failures tune|held-out|all] [--only kind|principle|measure] [--principles-any-kind]
//!     [--every]
//! ```
//! Besides the two parts, the last line scores every item together (`all`): for a set written
//! apart from the rules, such as a new labelled file given with `--set`, that is the figure.
//! `--principles-any-kind` scores principles as the themes map them even where the kind is
//! `none` (the classifier clears them there), to measure the principle rules alone.
//! `--failures` prints every item of that part the classifier gets wrong, with what it said
//! and the rules behind it (`--every`: every item of that part, right or wrong). Tune on `tune`;
//! leave `held-out` unread.

use std::path::PathBuf;

use tenderscope::classify::eval::{self, Part};
use tenderscope::classify::RuleSet;

fn main() {
    let mut set = PathBuf::from("../shared/realworld/dev.jsonl");
    let mut rules_dir = PathBuf::from("rules");
    let mut failures: Option<Vec<Part>> = None;
    let mut only: Option<String> = None;
    let mut any_kind = false;
    let mut every = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--set" => set = args.next().map(PathBuf::from).unwrap_or(set),
            "--rules" => rules_dir = args.next().map(PathBuf::from).unwrap_or(rules_dir),
            "--failures" => {
                failures = Some(match args.next().as_deref() {
                    Some("tune") => vec![Part::Tune],
                    Some("held-out") => vec![Part::HeldOut],
                    Some("all") => vec![Part::Tune, Part::HeldOut],
                    other => die(&format!("--failures tune|held-out|all, not {other:?}")),
                })
            }
            "--only" => only = args.next(),
            "--principles-any-kind" => any_kind = true,
            "--every" => every = true,
            other => die(&format!("unknown argument `{other}`")),
        }
    }
    let text =
        std::fs::read_to_string(&set).unwrap_or_else(|e| die(&format!("{}: {e}", set.display())));
    let items = eval::read(&text).unwrap_or_else(|e| die(&format!("{}: {e}", set.display())));
    let rules = RuleSet::from_dir(&rules_dir)
        .unwrap_or_else(|e| die(&format!("{}: {e}", rules_dir.display())));
    let classifier = rules
        .classifier(Some("cheshire-east"))
        .unwrap_or_else(|e| die(&e));

    let mut whole = eval::Scores::default();
    let parts = eval::evaluate(&classifier, &items, any_kind, |item, c, o| {
        whole.add(item, c);
        let Some(show) = &failures else { return };
        if !show.contains(&eval::Split::part(&item.source)) {
            return;
        }
        let kind_bad = !o.kind_ok;
        let principle_bad = o.principle_found == Some(false) || !o.wrong_principles.is_empty();
        let measure_bad = !o.missed_measures.is_empty();
        let wanted = match only.as_deref() {
            Some("kind") => kind_bad,
            Some("principle") => principle_bad,
            Some("measure") => measure_bad,
            _ => kind_bad || principle_bad || measure_bad,
        };
        if !wanted && !every {
            return;
        }
        let got: Vec<&str> = c.principles.iter().map(|p| p.id.as_str()).collect();
        let themes: Vec<&str> = c.themes.iter().map(|t| t.id.as_str()).collect();
        println!("--- {} ({})", item.id, item.source);
        println!("{}", item.text);
        println!(
            "  kind: want {} got {} {:?}",
            o.want_kind, o.got_kind, c.kind_rules
        );
        println!(
            "  principles: primary {:?} ok {:?} got {:?} themes {:?}",
            item.primary, item.ok, got, themes
        );
        if measure_bad {
            let found: Vec<String> = c
                .measures
                .iter()
                .map(|m| format!("{}={:?}", m.kind, m.value))
                .collect();
            println!(
                "  measures missed {:?} found {:?}",
                o.missed_measures, found
            );
        }
    });

    println!("{}: {} items", set.display(), items.len());
    for (part, scores) in &parts {
        let sources: std::collections::BTreeSet<&str> = items
            .iter()
            .filter(|i| eval::Split::part(&i.source) == *part)
            .map(|i| i.source.as_str())
            .collect();
        println!(
            "{:<9} ({:>3} sources) {}",
            name(*part),
            sources.len(),
            scores.line()
        );
    }
    let all_sources: std::collections::BTreeSet<&str> =
        items.iter().map(|i| i.source.as_str()).collect();
    println!(
        "{:<9} ({:>3} sources) {}",
        "all",
        all_sources.len(),
        whole.line()
    );
    for (part, scores) in &parts {
        println!("\n{} confusion (labelled -> predicted):", name(*part));
        for ((want, got), n) in &scores.confusion {
            if want != got {
                println!("  {want:>12} -> {got:<12} {n}");
            }
        }
        let per: Vec<String> = scores
            .by_principle
            .iter()
            .map(|(p, (n, f))| format!("{p} {f}/{n}"))
            .collect();
        println!("  principle recall: {}", per.join(", "));
        let per: Vec<String> = scores
            .by_measure
            .iter()
            .map(|(k, (n, f))| format!("{k} {f}/{n}"))
            .collect();
        println!("  measure recall: {}", per.join(", "));
    }
}

fn name(part: Part) -> &'static str {
    match part {
        Part::Tune => "tune",
        Part::HeldOut => "held-out",
    }
}

fn die(msg: &str) -> ! {
    eprintln!("realworld: {msg}");
    std::process::exit(2)
}
