//! The search query parser and executor on arbitrary query strings and filters, over a small
//! index built once: every input gives results or a `bad query` error, never a panic.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn index() -> &'static harness::QueryIndex {
    static INDEX: OnceLock<harness::QueryIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        // run.sh names a fresh directory and removes it afterwards.
        let dir = std::env::var_os("TENDERSCOPE_FUZZ_INDEX")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                std::env::temp_dir().join(format!("tenderscope-fuzz-query-{}", std::process::id()))
            });
        match harness::QueryIndex::build(&dir) {
            Ok(index) => index,
            Err(e) => panic!(
                "cannot build the index for fuzzing in {}: {e}",
                dir.display()
            ),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = harness::query(index(), data);
});
