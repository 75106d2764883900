//! The commitments ledger end to end (issue 15): the demo tender batch, then its monitoring
//! returns for two quarters (`fixtures/returns/`), then a corrected return. Statuses of named
//! commitments, unmatched figures, incremental periods, corrections and the command line's
//! errors.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tenderscope::classify::RuleSet;
use tenderscope::index::Store;
use tenderscope::ingest::{self, Isolation, Options, RunRecord};
use tenderscope::ledger::{self, Row, Status};
use tenderscope::period::Period;
use tenderscope::records::Records;
use tenderscope::Limits;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn returns(period: &str) -> PathBuf {
    repo().join("fixtures/returns").join(period)
}

fn ingest(index: &Path, root: &Path, period: Option<&str>) -> tenderscope::Result<RunRecord> {
    let rules = RuleSet::embedded().unwrap();
    let classifier = rules.classifier(None).unwrap();
    let store = Store::open_or_create(index)?;
    let opts = Options {
        paths: vec![root.to_path_buf()],
        tender: period.is_none().then(|| "demo".to_string()),
        supplier: None,
        jobs: 2,
        limits: Limits::default(),
        isolation: Isolation::InProcess,
        classifier,
        allow_removals: false,
        chunk_files: 0,
        delivery: period.map(|p| Period::parse(p).unwrap()),
    };
    ingest::run(&store, &opts, &|_| {})
}

fn ledger_rows(index: &Path) -> Vec<Row> {
    let records = Records::open(index).unwrap();
    ledger::read(&records, &ledger::Options::default())
        .unwrap()
        .rows
}

/// The row of `supplier`'s commitment whose text starts with `start`.
fn row<'a>(rows: &'a [Row], supplier: &str, start: &str) -> &'a Row {
    rows.iter()
        .find(|r| {
            r.supplier == supplier
                && r.commitment
                    .as_deref()
                    .is_some_and(|c| c.starts_with(start))
        })
        .unwrap_or_else(|| panic!("no row of {supplier} starting {start:?}"))
}

fn delivered(r: &Row) -> Vec<(String, f64)> {
    r.delivered
        .iter()
        .map(|d| (d.period.to_string(), d.value))
        .collect()
}

/// An index of the demo tender with both quarters' returns.
fn demo_index(dir: &Path) -> PathBuf {
    let index = dir.join("index");
    let rec = ingest(&index, &repo().join("fixtures/demo"), None).unwrap();
    assert_eq!(rec.failed, 0, "{:?}", rec.failures);
    for q in ["2027-Q1", "2027-Q2"] {
        let rec = ingest(&index, &returns(q), Some(q)).unwrap();
        assert_eq!(rec.failed, 0, "{:?}", rec.failures);
        assert_eq!(rec.added, 3, "{q}");
        assert!(rec.warnings.is_empty(), "{:?}", rec.warnings);
    }
    index
}

#[test]
fn the_demo_ledger_judges_each_supplier_as_its_returns_say() {
    let tmp = tempfile::tempdir().unwrap();
    let index = demo_index(tmp.path());
    let rows = ledger_rows(&index);

    // Only suppliers with returns are in the ledger.
    let suppliers: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.supplier.as_str()).collect();
    assert_eq!(
        suppliers.into_iter().collect::<Vec<_>>(),
        [
            "cobalt-lane-digital",
            "dane-valley-civils",
            "greenshoots-cic"
        ]
    );

    // Dane Valley: on track. 8 apprentices by March 2029, from January 2027: 6 of 27 months
    // run by June, so 1.78 expected; 2 in Q1 (the narrative) and 1 in Q2 (the KPI sheet,
    // whose running total of 3 agrees).
    let sv1 = row(&rows, "dane-valley-civils", "SV1 |");
    assert_eq!(sv1.status, Some(Status::OnTrack));
    assert_eq!(sv1.expected, Some(1.78));
    assert_eq!(sv1.cumulative, Some(3.0));
    assert_eq!(
        delivered(sv1),
        [("2027-Q1".into(), 2.0), ("2027-Q2".into(), 1.0)]
    );
    assert!(
        sv1.link.iter().all(|l| l.contains("apprentic")),
        "{:?}",
        sv1.link
    );
    let files: std::collections::BTreeSet<&str> =
        sv1.evidence.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(sv1.evidence.iter().any(|e| e.cumulative && e.value == 3.0));
    // 120 careers hours a year: 60 expected by June, 38 + 30 delivered.
    let sv5 = row(&rows, "dane-valley-civils", "SV5 |");
    assert_eq!(
        (sv5.status, sv5.expected, sv5.cumulative),
        (Some(Status::OnTrack), Some(60.0), Some(68.0))
    );
    // 95% of invoices in 14 days: a rate held (97%, then 96%), never met.
    let sv8 = row(&rows, "dane-valley-civils", "SV8 |");
    assert_eq!(sv8.status, Some(Status::OnTrack));
    assert_eq!(sv8.cumulative, Some(96.0));
    // Jobs for people facing barriers: no return says anything.
    let sv3 = row(&rows, "dane-valley-civils", "SV3 |");
    assert_eq!(sv3.status, Some(Status::NoEvidence));
    assert!(sv3.evidence.is_empty());
    assert!(rows
        .iter()
        .filter(|r| r.supplier == "dane-valley-civils")
        .all(|r| !matches!(r.status, Some(Status::Behind | Status::Overdue))));

    // Cobalt Lane: behind. 120 laptops by March 2031 (51 months): 14.12 expected, 10 given.
    let c5 = row(&rows, "cobalt-lane-digital", "C5 |");
    assert_eq!(
        (c5.status, c5.expected, c5.cumulative),
        (Some(Status::Behind), Some(14.12), Some(10.0))
    );
    // 20% of spend with local SMEs: 14% then 15%.
    let c7 = row(&rows, "cobalt-lane-digital", "C7 |");
    assert_eq!(
        (c7.status, c7.cumulative),
        (Some(Status::Behind), Some(15.0))
    );
    let sessions = row(
        &rows,
        "cobalt-lane-digital",
        "We will deliver 40 drop-in sessions",
    );
    assert_eq!(
        (sessions.status, sessions.expected, sessions.cumulative),
        (Some(Status::Behind), Some(20.0), Some(9.0))
    );

    // Greenshoots: figures nobody committed to.
    let green: Vec<&Row> = rows
        .iter()
        .filter(|r| r.supplier == "greenshoots-cic")
        .collect();
    assert!(green
        .iter()
        .filter(|r| !r.unmatched)
        .all(|r| r.evidence.is_empty()));
    let unmatched: Vec<&str> = green
        .iter()
        .filter(|r| r.unmatched)
        .map(|r| r.evidence[0].figure.as_str())
        .collect();
    for figure in [
        "350 trees",
        "£1,450",
        "9 litter picks",
        "120",
        "36",
        "£2,150",
    ] {
        assert!(unmatched.contains(&figure), "{figure} in {unmatched:?}");
    }
    assert!(green
        .iter()
        .filter(|r| r.unmatched)
        .all(|r| r.status.is_none() && r.commitment.is_none()));
}

#[test]
fn a_later_period_adds_to_the_ledger_and_a_corrected_return_replaces_the_earlier_one() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    ingest(&index, &repo().join("fixtures/demo"), None).unwrap();
    ingest(&index, &returns("2027-Q1"), Some("2027-Q1")).unwrap();
    let rows = ledger_rows(&index);
    let c5 = row(&rows, "cobalt-lane-digital", "C5 |");
    assert_eq!(c5.cumulative, Some(4.0));
    assert_eq!(c5.as_of.to_string(), "2027-03");

    ingest(&index, &returns("2027-Q2"), Some("2027-Q2")).unwrap();
    // Running the first quarter again changes nothing.
    let again = ingest(&index, &returns("2027-Q1"), Some("2027-Q1")).unwrap();
    assert_eq!((again.added, again.unchanged), (0, 3));
    let rows = ledger_rows(&index);
    let c5 = row(&rows, "cobalt-lane-digital", "C5 |");
    assert_eq!(
        delivered(c5),
        [("2027-Q1".into(), 4.0), ("2027-Q2".into(), 6.0)]
    );
    assert!(c5.corrected.is_empty());

    // The corrected Q2 sheet says 9 laptops, not 6.
    let rec = ingest(
        &index,
        &repo().join("fixtures/returns/corrections/2027-Q2"),
        Some("2027-Q2"),
    )
    .unwrap();
    assert_eq!(rec.corrections.len(), 1, "{:?}", rec.corrections);
    assert!(rec.corrections[0].contains("2027-Q2/cobalt-lane-digital/kpi-return.xlsx"));
    let rows = ledger_rows(&index);
    let c5 = row(&rows, "cobalt-lane-digital", "C5 |");
    assert_eq!(
        delivered(c5),
        [("2027-Q1".into(), 4.0), ("2027-Q2".into(), 9.0)]
    );
    assert_eq!(c5.cumulative, Some(13.0));
    assert_eq!(c5.corrected.len(), 1, "{:?}", c5.corrected);
    assert!(
        c5.corrected[0].starts_with("2027-Q2: "),
        "{:?}",
        c5.corrected
    );
    assert!(c5.evidence.iter().all(|e| !e
        .file
        .ends_with("returns/2027-Q2/cobalt-lane-digital/kpi-return.xlsx")));
    // The other suppliers' second quarter is untouched.
    let sv1 = row(&rows, "dane-valley-civils", "SV1 |");
    assert_eq!(sv1.cumulative, Some(3.0));
    assert!(sv1.corrected.is_empty());
}

#[test]
fn a_return_file_that_changed_is_a_correction_of_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    ingest(&index, &repo().join("fixtures/demo"), None).unwrap();
    let batch = tmp.path().join("q2/cobalt-lane-digital");
    std::fs::create_dir_all(&batch).unwrap();
    let sheet = batch.join("kpi.xlsx");
    std::fs::copy(
        returns("2027-Q2").join("cobalt-lane-digital/kpi-return.xlsx"),
        &sheet,
    )
    .unwrap();
    ingest(&index, &tmp.path().join("q2"), Some("2027-Q2")).unwrap();
    std::fs::copy(
        repo().join("fixtures/returns/corrections/2027-Q2/cobalt-lane-digital/kpi-return.xlsx"),
        &sheet,
    )
    .unwrap();
    let rec = ingest(&index, &tmp.path().join("q2"), Some("2027-Q2")).unwrap();
    assert_eq!(rec.changed, 1);
    assert_eq!(rec.corrections.len(), 1, "{:?}", rec.corrections);
    let rows = ledger_rows(&index);
    let c5 = row(&rows, "cobalt-lane-digital", "C5 |");
    assert_eq!(delivered(c5), [("2027-Q2".into(), 9.0)]);
    assert!(
        c5.corrected.iter().any(|c| c.contains("was corrected")),
        "{:?}",
        c5.corrected
    );
}

#[test]
fn an_unknown_supplier_is_a_warning_and_a_known_one_matches_in_any_spelling() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    ingest(&index, &repo().join("fixtures/demo"), None).unwrap();
    let batch = tmp.path().join("returns");
    for folder in ["Cobalt Lane Digital", "acme-widgets"] {
        std::fs::create_dir_all(batch.join(folder)).unwrap();
        std::fs::copy(
            returns("2027-Q2").join("cobalt-lane-digital/kpi-return.xlsx"),
            batch.join(folder).join("kpi.xlsx"),
        )
        .unwrap();
    }
    let rec = ingest(&index, &batch, Some("2027-Q2")).unwrap();
    assert_eq!(rec.warnings.len(), 1, "{:?}", rec.warnings);
    assert!(
        rec.warnings[0].contains("\"acme-widgets\""),
        "{:?}",
        rec.warnings
    );
    let names: Vec<&String> = rec.suppliers.keys().collect();
    assert_eq!(names, ["acme-widgets", "cobalt-lane-digital"]);
}

#[test]
fn returns_before_any_tender_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let e = ingest(
        &tmp.path().join("index"),
        &returns("2027-Q1"),
        Some("2027-Q1"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("no tender batch"), "{e}");
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tenderscope"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_command_line_says_what_is_wrong_with_a_stage_or_period() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    let index = index.to_str().unwrap();
    let root = returns("2027-Q1");
    let root = root.to_str().unwrap();
    for (args, want) in [
        (
            vec!["--stage", "delivery", "--period", "2027-Q5"],
            "invalid value '2027-Q5' for '--period <PERIOD>'",
        ),
        (
            vec!["--stage", "delivery"],
            "--stage delivery needs --period",
        ),
        (
            vec!["--period", "2027-Q1"],
            "--period 2027-Q1: a period is for monitoring returns",
        ),
        (
            vec!["--stage", "award"],
            "invalid value 'award' for '--stage <STAGE>'",
        ),
    ] {
        let mut all = vec!["ingest", root, "--index", index, "--in-process"];
        all.extend(args);
        let out = cli(&all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{all:?}: {err}");
        assert!(err.contains(want), "{all:?}: {err}");
    }
    assert!(!Path::new(index).join("tantivy").exists());
    let out = cli(&["ledger", "--index", index, "--as-of", "2027-6"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a month: write YYYY-MM"));
}

#[test]
fn the_ledger_json_has_the_documented_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let index = demo_index(tmp.path());
    let out = cli(&[
        "ledger",
        "--index",
        index.to_str().unwrap(),
        "--json",
        "--supplier",
        "Dane Valley Civils",
    ]);
    assert!(out.status.success(), "{out:?}");
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(r["supplier"], "dane-valley-civils");
        for key in [
            "supplier",
            "commitment",
            "status",
            "target",
            "cumulative",
            "delivered",
            "evidence",
            "unmatched",
            "link",
            "expected",
        ] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
    }
    let sv1 = rows
        .iter()
        .find(|r| {
            r["commitment"]
                .as_str()
                .is_some_and(|c| c.starts_with("SV1 |"))
        })
        .unwrap();
    assert_eq!(sv1["status"], "on_track");
    assert_eq!(sv1["target"]["type"], "total");
    assert_eq!(sv1["target"]["due"], "2029-03");
    assert_eq!(sv1["delivered"][0]["period"], "2027-Q1");
    let e = &sv1["evidence"][0];
    for key in ["file", "page", "quote", "passage", "reason"] {
        assert!(e.get(key).is_some(), "{key} missing in {e}");
    }
    // The scorecard's HTML has the ledger section, its JSON the rows; the scorecard itself
    // still counts the tender's files only.
    let html = tmp.path().join("report.html");
    let out = cli(&[
        "report",
        "--index",
        index.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let html = std::fs::read_to_string(html).unwrap();
    let at = html.find("id=\"ledger\"").expect("a ledger section");
    let section = &html[at..];
    assert!(section.contains("<td>cobalt-lane-digital</td><td>behind</td>"));
    assert!(section.contains("<td>unmatched</td>"));
    // Commitments with figures get a chart: the target dashed, the running total a line, and
    // every number in its title.
    let chart = &section[section.find("<svg class=\"chart\"").expect("a chart")..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    assert!(chart.contains("<line class=\"target\""), "{chart}");
    assert!(chart.contains("<polyline class=\"delivered\""), "{chart}");
    assert!(chart.contains("<title>target "), "{chart}");
    // Markdown and DOCX carry the same section, the chart written out by period.
    let out = cli(&[
        "report",
        "--index",
        index.to_str().unwrap(),
        "--format",
        "md",
    ]);
    let md = String::from_utf8_lossy(&out.stdout);
    let at = md
        .find("## Commitments against delivery")
        .expect("a ledger section");
    assert!(
        md[at..].contains("| cobalt-lane-digital | behind |"),
        "{}",
        &md[at..]
    );
    assert!(md[at..].contains(" of "), "over time, against the target");
    let docx = tmp.path().join("report.docx");
    let out = cli(&[
        "report",
        "--index",
        index.to_str().unwrap(),
        "--format",
        "docx",
        "-o",
        docx.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let doc = tenderscope::extract::extract_file(&docx, &tenderscope::Limits::default())
        .expect("our own DOCX reader reads the report");
    let text = doc.text();
    let at = text
        .find("Commitments against delivery")
        .expect("a ledger section in the DOCX");
    assert!(
        text[at..].contains("cobalt-lane-digital"),
        "{}",
        &text[at..]
    );
    assert!(text[at..].contains("unmatched"));
    assert!(
        html.contains("<a href=\"#summary\">17</a></b><span>files read"),
        "only the tender's files"
    );
    let out = cli(&[
        "report",
        "--index",
        index.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["ledger"].as_array().is_some_and(|l| !l.is_empty()));
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["origin"].as_str().unwrap_or("").contains("/returns/")));
    let csv = cli(&["ledger", "--index", index.to_str().unwrap(), "--csv"]);
    let text = String::from_utf8_lossy(&csv.stdout);
    assert!(
        text.starts_with("tender,supplier,status,unmatched,commitment"),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.contains(",true,")),
        "unmatched rows in the CSV"
    );
}

/// The labelled returns (`fixtures/ledger-labelled/`): figures written by the team in the
/// suppliers' own shorthand, each labelled with the promise it answers or none.
#[derive(serde::Deserialize)]
struct Labels {
    promise: Vec<LabelledPromise>,
    figure: Vec<LabelledFigure>,
}

#[derive(serde::Deserialize)]
struct LabelledPromise {
    id: String,
    supplier: String,
    keys: Vec<String>,
}

#[derive(serde::Deserialize)]
struct LabelledFigure {
    period: String,
    supplier: String,
    text: String,
    answers: String,
}

/// Link precision and recall on the labelled returns. A link is a (figure, ledger row) pair:
/// right when the row states the promise the figure answers. Recall counts the figures that
/// answer a promise and reach at least one of its rows. Run with `--nocapture` for the
/// figures and every wrong or missing link.
#[test]
fn labelled_returns_link_precision_and_recall() {
    let dir = repo().join("fixtures/ledger-labelled");
    let labels: Labels =
        toml::from_str(&std::fs::read_to_string(dir.join("labels.toml")).unwrap()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let index = demo_index(tmp.path());
    let mut periods: Vec<&str> = labels.figure.iter().map(|f| f.period.as_str()).collect();
    periods.sort();
    periods.dedup();
    for p in &periods {
        let rec = ingest(&index, &dir.join("returns").join(p), Some(p)).unwrap();
        assert_eq!(rec.failed, 0, "{:?}", rec.failures);
    }
    let rows = ledger_rows(&index);
    let promise = |id: &str| labels.promise.iter().find(|p| p.id == id);
    for f in &labels.figure {
        assert!(
            f.answers == "none" || promise(&f.answers).is_some_and(|p| p.supplier == f.supplier),
            "{}: unknown promise {}",
            f.text,
            f.answers
        );
    }
    let mut links: Vec<(usize, usize)> = Vec::new();
    let mut reasons: std::collections::HashMap<(usize, usize), String> = Default::default();
    let mut unlabelled = Vec::new();
    for (ri, r) in rows.iter().enumerate() {
        for e in &r.evidence {
            let period = e.period.to_string();
            if !periods.contains(&period.as_str()) {
                continue;
            }
            match labels.figure.iter().position(|f| {
                f.supplier == r.supplier && f.period == period && e.quote.contains(&f.text)
            }) {
                Some(fi) if !r.unmatched => {
                    links.push((fi, ri));
                    reasons.insert((fi, ri), e.reason.clone().unwrap_or_default());
                }
                Some(_) => {}
                None => unlabelled.push(format!("{period} {}: {}", r.supplier, e.quote)),
            }
        }
    }
    links.sort();
    links.dedup();
    let right = |&(fi, ri): &(usize, usize)| {
        let f = &labels.figure[fi];
        promise(&f.answers).is_some_and(|p| {
            rows[ri]
                .commitment
                .as_deref()
                .is_some_and(|c| p.keys.iter().any(|k| c.contains(k.as_str())))
        })
    };
    let correct = links.iter().filter(|l| right(l)).count();
    let answering: Vec<usize> = (0..labels.figure.len())
        .filter(|&fi| labels.figure[fi].answers != "none")
        .collect();
    let found = answering
        .iter()
        .filter(|&&fi| links.iter().any(|l| l.0 == fi && right(l)))
        .count();
    let precision = correct as f64 / links.len().max(1) as f64;
    let recall = found as f64 / answering.len().max(1) as f64;
    println!(
        "{} labelled figures ({} answer a promise): link precision {precision:.3} ({correct}/{}), \
         recall {recall:.3} ({found}/{})",
        labels.figure.len(),
        answering.len(),
        links.len(),
        answering.len()
    );
    for p in &periods {
        let of = |fi: usize| labels.figure[fi].period == *p;
        let linked: Vec<&(usize, usize)> = links.iter().filter(|l| of(l.0)).collect();
        let ok = linked.iter().filter(|l| right(l)).count();
        let want: Vec<usize> = answering.iter().copied().filter(|&fi| of(fi)).collect();
        let got = want
            .iter()
            .filter(|&&fi| links.iter().any(|l| l.0 == fi && right(l)))
            .count();
        println!(
            "  {p}: precision {:.3} ({ok}/{}), recall {:.3} ({got}/{})",
            ok as f64 / linked.len().max(1) as f64,
            linked.len(),
            got as f64 / want.len().max(1) as f64,
            want.len()
        );
    }
    for l in links.iter().filter(|l| !right(l)) {
        let f = &labels.figure[l.0];
        let c = rows[l.1].commitment.as_deref().unwrap_or("");
        println!("  wrong link: {:?} ({}) -> {:.70}", f.text, f.answers, c);
        println!("    because: {}", reasons.get(l).map_or("", String::as_str));
    }
    for &fi in &answering {
        if !links.iter().any(|l| l.0 == fi && right(l)) {
            let f = &labels.figure[fi];
            println!("  missed: {:?} ({})", f.text, f.answers);
        }
    }
    for u in &unlabelled {
        println!("  figure of no labelled statement: {u:.100}");
    }
    // Floors a little under today's figures over all 141 figures (0.913 and 0.941; the README
    // has them by quarter, in-sample and held-out). The goals are 0.90 and 0.85.
    assert!(
        precision >= FLOOR_PRECISION,
        "link precision {precision:.3}"
    );
    assert!(recall >= FLOOR_RECALL, "link recall {recall:.3}");
}

const FLOOR_PRECISION: f64 = 0.88;
const FLOOR_RECALL: f64 = 0.90;

/// A KPI sheet with one row per quarter (`fixtures/ledger-layouts`): only the row of the
/// return's own quarter is this period's delivery; the earlier rows were reported in their own
/// returns and are not taken again.
#[test]
fn a_sheet_of_quarters_by_row_gives_only_the_returns_own_quarter() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    let rec = ingest(&index, &repo().join("fixtures/demo"), None).unwrap();
    assert_eq!(rec.failed, 0, "{:?}", rec.failures);
    let root = repo().join("fixtures/ledger-layouts/returns/2028-Q3");
    let rec = ingest(&index, &root, Some("2028-Q3")).unwrap();
    assert_eq!(rec.failed, 0, "{:?}", rec.failures);
    let rows = ledger_rows(&index);
    for (start, want) in [
        ("SV1 |", 0.0),
        ("SV4 |", 36.0),
        ("SV5 |", 12.0),
        ("SV8 |", 98.0),
    ] {
        let r = row(&rows, "dane-valley-civils", start);
        assert_eq!(delivered(r), vec![("2028-Q3".to_string(), want)], "{start}");
    }
}
