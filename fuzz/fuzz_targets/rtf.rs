//! RTF extraction on arbitrary bytes: must return text or an error, never panic, hang or
//! allocate without bound.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = harness::rtf(data);
});
