//! Shared by the report, serve and browser tests: a small tender batch written as DOCX files
//! (three suppliers, template text copied between two of them, supplier text holding HTML and
//! script, a supplier folder name with markup characters), ingested in-process into a fresh
//! index, and the demo batch's index. `cli` is the fixture of the tests that run the
//! `tenderscope` binary on a copy of the demo batch; `load` the parts of a load client (also
//! compiled into `examples/serve_load.rs`).

#![allow(dead_code)]

pub mod cli;
pub mod load;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use docx_rs::{Docx, Paragraph, Run};
use tenderscope::classify::RuleSet;
use tenderscope::index::Store;
use tenderscope::ingest::{self, Isolation, Options};
use tenderscope::Limits;

/// A supplier folder name with characters that mean something in HTML.
pub const HOSTILE_SUPPLIER: &str = "o'brien & \"sons\" <ltd>";
/// Text of a passage that carries markup and a script.
pub const SCRIPT_TEXT: &str = "We will hold quarterly listening events with residents <script>alert('pwned')</script> and <b onclick=\"x()\">publish</b> what they tell us.";
/// The template commitment, as two competing suppliers wrote it (one word changed).
pub const TEMPLATE_A: &str = "We will pay all staff working on this contract at least the Real Living Wage and we will not use zero hours contracts at any point.";
pub const TEMPLATE_B: &str = "We will pay all operatives working on this contract at least the Real Living Wage and we will not use zero hours contracts at any point.";

/// (supplier, file, paragraphs).
pub fn batch_spec() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    vec![
        (
            "acme-build",
            "social-value-plan.docx",
            vec![
                "Social Value Plan",
                "We will recruit 6 apprentices from Crewe by March 2027, each with a named mentor.",
                TEMPLATE_A,
                "We will give 200 volunteering hours a year to community groups in Nantwich.",
                "Last year we supported 14 local charities across Cheshire East.",
            ],
        ),
        (
            "bolt-civils",
            "method-statement.docx",
            vec![
                "Method Statement",
                TEMPLATE_B,
                "We will spend £250,000 a year with local suppliers based in Cheshire East.",
                "We aim to reduce our carbon emissions where possible.",
            ],
        ),
        (
            HOSTILE_SUPPLIER,
            "response.docx",
            vec![
                "Response",
                SCRIPT_TEXT,
                "We will train 10 Mental Health First Aiders by December 2027.",
            ],
        ),
    ]
}

fn write_docx(path: &Path, paragraphs: &[&str]) {
    let mut doc = Docx::new();
    for p in paragraphs {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(*p)));
    }
    let file = std::fs::File::create(path).unwrap();
    doc.build().pack(file).unwrap();
}

/// Write the batch into `root/fixture/`.
pub fn write_batch(root: &Path) -> PathBuf {
    let batch = root.join("fixture");
    for (supplier, file, paragraphs) in batch_spec() {
        let dir = batch.join(supplier);
        std::fs::create_dir_all(&dir).unwrap();
        write_docx(&dir.join(file), &paragraphs);
    }
    batch
}

/// Ingest batch folders into an index folder, in this process.
pub fn ingest(paths: &[PathBuf], index: &Path, tender: &str) {
    ingest_in_chunks(paths, index, tender, 0);
}

/// Ingest as [`ingest`] does, `chunk_files` files to a chunk (0: the default), and return
/// the run record.
pub fn ingest_in_chunks(
    paths: &[PathBuf],
    index: &Path,
    tender: &str,
    chunk_files: usize,
) -> tenderscope::ingest::RunRecord {
    let rules = RuleSet::embedded().unwrap();
    let classifier = rules.classifier(None).unwrap();
    let store = Store::open_or_create(index).unwrap();
    let opts = Options {
        paths: paths.to_vec(),
        tender: Some(tender.to_string()),
        supplier: None,
        jobs: 1,
        limits: Limits::default(),
        isolation: Isolation::InProcess,
        classifier,
        allow_removals: false,
        chunk_files,
        delivery: None,
    };
    let rec = ingest::run(&store, &opts, &|_| {}).unwrap();
    assert_eq!(rec.failed, 0, "{:?}", rec.failures);
    rec
}

/// A fresh batch and index in a temporary folder (kept for the test's life).
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub batch: PathBuf,
    pub index: PathBuf,
}

pub fn fresh_fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let batch = write_batch(dir.path());
    let index = dir.path().join("index");
    ingest(std::slice::from_ref(&batch), &index, "fixture");
    Fixture { dir, batch, index }
}

/// One fixture index shared by the tests of a binary that only read it.
pub fn shared_fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(fresh_fixture)
}

/// The demo batch (`fixtures/demo`), ingested once per test binary.
pub fn demo_index() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, index) = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        ingest(&[PathBuf::from("fixtures/demo")], &index, "demo");
        (dir, index)
    });
    index
}

pub fn rules() -> RuleSet {
    RuleSet::embedded().unwrap()
}
