//! The search query parser and executor on arbitrary query strings and filters, over a small
//! index built once: every input gives results or a `bad query` error, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tantivy::TantivyDocument;
use tenderscope::index::schema::RECORD_PASSAGE;
use tenderscope::index::Store;
use tenderscope::search::{search, Request};

fn store() -> &'static (Store, tantivy::IndexReader) {
    static STORE: OnceLock<(Store, tantivy::IndexReader)> = OnceLock::new();
    STORE.get_or_init(|| {
        // run.sh names a fresh directory and removes it afterwards.
        let dir = std::env::var_os("TENDERSCOPE_FUZZ_INDEX")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::env::temp_dir().join(format!("tenderscope-fuzz-query-{}", std::process::id()))
            });
        let store = Store::open_or_create(&dir).expect("index for fuzzing");
        let f = store.fields;
        let mut w = store.writer().expect("writer");
        for (i, t) in [
            "We will create 12 apprenticeships in Crewe by 2027.",
            "All staff will be paid the Real Living Wage.",
            "We aim to reduce carbon emissions where possible.",
        ]
        .iter()
        .enumerate()
        {
            let mut d = TantivyDocument::default();
            d.add_text(f.record, RECORD_PASSAGE);
            d.add_text(f.id, format!("x:{i}"));
            d.add_text(f.supplier, "acme");
            d.add_text(f.kind, "commitment");
            d.add_text(f.principle, "CE9");
            d.add_text(f.text, t);
            d.add_text(f.text_exact, t);
            w.add_document(d).expect("add");
        }
        w.commit().expect("commit");
        let reader = store.reader().expect("reader");
        (store, reader)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\u{0}');
    let query = parts.next().unwrap_or("").to_string();
    let principle = parts.next().map(str::to_string);
    let kind = parts.next().map(str::to_string);
    let (store, reader) = store();
    let req = Request {
        query,
        principle,
        kind,
        limit: 10,
        facets: data.first().is_some_and(|b| b & 1 == 1),
        ..Request::default()
    };
    let _ = search(store, &reader.searcher(), &req);
});
