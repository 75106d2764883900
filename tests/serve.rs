//! `serve`: the web page and JSON API over a fixture index, in this process on a free loopback
//! port, through a small HTTP client with bounded requests: search with filters and facets,
//! evidence pages, files only by indexed sha256, the scorecard and run log, escaping of
//! supplier text, the token and Host checks, read-only routes, and a few hundred concurrent
//! requests of the load mix (`support/load.rs`).

mod support;

use std::time::{Duration, Instant};

use tenderscope::serve::{check_bind, Config, ServeError, Server};

use support::load::{self, Outcome};
use support::{shared_fixture, HOSTILE_SUPPLIER, TEMPLATE_A, TEMPLATE_B};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .proxy(None)
        .max_redirects(0)
        .build()
        .into()
}

struct Reply {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

fn send(req: ureq::RequestBuilder<ureq::typestate::WithoutBody>) -> Reply {
    let mut resp = req.call().unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp
        .body_mut()
        .with_config()
        .limit(50 << 20)
        .read_to_vec()
        .unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

fn get(server: &Server, path: &str) -> Reply {
    send(agent().get(format!("http://{}{path}", server.addr())))
}

fn start(index: &std::path::Path, token: Option<&str>) -> Server {
    let config = Config {
        index: index.to_path_buf(),
        bind: "127.0.0.1:0".parse().unwrap(),
        token: token.map(str::to_string),
    };
    Server::start(&config, support::rules()).unwrap()
}

fn fixture_server() -> Server {
    start(&shared_fixture().index, None)
}

/// Wait (bounded) until the server has the boilerplate flags of its commit.
fn wait_for_flags(server: &Server) {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(60) {
        let r = get(server, "/api/search?q=wage");
        if r.json()["boilerplate_ready"] == true {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the boilerplate flags were not ready in 60 s");
}

/// Issue 12: the order is chosen on the page and kept in its links; an unknown one is a 400
/// that names the choices.
#[test]
fn the_search_page_offers_the_three_orders() {
    let s = fixture_server();
    let html = get(&s, "/search?q=apprentices").text();
    assert!(html.contains("Sort by: <b>relevance</b>"), "{html}");
    assert!(
        html.contains("href=\"/search?q=apprentices&amp;sort=specificity\""),
        "{html}"
    );
    let r = get(&s, "/search?q=apprentices&sort=supplier&kind=commitment");
    assert_eq!(r.status, 200);
    let html = r.text();
    assert!(html.contains("<b>supplier</b>"), "{html}");
    // Removing a filter keeps the order.
    assert!(
        html.contains("href=\"/search?q=apprentices&amp;sort=supplier\""),
        "{html}"
    );
    let r = get(&s, "/search?q=apprentices&sort=newest");
    assert_eq!(r.status, 400);
    assert!(r
        .text()
        .contains("unknown sort `newest` (one of relevance, specificity, supplier)"));
    let r = get(&s, "/api/search?q=apprentices&sort=newest");
    assert_eq!(r.status, 400);
}

#[test]
fn search_page_shows_highlighted_hits_with_provenance() {
    let s = fixture_server();
    let r = get(&s, "/search?q=apprentices");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("text/html"));
    let csp = r.header("content-security-policy");
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("script-src"),
        "{csp}"
    );
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    let html = r.text();
    assert!(html.contains("1 passage matches"), "{html}");
    assert!(html.contains("<b class=\"hl\">apprentices</b>"), "{html}");
    assert!(html.contains("acme-build"));
    assert!(html.contains("social-value-plan.docx p. 1"));
    assert!(html.contains("href=\"/passage/"));
    assert!(html.contains("href=\"/file/"));
    // The query stays in the box: the URL is the search.
    assert!(html.contains("value=\"apprentices\""));
    // Without a query or filter: the box and every passage's facet counts, no ranking.
    wait_for_flags(&s);
    let first = get(&s, "/search").text();
    assert!(first.contains("passages indexed"), "{first}");
    assert!(first.contains("href=\"/search?principle=CE9\""), "{first}");
    assert!(!first.contains("class=\"hit\""));
    // `/` leads to the search page.
    let root = get(&s, "/");
    assert_eq!(root.status, 303);
    assert_eq!(root.header("location"), "/search");
}

#[test]
fn filters_narrow_results_and_facets_link_to_filtered_searches() {
    let s = fixture_server();
    let all = get(&s, "/api/search?q=").json();
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 8, "{all}");
    let ce9 = get(&s, "/api/search?q=&principle=CE9").json();
    let n = ce9["total"].as_u64().unwrap();
    assert!(n >= 1 && n < total, "{n} of {total}");
    for h in ce9["hits"].as_array().unwrap() {
        assert!(h["principles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "CE9"));
    }
    assert_eq!(
        ce9["facets"]["principle"]["CE9"].as_u64(),
        Some(n),
        "{}",
        ce9["facets"]
    );
    let commitments = get(&s, "/api/search?q=&kind=commitment&supplier=bolt-civils").json();
    for h in commitments["hits"].as_array().unwrap() {
        assert_eq!(h["kind"], "commitment");
        assert_eq!(h["supplier"], "bolt-civils");
    }
    // The page's facet links are searches with the filter added.
    let html = get(&s, "/search?q=wage").text();
    assert!(
        html.contains("href=\"/search?q=wage&amp;principle=CE7\""),
        "{html}"
    );
    let filtered = get(&s, "/search?q=wage&principle=CE7").text();
    assert!(filtered.contains("principle: CE7 ✕"));
}

#[test]
fn supplier_text_is_escaped_everywhere() {
    let s = fixture_server();
    wait_for_flags(&s);
    let search = get(&s, "/search?q=listening").text();
    let passage_id = search
        .split("href=\"/passage/")
        .nth(1)
        .and_then(|x| x.split('"').next())
        .unwrap()
        .replace("%3A", ":");
    let report = get(&s, "/report").text();
    let evidence = get(&s, &format!("/passage/{passage_id}")).text();
    for (name, html) in [
        ("search", &search),
        ("report", &report),
        ("evidence", &evidence),
    ] {
        assert!(!html.contains("<script"), "{name} holds a script tag");
        assert!(!html.contains("<b onclick"), "{name} holds supplier markup");
        assert!(
            !html.contains("<ltd>"),
            "{name} holds the supplier name raw"
        );
        assert!(
            html.contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"),
            "{name} lost the text"
        );
        assert!(
            html.contains("o&#39;brien &amp; &quot;sons&quot; &lt;ltd&gt;"),
            "{name}"
        );
    }
    // A query is echoed escaped too.
    let echo = get(&s, "/search?q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E").text();
    assert!(!echo.contains("<script>x"));
    assert!(echo.contains("&quot;&gt;&lt;script&gt;x&lt;/script&gt;"));
    // A filter value is echoed escaped (and matches nothing).
    let sup = get(&s, "/search?q=&supplier=%3Cimg%20src%3Dx%3E").text();
    assert!(!sup.contains("<img"));
    // The JSON API keeps the text as it is: JSON, not HTML.
    let api = get(&s, "/api/search?q=listening").json();
    assert_eq!(api["hits"][0]["supplier"], HOSTILE_SUPPLIER);
    assert!(api["hits"][0]["text"]
        .as_str()
        .unwrap()
        .contains("<script>alert('pwned')</script>"));
}

#[test]
fn evidence_page_has_quote_spans_neighbours_citation_and_rules() {
    let s = fixture_server();
    let hits = get(&s, "/api/search?q=apprentices").json();
    let hit = &hits["hits"][0];
    let id = hit["id"].as_str().unwrap();
    let sha = hit["sha256"].as_str().unwrap();
    let ev = get(&s, &format!("/api/passage/{id}")).json();
    assert_eq!(ev["id"], id);
    assert_eq!(ev["sha256"], sha);
    assert_eq!(ev["page"], 1);
    assert_eq!(ev["supplier"], "acme-build");
    assert!(ev["text"].as_str().unwrap().contains("6 apprentices"));
    assert!(!ev["spans"].as_array().unwrap().is_empty());
    assert!(ev["before"]["text"].is_string(), "{ev}");
    assert!(ev["after"]["text"].as_str().unwrap().contains(TEMPLATE_A));
    assert!(ev["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "apprenticeships"));
    let page = get(&s, &format!("/passage/{id}"));
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("<mark title=\""), "{html}");
    let quote = html
        .split("<div class=\"quote\" id=\"quote\">")
        .nth(1)
        .and_then(|q| q.split("</div>").next())
        .unwrap();
    assert!(quote.starts_with("We will <mark title=\""), "{quote}");
    assert!(
        quote.contains("recruit 6 apprentices from Crewe</mark>"),
        "{quote}"
    );
    assert!(
        quote.contains("<mark title=\"measure date\">by March 2027</mark>"),
        "{quote}"
    );
    assert!(html.contains(sha));
    assert!(html.contains(&format!("href=\"/file/{sha}#page=1\"")));
    assert!(html.contains("<dt>Page</dt><dd>1</dd>"));
    assert!(html.contains("<code>apprenticeships</code>"));
    // Unknown and malformed ids.
    let unknown = format!("{}:999", "0".repeat(64));
    assert_eq!(get(&s, &format!("/passage/{unknown}")).status, 404);
    assert_eq!(get(&s, "/passage/..%2F..%2Fetc%2Fpasswd").status, 404);
    assert_eq!(get(&s, &format!("/api/passage/{unknown}")).status, 404);
}

#[test]
fn only_indexed_files_are_served_by_their_hash() {
    let f = support::fresh_fixture();
    let s = start(&f.index, None);
    let hit = get(&s, "/api/search?q=apprentices").json()["hits"][0].clone();
    let sha = hit["sha256"].as_str().unwrap().to_string();
    let file = get(&s, &format!("/file/{sha}"));
    assert_eq!(file.status, 200);
    let on_disk = std::fs::read(f.batch.join("acme-build/social-value-plan.docx")).unwrap();
    assert!(file.body == on_disk);
    assert!(file
        .header("content-type")
        .starts_with("application/vnd.openxmlformats"));
    assert!(file
        .header("content-disposition")
        .contains("social-value-plan.docx"));
    for bad in [
        format!("/file/{}", "0".repeat(64)),
        "/file/..%2F..%2F..%2Fetc%2Fpasswd".to_string(),
        "/file/%2Fetc%2Fpasswd".to_string(),
        format!("/file/{}", "z".repeat(64)),
        "/file/".to_string(),
    ] {
        let r = get(&s, &bad);
        assert_eq!(r.status, 404, "{bad}");
        assert!(!r.text().contains("root:"), "{bad}");
    }
    // A file changed since it was indexed is no longer the evidence.
    std::fs::write(
        f.batch.join("acme-build/social-value-plan.docx"),
        b"changed",
    )
    .unwrap();
    assert_eq!(get(&s, &format!("/file/{sha}")).status, 409);
    std::fs::remove_file(f.batch.join("acme-build/social-value-plan.docx")).unwrap();
    assert_eq!(get(&s, &format!("/file/{sha}")).status, 410);
}

#[test]
fn scorecard_runs_and_their_json() {
    let s = fixture_server();
    let report = get(&s, "/report");
    assert_eq!(report.status, 200);
    let html = report.text();
    assert!(html.contains("<table class=\"heat\">"));
    assert!(html.contains("href=\"/passage/"));
    assert!(html.contains("class=\"top\""), "the server's navigation");
    let json = get(&s, "/api/report").json();
    assert_eq!(json["suppliers"].as_array().unwrap().len(), 3);
    assert_eq!(json["duplicates"].as_array().unwrap().len(), 1);
    let csv = get(&s, "/report?format=csv");
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.text().starts_with("tender,supplier,principles"));
    let marmot = get(&s, "/api/report?framework=marmot").json();
    assert_eq!(marmot["framework"]["id"], "marmot");
    assert_eq!(get(&s, "/report?format=pdf").status, 400);
    assert_eq!(get(&s, "/api/report?framework=nope").status, 400);
    let runs = get(&s, "/api/runs").json();
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["run"]["files"], 3);
    let page = get(&s, "/runs").text();
    assert!(page.contains("<h1>Run log</h1>"));
    assert!(page.contains(runs[0]["run"]["started"].as_str().unwrap()));
}

#[test]
fn boilerplate_is_flagged_in_search_results_and_evidence() {
    let s = fixture_server();
    wait_for_flags(&s);
    let r = get(&s, "/api/search?q=%22zero%20hours%22").json();
    let hits = r["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2, "{r}");
    for h in hits {
        assert!(h["text"] == TEMPLATE_A || h["text"] == TEMPLATE_B);
        let b = &h["boilerplate"];
        assert!(b["similarity"].as_f64().unwrap() >= 0.5, "{h}");
        let others = b["others"].as_array().unwrap();
        assert_eq!(others.len(), 1);
        assert_eq!(b["others_total"], 1);
        assert_ne!(others[0]["supplier"], h["supplier"]);
        assert_ne!(others[0]["id"], h["id"]);
    }
    let other = get(&s, "/api/search?q=apprentices").json();
    assert!(other["hits"][0]["boilerplate"].is_null());
    let html = get(&s, "/search?q=%22zero%20hours%22").text();
    assert_eq!(html.matches(">boilerplate</a>").count(), 2, "{html}");
    assert!(html.contains("#near-duplicates\""));
    // The evidence page names the other supplier's passage.
    let id = hits[0]["id"].as_str().unwrap();
    let other_id = hits[0]["boilerplate"]["others"][0]["id"].as_str().unwrap();
    let page = get(&s, &format!("/passage/{id}")).text();
    assert!(page.contains("id=\"near-duplicates\""));
    assert!(page.contains(&other_id.replace(':', "%3A")));
    let api = get(&s, &format!("/api/passage/{id}")).json();
    assert_eq!(api["boilerplate"]["others"][0]["id"], other_id);
}

#[test]
fn bad_queries_get_a_message_not_a_crash() {
    let s = fixture_server();
    let r = get(&s, "/search?q=%22unclosed");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("This query cannot be run"));
    let api = get(&s, "/api/search?q=%22unclosed");
    assert_eq!(api.status, 400);
    assert!(api.json()["error"].is_string());
    let long = "a".repeat(3000);
    assert_eq!(get(&s, &format!("/api/search?q={long}")).status, 400);
    assert_eq!(get(&s, "/api/search?q=&kind=bogus").status, 400);
    // Paging far beyond the hits is bounded, not an allocation of the offset.
    let deep = get(&s, "/api/search?q=&page=999999999999");
    assert_eq!(deep.status, 200);
    assert!(deep.json()["hits"].as_array().unwrap().is_empty());
    assert_eq!(get(&s, "/api/search?page=abc").status, 400);
    assert_eq!(get(&s, "/no/such/page").status, 404);
}

#[test]
fn the_server_is_read_only() {
    let s = fixture_server();
    let url = format!("http://{}/search", s.addr());
    let r = agent().post(&url).send_empty().unwrap();
    assert_eq!(r.status().as_u16(), 405);
    let r = agent()
        .delete(format!("http://{}/api/report", s.addr()))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
}

#[test]
fn a_token_is_needed_on_every_request_when_set() {
    let token = "a-test-token-of-some-length";
    let s = start(&shared_fixture().index, Some(token));
    let base = format!("http://{}", s.addr());
    for path in [
        "/search?q=wage",
        "/api/search?q=wage",
        "/report",
        "/runs",
        "/file/x",
    ] {
        let r = send(agent().get(format!("{base}{path}")));
        assert_eq!(r.status, 401, "{path}");
        assert!(r.header("www-authenticate").starts_with("Bearer"));
        let wrong = send(
            agent()
                .get(format!("{base}{path}"))
                .header("Authorization", "Bearer a-test-token-of-some-lengtX"),
        );
        assert_eq!(wrong.status, 401, "{path}");
    }
    let ok = send(
        agent()
            .get(format!("{base}/api/search?q=wage"))
            .header("Authorization", format!("Bearer {token}")),
    );
    assert_eq!(ok.status, 200);
    let by_query = send(agent().get(format!("{base}/search?q=wage&token={token}")));
    assert_eq!(by_query.status, 200);
    let cookie = by_query.header("set-cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    // The browser's cookie carries it on the next links.
    let pair = cookie.split(';').next().unwrap().to_string();
    let next = send(agent().get(format!("{base}/report")).header("Cookie", pair));
    assert_eq!(next.status, 200);
}

#[test]
fn public_binds_need_a_token_and_foreign_hosts_are_refused() {
    let config = Config {
        index: shared_fixture().index.clone(),
        bind: "0.0.0.0:0".parse().unwrap(),
        token: None,
    };
    match Server::start(&config, support::rules()) {
        Err(ServeError::PublicWithoutToken(_)) => {}
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("a public bind without a token started"),
    }
    assert!(check_bind("0.0.0.0:7878".parse().unwrap(), Some("a-long-enough-token")).is_ok());
    // Without a token, a request for another host name (DNS rebinding) is refused.
    let s = fixture_server();
    let r = send(
        agent()
            .get(format!("http://{}/search?q=wage", s.addr()))
            .header("Host", "attacker.example"),
    );
    assert_eq!(r.status, 403);
    let ok = send(
        agent()
            .get(format!("http://{}/search?q=wage", s.addr()))
            .header("Host", format!("localhost:{}", s.addr().port())),
    );
    assert_eq!(ok.status, 200);
}

#[test]
fn a_reindex_is_seen_without_a_restart() {
    let f = support::fresh_fixture();
    let s = start(&f.index, None);
    let before = get(&s, "/api/search?q=hedgehogs").json()["total"].as_u64();
    assert_eq!(before, Some(0));
    let extra = f.dir.path().join("more");
    std::fs::create_dir_all(extra.join("delta-ltd")).unwrap();
    let doc = docx_rs::Docx::new().add_paragraph(
        docx_rs::Paragraph::new().add_run(
            docx_rs::Run::new()
                .add_text("We will build 20 hedgehog houses in Crewe parks by June 2027."),
        ),
    );
    doc.build()
        .pack(std::fs::File::create(extra.join("delta-ltd/plan.docx")).unwrap())
        .unwrap();
    support::ingest(&[extra], &f.index, "fixture");
    let t = Instant::now();
    loop {
        let n = get(&s, "/api/search?q=hedgehog").json()["total"].as_u64();
        if n == Some(1) {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(20), "not seen: {n:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_command_refuses_a_public_bind_and_serves_on_loopback() {
    use std::io::BufRead;
    let index = &shared_fixture().index;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tenderscope"))
        .args(["serve", "--bind", "0.0.0.0:0", "--index"])
        .arg(index)
        .env_remove("TENDERSCOPE_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to listen on 0.0.0.0:0 without a token"),
        "{err}"
    );

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tenderscope"))
        .args(["serve", "--bind", "127.0.0.1:0", "--index"])
        .arg(index)
        .env("TENDERSCOPE_TOKEN", "a-token-from-the-environment")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(stderr)
        .read_line(&mut line)
        .unwrap();
    let result = std::panic::catch_unwind(|| {
        let url = line
            .split("http://")
            .nth(1)
            .and_then(|u| u.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        assert!(line.contains("with a token"), "{line}");
        let r = send(agent().get(format!("http://{url}?q=wage")));
        assert_eq!(r.status, 401);
        let r = send(
            agent()
                .get(format!("http://{url}?q=wage"))
                .header("Authorization", "Bearer a-token-from-the-environment"),
        );
        assert_eq!(r.status, 200);
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn hundreds_of_concurrent_requests_all_succeed_and_are_well_formed() {
    // The check tells a whole response from a broken one.
    let page = b"<!DOCTYPE html>\n<html><body>x</body>\n</html>\n";
    assert!(load::check("/search?q=x", "text/html; charset=utf-8", page).is_ok());
    assert!(load::check("/search?q=x", "text/html", &page[..page.len() - 9]).is_err());
    assert!(load::check("/api/search?q=x", "application/json", b"{\"total\":1}").is_err());
    assert!(load::check(
        "/api/search?q=x",
        "application/json",
        b"{\"total\":1,\"hits\":["
    )
    .is_err());
    assert!(load::check(
        "/api/passage/a%3A1",
        "application/json",
        b"{\"id\":\"b:1\"}"
    )
    .is_err());

    let s = start(support::demo_index(), None);
    let base = format!("http://{}", s.addr());
    let target = load::discover(&load::agent(Duration::from_secs(60)), &base).unwrap();
    assert_eq!(target.suppliers.len(), 6, "{target:?}");
    const THREADS: usize = 16;
    const EACH: usize = 25;
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (base, target) = (&base, &target);
                scope.spawn(move || {
                    let agent = load::agent(Duration::from_secs(60));
                    let mut bad = Vec::new();
                    for i in 0..EACH {
                        let path = load::nth(target, t * EACH + i);
                        let (outcome, _) = load::fetch(&agent, base, &path);
                        if outcome != Outcome::Ok {
                            bad.push(format!("{path}: {outcome:?}"));
                        }
                    }
                    bad
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} requests failed: {:?}",
        failures.len(),
        THREADS * EACH,
        &failures[..failures.len().min(10)]
    );
    // Every kind of request was in the mix, evidence pages included, many times.
    const { assert!(THREADS * EACH >= 10 * load::KINDS) };
    assert!((0..load::KINDS).any(|n| load::nth(&target, n).starts_with("/passage/")));
}

/// The web page checks filters as the command does (issue 12).
#[test]
fn unknown_filter_values_get_suggestions_and_ids_match_in_any_case() {
    let s = fixture_server();
    let upper = get(&s, "/api/search?q=&principle=CE9");
    let lower = get(&s, "/api/search?q=&principle=ce9");
    assert_eq!((upper.status, lower.status), (200, 200));
    assert!(upper.json()["total"].as_u64().unwrap() > 0);
    assert_eq!(upper.json()["total"], lower.json()["total"]);
    let bad = get(&s, "/api/search?q=&principle=CE99");
    assert_eq!(bad.status, 400);
    assert!(
        bad.json()["error"]
            .as_str()
            .unwrap()
            .contains("did you mean CE9"),
        "{}",
        bad.text()
    );
    let page = get(&s, "/search?q=&supplier=acme");
    assert_eq!(page.status, 400);
    assert!(
        page.text().contains("did you mean acme-build?"),
        "{}",
        page.text()
    );
}
