//! The command-line ingest fixture shared by the ingest and fault tests: a temp dir holding a
//! copy of the demo batch and an index folder, `tenderscope` run as a separate process on them,
//! and searches of the last commit made through the library.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};
use tenderscope::ingest::RunRecord;
use tenderscope::records::Records;

/// The binary under test. `TENDERSCOPE_BIN` overrides it: with a build directory shared by
/// several checkouts, a copy taken right after the build cannot be replaced mid-run.
pub fn bin() -> PathBuf {
    std::env::var_os("TENDERSCOPE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_tenderscope")))
}

pub const DEMO_FILES: u64 = 17;
pub fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo")
}

pub fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temp dir with a copy of the demo batch (`ROOT/demo`) and an index folder (`ROOT/index`).
pub struct Fixture {
    pub _tmp: tempfile::TempDir,
    pub root: PathBuf,
    pub batch: PathBuf,
    pub index: PathBuf,
}

impl Fixture {
    pub fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        let batch = root.join("demo");
        copy_tree(&demo(), &batch);
        Fixture {
            index: root.join("index"),
            batch,
            root,
            _tmp: tmp,
        }
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.args(args).current_dir(&self.root);
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// `ingest BATCH --index INDEX --json EXTRA...`: the exit code and the run summary.
    pub fn ingest_paths(&self, paths: &[&Path], extra: &[&str]) -> (i32, RunRecord) {
        let mut args: Vec<String> = vec!["ingest".into()];
        args.extend(paths.iter().map(|p| p.display().to_string()));
        args.extend(["--index", self.index.to_str().unwrap(), "--json"].map(String::from));
        args.extend(extra.iter().map(|s| s.to_string()));
        let out = self
            .cmd(&args.iter().map(String::as_str).collect::<Vec<_>>())
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        let rec: RunRecord = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "ingest printed no summary ({e}), exit {code}\nstdout: {}\nstderr: {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (code, rec)
    }

    /// `ingest BATCH --index INDEX EXTRA...` when it may print no summary: its exit code.
    pub fn ingest_code(&self, extra: &[&str]) -> (i32, Output) {
        let mut args = vec![
            "ingest",
            self.batch.to_str().unwrap(),
            "--index",
            self.index_str(),
        ];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        (code(&out), out)
    }

    pub fn ingest(&self, extra: &[&str]) -> (i32, RunRecord) {
        self.ingest_paths(&[&self.batch], extra)
    }

    pub fn index_str(&self) -> &str {
        self.index.to_str().unwrap()
    }
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Ids of the passages whose text has `word` (lower case), as a search on the last commit sees
/// them.
pub fn passages_with(index: &Path, word: &str) -> BTreeSet<String> {
    let records = Records::open(index).unwrap();
    let f = records.store.fields;
    let q = TermQuery::new(
        Term::from_field_text(f.text_exact, word),
        IndexRecordOption::Basic,
    );
    let searcher = records.searcher();
    let hits = searcher.search(&q, &DocSetCollector).unwrap();
    hits.into_iter()
        .map(|addr| {
            let d: TantivyDocument = searcher.doc(addr).unwrap();
            d.get_first(f.id)
                .and_then(|v| v.as_str())
                .unwrap()
                .to_string()
        })
        .collect()
}

pub fn demo_suppliers() -> BTreeSet<String> {
    std::fs::read_dir(demo())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// A copy of `rules/` with one theme pattern added: `scope` marks local employment (beside `employability`).
pub fn changed_rules(root: &Path) -> (PathBuf, PathBuf) {
    let a = root.join("rules-a");
    copy_tree(&rules_dir(), &a);
    let b = root.join("rules-b");
    copy_tree(&rules_dir(), &b);
    let themes = b.join("themes.toml");
    let text = std::fs::read_to_string(&themes).unwrap();
    let anchor = "  '\\bemployability\\b',\n";
    assert!(
        text.contains(anchor),
        "themes.toml changed: update the test's anchor"
    );
    let text = text.replacen(anchor, &format!("{anchor}  '\\bscope\\b',\n"), 1);
    std::fs::write(&themes, text).unwrap();
    (a, b)
}

/// A small deterministic generator for the kill delays.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}
