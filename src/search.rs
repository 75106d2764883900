//! Searching passages: tantivy's query language plus typed filters, ranked hits with
//! highlighted snippets and provenance, and facet counts.
//!
//! The query language is tantivy's: words (all required by default), `"phrases"`, `AND`, `OR`,
//! `NOT`/`-`, `+`, parentheses and `field:value` for the keyword fields (`supplier`, `tender`,
//! `kind`, `principle`, `theme`, `rule`, `sha256`) and the text fields (`text` stemmed,
//! `text_exact` word for word, `section`). A bare word searches the stemmed and the exact text
//! and the section path, so "apprentices" finds "apprenticeship" while an exact match ranks
//! higher.

use std::collections::{BTreeMap, HashMap};

use maud::html;
use serde::{Deserialize, Serialize};
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument};

use crate::classify::StatementKind;
use crate::error::{Error, Result};
use crate::index::records::record_from;
use crate::index::schema::RECORD_PASSAGE;
use crate::index::stamp::RuleSetStamp;
use crate::index::{index_error, Fields, Store};
use crate::markup::Text;

/// Most hits returned by one search.
pub const MAX_LIMIT: usize = 1000;
/// Deepest page reached by `offset` (tantivy keeps offset + limit hits in memory).
pub const MAX_OFFSET: usize = 100_000;
/// Longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 2000;
/// Characters of context in a snippet.
const SNIPPET_CHARS: usize = 240;

/// A search, as typed values.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Request {
    pub query: String,
    pub principle: Option<String>,
    pub theme: Option<String>,
    pub supplier: Option<String>,
    pub tender: Option<String>,
    /// Statement kind: commitment, aspiration, track_record, none.
    pub kind: Option<String>,
    pub limit: usize,
    pub offset: usize,
    pub facets: bool,
    #[serde(default)]
    pub sort: Sort,
}

/// How hits are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// By relevance, weighed by what an evaluator looks for: among hits of similar relevance,
    /// firm and specific commitments come before aspirations, claims and short fragments.
    #[default]
    Relevance,
    /// Commitments first, then aspirations, track record and the rest; within a kind, the most
    /// specific first; then by relevance.
    Specificity,
    /// By supplier name, then by relevance.
    Supplier,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Relevance, Sort::Specificity, Sort::Supplier];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Specificity => "specificity",
            Sort::Supplier => "supplier",
        }
    }

    /// Parse a sort name (case-insensitive); the error names the choices.
    pub fn parse(name: &str) -> std::result::Result<Sort, String> {
        Sort::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                let all: Vec<&str> = Sort::ALL.iter().map(|s| s.as_str()).collect();
                format!("unknown sort `{name}` (one of {})", all.join(", "))
            })
    }
}

/// How much a kind raises (or lowers) a hit's relevance in the default order: a share of it.
/// The weights are small on purpose: they reorder hits of similar relevance, and a passage
/// that matches the query much better still comes first.
fn kind_weight(kind: &str) -> f32 {
    match kind {
        "commitment" => 0.30,
        "aspiration" => 0.10,
        "track_record" => 0.0,
        _ => -0.10,
    }
}

/// What each point of specificity (0 to 5) adds, as a share of relevance.
const SPECIFICITY_WEIGHT: f32 = 0.05;
/// A passage of fewer words than this is a fragment (a lone table cell, a label) ...
const FRAGMENT_WORDS: u64 = 6;
/// ... and ranks this share lower.
const FRAGMENT_WEIGHT: f32 = -0.20;

/// The order of kinds for `--sort specificity`.
fn kind_rank(kind: &str) -> f32 {
    match kind {
        "commitment" => 3.0,
        "aspiration" => 2.0,
        "track_record" => 1.0,
        _ => 0.0,
    }
}

/// A hit's place in the order: `key` first, then the query's relevance.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
struct SortKey {
    key: f32,
    relevance: f32,
}

/// A highlighted piece of a passage: `text` with the byte ranges of the matched words.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Snippet {
    pub text: String,
    pub highlighted: Vec<(usize, usize)>,
    /// The same, as HTML with `<b>` around the matches (text escaped).
    pub html: String,
}

/// One hit, with its provenance.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub relevance: f32,
    pub supplier: String,
    pub tender: String,
    pub origin: String,
    pub sha256: String,
    pub page: u64,
    pub paragraph: u64,
    pub start: u64,
    pub end: u64,
    pub section: String,
    pub kind: StatementKind,
    pub principles: Vec<String>,
    pub themes: Vec<String>,
    pub rules: Vec<String>,
    pub score: u64,
    pub text: String,
    pub snippet: Snippet,
    pub ruleset_version: RuleSetStamp,
    pub extractor_version: String,
}

/// Facet counts over all matching passages: value -> passages.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Facets {
    pub principle: BTreeMap<String, u64>,
    pub theme: BTreeMap<String, u64>,
    pub supplier: BTreeMap<String, u64>,
    pub kind: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Response {
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

/// Check a request's typed values before any search runs.
pub fn validate(req: &Request) -> Result<()> {
    let bad = |detail: String| Error::Query {
        query: req.query.chars().take(200).collect(),
        detail,
    };
    if req.query.len() > MAX_QUERY_BYTES {
        return Err(bad(format!("query longer than {MAX_QUERY_BYTES} bytes")));
    }
    if let Some(k) = &req.kind {
        if !["commitment", "aspiration", "track_record", "none"].contains(&k.as_str()) {
            return Err(bad(format!(
                "unknown kind `{k}` (one of commitment, aspiration, track_record, none)"
            )));
        }
    }
    if req.offset > MAX_OFFSET {
        return Err(bad(format!(
            "offset {} is above {MAX_OFFSET}: narrow the query instead",
            req.offset
        )));
    }
    if req.limit > MAX_LIMIT {
        return Err(bad(format!("limit {} is above {MAX_LIMIT}", req.limit)));
    }
    Ok(())
}

/// Build the tantivy query for a request: the parsed text query and the filters, restricted to
/// passage records.
pub fn build_query(store: &Store, req: &Request) -> Result<Box<dyn Query>> {
    validate(req)?;
    let f = store.fields;
    let term = crate::index::query::term;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, term(f.record, RECORD_PASSAGE))];
    if req.query.trim().is_empty() {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    } else {
        let mut parser =
            QueryParser::for_index(&store.index, vec![f.text, f.text_exact, f.section]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.text_exact, 1.5);
        parser.set_field_boost(f.section, 0.5);
        let parsed = parser.parse_query(&req.query).map_err(|e| Error::Query {
            query: req.query.chars().take(200).collect(),
            detail: e.to_string(),
        })?;
        clauses.push((Occur::Must, parsed));
    }
    let filters = [
        (f.principle, &req.principle),
        (f.theme, &req.theme),
        (f.supplier, &req.supplier),
        (f.tender, &req.tender),
        (f.kind, &req.kind),
    ];
    for (field, value) in filters {
        if let Some(v) = value {
            clauses.push((Occur::Must, term(field, v)));
        }
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// Run a search on the last commit.
pub fn search(store: &Store, searcher: &Searcher, req: &Request) -> Result<Response> {
    let query = build_query(store, req)?;
    let limit = req.limit.clamp(1, MAX_LIMIT);
    let err = |e| index_error(&store.dir, e);
    let suppliers = supplier_ranks(searcher);
    let sort = req.sort;
    let order = TopDocs::with_limit(limit)
        .and_offset(req.offset)
        .tweak_score(move |segment: &SegmentReader| {
            let weigh = Weigher::of(segment, sort, &suppliers);
            move |doc: DocId, relevance: Score| weigh.key(doc, relevance)
        });
    let (top, total) = searcher.search(&*query, &(order, Count)).map_err(err)?;
    let top: Vec<(f32, DocAddress)> = top.into_iter().map(|(k, a)| (k.relevance, a)).collect();
    let mut snippets =
        SnippetGenerator::create(searcher, &*query, store.fields.text).map_err(err)?;
    snippets.set_max_num_chars(SNIPPET_CHARS);
    let mut hits = Vec::with_capacity(top.len());
    for (relevance, addr) in top {
        hits.push(read_hit(store, searcher, addr, relevance, &snippets)?);
    }
    let facets = if req.facets {
        Some(facet_counts(store, searcher, &*query)?)
    } else {
        None
    };
    Ok(Response {
        query: req.query.clone(),
        total,
        hits,
        facets,
    })
}

/// Each supplier's place in name order, over every segment (term ordinals are per segment).
fn supplier_ranks(searcher: &Searcher) -> std::sync::Arc<HashMap<String, u32>> {
    let mut names = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        for_each_term(segment, "supplier", |_, name| {
            names.insert(name.to_string());
        });
    }
    std::sync::Arc::new(names.into_iter().zip(0u32..).collect())
}

/// Call `f` with each ordinal and term of a keyword fast field of one segment.
fn for_each_term(segment: &SegmentReader, field: &str, mut f: impl FnMut(u64, &str)) {
    let Ok(Some(column)) = segment.fast_fields().str(field) else {
        return;
    };
    let mut term = String::new();
    for ord in 0..column.dictionary().num_terms() as u64 {
        term.clear();
        if column.ord_to_str(ord, &mut term).unwrap_or(false) {
            f(ord, &term);
        }
    }
}

/// The sort key of one segment's hits, from its fast fields. A value a segment lacks counts as
/// neutral: the order degrades to relevance, the search does not fail.
struct Weigher {
    sort: Sort,
    /// Per term ordinal of `kind`: its weight (relevance) or rank (specificity).
    kind: Vec<f32>,
    kinds: Option<tantivy::columnar::Column<u64>>,
    score: Option<tantivy::columnar::Column<u64>>,
    words: Option<tantivy::columnar::Column<u64>>,
    /// Per term ordinal of `supplier`: its place in name order.
    supplier: Vec<u32>,
    suppliers: Option<tantivy::columnar::Column<u64>>,
}

impl Weigher {
    fn of(segment: &SegmentReader, sort: Sort, ranks: &HashMap<String, u32>) -> Weigher {
        let ords = |field: &str| {
            segment
                .fast_fields()
                .str(field)
                .ok()
                .flatten()
                .map(|c| c.ords().clone())
        };
        let number = |field: &str| segment.fast_fields().u64(field).ok();
        let mut kind = Vec::new();
        let mut supplier = Vec::new();
        match sort {
            Sort::Relevance | Sort::Specificity => for_each_term(segment, "kind", |ord, k| {
                let ord = ord as usize;
                kind.resize(kind.len().max(ord + 1), 0.0);
                kind[ord] = if sort == Sort::Relevance {
                    kind_weight(k)
                } else {
                    kind_rank(k)
                };
            }),
            Sort::Supplier => for_each_term(segment, "supplier", |ord, name| {
                let ord = ord as usize;
                supplier.resize(supplier.len().max(ord + 1), u32::MAX);
                supplier[ord] = ranks.get(name).copied().unwrap_or(u32::MAX);
            }),
        }
        Weigher {
            sort,
            kind,
            kinds: ords("kind"),
            score: number("score"),
            words: number("words"),
            supplier,
            suppliers: ords("supplier"),
        }
    }

    fn key(&self, doc: DocId, relevance: Score) -> SortKey {
        let first =
            |c: &Option<tantivy::columnar::Column<u64>>| c.as_ref().and_then(|c| c.first(doc));
        let kind = first(&self.kinds)
            .and_then(|o| self.kind.get(o as usize).copied())
            .unwrap_or(0.0);
        let score = first(&self.score).unwrap_or(0).min(5) as f32;
        let key = match self.sort {
            Sort::Relevance => {
                let fragment = first(&self.words).is_some_and(|w| w < FRAGMENT_WORDS);
                let weight = 1.0
                    + kind
                    + SPECIFICITY_WEIGHT * score
                    + if fragment { FRAGMENT_WEIGHT } else { 0.0 };
                relevance * weight
            }
            Sort::Specificity => kind * 10.0 + score,
            // Higher keys come first: the first name in order gets the highest.
            Sort::Supplier => {
                let rank = first(&self.suppliers)
                    .and_then(|o| self.supplier.get(o as usize).copied())
                    .unwrap_or(u32::MAX);
                -(rank as f32)
            }
        };
        SortKey { key, relevance }
    }
}

fn read_hit(
    store: &Store,
    searcher: &Searcher,
    addr: DocAddress,
    relevance: f32,
    snippets: &SnippetGenerator,
) -> Result<Hit> {
    let f: Fields = store.fields;
    let d: TantivyDocument = searcher.doc(addr).map_err(|e| index_error(&store.dir, e))?;
    let p = record_from(f, &d)?.into_passage()?;
    let snip = snippets.snippet(&p.text);
    // No query words in the text (a filter-only search, or a match in the section path):
    // show the passage's opening.
    let snippet = if snip.fragment().is_empty() {
        let opening: String = p.text.chars().take(SNIPPET_CHARS).collect();
        Snippet {
            html: html! { (Text(&opening)) }.into_string(),
            text: opening,
            highlighted: Vec::new(),
        }
    } else {
        Snippet {
            text: snip.fragment().to_string(),
            highlighted: snip
                .highlighted()
                .iter()
                .map(|r| (r.start, r.end))
                .collect(),
            html: snip.to_html(),
        }
    };
    let v = p.provenance;
    Ok(Hit {
        id: v.id,
        relevance,
        supplier: v.supplier,
        tender: v.tender,
        origin: v.origin,
        sha256: v.sha256,
        page: p.page,
        paragraph: p.paragraph,
        start: p.start,
        end: p.end,
        section: p.section,
        kind: p.kind,
        principles: p.principles,
        themes: p.themes,
        rules: p.rules,
        score: p.score,
        text: p.text,
        snippet,
        ruleset_version: v.ruleset_version,
        extractor_version: v.extractor_version,
    })
}

fn facet_counts(store: &Store, searcher: &Searcher, query: &dyn Query) -> Result<Facets> {
    let req = serde_json::json!({
        "principle": { "terms": { "field": "principle", "size": 200 } },
        "theme": { "terms": { "field": "theme", "size": 500 } },
        "supplier": { "terms": { "field": "supplier", "size": 5000 } },
        "kind": { "terms": { "field": "kind", "size": 10 } },
    });
    let bad = |e: String| Error::Index {
        path: store.dir.clone(),
        detail: format!("facet counts: {e}"),
    };
    let aggs: Aggregations = serde_json::from_value(req).map_err(|e| bad(e.to_string()))?;
    let collector = AggregationCollector::from_aggs(aggs, Default::default());
    let results: AggregationResults = searcher
        .search(query, &collector)
        .map_err(|e| index_error(&store.dir, e))?;
    let value = serde_json::to_value(results).map_err(|e| bad(e.to_string()))?;
    let buckets = |name: &str| -> BTreeMap<String, u64> {
        value[name]["buckets"]
            .as_array()
            .map(|bs| {
                bs.iter()
                    .filter_map(|b| {
                        Some((b["key"].as_str()?.to_string(), b["doc_count"].as_u64()?))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(Facets {
        principle: buckets("principle"),
        theme: buckets("theme"),
        supplier: buckets("supplier"),
        kind: buckets("kind"),
    })
}
