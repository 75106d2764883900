//! tenderscope: reads supplier tender submissions (PDF, DOCX), finds their social value
//! commitments, maps them to a council's principles and indexes the evidence.
//!
//! The crate is a pipeline of small stages with plain data between them:
//!
//! * [`extract`] turns one untrusted file into a [`document::Document`]: blocks of text in
//!   reading order with page, section and kind. Every limit it enforces is in [`limits`].
//! * later stages (passages, classification, index, report) consume those documents.
//!
//! Errors are one enum, [`error::Error`]; each variant says what went wrong and where.

pub mod batch;
pub mod document;
pub mod error;
pub mod extract;
pub mod limits;
pub mod textcmp;

pub use document::{Block, BlockKind, Document, Format, Metadata};
pub use error::{Error, Result};
pub use limits::Limits;
