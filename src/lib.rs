//! tenderscope: reads supplier tender submissions (PDF, DOCX), finds their social value
//! commitments, maps them to a council's principles and indexes the evidence.
//!
//! The crate is a pipeline of small stages with plain data between them:
//!
//! * [`extract`] turns one untrusted file into a [`document::Document`]: blocks of text in
//!   reading order with page, section and kind. Every limit it enforces is in [`limits`].
//! * [`passage`] cuts a document into passages (paragraphs, list items, table rows) with
//!   stable ids and offsets.
//! * [`classify`] tells each passage's statement kind, themes, principles, measures and
//!   specificity, by the rule set in `rules/` (data, editable without recompiling).
//! * [`ingest`] writes documents and passages into the [`index`]; [`records`] reads them back
//!   as typed values and [`custody`] re-hashes their sources.
//! * [`search`] answers queries over the index with snippets and facets.
//! * [`report`] gathers the evaluator's scorecard from the index (Markdown, HTML, CSV, JSON,
//!   DOCX); [`serve`] is the auditor's read-only web page over the same index.
//!
//! Errors are one enum, [`error::Error`]; each variant says what went wrong and where.

pub mod batch;
pub mod classify;
pub mod custody;
pub mod document;
pub mod error;
pub mod extract;
pub mod filters;
pub mod index;
pub mod ingest;
pub mod ledger;
pub mod limits;
pub mod markup;
pub mod passage;
pub mod period;
pub mod plural;
/// The record layer, where it always was for the library's users: [`index::records`].
pub use index::records;
pub mod report;
pub mod search;
pub mod serve;
pub mod textcmp;
pub mod unread;

pub use document::{Block, BlockKind, Document, Format, Metadata};
pub use error::{Error, Result};
pub use limits::Limits;
