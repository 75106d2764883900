//! The web page's time to first result over a large index (issue 5's goal: under 100 ms of
//! server time for a search over 1,000,000 passages).
//!
//! ```text
//! cargo run --example serve_bench -- [--passages 1000000] [--index DIR] [--rounds 20]
//! ```
//! Builds (or reuses, when DIR already holds one) a synthetic index of 500 suppliers (see
//! `examples/synthetic/mod.rs`), starts the server in this process on a free loopback port,
//! and asks for the search page (`GET /search?q=...`, with its facets) as a browser would:
//! the first request right after the start, then rounds of a fixed mix of queries. It prints
//! the server's own time (its `Server-Timing` header) and the time until the whole page has
//! arrived, p50 and p95 per query, and the first request's.

#[path = "synthetic/mod.rs"]
mod synthetic;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use tenderscope::classify::RuleSet;
use tenderscope::serve::{Config, Server};

const QUERIES: &[&str] = &[
    "/search?q=apprentices",
    "/search?q=apprentices+Crewe",
    "/search?q=%22real+living+wage%22",
    "/search?q=carbon+net+zero",
    "/search?q=volunteering&principle=CE5",
    "/search?q=local&principle=CE9&kind=commitment",
    "/search?q=&principle=CE12",
    "/search?q=supplier%3Asupplier-042+AND+carbon",
    "/search?q=mentoring+OR+%22work+experience%22",
    "/search?q=",
    "/api/search?q=&limit=20",
];

/// One GET over a plain socket: (server time ms from Server-Timing, total ms, status, bytes).
fn fetch(addr: SocketAddr, path: &str) -> (f64, f64, u16, usize) {
    let t = Instant::now();
    let mut s = TcpStream::connect(addr).unwrap_or_else(|e| fail(&e.to_string()));
    let _ = s.set_read_timeout(Some(Duration::from_secs(60)));
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes())
        .unwrap_or_else(|e| fail(&e.to_string()));
    let mut buf = Vec::new();
    s.take(64 << 20)
        .read_to_end(&mut buf)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let total = t.elapsed().as_secs_f64() * 1000.0;
    let head = String::from_utf8_lossy(&buf[..buf.len().min(4096)]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let server = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("server-timing:"))
        .and_then(|l| l.split("dur=").nth(1))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(f64::NAN);
    (server, total, status, buf.len())
}

fn q(v: &[f64], p: f64) -> f64 {
    tenderscope::textcmp::quantile(v, p).unwrap_or(f64::NAN)
}

fn main() {
    let mut passages = 1_000_000usize;
    let mut index: Option<PathBuf> = None;
    let mut rounds = 20usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |name: &str| -> usize {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| fail(&format!("{name} takes a number")))
        };
        match a.as_str() {
            "--passages" => passages = num("--passages"),
            "--rounds" => rounds = num("--rounds").max(1),
            "--index" => index = args.next().map(PathBuf::from),
            other => fail(&format!("unknown argument {other}")),
        }
    }
    let dir = index.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("tenderscope-serve-bench-{passages}"))
    });
    synthetic::open_or_build_bench(&dir, passages).unwrap_or_else(|e| fail(&e));
    let rules = RuleSet::embedded().unwrap_or_else(|e| fail(&e.to_string()));
    let t = Instant::now();
    let server = Server::start(
        &Config {
            index: dir.clone(),
            bind: "127.0.0.1:0".parse().unwrap_or_else(|_| fail("address")),
            token: None,
        },
        rules,
    )
    .unwrap_or_else(|e| fail(&e.to_string()));
    let started = t.elapsed().as_secs_f64() * 1000.0;
    let addr = server.addr();
    let (fs, ft, status, bytes) = fetch(addr, QUERIES[0]);
    println!("index {}", dir.display());
    println!("server started in {started:.1} ms");
    println!(
        "first request {}: status {status}, {bytes} bytes, server {fs:.1} ms, page {ft:.1} ms",
        QUERIES[0]
    );
    // The boilerplate flags and the first view's facet counts are computed in the background
    // after the start; measure the rounds once they are done (a quiet server).
    let t = Instant::now();
    loop {
        let (_, _, _, _) = fetch(addr, "/api/search?q=wage&limit=1");
        let body = {
            let mut s = TcpStream::connect(addr).unwrap_or_else(|e| fail(&e.to_string()));
            let _ = s.write_all(
                b"GET /api/search?q=wage&limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            );
            let mut b = String::new();
            let _ = s.take(1 << 20).read_to_string(&mut b);
            b
        };
        if body.contains("\"boilerplate_ready\":true") {
            break;
        }
        if t.elapsed() > Duration::from_secs(600) {
            fail("the boilerplate flags took more than 600 s");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    println!(
        "boilerplate flags and facet counts ready {:.1} s after the first request",
        t.elapsed().as_secs_f64()
    );
    let mut all_server = Vec::new();
    let mut all_total = Vec::new();
    println!(
        "{:<50} {:>9} {:>9} {:>9} {:>9}",
        "query", "srv p50", "srv p95", "page p50", "page p95"
    );
    let mut per: Vec<(Vec<f64>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); QUERIES.len()];
    for _ in 0..rounds {
        for (i, path) in QUERIES.iter().enumerate() {
            let (s, t, status, _) = fetch(addr, path);
            if status != 200 {
                fail(&format!("{path}: status {status}"));
            }
            per[i].0.push(s);
            per[i].1.push(t);
            all_server.push(s);
            all_total.push(t);
        }
    }
    for (path, (s, t)) in QUERIES.iter().zip(&per) {
        println!(
            "{:<50} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
            path,
            q(s, 0.5),
            q(s, 0.95),
            q(t, 0.5),
            q(t, 0.95)
        );
    }
    println!(
        "{:<50} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
        "all",
        q(&all_server, 0.5),
        q(&all_server, 0.95),
        q(&all_total, 0.5),
        q(&all_total, 0.95)
    );
    server.stop();
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}
