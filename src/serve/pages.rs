//! The HTML pages: search with facets, the evidence page, the run log, and error pages. Pages
//! are plain HTML with the report's style sheet and no script. Every string that comes from the
//! index (and so from a supplier's file) goes through [`esc`]; the only markup added around it
//! is made here.

use std::fmt::Write;

use crate::ingest::RunRecord;
use crate::plural;
use crate::report::html::{page_end, page_start, url_encode};
use crate::search::{escape_html as esc, Hit, Response, Sort};

use super::evidence::{merge_spans, Evidence};
use super::flags::{FlagGroup, Flags};
use super::params::{SearchParams, PAGE_SIZE};

/// The server's navigation bar.
pub fn nav(active: &str) -> String {
    let mut o = String::from(
        "<header class=\"top\"><a class=\"brand\" href=\"/search\">tenderscope</a><nav>",
    );
    for (href, label) in [
        ("/search", "Search"),
        ("/report", "Scorecard"),
        ("/runs", "Run log"),
        ("/ledger", "Ledger"),
    ] {
        let on = if href == active { " class=\"on\"" } else { "" };
        let _ = write!(o, "<a href=\"{href}\"{on}>{label}</a>");
    }
    o.push_str("</nav></header>\n");
    o
}

fn kind_label(kind: &str) -> &str {
    match kind {
        "track_record" => "track record",
        k => k,
    }
}

/// A snippet as HTML: the text escaped, the matched byte ranges in `<b class="hl">`.
pub fn snippet_html(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 16);
    let mut at = 0;
    let mut sorted: Vec<(usize, usize)> = ranges.to_vec();
    sorted.sort_unstable();
    for (s, e) in sorted {
        if s < at {
            continue;
        }
        let (Some(before), Some(word)) = (text.get(at..s), text.get(s..e)) else {
            continue;
        };
        out.push_str(&esc(before));
        out.push_str("<b class=\"hl\">");
        out.push_str(&esc(word));
        out.push_str("</b>");
        at = e;
    }
    out.push_str(&esc(text.get(at..).unwrap_or("")));
    out
}

/// The last two parts of an origin: enough to recognise a file in a batch.
pub fn short_origin(origin: &str) -> String {
    let parts: Vec<&str> = origin.rsplit(['/', '\\', '!']).take(2).collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

fn select(
    o: &mut String,
    name: &str,
    all: &str,
    options: &[(String, String)],
    current: Option<&str>,
) {
    let _ = write!(
        o,
        "<select name=\"{name}\" aria-label=\"{name}\"><option value=\"\">{all}</option>"
    );
    for (value, label) in options {
        let sel = if current == Some(value.as_str()) {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            o,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(value),
            esc(label)
        );
    }
    o.push_str("</select>");
}

/// The search page: the form, facets, hits (or an error), and paging.
pub fn search_page(
    p: &SearchParams,
    principles: &[(String, String)],
    result: Result<&Response, String>,
    flags: Option<&Flags>,
) -> String {
    let mut o = String::with_capacity(32 * 1024);
    let title = if p.q.is_empty() {
        "Search · tenderscope".to_string()
    } else {
        format!("{} · tenderscope search", p.q)
    };
    page_start(&mut o, &title, Some(&nav("/search")));
    o.push_str("<h1>Search the evidence</h1>\n<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">");
    let _ = write!(
        o,
        "<input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"apprentices Crewe, &quot;real living wage&quot;, supplier:name\" aria-label=\"query\" autofocus>",
        esc(&p.q)
    );
    let principle = p
        .filters()
        .into_iter()
        .find(|(k, _)| *k == "principle")
        .map(|(_, v)| v);
    select(
        &mut o,
        "principle",
        "All principles",
        principles,
        principle.as_deref(),
    );
    let kinds: Vec<(String, String)> = ["commitment", "aspiration", "track_record", "none"]
        .iter()
        .map(|k| (k.to_string(), kind_label(k).to_string()))
        .collect();
    let kind = p
        .filters()
        .into_iter()
        .find(|(k, _)| *k == "kind")
        .map(|(_, v)| v);
    select(&mut o, "kind", "All kinds", &kinds, kind.as_deref());
    for (k, v) in p.filters() {
        if k != "principle" && k != "kind" {
            let _ = write!(
                o,
                "<input type=\"hidden\" name=\"{k}\" value=\"{}\">",
                esc(&v)
            );
        }
    }
    o.push_str("<button type=\"submit\">Search</button></form>\n");
    let resp = match result {
        Ok(r) => r,
        Err(message) => {
            let _ = write!(
                o,
                "<p class=\"error\" role=\"alert\"><b>This query cannot be run.</b> {}</p>",
                esc(&message)
            );
            page_end(&mut o);
            return o;
        }
    };
    o.push_str("<div class=\"layout\"><aside class=\"facets\">");
    if let Some(f) = &resp.facets {
        let active: Vec<(&str, String)> = p.filters();
        for (name, title, counts) in [
            ("principle", "Principle", &f.principle),
            ("kind", "Kind", &f.kind),
            ("supplier", "Supplier", &f.supplier),
            ("theme", "Theme", &f.theme),
        ] {
            let _ = write!(o, "<h4>{title}</h4><ul>");
            let current = active
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.as_str());
            let mut items: Vec<(&String, &u64)> = counts.iter().collect();
            if name == "principle" {
                // In the framework's order.
                let pos = |id: &str| {
                    principles
                        .iter()
                        .position(|(p, _)| p == id)
                        .unwrap_or(usize::MAX)
                };
                items.sort_by_key(|(k, _)| (pos(k), (*k).clone()));
            } else {
                items.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            }
            for (value, count) in items.into_iter().take(40) {
                let on = current == Some(value.as_str());
                let href = if on {
                    p.with(name, None)
                } else {
                    p.with(name, Some(value))
                };
                let label = if name == "kind" {
                    kind_label(value)
                } else {
                    value
                };
                let _ = write!(
                    o,
                    "<li{}><a href=\"{}\" title=\"{}\">{}{}</a><span class=\"muted\">{}</span></li>",
                    if on { " class=\"on\"" } else { "" },
                    esc(&href),
                    if on { "remove this filter" } else { "filter" },
                    if on { "✕ " } else { "" },
                    esc(label),
                    count
                );
            }
            o.push_str("</ul>");
        }
    }
    o.push_str("</aside><section class=\"results\">");
    let filters = p.filters();
    let first_view = p.q.trim().is_empty() && filters.is_empty() && resp.hits.is_empty();
    if first_view {
        let _ = writeln!(
            o,
            "<p class=\"muted\" id=\"count\">{} indexed. Search for words or a &quot;phrase&quot;, or pick a principle, kind, supplier or theme.</p>",
            plural::n(resp.total as u64, "passage")
        );
        o.push_str("</section></div>\n");
        page_end(&mut o);
        return o;
    }
    let total = resp.total as u64;
    let _ = write!(
        o,
        "<p class=\"muted\" id=\"count\">{} {}{}",
        plural::n(total, "passage"),
        plural::agree(total, "matches", "match"),
        if filters.is_empty() {
            ""
        } else {
            " · filters:"
        }
    );
    for (k, v) in &filters {
        let _ = write!(
            o,
            " <a class=\"badge\" href=\"{}\" title=\"remove\">{k}: {} ✕</a>",
            esc(&p.with(k, None)),
            esc(v)
        );
    }
    o.push_str("</p>\n");
    // The order, as links (the one in use is not a link).
    let current = p.sort().unwrap_or_default();
    o.push_str("<p class=\"muted\" id=\"sort\">Sort by:");
    for (i, sort) in Sort::ALL.into_iter().enumerate() {
        o.push_str(if i == 0 { " " } else { " · " });
        if sort == current {
            let _ = write!(o, "<b>{}</b>", sort.as_str());
        } else {
            let _ = write!(
                o,
                "<a href=\"{}\">{}</a>",
                esc(&p.with("sort", Some(sort.as_str()))),
                sort.as_str()
            );
        }
    }
    o.push_str("</p>\n");
    for hit in &resp.hits {
        hit_html(&mut o, hit, flags);
    }
    let page = p.page();
    let pages = resp.total.div_ceil(PAGE_SIZE).min(super::params::MAX_PAGE);
    if pages > 1 {
        o.push_str("<p class=\"muted\">");
        if page > 1 {
            let _ = write!(
                o,
                "<a href=\"{}\">← previous</a> · ",
                esc(&p.at_page(page - 1))
            );
        }
        let _ = write!(o, "page {page} of {pages}");
        if page < pages {
            let _ = write!(o, " · <a href=\"{}\">next →</a>", esc(&p.at_page(page + 1)));
        }
        o.push_str("</p>");
    }
    o.push_str("</section></div>\n");
    page_end(&mut o);
    o
}

fn hit_html(o: &mut String, hit: &Hit, flags: Option<&Flags>) {
    let _ = write!(
        o,
        "<div class=\"hit\"><p class=\"cite\"><b>{}</b> · {} p. {} · <span class=\"badge {}\">{}</span> · specificity {}/5",
        esc(&hit.supplier),
        esc(&short_origin(&hit.origin)),
        hit.page,
        hit.kind.as_str(),
        kind_label(hit.kind.as_str()),
        hit.score
    );
    for pr in &hit.principles {
        let _ = write!(o, " <span class=\"badge\">{}</span>", esc(pr));
    }
    if let Some(g) = flags.and_then(|f| f.group_of(&hit.id)) {
        let all: Vec<&str> = g
            .members
            .iter()
            .filter(|m| m.id != hit.id)
            .map(|m| m.supplier.as_str())
            .collect();
        // A template can be in thousands of tenders: name a few.
        let mut others: Vec<String> = all.iter().take(5).map(|s| s.to_string()).collect();
        if all.len() > others.len() {
            others.push(format!("{} more", all.len() - others.len()));
        }
        let _ = write!(
            o,
            " <a class=\"badge dup\" href=\"/passage/{}#near-duplicates\" title=\"{}\">boilerplate</a>",
            url_encode(&hit.id),
            esc(&format!(
                "nearly the same words as a commitment of {} (similarity at least {:.2}): possible template text",
                others.join(", "),
                g.similarity
            ))
        );
    }
    let _ = writeln!(
        o,
        "</p><p class=\"snippet\">{}</p><p class=\"cite\"><a class=\"evidence\" href=\"/passage/{}\">evidence</a> · <a href=\"/file/{}#page={}\">open the file at page {}</a>{}</p></div>",
        snippet_html(&hit.snippet.text, &hit.snippet.highlighted),
        url_encode(&hit.id),
        url_encode(&hit.sha256),
        hit.page,
        hit.page,
        if hit.section.is_empty() {
            String::new()
        } else {
            format!(" · {}", esc(&hit.section))
        }
    );
}

/// The evidence page of one passage.
pub fn passage_page(
    ev: &Evidence,
    principle_name: &dyn Fn(&str) -> String,
    near: Option<&FlagGroup>,
) -> String {
    let mut o = String::with_capacity(16 * 1024);
    page_start(
        &mut o,
        &format!("Evidence {} · tenderscope", ev.id),
        Some(&nav("")),
    );
    let _ = write!(
        o,
        "<h1>Evidence</h1><p class=\"meta\"><b>{}</b> · {} · page {}{} · <span class=\"badge {}\">{}</span> · specificity {}/5</p>",
        esc(&ev.supplier),
        esc(&short_origin(&ev.origin)),
        ev.page,
        if ev.pages > 0 { format!(" of {}", ev.pages) } else { String::new() },
        ev.kind.as_str(),
        kind_label(ev.kind.as_str()),
        ev.score
    );
    if let Some(b) = &ev.before {
        let _ = write!(
            o,
            "<div class=\"neighbour\"><a href=\"/passage/{}\">↑ before</a> {}</div>",
            url_encode(&b.id),
            esc(&b.text)
        );
    }
    if let Some(c) = ev.ocr {
        let _ = write!(
            o,
            "<p class=\"ocr\" id=\"ocr\"><b>OCR</b>: this text was {}. Check the quote against the page.</p>",
            esc(&crate::document::ocr_label(c))
        );
    }
    o.push_str("<div class=\"quote\" id=\"quote\">");
    o.push_str(&highlighted(ev));
    o.push_str("</div>");
    if let Some(a) = &ev.after {
        let _ = write!(
            o,
            "<div class=\"neighbour\"><a href=\"/passage/{}\">↓ after</a> {}</div>",
            url_encode(&a.id),
            esc(&a.text)
        );
    }
    let _ = write!(
        o,
        "<p><a id=\"open-file\" href=\"/file/{}#page={}\">Open the original file at page {}</a> <span class=\"muted\">(served only if its SHA-256 still matches)</span></p>",
        url_encode(&ev.sha256),
        ev.page,
        ev.page
    );
    if let Some(g) = near {
        let _ = write!(
            o,
            "<div class=\"dupgroup\" id=\"near-duplicates\"><h4>Boilerplate: nearly the same words as other suppliers' commitments (similarity at least {:.2})</h4><ul class=\"findings\">",
            g.similarity
        );
        let others = g.members.iter().filter(|m| m.id != ev.id);
        let total = others.clone().count();
        for m in others.take(super::routes::MAX_LISTED_OTHERS) {
            let _ = write!(
                o,
                "<li><b>{}</b> <a href=\"/passage/{}\">{}</a></li>",
                esc(&m.supplier),
                url_encode(&m.id),
                esc(&m.id)
            );
        }
        if total > super::routes::MAX_LISTED_OTHERS {
            let _ = write!(
                o,
                "<li class=\"muted\">and {} more</li>",
                total - super::routes::MAX_LISTED_OTHERS
            );
        }
        o.push_str("</ul></div>");
    }
    o.push_str("<h2>Citation</h2><dl class=\"prov\" id=\"citation\">");
    let ingested = std::time::UNIX_EPOCH
        .checked_add(std::time::Duration::from_secs(ev.ingested.max(0) as u64))
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_default();
    for (k, v) in [
        ("Supplier", ev.supplier.clone()),
        ("Tender", ev.tender.clone()),
        ("Lot", ev.lot.clone()),
        ("File", ev.origin.clone()),
        ("Page", ev.page.to_string()),
        ("Paragraph", ev.paragraph.to_string()),
        ("Offsets", format!("characters {}..{}", ev.start, ev.end)),
        ("Section", ev.section.clone()),
        (
            "Read by",
            ev.ocr
                .map(|c| format!("OCR (mean word confidence {c:.0}%)"))
                .unwrap_or_default(),
        ),
        ("SHA-256", ev.sha256.clone()),
        ("Format", ev.format.to_string()),
        ("Passage id", ev.id.clone()),
        ("Rule set", ev.ruleset_version.clone()),
        ("Extractor", ev.extractor_version.clone()),
        ("Indexed", ingested),
    ] {
        if !v.is_empty() {
            let _ = write!(o, "<dt>{k}</dt><dd>{}</dd>", esc(&v));
        }
    }
    o.push_str("</dl>");
    o.push_str("<h2>Classification</h2>");
    match &ev.classification {
        None => o.push_str(
            "<p class=\"muted\">No classification detail is stored for this passage.</p>",
        ),
        Some(c) => {
            let _ = write!(
                o,
                "<p>Kind <span class=\"badge {}\">{}</span> by rules {}. Specificity {}/5{}.</p>",
                esc(c.kind.as_str()),
                esc(kind_label(c.kind.as_str())),
                if c.kind_rules.is_empty() {
                    "(none: the default)".to_string()
                } else {
                    c.kind_rules
                        .iter()
                        .map(|r| format!("<code>{}</code>", esc(r.as_str())))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                c.specificity.score,
                if c.specificity.reasons.is_empty() {
                    String::new()
                } else {
                    let reasons: Vec<String> = c
                        .specificity
                        .reasons
                        .iter()
                        .map(|r| {
                            serde_json::to_value(r)
                                .ok()
                                .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
                                .unwrap_or_default()
                        })
                        .collect();
                    format!(": {}", esc(&reasons.join(", ")))
                }
            );
            o.push_str("<table class=\"grid\"><thead><tr><th>Principle</th><th>Themes</th><th>Rules</th><th>Matched words</th></tr></thead><tbody>");
            for p in &c.principles {
                let words: Vec<String> = p
                    .evidence
                    .iter()
                    .map(|e| format!("“{}”", esc(&e.text)))
                    .collect();
                let _ =
                    write!(
                    o,
                    "<tr><td><b>{}</b> {}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                    esc(p.id.as_str()),
                    esc(&principle_name(p.id.as_str())),
                    esc(&p.themes.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")),
                    esc(&p.rules.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")),
                    words.join(", ")
                );
            }
            o.push_str("</tbody></table>");
            if !c.measures.is_empty() {
                o.push_str("<h3>Measures</h3><table class=\"grid\"><thead><tr><th>Kind</th><th>Value</th><th>Unit</th><th>Text</th><th>Rule</th></tr></thead><tbody>");
                for m in &c.measures {
                    let value = match &m.value {
                        crate::classify::MeasureValue::Number(n) => {
                            crate::report::numbers::number(*n)
                        }
                        crate::classify::MeasureValue::Text(t) => t.clone(),
                    };
                    let _ = write!(
                        o,
                        "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>“{}”</td><td><code>{}</code></td></tr>",
                        esc(m.kind.as_str()),
                        esc(&value),
                        esc(m.unit.as_deref().unwrap_or("")),
                        esc(&m.text),
                        esc(m.rule.as_str())
                    );
                }
                o.push_str("</tbody></table>");
            }
            if !c.themes.is_empty() {
                let themes: Vec<String> = c
                    .themes
                    .iter()
                    .map(|t| {
                        let words: Vec<String> = t
                            .evidence
                            .iter()
                            .map(|e| format!("“{}”", esc(&e.text)))
                            .collect();
                        format!(
                            "<li><code>{}</code> {}</li>",
                            esc(t.id.as_str()),
                            words.join(", ")
                        )
                    })
                    .collect();
                let _ = write!(
                    o,
                    "<h3>Themes</h3><ul class=\"findings\">{}</ul>",
                    themes.join("")
                );
            }
        }
    }
    let rules: Vec<String> = ev
        .rules
        .iter()
        .map(|r| format!("<code>{}</code>", esc(r)))
        .collect();
    let _ = write!(
        o,
        "<h3>Rules that fired</h3><p id=\"rules\">{}</p><p class=\"muted\"><a href=\"/api/passage/{}\">this evidence as JSON</a></p>",
        if rules.is_empty() { "none".to_string() } else { rules.join(" ") },
        url_encode(&ev.id)
    );
    page_end(&mut o);
    o
}

/// The classified text, the lead-in muted, matched spans marked with their labels.
fn highlighted(ev: &Evidence) -> String {
    let text = &ev.classified_text;
    let lead_end = ev
        .lead_in
        .as_ref()
        .map(|l| l.len().min(text.len()))
        .filter(|&n| text.is_char_boundary(n))
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len() * 2);
    let mut at = 0;
    let emit = |out: &mut String, from: usize, to: usize| {
        // Split plain text at the end of the lead-in, which is shown muted.
        let mut pieces = vec![(from, to)];
        if from < lead_end && lead_end < to {
            pieces = vec![(from, lead_end), (lead_end, to)];
        }
        for (a, b) in pieces {
            let Some(s) = text.get(a..b).filter(|s| !s.is_empty()) else {
                continue;
            };
            if b <= lead_end {
                let _ = write!(out, "<span class=\"muted\">{}</span>", esc(s));
            } else {
                out.push_str(&esc(s));
            }
        }
    };
    for (s, e, labels) in merge_spans(&ev.spans) {
        if s < at || text.get(s..e).is_none() {
            continue;
        }
        emit(&mut out, at, s);
        let _ = write!(
            out,
            "<mark title=\"{}\">{}</mark>",
            esc(&labels.join(", ")),
            esc(text.get(s..e).unwrap_or(""))
        );
        at = e;
    }
    emit(&mut out, at, text.len());
    out
}

/// The run log, newest first.
pub fn runs_page(runs: &[Result<RunRecord, String>]) -> String {
    let mut o = String::with_capacity(16 * 1024);
    page_start(&mut o, "Run log · tenderscope", Some(&nav("/runs")));
    let _ = write!(o, "<h1>Run log</h1><p class=\"muted\">{} ingest runs, newest first. <a href=\"/api/runs\">As JSON</a>.</p>", runs.len());
    o.push_str("<div class=\"scroll\"><table class=\"grid\"><thead><tr><th>Started</th><th>Ended</th><th class=\"num\">Seconds</th><th class=\"num\">Files</th><th class=\"num\">Added</th><th class=\"num\">Changed</th><th class=\"num\">Removed</th><th class=\"num\">Unchanged</th><th class=\"num\">Re-classified</th><th class=\"num\">Failed</th><th class=\"num\">Passages</th><th>Rule set</th><th>Extractor</th></tr></thead><tbody>");
    for r in runs.iter().rev() {
        match r {
            Ok(r) => {
                let _ = write!(
                    o,
                    "<tr><td>{}</td><td>{}</td><td class=\"num\">{:.1}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
                    esc(&r.started),
                    esc(&r.ended),
                    r.seconds,
                    r.files,
                    r.added,
                    r.changed,
                    r.removed,
                    r.unchanged,
                    r.reclassified,
                    r.failed,
                    r.passages,
                    esc(&r.ruleset_version),
                    esc(&r.extractor_version)
                );
                for f in &r.failures {
                    let _ = write!(
                        o,
                        "<tr><td></td><td colspan=\"12\" class=\"muted\">failed: {}: {}</td></tr>",
                        esc(&f.origin),
                        esc(&f.reason)
                    );
                }
            }
            Err(e) => {
                let _ = write!(
                    o,
                    "<tr><td colspan=\"13\" class=\"muted\">unreadable record: {}</td></tr>",
                    esc(e)
                );
            }
        }
    }
    o.push_str("</tbody></table></div>");
    page_end(&mut o);
    o
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// The commitments ledger: per supplier, each commitment with its target, what was expected
/// and delivered, the status and the evidence (each figure links to its passage), then the
/// figures that answer no commitment.
pub fn ledger_page(ledger: &crate::ledger::Ledger) -> String {
    let mut o = String::with_capacity(64 * 1024);
    page_start(&mut o, "Ledger · tenderscope", Some(&nav("/ledger")));
    o.push_str("<h1>Commitments ledger</h1>");
    if ledger.rows.is_empty() {
        o.push_str("<p>No monitoring returns in the index: ingest them with <code>tenderscope ingest PATH --stage delivery --period P</code>.</p>");
        page_end(&mut o);
        return o;
    }
    o.push_str("<p class=\"muted\">What each awarded supplier promised against what its monitoring returns say. <a href=\"/api/ledger\">As JSON</a>.</p>");
    let mut supplier = "";
    let mut open = false;
    for row in &ledger.rows {
        if row.supplier != supplier {
            if open {
                o.push_str("</tbody></table></div>");
            }
            supplier = &row.supplier;
            let _ = write!(
                o,
                "<h2>{} <span class=\"muted\">({}), as at {}</span></h2><div class=\"scroll\"><table class=\"grid\"><thead><tr><th>Status</th><th>Target</th><th class=\"num\">Expected</th><th class=\"num\">To date</th><th>Per period</th><th>Commitment</th><th>Evidence</th></tr></thead><tbody>",
                esc(&row.supplier),
                esc(&row.tender),
                row.as_of
            );
            open = true;
        }
        let status = row
            .status
            .map_or("unmatched".to_string(), |s| s.to_string());
        let target = row
            .target
            .as_ref()
            .map(|t| t.text.clone())
            .unwrap_or_else(|| "-".into());
        let per_period = row
            .delivered
            .iter()
            .map(|d| format!("{} {}", d.period, num(d.value)))
            .collect::<Vec<_>>()
            .join(", ");
        let commitment = match (&row.commitment, &row.commitment_id) {
            (Some(c), Some(id)) => {
                format!("<a href=\"/passage/{}\">{}</a>", url_encode(id), esc(c))
            }
            _ => format!(
                "<span class=\"muted\">{}</span>",
                esc(row.note.as_deref().unwrap_or(""))
            ),
        };
        let mut evidence = String::new();
        for e in &row.evidence {
            let _ = write!(
                evidence,
                "<div><a href=\"/passage/{}\">{} {}</a>{}: {}{}</div>",
                url_encode(&e.passage),
                esc(&e.period.to_string()),
                esc(&e.figure),
                if e.cumulative { " (to date)" } else { "" },
                esc(&e.quote),
                e.reason
                    .as_deref()
                    .map(|r| format!(" <span class=\"muted\">[{}]</span>", esc(r)))
                    .unwrap_or_default()
            );
        }
        for c in &row.corrected {
            let _ = write!(evidence, "<div class=\"muted\">corrected: {}</div>", esc(c));
        }
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&status),
            esc(&target),
            row.expected.map(num).unwrap_or_else(|| "-".into()),
            row.cumulative.map(num).unwrap_or_else(|| "-".into()),
            esc(&per_period),
            commitment,
            evidence
        );
    }
    if open {
        o.push_str("</tbody></table></div>");
    }
    page_end(&mut o);
    o
}

/// A page for an error status.
pub fn error_page(title: &str, message: &str) -> String {
    let mut o = String::with_capacity(2048);
    page_start(&mut o, &format!("{title} · tenderscope"), Some(&nav("")));
    let _ = write!(
        o,
        "<h1>{}</h1><p>{}</p><p><a href=\"/search\">Search</a></p>",
        esc(title),
        esc(message)
    );
    page_end(&mut o);
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ledger_page_escapes_supplier_text_and_links_the_evidence() {
        use crate::ledger::{Evidence, Ledger, PeriodFigure, Row, Status};
        use crate::period::{Month, Period};
        let period = Period::parse("2027-Q2").unwrap();
        let row = Row {
            tender: "t".into(),
            supplier: "o'brien <ltd>".into(),
            commitment: Some("We will <script>x()</script> hire 8".into()),
            commitment_id: Some("ab:1".into()),
            commitment_file: None,
            commitment_page: None,
            target: None,
            expected: None,
            cumulative: Some(3.0),
            delivered: vec![PeriodFigure { period, value: 3.0 }],
            reported_to_date: Vec::new(),
            status: Some(Status::OnTrack),
            evidence: vec![Evidence {
                period,
                value: 3.0,
                cumulative: false,
                figure: "3 <b>".into(),
                file: "/r/x.docx".into(),
                page: 1,
                quote: "we hired 3 <img src=x>".into(),
                passage: "cd:2".into(),
                reason: Some("shared words hire".into()),
            }],
            link: Vec::new(),
            unmatched: false,
            corrected: vec!["2027-Q2: <new> corrects <old>".into()],
            note: None,
            as_of: Month::new(2027, 6).unwrap(),
        };
        let html = ledger_page(&Ledger { rows: vec![row] });
        assert!(!html.contains("<script>x()") && !html.contains("<img") && !html.contains("<ltd>"));
        assert!(
            html.contains("o&#39;brien &lt;ltd&gt;") || html.contains("o'brien &lt;ltd&gt;"),
            "{html}"
        );
        assert!(html.contains("href=\"/passage/ab%3A1\""), "{html}");
        assert!(html.contains("href=\"/passage/cd%3A2\""), "{html}");
        assert!(
            html.contains("on_track") && html.contains("2027-Q2 3"),
            "{html}"
        );
        assert!(html.contains("corrected: 2027-Q2: &lt;new&gt;"), "{html}");
    }

    #[test]
    fn snippets_escape_text_and_mark_matches() {
        let html = snippet_html("<script>x</script> apprentices & more", &[(19, 30)]);
        assert_eq!(
            html,
            "&lt;script&gt;x&lt;/script&gt; <b class=\"hl\">apprentices</b> &amp; more"
        );
        // Ranges off character boundaries or out of bounds are skipped, never panic.
        let html = snippet_html("é", &[(1, 2), (0, 99)]);
        assert_eq!(html, "é");
    }

    fn evidence(ocr: Option<f32>) -> Evidence {
        Evidence {
            id: "00ff00ff00ff00ff:4".into(),
            supplier: "s".into(),
            tender: "t".into(),
            lot: String::new(),
            origin: "/b/s/scan.pdf".into(),
            sha256: "ab".repeat(32),
            format: crate::document::Format::Pdf,
            page: 2,
            paragraph: 4,
            start: 0,
            end: 30,
            section: String::new(),
            text: "We will employ 3 apprentices.".into(),
            ocr,
            lead_in: None,
            classified_text: "We will employ 3 apprentices.".into(),
            kind: crate::classify::StatementKind::Commitment,
            principles: Vec::new(),
            themes: Vec::new(),
            rules: Vec::new(),
            score: 2,
            spans: Vec::new(),
            classification: None,
            before: None,
            after: None,
            ruleset_version: "r".into(),
            extractor_version: "e".into(),
            ingested: 0,
            pages: 3,
        }
    }

    #[test]
    fn the_evidence_page_says_when_a_quote_was_read_by_ocr() {
        let name = |id: &str| id.to_string();
        let html = passage_page(&evidence(Some(87.4)), &name, None);
        assert!(
            html.contains("<p class=\"ocr\" id=\"ocr\"><b>OCR</b>: this text was read by OCR from a scanned page, mean word confidence 87%."),
            "{html}"
        );
        assert!(
            html.contains("<dt>Read by</dt><dd>OCR (mean word confidence 87%)</dd>"),
            "{html}"
        );
        let html = passage_page(&evidence(None), &name, None);
        assert!(!html.contains("OCR"), "{html}");
        let json = serde_json::to_string(&evidence(Some(87.4))).unwrap_or_default();
        assert!(json.contains(r#""ocr":87.4"#), "{json}");
        let json = serde_json::to_string(&evidence(None)).unwrap_or_default();
        assert!(!json.contains("ocr"), "{json}");
    }
}
