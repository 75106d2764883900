//! DOCX extraction on arbitrary bytes: must return text or an error, never panic, hang or
//! allocate without bound. The per-file time budget is short so that a slow input shows up as
//! a `Timeout` error; libFuzzer's own `-timeout` catches anything that ignores it.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use tenderscope::limits::{Deadline, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        time_budget: Duration::from_secs(2),
        max_stream_bytes: 16 << 20,
        ..Limits::default()
    };
    let deadline = Deadline::after(limits.time_budget);
    let _ = tenderscope::extract::docx::extract(data, &limits, &deadline);
});
