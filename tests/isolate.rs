//! The worker pool's watchdog: a worker that hangs is killed, one that crashes is replaced,
//! and in both cases only the file it was reading fails. The "workers" here are small shell
//! scripts that misbehave on purpose, standing in for a parser that loops or overflows.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use tenderscope::extract::isolate::extract_isolated;
use tenderscope::Limits;

/// A fake worker: answers every path with an error reply naming it, except that a path
/// containing "hang" makes it sleep and one containing "crash" makes it kill itself.
/// Written once for all tests: writing an executable while another test forks makes `exec`
/// fail with "text file busy".
fn fake_worker() -> &'static Path {
    static SCRIPT: OnceLock<PathBuf> = OnceLock::new();
    SCRIPT.get_or_init(write_fake_worker)
}

fn write_fake_worker() -> PathBuf {
    let dir = tempfile::tempdir().unwrap().keep();
    let script = dir.join("worker.sh");
    std::fs::write(
        &script,
        r#"#!/bin/sh
[ "$1" = worker ] || exit 3
while IFS= read -r path; do
  case "$path" in
    *hang*) sleep 60 ;;
    *crash*) echo "simulated overflow" >&2; kill -SEGV $$ ;;
    *) printf '{"err":"read %s"}\n' "$path" ;;
  esac
done
"#,
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

#[test]
fn watchdog_kills_a_hanging_worker_and_the_batch_goes_on() {
    let exe = fake_worker();
    let limits = Limits {
        time_budget: Duration::from_millis(400),
        ..Limits::default()
    };
    let paths = ["a.pdf", "hang.pdf", "b.pdf", "crash.docx", "c.docx"];
    let results = extract_isolated(exe, &paths, &limits, 1, |_, _| {});
    let messages: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(_) => "ok".to_string(),
            Err(e) => e.to_string(),
        })
        .collect();
    assert_eq!(messages[0], "a.pdf: read a.pdf");
    assert!(
        messages[1].starts_with("hang.pdf: time budget exceeded: killed by the watchdog"),
        "{}",
        messages[1]
    );
    assert_eq!(messages[2], "b.pdf: read b.pdf");
    assert!(
        messages[3].contains(
            "crash.docx: worker process crashed (segmentation fault): simulated overflow"
        ),
        "{}",
        messages[3]
    );
    assert_eq!(messages[4], "c.docx: read c.docx");
}

#[test]
fn results_keep_input_order_with_several_workers() {
    let exe = fake_worker();
    let paths: Vec<String> = (0..40).map(|i| format!("f{i}.pdf")).collect();
    let results = extract_isolated(exe, &paths, &Limits::default(), 3, |_, _| {});
    for (p, r) in paths.iter().zip(&results) {
        let msg = r.as_ref().err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(msg, format!("{p}: read {p}"));
    }
}

#[test]
fn a_missing_worker_binary_is_an_error_per_file() {
    let results = extract_isolated(
        Path::new("/nonexistent/tenderscope"),
        &["x.pdf"],
        &Limits::default(),
        1,
        |_, _| {},
    );
    let msg = results[0]
        .as_ref()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(msg.starts_with("x.pdf: could not start worker"), "{msg}");
}
