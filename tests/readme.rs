//! The README's examples are real (issue 12): every `console` block is run, command by command,
//! in a fresh folder holding a copy of the demo batch, and its output must be what the README
//! shows. Only what changes from run to run is filtered on both sides: timestamps, decimal
//! figures (durations), runs of spaces (column widths) and the progress lines `ingest` logs
//! when standard error is not a terminal.
//!
//! The folder is always `$TMPDIR/tenderscope-readme`, so the paths (and the passage ids, which
//! name the submitted copy) in the README are the ones a run gives. A block may need a batch
//! the demo does not have: an HTML comment just above it names a setup step
//! (`<!-- readme-test: NAME -->`, see [`setup`]). A command `echo $?` prints the exit status
//! of the command before it.
//!
//! After a change that alters the output on purpose, rewrite the README's outputs with
//! `TENDERSCOPE_README=overwrite cargo test --test readme` and read the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One `$ command` of a console block, with the lines of output the README shows.
struct Step {
    command: String,
    /// Line numbers (0-based, in the README) of the expected output: `start..end`.
    output: std::ops::Range<usize>,
}

struct Block {
    setup: Option<String>,
    steps: Vec<Step>,
}

fn blocks(lines: &[&str]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end() != "```console" {
            i += 1;
            continue;
        }
        let setup = i
            .checked_sub(1)
            .and_then(|p| lines[p].trim().strip_prefix("<!-- readme-test:"))
            .and_then(|s| s.strip_suffix("-->"))
            .map(|s| s.trim().to_string());
        let mut steps: Vec<Step> = Vec::new();
        i += 1;
        while i < lines.len() && !lines[i].starts_with("```") {
            if let Some(cmd) = lines[i].strip_prefix("$ ") {
                steps.push(Step {
                    command: cmd.to_string(),
                    output: i + 1..i + 1,
                });
            } else if let Some(step) = steps.last_mut() {
                step.output.end = i + 1;
            } else {
                panic!("README line {}: output before any `$ ` command", i + 1);
            }
            i += 1;
        }
        out.push(Block { setup, steps });
        i += 1;
    }
    out
}

fn workdir() -> PathBuf {
    std::env::temp_dir().join("tenderscope-readme")
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn tenderscope(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tenderscope"));
    cmd.current_dir(dir);
    cmd
}

/// The setup steps a block can name.
fn setup(name: &str, dir: &Path) {
    match name {
        // A copy of the rules with one pattern added to the careers-education theme.
        "rules-edited" => {
            let edited = dir.join("rules-edited");
            let _ = std::fs::remove_dir_all(&edited);
            copy_dir(&repo().join("rules"), &edited);
            let themes = edited.join("themes.toml");
            let text = std::fs::read_to_string(&themes).unwrap();
            let anchor = "id = \"careers-education\"";
            let at = text.find(anchor).expect("careers-education theme");
            let patterns =
                at + text[at..].find("patterns = [").expect("its patterns") + "patterns = [".len();
            let text = format!(
                "{}\n  '\\bcareers?\\s+activit(?:y|ies)\\b',{}",
                &text[..patterns],
                &text[patterns..]
            );
            std::fs::write(&themes, text).unwrap();
        }
        // The demo batch with files tenderscope does not read: an OpenDocument text, an RTF
        // saved as `.doc`, a Word lock file, and a PDF whose second page is a scan.
        "unread-batch" => {
            let batch = dir.join("batch");
            let _ = std::fs::remove_dir_all(&batch);
            copy_dir(&dir.join("fixtures/demo"), &batch);
            let files: [(&str, Vec<u8>); 4] = [
                (
                    "greenshoots-cic/answers.pages",
                    b"PK\x03\x04 an Apple Pages document".to_vec(),
                ),
                (
                    "dane-valley-civils/offer.txt",
                    b"{\\rtf1\\ansi We will create 12 apprenticeships.}".to_vec(),
                ),
                ("weaver-home-care/~$cial-value-plan.docx", b"lock".to_vec()),
                (
                    "northgate-lining/signed-form.pdf",
                    std::fs::read(repo().join("fixtures/features/pdf/image_only_page.pdf"))
                        .unwrap(),
                ),
            ];
            for (name, bytes) in files {
                std::fs::write(batch.join(name), bytes).unwrap();
            }
        }
        // The batch folder is there but empty: what an unmounted share looks like.
        "empty-batch" => {
            let batch = dir.join("batch");
            let _ = std::fs::remove_dir_all(&batch);
            std::fs::create_dir_all(&batch).unwrap();
        }
        // A new index of the demo batch alone.
        "demo-index" => {
            let _ = std::fs::remove_dir_all(dir.join("tenderscope-index"));
            let out = tenderscope(dir)
                .args(["ingest", "fixtures/demo"])
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
        }
        other => panic!("unknown README setup step `{other}`"),
    }
}

/// What may differ between two runs of the same command.
fn normalise(text: &str) -> String {
    let time = regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").unwrap();
    let decimal = regex::Regex::new(r"\b\d+\.\d+\b").unwrap();
    let spaces = regex::Regex::new(r"[ \t]+").unwrap();
    let progress = regex::Regex::new(r"^extracted \d+/\d+ files, \d+ pages, \d+ failed$").unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !progress.is_match(l))
        .map(|l| {
            let l = time.replace_all(l, "[TIME]");
            let l = decimal.replace_all(&l, "[N]");
            spaces.replace_all(&l, " ").trim_end().to_string()
        })
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// Run one command through `sh` (pipes and `head` work as in the README), with `tenderscope`
/// on the PATH; standard error is interleaved with standard output, as a terminal shows it.
fn run(dir: &Path, command: &str, last_status: i32) -> (String, i32) {
    if command.trim() == "echo $?" {
        return (format!("{last_status}\n"), 0);
    }
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_tenderscope"))
        .parent()
        .unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let out = Command::new("sh")
        .arg("-c")
        // On lines of their own, so that a `# comment` ends with the command.
        .arg(format!("(\n{command}\n) 2>&1"))
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("TENDERSCOPE_TOKEN")
        .output()
        .unwrap();
    // The README's paths are under /tmp, whatever TMPDIR says here.
    let text = String::from_utf8_lossy(&out.stdout)
        .replace(&dir.display().to_string(), "/tmp/tenderscope-readme");
    (text, out.status.code().unwrap_or(-1))
}

#[test]
fn the_readme_examples_give_the_output_shown() {
    let readme_path = repo().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let blocks = blocks(&lines);
    assert!(blocks.len() >= 8, "{} console blocks", blocks.len());

    // The folder's name is fixed, so two runs at once (two checkouts on one machine) would
    // write into each other's index: they take turns on a lock file beside it.
    let lock = std::fs::File::create(std::env::temp_dir().join("tenderscope-readme.lock"))
        .expect("create the README test's lock file");
    lock.lock().expect("lock the README test's folder");
    let dir = workdir();
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&repo().join("fixtures/demo"), &dir.join("fixtures/demo"));
    copy_dir(
        &repo().join("fixtures/returns"),
        &dir.join("fixtures/returns"),
    );
    std::fs::copy(repo().join("Cargo.toml"), dir.join("Cargo.toml")).unwrap();

    let overwrite = std::env::var("TENDERSCOPE_README").as_deref() == Ok("overwrite");
    let mut replacements: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let progress = regex::Regex::new(r"^extracted \d+/\d+ files, ").unwrap();
    let mut failures = Vec::new();
    let mut status = 0;
    let mut ran = 0;
    for block in &blocks {
        if let Some(name) = &block.setup {
            setup(name, &dir);
        }
        for step in &block.steps {
            let (actual, code) = run(&dir, &step.command, status);
            status = code;
            ran += 1;
            let expected = lines[step.output.clone()].join("\n");
            if normalise(&actual) != normalise(&expected) {
                failures.push(format!(
                    "README line {}: $ {}\n--- README shows\n{}\n--- the command prints\n{}",
                    step.output.start,
                    step.command,
                    expected,
                    actual.trim_end()
                ));
                let shown: Vec<&str> = actual
                    .trim_end()
                    .lines()
                    .filter(|l| !progress.is_match(l))
                    .collect();
                replacements.push((step.output.clone(), shown.join("\n")));
            }
        }
    }
    assert!(ran >= 20, "{ran} commands");
    if overwrite && !replacements.is_empty() {
        let mut out: Vec<String> = Vec::new();
        let mut at = 0;
        for (range, text) in &replacements {
            out.extend(lines[at..range.start].iter().map(|l| l.to_string()));
            out.extend(text.lines().map(str::to_string));
            at = range.end;
        }
        out.extend(lines[at..].iter().map(|l| l.to_string()));
        std::fs::write(&readme_path, out.join("\n") + "\n").unwrap();
        eprintln!(
            "rewrote {} outputs in README.md: read the diff",
            replacements.len()
        );
        return;
    }
    assert!(
        failures.is_empty(),
        "{} README examples differ (TENDERSCOPE_README=overwrite rewrites them):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
