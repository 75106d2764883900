//! The rule-set loader on arbitrary text: one file of the built-in rule set is replaced by the
//! input (the first byte picks which). Loading must succeed or give a located error, never
//! panic, and never compile an unbounded regex.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tenderscope::classify::{RuleSet, RuleSource};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let mut source = RuleSource::embedded();
    let n = source.files.len();
    if n == 0 {
        return;
    }
    if let Some(file) = source.files.get_mut(usize::from(pick) % n) {
        file.text = String::from_utf8_lossy(rest).into_owned();
    }
    if let Ok(rules) = RuleSet::load(&source) {
        if let Ok(c) = rules.classifier(None) {
            let _ = c.classify("We will create 12 apprenticeships in Crewe by 2027.");
        }
    }
});
