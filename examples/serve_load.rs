//! A bounded load client for `tenderscope serve` (issue 6): C concurrent connections, each a
//! thread with its own keep-alive connection, send a mix of requests (see
//! `tests/support/load.rs`: words, phrases, boolean queries, filters by principle, supplier
//! and kind, facets, evidence pages and their JSON, the run log) until a fixed number of
//! requests has been sent or a time is up; every response is checked, and errors (another
//! status than 2xx, timeouts, connection errors, malformed bodies) are counted.
//!
//! ```text
//! serve_load --build DIR [--passages 1000000]       build the synthetic index (once), and exit
//! serve_load --url http://127.0.0.1:PORT [--connections 8,32,64] [--requests 5000 | --seconds S]
//!            [--timeout-ms 30000]
//! ```
//! The server is another process (`bench/serve_load.sh` starts it). Before the first level the
//! client waits (bounded) until the server has computed the boilerplate flags and facet counts
//! of its commit, so that every level measures a warm server. For each connection count it
//! prints the requests, the errors by kind, the throughput and the latency (until the whole
//! body has arrived) at p50, p95, p99 and the maximum; then the latency by kind of request
//! over all levels. It exits 1 if any request failed.

#[path = "../tests/support/load.rs"]
mod load;
#[path = "synthetic/mod.rs"]
mod synthetic;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use load::Outcome;

/// Most connections at one level (one thread each).
const MAX_CONNECTIONS: usize = 1024;

#[derive(Default)]
struct Tally {
    latencies_ms: Vec<f64>,
    /// The same latencies by kind of request (`n % load::KINDS`).
    by_kind: Vec<Vec<f64>>,
    status: usize,
    timeout: usize,
    connection: usize,
    malformed: usize,
    /// The first few errors, to print.
    examples: Vec<String>,
}

impl Tally {
    fn errors(&self) -> usize {
        self.status + self.timeout + self.connection + self.malformed
    }

    fn add(&mut self, other: Tally) {
        self.latencies_ms.extend(other.latencies_ms);
        self.by_kind.resize(load::KINDS, Vec::new());
        for (mine, theirs) in self.by_kind.iter_mut().zip(other.by_kind) {
            mine.extend(theirs);
        }
        self.status += other.status;
        self.timeout += other.timeout;
        self.connection += other.connection;
        self.malformed += other.malformed;
        for e in other.examples {
            if self.examples.len() < 5 {
                self.examples.push(e);
            }
        }
    }
}

/// One level: `connections` threads share a budget of `requests` (or run until `until`).
fn run_level(
    base: &str,
    target: &load::Target,
    connections: usize,
    requests: Option<usize>,
    until: Option<Instant>,
    timeout: Duration,
) -> (Tally, Duration) {
    let next = AtomicUsize::new(0);
    let total = Mutex::new(Tally::default());
    let t0 = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..connections {
            scope.spawn(|| {
                let agent = load::agent(timeout);
                let mut mine = Tally {
                    by_kind: vec![Vec::new(); load::KINDS],
                    ..Tally::default()
                };
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if requests.is_some_and(|r| n >= r)
                        || until.is_some_and(|u| Instant::now() >= u)
                    {
                        break;
                    }
                    let path = load::nth(target, n);
                    let (outcome, took) = load::fetch(&agent, base, &path);
                    let ms = took.as_secs_f64() * 1000.0;
                    mine.latencies_ms.push(ms);
                    if let Some(k) = mine.by_kind.get_mut(n % load::KINDS) {
                        k.push(ms);
                    }
                    let kind = match &outcome {
                        Outcome::Ok => continue,
                        Outcome::Status(_) => &mut mine.status,
                        Outcome::Timeout => &mut mine.timeout,
                        Outcome::Connection(_) => &mut mine.connection,
                        Outcome::Malformed(_) => &mut mine.malformed,
                    };
                    *kind += 1;
                    if mine.examples.len() < 5 {
                        mine.examples.push(format!("{path}: {outcome:?}"));
                    }
                }
                if let Ok(mut t) = total.lock() {
                    t.add(mine);
                }
            });
        }
    });
    let elapsed = t0.elapsed();
    (total.into_inner().unwrap_or_default(), elapsed)
}

fn q(v: &[f64], p: f64) -> f64 {
    tenderscope::textcmp::quantile(v, p).unwrap_or(f64::NAN)
}

/// Wait until the server answers and has the flags of its commit (the background work after
/// a start); at most `limit`.
fn wait_warm(base: &str, limit: Duration) {
    let agent = load::agent(Duration::from_secs(60));
    let t = Instant::now();
    loop {
        if let Ok(mut r) = agent
            .get(format!("{base}/api/search?q=wage&limit=1"))
            .call()
        {
            let body = r
                .body_mut()
                .with_config()
                .limit(1 << 20)
                .read_to_string()
                .unwrap_or_default();
            if body.contains("\"boilerplate_ready\":true") {
                eprintln!("server warm after {:.1} s", t.elapsed().as_secs_f64());
                return;
            }
        }
        if t.elapsed() > limit {
            fail(&format!("the server at {base} was not ready in {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn main() {
    let mut url: Option<String> = None;
    let mut build: Option<PathBuf> = None;
    let mut passages = 1_000_000usize;
    let mut levels = vec![8usize, 32, 64];
    let mut requests: Option<usize> = None;
    let mut seconds: Option<u64> = None;
    let mut timeout_ms = 30_000u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| fail(&format!("{a} needs a value")))
        };
        let number = |v: String| -> u64 {
            v.parse()
                .unwrap_or_else(|_| fail(&format!("{a} takes a number, not {v:?}")))
        };
        match a.as_str() {
            "--url" => url = Some(value().trim_end_matches('/').to_string()),
            "--build" => build = Some(PathBuf::from(value())),
            "--passages" => passages = number(value()) as usize,
            "--requests" => requests = Some(number(value()) as usize),
            "--seconds" => seconds = Some(number(value())),
            "--timeout-ms" => timeout_ms = number(value()).max(1),
            "--connections" => {
                levels = value()
                    .split(',')
                    .map(|c| number(c.trim().to_string()) as usize)
                    .collect();
                if levels.iter().any(|&c| c == 0 || c > MAX_CONNECTIONS) {
                    fail(&format!("connections are 1 to {MAX_CONNECTIONS}"));
                }
            }
            other => fail(&format!("unknown argument {other}")),
        }
    }
    if let Some(dir) = build {
        synthetic::open_or_build_bench(&dir, passages).unwrap_or_else(|e| fail(&e));
        return;
    }
    let base = url.unwrap_or_else(|| fail("--url or --build is needed"));
    if requests.is_none() && seconds.is_none() {
        requests = Some(5000);
    }
    let timeout = Duration::from_millis(timeout_ms);

    wait_warm(&base, Duration::from_secs(900));
    let target = load::discover(&load::agent(timeout), &base).unwrap_or_else(|e| fail(&e));
    println!(
        "server {base}: {} kinds of request over {} suppliers, {} principles, {} passages; timeout {} ms",
        load::KINDS,
        target.suppliers.len(),
        target.principles.len(),
        target.passages.len(),
        timeout_ms
    );
    println!(
        "{:>5} {:>8} {:>6} {:>6} {:>7} {:>5} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "conns",
        "requests",
        "errors",
        "status",
        "timeout",
        "conn",
        "malformed",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms"
    );
    let mut failed = 0;
    let mut all = Tally::default();
    for &c in &levels {
        let until = seconds.map(|s| Instant::now() + Duration::from_secs(s));
        let (t, elapsed) = run_level(&base, &target, c, requests, until, timeout);
        let n = t.latencies_ms.len();
        let max = t.latencies_ms.iter().cloned().fold(0.0, f64::max);
        println!(
            "{:>5} {:>8} {:>6} {:>6} {:>7} {:>5} {:>9} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
            c,
            n,
            t.errors(),
            t.status,
            t.timeout,
            t.connection,
            t.malformed,
            n as f64 / elapsed.as_secs_f64().max(1e-9),
            q(&t.latencies_ms, 0.5),
            q(&t.latencies_ms, 0.95),
            q(&t.latencies_ms, 0.99),
            max
        );
        for e in &t.examples {
            println!("      error: {e}");
        }
        failed += t.errors();
        all.add(t);
    }
    println!("by kind of request, over all levels:");
    println!(
        "{:>8} {:>8} {:>8} {:>8}  example",
        "requests", "p50 ms", "p95 ms", "p99 ms"
    );
    for (k, v) in all.by_kind.iter().enumerate() {
        println!(
            "{:>8} {:>8.1} {:>8.1} {:>8.1}  {}",
            v.len(),
            q(v, 0.5),
            q(v, 0.95),
            q(v, 0.99),
            load::nth(&target, k)
        );
    }
    if failed > 0 {
        std::process::exit(1);
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}
