//! The parts of a load client, shared by the serve test and `examples/serve_load.rs`: the mix
//! of requests an auditor's browser and scripts make (words, phrases, boolean queries, filters
//! by principle, supplier and kind, the search page's facets, evidence pages and their JSON,
//! the run log), built from what the served index holds; one request with its outcome
//! classified (a 2xx, another status, a timeout, a connection error, a malformed body); and
//! the check that a response is well formed.

use std::time::{Duration, Instant};

use tenderscope::report::html::url_encode;

/// The largest body read from one response. (On the 1,000,000-passage synthetic index a page
/// of 20 JSON hits is about 3 MB: each template commitment lists its ~3,000 copies.)
pub const MAX_BODY: u64 = 64 << 20;

/// What the mix is built from: names and ids found in the served index.
#[derive(Clone, Debug)]
pub struct Target {
    pub suppliers: Vec<String>,
    pub principles: Vec<String>,
    pub passages: Vec<String>,
}

/// How one request ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Ok,
    /// Any status but 2xx.
    Status(u16),
    Timeout,
    /// Could not connect, or the connection broke.
    Connection(String),
    /// A 2xx whose body is not what the route promises.
    Malformed(String),
}

/// An HTTP client for one connection at a time, with a bounded wait for every request.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .proxy(None)
        .max_redirects(0)
        .max_idle_connections_per_host(1)
        .build()
        .into()
}

/// GET `base` + `path`: the outcome and the time until the whole body arrived.
pub fn fetch(agent: &ureq::Agent, base: &str, path: &str) -> (Outcome, Duration) {
    let t = Instant::now();
    let outcome = match agent.get(format!("{base}{path}")).call() {
        Err(e) => classify(e),
        Ok(mut resp) => {
            let status = resp.status().as_u16();
            let content_type = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            match resp.body_mut().with_config().limit(MAX_BODY).read_to_vec() {
                Err(e) => classify(e),
                Ok(_) if !(200..300).contains(&status) => Outcome::Status(status),
                Ok(body) => match check(path, &content_type, &body) {
                    Ok(()) => Outcome::Ok,
                    Err(why) => Outcome::Malformed(why),
                },
            }
        }
    };
    (outcome, t.elapsed())
}

fn classify(e: ureq::Error) -> Outcome {
    match e {
        ureq::Error::Timeout(_) => Outcome::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Outcome::Timeout,
        e => Outcome::Connection(e.to_string()),
    }
}

/// Is this body what the route promises? JSON routes: JSON of the right shape (a search has a
/// total and hits with ids, an evidence record the id asked for); pages: a whole HTML page.
pub fn check(path: &str, content_type: &str, body: &[u8]) -> Result<(), String> {
    if path.starts_with("/api/") {
        if !content_type.starts_with("application/json") {
            return Err(format!("content type {content_type:?}"));
        }
        let v: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
        if path.starts_with("/api/search") {
            let hits = v["hits"].as_array().ok_or("no hits")?;
            let total = v["total"].as_u64().ok_or("no total")?;
            if (hits.len() as u64) > total || hits.iter().any(|h| !h["id"].is_string()) {
                return Err(format!(
                    "{} hits of {total}, or one without an id",
                    hits.len()
                ));
            }
        } else if let Some(id) = path.strip_prefix("/api/passage/") {
            if v["id"].as_str().map(url_encode).as_deref() != Some(id) {
                return Err(format!("evidence for {} instead", v["id"]));
            }
        } else if path.starts_with("/api/runs") && !v.is_array() {
            return Err("the run log is not a list".into());
        }
        return Ok(());
    }
    if !content_type.starts_with("text/html") {
        return Err(format!("content type {content_type:?}"));
    }
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
    if !text.starts_with("<!DOCTYPE html>") || !text.ends_with("</html>\n") {
        return Err(format!("not a whole page ({} bytes)", body.len()));
    }
    Ok(())
}

/// Suppliers and principles from the facets of every passage, passage ids from a few searches.
pub fn discover(agent: &ureq::Agent, base: &str) -> Result<Target, String> {
    let get = |path: &str| -> Result<serde_json::Value, String> {
        let mut resp = agent
            .get(format!("{base}{path}"))
            .call()
            .map_err(|e| format!("{path}: {e}"))?;
        if resp.status() != 200 {
            return Err(format!("{path}: status {}", resp.status()));
        }
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| format!("{path}: {e}"))?;
        serde_json::from_slice(&body).map_err(|e| format!("{path}: {e}"))
    };
    let all = get("/api/search?q=&limit=20")?;
    let keys = |facet: &str| -> Vec<String> {
        all["facets"][facet]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let suppliers = keys("supplier");
    let principles = keys("principle");
    let mut passages = Vec::new();
    for found in [all.clone(), get("/api/search?q=apprentices&limit=100")?] {
        for h in found["hits"].as_array().into_iter().flatten() {
            if let Some(id) = h["id"].as_str() {
                passages.push(id.to_string());
            }
        }
    }
    passages.sort();
    passages.dedup();
    if suppliers.is_empty() || principles.is_empty() || passages.is_empty() {
        return Err(format!(
            "the index has too little to load it with: {} suppliers, {} principles, {} passages",
            suppliers.len(),
            principles.len(),
            passages.len()
        ));
    }
    Ok(Target {
        suppliers,
        principles,
        passages,
    })
}

/// The `n`th request of the mix: the kinds of request in turn, names and ids varied.
pub fn nth(t: &Target, n: usize) -> String {
    let pick = |v: &[String]| {
        v.get((n / KINDS) % v.len().max(1))
            .map(|x| url_encode(x))
            .unwrap_or_default()
    };
    let (s, p, id) = (pick(&t.suppliers), pick(&t.principles), pick(&t.passages));
    match n % KINDS {
        0 => "/api/search?q=apprentices".to_string(),
        1 => "/search?q=apprentices+mentor".to_string(),
        2 => "/api/search?q=%22real+living+wage%22".to_string(),
        3 => format!("/api/search?q=carbon+net+zero&principle={p}"),
        4 => format!("/search?q=&principle={p}"),
        5 => format!("/api/search?q=&supplier={s}&kind=commitment"),
        6 => format!("/search?q=volunteering&supplier={s}"),
        7 => "/search?q=".to_string(),
        8 => "/api/search?q=mentoring+OR+%22work+experience%22&limit=50".to_string(),
        9 => format!("/passage/{id}"),
        10 => format!("/api/passage/{id}"),
        11 => "/search?q=local+-carbon&kind=commitment&page=2".to_string(),
        _ => "/api/runs".to_string(),
    }
}

/// The kinds of request in the mix.
pub const KINDS: usize = 13;
