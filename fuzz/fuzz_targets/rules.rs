//! The rule-set loader on arbitrary text: one file of a small rule set is replaced by the
//! input (the first byte picks which; see `harness::rules`). Loading must succeed or give a
//! located error, never panic, and never compile an unbounded regex.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = harness::rules(data);
});
