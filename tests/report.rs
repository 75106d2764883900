//! `report`: the scorecard of a small fixture tender (template text copied between suppliers,
//! supplier text with HTML and script) and of the demo batch, in every format: cells, totals,
//! unanswered principles, near-duplicates, evidence links, escaping, determinism, and the
//! command line.

mod support;

use std::collections::HashSet;
use std::process::Command;

use tenderscope::classify::StatementKind;
use tenderscope::index::Store;
use tenderscope::report::{self, Category, Format, Level, Options, Report};

use support::{shared_fixture, HOSTILE_SUPPLIER, TEMPLATE_A, TEMPLATE_B};

fn gather(index: &std::path::Path, opts: &Options) -> Report {
    let store = Store::open(index).unwrap();
    let reader = store.reader().unwrap();
    report::gather(&store, &reader.searcher(), &support::rules(), opts).unwrap()
}

fn fixture_report() -> Report {
    gather(&shared_fixture().index, &Options::default())
}

fn supplier<'a>(r: &'a Report, name: &str) -> &'a report::SupplierReport {
    r.suppliers
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no supplier {name}"))
}

#[test]
fn cells_count_kinds_and_keep_the_best_evidence_first() {
    let r = fixture_report();
    assert_eq!(r.tenders, vec!["fixture"]);
    assert_eq!(r.framework.id, "cheshire-east");
    assert!(!r.framework.reclassified);
    assert_eq!(r.principles.len(), 14);
    let names: Vec<&str> = r.suppliers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["acme-build", "bolt-civils", HOSTILE_SUPPLIER]);
    let acme = supplier(&r, "acme-build");
    assert_eq!(acme.cells.len(), 14);
    let ce9 = acme.cells.iter().find(|c| c.principle == "CE9").unwrap();
    assert!(ce9.counts.commitments >= 1, "{ce9:?}");
    assert!(
        matches!(ce9.level, Level::Specific | Level::Smart),
        "{ce9:?}"
    );
    let best = r.finding(ce9.best.as_deref().unwrap()).unwrap();
    assert_eq!(best.kind, StatementKind::Commitment);
    assert!(best.text.contains("6 apprentices"), "{}", best.text);
    assert_eq!(best.file, "social-value-plan.docx");
    assert_eq!(best.page, 1);
    assert_eq!(best.sha256.len(), 64);
    // The id names this copy of the file (its origin and content).
    let copy = tenderscope::passage::copy_key(&best.origin, &best.sha256);
    assert!(best.id.starts_with(&format!("{copy}:")), "{}", best.id);
    // Best first: no later finding in the cell outranks it.
    for key in &ce9.findings {
        let f = r.finding(key).unwrap();
        assert!(f.principles.iter().any(|p| p == "CE9"));
        if f.kind == StatementKind::Commitment {
            assert!(f.score <= best.score);
        }
    }
    // Track record counts, but is not a commitment.
    assert!(acme.counts.track_record >= 1, "{:?}", acme.counts);
    // Bolt's only carbon passage is an aspiration.
    let bolt = supplier(&r, "bolt-civils");
    let aspirations: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.supplier == "bolt-civils" && f.kind == StatementKind::Aspiration)
        .collect();
    assert_eq!(aspirations.len(), 1, "{aspirations:?}");
    assert!(aspirations[0].text.contains("carbon"));
    assert_eq!(bolt.counts.aspirations, 1);
}

#[test]
fn unanswered_principles_are_the_empty_cells() {
    let r = fixture_report();
    for s in &r.suppliers {
        let empty: Vec<&str> = s
            .cells
            .iter()
            .filter(|c| c.counts.commitments + c.counts.aspirations + c.counts.track_record == 0)
            .map(|c| c.principle.as_str())
            .collect();
        assert_eq!(s.unanswered, empty, "{}", s.name);
        assert!(!s.unanswered.is_empty(), "{} answers everything?", s.name);
    }
    let hostile = supplier(&r, HOSTILE_SUPPLIER);
    assert!(!hostile.unanswered.contains(&"CE6".to_string()));
    assert!(!hostile.unanswered.contains(&"CE4".to_string()));
    assert!(hostile.unanswered.contains(&"CE9".to_string()));
}

#[test]
fn totals_add_figures_of_commitments_with_their_evidence() {
    let r = fixture_report();
    let total = |s: &str, c: Category| -> Vec<(String, f64)> {
        supplier(&r, s)
            .totals
            .iter()
            .filter(|t| t.category == c)
            .map(|t| (t.unit.clone(), t.value))
            .collect()
    };
    assert_eq!(
        total("acme-build", Category::Apprenticeships),
        vec![("apprentices".to_string(), 6.0)]
    );
    assert_eq!(
        total("acme-build", Category::Hours),
        vec![("hours".to_string(), 200.0)]
    );
    assert_eq!(
        total("bolt-civils", Category::LocalSpend),
        vec![("GBP/year".to_string(), 250_000.0)]
    );
    // The track record "14 local charities" and the aspiration add nothing.
    assert!(total("bolt-civils", Category::Carbon).is_empty());
    for s in &r.suppliers {
        for t in &s.totals {
            assert!(!t.evidence.is_empty());
            for key in &t.evidence {
                let f = r.finding(key).unwrap();
                assert_eq!(f.kind, StatementKind::Commitment);
                assert_eq!(f.supplier, s.name);
            }
        }
    }
}

#[test]
fn template_text_of_two_suppliers_is_flagged_and_own_text_is_not() {
    let r = fixture_report();
    assert_eq!(r.duplicates.len(), 1, "{:?}", r.duplicates);
    let g = &r.duplicates[0];
    assert_eq!(g.suppliers, vec!["acme-build", "bolt-civils"]);
    assert!(
        g.similarity >= 0.5 && g.similarity < 1.0,
        "{}",
        g.similarity
    );
    let texts: Vec<&str> = g
        .members
        .iter()
        .map(|k| r.finding(k).unwrap().text.as_str())
        .collect();
    assert!(
        texts.contains(&TEMPLATE_A) && texts.contains(&TEMPLATE_B),
        "{texts:?}"
    );
    let flagged: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.duplicate_group.is_some())
        .collect();
    assert_eq!(flagged.len(), 2);
    assert_eq!(supplier(&r, "acme-build").flagged, 1);
    assert_eq!(supplier(&r, HOSTILE_SUPPLIER).flagged, 0);
}

/// Every `href="#x"` of an HTML page has an element with `id="x"`.
fn check_anchors(html: &str) -> usize {
    let ids: HashSet<&str> = html
        .split("id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let mut links = 0;
    for part in html.split("href=\"#").skip(1) {
        let target = part.split('"').next().unwrap();
        assert!(ids.contains(target), "link to #{target} has no target");
        links += 1;
    }
    links
}

#[test]
fn html_is_one_self_contained_file_whose_numbers_link_to_evidence() {
    let r = fixture_report();
    let html = String::from_utf8(report::render(&r, Format::Html).unwrap()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for banned in [
        "<script", "<link", "src=", "http://", "https://", "@import", "url(",
    ] {
        assert!(!html.contains(banned), "the page holds {banned}");
    }
    assert!(html.contains("<style>"));
    let links = check_anchors(&html);
    assert!(links > 20, "{links} links");
    // Each heatmap cell with findings and each total links into the page.
    for (si, s) in r.suppliers.iter().enumerate() {
        for c in &s.cells {
            if c.level != Level::Unanswered {
                assert!(html.contains(&format!("href=\"#s{si}-{}\"", c.principle)));
            }
        }
        for t in &s.totals {
            assert!(html.contains(&format!("href=\"#s{si}-t-{}\"", t.category.as_str())));
        }
    }
    // Every finding has its anchor, with its citation.
    for f in &r.findings {
        let anchor = report::numbers::finding_anchor(&f.key);
        assert!(html.contains(&format!("id=\"{anchor}\"")));
    }
    // A legend for the heatmap colours.
    for l in Level::ALL {
        assert!(html.contains(&format!("<i class=\"l-{}\"></i>", l.as_str())));
    }
}

#[test]
fn supplier_text_and_names_are_escaped_in_html_and_markdown() {
    let r = fixture_report();
    let html = String::from_utf8(report::render(&r, Format::Html).unwrap()).unwrap();
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<b onclick"));
    assert!(html.contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"));
    assert!(html.contains("o&#39;brien &amp; &quot;sons&quot; &lt;ltd&gt;"));
    assert!(!html.contains(HOSTILE_SUPPLIER));
    let md = String::from_utf8(report::render(&r, Format::Md).unwrap()).unwrap();
    assert!(!md.contains("<script>"));
    assert!(!md.contains("<ltd>"));
    assert!(md.contains("&lt;script&gt;"));
}

#[test]
fn csv_has_one_row_per_finding_with_its_citation() {
    let r = fixture_report();
    let bytes = report::render(&r, Format::Csv).unwrap();
    let mut rd = csv::Reader::from_reader(bytes.as_slice());
    let headers = rd.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), r.findings.len());
    for (row, f) in rows.iter().zip(&r.findings) {
        assert_eq!(&row[col("passage_id")], f.id);
        assert_eq!(&row[col("page")], f.page.to_string());
        assert_eq!(&row[col("file")], f.file);
        assert_eq!(&row[col("kind")], f.kind.as_str());
    }
    let apprentices: Vec<&str> = rows
        .iter()
        .map(|r| &r[col("apprenticeships")])
        .filter(|v| !v.is_empty())
        .collect();
    assert_eq!(apprentices, vec!["6 apprentices"]);
    let dup: Vec<&str> = rows
        .iter()
        .map(|r| &r[col("duplicate_group")])
        .filter(|v| !v.is_empty())
        .collect();
    assert_eq!(dup, vec!["1", "1"]);
}

#[test]
fn json_is_the_report_itself() {
    let r = fixture_report();
    let bytes = report::render(&r, Format::Json).unwrap();
    let back: Report = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(back.findings.len(), r.findings.len());
    assert_eq!(back.suppliers.len(), r.suppliers.len());
    assert_eq!(
        serde_json::to_value(&back).unwrap(),
        serde_json::to_value(&r).unwrap()
    );
}

#[test]
fn docx_reads_back_with_headings_tables_and_citations() {
    let r = fixture_report();
    let bytes = report::render(&r, Format::Docx).unwrap();
    let doc = tenderscope::extract::extract_bytes(&bytes, &tenderscope::Limits::default())
        .expect("our own DOCX reader reads the report");
    let text = doc.text();
    assert!(text.contains("Social value scorecard: fixture"), "{text}");
    assert!(text.contains("Supplier by principle"));
    assert!(text.contains("Unanswered principles"));
    assert!(text.contains("Near-duplicate commitments across suppliers"));
    assert!(text.contains(HOSTILE_SUPPLIER));
    assert!(text.contains("<script>alert('pwned')</script>"));
    let best = r
        .findings
        .iter()
        .find(|f| f.text.contains("6 apprentices"))
        .unwrap();
    assert!(text.contains(&format!("{}; ", best.citation())));
    assert!(text.contains(&best.id));
    let headings = doc
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, tenderscope::BlockKind::Heading { .. }))
        .count();
    assert!(headings >= 5, "{headings} headings");
    assert!(doc
        .blocks
        .iter()
        .any(|b| matches!(b.kind, tenderscope::BlockKind::TableCell { .. })));
}

#[test]
fn the_same_index_gives_the_same_bytes_in_every_format() {
    let index = &shared_fixture().index;
    let a = gather(index, &Options::default());
    let b = gather(index, &Options::default());
    for format in Format::ALL {
        let x = report::render(&a, format).unwrap();
        let y = report::render(&b, format).unwrap();
        assert!(x == y, "{} differs between two runs", format.as_str());
        assert!(!x.is_empty());
    }
}

#[test]
fn another_framework_reclassifies_the_passages() {
    let r = gather(
        &shared_fixture().index,
        &Options {
            framework: Some("marmot".into()),
            ..Options::default()
        },
    );
    assert_eq!(r.framework.id, "marmot");
    assert!(r.framework.reclassified);
    let ids: Vec<&str> = r.principles.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec!["M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8"]);
    assert!(r
        .findings
        .iter()
        .all(|f| f.principles.iter().all(|p| p.starts_with('M'))));
    let acme = supplier(&r, "acme-build");
    let m3 = acme.cells.iter().find(|c| c.principle == "M3").unwrap();
    assert!(m3.counts.commitments >= 1, "{m3:?}");
    let bad = {
        let store = Store::open(&shared_fixture().index).unwrap();
        let reader = store.reader().unwrap();
        report::gather(
            &store,
            &reader.searcher(),
            &support::rules(),
            &Options {
                framework: Some("nope".into()),
                ..Options::default()
            },
        )
    };
    let message = bad.err().unwrap().to_string();
    assert!(message.contains("unknown framework `nope`"), "{message}");
}

#[test]
fn a_tender_filter_keeps_only_that_tender() {
    let f = support::fresh_fixture();
    // A second tender in the same index.
    let other = f.dir.path().join("other");
    std::fs::create_dir_all(other.join("zeta-ltd")).unwrap();
    std::fs::copy(
        f.batch.join("acme-build").join("social-value-plan.docx"),
        other.join("zeta-ltd").join("plan.docx"),
    )
    .unwrap();
    support::ingest(std::slice::from_ref(&other), &f.index, "other");
    let all = gather(&f.index, &Options::default());
    assert_eq!(all.tenders, vec!["fixture", "other"]);
    // The same text in another tender is not a near-duplicate of this one's.
    assert_eq!(all.duplicates.len(), 1);
    let only = gather(
        &f.index,
        &Options {
            tender: Some("other".into()),
            ..Options::default()
        },
    );
    assert_eq!(only.tenders, vec!["other"]);
    let names: Vec<&str> = only.suppliers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["zeta-ltd"]);
    // Same file content as acme's: same passage ids, each a finding of its own origin.
    assert!(only.findings.iter().all(|f| f.supplier == "zeta-ltd"));
}

#[test]
fn demo_batch_scorecard_covers_every_supplier_and_links_resolve() {
    let r = gather(support::demo_index(), &Options::default());
    assert_eq!(r.suppliers.len(), 6);
    assert_eq!(r.provenance.files, 17);
    let dane = supplier(&r, "dane-valley-civils");
    let apprentices: f64 = dane
        .totals
        .iter()
        .filter(|t| t.category == Category::Apprenticeships)
        .map(|t| t.value)
        .sum();
    assert_eq!(apprentices, 8.0, "{:?}", dane.totals);
    // Northgate's answer is the thinnest (see fixtures/README.md).
    let northgate = supplier(&r, "northgate-lining");
    assert!(r
        .suppliers
        .iter()
        .all(|s| s.unanswered.len() <= northgate.unanswered.len()));
    let html = String::from_utf8(report::render(&r, Format::Html).unwrap()).unwrap();
    check_anchors(&html);
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tenderscope"))
}

#[test]
fn command_line_writes_each_format_and_refuses_an_unknown_tender() {
    let f = shared_fixture();
    let out_dir = tempfile::tempdir().unwrap();
    for format in ["md", "html", "csv", "json", "docx"] {
        let path = out_dir.path().join(format!("scorecard.{format}"));
        let out = bin()
            .args(["report", "--format", format, "--index"])
            .arg(&f.index)
            .arg("-o")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&path).unwrap();
        let expected = report::render(&fixture_report(), Format::parse(format).unwrap()).unwrap();
        assert!(
            bytes == expected,
            "{format}: CLI output differs from the library's"
        );
    }
    let out = bin()
        .args(["report", "--tender", "no-such-tender", "--index"])
        .arg(&f.index)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown tender `no-such-tender`"));
    // A format or framework id is parsed where it is typed: a bad one is exit 2, naming the
    // choices or the id syntax, before the index is opened.
    for (args, want) in [
        (
            ["--format", "pdf"],
            "unknown format `pdf` (one of md, html, csv, json, docx)",
        ),
        (
            ["--framework", "cheshire east"],
            "`cheshire east` is not an id",
        ),
    ] {
        let out = bin()
            .arg("report")
            .args(args)
            .args(["--index", "/nonexistent/index"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    // Format names are read in any case.
    assert_eq!(Format::parse("HTML"), Ok(Format::Html));
}

/// `report` without `--tender` used to mix every tender of the index into one scorecard
/// (issue 12). Now it reports on the tender ingested last and says so; `--tender` names
/// another (in any case), and an unknown one is exit 2 with a suggestion.
#[test]
fn report_takes_one_tender_at_a_time_and_says_which() {
    let f = support::fresh_fixture();
    let other = f.dir.path().join("other");
    std::fs::create_dir_all(other.join("zeta-ltd")).unwrap();
    std::fs::copy(
        f.batch.join("acme-build").join("social-value-plan.docx"),
        other.join("zeta-ltd").join("plan.docx"),
    )
    .unwrap();
    // Ingest times are in seconds: the second tender is the later one.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    support::ingest(std::slice::from_ref(&other), &f.index, "other");
    let report = |extra: &[&str]| {
        bin()
            .args(["report", "--format", "json", "--index"])
            .arg(&f.index)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = report(&[]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["tenders"], serde_json::json!(["other"]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("report on tender `other`, the latest ingested; the index also holds fixture"),
        "{err}"
    );
    let out = report(&["--tender", "FIXTURE"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["tenders"], serde_json::json!(["fixture"]));
    assert_eq!(json["suppliers"].as_array().unwrap().len(), 3);
    let out = report(&["--tender", "fixtur"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("unknown tender `fixtur`: did you mean fixture?"));
}
