//! The routes: pages and the JSON API, all `GET`, all read-only. Index work runs on tokio's
//! blocking pool so that one slow request does not hold the others.
//!
//! | path | what |
//! |---|---|
//! | `/`, `/search?q=&principle=&theme=&supplier=&tender=&kind=&page=` | search page |
//! | `/passage/ID` | evidence page |
//! | `/file/SHA256` | the original file (only files recorded in the index) |
//! | `/report[?tender=&framework=&format=md\|html\|csv\|json\|docx]` | the scorecard |
//! | `/runs` | the run log |
//! | `/ledger[?tender=&supplier=]` | the commitments ledger (promised against delivered) |
//! | `/api/search`, `/api/passage/ID`, `/api/report`, `/api/runs`, `/api/ledger` | the same data as JSON |

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::classify::FrameworkId;
use crate::ingest::read_runs;
use crate::report::{self, html::Links, Format, Options, Report};
use crate::search::{self, Hit};

use super::evidence;
use super::files::{self, Served};
use super::flags::{Flags, Member, MAX_LISTED_OTHERS};
use super::pages;
use super::params::SearchParams;
use super::state::AppState;

/// The pages' content security policy: no script, no remote anything.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/search") }))
        .route("/search", get(search_page))
        .route("/passage/{id}", get(passage_page))
        .route("/file/{sha}", get(file))
        .route("/report", get(report_page))
        .route("/runs", get(runs_page))
        .route("/ledger", get(ledger_page))
        .route("/api/ledger", get(api_ledger))
        .route("/api/search", get(api_search))
        .route("/api/passage/{id}", get(api_passage))
        .route("/api/report", get(api_report))
        .route("/api/runs", get(api_runs))
        .fallback(|| async {
            html(
                StatusCode::NOT_FOUND,
                pages::error_page("Not found", "There is no page at this address."),
            )
        })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::auth::guard,
        ))
        .with_state(state)
}

fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    r
}

#[derive(Serialize)]
struct ApiError {
    error: String,
}

fn json_error(status: StatusCode, error: impl Into<String>) -> Response {
    (
        status,
        Json(ApiError {
            error: error.into(),
        }),
    )
        .into_response()
}

/// Run index work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Response> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        html(
            StatusCode::INTERNAL_SERVER_ERROR,
            pages::error_page("Internal error", &e.to_string()),
        )
    })
}

/// A search hit with the boilerplate flag.
#[derive(Serialize)]
struct ApiHit {
    #[serde(flatten)]
    hit: Hit,
    /// Set when this commitment has nearly the same words as a commitment of another supplier
    /// in the same tender: possible template text.
    boilerplate: Option<Boilerplate>,
}

#[derive(Serialize)]
struct Boilerplate {
    /// The lowest word-shingle Jaccard similarity in the group.
    similarity: f64,
    /// The other passages of the group: the first [`MAX_LISTED_OTHERS`] of them.
    others: Vec<Member>,
    /// How many other passages the group has (a template can be in thousands of tenders).
    others_total: usize,
}

#[derive(Serialize)]
struct ApiSearch {
    query: String,
    total: usize,
    page: usize,
    hits: Vec<ApiHit>,
    facets: Option<search::Facets>,
    /// False while the boilerplate flags of this commit are still being computed.
    boilerplate_ready: bool,
}

fn boilerplate(flags: Option<&Flags>, id: &str) -> Option<Boilerplate> {
    let g = flags?.group_of(id)?;
    let others = g.members.iter().filter(|m| m.id != id);
    Some(Boilerplate {
        similarity: g.similarity,
        others_total: others.clone().count(),
        others: others.take(MAX_LISTED_OTHERS).cloned().collect(),
    })
}

/// The principles of the framework the index was classified with (else the default one), for
/// the search form: (id, label).
fn principles(state: &AppState, searcher: &tantivy::Searcher) -> Vec<(String, String)> {
    let framework = index_framework(state, searcher);
    let fw = framework
        .and_then(|id| state.rules.frameworks.iter().find(|f| f.id == id))
        .or_else(|| state.rules.frameworks.get(state.rules.default_framework));
    fw.map(|f| {
        f.principles
            .iter()
            .map(|p| (p.id.0.clone(), format!("{} {}", p.id, short(&p.name, 48))))
            .collect()
    })
    .unwrap_or_default()
}

/// The framework stamped on one document record of the index.
fn index_framework(state: &AppState, searcher: &tantivy::Searcher) -> Option<FrameworkId> {
    let f = state.store.fields;
    let q = crate::index::query::term(f.record, crate::index::schema::RECORD_DOCUMENT);
    let records = crate::index::records::Records::from_parts(state.store.clone(), searcher.clone());
    let first = records.find(&*q, 1).ok()?.into_iter().next()?;
    first.provenance()?.ruleset_version.framework().cloned()
}

fn short(s: &str, n: usize) -> String {
    let mut o: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        o.push('…');
    }
    o
}

struct Searched {
    resp: Result<search::Response, String>,
    flags: Option<Arc<Flags>>,
    principles: Vec<(String, String)>,
}

fn run_search(state: &AppState, p: &SearchParams, with_principles: bool) -> Searched {
    let searcher = state.reader.searcher();
    let flags = state.flags(&searcher);
    // The page without a query or filter shows the search box and every passage's facet
    // counts (made once per commit); it does not rank the whole index.
    let first_view = with_principles && p.q.trim().is_empty() && p.filters().is_empty();
    let resp = match state.overview(&searcher).filter(|_| first_view) {
        Some(overview) => Ok((*overview).clone()),
        None => {
            // Unknown filter values get a message with suggestions; ids match in any case.
            p.request().and_then(|mut req| {
                crate::filters::resolve(
                    &state.store,
                    &searcher,
                    &mut req,
                    &crate::filters::Vocabulary::of(&state.rules),
                )?;
                search::search(&state.store, &searcher, &req)
            })
        }
        .map_err(|e| match e {
            crate::Error::Query { detail, .. } => detail,
            e => e.to_string(),
        }),
    };
    let principles = if with_principles {
        principles(state, &searcher)
    } else {
        Vec::new()
    };
    Searched {
        resp,
        flags,
        principles,
    }
}

async fn search_page(
    State(state): State<Arc<AppState>>,
    Query(p): Query<SearchParams>,
) -> Response {
    let p2 = p.clone();
    let started = std::time::Instant::now();
    let found = match blocking(move || run_search(&state, &p2, true)).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let status = if found.resp.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let body = pages::search_page(
        &p,
        &found.principles,
        found.resp.as_ref().map_err(Clone::clone),
        found.flags.as_deref(),
    );
    with_timing(html(status, body), started)
}

/// Tell the browser how long the server took (`Server-Timing`), for measuring.
fn with_timing(mut r: Response, started: std::time::Instant) -> Response {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(v) = HeaderValue::from_str(&format!("app;dur={ms:.2}")) {
        r.headers_mut().insert("server-timing", v);
    }
    r
}

async fn api_search(State(state): State<Arc<AppState>>, Query(p): Query<SearchParams>) -> Response {
    let p2 = p.clone();
    let started = std::time::Instant::now();
    let found = match blocking(move || run_search(&state, &p2, false)).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let r = match found.resp {
        Err(e) => return json_error(StatusCode::BAD_REQUEST, e),
        Ok(r) => r,
    };
    let flags = found.flags.as_deref();
    let body = Json(ApiSearch {
        query: r.query,
        total: r.total,
        page: p.page(),
        boilerplate_ready: flags.is_some_and(|f| f.skipped.is_none()),
        hits: r
            .hits
            .into_iter()
            .map(|hit| ApiHit {
                boilerplate: boilerplate(flags, &hit.id),
                hit,
            })
            .collect(),
        facets: r.facets,
    })
    .into_response();
    with_timing(body, started)
}

async fn passage_page(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let s = state.clone();
    let found = match blocking(move || {
        let searcher = s.reader.searcher();
        (evidence::load(&s.store, &searcher, &id), s.flags(&searcher))
    })
    .await
    {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (found, flags) = found;
    match found {
        Ok(Some(ev)) => {
            let group = flags
                .as_deref()
                .and_then(|f| f.group_of(&ev.passage.provenance.id))
                .cloned();
            let name = |id: &str| -> String {
                state
                    .rules
                    .frameworks
                    .iter()
                    .flat_map(|f| f.principles.iter())
                    .find(|p| p.id.as_str() == id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default()
            };
            html(
                StatusCode::OK,
                pages::passage_page(&ev, &name, group.as_ref()),
            )
        }
        Ok(None) => html(
            StatusCode::NOT_FOUND,
            pages::error_page("No such passage", "The index has no passage with this id."),
        ),
        Err(e) => html(
            StatusCode::INTERNAL_SERVER_ERROR,
            pages::error_page("Index error", &e.to_string()),
        ),
    }
}

async fn api_passage(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    #[derive(Serialize)]
    struct ApiEvidence {
        #[serde(flatten)]
        evidence: evidence::Evidence,
        boilerplate: Option<Boilerplate>,
    }
    let s = state.clone();
    let found = blocking(move || {
        let searcher = s.reader.searcher();
        let flags = s.flags(&searcher);
        evidence::load(&s.store, &searcher, &id).map(|ev| {
            ev.map(|ev| ApiEvidence {
                boilerplate: boilerplate(flags.as_deref(), &ev.passage.provenance.id),
                evidence: ev,
            })
        })
    })
    .await;
    match found {
        Ok(Ok(Some(ev))) => Json(ev).into_response(),
        Ok(Ok(None)) => json_error(StatusCode::NOT_FOUND, "no passage with this id"),
        Ok(Err(e)) => json_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(r) => r,
    }
}

async fn file(State(state): State<Arc<AppState>>, Path(sha): Path<String>) -> Response {
    let s = state.clone();
    let served = match blocking(move || files::serve(&s.store, &s.reader.searcher(), &sha)).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let page = |status, title: &str, msg: &str| html(status, pages::error_page(title, msg));
    match served {
        Ok(Served::File {
            bytes,
            content_type,
            name,
            inline,
        }) => {
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            // The name is the indexed file's, reduced to safe characters for the header.
            let safe: String = name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' })
                .collect();
            let disposition = format!(
                "{}; filename=\"{safe}\"",
                if inline { "inline" } else { "attachment" }
            );
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Ok(Served::NotInIndex) => page(
            StatusCode::NOT_FOUND,
            "Not in the index",
            "No indexed file has this SHA-256.",
        ),
        Ok(Served::Missing(why)) => page(
            StatusCode::GONE,
            "File missing",
            &format!("The indexed file cannot be read: {why}. Run `tenderscope verify`."),
        ),
        Ok(Served::Changed) => page(
            StatusCode::CONFLICT,
            "File changed",
            "The file on disk no longer has the SHA-256 it was indexed with, so it is not this evidence. Run `tenderscope verify` and re-index.",
        ),
        Ok(Served::TooLarge) => page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "File too large",
            "The file is larger than the server sends.",
        ),
        Err(e) => page(StatusCode::INTERNAL_SERVER_ERROR, "Index error", &e.to_string()),
    }
}

#[derive(Deserialize, Default)]
struct ReportParams {
    tender: Option<String>,
    framework: Option<String>,
    format: Option<String>,
}

/// The scorecard: the cached one of this commit, or one made for the tender or framework asked.
fn report_for(state: &AppState, p: &ReportParams) -> Result<Arc<Report>, report::ReportError> {
    let tender = p.tender.as_deref().filter(|t| !t.is_empty());
    let framework = p.framework.as_deref().filter(|t| !t.is_empty());
    if tender.is_none() && framework.is_none() {
        return state.scorecard();
    }
    let searcher = state.reader.searcher();
    // One scorecard is one tender: the one ingested last unless one is named.
    let tender = match tender {
        Some(t) => Some(t.to_string()),
        None => report::gather::tenders(&state.store, &searcher)?
            .into_iter()
            .next()
            .map(|(t, _)| t),
    };
    if tender.is_none() {
        state.check_size(&searcher)?;
    }
    Ok(Arc::new(report::gather(
        &state.store,
        &searcher,
        &state.rules,
        &Options {
            tender,
            framework: framework
                .map(str::parse::<FrameworkId>)
                .transpose()
                .map_err(report::ReportError::Framework)?,
        },
    )?))
}

async fn report_page(
    State(state): State<Arc<AppState>>,
    Query(p): Query<ReportParams>,
) -> Response {
    let format = match p.format.as_deref().filter(|f| !f.is_empty()) {
        None => Format::Html,
        Some(f) => match Format::parse(f) {
            Ok(f) => f,
            Err(_) => {
                return html(
                    StatusCode::BAD_REQUEST,
                    pages::error_page("Unknown format", "Formats: md, html, csv, json, docx."),
                )
            }
        },
    };
    let s = state.clone();
    let result = blocking(move || {
        let card = report_for(&s, &p)?;
        let bytes = match format {
            Format::Html => report::html::render(
                &card,
                &Links::Server {
                    nav: pages::nav("/report"),
                },
            )
            .into_bytes(),
            f => report::render(&card, f)?,
        };
        Ok::<_, report::ReportError>(bytes)
    })
    .await;
    let bytes = match result {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => {
            return html(
                StatusCode::BAD_REQUEST,
                pages::error_page("No scorecard", &e.to_string()),
            )
        }
        Err(r) => return r,
    };
    if format == Format::Html {
        return html(StatusCode::OK, String::from_utf8_lossy(&bytes).into_owned());
    }
    let content_type = match format {
        Format::Md => "text/markdown; charset=utf-8",
        Format::Csv => "text/csv; charset=utf-8",
        Format::Json => "application/json",
        Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Format::Html => "text/html; charset=utf-8",
    };
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"scorecard.{}\"",
        format.as_str()
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

async fn api_report(State(state): State<Arc<AppState>>, Query(p): Query<ReportParams>) -> Response {
    let s = state.clone();
    match blocking(move || report_for(&s, &p).and_then(|c| report::json::render(&c))).await {
        Ok(Ok(bytes)) => {
            let mut r = bytes.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        Ok(Err(e)) => json_error(StatusCode::BAD_REQUEST, e.to_string()),
        Err(r) => r,
    }
}

async fn runs_page(State(state): State<Arc<AppState>>) -> Response {
    let s = state.clone();
    match blocking(move || read_runs(&s.store)).await {
        Ok(Ok(runs)) => html(StatusCode::OK, pages::runs_page(&runs)),
        Ok(Err(e)) => html(
            StatusCode::INTERNAL_SERVER_ERROR,
            pages::error_page("Run log unreadable", &e.to_string()),
        ),
        Err(r) => r,
    }
}

#[derive(Serialize)]
struct ApiRun {
    #[serde(skip_serializing_if = "Option::is_none")]
    run: Option<crate::ingest::RunRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

async fn api_runs(State(state): State<Arc<AppState>>) -> Response {
    let s = state.clone();
    match blocking(move || read_runs(&s.store)).await {
        Ok(Ok(runs)) => Json(
            runs.into_iter()
                .map(|r| match r {
                    Ok(run) => ApiRun {
                        run: Some(run),
                        error: None,
                    },
                    Err(e) => ApiRun {
                        run: None,
                        error: Some(e),
                    },
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Ok(Err(e)) => json_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(r) => r,
    }
}

#[derive(Deserialize, Default)]
struct LedgerParams {
    tender: Option<String>,
    supplier: Option<String>,
}

/// The ledger of this commit, for the tender and supplier asked.
fn ledger_for(state: &AppState, p: &LedgerParams) -> crate::Result<crate::ledger::Ledger> {
    let searcher = state.reader.searcher();
    let records = crate::records::Records::from_parts(state.store.clone(), searcher);
    let opts = crate::ledger::Options {
        tender: p.tender.clone().filter(|t| !t.is_empty()),
        supplier: p.supplier.clone().filter(|s| !s.is_empty()),
        ..Default::default()
    };
    crate::ledger::read(&records, &opts)
}

async fn ledger_page(
    State(state): State<Arc<AppState>>,
    Query(p): Query<LedgerParams>,
) -> Response {
    let s = state.clone();
    match blocking(move || ledger_for(&s, &p)).await {
        Ok(Ok(ledger)) => html(StatusCode::OK, pages::ledger_page(&ledger)),
        Ok(Err(e)) => html(
            StatusCode::INTERNAL_SERVER_ERROR,
            pages::error_page("Ledger unreadable", &e.to_string()),
        ),
        Err(r) => r,
    }
}

async fn api_ledger(State(state): State<Arc<AppState>>, Query(p): Query<LedgerParams>) -> Response {
    let s = state.clone();
    match blocking(move || ledger_for(&s, &p)).await {
        Ok(Ok(ledger)) => Json(ledger.rows).into_response(),
        Ok(Err(e)) => json_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(r) => r,
    }
}
