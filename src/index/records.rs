//! Reading the index's records back as typed values: what `show`, `export` and `verify` (and
//! later the web server) print.
//!
//! The index holds two kinds of record ([`crate::index::schema`]): a document record per source
//! file (its chain of custody) and a passage record per passage (with its classification).
//! [`Records`] opens the last commit of an index folder and finds records by id, by position
//! (origin and paragraph ordinal) or all of them, streaming. A record serialises to one flat
//! JSON object, `record` first, with `ingested` in RFC 3339: the shape that log stores such as
//! Quickwit and OpenSearch ingest as they are.
//!
//! A stored value that cannot be read (the index folder was tampered with, or written by a
//! bug) is an error naming the record, never a silent default.

use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use serde::{Deserialize, Serialize, Serializer};
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::Query;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::query;
use super::schema::{RECORD_DOCUMENT, RECORD_PASSAGE, RECORD_UNREAD};
use super::stamp::RuleSetStamp;
use super::{index_error, Fields, Store};
use crate::classify::Measure;
use crate::classify::{Classification, StatementKind};
use crate::document::{Format, PageInfo};
use crate::error::{Error, Result};
use crate::passage::Passage;
use crate::period::{Period, Stage};
use crate::unread::Unread;

/// The JSON kept in a passage record's `detail` field: the passage and everything the
/// classifier said (evidence spans, lead-in).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Detail {
    pub passage: Passage,
    pub classification: Classification,
}

/// The JSON kept in a document record's `detail` field: what the scorecard needs of the
/// document without reading its text.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DocumentDetail {
    /// Pages without a text layer (scans) that OCR did not read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_text_pages: Vec<u32>,
    /// A monitoring return that corrects one ingested earlier: the origins it replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced: Vec<String>,
    /// Pages without a text layer OCR was tried on, with what it gave.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr: Vec<PageInfo>,
}

/// Most records returned for one id (the same file ingested under several origins shares its
/// ids; past this many something is wrong with the index).
pub const MAX_RECORDS_PER_ID: usize = 1_000;

/// Doc-store blocks cached while streaming every record.
const STORE_CACHE_BLOCKS: usize = 4;

/// Seconds since the epoch as RFC 3339 (UTC, seconds).
pub fn rfc3339(secs: i64) -> String {
    let t = if secs >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))
    };
    t.map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_else(|| secs.to_string())
}

fn ser_rfc3339<S: Serializer>(secs: &i64, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*secs))
}

/// What document and passage records share: where the text came from and what read it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Provenance {
    /// A passage's id (`COPY:ORDINAL`, one per submitted copy), or a document's sha256.
    pub id: String,
    pub tender: String,
    pub supplier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// The source as the user named it: a path, or `ZIP!member`.
    pub origin: String,
    /// The file that was read (for zip members, the staged copy).
    pub path: String,
    pub sha256: String,
    /// The format the file was read as (`pdf`, `docx`, `xlsx`, …).
    pub format: Format,
    /// The rule set and framework that classified the record.
    pub ruleset_version: RuleSetStamp,
    pub extractor_version: String,
    /// When the record was written (stored as seconds since the epoch).
    #[serde(serialize_with = "ser_rfc3339")]
    pub ingested: i64,
    /// `tender` (a submission) or `delivery` (a monitoring return); shown only for returns.
    #[serde(skip_serializing_if = "Stage::is_tender")]
    pub stage: Stage,
    /// The period a monitoring return reports on; a tender's records have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

#[cfg(test)]
impl Provenance {
    /// A tender's file for tests: `/b/s/x.pdf` of supplier `s`, lot 2 of tender `t`.
    pub(crate) fn example(id: &str) -> Provenance {
        Provenance {
            id: id.into(),
            tender: "t".into(),
            supplier: "s".into(),
            lot: Some("2".into()),
            origin: "/b/s/x.pdf".into(),
            path: "/b/s/x.pdf".into(),
            sha256: "ab".repeat(32),
            format: Format::Pdf,
            ruleset_version: RuleSetStamp::parse("r/fw").unwrap(),
            extractor_version: "e".into(),
            ingested: 60,
            stage: Stage::Tender,
            period: None,
        }
    }
}

/// A source file's record: its chain of custody.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentRecord {
    #[serde(flatten)]
    pub provenance: Provenance,
    pub size: u64,
    /// The file's modification time when it was ingested.
    #[serde(serialize_with = "ser_rfc3339")]
    pub mtime: i64,
    pub pages: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Pages without a text layer (scans) that OCR did not read: evidence on them is missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_text_pages: Vec<u32>,
    /// For a corrected monitoring return: the files of the earlier return for the same
    /// supplier and period that it replaced (its own origin when the file itself changed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub replaced: Vec<String>,
    /// Pages without a text layer OCR was tried on, with what it gave (read, with its mean
    /// word confidence, or why not).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ocr: Vec<PageInfo>,
}

/// One passage with its classification.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PassageRecord {
    #[serde(flatten)]
    pub provenance: Provenance,
    pub page: u64,
    /// The passage's ordinal in its document.
    pub paragraph: u64,
    /// Character offsets into the document's text.
    pub start: u64,
    pub end: u64,
    /// The heading path, joined with ` > `.
    pub section: String,
    pub text: String,
    pub kind: StatementKind,
    pub principles: Vec<String>,
    pub themes: Vec<String>,
    pub rules: Vec<String>,
    pub measures: Vec<Measure>,
    pub score: u64,
    /// Set when the passage was read by OCR: the mean word confidence of its text (0 to 100).
    /// Kept in the stored detail, with the passage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr: Option<f32>,
    /// The stored passage and classification as JSON: read it with [`PassageRecord::detail`].
    #[serde(skip)]
    pub detail_json: String,
}

impl PassageRecord {
    /// The whole passage and everything the classifier said (evidence spans, lead-in).
    pub fn detail(&self) -> Result<Detail> {
        serde_json::from_str(&self.detail_json).map_err(|e| Error::Index {
            path: self.provenance.origin.clone().into(),
            detail: format!(
                "record {}: stored detail unreadable: {e}",
                self.provenance.id
            ),
        })
    }
}

/// A record of any kind. Serialises flat, with `record` = `document`, `passage` or `unread`
/// first.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum Record {
    Document(DocumentRecord),
    Passage(PassageRecord),
    /// A file under a batch root that was not read, and why.
    Unread(Unread),
}

impl Record {
    /// Where a read file's record came from; `None` for a file that was not read.
    pub fn provenance(&self) -> Option<&Provenance> {
        match self {
            Record::Document(d) => Some(&d.provenance),
            Record::Passage(p) => Some(&p.provenance),
            Record::Unread(_) => None,
        }
    }

    /// The record's origin: the path (or `ZIP!member`) of its file.
    pub fn origin(&self) -> &str {
        match self {
            Record::Document(d) => &d.provenance.origin,
            Record::Passage(p) => &p.provenance.origin,
            Record::Unread(u) => &u.origin,
        }
    }

    fn not_a(self, what: &str) -> Error {
        Error::Index {
            path: self.origin().into(),
            detail: format!(
                "record {} was looked up as {what} but is not one",
                self.id()
            ),
        }
    }

    /// The passage record this is, if it is one.
    pub fn passage(self) -> Option<PassageRecord> {
        match self {
            Record::Passage(p) => Some(p),
            _ => None,
        }
    }

    /// The document record this is, if it is one.
    pub fn document(self) -> Option<DocumentRecord> {
        match self {
            Record::Document(d) => Some(d),
            _ => None,
        }
    }

    /// The passage record this is, or an error naming it.
    pub fn into_passage(self) -> Result<PassageRecord> {
        match self {
            Record::Passage(p) => Ok(p),
            other => Err(other.not_a("a passage")),
        }
    }

    /// The document record this is, or an error naming it.
    pub fn into_document(self) -> Result<DocumentRecord> {
        match self {
            Record::Document(d) => Ok(d),
            other => Err(other.not_a("a document")),
        }
    }

    /// The record of a file not read this is, or an error naming it.
    pub fn into_unread(self) -> Result<Unread> {
        match self {
            Record::Unread(u) => Ok(u),
            other => Err(other.not_a("a file not read")),
        }
    }

    /// The record's id (an unread file's is its origin).
    pub fn id(&self) -> &str {
        match self {
            Record::Document(d) => &d.provenance.id,
            Record::Passage(p) => &p.provenance.id,
            Record::Unread(u) => &u.origin,
        }
    }
}

/// The last commit of an index folder, open for reading.
pub struct Records {
    pub store: Store,
    searcher: Searcher,
}

impl Records {
    /// Open an existing index folder (an error says how to make one if there is none).
    pub fn open(dir: &Path) -> Result<Records> {
        let store = Store::open(dir)?;
        let searcher = store.reader()?.searcher();
        Ok(Records { store, searcher })
    }

    /// Read a commit another reader already holds (the web server's searcher of the moment).
    pub fn from_parts(store: Store, searcher: Searcher) -> Records {
        Records { store, searcher }
    }

    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    fn fields(&self) -> Fields {
        self.store.fields
    }

    fn err(&self, e: tantivy::TantivyError) -> Error {
        index_error(&self.store.dir, e)
    }

    fn addresses(&self, query: &dyn Query) -> Result<Vec<DocAddress>> {
        let mut hits: Vec<DocAddress> = self
            .searcher
            .search(query, &DocSetCollector)
            .map_err(|e| self.err(e))?
            .into_iter()
            .collect();
        hits.sort();
        Ok(hits)
    }

    fn load(&self, addr: DocAddress) -> Result<Record> {
        let doc: TantivyDocument = self.searcher.doc(addr).map_err(|e| self.err(e))?;
        record_from(self.fields(), &doc)
    }

    /// The records among the first `limit` that match `query`, loaded one at a time in index
    /// order, as `pick` keeps them: `Some` for every record (`Some` itself), or for one kind
    /// only ([`Record::passage`], [`Record::document`]), the others passed over.
    fn matching<'s, T>(
        &'s self,
        query: &dyn Query,
        limit: usize,
        pick: fn(Record) -> Option<T>,
    ) -> Result<impl Iterator<Item = Result<T>> + 's>
    where
        T: 's,
    {
        let addresses = self.addresses(query)?;
        Ok(addresses
            .into_iter()
            .take(limit)
            .filter_map(move |addr| self.load(addr).map(pick).transpose()))
    }

    /// Every record with this id, ordered by origin: a passage id, or a document's sha256.
    /// More than one when the same file was ingested under several origins.
    pub fn by_id(&self, id: &str) -> Result<Vec<Record>> {
        let q = query::term(self.fields().id, id);
        let mut out: Vec<Record> = self
            .matching(&*q, MAX_RECORDS_PER_ID, Some)?
            .collect::<Result<_>>()?;
        out.sort_by(|a, b| a.origin().cmp(b.origin()));
        Ok(out)
    }

    /// The first `limit` records that match `query`, in index order.
    pub fn find(&self, query: &dyn Query, limit: usize) -> Result<Vec<Record>> {
        self.matching(query, limit, Some)?.collect()
    }

    /// How many records match `query`.
    pub fn count(&self, query: &dyn Query) -> Result<usize> {
        self.searcher.search(query, &Count).map_err(|e| self.err(e))
    }

    /// The passage record with this id, if there is one. Ids name one submitted copy, so
    /// there is at most one (the first by origin, should an index hold more).
    pub fn passage(&self, id: &str) -> Result<Option<PassageRecord>> {
        let f = self.fields();
        let q = query::all(vec![
            query::term(f.record, RECORD_PASSAGE),
            query::term(f.id, id),
        ]);
        let mut found: Vec<PassageRecord> = self
            .matching(&q, MAX_RECORDS_PER_ID, Record::passage)?
            .collect::<Result<_>>()?;
        found.sort_by(|a, b| a.provenance.origin.cmp(&b.provenance.origin));
        Ok(found.into_iter().next())
    }

    /// The document record of the file from `origin`, if there is one.
    pub fn document_of(&self, origin: &str) -> Result<Option<DocumentRecord>> {
        let f = self.fields();
        let q = query::all(vec![
            query::term(f.record, RECORD_DOCUMENT),
            query::term(f.origin, origin),
        ]);
        self.matching(&q, usize::MAX, Record::document)?
            .next()
            .transpose()
    }

    /// The passage at `paragraph` in the document from `origin`, if there is one.
    pub fn passage_at(&self, origin: &str, paragraph: u64) -> Result<Option<PassageRecord>> {
        let f = self.fields();
        let q = query::all(vec![
            query::term(f.record, RECORD_PASSAGE),
            query::term(f.origin, origin),
            query::number(f.paragraph, paragraph),
        ]);
        self.matching(&q, usize::MAX, Record::passage)?
            .next()
            .transpose()
    }

    /// How many passage records the document from `origin` has.
    pub fn passage_count(&self, origin: &str) -> Result<usize> {
        let f = self.fields();
        let q = query::all(vec![
            query::term(f.record, RECORD_PASSAGE),
            query::term(f.origin, origin),
        ]);
        self.searcher.search(&q, &Count).map_err(|e| self.err(e))
    }

    /// Every `unread` record (files under a batch root that were not read), ordered by origin.
    pub fn unread(&self) -> Result<Vec<Unread>> {
        let q = query::term(self.fields().record, RECORD_UNREAD);
        let mut out = Vec::new();
        for addr in self.addresses(&*q)? {
            out.push(self.load(addr)?.into_unread()?);
        }
        out.sort_by(|a, b| a.origin.cmp(&b.origin));
        Ok(out)
    }

    /// Every document record, ordered by origin.
    pub fn documents(&self) -> Result<Vec<DocumentRecord>> {
        documents(&self.store, &self.searcher)
    }

    /// Call `each` on every live record, in index order, reading the doc store sequentially
    /// (memory stays flat however large the index). A record that cannot be read is passed as
    /// an error and the walk goes on; an error returned by `each` stops it.
    pub fn for_each(
        &self,
        mut each: impl FnMut(Result<Record>) -> std::result::Result<(), Error>,
    ) -> Result<()> {
        let f = self.fields();
        for segment in self.searcher.segment_readers() {
            let store = segment
                .get_store_reader(STORE_CACHE_BLOCKS)
                .map_err(|source| Error::Io {
                    path: Store::tantivy_dir(&self.store.dir),
                    source,
                })?;
            for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
                let rec = doc
                    .map_err(|e| self.err(e))
                    .and_then(|d| record_from(f, &d));
                each(rec)?;
            }
        }
        Ok(())
    }
}

/// Every document record of a commit, ordered by origin.
pub fn documents(store: &Store, searcher: &Searcher) -> Result<Vec<DocumentRecord>> {
    let f = store.fields;
    let q = query::term(f.record, RECORD_DOCUMENT);
    let hits = searcher
        .search(&*q, &DocSetCollector)
        .map_err(|e| index_error(&store.dir, e))?;
    let mut out = Vec::with_capacity(hits.len());
    for addr in hits {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| index_error(&store.dir, e))?;
        out.push(record_from(f, &doc)?.into_document()?);
    }
    out.sort_by(|a, b| a.provenance.origin.cmp(&b.provenance.origin));
    Ok(out)
}

fn text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn texts(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn u64_of(doc: &TantivyDocument, field: Field) -> Option<u64> {
    doc.get_first(field).and_then(|v| v.as_u64())
}

fn i64_of(doc: &TantivyDocument, field: Field) -> Option<i64> {
    doc.get_first(field).and_then(|v| v.as_i64())
}

/// Serialise a plain struct to JSON. serde_json cannot fail on these types; should it ever,
/// the error stays visible in the stored value (and fails its reading) instead of being lost.
pub fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("\"unserialisable: {e}\""))
}

/// A new stored record of kind `record` (`document` or `passage`) with the fields document and
/// passage records share.
fn stored_with_provenance(f: Fields, record: &str, p: &Provenance) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.record, record);
    d.add_text(f.id, &p.id);
    d.add_text(f.origin, &p.origin);
    d.add_text(f.path, &p.path);
    d.add_text(f.tender, &p.tender);
    d.add_text(f.supplier, &p.supplier);
    if let Some(lot) = &p.lot {
        d.add_text(f.lot, lot);
    }
    d.add_text(f.sha256, &p.sha256);
    d.add_text(f.format, p.format.as_str());
    d.add_text(f.ruleset_version, p.ruleset_version.to_string());
    d.add_text(f.extractor_version, &p.extractor_version);
    d.add_i64(f.ingested, p.ingested);
    d.add_text(f.stage, p.stage.as_str());
    if let Some(period) = &p.period {
        d.add_text(f.period, period.to_string());
    }
    d
}

impl DocumentRecord {
    /// The tantivy document that stores this record; [`record_from`] reads it back.
    pub fn to_stored(&self, f: Fields) -> TantivyDocument {
        let mut d = stored_with_provenance(f, RECORD_DOCUMENT, &self.provenance);
        d.add_u64(f.size, self.size);
        d.add_i64(f.mtime, self.mtime);
        d.add_u64(f.pages, self.pages);
        if let Some(t) = &self.title {
            d.add_text(f.title, t);
        }
        if !self.no_text_pages.is_empty() || !self.replaced.is_empty() || !self.ocr.is_empty() {
            let detail = DocumentDetail {
                no_text_pages: self.no_text_pages.clone(),
                replaced: self.replaced.clone(),
                ocr: self.ocr.clone(),
            };
            d.add_text(f.detail, to_json(&detail));
        }
        d
    }
}

impl PassageRecord {
    /// The record of one classified passage of a read file.
    pub fn new(provenance: Provenance, passage: &Passage, c: &Classification) -> PassageRecord {
        PassageRecord {
            provenance,
            page: u64::from(passage.page),
            paragraph: u64::from(passage.ordinal),
            start: passage.start as u64,
            end: passage.end as u64,
            section: passage.section.join(" > "),
            text: passage.text.clone(),
            kind: c.kind,
            principles: c.principles.iter().map(|p| p.id.to_string()).collect(),
            themes: c.themes.iter().map(|t| t.id.to_string()).collect(),
            rules: c.rules.iter().map(|r| r.to_string()).collect(),
            measures: c.measures.clone(),
            score: u64::from(c.specificity.score),
            ocr: passage.ocr,
            detail_json: to_json(&Detail {
                passage: passage.clone(),
                classification: c.clone(),
            }),
        }
    }

    /// The tantivy document that stores this record; [`record_from`] reads it back.
    pub fn to_stored(&self, f: Fields) -> TantivyDocument {
        let mut d = stored_with_provenance(f, RECORD_PASSAGE, &self.provenance);
        d.add_u64(f.page, self.page);
        d.add_u64(f.paragraph, self.paragraph);
        d.add_u64(f.start, self.start);
        d.add_u64(f.end, self.end);
        d.add_text(f.section, &self.section);
        d.add_text(f.text, &self.text);
        d.add_text(f.text_exact, &self.text);
        d.add_text(f.kind, self.kind.as_str());
        for t in &self.themes {
            d.add_text(f.theme, t);
        }
        for p in &self.principles {
            d.add_text(f.principle, p);
        }
        for r in &self.rules {
            d.add_text(f.rule, r);
        }
        d.add_u64(f.score, self.score);
        d.add_u64(f.words, self.text.split_whitespace().count() as u64);
        d.add_text(f.measures, to_json(&self.measures));
        d.add_text(f.detail, &self.detail_json);
        d
    }
}

/// The tantivy document that stores a file that was not read, written at `ingested`;
/// [`record_from`] reads it back.
pub fn unread_to_stored(f: Fields, u: &Unread, ingested: i64) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.record, RECORD_UNREAD);
    d.add_text(f.id, &u.origin);
    d.add_text(f.origin, &u.origin);
    d.add_text(f.tender, &u.tender);
    d.add_text(f.supplier, &u.supplier);
    d.add_i64(f.ingested, ingested);
    d.add_text(f.detail, to_json(u));
    d
}

/// Reads the stored fields of one tantivy document; a field every record of its kind has
/// and this one lacks is an error naming the record.
struct Stored<'d> {
    doc: &'d TantivyDocument,
    id: String,
    origin: String,
}

impl Stored<'_> {
    fn error(&self, detail: String) -> Error {
        Error::Index {
            path: self.origin.clone().into(),
            detail: format!("record {:?}: {detail}", self.id),
        }
    }
    fn missing(&self, what: &str) -> Error {
        self.error(format!("no stored {what}"))
    }
    fn text(&self, field: Field, what: &str) -> Result<String> {
        text(self.doc, field).ok_or_else(|| self.missing(what))
    }
    fn u64(&self, field: Field, what: &str) -> Result<u64> {
        u64_of(self.doc, field).ok_or_else(|| self.missing(what))
    }
    fn i64(&self, field: Field, what: &str) -> Result<i64> {
        i64_of(self.doc, field).ok_or_else(|| self.missing(what))
    }
    fn json<T: serde::de::DeserializeOwned>(&self, json: &str, what: &str) -> Result<T> {
        serde_json::from_str(json).map_err(|e| self.error(format!("stored {what} unreadable: {e}")))
    }
}

/// Turn a stored tantivy document into a record. A passage record is one with a paragraph
/// ordinal, a file not read one without a sha256 (the `record` field is indexed, not stored).
/// A field its kind of record always has, missing or unreadable, is an error naming the
/// record: never a default.
pub fn record_from(f: Fields, doc: &TantivyDocument) -> Result<Record> {
    let r = Stored {
        doc,
        id: text(doc, f.id).unwrap_or_default(),
        origin: text(doc, f.origin).unwrap_or_default(),
    };
    if r.id.is_empty() {
        return Err(r.missing("id"));
    }
    if r.origin.is_empty() {
        return Err(r.missing("origin"));
    }
    let Some(sha256) = text(doc, f.sha256) else {
        // Only a file that was not read has no sha256; its detail says why.
        let detail = text(doc, f.detail).ok_or_else(|| r.missing("sha256"))?;
        return Ok(Record::Unread(r.json(&detail, "reason")?));
    };
    let provenance = Provenance {
        id: r.id.clone(),
        tender: r.text(f.tender, "tender")?,
        supplier: r.text(f.supplier, "supplier")?,
        lot: text(doc, f.lot),
        origin: r.origin.clone(),
        path: r.text(f.path, "path")?,
        sha256,
        format: {
            let name = r.text(f.format, "format")?;
            Format::parse(&name)
                .ok_or_else(|| r.error(format!("unknown stored format {name:?}")))?
        },
        ruleset_version: {
            let stamp = r.text(f.ruleset_version, "rule-set version")?;
            RuleSetStamp::parse(&stamp)
                .ok_or_else(|| r.error(format!("unreadable stored rule-set stamp {stamp:?}")))?
        },
        extractor_version: r.text(f.extractor_version, "extractor version")?,
        ingested: r.i64(f.ingested, "ingest time")?,
        stage: {
            let name = r.text(f.stage, "stage")?;
            Stage::parse(&name).ok_or_else(|| r.error(format!("unknown stored stage {name:?}")))?
        },
        period: match text(doc, f.period) {
            None => None,
            Some(p) => Some(
                Period::parse(&p)
                    .ok_or_else(|| r.error(format!("unreadable stored period {p:?}")))?,
            ),
        },
    };
    match (provenance.stage, provenance.period) {
        (Stage::Delivery, None) => return Err(r.missing("period (a delivery record has one)")),
        (Stage::Tender, Some(p)) => {
            return Err(r.error(format!("a tender record with a period ({p})")))
        }
        _ => {}
    }
    let Some(paragraph) = u64_of(doc, f.paragraph) else {
        let detail: DocumentDetail = match text(doc, f.detail) {
            None => DocumentDetail::default(),
            Some(json) => r.json(&json, "detail")?,
        };
        return Ok(Record::Document(DocumentRecord {
            provenance,
            size: r.u64(f.size, "size")?,
            mtime: r.i64(f.mtime, "modification time")?,
            pages: r.u64(f.pages, "page count")?,
            title: text(doc, f.title),
            no_text_pages: detail.no_text_pages,
            replaced: detail.replaced,
            ocr: detail.ocr,
        }));
    };
    let detail_json = r.text(f.detail, "detail")?;
    // Only the passage's OCR mark is read from the detail here; the rest when asked for.
    let marks: DetailMarks = r.json(&detail_json, "detail")?;
    Ok(Record::Passage(PassageRecord {
        provenance,
        page: r.u64(f.page, "page")?,
        paragraph,
        start: r.u64(f.start, "start offset")?,
        end: r.u64(f.end, "end offset")?,
        section: r.text(f.section, "section")?,
        text: r.text(f.text, "text")?,
        kind: {
            let kind = r.text(f.kind, "kind")?;
            StatementKind::parse(&kind)
                .ok_or_else(|| r.error(format!("unknown stored kind {kind:?}")))?
        },
        principles: texts(doc, f.principle),
        themes: texts(doc, f.theme),
        rules: texts(doc, f.rule),
        measures: r.json(&r.text(f.measures, "measures")?, "measures")?,
        score: r.u64(f.score, "specificity")?,
        ocr: marks.passage.and_then(|p| p.ocr),
        detail_json,
    }))
}

/// What [`record_from`] reads of a passage's stored detail: its OCR mark.
#[derive(Deserialize)]
struct DetailMarks {
    #[serde(default)]
    passage: Option<PassageMarks>,
}

#[derive(Deserialize)]
struct PassageMarks {
    #[serde(default)]
    ocr: Option<f32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::classify::RuleSet;
    use crate::passage::{PassageId, PassageKind};
    use tantivy::{doc, Index};

    fn provenance(id: &str) -> Provenance {
        Provenance::example(id)
    }

    /// Write `docs` into a fresh in-memory index and read every record back.
    fn round_trip(docs: Vec<TantivyDocument>) -> Vec<Result<Record>> {
        let (schema, f) = super::super::schema::build();
        let store = Store::with_index(Path::new("in-memory"), Index::create_in_ram(schema));
        let index = store.index;
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        for d in docs {
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let mut out = Vec::new();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(1).unwrap();
            for d in store.iter::<TantivyDocument>(segment.alive_bitset()) {
                out.push(record_from(f, &d.unwrap()));
            }
        }
        out
    }

    #[test]
    fn every_kind_of_record_reads_back_as_it_was_written() {
        let (_, f) = super::super::schema::build();
        let rules = RuleSet::embedded().unwrap();
        let classifier = rules.classifier(None).unwrap();
        let passage = Passage {
            id: PassageId("00ff00ff00ff00ff:3".into()),
            ordinal: 3,
            kind: PassageKind::ListItem,
            page: 2,
            section: vec!["Social value".into(), "Skills".into()],
            text: "create 12 apprenticeships for local residents by March 2027.".into(),
            lead_in: Some("Over the contract we will:".into()),
            start: 100,
            end: 160,
            ocr: None,
        };
        let c = classifier.classify(&passage.classify_text());
        let p = PassageRecord::new(provenance(&passage.id.0), &passage, &c);
        let scanned = Passage {
            id: PassageId("00ff00ff00ff00ff:4".into()),
            ordinal: 4,
            kind: PassageKind::Paragraph,
            page: 5,
            text: "We will employ 3 local apprentices.".into(),
            ocr: Some(87.5),
            ..passage.clone()
        };
        let c2 = classifier.classify(&scanned.classify_text());
        let p2 = PassageRecord::new(provenance(&scanned.id.0), &scanned, &c2);
        assert_eq!(p2.ocr, Some(87.5));
        let d = DocumentRecord {
            provenance: provenance(&"ab".repeat(32)),
            size: 1234,
            mtime: -5,
            pages: 7,
            title: Some("Method statement".into()),
            no_text_pages: vec![4, 6],
            replaced: Vec::new(),
            ocr: vec![
                PageInfo {
                    page: 4,
                    no_text_layer: true,
                    ocr: Some(crate::document::PageOcr::Unavailable {
                        reason: "OCR unavailable: tesseract not found".into(),
                    }),
                },
                PageInfo {
                    page: 5,
                    no_text_layer: true,
                    ocr: Some(crate::document::PageOcr::Read {
                        confidence: 88.1,
                        words: 40,
                    }),
                },
            ],
        };
        let u = Unread {
            tender: "t".into(),
            supplier: "s".into(),
            origin: "/b/s/y.xlsx".into(),
            status: crate::unread::Status::Unsupported,
            reason: "a format tenderscope does not read".into(),
            page: None,
        };
        let back = round_trip(vec![
            d.to_stored(f),
            p.to_stored(f),
            p2.to_stored(f),
            unread_to_stored(f, &u, 60),
        ]);
        let back: Vec<Record> = back.into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(
            back,
            vec![
                Record::Document(d),
                Record::Passage(p.clone()),
                Record::Passage(p2.clone()),
                Record::Unread(u)
            ]
        );
        let detail = p.detail().unwrap();
        assert_eq!(detail.passage, passage);
        assert_eq!(p2.detail().unwrap().passage, scanned);
        // The mark is in the flat JSON of the record, as an auditor's export shows it.
        let json = serde_json::to_string(&Record::Passage(p2)).unwrap_or_default();
        assert!(json.contains(r#""ocr":87.5"#), "{json}");
        let json = serde_json::to_string(&Record::Passage(p)).unwrap_or_default();
        assert!(!json.contains("ocr"), "{json}");
        assert_eq!(detail.classification.kind, c.kind);
    }

    #[test]
    fn a_missing_or_unreadable_stored_value_is_an_error_naming_the_record() {
        let (_, f) = super::super::schema::build();
        let passage = |measures: &str| {
            doc!(
                f.record => RECORD_PASSAGE, f.id => "abc:1", f.origin => "/b/x.pdf",
                f.path => "/b/x.pdf", f.tender => "t", f.supplier => "s", f.sha256 => "ab",
                f.format => "pdf", f.ruleset_version => "r/fw", f.extractor_version => "e",
                f.ingested => 1i64, f.page => 1u64, f.paragraph => 1u64, f.start => 0u64,
                f.end => 3u64, f.section => "", f.text => "abc", f.measures => measures,
                f.score => 0u64, f.detail => "{}", f.stage => "tender"
            )
        };
        let no_kind = passage("[]");
        let mut bad_measures = passage("{not json");
        bad_measures.add_text(f.kind, "commitment");
        let back = round_trip(vec![no_kind, bad_measures]);
        let errors: Vec<String> = back
            .into_iter()
            .map(|r| r.err().map(|e| e.to_string()).unwrap_or_default())
            .collect();
        assert!(
            errors[0].contains("\"abc:1\"") && errors[0].contains("no stored kind"),
            "{errors:?}"
        );
        assert!(
            errors[1].contains("\"abc:1\"") && errors[1].contains("measures unreadable"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_stored_rule_set_stamp_that_cannot_be_read_is_an_error_naming_the_record() {
        let (_, f) = super::super::schema::build();
        let d = doc!(
            f.record => RECORD_DOCUMENT, f.id => "ab", f.origin => "/b/x.pdf",
            f.path => "/b/x.pdf", f.tender => "t", f.supplier => "s", f.sha256 => "ab",
            f.format => "pdf", f.ruleset_version => "no-framework", f.extractor_version => "e",
            f.ingested => 1i64, f.size => 1u64, f.mtime => 1i64, f.pages => 1u64,
            f.stage => "tender"
        );
        let back = round_trip(vec![d]);
        let error = back[0]
            .as_ref()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.contains("\"ab\"") && error.contains("rule-set stamp \"no-framework\""),
            "{error}"
        );
    }

    #[test]
    fn delivery_records_keep_their_stage_period_and_what_they_replaced() {
        let (_, f) = super::super::schema::build();
        let mut prov = provenance(&"cd".repeat(32));
        prov.stage = Stage::Delivery;
        prov.period = Period::parse("FY2027-28");
        let d = DocumentRecord {
            provenance: prov.clone(),
            size: 10,
            mtime: 1,
            pages: 1,
            title: None,
            no_text_pages: Vec::new(),
            replaced: vec!["/r/2027-Q1/s/old.docx".into()],
            ocr: Vec::new(),
        };
        let passage = Passage {
            id: PassageId("00ff00ff00ff00ff:0".into()),
            ordinal: 0,
            kind: PassageKind::Paragraph,
            page: 1,
            section: Vec::new(),
            text: "We employed 7 apprentices this quarter.".into(),
            lead_in: None,
            start: 0,
            end: 39,
            ocr: None,
        };
        let rules = RuleSet::embedded().unwrap();
        let c = rules.classifier(None).unwrap().classify(&passage.text);
        prov.id = passage.id.0.clone();
        let p = PassageRecord::new(prov, &passage, &c);
        let back: Vec<Record> = round_trip(vec![d.to_stored(f), p.to_stored(f)])
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(back, vec![Record::Document(d.clone()), Record::Passage(p)]);
        let json = serde_json::to_string(&Record::Document(d)).unwrap();
        assert!(
            json.contains(r#""stage":"delivery","period":"FY2027-28""#),
            "{json}"
        );
    }

    #[test]
    fn a_stage_or_period_that_cannot_be_read_is_an_error_naming_the_record() {
        let (_, f) = super::super::schema::build();
        let document = |stage: &str, period: Option<&str>| {
            let mut d = doc!(
                f.record => RECORD_DOCUMENT, f.id => "ab", f.origin => "/b/x.pdf",
                f.path => "/b/x.pdf", f.tender => "t", f.supplier => "s", f.sha256 => "ab",
                f.format => "pdf", f.ruleset_version => "r/fw", f.extractor_version => "e",
                f.ingested => 1i64, f.size => 1u64, f.mtime => 1i64, f.pages => 1u64
            );
            if !stage.is_empty() {
                d.add_text(f.stage, stage);
            }
            if let Some(p) = period {
                d.add_text(f.period, p);
            }
            d
        };
        let back = round_trip(vec![
            document("", None),
            document("award", None),
            document("delivery", None),
            document("delivery", Some("2027-Q9")),
            document("tender", Some("2027-Q1")),
        ]);
        let errors: Vec<String> = back
            .into_iter()
            .map(|r| r.err().map(|e| e.to_string()).unwrap_or_default())
            .collect();
        for (e, want) in errors.iter().zip([
            "no stored stage",
            "unknown stored stage \"award\"",
            "no stored period",
            "unreadable stored period \"2027-Q9\"",
            "a tender record with a period",
        ]) {
            assert!(e.contains("\"ab\"") && e.contains(want), "{e} / {want}");
        }
    }

    #[test]
    fn rfc3339_of_epoch_seconds() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn records_serialise_flat_with_record_first() {
        let rec = Record::Document(DocumentRecord {
            provenance: Provenance {
                lot: None,
                sha256: "ab".into(),
                ..provenance("ab")
            },
            size: 3,
            mtime: 0,
            pages: 1,
            title: None,
            no_text_pages: Vec::new(),
            replaced: Vec::new(),
            ocr: Vec::new(),
        });
        let json = serde_json::to_string(&rec).unwrap_or_default();
        assert!(
            json.starts_with(r#"{"record":"document","id":"ab","#),
            "{json}"
        );
        assert!(
            json.contains(r#""ingested":"1970-01-01T00:01:00Z""#),
            "{json}"
        );
        assert!(!json.contains("lot"), "{json}");
    }
}
