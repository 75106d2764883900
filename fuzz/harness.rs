//! The entry points of the fuzz targets, one function per target, used by the `cargo fuzz`
//! binaries (`fuzz/fuzz_targets/*.rs`). No run has found a reproducer yet; one that does gets
//! a case in the hostile suite (`tests/hostile.rs`). Each function takes the fuzzer's bytes and returns `Ok` or the input's error as text;
//! the property under test is that it returns at all: no panic, no hang, bounded memory.
//!
//! Depends only on `tenderscope`, `tantivy` and `std`, which both crates have.

#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use tantivy::TantivyDocument;
use tenderscope::classify::source::{FileRole, RuleFile};
use tenderscope::classify::{RuleSet, RuleSource};
use tenderscope::index::schema::RECORD_PASSAGE;
use tenderscope::index::Store;
use tenderscope::limits::{Deadline, Limits};
use tenderscope::search::{search, Request};

/// The limits the extraction targets run under: a short time budget, so that a slow input
/// shows up as a `Timeout` error well inside libFuzzer's `-timeout`, and a stream cap small
/// enough that a decompression bomb stops far below libFuzzer's `-rss_limit_mb`.
pub fn extract_limits() -> Limits {
    Limits {
        time_budget: Duration::from_secs(2),
        max_stream_bytes: 16 << 20,
        ..Limits::default()
    }
}

/// PDF extraction on arbitrary bytes.
pub fn pdf(data: &[u8]) -> Result<(), String> {
    let limits = extract_limits();
    let deadline = Deadline::after(limits.time_budget);
    tenderscope::extract::pdf::extract(data, &limits, &deadline)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// DOCX extraction on arbitrary bytes.
pub fn docx(data: &[u8]) -> Result<(), String> {
    let limits = extract_limits();
    let deadline = Deadline::after(limits.time_budget);
    tenderscope::extract::docx::extract(data, &limits, &deadline)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Extraction through format sniffing on arbitrary bytes: reaches the XLSX, ODT/ODS, RTF
/// and DOC readers (and PDF and DOCX) as a batch reads a file.
pub fn any_format(data: &[u8]) -> Result<(), String> {
    tenderscope::extract::extract_bytes(data, &extract_limits())
        .map(drop)
        .map_err(|e| e.to_string())
}

/// The RTF reader on arbitrary bytes (after an `{\rtf1` header, so every input reaches it).
pub fn rtf(data: &[u8]) -> Result<(), String> {
    let limits = extract_limits();
    let deadline = Deadline::after(limits.time_budget);
    let mut bytes = b"{\\rtf1 ".to_vec();
    bytes.extend_from_slice(data);
    tenderscope::extract::rtf::extract(&bytes, &limits, &deadline)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// The DOC reader on arbitrary bytes.
pub fn doc(data: &[u8]) -> Result<(), String> {
    let limits = extract_limits();
    let deadline = Deadline::after(limits.time_budget);
    tenderscope::extract::doc::extract(data, &limits, &deadline)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// The file names of a rule set, in the order the rules target's first byte picks them
/// (`fuzz/seed.sh` writes its seeds with the same numbering).
pub const RULE_FILES: [&str; 10] = [
    "kinds.toml",
    "specificity.toml",
    "themes.toml",
    "measures.toml",
    "places.toml",
    "groups.toml",
    "frameworks/cheshire-east.toml",
    "frameworks/marmot.toml",
    "kind-model.toml",
    "principle-model.toml",
];

/// The rule-set loader on arbitrary text. The first byte picks which file of a rule set the
/// rest of the input is (`RULE_FILES[byte % 10]`); the other files are small stand-ins (see
/// [`stub_rule_file`]; the two model files are optional and left out unless picked) so that
/// one run costs about what the fuzzed file costs to compile.
/// A rule set that loads then classifies one sentence with its default framework.
pub fn rules(data: &[u8]) -> Result<(), String> {
    let Some((&pick, rest)) = data.split_first() else {
        return Ok(());
    };
    let pick = usize::from(pick) % RULE_FILES.len();
    let mut files = Vec::new();
    for (i, name) in RULE_FILES.iter().enumerate() {
        let text = if i == pick {
            String::from_utf8_lossy(rest).into_owned()
        } else {
            match stub_rule_file(name) {
                Some(t) => t,
                None => continue,
            }
        };
        let role = match *name {
            "kinds.toml" | "specificity.toml" => FileRole::Cues,
            "themes.toml" => FileRole::Themes,
            "measures.toml" | "places.toml" | "groups.toml" => FileRole::Measures,
            "kind-model.toml" => FileRole::Model,
            // Its rows are read by hand (`principlemodel::split_weights`) when they have the
            // trainer's shape: untrusted text, like every rule file.
            "principle-model.toml" => FileRole::PrincipleModel,
            _ => FileRole::Framework,
        };
        files.push(RuleFile {
            name: name.to_string(),
            display: format!("rules/{name}"),
            role,
            text,
        });
    }
    let rules = RuleSet::load(&RuleSource { files }).map_err(|e| e.to_string())?;
    let classifier = rules.classifier(None)?;
    let _ = classifier.classify("We will create 12 apprenticeships in Crewe by 2027.");
    Ok(())
}

/// A small valid stand-in for one file of the built-in rule set, or `None` for an optional
/// file left out. The themes stand-in defines every theme id of the built-in `themes.toml`
/// with one term each, so that the built-in frameworks resolve their theme references.
pub fn stub_rule_file(name: &str) -> Option<String> {
    let text = match name {
        "kinds.toml" => concat!(
            "[[cue]]\nid = \"stub.we-will\"\nsignal = \"commit\"\n",
            "patterns = ['\\bwe\\s+will\\b']\n",
            "must_match = [\"We will.\"]\nmust_not_match = [\"We did.\"]\n",
        )
        .to_string(),
        "themes.toml" => {
            let embedded = RuleSource::embedded();
            let themes = embedded.files.iter().find(|f| f.name == "themes.toml")?;
            let mut out = String::new();
            for id in themes.text.lines().filter_map(theme_id) {
                out.push_str(&format!(
                    "[[theme]]\nid = \"{id}\"\nname = \"{id}\"\nterms = [\"{id}\"]\n\
                     must_match = [\"{id}\"]\nmust_not_match = [\"nothing\"]\n\n"
                ));
            }
            out
        }
        "measures.toml" => concat!(
            "[[measure]]\nid = \"stub.percent\"\nkind = \"percent\"\n",
            "patterns = ['\\b(?P<num>\\d+)\\s?%']\n",
            "must_match = [\"30% of spend\"]\nmust_not_match = [\"thirty\"]\n",
        )
        .to_string(),
        "frameworks/cheshire-east.toml" => concat!(
            "[framework]\nid = \"stub-a\"\nname = \"A\"\ndefault = true\n\n",
            "[[principle]]\nid = \"A1\"\nname = \"A1\"\nterms = [\"apprenticeships\"]\n",
            "must_match = [\"apprenticeships\"]\nmust_not_match = [\"trees\"]\n",
        )
        .to_string(),
        "frameworks/marmot.toml" => concat!(
            "[framework]\nid = \"stub-b\"\nname = \"B\"\n\n",
            "[[principle]]\nid = \"B1\"\nname = \"B1\"\nterms = [\"wage\"]\n",
            "must_match = [\"wage\"]\nmust_not_match = [\"trees\"]\n",
        )
        .to_string(),
        _ => return None,
    };
    Some(text)
}

/// `id = "x"` on a line of the built-in themes file: the theme id `x`.
fn theme_id(line: &str) -> Option<&str> {
    let rest = line
        .trim()
        .strip_prefix("id")?
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim().strip_prefix('"')?;
    rest.split('"').next()
}

/// The small index the query target searches.
pub struct QueryIndex {
    pub store: Store,
    pub reader: tantivy::IndexReader,
}

impl QueryIndex {
    /// Create the index in `dir` (a fresh directory) with three passages.
    pub fn build(dir: &Path) -> Result<QueryIndex, String> {
        let store = Store::open_or_create(dir).map_err(|e| e.to_string())?;
        let f = store.fields;
        let mut w = store.writer().map_err(|e| e.to_string())?;
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
            w.add_document(d).map_err(|e| e.to_string())?;
        }
        w.commit().map_err(|e| e.to_string())?;
        let reader = store.reader().map_err(|e| e.to_string())?;
        Ok(QueryIndex { store, reader })
    }
}

/// The search query parser and executor on an arbitrary query string and filters: the input
/// is `query NUL principle NUL kind` (lossy UTF-8); the first byte's low bit asks for facets.
pub fn query(index: &QueryIndex, data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\u{0}');
    let query = parts.next().unwrap_or("").to_string();
    let principle = parts.next().map(str::to_string);
    let kind = parts.next().map(str::to_string);
    let req = Request {
        query,
        principle,
        kind,
        limit: 10,
        facets: data.first().is_some_and(|b| b & 1 == 1),
        ..Request::default()
    };
    search(&index.store, &index.reader.searcher(), &req)
        .map(drop)
        .map_err(|e| e.to_string())
}
