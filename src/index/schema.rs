//! The one tantivy schema: documents and passages (with their findings) in one index.
//!
//! Every record has `record` = `document`, `passage` or `unread`. A document record is the
//! chain of custody for one source file (origin, path, sha256, size, mtime, versions, and in
//! `detail` the pages without a text layer); an `unread` record is a file under a batch root
//! that was not read, with the reason; a passage
//! record is one passage of it with its classification (kind, themes, principles, measures,
//! score, the rules that fired). Fields are handles in [`Fields`], built once; nothing else
//! in the crate names a field by string except the query language, whose field names
//! (`supplier:`, `principle:`, `kind:` …) are the ones below.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};

use super::tokens;

/// Bumped whenever the schema or the meaning of a stored value changes; an index of another
/// version is refused with a message. 2: passage ids name the submitted copy
/// ([`crate::passage::copy_key`]), not only the content; passages have `words`. 3: every
/// read record has a `stage` (`tender` or `delivery`), delivery records a `period`.
pub const SCHEMA_VERSION: u32 = 3;

pub const RECORD_DOCUMENT: &str = "document";
pub const RECORD_PASSAGE: &str = "passage";
/// A file under a batch root that was not read ([`crate::unread`]): origin, tender, supplier,
/// and in `detail` the status and reason as JSON. It has no sha256.
pub const RECORD_UNREAD: &str = "unread";

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// `document` or `passage`.
    pub record: Field,
    /// Passage id (`COPY:ORDINAL`, [`crate::passage::PassageId`]) or, for a document, its sha256.
    pub id: Field,
    /// The source's identity across runs: its path, or `ZIP!member`.
    pub origin: Field,
    /// The file read (the staged copy for zip members).
    pub path: Field,
    pub tender: Field,
    pub supplier: Field,
    pub lot: Field,
    pub sha256: Field,
    pub format: Field,
    pub page: Field,
    /// The passage's ordinal in its document.
    pub paragraph: Field,
    /// Character offsets of the passage in the document's text.
    pub start: Field,
    pub end: Field,
    pub section: Field,
    /// Passage text, stemmed; stored.
    pub text: Field,
    /// Passage text, unstemmed.
    pub text_exact: Field,
    /// Statement kind: commitment, aspiration, track_record, none.
    pub kind: Field,
    pub theme: Field,
    pub principle: Field,
    pub rule: Field,
    pub score: Field,
    /// Words in the passage: search ranks short fragments (a lone table cell) below statements.
    pub words: Field,
    /// The measures as JSON.
    pub measures: Field,
    /// The whole passage and classification as JSON (evidence spans, lead-in): what `show` prints.
    pub detail: Field,
    pub ruleset_version: Field,
    pub extractor_version: Field,
    /// Seconds since the epoch.
    pub ingested: Field,
    /// Document records: file size, modification time, page count, title.
    pub size: Field,
    pub mtime: Field,
    pub pages: Field,
    pub title: Field,
    /// `tender` or `delivery` ([`crate::period::Stage`]), on document and passage records.
    pub stage: Field,
    /// The reporting period of a delivery record (`2027-Q2`, [`crate::period::Period`]).
    pub period: Field,
}

fn text_options(analyzer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let opts = TextOptions::default().set_indexing_options(indexing);
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

/// Build the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let keyword = STRING | STORED;
    let keyword_fast = STRING | STORED | FAST;
    let number: NumericOptions = NumericOptions::default()
        .set_stored()
        .set_indexed()
        .set_fast();
    let fields = Fields {
        record: b.add_text_field("record", STRING | FAST),
        id: b.add_text_field("id", keyword.clone()),
        origin: b.add_text_field("origin", keyword.clone()),
        path: b.add_text_field("path", STORED),
        tender: b.add_text_field("tender", keyword_fast.clone()),
        supplier: b.add_text_field("supplier", keyword_fast.clone()),
        lot: b.add_text_field("lot", keyword.clone()),
        sha256: b.add_text_field("sha256", keyword.clone()),
        format: b.add_text_field("format", keyword.clone()),
        page: b.add_u64_field("page", number.clone()),
        paragraph: b.add_u64_field("paragraph", number.clone()),
        start: b.add_u64_field("start", STORED),
        end: b.add_u64_field("end", STORED),
        section: b.add_text_field("section", text_options(tokens::EXACT, true)),
        text: b.add_text_field("text", text_options(tokens::STEMMED, true)),
        text_exact: b.add_text_field("text_exact", text_options(tokens::EXACT, false)),
        kind: b.add_text_field("kind", keyword_fast.clone()),
        theme: b.add_text_field("theme", keyword_fast.clone()),
        principle: b.add_text_field("principle", keyword_fast.clone()),
        rule: b.add_text_field("rule", keyword.clone()),
        score: b.add_u64_field("score", number.clone()),
        words: b.add_u64_field("words", number.clone()),
        measures: b.add_text_field("measures", STORED),
        detail: b.add_text_field("detail", STORED),
        ruleset_version: b.add_text_field("ruleset_version", keyword.clone()),
        extractor_version: b.add_text_field("extractor_version", keyword.clone()),
        ingested: b.add_i64_field("ingested", STORED | INDEXED),
        size: b.add_u64_field("size", STORED),
        mtime: b.add_i64_field("mtime", STORED),
        pages: b.add_u64_field("pages", STORED),
        title: b.add_text_field("title", STORED),
        stage: b.add_text_field("stage", keyword_fast.clone()),
        period: b.add_text_field("period", keyword_fast.clone()),
    };
    (b.build(), fields)
}
