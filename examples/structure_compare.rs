//! Measures how close the structure tenderscope extracts from each PDF in a folder is to the
//! structure it extracts from the DOCX the PDF was exported from (`NAME.docx` beside
//! `NAME.pdf`): table cells in the right row and column, list items with the right lead-in,
//! headings split from their text, and passages with the same text. The measures are described
//! in `tests/support/structure.rs`, which `tests/pdf_structure.rs` shares.
//!
//! ```text
//! cargo run --release --example structure_compare [-- [DIR] [--json] [--verbose]]
//! ```
//!
//! `DIR` defaults to `fixtures/structure`. `--json` prints the figures as JSON instead of a
//! table; `--verbose` adds every miss (the DOCX item and the nearest thing in the PDF). The exit
//! status is 0 whatever the figures are; 1 only when the folder cannot be read, 2 on bad usage.

#[path = "../tests/support/structure.rs"]
mod structure;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut dir = PathBuf::from("fixtures/structure");
    let mut json = false;
    let mut verbose = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json = true,
            "--verbose" | "-v" => verbose = true,
            "--help" | "-h" => {
                println!("usage: structure_compare [DIR] [--json] [--verbose]");
                return ExitCode::SUCCESS;
            }
            a if a.starts_with('-') => {
                eprintln!("structure_compare: unknown option {a}");
                return ExitCode::from(2);
            }
            a => dir = PathBuf::from(a),
        }
    }
    let reports = match structure::compare_dir(&dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("structure_compare: cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    if reports.is_empty() {
        eprintln!(
            "structure_compare: no NAME.docx with a NAME.pdf beside it in {}",
            dir.display()
        );
    }
    if json {
        println!("{:#}", structure::render_json(&reports));
    } else {
        print!("{}", structure::render_table(&reports));
    }
    if verbose {
        print!("{}", structure::render_misses(&reports));
    }
    ExitCode::SUCCESS
}
