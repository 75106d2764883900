//! Faults an ingest must survive (issue 6), through the binary: a disk that fills up part way
//! through a run (while the segments are written, at the commit, at the run log, under the log
//! file the command's own messages go to) leaves the last commit as it was and says what failed
//! and why; searches made while a long re-index runs all succeed and see the last commit until
//! the next one. Runs killed with SIGKILL and a second writer are tested in `tests/ingest.rs`.
//!
//! A full disk is simulated without root by an RLIMIT_FSIZE on the ingest process, with SIGXFSZ
//! ignored: a write past the limit then fails with EFBIG, `File too large (os error 27)`, as a
//! write to a full disk fails with ENOSPC. The limit covers every file the process writes
//! (tantivy's segments and meta.json, the extraction cache, the run log), not the pipes.

mod support;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use tenderscope::index::Store;
use tenderscope::ingest::{read_runs, RunRecord};
use tenderscope::records::Records;
use tenderscope::search::{self, Request};

use support::cli::{
    changed_rules, code, copy_tree, demo, demo_suppliers, stderr, Fixture, DEMO_FILES,
};

/// In the child, before exec: writes past `limit` bytes fail with EFBIG instead of killing the
/// process (an ignored signal stays ignored across exec).
fn limit_file_size(limit: u64) -> std::io::Result<()> {
    // SAFETY: signal and setrlimit are async-signal-safe and touch no memory of the parent.
    unsafe {
        if libc::signal(libc::SIGXFSZ, libc::SIG_IGN) == libc::SIG_ERR {
            return Err(std::io::Error::last_os_error());
        }
        let lim = libc::rlimit {
            rlim_cur: limit,
            rlim_max: limit,
        };
        if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// `ingest PATHS --index INDEX --json` with no file allowed to grow past `limit` bytes. Its
/// stdout and stderr are pipes (not limited), or stderr goes to `log`, a file that is.
fn ingest_limited(fx: &Fixture, paths: &[&Path], limit: u64, log: Option<&Path>) -> Output {
    let mut args = vec!["ingest".to_string()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend(["--index", fx.index_str(), "--json"].map(String::from));
    let mut cmd = fx.cmd(&args.iter().map(String::as_str).collect::<Vec<_>>());
    cmd.stdin(Stdio::null()).stdout(Stdio::piped());
    match log {
        Some(path) => cmd.stderr(std::fs::File::create(path).unwrap()),
        None => cmd.stderr(Stdio::piped()),
    };
    // SAFETY: the hook only calls async-signal-safe functions.
    unsafe {
        cmd.pre_exec(move || limit_file_size(limit));
    }
    cmd.output().unwrap()
}

/// Every record of the last commit as its JSON line, sorted: two states of an index compare
/// equal only if they hold the same documents and passages with the same provenance.
fn contents(index: &Path) -> Vec<String> {
    let records = Records::open(index).unwrap_or_else(|e| panic!("the index does not open: {e}"));
    let mut out = Vec::new();
    records
        .for_each(|r| {
            let r = r.unwrap_or_else(|e| panic!("an unreadable record: {e}"));
            out.push(serde_json::to_string(&r).unwrap());
            Ok(())
        })
        .unwrap();
    out.sort();
    out
}

/// Assert that a run limited to `limit` bytes failed as it should: exit 2, one error naming
/// the index and the OS error, no panic; and that the index holds what it held before.
fn assert_failed_cleanly(fx: &Fixture, out: &Output, limit: u64, before: &[String]) {
    let err = stderr(out);
    assert_eq!(code(out), 2, "limit {limit}: {err}");
    assert!(!err.contains("panicked"), "limit {limit}: {err}");
    assert!(!err.contains("backtrace"), "limit {limit}: {err}");
    assert!(
        err.contains(&format!("error: index {}", fx.index.display())),
        "limit {limit}: the index is not named: {err}"
    );
    assert!(
        err.contains("File too large (os error 27)"),
        "limit {limit}: the OS error is not given plainly: {err}"
    );
    assert!(
        out.stdout.is_empty(),
        "limit {limit}: a summary was printed"
    );
    assert_eq!(
        contents(&fx.index),
        before,
        "limit {limit}: the index changed"
    );
}

/// A second batch root: the demo suppliers again, as new suppliers `NAME-b`.
fn second_batch(fx: &Fixture) -> PathBuf {
    let more = fx.root.join("more");
    for sup in demo_suppliers() {
        copy_tree(&demo().join(&sup), &more.join(format!("{sup}-b")));
    }
    more
}

fn documents(index: &Path) -> usize {
    Records::open(index).unwrap().documents().unwrap().len()
}

#[test]
fn a_full_disk_while_the_segments_are_written_leaves_the_last_commit_as_it_was() {
    let fx = Fixture::new();
    assert_eq!(fx.ingest(&[]).0, 0);
    let before = contents(&fx.index);
    let more = second_batch(&fx);
    // From nothing at all to most of a segment's doc store (about 140 kB for the new files):
    // the cache, the segment and its doc store fail at different points of the run.
    let limits = [0, 1 << 10, 8 << 10, 32 << 10, 100_000];
    for limit in limits {
        let out = ingest_limited(&fx, &[&fx.batch, &more], limit, None);
        assert_failed_cleanly(&fx, &out, limit, &before);
        assert!(
            stderr(&out).contains("nothing was committed"),
            "limit {limit}: {}",
            stderr(&out)
        );
        // The extraction cache holds no half-written file.
        for entry in std::fs::read_dir(fx.index.join("cache")).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                serde_json::from_slice::<serde_json::Value>(&bytes).is_ok(),
                "limit {limit}: {} is not whole",
                path.display()
            );
        }
    }
    // The same search through the command sees the old commit.
    let out = fx.run(&["search", "apprentices", "--index", fx.index_str(), "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let total = found["total"].as_u64().unwrap();
    assert!(total > 0);

    // With room again, a normal run does the work.
    let (c, rec) = fx.ingest_paths(&[&fx.batch, &more], &[]);
    assert_eq!(c, 0, "{rec:?}");
    assert_eq!((rec.added, rec.unchanged), (DEMO_FILES, DEMO_FILES));
    assert_eq!(documents(&fx.index) as u64, 2 * DEMO_FILES);
    let out = fx.run(&["search", "apprentices", "--index", fx.index_str(), "--json"]);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found["total"].as_u64(), Some(2 * total));
}

#[test]
fn a_full_disk_at_the_commit_leaves_the_last_commit_as_it_was() {
    let fx = Fixture::new();
    assert_eq!(fx.ingest(&[]).0, 0);
    let before = contents(&fx.index);
    // A run that only removes a file writes a small delete file, then meta.json (the commit).
    let gone = fx.batch.join("weaver-home-care/safeguarding-policy.docx");
    std::fs::remove_file(&gone).unwrap();
    let limit = 4096;
    let meta = std::fs::metadata(Store::tantivy_dir(&fx.index).join("meta.json"))
        .unwrap()
        .len();
    assert!(
        meta > limit,
        "meta.json is {meta} bytes: raise the test's limit"
    );
    let out = ingest_limited(&fx, &[&fx.batch], limit, None);
    assert_failed_cleanly(&fx, &out, limit, &before);
    assert!(
        stderr(&out).contains(&Store::tantivy_dir(&fx.index).display().to_string()),
        "the file is not named: {}",
        stderr(&out)
    );

    let (c, rec) = fx.ingest(&[]);
    assert_eq!(c, 0, "{rec:?}");
    assert_eq!(rec.removed, 1);
    assert_eq!(documents(&fx.index) as u64, DEMO_FILES - 1);
}

#[test]
fn a_full_disk_at_the_run_log_keeps_the_commit_and_every_log_line_readable() {
    let fx = Fixture::new();
    assert_eq!(fx.ingest(&[]).0, 0);
    // A run whose record is long (60 failures): the run log outgrows meta.json.
    let junk = fx.root.join("junk");
    std::fs::create_dir_all(junk.join("somebody")).unwrap();
    for i in 0..60 {
        std::fs::write(
            junk.join(format!("somebody/not-a-pdf-but-named-like-one-{i:03}.pdf")),
            b"\x00\x01 binary junk, not a PDF\n",
        )
        .unwrap();
    }
    let (c, rec) = fx.ingest_paths(&[&junk], &[]);
    assert_eq!((c, rec.failed), (1, 60));
    let runs = fx.index.join("runs.jsonl");
    let log_len = std::fs::metadata(&runs).unwrap().len();
    let meta = std::fs::metadata(Store::tantivy_dir(&fx.index).join("meta.json"))
        .unwrap()
        .len();
    // Room for meta.json and the segments of a run with nothing to do, not for its record.
    let limit = log_len + 100;
    assert!(
        limit > meta + 512,
        "run log {log_len}, meta.json {meta} bytes"
    );
    let before = contents(&fx.index);

    let out = ingest_limited(&fx, &[&fx.batch], limit, None);
    assert_failed_cleanly(&fx, &out, limit, &before);
    let err = stderr(&out);
    assert!(err.contains("runs.jsonl"), "the file is not named: {err}");
    assert!(err.contains("this run was committed"), "{err}");
    // The half-written line was taken back.
    assert_eq!(std::fs::metadata(&runs).unwrap().len(), log_len);
    let store = Store::open(&fx.index).unwrap();
    let logged = read_runs(&store).unwrap();
    assert_eq!(logged.len(), 2);
    assert!(logged.iter().all(Result::is_ok), "{logged:?}");

    // A line cut short some other way (a kill mid-append) spoils no later record.
    let mut torn = std::fs::read(&runs).unwrap();
    torn.extend_from_slice(b"{\"started\":\"2026-");
    std::fs::write(&runs, torn).unwrap();
    let (c, rec) = fx.ingest(&[]);
    assert_eq!(c, 0, "{rec:?}");
    let logged = read_runs(&store).unwrap();
    assert_eq!(logged.len(), 4, "{logged:?}");
    assert!(logged[2].is_err(), "the torn line reads as a record");
    let last: &RunRecord = logged[3].as_ref().unwrap();
    assert_eq!(last.started, rec.started);
}

#[test]
fn a_log_file_on_a_full_disk_does_not_turn_the_failure_into_a_panic() {
    let fx = Fixture::new();
    assert_eq!(fx.ingest(&[]).0, 0);
    let before = contents(&fx.index);
    let more = second_batch(&fx);
    // stderr is a file under the same limit: not even the progress lines can be written.
    let log = fx.root.join("ingest.log");
    let out = ingest_limited(&fx, &[&fx.batch, &more], 0, Some(&log));
    assert_eq!(code(&out), 2, "a panic exits 101");
    assert_eq!(contents(&fx.index), before);
    assert_eq!(std::fs::metadata(&log).unwrap().len(), 0);
}

/// The passages a search finds: through the command (a process of its own) and through the
/// library.
fn command_total(fx: &Fixture, args: &[&str]) -> u64 {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend(["--index", fx.index_str(), "--json", "--facets"]);
    let out = fx.run(&all);
    assert_eq!(code(&out), 0, "search {args:?}: {}", stderr(&out));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("search {args:?}: {e}: {}", stderr(&out)));
    assert!(found["facets"]["supplier"].is_object(), "{found}");
    found["total"].as_u64().unwrap()
}

/// Searches made while a run re-writes every record: each `(name, before, after)` total is
/// checked to be the last commit's, never a state in between.
struct Watch {
    name: &'static str,
    args: Vec<&'static str>,
    request: Request,
}

fn watches() -> Vec<Watch> {
    let req = |query: &str, theme: Option<&str>| Request {
        query: query.to_string(),
        theme: theme.map(str::to_string),
        limit: 10,
        facets: true,
        ..Request::default()
    };
    vec![
        Watch {
            name: "apprentices",
            args: vec!["apprentices"],
            request: req("apprentices", None),
        },
        Watch {
            name: "every local-employment passage",
            args: vec!["--theme", "local-employment"],
            request: req("", Some("local-employment")),
        },
    ]
}

#[test]
fn searches_during_a_reindex_see_the_last_commit_until_the_next() {
    let fx = Fixture::new();
    // Five copies of the batch, so that the re-index lasts a while.
    for copy in ["b", "c", "d", "e"] {
        for sup in demo_suppliers() {
            copy_tree(&demo().join(&sup), &fx.batch.join(format!("{sup}-{copy}")));
        }
    }
    let (a, b) = changed_rules(&fx.root);
    let (c, first) = fx.ingest(&["--rules", a.to_str().unwrap()]);
    assert_eq!((c, first.files), (0, 5 * DEMO_FILES));
    let watches = watches();
    let store = Store::open(&fx.index).unwrap();
    let reader = store.reader().unwrap();
    let lib_total = |searcher: &tantivy::Searcher, w: &Watch| {
        search::search(&store, searcher, &w.request)
            .unwrap_or_else(|e| panic!("{}: {e}", w.name))
            .total as u64
    };
    let old_searcher = reader.searcher();
    let before: Vec<u64> = watches
        .iter()
        .map(|w| lib_total(&old_searcher, w))
        .collect();
    for (w, &n) in watches.iter().zip(&before) {
        assert_eq!(command_total(&fx, &w.args), n, "{}", w.name);
    }

    // The new rules re-classify every passage: each record is deleted and written again, and
    // the new theme pattern finds more local-employment passages. Without the cache, every
    // file is read again too (which is what makes the run long).
    std::fs::remove_dir_all(fx.index.join("cache")).unwrap();
    let mut child = fx
        .cmd(&[
            "ingest",
            fx.batch.to_str().unwrap(),
            "--index",
            fx.index_str(),
            "--rules",
            b.to_str().unwrap(),
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    // (watch, total, seen through the command) in the order seen; a commit is seen once.
    let mut seen: Vec<(usize, u64, bool)> = Vec::new();
    let mut rounds = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(600),
            "the re-index hangs"
        );
        rounds += 1;
        for (i, w) in watches.iter().enumerate() {
            seen.push((i, command_total(&fx, &w.args), true));
            reader.reload().unwrap();
            seen.push((i, lib_total(&reader.searcher(), w), false));
        }
    };
    let mut summary = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut summary).unwrap();
    assert!(status.success(), "the re-index failed: {summary}");
    let rec: RunRecord = serde_json::from_str(&summary).unwrap();
    // Every file was re-classified (files whose cache was gone count as changed; files no
    // changed rule touches are only re-checked).
    assert_eq!(rec.failed, 0, "{rec:?}");
    assert_eq!(
        rec.changed + rec.reclassified + rec.rechecked,
        rec.files,
        "{rec:?}"
    );
    assert!(
        rec.passages > 0 && rec.passages <= first.passages,
        "{rec:?}"
    );

    reader.reload().unwrap();
    let after: Vec<u64> = watches
        .iter()
        .map(|w| lib_total(&reader.searcher(), w))
        .collect();
    assert_eq!(after[0], before[0], "the same passages match the same word");
    assert!(after[1] > before[1], "{before:?} -> {after:?}");
    for (w, &n) in watches.iter().zip(&after) {
        assert_eq!(command_total(&fx, &w.args), n, "{}", w.name);
    }
    // A searcher opened before the commit still answers from its own commit.
    let kept: Vec<u64> = watches
        .iter()
        .map(|w| lib_total(&old_searcher, w))
        .collect();
    assert_eq!(kept, before);

    // Every search made during the run saw the old commit or the new one, and once one kind
    // of search saw the new one it never saw the old one again.
    let mut switched = [[false; 2]; 2];
    let mut old_seen = 0;
    for &(i, total, by_command) in &seen {
        let s = &mut switched[i][usize::from(by_command)];
        if total == after[i] && after[i] != before[i] {
            *s = true;
        } else {
            assert_eq!(
                total, before[i],
                "{}: a state between commits",
                watches[i].name
            );
            assert!(!*s, "{}: the old commit after the new one", watches[i].name);
            old_seen += 1;
        }
    }
    assert!(
        old_seen >= 4,
        "only {old_seen} searches ran before the commit ({rounds} rounds)"
    );
    eprintln!(
        "{} searches during a {:.1} s re-index ({rounds} rounds), all answered; {old_seen} saw the old commit",
        seen.len(),
        t0.elapsed().as_secs_f64()
    );
}
