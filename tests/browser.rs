//! End to end in a real browser: `serve` on the demo batch, driven through Debian's Chromium
//! and chromedriver (WebDriver, on loopback): search, filter by a principle, open an evidence
//! page, and check the highlighted quote and the citation; then the scorecard page.
//!
//! Without `chromium` and `chromedriver` this test FAILS: an end-to-end test that passes where
//! it could not run would hide a broken page. `TENDERSCOPE_SKIP_BROWSER=1` skips it on purpose
//! (CI never sets it). `CHROMIUM` and `CHROMEDRIVER` name other binaries.
//!
//! With `TENDERSCOPE_SCREENSHOTS=DIR` the test also saves `DIR/scorecard.png` and
//! `DIR/evidence.png` (the screenshots in `docs/` are made this way).

mod support;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use tenderscope::serve::{Config, Server};

/// Chromium's flags: headless, no network of its own, a fresh profile.
const FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
];

fn find_binary(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let candidate = dir.join(n);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// chromedriver in its own process group: dropping it kills the group, Chromium included.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let pgid = self.child.id() as i32;
        // SAFETY: kill(2) on the process group that this test created for chromedriver.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

fn start_driver(chromedriver: &Path) -> Driver {
    use std::os::unix::process::CommandExt;
    let port = free_port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
    let driver = Driver { child, port };
    let t = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen in 20 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

async fn connect(driver: &Driver, chromium: &Path, profile: &Path) -> Client {
    let mut args: Vec<String> = FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.push("--window-size=1400,1000".into());
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "binary": chromium, "args": args }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap_or_else(|e| panic!("no WebDriver session: {e}"))
}

const WAIT: Duration = Duration::from_secs(30);

async fn text_of(c: &Client, css: &str) -> String {
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .text()
        .await
        .unwrap()
}

async fn save_screenshot(c: &Client, dir: Option<&Path>, name: &str, height: u32) {
    let Some(dir) = dir else { return };
    c.set_window_size(1400, height).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let png = c.screenshot().await.unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}

/// The journey; returns an error message instead of panicking so the session is always closed.
async fn journey(c: &Client, base: &str, shots: Option<&Path>) -> Result<(), String> {
    let check = |ok: bool, what: String| if ok { Ok(()) } else { Err(what) };
    // 1. Search.
    c.goto(&format!("{base}/search"))
        .await
        .map_err(|e| e.to_string())?;
    let q = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("input[name=q]"))
        .await
        .map_err(|e| e.to_string())?;
    q.send_keys("apprentices Crewe")
        .await
        .map_err(|e| e.to_string())?;
    c.find(Locator::Css("form.search button"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    // The page before the search has a `#count` too ("N passages indexed"): wait for a hit,
    // which only the results page has, or a loaded machine reads the old page.
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(".hit"))
        .await
        .map_err(|e| e.to_string())?;
    let url = c.current_url().await.map_err(|e| e.to_string())?;
    check(
        url.as_str().contains("q=apprentices"),
        format!("the search is not in the URL: {url}"),
    )?;
    let count = text_of(c, "#count").await;
    check(
        count.contains("passage matches") || count.contains("passages match"),
        format!("count: {count}"),
    )?;
    let marks = c
        .find_all(Locator::Css(".hit b.hl"))
        .await
        .map_err(|e| e.to_string())?;
    check(!marks.is_empty(), "no highlighted words in the hits".into())?;
    let word = marks[0].text().await.map_err(|e| e.to_string())?;
    check(
        word.to_lowercase().starts_with("apprentic"),
        format!("highlighted {word:?}"),
    )?;

    // 2. Filter by a principle: the facet link for CE9.
    c.find(Locator::Css(".facets a[href*='principle=CE9']"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(".facets li.on"))
        .await
        .map_err(|e| e.to_string())?;
    let url = c.current_url().await.map_err(|e| e.to_string())?;
    check(
        url.as_str().contains("principle=CE9") && url.as_str().contains("q=apprentices"),
        format!("filter not in the URL: {url}"),
    )?;
    let hits = c
        .find_all(Locator::Css(".hit"))
        .await
        .map_err(|e| e.to_string())?;
    check(!hits.is_empty(), "no hits for CE9".into())?;
    for h in &hits {
        let t = h.text().await.map_err(|e| e.to_string())?;
        check(t.contains("CE9"), format!("a hit without CE9: {t}"))?;
    }
    let first = hits[0].text().await.map_err(|e| e.to_string())?;

    // 3. Open the first hit's evidence page.
    hits[0]
        .find(Locator::Css("a.evidence"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let quote_el = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#quote"))
        .await
        .map_err(|e| e.to_string())?;
    let quote = quote_el.text().await.map_err(|e| e.to_string())?;
    let marks = quote_el
        .find_all(Locator::Css("mark"))
        .await
        .map_err(|e| e.to_string())?;
    check(!marks.is_empty(), format!("no highlighted span in {quote}"))?;
    let mut marked = Vec::new();
    for m in &marks {
        marked.push(m.text().await.map_err(|e| e.to_string())?);
    }
    check(
        marked
            .iter()
            .any(|m| m.to_lowercase().contains("apprentic")),
        format!("the evidence words are not highlighted: {marked:?} in {quote}"),
    )?;
    check(
        marked.iter().all(|m| quote.contains(m.as_str())),
        "a highlight outside the quote".into(),
    )?;
    // The same passage as the hit: the hit's snippet starts the quote (ignoring a lead-in).
    let snippet_start: String = first
        .lines()
        .nth(1)
        .unwrap_or("")
        .chars()
        .take(30)
        .collect();
    check(
        quote.contains(snippet_start.trim()),
        format!("quote {quote:?} is not the hit {snippet_start:?}"),
    )?;
    // The citation: supplier, file, page, sha256, passage id.
    let citation = text_of(c, "#citation").await;
    for label in [
        "Supplier",
        "File",
        "Page",
        "SHA-256",
        "Passage id",
        "Rule set",
    ] {
        check(
            citation.contains(label),
            format!("citation lacks {label}: {citation}"),
        )?;
    }
    check(
        citation.contains("fixtures/demo/"),
        format!("citation file: {citation}"),
    )?;
    let open = c
        .find(Locator::Id("open-file"))
        .await
        .map_err(|e| e.to_string())?;
    let href = open
        .attr("href")
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    let sha = href
        .split("/file/")
        .nth(1)
        .and_then(|s| s.split('#').next())
        .unwrap_or("");
    check(
        sha.len() == 64 && citation.contains(sha) && href.contains("#page="),
        format!("open-file link {href} does not match the citation"),
    )?;
    let rules = text_of(c, "#rules").await;
    check(rules.contains("apprenticeships"), format!("rules: {rules}"))?;
    save_screenshot(c, shots, "evidence.png", 1250).await;

    // 4. The scorecard.
    c.set_window_size(1400, 1000)
        .await
        .map_err(|e| e.to_string())?;
    c.goto(&format!("{base}/report"))
        .await
        .map_err(|e| e.to_string())?;
    let heat = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("table.heat"))
        .await
        .map_err(|e| e.to_string())?;
    let heat_text = heat.text().await.map_err(|e| e.to_string())?;
    check(
        heat_text.contains("dane-valley-civils") && heat_text.contains("CE14"),
        format!("heatmap: {heat_text}"),
    )?;
    let legend = text_of(c, ".legend").await;
    check(legend.contains("no evidence"), format!("legend: {legend}"))?;
    save_screenshot(c, shots, "scorecard.png", 1500).await;
    Ok(())
}

#[test]
fn search_filter_and_evidence_in_chromium() {
    let chromium = find_binary(
        "CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let chromedriver = find_binary("CHROMEDRIVER", &["chromedriver"]);
    let (chromium, chromedriver) = match (chromium, chromedriver) {
        (Some(a), Some(b)) => (a, b),
        (a, b) => {
            if std::env::var("TENDERSCOPE_SKIP_BROWSER").as_deref() == Ok("1") {
                eprintln!("browser test skipped: TENDERSCOPE_SKIP_BROWSER=1");
                return;
            }
            panic!(
                "the browser test needs Debian's chromium and chromium-driver (found chromium: {}, chromedriver: {}); install them (apt-get install chromium chromium-driver) or set TENDERSCOPE_SKIP_BROWSER=1 to skip on purpose",
                a.is_some(),
                b.is_some()
            );
        }
    };
    let index = support::demo_index();
    let server = Server::start(
        &Config {
            index: index.to_path_buf(),
            bind: "127.0.0.1:0".parse().unwrap(),
            token: None,
        },
        support::rules(),
    )
    .unwrap();
    let base = format!("http://{}", server.addr());
    let profile = tempfile::tempdir().unwrap();
    let shots = std::env::var_os("TENDERSCOPE_SCREENSHOTS").map(PathBuf::from);
    let driver = start_driver(&chromedriver);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let outcome = runtime.block_on(async {
        let client = connect(&driver, &chromium, profile.path()).await;
        let result = tokio::time::timeout(
            Duration::from_secs(180),
            journey(&client, &base, shots.as_deref()),
        )
        .await
        .unwrap_or_else(|_| Err("the journey took more than 180 s".into()));
        let _ = client.close().await;
        result
    });
    drop(driver);
    server.stop();
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
