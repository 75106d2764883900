//! How the tables of public PDFs come out: for each PDF of `../shared/corpus/pdf` whose name
//! starts with one of the given prefixes (default: the kreuzberg, docling and unstructured
//! test files, which hold most of the corpus's tables), the tables found, their rows and
//! cells, and with `--show N` the first N rows of each table as passages would read them.
//!
//! ```text
//! cargo run --release --example pdf_tables -- [--corpus DIR] [--show N] [PREFIX...]
//! ```
//! It judges nothing (the corpus has no table truth); it is there to be read.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tenderscope::document::BlockKind;
use tenderscope::extract::extract_file;
use tenderscope::Limits;

fn main() {
    let mut corpus = PathBuf::from("../shared/corpus/pdf");
    let mut show = 0usize;
    let mut prefixes: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--corpus" => corpus = args.next().map(PathBuf::from).unwrap_or(corpus),
            "--show" => show = args.next().and_then(|n| n.parse().ok()).unwrap_or(3),
            _ => prefixes.push(a),
        }
    }
    if prefixes.is_empty() {
        prefixes = ["kreuzberg", "docling", "unstructured"]
            .map(String::from)
            .to_vec();
    }
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&corpus) {
        Ok(dir) => dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                name.ends_with(".pdf") && prefixes.iter().any(|x| name.starts_with(x.as_str()))
            })
            .collect(),
        Err(e) => {
            eprintln!("pdf_tables: {}: {e}", corpus.display());
            std::process::exit(2);
        }
    };
    files.sort();
    let limits = Limits::default();
    let (mut with_tables, mut all_tables, mut all_cells) = (0usize, 0usize, 0usize);
    println!(
        "{:<72} {:>5} {:>6} {:>5} {:>6}",
        "file", "pages", "tables", "rows", "cells"
    );
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let doc = match extract_file(path, &limits) {
            Ok(d) => d,
            Err(e) => {
                println!("{name:<72} failed: {e}");
                continue;
            }
        };
        // table → row → cells in order.
        let mut tables: BTreeMap<u32, BTreeMap<u32, Vec<String>>> = BTreeMap::new();
        for b in &doc.blocks {
            if let BlockKind::TableCell { table, row, .. } = b.kind {
                tables
                    .entry(table)
                    .or_default()
                    .entry(row)
                    .or_default()
                    .push(b.flat_text());
            }
        }
        let rows: usize = tables.values().map(BTreeMap::len).sum();
        let cells: usize = tables.values().flat_map(|t| t.values()).map(Vec::len).sum();
        let short: String = name.chars().take(72).collect();
        println!(
            "{short:<72} {:>5} {:>6} {rows:>5} {cells:>6}",
            doc.pages,
            tables.len()
        );
        with_tables += usize::from(!tables.is_empty());
        all_tables += tables.len();
        all_cells += cells;
        if show > 0 {
            for (t, table) in &tables {
                println!("    table {t}:");
                for (r, row) in table.iter().take(show) {
                    let line: String = row.join(" | ").chars().take(150).collect();
                    println!("      {r:>3}: {line}");
                }
            }
        }
    }
    println!(
        "{} files, {with_tables} with tables: {all_tables} tables, {all_cells} cells",
        files.len()
    );
}
