//! Batch ingest and incremental re-indexing: sources in, one index commit out.
//!
//! A run:
//! 1. takes the index's single writer (a second concurrent run fails at once);
//! 2. discovers the batch's sources ([`crate::batch`]);
//! 3. compares each with its document record in the index: a file whose size and mtime (or,
//!    failing that, sha256) and extractor version are unchanged is not extracted again; if the
//!    rule set also is unchanged it is not touched at all;
//! 4. extracts what is new or changed (in watchdog-guarded workers), caching each result by
//!    sha256 in the index folder, and re-reads cached text for what only needs re-classifying;
//! 5. segments and classifies in parallel, and writes each document's records in order; after
//!    a rule change only the passages the changed rules can touch ([`recheck`]); deletes the
//!    records of files that are gone from the batch roots given;
//! 6. commits once, then appends a run record to `runs.jsonl`.
//!
//! A run killed at any point leaves the previous commit searchable; the next run redoes the work.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

use crate::batch::{self, Source};
use crate::classify::diff::Probe;
use crate::classify::{Classification, Classifier, StatementKind};
use crate::document::{unread_file_reason, unread_page_reason, Document, PageInfo, PageOcr};
use crate::error::{Error, Result};
use crate::extract::{self, EXTRACTOR_VERSION};
use crate::index::query;
use crate::index::records::{unread_to_stored, DocumentRecord, PassageRecord, Provenance, Records};
use crate::index::schema::{RECORD_DOCUMENT, RECORD_UNREAD};
use crate::index::stamp::RuleSetStamp;
use crate::index::{describe, index_error, write_atomic, Fields, Store};
use crate::limits::Limits;
use crate::passage::{copy_key, segment_copy, Passage};
use crate::period::{Period, Stage};
use crate::unread::{Status, Unread};

pub mod delivery;
mod queue;
mod recheck;
use recheck::rule_changes;
pub use recheck::{recorded_rules, Recorded};

/// How extraction runs.
#[derive(Clone, Debug)]
pub enum Isolation {
    /// Worker processes of this executable, with a watchdog.
    Workers(PathBuf),
    /// Threads of this process.
    InProcess,
}

pub struct Options<'a> {
    pub paths: Vec<PathBuf>,
    pub tender: Option<String>,
    /// Every file of the run belongs to this supplier (one supplier's folder, zip or files).
    pub supplier: Option<String>,
    pub jobs: usize,
    pub limits: Limits,
    pub isolation: Isolation,
    pub classifier: Classifier<'a>,
    /// Let the run remove more than [`removal_guard`] allows.
    pub allow_removals: bool,
    /// Files per chunk (memory holds two chunks of documents: one being extracted, one being
    /// classified and written); 0 for the default, [`CHUNK_FILES`].
    pub chunk_files: usize,
    /// `None` for a tender batch; for monitoring returns, the period they report on. Their
    /// tender and suppliers are those of the tender batch already in the index ([`delivery`]).
    pub delivery: Option<Period>,
}

/// A root with more indexed files than this may lose up to half of them in one run; a smaller
/// one may lose all but one.
pub const REMOVAL_HANDFUL: u64 = 5;

/// Whether removing `removed` of a root's `indexed` files needs `--allow-removals`, and why:
/// all of them, or more than half of a root with more than [`REMOVAL_HANDFUL`] files. An empty
/// folder is what an unmounted share looks like to a nightly job.
pub fn removal_guard(removed: u64, indexed: u64) -> Option<&'static str> {
    if indexed == 0 || removed == 0 {
        None
    } else if removed >= indexed {
        Some("all of them")
    } else if indexed > REMOVAL_HANDFUL && removed * 2 > indexed {
        Some("more than half")
    } else {
        None
    }
}

/// One file that could not be ingested.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Failure {
    pub origin: String,
    pub reason: String,
    /// Whose file it is (empty in run records written before this field).
    #[serde(default)]
    pub supplier: String,
}

/// Per-supplier counts in a run summary.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SupplierCounts {
    pub files: u64,
    pub pages: u64,
    pub passages: u64,
    pub commitments: u64,
}

/// What one run did: printed as the summary and appended to the run log.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RunRecord {
    pub started: String,
    pub ended: String,
    pub seconds: f64,
    pub roots: Vec<String>,
    /// Files found in the batch.
    pub files: u64,
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
    pub unchanged: u64,
    /// Unchanged files whose passages were re-classified and re-written (the rule set changed).
    pub reclassified: u64,
    /// Unchanged files that a rule change could not affect: no changed rule matches any of
    /// their passages, so only their document record was stamped with the new rule set.
    #[serde(default)]
    pub rechecked: u64,
    /// How the rule change was applied: the rules that changed, or why every file had to be
    /// re-classified. Empty when the rule set did not change.
    #[serde(default)]
    pub rule_change: String,
    /// Files extracted in this run (the rest came from the cache or were untouched).
    pub extracted: u64,
    pub failed: u64,
    /// Over the files written in this run.
    pub pages: u64,
    pub passages: u64,
    pub commitments: u64,
    pub suppliers: BTreeMap<String, SupplierCounts>,
    pub failures: Vec<Failure>,
    /// Files under the roots in a format tenderscope does not read.
    #[serde(default)]
    pub unsupported: u64,
    /// Files under the roots left out by a documented rule (hidden, lock files, the manifest).
    #[serde(default)]
    pub skipped: u64,
    /// Pages of read files that have no text layer (scans): their evidence is missing.
    #[serde(default)]
    pub no_text_pages: u64,
    /// Every file (or page) under the roots that was not read, with the reason: failed,
    /// unsupported, skipped by rule, or a page without a text layer. Sorted by origin.
    #[serde(default)]
    pub not_read: Vec<Unread>,
    pub warnings: Vec<String>,
    /// Monitoring returns that corrected ones ingested earlier for the same supplier and
    /// period: what was replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<String>,
    pub ruleset_version: RuleSetStamp,
    pub extractor_version: String,
    /// Where the run's time went, in seconds of each stage's own clock. Extraction of one chunk
    /// overlaps the classifying and writing of the one before, so the stages add up to more
    /// than `seconds`.
    #[serde(default)]
    pub stages: Stages,
}

/// Seconds spent in each stage of a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stages {
    /// Finding the files under the roots (and staging zip members).
    pub discover: f64,
    /// Hashing, cache look-ups and extraction, chunk by chunk.
    pub extract: f64,
    /// Segmenting and classifying.
    pub classify: f64,
    /// Adding records to the index writer (its own threads index them).
    pub write: f64,
    /// The commit, with the writer's last indexing and merging.
    pub commit: f64,
}

/// What the index knows of one source from its last run.
struct Known {
    pages: u64,
    /// Pages without a text layer OCR did not read, as the document record keeps them.
    no_text_pages: Vec<u32>,
    /// Pages without a text layer OCR was tried on, with what it gave.
    ocr: Vec<PageInfo>,
    sha256: String,
    size: u64,
    mtime: i64,
    extractor_version: String,
    ruleset_version: RuleSetStamp,
    tender: String,
    supplier: String,
    stage: Stage,
    period: Option<Period>,
    replaced: Vec<String>,
}

/// What this run must do with a source.
enum Plan {
    /// Same file, same extractor, same rules.
    Keep,
    /// Same text, new rules: re-classify from the cache (the text's sha256, and the rule-set
    /// stamp of its records).
    Reclassify {
        sha256: String,
        ruleset: RuleSetStamp,
    },
    /// New or changed file: extract (or find its text in the cache by sha256).
    Extract { added: bool },
}

fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

fn epoch_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The version stamped on findings: the rule set's content hash and the framework used.
pub fn ruleset_stamp(classifier: &Classifier<'_>) -> RuleSetStamp {
    RuleSetStamp::new(&classifier.rules.version, classifier.framework_id())
}

/// Run one ingest. `progress` is called per extracted file (done, total, failed so far).
pub fn run(
    store: &Store,
    opts: &Options<'_>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<RunRecord> {
    let started_at = std::time::Instant::now();
    let mut rec = RunRecord {
        started: now_rfc3339(),
        ruleset_version: ruleset_stamp(&opts.classifier),
        extractor_version: EXTRACTOR_VERSION.to_string(),
        ..RunRecord::default()
    };
    let mut writer = store.writer()?;
    let fields = store.fields;

    let known = read_known(store)?;
    let clock = std::time::Instant::now();
    // Monitoring returns belong to a tender already in the index.
    let tender = match opts.delivery {
        None => opts.tender.clone(),
        Some(_) => Some(delivery::award_tender(
            &store.dir,
            known.values().map(|k| (k.stage, k.tender.as_str())),
            opts.tender.as_deref(),
        )?),
    };
    let mut found = batch::discover_as(
        &opts.paths,
        tender.as_deref(),
        opts.supplier.as_deref(),
        &store.staging_dir(),
        &opts.limits,
    );
    if let Some(period) = opts.delivery {
        let suppliers = delivery::Suppliers::new(
            known
                .values()
                .filter(|k| k.stage == Stage::Tender)
                .map(|k| (k.tender.as_str(), k.supplier.as_str())),
        );
        for src in &mut found.sources {
            src.stage = Stage::Delivery;
            src.period = Some(period);
            match suppliers.find(&src.tender, &src.supplier) {
                Some(name) => src.supplier = name.to_string(),
                None => rec.warnings.push(delivery::unknown_supplier(src)),
            }
        }
        rec.warnings.sort();
        rec.warnings.dedup();
    }
    rec.stages.discover = clock.elapsed().as_secs_f64();
    rec.warnings.extend(found.warnings.iter().cloned());
    rec.roots = opts
        .paths
        .iter()
        .map(|p| {
            std::path::absolute(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string()
        })
        .collect();
    rec.files = found.sources.len() as u64;

    // The removal guard: before anything is extracted or deleted.
    if !opts.allow_removals {
        let found_origins: HashSet<&str> =
            found.sources.iter().map(|s| s.origin.as_str()).collect();
        for (root, path) in rec.roots.iter().zip(&opts.paths) {
            let indexed: Vec<&str> = known
                .keys()
                .map(String::as_str)
                .filter(|o| is_under(o, root))
                .collect();
            let removed = indexed
                .iter()
                .filter(|o| !found_origins.contains(*o))
                .count() as u64;
            if let Some(why) = removal_guard(removed, indexed.len() as u64) {
                return Err(Error::Removals {
                    root: path.clone(),
                    removed,
                    indexed: indexed.len() as u64,
                    why,
                });
            }
        }
    }

    // What the last run could not read under these roots is decided again by this one.
    for origin in read_unread_origins(store)? {
        if rec.roots.iter().any(|r| is_under(&origin, r)) {
            delete_where(&writer, fields, &origin, fields.record, RECORD_UNREAD)
                .map_err(|e| writer_failure(&mut writer, &store.dir, &origin, e))?;
        }
    }
    for s in &found.skipped {
        let unread = Unread {
            tender: s.tender.clone(),
            supplier: s.supplier.clone(),
            origin: s.origin.clone(),
            status: Status::Failed,
            reason: s.error.to_string(),
            page: None,
        };
        add_unread(&mut writer, fields, &unread, &mut rec)
            .map_err(|e| writer_failure(&mut writer, &store.dir, &s.origin, e))?;
    }
    for u in &found.unread {
        add_unread(&mut writer, fields, u, &mut rec)
            .map_err(|e| writer_failure(&mut writer, &store.dir, &u.origin, e))?;
    }

    // Decide per source.
    let mut plans = Vec::with_capacity(found.sources.len());
    for src in &found.sources {
        plans.push(plan_for(src, known.get(&src.origin), &rec.ruleset_version));
    }
    if opts.delivery.is_some() {
        // A return for a supplier and period already ingested from other files replaces them;
        // a return file that changed replaces its earlier version.
        let earlier = delivery::earlier_returns(
            &found.sources,
            known
                .iter()
                // Files gone from under this run's roots are removed as in any run.
                .filter(|(o, k)| {
                    k.stage == Stage::Delivery && !rec.roots.iter().any(|r| is_under(o, r))
                })
                .map(|(o, k)| (o.as_str(), k.tender.as_str(), k.supplier.as_str(), k.period)),
        );
        for (src, plan) in found.sources.iter_mut().zip(&plans) {
            let k = known.get(&src.origin);
            src.replaced = k.map(|k| k.replaced.clone()).unwrap_or_default();
            if matches!(plan, Plan::Extract { added: false })
                && k.is_some_and(|k| k.stage == Stage::Delivery && k.period == src.period)
                && !src.replaced.contains(&src.origin)
            {
                src.replaced.push(src.origin.clone());
                rec.corrections.push(format!(
                    "{} {}: {} changed since it was ingested; the new version replaces it",
                    src.supplier,
                    src.period.map(|p| p.to_string()).unwrap_or_default(),
                    src.origin
                ));
            }
            for old in earlier.get(src.origin.as_str()).into_iter().flatten() {
                if !src.replaced.iter().any(|r| r == old) {
                    src.replaced.push(old.to_string());
                }
            }
        }
        let mut gone: Vec<(&str, &str, String)> = Vec::new();
        for src in &found.sources {
            for old in earlier.get(src.origin.as_str()).into_iter().flatten() {
                gone.push((
                    old,
                    &src.supplier,
                    src.period.map(|p| p.to_string()).unwrap_or_default(),
                ));
            }
        }
        gone.sort();
        gone.dedup();
        for (old, supplier, period) in gone {
            delete_origin(&mut writer, fields, old);
            rec.corrections.push(format!(
                "{supplier} {period}: {old} (ingested earlier for this period) is replaced by this return"
            ));
        }
    }

    // Extract and write in chunks, so that memory holds one chunk of documents, not the batch.
    let total = plans
        .iter()
        .filter(|p| matches!(p, Plan::Extract { .. }))
        .count();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::atomic::AtomicUsize::new(0);
    let on_done = |_: usize, r: &Result<Document>| {
        let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let f = failed.load(std::sync::atomic::Ordering::Relaxed) + usize::from(r.is_err());
        if r.is_err() {
            failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        progress(Progress {
            done: d,
            total,
            failed: f,
            pages: r.as_ref().map_or(0, |doc| doc.pages as u64),
        });
    };
    let ingested = epoch_secs();
    let ruleset = rec.ruleset_version.clone();
    let rechecks = rule_changes(store, &plans, &opts.classifier, &mut rec);
    // One pool for the run: hashing, in-process extraction, segmenting and classifying.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .map_err(|e| Error::Worker(e.to_string()))?;
    let mut seen: HashSet<&str> = HashSet::new();
    let chunk_len = match opts.chunk_files {
        0 => CHUNK_FILES.max(opts.jobs * 4),
        n => n,
    };
    let n = found.sources.len();
    let chunks: Vec<std::ops::Range<usize>> = (0..n)
        .step_by(chunk_len)
        .map(|s| s..(s + chunk_len).min(n))
        .collect();
    let sources = &found.sources;
    let plans = &plans;
    let pool = &pool;
    let on_done = &on_done;
    // One extraction stage for the run, fed file by file across chunk boundaries: `jobs`
    // extractors (each with its worker process, or a thread when in-process) take the next
    // file as soon as they are free, so that no worker waits behind the slowest file of a
    // chunk for the next chunk to start. Chunks are still classified and written here whole
    // and in order, and memory still holds two chunks of documents: the files of chunk k + 2
    // are not queued before chunk k is written.
    // Files likely to need OCR go first, then larger ones, among the (at most two) chunks queued:
    // a slow file started last would leave one worker reading it alone at the end of the run.
    let jobs = queue::Jobs::new();
    let (msg_tx, msg_rx) = mpsc::channel::<Fed>();
    let (written_tx, written_rx) = mpsc::channel::<()>();
    let chunks = &chunks;
    std::thread::scope(|scope| -> Result<()> {
        // Owned here, so that an early return lets the other threads stop.
        let msg_rx = msg_rx;
        let written_tx = written_tx;
        for _ in 0..opts.jobs.max(1) {
            let msg_tx = msg_tx.clone();
            let jobs = &jobs;
            scope.spawn(move || {
                let mut slot = match &opts.isolation {
                    Isolation::Workers(exe) => Some(extract::isolate::Slot::new(exe, &opts.limits)),
                    Isolation::InProcess => None,
                };
                while let Some(queue::Job { chunk, i, .. }) = jobs.pop() {
                    let path = &sources[i].path;
                    // A panic here must not leave the writing loop waiting for this file.
                    let result =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            match slot.as_mut() {
                                Some(slot) => slot.extract(path),
                                None => extract::extract_file(path, &opts.limits),
                            }
                        }))
                        .unwrap_or_else(|_| {
                            Err(Error::Panic("extraction panicked".into()).in_file(path))
                        });
                    on_done(i, &result);
                    let fed = Fed::Extracted {
                        chunk,
                        i,
                        result,
                        at: Instant::now(),
                    };
                    if msg_tx.send(fed).is_err() {
                        break;
                    }
                }
            });
        }
        let jobs = &jobs;
        scope.spawn(move || {
            // However this ends, the extractors stop once the queue is empty.
            let _close = jobs.closer();
            for (k, chunk) in chunks.iter().enumerate() {
                if k >= 2 && written_rx.recv().is_err() {
                    break;
                }
                let plan = plan_chunk(store, sources, plans, chunk.clone(), pool, on_done);
                // One extractor gains nothing by the order and would hold back the first chunk's
                // writing (and its classifying, beside extraction) behind the next chunk's scans.
                let ordered = opts.jobs > 1;
                let queued: Vec<queue::Job> = plan
                    .extract
                    .iter()
                    .zip(&plan.costs)
                    .map(|(&i, &cost)| queue::Job {
                        cost: if ordered {
                            cost
                        } else {
                            queue::Cost::default()
                        },
                        chunk: k,
                        i,
                    })
                    .collect();
                if msg_tx.send(Fed::Planned(k, plan)).is_err() {
                    break;
                }
                jobs.push(queued);
            }
        });
        let mut planned: HashMap<usize, ChunkPlan> = HashMap::new();
        let mut results: HashMap<usize, Vec<(usize, Result<Document>, Instant)>> = HashMap::new();
        let mut last_end: Option<Instant> = None;
        for (k, chunk) in chunks.iter().enumerate() {
            // Wait for this chunk's plan and every file it extracts.
            loop {
                let have = results.get(&k).map_or(0, Vec::len);
                if planned.get(&k).is_some_and(|p| p.extract.len() == have) {
                    break;
                }
                match msg_rx.recv() {
                    Ok(Fed::Planned(c, plan)) => {
                        planned.insert(c, plan);
                    }
                    Ok(Fed::Extracted {
                        chunk,
                        i,
                        result,
                        at,
                    }) => results.entry(chunk).or_default().push((i, result, at)),
                    Err(_) => return Err(Error::Worker("the extraction stage stopped".into())),
                }
            }
            let (Some(plan), extracted) =
                (planned.remove(&k), results.remove(&k).unwrap_or_default())
            else {
                return Err(Error::Worker("the extraction stage stopped".into()));
            };
            let fetched = finish_chunk(plan, extracted, sources, opts, on_done, &mut last_end);
            rec.extracted += fetched.extracted;
            rec.stages.extract += fetched.seconds;
            let mut fresh = fetched.fresh;
            let chunk = chunk.clone();

            // What each source of the chunk needs, in a stable order.
            let mut work: Vec<(&Source, Work)> = Vec::new();
            for i in chunk {
                let (Some(src), Some(plan)) = (found.sources.get(i), plans.get(i)) else {
                    continue;
                };
                seen.insert(src.origin.as_str());
                match plan {
                    Plan::Keep => {
                        rec.unchanged += 1;
                        if let Some(k) = known.get(&src.origin) {
                            no_text_pages(src, k.pages, &k.no_text_pages, &k.ocr, &mut rec);
                        }
                    }
                    Plan::Reclassify { sha256, ruleset } => {
                        let probe = rechecks.get(ruleset).and_then(|p| p.as_ref().ok());
                        work.push((src, Work::Cached(sha256, probe)));
                    }
                    Plan::Extract { added } => match fresh.remove(&i) {
                        Some(Ok(doc)) => {
                            if *added {
                                rec.added += 1;
                            } else {
                                rec.changed += 1;
                            }
                            save_cached(store, &doc, &mut rec);
                            work.push((src, Work::Fresh(Box::new(doc))));
                        }
                        Some(Err(e)) => fail(&mut writer, fields, src, e, &mut rec)
                            .map_err(|e| writer_failure(&mut writer, &store.dir, &src.origin, e))?,
                        None => {}
                    },
                }
            }

            // Segment and classify in parallel; write in order.
            let clock = std::time::Instant::now();
            let prepared: Vec<(&Source, Outcome)> = pool.install(|| {
                use rayon::prelude::*;
                work.into_par_iter()
                    .map(|(src, w)| {
                        let stamp = Stamp {
                            fields,
                            ruleset: &ruleset,
                            ingested,
                        };
                        (
                            src,
                            prepare(store, w, &opts.classifier, src, &opts.limits, stamp),
                        )
                    })
                    .collect()
            });
            rec.stages.classify += clock.elapsed().as_secs_f64();
            let clock = std::time::Instant::now();
            for (src, outcome) in prepared {
                let doc = match outcome {
                    Outcome::Failed(e) => {
                        fail(&mut writer, fields, src, e, &mut rec)
                            .map_err(|e| writer_failure(&mut writer, &store.dir, &src.origin, e))?;
                        continue;
                    }
                    Outcome::Confirmed(doc) => {
                        rec.unchanged += 1;
                        rec.rechecked += 1;
                        if let Err(e) =
                            confirm_document(&mut writer, fields, src, &doc, &ruleset, ingested)
                        {
                            return Err(writer_failure(&mut writer, &store.dir, &src.origin, e));
                        }
                        doc
                    }
                    Outcome::Classified {
                        doc,
                        passages,
                        from,
                        whole,
                    } => {
                        match from {
                            Origin::Extracted => {}
                            Origin::Cache => {
                                rec.unchanged += 1;
                                rec.reclassified += 1;
                            }
                            Origin::Reextracted => {
                                rec.changed += 1;
                                save_cached(store, &doc, &mut rec);
                            }
                        }
                        if let Err(e) = write_document(
                            &mut writer,
                            fields,
                            src,
                            &doc,
                            passages,
                            &ruleset,
                            ingested,
                            whole,
                            &mut rec,
                        ) {
                            return Err(writer_failure(&mut writer, &store.dir, &src.origin, e));
                        }
                        doc
                    }
                };
                let unread: Vec<u32> = doc.unread_pages().map(|p| p.page).collect();
                let ocr: Vec<PageInfo> = doc.ocr_pages().cloned().collect();
                no_text_pages(src, u64::from(doc.pages), &unread, &ocr, &mut rec);
                for w in &doc.warnings {
                    let at = w.page.map(|p| format!(" page {p}:")).unwrap_or_default();
                    rec.warnings
                        .push(format!("{}:{at} {}", src.origin, w.message));
                }
            }
            rec.stages.write += clock.elapsed().as_secs_f64();
            // Chunk k + 2 may be queued now (the receiver is gone once every chunk is).
            let _ = written_tx.send(());
        }
        Ok(())
    })?;

    // Files gone from the roots of this run leave the index.
    let roots: Vec<String> = rec.roots.clone();
    for origin in known.keys() {
        let under_root = roots.iter().any(|r| is_under(origin, r));
        if under_root && !seen.contains(origin.as_str()) {
            delete_origin(&mut writer, fields, origin);
            rec.removed += 1;
        }
    }

    rec.failed = rec.failures.len() as u64;
    rec.not_read
        .sort_by(|a, b| (&a.origin, a.page).cmp(&(&b.origin, b.page)));
    let clock = std::time::Instant::now();
    writer.commit().map_err(|e| Error::Index {
        path: store.dir.clone(),
        detail: format!(
            "committing this run: {} (nothing was committed)",
            crate::index::describe(&store.dir, &e)
        ),
    })?;
    writer
        .wait_merging_threads()
        .map_err(|e| index_error(&store.dir, e))?;
    rec.stages.commit = clock.elapsed().as_secs_f64();
    if let Err(e) = recheck::record(store, &opts.classifier) {
        // The next run without --rules cannot tell which rules built the index: it says so.
        rec.warnings.push(format!("rule-set record: {e}"));
    }
    rec.ended = now_rfc3339();
    rec.seconds = started_at.elapsed().as_secs_f64();
    append_run(store, &rec).map_err(|e| Error::Index {
        path: store.dir.clone(),
        detail: format!(
            "this run was committed, but its record could not be added to the run log: {e}"
        ),
    })?;
    Ok(rec)
}

/// Files extracted and written per chunk, by default.
pub const CHUNK_FILES: usize = 64;

/// The documents of one chunk that its plans say to extract, by source index.
struct Fetched {
    fresh: HashMap<usize, Result<Document>>,
    /// How many were extracted (not found in the cache).
    extracted: u64,
    seconds: f64,
}

/// What a chunk needs before it is written: documents found in the cache, the files to
/// extract, and copies of content the chunk extracts once.
struct ChunkPlan {
    fresh: HashMap<usize, Result<Document>>,
    /// Source indices to extract, in order.
    extract: Vec<usize>,
    /// What each of `extract` is expected to cost, in the same order.
    costs: Vec<queue::Cost>,
    /// (copy, first source with the same content).
    copies: Vec<(usize, usize)>,
    started: Instant,
    planned: Instant,
}

/// What the extraction stage hands to the writing loop.
enum Fed {
    Planned(usize, ChunkPlan),
    Extracted {
        chunk: usize,
        i: usize,
        result: Result<Document>,
        at: Instant,
    },
}

/// Plan what a chunk needs. The same content is extracted once: a file whose content the
/// cache already holds (another copy, from this run or an earlier one) is read from there,
/// and copies in one chunk share one extraction. Hashing is cheap next to extracting.
fn plan_chunk(
    store: &Store,
    sources: &[Source],
    plans: &[Plan],
    chunk: std::ops::Range<usize>,
    pool: &rayon::ThreadPool,
    on_done: &(dyn Fn(usize, &Result<Document>) + Sync),
) -> ChunkPlan {
    let started = Instant::now();
    let to_extract: Vec<usize> = chunk
        .filter(|&i| matches!(plans.get(i), Some(Plan::Extract { .. })))
        .collect();
    let hashes: Vec<(Option<String>, queue::Cost)> = pool.install(|| {
        use rayon::prelude::*;
        to_extract
            .par_iter()
            .map(|&i| queue::hash_and_cost(&sources[i].path))
            .collect()
    });
    let mut fresh: HashMap<usize, Result<Document>> = HashMap::new();
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    let mut copies: Vec<(usize, usize)> = Vec::new();
    let mut extract_now: Vec<usize> = Vec::new();
    let mut costs: Vec<queue::Cost> = Vec::new();
    for (&i, (sha, cost)) in to_extract.iter().zip(&hashes) {
        let Some(sha) = sha.as_deref() else {
            extract_now.push(i);
            costs.push(*cost);
            continue;
        };
        if let Some(&first) = first_of.get(sha) {
            copies.push((i, first));
        } else if let Some(doc) = load_cached(store, sha) {
            first_of.insert(sha, i);
            let doc = Ok(doc);
            on_done(i, &doc);
            fresh.insert(i, doc);
        } else {
            first_of.insert(sha, i);
            extract_now.push(i);
            costs.push(*cost);
        }
    }
    ChunkPlan {
        fresh,
        extract: extract_now,
        costs,
        copies,
        started,
        planned: Instant::now(),
    }
}

/// A chunk with its plan carried out: what was extracted, and the copies. Its seconds are
/// those of the extraction stage's clock from the end of the chunk before (or from its own
/// start, if later) to the chunk's last result, so that chunks do not count the same time
/// twice.
fn finish_chunk(
    plan: ChunkPlan,
    extracted: Vec<(usize, Result<Document>, Instant)>,
    sources: &[Source],
    opts: &Options<'_>,
    on_done: &(dyn Fn(usize, &Result<Document>) + Sync),
    last_end: &mut Option<Instant>,
) -> Fetched {
    let ChunkPlan {
        mut fresh,
        copies,
        started,
        planned,
        ..
    } = plan;
    let mut end = planned;
    let mut count = 0;
    for (i, result, at) in extracted {
        end = end.max(at);
        count += u64::from(result.is_ok());
        fresh.insert(i, result);
    }
    let clock = Instant::now();
    for (i, first) in copies {
        let doc = match fresh.get(&first) {
            Some(Ok(doc)) => Ok(doc.clone()),
            // The first copy failed: this one is read on its own and fails with its own
            // message.
            _ => extract::extract_file(&sources[i].path, &opts.limits),
        };
        on_done(i, &doc);
        fresh.insert(i, doc);
    }
    let end = end + clock.elapsed();
    let from = last_end.map_or(started, |last| last.max(started));
    *last_end = Some(end);
    Fetched {
        fresh,
        extracted: count,
        seconds: end.saturating_duration_since(from).as_secs_f64(),
    }
}

/// Progress of extraction, for a bar or log lines.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub failed: usize,
    /// Pages of the file just finished.
    pub pages: u64,
}

fn plan_for(src: &Source, known: Option<&Known>, ruleset: &RuleSetStamp) -> Plan {
    let Some(k) = known else {
        return Plan::Extract { added: true };
    };
    if k.extractor_version != EXTRACTOR_VERSION
        || k.stage != src.stage
        || k.period != src.period
        || k.tender != src.tender
        || k.supplier != src.supplier
    {
        return Plan::Extract { added: false };
    }
    // Scanned pages left unread for want of the OCR program are read once it is there.
    let ocr_unavailable = k
        .ocr
        .iter()
        .any(|p| matches!(p.ocr, Some(PageOcr::Unavailable { .. })));
    if ocr_unavailable && extract::ocr::available() {
        return Plan::Extract { added: false };
    }
    let same_file = if k.size == src.size && k.mtime == src.mtime {
        true
    } else {
        // Touched or copied: same content if the hash says so.
        k.size == src.size && hash_file(&src.path).as_deref() == Some(k.sha256.as_str())
    };
    if !same_file {
        Plan::Extract { added: false }
    } else if k.ruleset_version == *ruleset {
        Plan::Keep
    } else {
        Plan::Reclassify {
            sha256: k.sha256.clone(),
            ruleset: k.ruleset_version.clone(),
        }
    }
}

/// Whether `origin` came from the batch root `root`: the root itself (a single file or zip),
/// a file below the folder, or a member of the zip.
fn is_under(origin: &str, root: &str) -> bool {
    match origin.strip_prefix(root) {
        Some(rest) => {
            rest.is_empty() || rest.starts_with(std::path::MAIN_SEPARATOR) || rest.starts_with('!')
        }
        None => false,
    }
}

/// The sha256 of a file's content, read in pieces (a batch may hold large files).
fn hash_file(path: &Path) -> Option<String> {
    queue::hash_and_cost(path).0
}

fn cache_path(store: &Store, sha: &str) -> PathBuf {
    store.cache_dir().join(format!("{sha}.json"))
}

#[cfg(test)]
mod tests {
    use super::is_under;

    #[test]
    fn the_removal_guard_stops_all_or_most_of_a_root() {
        use super::removal_guard;
        assert_eq!(removal_guard(0, 0), None);
        assert_eq!(removal_guard(0, 17), None);
        assert_eq!(removal_guard(17, 17), Some("all of them"));
        assert_eq!(removal_guard(1, 1), Some("all of them"));
        assert_eq!(removal_guard(4, 5), None);
        assert_eq!(removal_guard(9, 17), Some("more than half"));
        assert_eq!(removal_guard(8, 17), None);
    }

    #[test]
    fn removal_is_scoped_to_the_roots_of_the_run() {
        assert!(is_under("/b/demo/acme/x.pdf", "/b/demo"));
        assert!(is_under("/b/demo.zip!acme/x.pdf", "/b/demo.zip"));
        assert!(is_under("/b/one.pdf", "/b/one.pdf"));
        assert!(!is_under("/b/demo2/acme/x.pdf", "/b/demo"));
        assert!(!is_under("/c/x.pdf", "/b"));
    }
}

#[derive(Serialize, Deserialize)]
struct Cached {
    extractor_version: String,
    document: Document,
}

fn load_cached(store: &Store, sha: &str) -> Option<Document> {
    let bytes = std::fs::read(cache_path(store, sha)).ok()?;
    let cached: Cached = serde_json::from_slice(&bytes).ok()?;
    let stale = cached.document.ocr_was_unavailable() && extract::ocr::available();
    (cached.extractor_version == EXTRACTOR_VERSION && !stale).then_some(cached.document)
}

fn save_cached(store: &Store, doc: &Document, rec: &mut RunRecord) {
    let cached = Cached {
        extractor_version: EXTRACTOR_VERSION.to_string(),
        document: doc.clone(),
    };
    let result = serde_json::to_vec(&cached)
        .map_err(|e| Error::Worker(e.to_string()))
        .and_then(|bytes| write_atomic(&cache_path(store, &doc.sha256), &bytes));
    if let Err(e) = result {
        // The index is still right without the cache; the next run extracts again.
        rec.warnings.push(format!("cache: {e}"));
    }
}

fn fail(
    writer: &mut IndexWriter,
    fields: Fields,
    src: &Source,
    e: Error,
    rec: &mut RunRecord,
) -> tantivy::Result<()> {
    // A file that changed into something unreadable: its old records no longer match it.
    delete_origin(writer, fields, &src.origin);
    let reason = match e {
        Error::InFile { source, .. } => source.to_string(),
        e => e.to_string(),
    };
    let unread = Unread {
        tender: src.tender.clone(),
        supplier: src.supplier.clone(),
        origin: src.origin.clone(),
        status: Status::Failed,
        reason,
        page: None,
    };
    add_unread(writer, fields, &unread, rec)
}

/// Record a file that was not read: in the run record, and as an `unread` record in the index
/// (so that the scorecard lists it). A failure also goes to `failures`.
fn add_unread(
    writer: &mut IndexWriter,
    f: Fields,
    u: &Unread,
    rec: &mut RunRecord,
) -> tantivy::Result<()> {
    match u.status {
        Status::Failed => rec.failures.push(Failure {
            origin: u.origin.clone(),
            reason: u.reason.clone(),
            supplier: u.supplier.clone(),
        }),
        Status::Unsupported => rec.unsupported += 1,
        Status::Skipped => rec.skipped += 1,
        Status::NoTextLayer => rec.no_text_pages += 1,
    }
    rec.not_read.push(u.clone());
    add_record(writer, unread_to_stored(f, u, epoch_secs()))
}

/// List the pages of a read file that have no text layer and that OCR did not read in the run
/// record (the document record keeps them for the scorecard), each with why OCR did not read
/// it when it was tried (`ocr`).
///
/// A file none of whose pages has a text layer is one entry for the whole file: nothing of it
/// was read.
fn no_text_pages(src: &Source, total: u64, pages: &[u32], ocr: &[PageInfo], rec: &mut RunRecord) {
    let ocr_of = |page: u32| {
        ocr.iter()
            .find(|p| p.page == page)
            .and_then(|p| p.ocr.as_ref())
    };
    rec.no_text_pages += pages.len() as u64;
    if total > 0 && pages.len() as u64 >= total {
        rec.not_read.push(Unread {
            tender: src.tender.clone(),
            supplier: src.supplier.clone(),
            origin: src.origin.clone(),
            status: Status::NoTextLayer,
            reason: unread_file_reason(total, pages.first().and_then(|&p| ocr_of(p))),
            page: None,
        });
        return;
    }
    for &page in pages {
        rec.not_read.push(Unread {
            tender: src.tender.clone(),
            supplier: src.supplier.clone(),
            origin: src.origin.clone(),
            status: Status::NoTextLayer,
            reason: unread_page_reason(page, ocr_of(page)),
            page: Some(page),
        });
    }
}

/// The origins of every `unread` record in the last commit.
fn read_unread_origins(store: &Store) -> Result<Vec<String>> {
    let searcher = store.reader()?.searcher();
    let records = Records::from_parts(store.clone(), searcher);
    let mut out: Vec<String> = records.unread()?.into_iter().map(|u| u.origin).collect();
    out.dedup();
    Ok(out)
}

fn delete_origin(writer: &mut IndexWriter, fields: Fields, origin: &str) {
    writer.delete_term(Term::from_field_text(fields.origin, origin));
}

/// Where the records of a source come from: its batch entry, its content and the run.
fn provenance(
    id: &str,
    src: &Source,
    doc: &Document,
    ruleset: &RuleSetStamp,
    ingested: i64,
) -> Provenance {
    Provenance {
        id: id.to_string(),
        tender: src.tender.clone(),
        supplier: src.supplier.clone(),
        lot: src.lot.clone(),
        origin: src.origin.clone(),
        path: src.path.to_string_lossy().into_owned(),
        sha256: doc.sha256.clone(),
        format: doc.format,
        ruleset_version: ruleset.clone(),
        extractor_version: EXTRACTOR_VERSION.to_string(),
        ingested,
        stage: src.stage,
        period: src.period,
    }
}

fn add_record(writer: &IndexWriter, d: TantivyDocument) -> tantivy::Result<()> {
    writer.add_document(d).map(|_| ())
}

/// The document record of a source: what it is, and the rule set it is classified under.
fn document_record(
    f: Fields,
    src: &Source,
    doc: &Document,
    ruleset: &RuleSetStamp,
    ingested: i64,
) -> TantivyDocument {
    DocumentRecord {
        provenance: provenance(&doc.sha256, src, doc, ruleset, ingested),
        size: src.size,
        mtime: src.mtime,
        pages: u64::from(doc.pages),
        title: doc.metadata.title.clone(),
        no_text_pages: doc.unread_pages().map(|p| p.page).collect(),
        replaced: src.replaced.clone(),
        ocr: doc.ocr_pages().cloned().collect(),
    }
    .to_stored(f)
}

/// Delete the records of `origin` that have `field` = `value` (one record kind, or one id).
fn delete_where(
    writer: &IndexWriter,
    f: Fields,
    origin: &str,
    field: tantivy::schema::Field,
    value: &str,
) -> tantivy::Result<()> {
    let both = query::all(vec![
        query::term(f.origin, origin),
        query::term(field, value),
    ]);
    writer.delete_query(Box::new(both)).map(|_| ())
}

/// Replace only the document record of a source whose passages a rule change cannot affect:
/// it now says the document is current under `ruleset`, while its passage records keep the
/// stamp of the rule set that classified them (and gave the same result).
fn confirm_document(
    writer: &mut IndexWriter,
    f: Fields,
    src: &Source,
    doc: &Document,
    ruleset: &RuleSetStamp,
    ingested: i64,
) -> tantivy::Result<()> {
    delete_where(writer, f, &src.origin, f.record, RECORD_DOCUMENT)?;
    add_record(writer, document_record(f, src, doc, ruleset, ingested))
}

#[allow(clippy::too_many_arguments)]
fn write_document(
    writer: &mut IndexWriter,
    f: Fields,
    src: &Source,
    doc: &Document,
    passages: Vec<Classified>,
    ruleset: &RuleSetStamp,
    ingested: i64,
    whole: bool,
    rec: &mut RunRecord,
) -> tantivy::Result<()> {
    if whole {
        delete_origin(writer, f, &src.origin);
        add_record(writer, document_record(f, src, doc, ruleset, ingested))?;
    } else {
        // Only these passages are re-written; the others keep their records.
        confirm_document(writer, f, src, doc, ruleset, ingested)?;
        for (p, _, _) in &passages {
            delete_where(writer, f, &src.origin, f.id, &p.id.0)?;
        }
    }

    let counts = rec.suppliers.entry(src.supplier.clone()).or_default();
    counts.files += 1;
    counts.pages += u64::from(doc.pages);
    rec.pages += u64::from(doc.pages);
    for (_, c, stored) in passages {
        add_record(writer, stored)?;
        counts.passages += 1;
        rec.passages += 1;
        if c.kind == StatementKind::Commitment {
            counts.commitments += 1;
            rec.commitments += 1;
        }
    }
    Ok(())
}

/// What is left to do for a source once its extraction (if any) is done.
enum Work<'p> {
    /// Just extracted: classify everything.
    Fresh(Box<Document>),
    /// Unchanged text under a new rule set: its cached text by sha256, and the probe of the
    /// rule change when one could be made (`None`: classify everything).
    Cached(&'p str, Option<&'p Probe>),
}

/// Where a prepared document's text came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Extracted,
    Cache,
    /// The cache had lost it: extracted again, in this process.
    Reextracted,
}

/// A classified passage with its record as it is stored, built beside the classifying (in
/// parallel) so that the in-order writing only hands records to the index writer.
type Classified = (Passage, Classification, TantivyDocument);

/// What every passage record of a run is stamped with.
#[derive(Clone, Copy)]
struct Stamp<'a> {
    fields: Fields,
    ruleset: &'a RuleSetStamp,
    ingested: i64,
}

enum Outcome {
    Failed(Error),
    /// No passage can be affected by the rule change.
    Confirmed(Document),
    /// Classified: every passage (`whole`), or only those the rule change can affect (the
    /// others keep their records).
    Classified {
        doc: Document,
        passages: Vec<Classified>,
        from: Origin,
        whole: bool,
    },
}

/// Segment and classify one source (run in parallel; writing stays in order).
fn prepare(
    store: &Store,
    work: Work<'_>,
    classifier: &Classifier<'_>,
    src: &Source,
    limits: &Limits,
    stamp: Stamp<'_>,
) -> Outcome {
    let (doc, probe, from) = match work {
        Work::Fresh(doc) => (*doc, None, Origin::Extracted),
        Work::Cached(sha, probe) => match load_cached(store, sha) {
            Some(doc) => (doc, probe, Origin::Cache),
            None => match extract::extract_file(&src.path, limits) {
                Ok(doc) => (doc, None, Origin::Reextracted),
                Err(e) => return Outcome::Failed(e),
            },
        },
    };
    use rayon::prelude::*;
    // Ids name this copy (origin and content), so that a citation is never ambiguous.
    let passages = segment_copy(&doc, &copy_key(&src.origin, &doc.sha256));
    let classify = |p: Passage| {
        let c = classifier.classify(&p.classify_text());
        let provenance = provenance(&p.id.0, src, &doc, stamp.ruleset, stamp.ingested);
        let stored = PassageRecord::new(provenance, &p, &c).to_stored(stamp.fields);
        (p, c, stored)
    };
    match probe {
        Some(probe) => {
            let touched: Vec<Classified> = passages
                .into_par_iter()
                .filter(|p| probe.touches(&p.classify_text()))
                .map(classify)
                .collect();
            if touched.is_empty() {
                Outcome::Confirmed(doc)
            } else {
                Outcome::Classified {
                    doc,
                    passages: touched,
                    from,
                    whole: false,
                }
            }
        }
        // Passages in parallel too: one long document would otherwise keep one thread busy
        // while the others wait (rayon keeps their order).
        None => {
            let passages = passages.into_par_iter().map(classify).collect();
            Outcome::Classified {
                doc,
                passages,
                from,
                whole: true,
            }
        }
    }
}

/// The error of a writer that stopped taking documents. tantivy's `add_document` only says
/// that an indexing thread died; joining the threads (as `prepare_commit` does) returns what
/// killed it, such as a full disk. Nothing of this run is committed either way.
fn writer_failure(writer: &mut IndexWriter, dir: &Path, origin: &str, e: TantivyError) -> Error {
    let cause = match writer.prepare_commit() {
        Err(cause) => cause,
        Ok(prepared) => {
            // No thread reports an error: keep tantivy's, and drop what was written.
            let _ = prepared.abort();
            e
        }
    };
    Error::Index {
        path: dir.to_path_buf(),
        detail: format!(
            "writing the records of {origin}: {} (nothing was committed)",
            describe(dir, &cause)
        ),
    }
}

/// Every document record in the last commit, by origin (through the record layer: a stored
/// value that cannot be read is an error naming the record, not a default).
fn read_known(store: &Store) -> Result<HashMap<String, Known>> {
    let searcher = store.reader()?.searcher();
    let docs = crate::index::records::documents(store, &searcher)?;
    Ok(docs
        .into_iter()
        .map(|d| {
            (
                d.provenance.origin,
                Known {
                    no_text_pages: d.no_text_pages,
                    ocr: d.ocr,
                    pages: d.pages,
                    sha256: d.provenance.sha256,
                    size: d.size,
                    mtime: d.mtime,
                    extractor_version: d.provenance.extractor_version,
                    ruleset_version: d.provenance.ruleset_version,
                    tender: d.provenance.tender,
                    supplier: d.provenance.supplier,
                    stage: d.provenance.stage,
                    period: d.provenance.period,
                    replaced: d.replaced,
                },
            )
        })
        .collect())
}

/// Append one line to the run log. A line cut short (by a kill, or a full disk on an earlier
/// run) is ended first, so that this record stays readable; a write that fails part way is
/// undone, so that it cannot spoil the next run's line.
fn append_run(store: &Store, rec: &RunRecord) -> Result<()> {
    use std::io::{Read, Seek, SeekFrom, Write};
    let path = store.runs_path();
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let mut line = serde_json::to_vec(rec).map_err(|e| Error::Worker(e.to_string()))?;
    line.push(b'\n');
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(&path)
        .map_err(io)?;
    let len = file.seek(SeekFrom::End(0)).map_err(io)?;
    if len > 0 {
        let mut last = [0u8; 1];
        file.seek(SeekFrom::Start(len - 1)).map_err(io)?;
        file.read_exact(&mut last).map_err(io)?;
        if last[0] != b'\n' {
            line.insert(0, b'\n');
        }
    }
    if let Err(e) = file.write_all(&line) {
        let _ = file.set_len(len);
        return Err(io(e));
    }
    Ok(())
}

/// The run log, oldest first. Lines that cannot be read are reported, not skipped silently.
pub fn read_runs(store: &Store) -> Result<Vec<std::result::Result<RunRecord, String>>> {
    let path = store.runs_path();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Io { path, source }),
    };
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect())
}
