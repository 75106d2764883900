//! PDF text extraction (stub: replaced by the text layer).

use crate::document::Document;
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

pub fn extract(_bytes: &[u8], _limits: &Limits, _deadline: &Deadline) -> Result<Document> {
    Err(Error::malformed_pdf("PDF reader not built yet"))
}
