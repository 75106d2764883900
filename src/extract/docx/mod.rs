//! DOCX text extraction (stub: replaced by the reader).

use crate::document::Document;
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

pub fn extract(_bytes: &[u8], _limits: &Limits, _deadline: &Deadline) -> Result<Document> {
    Err(Error::malformed_docx("DOCX reader not built yet"))
}
