//! Reading the index into a [`Report`]: the passages that evidence a principle, grouped per
//! supplier and principle, with their best evidence, totals and near-duplicate flags.
//!
//! The stored classification of each passage is used as it is when the index was classified
//! with the framework asked for; otherwise each passage is classified again, with that
//! framework, from the text kept in its `detail` record (no extraction needed).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::classify::{Classifier, FrameworkId, Measure, RuleSet, StatementKind};
use crate::document::{unread_file_reason, PageOcr};
use crate::index::records::{record_from, PassageRecord, Record};
use crate::index::schema::{RECORD_DOCUMENT, RECORD_PASSAGE, RECORD_UNREAD};
use crate::index::{index_error, Store};
use crate::ingest::read_runs;
use crate::unread::Status;

use super::model::{
    Cell, DuplicateGroup, FileInfo, Finding, FrameworkInfo, KindCounts, Level, NotRead,
    PrincipleInfo, Provenance, Report, SupplierReport,
};
use super::similar::{near_duplicates, Item};
use super::totals::{has_figure, Totaller};
use super::ReportError;

/// What to report on.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only this tender (default: every tender in the index).
    pub tender: Option<String>,
    /// The framework whose principles are the columns (default: the one the index was
    /// classified with).
    pub framework: Option<FrameworkId>,
}

/// A file's name from its origin (`path` or `ZIP!member`).
pub fn file_name(origin: &str) -> String {
    origin
        .rsplit(['/', '\\', '!'])
        .next()
        .unwrap_or(origin)
        .to_string()
}

use crate::index::query::term as term_query;

/// The addresses of every record of a kind (and tender), in index order.
fn records(
    store: &Store,
    searcher: &Searcher,
    record: &str,
    tender: Option<&str>,
    skip_none: bool,
) -> Result<Vec<DocAddress>, ReportError> {
    let f = store.fields;
    let mut clauses = vec![
        (Occur::Must, term_query(f.record, record)),
        // The scorecard weighs what was submitted: monitoring returns are the ledger's.
        (
            Occur::MustNot,
            term_query(f.stage, crate::period::Stage::Delivery.as_str()),
        ),
    ];
    if let Some(t) = tender {
        clauses.push((Occur::Must, term_query(f.tender, t)));
    }
    if skip_none {
        clauses.push((
            Occur::MustNot,
            term_query(f.kind, StatementKind::None.as_str()),
        ));
    }
    let q = BooleanQuery::new(clauses);
    let set = searcher
        .search(&q, &DocSetCollector)
        .map_err(|e| index_error(&store.dir, e))?;
    let mut addrs: Vec<DocAddress> = set.into_iter().collect();
    addrs.sort();
    Ok(addrs)
}

/// Read one record.
fn read(store: &Store, searcher: &Searcher, addr: DocAddress) -> Result<Record, ReportError> {
    let d: TantivyDocument = searcher.doc(addr).map_err(|e| index_error(&store.dir, e))?;
    Ok(record_from(store.fields, &d)?)
}

/// The classification that counts for the report: stored, or re-done with another framework.
struct Classified {
    kind: StatementKind,
    principles: Vec<String>,
    themes: Vec<String>,
    score: u8,
    measures: Vec<Measure>,
}

fn stored(p: &mut PassageRecord) -> Classified {
    Classified {
        kind: p.kind,
        principles: std::mem::take(&mut p.principles),
        themes: std::mem::take(&mut p.themes),
        score: u8::try_from(p.score.min(5)).unwrap_or(5),
        measures: std::mem::take(&mut p.measures),
    }
}

fn reclassify(p: &PassageRecord, classifier: &Classifier<'_>) -> Result<Classified, ReportError> {
    let text = p.detail()?.passage.context_text().into_owned();
    let c = classifier.classify(&text);
    Ok(Classified {
        kind: c.kind,
        principles: c.principles.iter().map(|p| p.id.0.clone()).collect(),
        themes: c.themes.iter().map(|t| t.id.0.clone()).collect(),
        score: c.specificity.score.min(5),
        measures: c.measures,
    })
}

fn kind_rank(kind: StatementKind) -> u8 {
    match kind {
        StatementKind::Commitment => 3,
        StatementKind::Aspiration => 2,
        StatementKind::TrackRecord => 1,
        StatementKind::None => 0,
    }
}

/// The tenders in the index, each with the time its files were last ingested (seconds since
/// the epoch), latest first (ties by name).
pub fn tenders(store: &Store, searcher: &Searcher) -> Result<Vec<(String, i64)>, ReportError> {
    let f = store.fields;
    let mut latest: BTreeMap<String, i64> = BTreeMap::new();
    for record in [RECORD_DOCUMENT, RECORD_UNREAD] {
        for addr in records(store, searcher, record, None, false)? {
            let d: TantivyDocument = searcher.doc(addr).map_err(|e| index_error(&store.dir, e))?;
            // A file not read keeps no provenance; the tender and time are all it has.
            let tender = d.get_first(f.tender).and_then(|v| v.as_str());
            let at = d.get_first(f.ingested).and_then(|v| v.as_i64());
            let (Some(tender), Some(at)) = (tender, at) else {
                return Err(crate::error::Error::Index {
                    path: store.dir.clone(),
                    detail: format!("a {record} record without a tender or an ingest time"),
                }
                .into());
            };
            let e = latest.entry(tender.to_string()).or_insert(at);
            *e = (*e).max(at);
        }
    }
    let mut out: Vec<(String, i64)> = latest.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(out)
}

/// Gather the scorecard from the last commit of an index.
pub fn gather(
    store: &Store,
    searcher: &Searcher,
    rules: &RuleSet,
    opts: &Options,
) -> Result<Report, ReportError> {
    let tender = opts.tender.as_deref();

    // Documents: the files of each supplier, and the frameworks the index was classified with.
    let mut files: BTreeMap<String, Vec<FileInfo>> = BTreeMap::new();
    let mut stamps: BTreeMap<Option<FrameworkId>, u64> = BTreeMap::new();
    let mut prov = Provenance::default();
    let mut ruleset_versions = BTreeSet::new();
    let mut extractor_versions = BTreeSet::new();
    let mut not_read: Vec<NotRead> = Vec::new();
    for addr in records(store, searcher, RECORD_UNREAD, tender, false)? {
        let u = read(store, searcher, addr)?.into_unread()?;
        not_read.push(NotRead {
            name: file_name(&u.origin),
            supplier: u.supplier,
            origin: u.origin,
            status: u.status,
            reason: u.reason,
            page: u.page,
        });
    }
    for addr in records(store, searcher, RECORD_DOCUMENT, tender, false)? {
        let doc = read(store, searcher, addr)?.into_document()?;
        let p = doc.provenance;
        *stamps
            .entry(p.ruleset_version.framework().cloned())
            .or_default() += 1;
        ruleset_versions.insert(p.ruleset_version.to_string());
        extractor_versions.insert(p.extractor_version);
        let pages = doc.pages;
        let ocr = doc.ocr.clone();
        let ocr_of = |page: u32| {
            ocr.iter()
                .find(|p| p.page == page)
                .and_then(|p| p.ocr.as_ref())
        };
        let whole = pages > 0 && doc.no_text_pages.len() as u64 >= pages;
        if whole {
            not_read.push(NotRead {
                supplier: p.supplier.clone(),
                name: file_name(&p.origin),
                origin: p.origin.clone(),
                status: Status::NoTextLayer,
                reason: unread_file_reason(
                    pages,
                    doc.no_text_pages.first().and_then(|&n| ocr_of(n)),
                ),
                page: None,
            });
        } else {
            for &page in &doc.no_text_pages {
                not_read.push(NotRead {
                    supplier: p.supplier.clone(),
                    name: file_name(&p.origin),
                    origin: p.origin.clone(),
                    status: Status::NoTextLayer,
                    reason: match ocr_of(page) {
                        Some(PageOcr::Failed { reason } | PageOcr::Unavailable { reason }) => {
                            format!("no text layer (a scan?): evidence on it is missing; {reason}")
                        }
                        _ => "no text layer (a scan?): evidence on it is missing".into(),
                    },
                    page: Some(page),
                });
            }
        }
        files.entry(p.supplier).or_default().push(FileInfo {
            name: file_name(&p.origin),
            origin: p.origin,
            sha256: p.sha256,
            pages,
        });
    }
    for list in files.values_mut() {
        list.sort_by(|a, b| a.origin.cmp(&b.origin));
    }
    prov.files = files.values().map(|v| v.len() as u64).sum();
    not_read
        .sort_by(|a, b| (&a.supplier, &a.origin, a.page).cmp(&(&b.supplier, &b.origin, b.page)));
    prov.files_not_read = not_read.iter().filter(|n| n.page.is_none()).count() as u64;

    // The framework: asked for, else the index's most used, else the rule set's default.
    let index_fw = stamps
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .and_then(|(k, _)| k.as_ref());
    let fw_id = opts.framework.as_ref().or(index_fw);
    let classifier = rules
        .classifier(fw_id.map(FrameworkId::as_str))
        .map_err(ReportError::Framework)?;
    let framework = rules
        .frameworks
        .get(classifier.framework)
        .ok_or_else(|| ReportError::Framework("the rule set has no framework".into()))?;
    let fw = Some(&framework.id);
    let reclassified = stamps.keys().any(|s| s.as_ref() != fw);
    let principles: Vec<PrincipleInfo> = framework
        .principles
        .iter()
        .map(|p| PrincipleInfo {
            id: p.id.0.clone(),
            name: p.name.clone(),
        })
        .collect();
    let known: BTreeSet<&str> = principles.iter().map(|p| p.id.as_str()).collect();

    // Passages that evidence a principle; every passage counted by kind per supplier.
    let mut findings = Vec::new();
    let mut classified: BTreeMap<String, KindCounts> = BTreeMap::new();
    let mut tenders = BTreeSet::new();
    let addrs = records(store, searcher, RECORD_PASSAGE, tender, !reclassified)?;
    for addr in addrs {
        let mut doc = read(store, searcher, addr)?.into_passage()?;
        prov.passages += 1;
        let c = if doc.provenance.ruleset_version.framework() == fw {
            stored(&mut doc)
        } else {
            reclassify(&doc, &classifier)?
        };
        let principles: Vec<String> = c
            .principles
            .into_iter()
            .filter(|p| known.contains(p.as_str()))
            .collect();
        classified
            .entry(doc.provenance.supplier.clone())
            .or_default()
            .add(c.kind);
        // A finding evidences a principle, or is a commitment with a figure that the totals
        // count (a lead-in such as "We will give 120 hours a year to:" maps to no principle
        // itself, while its list items do).
        let keep = match c.kind {
            StatementKind::None => false,
            StatementKind::Commitment => {
                !principles.is_empty() || has_figure(&c.themes, &doc.text, &c.measures)
            }
            _ => !principles.is_empty(),
        };
        if !keep {
            continue;
        }
        let v = doc.provenance;
        tenders.insert(v.tender.clone());
        findings.push(Finding {
            key: String::new(),
            id: v.id,
            supplier: v.supplier,
            tender: v.tender,
            file: file_name(&v.origin),
            origin: v.origin,
            sha256: v.sha256,
            page: doc.page,
            paragraph: doc.paragraph,
            section: doc.section,
            text: doc.text,
            kind: c.kind,
            principles,
            themes: c.themes,
            score: c.score,
            measures: c.measures,
            duplicate_group: None,
            ocr: doc.ocr,
        });
    }
    if !reclassified {
        // Without re-classifying, kind `none` was skipped by the query: count it too.
        prov.passages = records(store, searcher, RECORD_PASSAGE, tender, false)?.len() as u64;
    }
    findings.sort_by(|a, b| {
        (&a.supplier, &a.tender, &a.origin, a.paragraph, &a.id).cmp(&(
            &b.supplier,
            &b.tender,
            &b.origin,
            b.paragraph,
            &b.id,
        ))
    });
    assign_keys(&mut findings);

    let duplicates = flag_duplicates(&mut findings);
    let suppliers = suppliers(&findings, &files, &principles, &not_read, &classified);
    prov.ruleset_versions = ruleset_versions.into_iter().collect();
    prov.extractor_versions = extractor_versions.into_iter().collect();
    prov.last_run = read_runs(store)
        .ok()
        .and_then(|runs| runs.into_iter().rev().find_map(|r| r.ok()))
        .map(|r| r.ended);
    if tenders.is_empty() {
        tenders.extend(tender.map(str::to_string));
    }
    // The ledger of the tender(s) reported on: empty until monitoring returns are ingested.
    let records = crate::records::Records::from_parts(store.clone(), searcher.clone());
    let mut ledger = Vec::new();
    for t in &tenders {
        let opts = crate::ledger::Options {
            tender: Some(t.clone()),
            ..Default::default()
        };
        ledger.extend(crate::ledger::read(&records, &opts)?.rows);
    }
    Ok(Report {
        tenders: tenders.into_iter().collect(),
        framework: FrameworkInfo {
            id: framework.id.0.clone(),
            name: framework.name.clone(),
            reclassified,
        },
        principles,
        provenance: prov,
        suppliers,
        findings,
        duplicates,
        not_read,
        ledger,
    })
}

/// Give every finding a key unique in the report: its passage id, with `~N` added should an
/// id repeat (it does not in an index of this schema, where ids are per submitted copy).
fn assign_keys(findings: &mut [Finding]) {
    let mut seen: HashMap<String, u32> = HashMap::new();
    for f in findings.iter_mut() {
        let n = seen.entry(f.id.clone()).or_default();
        *n += 1;
        f.key = if *n == 1 {
            f.id.clone()
        } else {
            format!("{}~{n}", f.id)
        };
    }
}

/// Find near-duplicate commitments across suppliers; mark them and return the groups.
fn flag_duplicates(findings: &mut [Finding]) -> Vec<DuplicateGroup> {
    let commitments: Vec<usize> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == StatementKind::Commitment)
        .map(|(i, _)| i)
        .collect();
    let items: Vec<Item<'_>> = commitments
        .iter()
        .map(|&i| Item {
            tender: &findings[i].tender,
            supplier: &findings[i].supplier,
            text: &findings[i].text,
        })
        .collect();
    let groups = near_duplicates(&items);
    let mut out = Vec::with_capacity(groups.len());
    for (n, g) in groups.into_iter().enumerate() {
        let id = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let members: Vec<usize> = g.members.iter().map(|&m| commitments[m]).collect();
        let suppliers: BTreeSet<String> = members
            .iter()
            .map(|&m| findings[m].supplier.clone())
            .collect();
        for &m in &members {
            findings[m].duplicate_group = Some(id);
        }
        out.push(DuplicateGroup {
            id,
            similarity: (g.similarity * 1000.0).round() / 1000.0,
            suppliers: suppliers.into_iter().collect(),
            members: members.iter().map(|&m| findings[m].key.clone()).collect(),
        });
    }
    out
}

fn suppliers(
    findings: &[Finding],
    files: &BTreeMap<String, Vec<FileInfo>>,
    principles: &[PrincipleInfo],
    not_read: &[NotRead],
    classified: &BTreeMap<String, KindCounts>,
) -> Vec<SupplierReport> {
    let order: HashMap<&str, usize> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| (f.key.as_str(), i))
        .collect();
    let position = |id: &str| order.get(id).copied().unwrap_or(usize::MAX);
    let mut by_supplier: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        by_supplier.entry(&f.supplier).or_default().push(i);
    }
    let mut names: BTreeSet<&str> = by_supplier.keys().copied().collect();
    names.extend(files.keys().map(String::as_str));
    // A supplier whose every file failed or is in a format we do not read still has a row:
    // its principles are unanswered because nothing of it was read, and the row says so.
    names.extend(
        not_read
            .iter()
            .filter(|n| n.loses_evidence())
            .map(|n| n.supplier.as_str()),
    );
    names
        .into_iter()
        .map(|name| {
            let own = by_supplier.get(name).map(Vec::as_slice).unwrap_or(&[]);
            let mut counts = KindCounts::default();
            let mut all = Totaller::default();
            let mut scores = Vec::new();
            let mut tenders = BTreeSet::new();
            let mut flagged = 0;
            for &i in own {
                let f = &findings[i];
                if !f.principles.is_empty() {
                    counts.add(f.kind);
                }
                tenders.insert(f.tender.clone());
                if f.kind == StatementKind::Commitment {
                    all.add(&f.key, &f.themes, &f.text, &f.measures);
                    scores.push(f64::from(f.score));
                    if f.duplicate_group.is_some() {
                        flagged += 1;
                    }
                }
            }
            let cells: Vec<Cell> = principles
                .iter()
                .map(|p| cell(findings, own, &p.id, &position))
                .collect();
            let unanswered = cells
                .iter()
                .filter(|c| c.level == Level::Unanswered)
                .map(|c| c.principle.clone())
                .collect();
            let mean = (!scores.is_empty()).then(|| {
                let m = scores.iter().sum::<f64>() / scores.len() as f64;
                (m * 100.0).round() / 100.0
            });
            SupplierReport {
                name: name.to_string(),
                tenders: tenders.into_iter().collect(),
                files: files.get(name).cloned().unwrap_or_default(),
                counts,
                classified: classified.get(name).copied().unwrap_or_default(),
                mean_commitment_score: mean,
                cells,
                totals: all.totals(&position),
                unanswered,
                flagged,
                not_read: not_read
                    .iter()
                    .filter(|n| n.supplier == name)
                    .cloned()
                    .collect(),
            }
        })
        .collect()
}

fn cell(
    findings: &[Finding],
    own: &[usize],
    principle: &str,
    position: &dyn Fn(&str) -> usize,
) -> Cell {
    let mut members: Vec<usize> = own
        .iter()
        .copied()
        .filter(|&i| findings[i].principles.iter().any(|p| p == principle))
        .collect();
    // Best first: commitments before aspirations before track record, then the most specific,
    // then where the principle is the passage's main one, then document order.
    let rank_in = |i: usize| {
        findings[i]
            .principles
            .iter()
            .position(|p| p == principle)
            .unwrap_or(usize::MAX)
    };
    members.sort_by(|&a, &b| {
        let (fa, fb) = (&findings[a], &findings[b]);
        kind_rank(fb.kind)
            .cmp(&kind_rank(fa.kind))
            .then(fb.score.cmp(&fa.score))
            .then(rank_in(a).cmp(&rank_in(b)))
            .then(a.cmp(&b))
    });
    let mut counts = KindCounts::default();
    let mut totals = Totaller::default();
    let mut best_score: Option<u8> = None;
    for &i in &members {
        let f = &findings[i];
        counts.add(f.kind);
        if f.kind == StatementKind::Commitment {
            totals.add(&f.key, &f.themes, &f.text, &f.measures);
            best_score = Some(best_score.map_or(f.score, |b| b.max(f.score)));
        }
    }
    Cell {
        principle: principle.to_string(),
        level: Level::of(counts, best_score),
        counts,
        best_score,
        best: members.first().map(|&i| findings[i].key.clone()),
        findings: members.iter().map(|&i| findings[i].key.clone()).collect(),
        totals: totals.totals(position),
    }
}
