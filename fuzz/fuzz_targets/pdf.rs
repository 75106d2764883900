//! PDF extraction on arbitrary bytes: must return text or an error, never panic, hang or
//! allocate without bound. The per-file time budget is short so that a slow input shows up as
//! a `Timeout` error; libFuzzer's own `-timeout` catches anything that ignores it.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = harness::pdf(data);
});
