//! PDF structure against DOCX structure: each PDF in `fixtures/structure` was exported by
//! LibreOffice from the DOCX beside it, so the PDF should extract to the same tables, lists and
//! headings as the DOCX does. The measures are described in `support/structure.rs` (shared with
//! `examples/structure_compare.rs`, which prints the same figures with every miss).
//!
//! The goals: at least 98% of table cells in the right row and column, at least 98% of list
//! items with the right lead-in, and every heading split from its text. Each test prints the
//! per-file figures (`cargo test --test pdf_structure -- --nocapture`) and, when it fails, the
//! misses of its measure.

#[path = "support/structure.rs"]
mod structure;

use std::path::{Path, PathBuf};

use structure::{Measure, Report, Score};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/structure")
}

/// The fixtures the README lists: each must be there as a DOCX/PDF pair.
const FIXTURES: &[&str] = &[
    "bullets_nested",
    "bullets_symbol",
    "headings_bold",
    "table_borders",
    "table_merged",
    "table_no_borders",
    "table_page_break",
    "two_columns",
];

/// How many misses a failing test lists.
const MAX_MISSES_SHOWN: usize = 30;

fn reports() -> Vec<Report> {
    let reports = structure::compare_dir(&dir()).expect("read fixtures/structure");
    let names: Vec<&str> = reports.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, FIXTURES, "DOCX/PDF pairs in fixtures/structure");
    print!("{}", structure::render_table(&reports));
    let errors: Vec<String> = reports.iter().filter_map(|r| r.error.clone()).collect();
    assert!(errors.is_empty(), "extraction failed: {errors:#?}");
    reports
}

/// Fails with the figure and the misses of `measure` when `score` is below `goal`.
fn check(reports: &[Report], measure: Measure, what: &str, goal: f64) {
    let mut score = Score::default();
    for r in reports {
        score.merge(match measure {
            Measure::Cell => r.cells,
            Measure::ListItem => r.list_items,
            Measure::Heading => r.headings,
            Measure::Passage => r.passages,
        });
    }
    println!(
        "{what}: {}/{} ({:.1}%), goal {:.0}%",
        score.matched,
        score.total,
        100.0 * score.ratio(),
        100.0 * goal
    );
    assert!(score.total > 0, "{what}: the fixtures have none");
    if score.ratio() < goal {
        let misses: Vec<String> = reports
            .iter()
            .flat_map(|r| {
                r.misses
                    .iter()
                    .filter(|m| m.measure == measure)
                    .map(move |m| format!("  {}: DOCX {}\n      PDF  {}\n", r.name, m.docx, m.pdf))
            })
            .collect();
        let shown: String = misses
            .iter()
            .take(MAX_MISSES_SHOWN)
            .map(String::as_str)
            .collect();
        let more = match misses.len().saturating_sub(MAX_MISSES_SHOWN) {
            0 => String::new(),
            n => format!(
                "  ... and {n} more: cargo run --release --example structure_compare -- --verbose\n"
            ),
        };
        panic!(
            "{what}: {}/{} ({:.1}%) is below the goal of {:.0}%. Misses:\n{shown}{more}",
            score.matched,
            score.total,
            100.0 * score.ratio(),
            100.0 * goal
        );
    }
}

#[test]
fn table_cells_are_in_the_right_row_and_column() {
    check(
        &reports(),
        Measure::Cell,
        "table cells in the right row and column",
        0.98,
    );
}

#[test]
fn list_items_have_the_right_lead_in() {
    check(
        &reports(),
        Measure::ListItem,
        "list items with the right text and lead-in",
        0.98,
    );
}

#[test]
fn every_heading_is_split_from_its_text() {
    check(
        &reports(),
        Measure::Heading,
        "headings found and split from their text",
        1.0,
    );
}

/// The comparison itself: each DOCX against itself scores 100% on every measure, and each
/// fixture has the structure it is there for.
#[test]
fn each_docx_matches_itself_and_has_its_feature() {
    use tenderscope::extract::extract_file;
    use tenderscope::Limits;
    for name in FIXTURES {
        let path = dir().join(format!("{name}.docx"));
        let doc = extract_file(&path, &Limits::default()).expect("extract DOCX");
        let r = structure::compare(name, &doc, &doc);
        for (what, s) in [
            ("cells", r.cells),
            ("list items", r.list_items),
            ("headings", r.headings),
            ("passages", r.passages),
        ] {
            assert_eq!(s.matched, s.total, "{name}: {what} against itself");
        }
        let feature = if name.starts_with("table_") {
            r.cells.total
        } else if name.starts_with("bullets_") {
            r.list_items.total
        } else {
            r.headings.total
        };
        assert!(feature > 0, "{name}: the DOCX has none of its feature");
    }
}
