//! Searching passages: tantivy's query language plus typed filters, ranked hits with
//! highlighted snippets and provenance, and facet counts.
//!
//! The query language is tantivy's: words (all required by default), `"phrases"`, `AND`, `OR`,
//! `NOT`/`-`, `+`, parentheses and `field:value` for the keyword fields (`supplier`, `tender`,
//! `kind`, `principle`, `theme`, `rule`, `sha256`) and the text fields (`text` stemmed,
//! `text_exact` word for word, `section`). A bare word searches the stemmed and the exact text
//! and the section path, so "apprentices" finds "apprenticeship" while an exact match ranks
//! higher.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::schema::RECORD_PASSAGE;
use crate::index::{index_error, Fields, Store};

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
    pub kind: String,
    pub principles: Vec<String>,
    pub themes: Vec<String>,
    pub rules: Vec<String>,
    pub score: u64,
    pub text: String,
    pub snippet: Snippet,
    pub ruleset_version: String,
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
    let term = |field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    };
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
    let (top, total) = searcher
        .search(
            &*query,
            &(
                TopDocs::with_limit(limit)
                    .and_offset(req.offset)
                    .order_by_score(),
                Count,
            ),
        )
        .map_err(err)?;
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

fn read_hit(
    store: &Store,
    searcher: &Searcher,
    addr: DocAddress,
    relevance: f32,
    snippets: &SnippetGenerator,
) -> Result<Hit> {
    let f: Fields = store.fields;
    let d: TantivyDocument = searcher.doc(addr).map_err(|e| index_error(&store.dir, e))?;
    let text = |field| {
        d.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let all = |field| {
        d.get_all(field)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect::<Vec<_>>()
    };
    let num = |field| d.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
    let body = text(f.text);
    let snip = snippets.snippet(&body);
    // No query words in the text (a filter-only search, or a match in the section path):
    // show the passage's opening.
    let snippet = if snip.fragment().is_empty() {
        let opening: String = body.chars().take(SNIPPET_CHARS).collect();
        Snippet {
            html: escape_html(&opening),
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
    Ok(Hit {
        id: text(f.id),
        relevance,
        supplier: text(f.supplier),
        tender: text(f.tender),
        origin: text(f.origin),
        sha256: text(f.sha256),
        page: num(f.page),
        paragraph: num(f.paragraph),
        start: num(f.start),
        end: num(f.end),
        section: text(f.section),
        kind: text(f.kind),
        principles: all(f.principle),
        themes: all(f.theme),
        rules: all(f.rule),
        score: num(f.score),
        text: body,
        snippet,
        ruleset_version: text(f.ruleset_version),
        extractor_version: text(f.extractor_version),
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

/// Escape text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
