//! `tenderscope ingest` end to end, through the binary: the first run, incremental re-runs
//! (touched, edited, removed and added files; a changed rule set), the writer lock, runs
//! killed with SIGKILL, broken files, zip batches and manifests; then `show`, `verify`,
//! `runs` and `export` on the index it leaves.
//!
//! Each test copies `fixtures/demo` (six suppliers, 17 files) into its own temp dir. Most
//! searches are made through the library (a term on the unstemmed text, on the last commit);
//! the edit test also checks what the `search` command finds.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

use tenderscope::index::Store;
use tenderscope::ingest::RunRecord;
use tenderscope::records::{Record, Records};

use support::cli::{
    changed_rules, code, copy_tree, demo, demo_suppliers, passages_with, stderr, stdout, Fixture,
    Rng, DEMO_FILES,
};

/// A phrase inside one text run of greenshoots-cic/social-value-plan.docx.
const ANCHOR: &str = "We have 22 paid staff";

/// Every passage record whose origin ends with `suffix`.
fn passages_of(index: &Path, suffix: &str) -> Vec<tenderscope::records::PassageRecord> {
    let records = Records::open(index).unwrap();
    let mut out = Vec::new();
    records
        .for_each(|r| {
            if let Record::Passage(p) = r.unwrap() {
                if p.provenance.origin.ends_with(suffix) {
                    out.push(p);
                }
            }
            Ok(())
        })
        .unwrap();
    out
}

/// Rewrite a DOCX with `from` replaced by `to` in word/document.xml (other parts unchanged).
fn docx_with(package: &[u8], from: &str, to: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut replaced = false;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == "word/document.xml" {
            let xml = String::from_utf8(bytes).unwrap();
            assert!(xml.contains(from), "{from:?} not in document.xml");
            bytes = xml.replacen(from, to, 1).into_bytes();
            replaced = true;
        }
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    assert!(replaced, "no word/document.xml");
    out.finish().unwrap().into_inner()
}

fn greenshoots_plan(batch: &Path) -> PathBuf {
    batch.join("greenshoots-cic/social-value-plan.docx")
}

/// A zip of `members` (name, bytes).
fn zip_of(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in members {
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The demo batch's files as (supplier/file, bytes), sorted.
fn demo_members() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for sup in std::fs::read_dir(demo()).unwrap() {
        let sup = sup.unwrap();
        for file in std::fs::read_dir(sup.path()).unwrap() {
            let file = file.unwrap();
            out.push((
                format!(
                    "{}/{}",
                    sup.file_name().to_string_lossy(),
                    file.file_name().to_string_lossy()
                ),
                std::fs::read(file.path()).unwrap(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn first_run_indexes_the_demo_batch_and_a_second_run_extracts_nothing() {
    let fx = Fixture::new();
    let (c, first) = fx.ingest(&[]);
    assert_eq!(c, 0, "{first:?}");
    assert_eq!(
        (first.files, first.added, first.extracted, first.failed),
        (DEMO_FILES, DEMO_FILES, DEMO_FILES, 0)
    );
    assert_eq!(
        first.suppliers.keys().cloned().collect::<BTreeSet<_>>(),
        demo_suppliers()
    );
    assert!(first.passages > 0 && first.commitments > 0 && first.pages >= DEMO_FILES);
    let records = Records::open(&fx.index).unwrap();
    let docs = records.documents().unwrap();
    assert_eq!(docs.len() as u64, DEMO_FILES);
    assert!(docs.iter().all(|d| d.provenance.tender == "demo"));
    assert!(!passages_with(&fx.index, "apprentices").is_empty());

    let (c, second) = fx.ingest(&[]);
    assert_eq!(c, 0);
    assert_eq!(
        (
            second.added,
            second.changed,
            second.removed,
            second.unchanged
        ),
        (0, 0, 0, DEMO_FILES)
    );
    assert_eq!(
        (second.extracted, second.reclassified, second.passages),
        (0, 0, 0)
    );
    // Nothing was lost by the no-op run.
    let docs_after = Records::open(&fx.index).unwrap().documents().unwrap();
    assert_eq!(docs_after, docs);
}

#[test]
fn a_touched_file_is_unchanged() {
    let fx = Fixture::new();
    assert_eq!(fx.ingest(&[]).0, 0);
    let plan = greenshoots_plan(&fx.batch);
    let later = SystemTime::now() + Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&plan)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let (c, rec) = fx.ingest(&[]);
    assert_eq!(c, 0);
    assert_eq!(
        (rec.changed, rec.extracted, rec.unchanged),
        (0, 0, DEMO_FILES)
    );
}

#[test]
fn edited_removed_and_added_files_are_counted_and_searchable() {
    let fx = Fixture::new();
    assert_eq!(fx.ingest(&[]).0, 0);
    let plan = greenshoots_plan(&fx.batch);
    let before = passages_of(&fx.index, "greenshoots-cic/social-value-plan.docx");
    assert!(!before.is_empty());
    let original = std::fs::read(&plan).unwrap();

    // Edit one file, remove another, add a third under a new supplier.
    std::fs::write(
        &plan,
        docx_with(&original, ANCHOR, &format!("{ANCHOR} zephyrwood")),
    )
    .unwrap();
    let removed = fx.batch.join("northgate-lining/social-value-response.pdf");
    assert!(!passages_of(&fx.index, "northgate-lining/social-value-response.pdf").is_empty());
    std::fs::remove_file(&removed).unwrap();
    std::fs::create_dir_all(fx.batch.join("newco")).unwrap();
    std::fs::write(
        fx.batch.join("newco/plan.docx"),
        docx_with(&original, ANCHOR, &format!("{ANCHOR} quillfeather")),
    )
    .unwrap();

    let (c, rec) = fx.ingest(&[]);
    assert_eq!(c, 0, "{rec:?}");
    assert_eq!(
        (rec.added, rec.changed, rec.removed, rec.extracted),
        (1, 1, 1, 2)
    );
    assert_eq!(rec.unchanged, DEMO_FILES - 2);

    // The edit is searchable, in the edited file only, and its old records are gone.
    let hits = passages_with(&fx.index, "zephyrwood");
    assert_eq!(hits.len(), 1, "{hits:?}");
    let after = passages_of(&fx.index, "greenshoots-cic/social-value-plan.docx");
    assert_eq!(after.len(), before.len());
    let new_sha = &after[0].provenance.sha256;
    assert!(after.iter().all(|p| &p.provenance.sha256 == new_sha));
    assert_ne!(new_sha, &before[0].provenance.sha256);
    assert!(hits
        .iter()
        .all(|id| after.iter().any(|p| &p.provenance.id == id)));
    // And through the search command.
    let out = fx.run(&["search", "zephyrwood", "--index", fx.index_str(), "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["hits"][0]["origin"], plan.display().to_string());
    let out = fx.run(&[
        "search",
        "quillfeather",
        "--index",
        fx.index_str(),
        "--json",
    ]);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found["hits"][0]["supplier"], "newco", "{found}");
    // The removed file left the index; the added one is its new supplier's.
    assert!(passages_of(&fx.index, "northgate-lining/social-value-response.pdf").is_empty());
    let docs = Records::open(&fx.index).unwrap().documents().unwrap();
    assert_eq!(docs.len() as u64, DEMO_FILES);
    assert!(!docs
        .iter()
        .any(|d| d.provenance.origin == removed.display().to_string()));
    let added = passages_of(&fx.index, "newco/plan.docx");
    assert!(added.iter().all(|p| p.provenance.supplier == "newco"));
    assert_eq!(passages_with(&fx.index, "quillfeather").len(), 1);
}

#[test]
fn a_changed_rule_set_reclassifies_without_extracting() {
    let fx = Fixture::new();
    let (a, b) = changed_rules(&fx.root);
    let (c, first) = fx.ingest(&["--rules", a.to_str().unwrap()]);
    assert_eq!(c, 0);
    let scope = passages_with(&fx.index, "scope");
    assert!(
        !scope.is_empty(),
        "the demo batch mentions Scope 1/2/3 emissions"
    );
    let themed = |index: &Path| {
        let records = Records::open(index).unwrap();
        scope
            .iter()
            .filter(|id| {
                records.by_id(id).unwrap().iter().any(|r| match r {
                    Record::Passage(p) => p.themes.iter().any(|t| t == "local-employment"),
                    _ => false,
                })
            })
            .count()
    };
    let themed_before = themed(&fx.index);

    let (c, rec) = fx.ingest(&["--rules", b.to_str().unwrap()]);
    assert_eq!(c, 0, "{rec:?}");
    assert_eq!(rec.extracted, 0);
    assert_eq!(rec.unchanged, DEMO_FILES);
    assert_eq!((rec.added, rec.changed, rec.removed), (0, 0, 0));
    assert_ne!(rec.ruleset_version, first.ruleset_version);
    // Only the files with a passage that the changed theme matches (old or new) are
    // re-classified and re-written; the others keep their passage records.
    assert!(
        rec.rule_change.contains("local-employment"),
        "{}",
        rec.rule_change
    );
    assert_eq!(rec.reclassified + rec.rechecked, DEMO_FILES, "{rec:?}");
    assert!(rec.reclassified > 0 && rec.rechecked > 0, "{rec:?}");
    assert!(rec.passages < first.passages);

    // Every document record says it is current under the new rule set; passage records
    // carry the rule set that classified them.
    let records = Records::open(&fx.index).unwrap();
    let mut n = 0;
    let mut by_id = BTreeMap::new();
    records
        .for_each(|r| {
            match r.unwrap() {
                Record::Document(d) => {
                    assert_eq!(d.provenance.ruleset_version, rec.ruleset_version)
                }
                Record::Passage(p) => {
                    let v = &p.provenance.ruleset_version;
                    assert!(v == &rec.ruleset_version || v == &first.ruleset_version);
                    by_id.insert(p.provenance.id.clone(), p);
                }
                Record::Unread(u) => panic!("the demo batch has no unread file: {u:?}"),
            }
            n += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(n as u64, DEMO_FILES + first.passages);
    // `show` says when a passage was checked under a later rule set than classified it.
    let kept = by_id
        .values()
        .find(|p| p.provenance.ruleset_version == first.ruleset_version)
        .expect("some passages are kept");
    let out = fx.run(&["show", &kept.provenance.id, "--index", fx.index_str()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let checked = format!("checked     under rule set {}", rec.ruleset_version);
    assert!(stdout(&out).contains(&checked), "{}", stdout(&out));

    // The incremental result is exactly what a full ingest under the new rules gives.
    let fresh = fx.root.join("fresh-index");
    let out = fx
        .cmd(&["ingest", fx.batch.to_str().unwrap(), "--json", "--index"])
        .arg(&fresh)
        .args(["--rules", b.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut compared = 0;
    Records::open(&fresh)
        .unwrap()
        .for_each(|r| {
            if let Record::Passage(p) = r.unwrap() {
                let kept = by_id.get(&p.provenance.id).expect("same passages");
                let view = |p: &tenderscope::records::PassageRecord| {
                    (
                        p.kind,
                        p.themes.clone(),
                        p.principles.clone(),
                        p.rules.clone(),
                        serde_json::to_string(&p.measures).unwrap(),
                        p.score,
                        serde_json::to_string(&p.detail().unwrap().classification).unwrap(),
                    )
                };
                assert_eq!(view(kept), view(&p), "{}", p.text);
                compared += 1;
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(compared as u64, first.passages);
    assert_eq!(themed(&fx.index), scope.len());
    assert!(themed_before < scope.len());
}

#[test]
fn a_second_concurrent_ingest_fails_at_once_and_searches_keep_working() {
    let fx = Fixture::new();
    assert_eq!(fx.ingest(&[]).0, 0);
    let expected = passages_with(&fx.index, "apprentices");
    let store = Store::open(&fx.index).unwrap();
    let writer = store.writer().unwrap();

    let t0 = Instant::now();
    let out = fx.run(&[
        "ingest",
        fx.batch.to_str().unwrap(),
        "--index",
        fx.index_str(),
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        t0.elapsed() < Duration::from_secs(10),
        "waited for the lock"
    );
    assert!(
        stderr(&out).contains("locked: another ingest is running"),
        "{}",
        stderr(&out)
    );
    // Readers are not blocked by the writer.
    assert_eq!(passages_with(&fx.index, "apprentices"), expected);
    let out = fx.run(&["export", "--index", fx.index_str()]);
    assert_eq!(code(&out), 0);

    drop(writer);
    assert_eq!(fx.ingest(&[]).0, 0);
}

#[test]
fn ingests_killed_with_sigkill_leave_the_last_commit_searchable() {
    let fx = Fixture::new();
    // Three copies of the batch, so that a run lasts long enough to be killed part way.
    for copy in ["b", "c"] {
        for sup in demo_suppliers() {
            copy_tree(&demo().join(&sup), &fx.batch.join(format!("{sup}-{copy}")));
        }
    }
    let files = 3 * DEMO_FILES;
    let (a, b) = changed_rules(&fx.root);
    let t0 = Instant::now();
    let (c, first) = fx.ingest(&["--rules", a.to_str().unwrap()]);
    let full_ms = t0.elapsed().as_millis() as u64;
    assert_eq!((c, first.files), (0, files));
    let expected = passages_with(&fx.index, "apprentices");
    assert!(!expected.is_empty());
    let t0 = Instant::now();
    let (c, reclass) = fx.ingest(&["--rules", b.to_str().unwrap()]);
    let reclass_ms = t0.elapsed().as_millis() as u64;
    assert_eq!((c, reclass.reclassified + reclass.rechecked), (0, files));

    // Every run re-classifies the whole batch (the rules alternate); every fourth also
    // re-extracts it (its cache is gone). Each is killed after a delay shorter than such a run.
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // TENDERSCOPE_KILL_LOOPS=N runs at least N rounds (for the README's reliability figure).
    let rounds: u64 = std::env::var("TENDERSCOPE_KILL_LOOPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let deadline = Instant::now() + Duration::from_secs(240.max(10 * rounds));
    let (mut kills, mut i) = (0, 0);
    // At least 24 runs, until 20 of them were killed part way (some finish before their kill).
    while i < 60.max(rounds) && (i < rounds || kills < 20) && Instant::now() < deadline {
        i += 1;
        let rules = if i % 2 == 0 { &a } else { &b };
        let mut window = reclass_ms;
        if i % 4 == 3 {
            // Without its cache, re-classifying means extracting again.
            let _ = std::fs::remove_dir_all(fx.index.join("cache"));
            window = full_ms;
        }
        let mut child = fx
            .cmd(&[
                "ingest",
                fx.batch.to_str().unwrap(),
                "--index",
                fx.index_str(),
                "--rules",
                rules.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.below(window)));
        // `kill` sends SIGKILL on Unix; count the runs it stopped.
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.signal() == Some(libc::SIGKILL) {
            kills += 1;
        }

        let records = Records::open(&fx.index)
            .unwrap_or_else(|e| panic!("after kill {i} the index does not open: {e}"));
        assert_eq!(records.documents().unwrap().len() as u64, files, "kill {i}");
        assert_eq!(
            passages_with(&fx.index, "apprentices"),
            expected,
            "kill {i}"
        );
    }
    assert!(
        kills >= 20,
        "only {kills} of {i} runs were still going when killed"
    );

    // A normal run completes the work.
    let (c, rec) = fx.ingest(&["--rules", b.to_str().unwrap()]);
    assert_eq!(c, 0, "{rec:?}");
    assert_eq!(rec.files, files);
    eprintln!(
        "{kills} of {i} runs killed part way (full run {full_ms} ms, re-classify {reclass_ms} ms)"
    );
    assert_eq!(passages_with(&fx.index, "apprentices"), expected);
    let (c, again) = fx.ingest(&["--rules", b.to_str().unwrap()]);
    assert_eq!(c, 0);
    assert_eq!((again.unchanged, again.extracted), (files, 0));
    let out = fx.run(&["runs", "--index", fx.index_str()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn a_broken_file_is_one_failure_and_the_rest_is_indexed() {
    let fx = Fixture::new();
    let broken = fx.batch.join("greenshoots-cic/broken.pdf");
    std::fs::write(
        &broken,
        b"\x00\x01\x02 not a PDF at all, binary junk with a .pdf name\n",
    )
    .unwrap();
    let (c, rec) = fx.ingest(&[]);
    assert_eq!(c, 1, "{rec:?}");
    assert_eq!(
        (rec.files, rec.failed, rec.added),
        (DEMO_FILES + 1, 1, DEMO_FILES)
    );
    assert_eq!(rec.failures.len(), 1);
    assert_eq!(rec.failures[0].origin, broken.display().to_string());
    assert!(!rec.failures[0].reason.is_empty());
    let docs = Records::open(&fx.index).unwrap().documents().unwrap();
    assert_eq!(docs.len() as u64, DEMO_FILES);
    // The failure is in the run log too.
    let out = fx.run(&["runs", "--index", fx.index_str(), "--json"]);
    let logged: RunRecord = serde_json::from_str(stdout(&out).lines().last().unwrap()).unwrap();
    assert_eq!(logged.failures.len(), 1);
}

#[test]
fn a_batch_zip_names_suppliers_by_folder_and_verify_reads_members_from_it() {
    let fx = Fixture::new();
    // As a portal exports it: everything under one top folder.
    let members: Vec<(String, Vec<u8>)> = demo_members()
        .into_iter()
        .map(|(n, b)| (format!("Tender 42/{n}"), b))
        .collect();
    let zip = fx.root.join("tender-42.zip");
    std::fs::write(&zip, zip_of(&members)).unwrap();
    let (c, rec) = fx.ingest_paths(&[&zip], &[]);
    assert_eq!(c, 0, "{rec:?}");
    assert_eq!((rec.files, rec.added), (DEMO_FILES, DEMO_FILES));
    assert_eq!(
        rec.suppliers.keys().cloned().collect::<BTreeSet<_>>(),
        demo_suppliers()
    );
    let docs = Records::open(&fx.index).unwrap().documents().unwrap();
    assert!(docs.iter().all(|d| d.provenance.tender == "tender-42"));
    assert!(docs.iter().all(|d| d
        .provenance
        .origin
        .starts_with(&format!("{}!Tender 42/", zip.display()))));

    let (c, again) = fx.ingest_paths(&[&zip], &[]);
    assert_eq!(c, 0);
    assert_eq!((again.unchanged, again.extracted), (DEMO_FILES, 0));

    let out = fx.run(&["verify", "--index", fx.index_str()]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // One member changed inside the zip: verify names it.
    let mut changed = members.clone();
    changed[0].1.extend_from_slice(b"\n% appended\n");
    std::fs::write(&zip, zip_of(&changed)).unwrap();
    let out = fx.run(&["verify", "--index", fx.index_str()]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let report = stdout(&out);
    assert!(
        report.contains(&format!("changed     {}!{}", zip.display(), changed[0].0)),
        "{report}"
    );
    assert!(report.contains("1 changed, 0 missing"), "{report}");
}

#[test]
fn supplier_zips_and_a_manifest_assign_suppliers() {
    let fx = Fixture::new();
    let batch = fx.root.join("lot-batch");
    std::fs::create_dir_all(&batch).unwrap();
    // A supplier's own zip at the root: the supplier is the zip's name.
    let weaver: Vec<(String, Vec<u8>)> = demo_members()
        .into_iter()
        .filter(|(n, _)| n.starts_with("weaver-home-care/"))
        .map(|(n, b)| (n.trim_start_matches("weaver-home-care/").to_string(), b))
        .collect();
    assert_eq!(weaver.len(), 3);
    std::fs::write(batch.join("Weaver Care.zip"), zip_of(&weaver)).unwrap();
    // Loose files at the root, assigned by the manifest (one is left out of it).
    std::fs::copy(
        demo().join("dane-valley-civils/method-statement.pdf"),
        batch.join("ms-1.pdf"),
    )
    .unwrap();
    std::fs::copy(greenshoots_plan(&demo()), batch.join("sv-2.docx")).unwrap();
    std::fs::copy(
        demo().join("cobalt-lane-digital/method-statement.docx"),
        batch.join("orphan.docx"),
    )
    .unwrap();
    std::fs::write(
        batch.join("manifest.csv"),
        "supplier,file,lot\nDane Valley Civils Ltd,ms-1.pdf,Lot 1\nGreenshoots CIC,sv-2.docx,\n",
    )
    .unwrap();

    let (c, rec) = fx.ingest_paths(&[&batch], &[]);
    assert_eq!(c, 0, "{rec:?}");
    assert_eq!(rec.files, 6);
    let docs = Records::open(&fx.index).unwrap().documents().unwrap();
    let who = |suffix: &str| {
        let d = docs
            .iter()
            .find(|d| d.provenance.origin.ends_with(suffix))
            .unwrap_or_else(|| panic!("no {suffix}"));
        (d.provenance.supplier.clone(), d.provenance.lot.clone())
    };
    assert_eq!(
        who("ms-1.pdf"),
        ("Dane Valley Civils Ltd".into(), Some("Lot 1".into()))
    );
    assert_eq!(who("sv-2.docx"), ("Greenshoots CIC".into(), None));
    assert_eq!(who("orphan.docx"), ("(unassigned)".into(), None));
    for (name, _) in &weaver {
        assert_eq!(who(&format!("Weaver Care.zip!{name}")).0, "Weaver Care");
    }
}

#[test]
fn show_verify_runs_and_export_read_the_index_back() {
    let fx = Fixture::new();
    let (c, rec) = fx.ingest(&[]);
    assert_eq!(c, 0);

    // export: every record, flat, with provenance.
    let out = fx.run(&["export", "--index", fx.index_str(), "--format", "jsonl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of = |kind: &str| lines.iter().filter(|v| v["record"] == kind).count() as u64;
    // Output cut short (`| head`) ends the program quietly, without a panic.
    let mut child = fx
        .cmd(&["export", "--index", fx.index_str()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE));
    assert_eq!(of("document"), DEMO_FILES);
    assert_eq!(of("passage"), rec.passages);
    for v in &lines {
        for key in [
            "id",
            "tender",
            "supplier",
            "origin",
            "sha256",
            "ruleset_version",
            "extractor_version",
            "ingested",
        ] {
            assert!(v[key].is_string(), "{key} in {v}");
        }
        let ingested = v["ingested"].as_str().unwrap();
        assert!(humantime::parse_rfc3339(ingested).is_ok(), "{ingested}");
        if v["record"] == "passage" {
            for key in ["page", "paragraph", "start", "end", "score"] {
                assert!(v[key].is_u64(), "{key} in {v}");
            }
            for key in ["principles", "themes", "rules", "measures"] {
                assert!(v[key].is_array(), "{key} in {v}");
            }
            assert!(v["text"].is_string() && v["kind"].is_string());
        }
    }
    // A commitment with measures and a neighbour on each side.
    let quote = lines
        .iter()
        .find(|v| {
            v["kind"] == "commitment"
                && v["paragraph"].as_u64().unwrap_or(0) > 0
                && !v["measures"].as_array().unwrap().is_empty()
        })
        .expect("a measurable commitment in the demo batch");
    let id = quote["id"].as_str().unwrap();
    let origin = quote["origin"].as_str().unwrap();
    let paragraph = quote["paragraph"].as_u64().unwrap();
    let neighbour = |n: u64| {
        lines
            .iter()
            .find(|v| v["origin"] == origin && v["paragraph"] == n)
            .and_then(|v| v["text"].as_str())
            .unwrap()
            .to_string()
    };

    // show: the quote in context, where it is, and why.
    let out = fx.run(&["show", id, "--index", fx.index_str()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let shown = stdout(&out);
    for must in [
        origin,
        quote["sha256"].as_str().unwrap(),
        quote["text"].as_str().unwrap(),
        quote["ruleset_version"].as_str().unwrap(),
        quote["extractor_version"].as_str().unwrap(),
        &format!("paragraph {paragraph}"),
        &format!("  > [{paragraph}]"),
        &format!("    [{}]", paragraph - 1),
        "rules fired",
    ] {
        assert!(shown.contains(must), "{must:?} not in\n{shown}");
    }
    let prev = neighbour(paragraph - 1);
    assert!(shown.contains(prev.chars().take(40).collect::<String>().as_str()));
    for m in quote["measures"].as_array().unwrap() {
        let rule = m["rule"].as_str().unwrap();
        let span = format!(
            "{:?} at {}..{}",
            m["text"].as_str().unwrap(),
            m["start"],
            m["end"]
        );
        assert!(
            shown.contains(&format!("  {rule}")),
            "{rule} not in\n{shown}"
        );
        assert!(shown.contains(&span), "{span} not in\n{shown}");
    }
    let out = fx.run(&["show", id, "--index", fx.index_str(), "--json"]);
    assert_eq!(code(&out), 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &json["records"][0];
    assert_eq!(r["id"], id);
    assert_eq!(r["detail"]["classification"]["kind"], "commitment");
    // (The whole output on failure: this once failed under heavy load, not reproduced since.)
    assert_eq!(
        r["before"][0]["paragraph"],
        paragraph - 1,
        "{json:#}\n{shown}"
    );
    assert_eq!(r["after"][0]["paragraph"], paragraph + 1, "{json:#}");
    // Neutral description keeps its principles, and show says why.
    let kept = lines
        .iter()
        .find(|v| {
            v["kind"] == "none"
                && !v["principles"].as_array().unwrap().is_empty()
                && v["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r == "none.generic")
        })
        .expect("a none.generic passage with principles in the demo batch");
    let out = fx.run(&[
        "show",
        kept["id"].as_str().unwrap(),
        "--index",
        fx.index_str(),
    ]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("none.generic (decided the kind; the passage keeps its principles)"),
        "{}",
        stdout(&out)
    );
    // A document's sha256 shows its record.
    let sha = quote["sha256"].as_str().unwrap();
    let out = fx.run(&["show", sha, "--index", fx.index_str()]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).starts_with(&format!("document {sha}")));
    // Unknown ids and missing indexes are errors, exit 2.
    let out = fx.run(&["show", "0000:1", "--index", fx.index_str()]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no passage or document with id"),
        "{}",
        stderr(&out)
    );
    let out = fx.run(&["show", id, "--index", "no-such-index"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no index here"), "{}", stderr(&out));

    // runs: one line per run.
    assert_eq!(fx.ingest(&[]).0, 0);
    let out = fx.run(&["runs", "--index", fx.index_str()]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text
        .lines()
        .nth(1)
        .unwrap()
        .contains(&rec.ruleset_version.to_string()));
    let out = fx.run(&["runs", "--index", fx.index_str(), "--json"]);
    let runs: Vec<RunRecord> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(runs.len(), 2);
    assert_eq!((runs[0].added, runs[1].unchanged), (DEMO_FILES, DEMO_FILES));

    // verify: clean, then a changed and a missing file.
    let out = fx.run(&["verify", "--index", fx.index_str()]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains(&format!("{DEMO_FILES} sources: {DEMO_FILES} unchanged")));
    let changed = fx.batch.join("dane-valley-civils/method-statement.pdf");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&changed)
        .unwrap();
    f.write_all(b"\n% one more line\n").unwrap();
    drop(f);
    let gone = fx.batch.join("weaver-home-care/safeguarding-policy.docx");
    std::fs::remove_file(&gone).unwrap();
    let out = fx.run(&["verify", "--index", fx.index_str()]);
    assert_eq!(code(&out), 1);
    let report = stdout(&out);
    assert!(
        report.contains(&format!("changed     {}", changed.display())),
        "{report}"
    );
    assert!(
        report.contains(&format!("missing     {}", gone.display())),
        "{report}"
    );
    assert!(report.contains("1 changed, 1 missing"), "{report}");
}

/// Issue 12: the same file submitted by two suppliers used to share its passage ids, so `show`
/// listed both origins and a citation could not say which. Now each copy has its own ids,
/// while the content is still extracted once.
#[test]
fn a_file_submitted_twice_is_extracted_once_and_cited_per_copy() {
    let fx = Fixture::new();
    let batch = fx.root.join("twice");
    for sup in ["acme", "bolt"] {
        std::fs::create_dir_all(batch.join(sup)).unwrap();
        std::fs::copy(greenshoots_plan(&demo()), batch.join(sup).join("plan.docx")).unwrap();
    }
    let (c, rec) = fx.ingest_paths(&[&batch], &[]);
    assert_eq!((c, rec.added, rec.extracted), (0, 2, 1));
    let mut acme = passages_of(&fx.index, "acme/plan.docx");
    let mut bolt = passages_of(&fx.index, "bolt/plan.docx");
    acme.sort_by_key(|p| p.paragraph);
    bolt.sort_by_key(|p| p.paragraph);
    assert_eq!(acme.len(), bolt.len());
    assert!(!acme.is_empty());
    let ids = |ps: &[tenderscope::records::PassageRecord]| -> std::collections::BTreeSet<String> {
        ps.iter().map(|p| p.provenance.id.clone()).collect()
    };
    assert_eq!(ids(&acme).len(), acme.len());
    assert!(ids(&acme).is_disjoint(&ids(&bolt)));
    assert_eq!(acme[0].provenance.sha256, bolt[0].provenance.sha256);
    let show = |id: &str| -> Vec<String> {
        let out = fx.run(&["show", id, "--index", fx.index_str(), "--json"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["supplier"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(show(&acme[0].provenance.id), ["acme"]);
    assert_eq!(show(&bolt[0].provenance.id), ["bolt"]);
    // The document's sha256 names the content: both copies.
    assert_eq!(show(&acme[0].provenance.sha256), ["acme", "bolt"]);
    // A search finds the quote once per copy, each with its own id.
    let out = fx.run(&[
        "search",
        &acme[0]
            .text
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" "),
        "--index",
        fx.index_str(),
        "--json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: std::collections::BTreeSet<String> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["id"].as_str().map(str::to_string))
        .collect();
    assert!(ids.contains(&acme[0].provenance.id), "{ids:?}");
    assert!(ids.contains(&bolt[0].provenance.id), "{ids:?}");
}

#[test]
fn a_missing_batch_root_changes_nothing() {
    let fx = Fixture::new();
    let (c, _) = fx.ingest(&[]);
    assert_eq!(c, 0);
    // The batch folder is gone (a share not mounted): the run stops before the index.
    let moved = fx.root.join("batch-moved");
    std::fs::rename(&fx.batch, &moved).unwrap();
    let out = fx.run(&[
        "ingest",
        fx.batch.to_str().unwrap(),
        "--index",
        fx.index_str(),
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing was ingested and the index was not changed"),
        "{}",
        stderr(&out)
    );
    let docs = Records::open(&fx.index).unwrap().documents().unwrap();
    assert_eq!(docs.len() as u64, DEMO_FILES);
}

/// The removal guard (issue 12): an emptied batch folder (what an unmounted share looks like to
/// a nightly job) used to remove every indexed file, "17 removed", exit 0.
#[test]
fn an_emptied_root_stops_with_exit_2_unless_removals_are_allowed() {
    let fx = Fixture::new();
    assert_eq!(fx.ingest(&[]).0, 0);
    std::fs::remove_dir_all(&fx.batch).unwrap();
    std::fs::create_dir(&fx.batch).unwrap();
    let out = fx.run(&[
        "ingest",
        fx.batch.to_str().unwrap(),
        "--index",
        fx.index_str(),
    ]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("this run would remove 17 of the 17 files indexed from it (all of them)")
            && err.contains("--allow-removals"),
        "{err}"
    );
    assert_eq!(
        Records::open(&fx.index).unwrap().documents().unwrap().len() as u64,
        DEMO_FILES
    );
    let (c, rec) = fx.ingest(&["--allow-removals"]);
    assert_eq!((c, rec.removed), (0, DEMO_FILES), "{rec:?}");
    assert!(Records::open(&fx.index)
        .unwrap()
        .documents()
        .unwrap()
        .is_empty());
}

#[test]
fn a_root_whose_files_were_all_renamed_stops_with_exit_2_unless_removals_are_allowed() {
    let fx = Fixture::new();
    assert_eq!(fx.ingest(&[]).0, 0);
    for supplier in demo_suppliers() {
        let dir = fx.batch.join(&supplier);
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            std::fs::rename(&path, dir.join(format!("v2-{name}"))).unwrap();
        }
    }
    let (c, _) = fx.ingest_code(&[]);
    assert_eq!(c, 2);
    let docs = Records::open(&fx.index).unwrap().documents().unwrap();
    assert!(docs.iter().all(|d| !d.provenance.origin.contains("/v2-")));
    // More than half of a root is stopped too; a few files are not.
    let (c, rec) = fx.ingest(&["--allow-removals"]);
    assert_eq!((c, rec.added, rec.removed), (0, DEMO_FILES, DEMO_FILES));
    let weaver = fx.batch.join("weaver-home-care");
    std::fs::remove_dir_all(&weaver).unwrap();
    let (c, rec) = fx.ingest(&[]);
    assert_eq!((c, rec.removed), (0, 3));
    for supplier in [
        "cobalt-lane-digital",
        "dane-valley-civils",
        "greenshoots-cic",
    ] {
        std::fs::remove_dir_all(fx.batch.join(supplier)).unwrap();
    }
    let (c, _) = fx.ingest_code(&[]);
    assert_eq!(c, 2, "8 of the 14 files left would go");
}

/// The rule set used to depend on the working folder (`./rules` if present), so a nightly job
/// started from elsewhere silently classified with other rules (issue 12). Now the index
/// records the rule set it was built with, and later runs use it unless given `--rules`.
#[test]
fn later_runs_use_the_rule_set_recorded_in_the_index_whatever_the_working_folder() {
    let fx = Fixture::new();
    let (_, edited) = changed_rules(&fx.root);
    let (c, first) = fx.ingest(&["--rules", edited.to_str().unwrap()]);
    assert_eq!(c, 0);
    // Run again without --rules, from a folder whose ./rules is another rule set.
    let elsewhere = fx.root.join("elsewhere");
    copy_tree(&support::cli::rules_dir(), &elsewhere.join("rules"));
    let out = std::process::Command::new(support::cli::bin())
        .args([
            "ingest",
            fx.batch.to_str().unwrap(),
            "--index",
            fx.index.to_str().unwrap(),
            "--json",
        ])
        .current_dir(&elsewhere)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let again: RunRecord = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again.ruleset_version, first.ruleset_version);
    assert_eq!(
        (again.reclassified, again.rechecked, again.unchanged),
        (0, 0, DEMO_FILES)
    );
    // Search and report read with the same rules: the edited set's new pattern is there.
    let out = std::process::Command::new(support::cli::bin())
        .args([
            "report",
            "--format",
            "json",
            "--index",
            fx.index.to_str().unwrap(),
        ])
        .current_dir(&elsewhere)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["provenance"]["ruleset_versions"],
        serde_json::json!([first.ruleset_version])
    );
    // A new index from a folder with ./rules is built with the built-in set, not that folder's.
    let edited_here = fx.root.join("edited-here");
    copy_tree(&edited, &edited_here.join("rules"));
    let out = std::process::Command::new(support::cli::bin())
        .args([
            "ingest",
            fx.batch.to_str().unwrap(),
            "--index",
            "fresh",
            "--json",
        ])
        .current_dir(&edited_here)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let fresh: RunRecord = serde_json::from_slice(&out.stdout).unwrap();
    let builtin = tenderscope::classify::RuleSet::embedded().unwrap().version;
    assert!(
        fresh.ruleset_version.to_string().starts_with(&builtin),
        "{}",
        fresh.ruleset_version
    );
    assert_ne!(fresh.ruleset_version, first.ruleset_version);
}

/// `manifest.csv` rows naming files that are not there, files it leaves out and duplicate rows
/// used to pass without a word (issue 12): now each is a warning with its line.
#[test]
fn manifest_problems_are_warnings_with_line_numbers() {
    let fx = Fixture::new();
    let batch = fx.root.join("lot-batch");
    std::fs::create_dir_all(&batch).unwrap();
    std::fs::copy(
        demo().join("dane-valley-civils/method-statement.pdf"),
        batch.join("ms-1.pdf"),
    )
    .unwrap();
    std::fs::copy(greenshoots_plan(&demo()), batch.join("orphan.docx")).unwrap();
    std::fs::write(
        batch.join("manifest.csv"),
        "supplier,file,lot\nDane Valley Civils Ltd,ms-1.pdf,Lot 1\nAcme,missing.pdf,\nDane Valley Civils Ltd,ms-1.pdf,Lot 2\n",
    )
    .unwrap();
    let (c, rec) = fx.ingest_paths(&[&batch], &[]);
    assert_eq!(c, 0, "{rec:?}");
    let manifest = batch.join("manifest.csv").display().to_string();
    for expect in [
        format!("{manifest}:3: missing.pdf is not in the batch"),
        format!("{manifest}:4: ms-1.pdf is listed again (first on line 2); this row is used"),
        format!("{manifest}: orphan.docx is not listed (filed by its folder instead)"),
    ] {
        assert!(
            rec.warnings.contains(&expect),
            "{expect}\n{:#?}",
            rec.warnings
        );
    }
    let out = fx.run(&["ingest", batch.to_str().unwrap(), "--index", fx.index_str()]);
    assert!(
        stderr(&out).contains(&format!(
            "warning: {manifest}:3: missing.pdf is not in the batch"
        )),
        "{}",
        stderr(&out)
    );
}

/// One supplier's folder ingested on its own used to be filed under "(unassigned)" or its
/// subfolders: `--supplier NAME` names the supplier.
#[test]
fn supplier_names_the_supplier_of_a_single_folder() {
    let fx = Fixture::new();
    let folder = fx.batch.join("greenshoots-cic");
    let (c, rec) = fx.ingest_paths(&[&folder], &["--supplier", "Greenshoots CIC"]);
    assert_eq!(c, 0, "{rec:?}");
    assert_eq!(
        rec.suppliers.keys().cloned().collect::<Vec<_>>(),
        ["Greenshoots CIC"]
    );
    let docs = Records::open(&fx.index).unwrap().documents().unwrap();
    assert_eq!(docs.len(), 2);
    assert!(docs
        .iter()
        .all(|d| d.provenance.supplier == "Greenshoots CIC"));
}

/// Issue 12: ingest said 162 commitments, the scorecard 109, with nothing saying why. The
/// scorecard now shows ingest's count (every passage classified as a commitment) beside the
/// count its cells use (those mapped to a principle), and says which is which.
#[test]
fn the_scorecard_counts_commitments_as_ingest_does() {
    let fx = Fixture::new();
    let (c, rec) = fx.ingest(&[]);
    assert_eq!(c, 0);
    let out = fx.run(&["report", "--index", fx.index_str(), "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let suppliers = json["suppliers"].as_array().unwrap();
    assert_eq!(suppliers.len(), rec.suppliers.len());
    let mut fewer = 0;
    for s in suppliers {
        let name = s["name"].as_str().unwrap();
        let all = s["classified"]["commitments"].as_u64().unwrap();
        let mapped = s["counts"]["commitments"].as_u64().unwrap();
        assert_eq!(all, rec.suppliers[name].commitments, "{name}");
        assert!(mapped <= all, "{name}: {mapped} > {all}");
        fewer += u64::from(mapped < all);
    }
    // The two counts do differ on the demo batch, which is why both are shown.
    assert!(fewer > 0);
    let out = fx.run(&["report", "--index", fx.index_str(), "--format", "md"]);
    let md = stdout(&out);
    assert!(md.contains("| All commitments | Commitments |"), "{md}");
    assert!(md.contains("as `ingest` counts them"), "{md}");
    // The Word scorecard has the same column.
    let docx = fx.root.join("scorecard.docx");
    let out = fx.run(&[
        "report",
        "--index",
        fx.index_str(),
        "--format",
        "docx",
        "-o",
        docx.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = fx.run(&["extract", docx.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(text.contains("All commit."), "{text}");
    assert!(text.contains("as ingest counts them"), "{text}");
}

/// Every record of an index as JSON lines, without the time of the run.
fn records_without_time(index: &Path) -> Vec<String> {
    let mut out = Vec::new();
    Records::open(index)
        .unwrap()
        .for_each(|r| {
            let mut v = serde_json::to_value(r.unwrap()).unwrap();
            v.as_object_mut().unwrap().remove("ingested");
            out.push(v.to_string());
            Ok(())
        })
        .unwrap();
    out.sort();
    out
}

#[test]
fn chunks_extracted_while_the_last_is_classified_give_the_same_index() {
    let dir = tempfile::tempdir().unwrap();
    let batch = support::write_batch(dir.path());
    let files = support::batch_spec().len() as u64;
    let one = dir.path().join("one-chunk");
    let many = dir.path().join("chunks-of-one");
    let whole = support::ingest_in_chunks(std::slice::from_ref(&batch), &one, "t", 0);
    let piecewise = support::ingest_in_chunks(std::slice::from_ref(&batch), &many, "t", 1);
    assert!(files > 2, "the batch must span several chunks of one file");
    assert_eq!((whole.files, whole.extracted), (files, files));
    assert_eq!(
        (piecewise.files, piecewise.extracted, piecewise.passages),
        (files, files, whole.passages)
    );
    assert_eq!(records_without_time(&one), records_without_time(&many));
    // The run says where its time went.
    for r in [&whole, &piecewise] {
        assert!(
            r.stages.extract > 0.0 && r.stages.classify > 0.0,
            "{:?}",
            r.stages
        );
    }
}

#[test]
fn rtf_and_legacy_doc_named_files_in_a_batch_are_read_by_their_bytes() {
    let fx = Fixture::new();
    let rtf = fx.batch.join("greenshoots-cic/offer.rtf");
    std::fs::write(
        &rtf,
        b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Social value offer\\par\n\
          We will create 12 apprenticeships for local residents by March 2027.\\par}",
    )
    .unwrap();
    // An RTF saved with a .doc name: the reader is chosen from the bytes.
    let doc = fx.batch.join("greenshoots-cic/offer-copy.doc");
    std::fs::write(
        &doc,
        b"{\\rtf1\\ansi We will pay every member of staff the Real Living Wage from day one.\\par}",
    )
    .unwrap();
    let (c, rec) = fx.ingest(&[]);
    assert_eq!(c, 0, "{rec:?}");
    assert_eq!((rec.files, rec.failed), (DEMO_FILES + 2, 0));
    assert!(rec.not_read.is_empty(), "{:?}", rec.not_read);
    let mut formats = BTreeMap::new();
    Records::open(&fx.index)
        .unwrap()
        .for_each(|r| {
            if let Record::Passage(p) = r.unwrap() {
                if p.provenance.origin.contains("offer") {
                    formats.insert(p.text.clone(), (p.provenance.format, p.kind));
                }
            }
            Ok(())
        })
        .unwrap();
    let apprentices = formats
        .iter()
        .find(|(t, _)| t.contains("12 apprenticeships"))
        .map(|(_, v)| *v);
    assert_eq!(
        apprentices,
        Some((
            tenderscope::Format::Rtf,
            tenderscope::classify::StatementKind::Commitment
        ))
    );
    assert!(
        formats.keys().any(|t| t.contains("Real Living Wage")),
        "{formats:?}"
    );
}

#[test]
fn worker_processes_fed_across_chunks_give_the_same_index() {
    use tenderscope::classify::RuleSet;
    use tenderscope::ingest::{Isolation, Options};
    let dir = tempfile::tempdir().unwrap();
    let batch = support::write_batch(dir.path());
    let files = support::batch_spec().len() as u64;
    let one = dir.path().join("in-process");
    let many = dir.path().join("workers-chunks-of-one");
    let whole = support::ingest_in_chunks(std::slice::from_ref(&batch), &one, "t", 0);
    let rules = RuleSet::embedded().unwrap();
    let opts = Options {
        paths: vec![batch.clone()],
        tender: Some("t".to_string()),
        supplier: None,
        jobs: 2,
        limits: tenderscope::Limits::default(),
        isolation: Isolation::Workers(PathBuf::from(env!("CARGO_BIN_EXE_tenderscope"))),
        classifier: rules.classifier(None).unwrap(),
        allow_removals: false,
        // Every file its own chunk: two workers take files of several chunks at once.
        chunk_files: 1,
        delivery: None,
    };
    let store = Store::open_or_create(&many).unwrap();
    let fed = tenderscope::ingest::run(&store, &opts, &|_| {}).unwrap();
    assert!(files > 2, "the batch must span several chunks of one file");
    assert_eq!(fed.failed, 0, "{:?}", fed.failures);
    assert_eq!(
        (fed.files, fed.extracted, fed.passages),
        (files, files, whole.passages)
    );
    assert_eq!(records_without_time(&one), records_without_time(&many));
}
