//! The HTML pages: search with facets, the evidence page, the run log, the ledger and error
//! pages. Pages are plain HTML with the report's style sheet and no script.
//!
//! Each page is a maud template: maud escapes every interpolated string, so text from the
//! index (and so from a supplier's file) cannot become markup. It goes in as [`Text`], which
//! also writes the apostrophe as `&#39;`, as the report does. The only markup is what the
//! templates here write.

use std::collections::BTreeMap;

use maud::{html, Markup, Render};

use crate::classify::{MeasureValue, StatementKind};
use crate::ingest::RunRecord;
use crate::ledger::{figure_text, Ledger, Row};
use crate::markup::{url_encode, Text};
use crate::plural;
use crate::report::html::{page_end, page_start};
use crate::report::view::kind_label;
use crate::search::{Hit, Response, Sort};

use super::evidence::{merge_spans, Evidence};
use super::flags::{FlagGroup, Flags, MAX_LISTED_OTHERS};
use super::params::{SearchParams, MAX_PAGE, PAGE_SIZE};

/// A whole page: the head with `title`, the server's navigation (`active` marked), `body`.
fn page(title: &str, active: &str, body: Markup) -> String {
    let mut o = String::with_capacity(16 * 1024);
    page_start(&mut o, title, Some(&nav(active)));
    body.render_to(&mut o);
    page_end(&mut o);
    o
}

/// The server's navigation bar (the link to `active` marked).
pub fn nav(active: &str) -> String {
    html! {
        header class="top" {
            a class="brand" href="/search" { "tenderscope" }
            nav {
                @for (href, label) in [
                    ("/search", "Search"),
                    ("/report", "Scorecard"),
                    ("/runs", "Run log"),
                    ("/ledger", "Ledger"),
                ] {
                    a href=(href) class=[(href == active).then_some("on")] { (label) }
                }
            }
        }
        "\n"
    }
    .into_string()
}

/// A stored kind as the page names it (`track record`); any other value as it is.
fn kind_name(kind: &str) -> &str {
    StatementKind::parse(kind).map_or(kind, |k| kind_label(k))
}

/// A snippet: the text, with the matched byte ranges in `<b class="hl">`. Ranges that overlap
/// an earlier one or fall off character boundaries are skipped.
pub fn snippet_html(text: &str, ranges: &[(usize, usize)]) -> Markup {
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable();
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for (s, e) in sorted {
        if s < at {
            continue;
        }
        let (Some(before), Some(word)) = (text.get(at..s), text.get(s..e)) else {
            continue;
        };
        pieces.push((before, false));
        pieces.push((word, true));
        at = e;
    }
    pieces.push((text.get(at..).unwrap_or(""), false));
    html! {
        @for (piece, hl) in pieces {
            @if hl { b class="hl" { (Text(piece)) } } @else { (Text(piece)) }
        }
    }
}

/// The last two parts of an origin: enough to recognise a file in a batch.
pub fn short_origin(origin: &str) -> String {
    let parts: Vec<&str> = origin.rsplit(['/', '\\', '!']).take(2).collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

/// A filter's drop-down: "all" first, then `(value, label)` options, `current` selected.
fn select(name: &str, all: &str, options: &[(String, String)], current: Option<&str>) -> Markup {
    html! {
        select name=(name) aria-label=(name) {
            option value="" { (all) }
            @for (value, label) in options {
                option value=(Text(value)) selected[current == Some(value.as_str())] {
                    (Text(label))
                }
            }
        }
    }
}

/// The search page: the form, facets, hits (or an error), and paging.
pub fn search_page(
    p: &SearchParams,
    principles: &[(String, String)],
    result: Result<&Response, String>,
    flags: Option<&Flags>,
) -> String {
    let title = if p.q.is_empty() {
        "Search · tenderscope".to_string()
    } else {
        format!("{} · tenderscope search", p.q)
    };
    let filters = p.filters();
    let filter = |name: &str| {
        filters
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    };
    let kinds: Vec<(String, String)> = StatementKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), kind_label(*k).to_string()))
        .collect();
    let body = html! {
        h1 { "Search the evidence" } "\n"
        form class="search" action="/search" method="get" role="search" {
            input type="search" name="q" value=(Text(&p.q))
                placeholder="apprentices Crewe, \"real living wage\", supplier:name"
                aria-label="query" autofocus;
            (select("principle", "All principles", principles, filter("principle")))
            (select("kind", "All kinds", &kinds, filter("kind")))
            @for (k, v) in &filters {
                @if *k != "principle" && *k != "kind" {
                    input type="hidden" name=(k) value=(Text(v));
                }
            }
            button type="submit" { "Search" }
        }
        "\n"
        @match result {
            Err(message) => {
                p class="error" role="alert" {
                    b { "This query cannot be run." } " " (Text(&message))
                }
            }
            Ok(resp) => {
                div class="layout" {
                    aside class="facets" { (facets(p, principles, resp)) }
                    section class="results" { (results(p, resp, flags)) }
                }
                "\n"
            }
        }
    };
    page(&title, "/search", body)
}

/// The facet lists: each value with its count, a link that adds (or removes) its filter.
fn facets(p: &SearchParams, principles: &[(String, String)], resp: &Response) -> Markup {
    let Some(f) = &resp.facets else {
        return html! {};
    };
    let active = p.filters();
    html! {
        @for (name, title, counts) in [
            ("principle", "Principle", &f.principle),
            ("kind", "Kind", &f.kind),
            ("supplier", "Supplier", &f.supplier),
            ("theme", "Theme", &f.theme),
        ] {
            @let current = active.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str());
            h4 { (title) }
            ul {
                @for (value, count) in facet_order(name, counts, principles).into_iter().take(40) {
                    @let on = current == Some(value);
                    @let href = if on { p.with(name, None) } else { p.with(name, Some(value)) };
                    @let label = if name == "kind" { kind_name(value) } else { value };
                    li class=[on.then_some("on")] {
                        @let tip = if on { "remove this filter" } else { "filter" };
                        a href=(Text(&href)) title=(tip) {
                            @if on { "✕ " }
                            (Text(label))
                        }
                        span class="muted" { (count) }
                    }
                }
            }
        }
    }
}

/// A facet's values in the order listed: principles in the framework's order, the others by
/// count (most first), then by value.
fn facet_order<'c>(
    name: &str,
    counts: &'c BTreeMap<String, u64>,
    principles: &[(String, String)],
) -> Vec<(&'c str, u64)> {
    let mut items: Vec<(&str, u64)> = counts.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    if name == "principle" {
        let pos = |id: &str| {
            principles
                .iter()
                .position(|(p, _)| p == id)
                .unwrap_or(usize::MAX)
        };
        items.sort_by_key(|(k, _)| (pos(k), *k));
    } else {
        items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    }
    items
}

/// The results column: the count with the filters in use, the orders, the hits and paging;
/// before any search, how many passages there are.
fn results(p: &SearchParams, resp: &Response, flags: Option<&Flags>) -> Markup {
    let filters = p.filters();
    if p.q.trim().is_empty() && filters.is_empty() && resp.hits.is_empty() {
        return html! {
            p class="muted" id="count" {
                (plural::n(resp.total as u64, "passage"))
                " indexed. Search for words or a \"phrase\", or pick a principle, kind, \
                 supplier or theme."
            }
            "\n"
        };
    }
    let total = resp.total as u64;
    let current = p.sort().unwrap_or_default();
    let page = p.page();
    let pages = resp.total.div_ceil(PAGE_SIZE).min(MAX_PAGE);
    html! {
        p class="muted" id="count" {
            (plural::n(total, "passage")) " " (plural::agree(total, "matches", "match"))
            @if !filters.is_empty() { " · filters:" }
            @for (k, v) in &filters {
                " "
                a class="badge" href=(Text(&p.with(k, None))) title="remove" {
                    (k) ": " (Text(v)) " ✕"
                }
            }
        }
        "\n"
        // The order, as links (the one in use is not a link).
        p class="muted" id="sort" {
            "Sort by:"
            @for (i, sort) in Sort::ALL.into_iter().enumerate() {
                (if i == 0 { " " } else { " · " })
                @if sort == current {
                    b { (sort.as_str()) }
                } @else {
                    a href=(Text(&p.with("sort", Some(sort.as_str())))) { (sort.as_str()) }
                }
            }
        }
        "\n"
        @for hit in &resp.hits { (hit_html(hit, flags)) }
        @if pages > 1 {
            p class="muted" {
                @if page > 1 {
                    a href=(Text(&p.at_page(page - 1))) { "← previous" } " · "
                }
                "page " (page) " of " (pages)
                @if page < pages {
                    " · " a href=(Text(&p.at_page(page + 1))) { "next →" }
                }
            }
        }
    }
}

/// One hit: who and where, kind and principles, the boilerplate flag, the snippet, links.
fn hit_html(hit: &Hit, flags: Option<&Flags>) -> Markup {
    let boilerplate = flags.and_then(|f| f.group_of(&hit.id)).map(|g| {
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
        format!(
            "nearly the same words as a commitment of {} (similarity at least {:.2}): possible \
             template text",
            others.join(", "),
            g.similarity
        )
    });
    let id = url_encode(&hit.id);
    html! {
        div class="hit" {
            p class="cite" {
                b { (Text(&hit.supplier)) } " · " (Text(&short_origin(&hit.origin)))
                " p. " (hit.page) " · "
                span class={ "badge " (hit.kind.as_str()) } { (kind_label(hit.kind)) }
                " · specificity " (hit.score) "/5"
                @for pr in &hit.principles {
                    " " span class="badge" { (Text(pr)) }
                }
                @if let Some(why) = &boilerplate {
                    " "
                    a class="badge dup" href={ "/passage/" (id) "#near-duplicates" }
                        title=(Text(why)) { "boilerplate" }
                }
            }
            p class="snippet" { (snippet_html(&hit.snippet.text, &hit.snippet.highlighted)) }
            p class="cite" {
                a class="evidence" href={ "/passage/" (id) } { "evidence" } " · "
                a href={ "/file/" (url_encode(&hit.sha256)) "#page=" (hit.page) } {
                    "open the file at page " (hit.page)
                }
                @if !hit.section.is_empty() { " · " (Text(&hit.section)) }
            }
        }
        "\n"
    }
}

/// `<code>` around each of `items`, joined by `sep`.
fn codes<'a>(items: impl IntoIterator<Item = &'a str>, sep: &'static str) -> Markup {
    html! {
        @for (i, item) in items.into_iter().enumerate() {
            @if i > 0 { (sep) }
            code { (Text(item)) }
        }
    }
}

/// Matched words as quotes: `“a”, “b”`.
fn quoted<'a>(words: impl IntoIterator<Item = &'a str>) -> Markup {
    html! {
        @for (i, w) in words.into_iter().enumerate() {
            @if i > 0 { ", " }
            "“" (Text(w)) "”"
        }
    }
}

/// The evidence page of one passage.
pub fn passage_page(
    ev: &Evidence,
    principle_name: &dyn Fn(&str) -> String,
    near: Option<&FlagGroup>,
) -> String {
    let (p, v) = (&ev.passage, &ev.passage.provenance);
    let body = html! {
        h1 { "Evidence" }
        p class="meta" {
            b { (Text(&v.supplier)) } " · " (Text(&short_origin(&v.origin)))
            " · page " (p.page) @if ev.pages > 0 { " of " (ev.pages) }
            " · " span class={ "badge " (p.kind.as_str()) } { (kind_label(p.kind)) }
            " · specificity " (p.score) "/5"
        }
        @if let Some(b) = &ev.before {
            div class="neighbour" {
                a href={ "/passage/" (url_encode(&b.id)) } { "↑ before" } " " (Text(&b.text))
            }
        }
        @if let Some(c) = p.ocr {
            p class="ocr" id="ocr" {
                b { "OCR" } ": this text was " (Text(&crate::document::ocr_label(c)))
                ". Check the quote against the page."
            }
        }
        div class="quote" id="quote" { (highlighted(ev)) }
        @if let Some(a) = &ev.after {
            div class="neighbour" {
                a href={ "/passage/" (url_encode(&a.id)) } { "↓ after" } " " (Text(&a.text))
            }
        }
        p {
            a id="open-file" href={ "/file/" (url_encode(&v.sha256)) "#page=" (p.page) } {
                "Open the original file at page " (p.page)
            }
            " " span class="muted" { "(served only if its SHA-256 still matches)" }
        }
        @if let Some(g) = near { (near_duplicates(ev, g)) }
        h2 { "Citation" }
        dl class="prov" id="citation" {
            @for (k, v) in citation(ev) {
                @if !v.is_empty() { dt { (k) } dd { (Text(&v)) } }
            }
        }
        h2 { "Classification" }
        (classification(ev, principle_name))
        h3 { "Rules that fired" }
        p id="rules" {
            @if p.rules.is_empty() {
                "none"
            } @else {
                (codes(p.rules.iter().map(String::as_str), " "))
            }
        }
        p class="muted" {
            a href={ "/api/passage/" (url_encode(&v.id)) } { "this evidence as JSON" }
        }
    };
    page(&format!("Evidence {} · tenderscope", v.id), "", body)
}

/// The other suppliers' passages with nearly the same words (the first
/// [`MAX_LISTED_OTHERS`], then how many more).
fn near_duplicates(ev: &Evidence, g: &FlagGroup) -> Markup {
    let others = g
        .members
        .iter()
        .filter(|m| m.id != ev.passage.provenance.id);
    let total = others.clone().count();
    html! {
        div class="dupgroup" id="near-duplicates" {
            h4 {
                "Boilerplate: nearly the same words as other suppliers' commitments (similarity \
                 at least " (format!("{:.2}", g.similarity)) ")"
            }
            ul class="findings" {
                @for m in others.take(MAX_LISTED_OTHERS) {
                    li {
                        b { (Text(&m.supplier)) } " "
                        a href={ "/passage/" (url_encode(&m.id)) } { (Text(&m.id)) }
                    }
                }
                @if total > MAX_LISTED_OTHERS {
                    li class="muted" { "and " (total - MAX_LISTED_OTHERS) " more" }
                }
            }
        }
    }
}

/// The citation's rows; an empty value is left out.
fn citation(ev: &Evidence) -> [(&'static str, String); 15] {
    let (p, v) = (&ev.passage, &ev.passage.provenance);
    let ingested = std::time::UNIX_EPOCH
        .checked_add(std::time::Duration::from_secs(v.ingested.max(0) as u64))
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_default();
    [
        ("Supplier", v.supplier.clone()),
        ("Tender", v.tender.clone()),
        ("Lot", v.lot.clone().unwrap_or_default()),
        ("File", v.origin.clone()),
        ("Page", p.page.to_string()),
        ("Paragraph", p.paragraph.to_string()),
        ("Offsets", format!("characters {}..{}", p.start, p.end)),
        ("Section", p.section.clone()),
        (
            "Read by",
            p.ocr
                .map(|c| format!("OCR (mean word confidence {c:.0}%)"))
                .unwrap_or_default(),
        ),
        ("SHA-256", v.sha256.clone()),
        ("Format", v.format.to_string()),
        ("Passage id", v.id.clone()),
        ("Rule set", v.ruleset_version.to_string()),
        ("Extractor", v.extractor_version.clone()),
        ("Indexed", ingested),
    ]
}

/// What the classifier said: the kind and its rules, specificity and its reasons, the
/// principles with their themes, rules and words, measures and themes.
fn classification(ev: &Evidence, principle_name: &dyn Fn(&str) -> String) -> Markup {
    let Some(c) = &ev.classification else {
        return html! {
            p class="muted" { "No classification detail is stored for this passage." }
        };
    };
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
    let join = |ids: Vec<&str>| ids.join(", ");
    html! {
        p {
            "Kind " span class={ "badge " (c.kind.as_str()) } { (kind_label(c.kind)) } " by rules "
            @if c.kind_rules.is_empty() {
                "(none: the default)"
            } @else {
                (codes(c.kind_rules.iter().map(|r| r.as_str()), ", "))
            }
            ". Specificity " (c.specificity.score) "/5"
            @if !reasons.is_empty() { ": " (Text(&reasons.join(", "))) }
            "."
        }
        table class="grid" {
            thead {
                tr { th { "Principle" } th { "Themes" } th { "Rules" } th { "Matched words" } }
            }
            tbody {
                @for p in &c.principles {
                    tr {
                        td {
                            b { (Text(p.id.as_str())) } " "
                            (Text(&principle_name(p.id.as_str())))
                        }
                        td { (Text(&join(p.themes.iter().map(|t| t.as_str()).collect()))) }
                        td { code { (Text(&join(p.rules.iter().map(|r| r.as_str()).collect()))) } }
                        td { (quoted(p.evidence.iter().map(|e| e.text.as_str()))) }
                    }
                }
            }
        }
        @if !c.measures.is_empty() {
            h3 { "Measures" }
            table class="grid" {
                thead {
                    tr { th { "Kind" } th { "Value" } th { "Unit" } th { "Text" } th { "Rule" } }
                }
                tbody {
                    @for m in &c.measures {
                        @let value = match &m.value {
                            MeasureValue::Number(n) => crate::report::numbers::number(*n),
                            MeasureValue::Text(t) => t.clone(),
                        };
                        tr {
                            td { (Text(m.kind.as_str())) }
                            td class="num" { (Text(&value)) }
                            td { (Text(m.unit.as_deref().unwrap_or(""))) }
                            td { "“" (Text(&m.text)) "”" }
                            td { code { (Text(m.rule.as_str())) } }
                        }
                    }
                }
            }
        }
        @if !c.themes.is_empty() {
            h3 { "Themes" }
            ul class="findings" {
                @for t in &c.themes {
                    li {
                        code { (Text(t.id.as_str())) } " "
                        (quoted(t.evidence.iter().map(|e| e.text.as_str())))
                    }
                }
            }
        }
    }
}

/// The classified text, the lead-in muted, matched spans marked with their labels.
fn highlighted(ev: &Evidence) -> Markup {
    let text = &ev.classified_text;
    let lead_end = ev
        .lead_in
        .as_ref()
        .map(|l| l.len().min(text.len()))
        .filter(|&n| text.is_char_boundary(n))
        .unwrap_or(0);
    let mut pieces = Vec::new();
    let mut at = 0;
    for (s, e, labels) in merge_spans(&ev.spans) {
        let Some(marked) = text.get(s..e).filter(|_| s >= at) else {
            continue;
        };
        plain(&mut pieces, text, lead_end, at, s);
        pieces.push(Piece::Marked(labels.join(", "), marked));
        at = e;
    }
    plain(&mut pieces, text, lead_end, at, text.len());
    html! {
        @for piece in &pieces {
            @match piece {
                Piece::Plain(s) => (Text(s)),
                Piece::Muted(s) => span class="muted" { (Text(s)) },
                Piece::Marked(labels, s) => mark title=(Text(labels)) { (Text(s)) },
            }
        }
    }
}

/// A piece of a quote: plain, muted (the lead-in) or marked with its labels.
enum Piece<'t> {
    Plain(&'t str),
    Muted(&'t str),
    Marked(String, &'t str),
}

/// The plain text `from..to`, split at the end of the lead-in (`lead_end`), which is muted.
fn plain<'t>(pieces: &mut Vec<Piece<'t>>, text: &'t str, lead_end: usize, from: usize, to: usize) {
    let cuts = if from < lead_end && lead_end < to {
        vec![(from, lead_end), (lead_end, to)]
    } else {
        vec![(from, to)]
    };
    for (a, b) in cuts {
        if let Some(s) = text.get(a..b).filter(|s| !s.is_empty()) {
            pieces.push(if b <= lead_end {
                Piece::Muted(s)
            } else {
                Piece::Plain(s)
            });
        }
    }
}

/// The run log, newest first.
pub fn runs_page(runs: &[Result<RunRecord, String>]) -> String {
    let body = html! {
        h1 { "Run log" }
        p class="muted" {
            (runs.len()) " ingest runs, newest first. " a href="/api/runs" { "As JSON" } "."
        }
        div class="scroll" {
            table class="grid" {
                thead {
                    tr {
                        th { "Started" } th { "Ended" }
                        @for h in ["Seconds", "Files", "Added", "Changed", "Removed", "Unchanged",
                            "Re-classified", "Failed", "Passages"] {
                            th class="num" { (h) }
                        }
                        th { "Rule set" } th { "Extractor" }
                    }
                }
                tbody {
                    @for r in runs.iter().rev() {
                        @match r {
                            Ok(r) => (run_rows(r)),
                            Err(e) => tr {
                                td colspan="13" class="muted" { "unreadable record: " (Text(e)) }
                            },
                        }
                    }
                }
            }
        }
    };
    page("Run log · tenderscope", "/runs", body)
}

/// One run's row, and a row for each file that failed in it.
fn run_rows(r: &RunRecord) -> Markup {
    html! {
        tr {
            td { (Text(&r.started)) }
            td { (Text(&r.ended)) }
            td class="num" { (format!("{:.1}", r.seconds)) }
            @for n in [r.files, r.added, r.changed, r.removed, r.unchanged, r.reclassified,
                r.failed, r.passages] {
                td class="num" { (n) }
            }
            td { code { (Text(&r.ruleset_version.to_string())) } }
            td { code { (Text(&r.extractor_version)) } }
        }
        @for f in &r.failures {
            tr {
                td {}
                td colspan="12" class="muted" {
                    "failed: " (Text(&f.origin)) ": " (Text(&f.reason))
                }
            }
        }
    }
}

/// The commitments ledger: per supplier, each commitment with its target, what was expected
/// and delivered, the status and the evidence (each figure links to its passage), then the
/// figures that answer no commitment.
pub fn ledger_page(ledger: &Ledger) -> String {
    let body = html! {
        h1 { "Commitments ledger" }
        @if ledger.rows.is_empty() {
            p {
                "No monitoring returns in the index: ingest them with "
                code { "tenderscope ingest PATH --stage delivery --period P" } "."
            }
        } @else {
            p class="muted" {
                "What each awarded supplier promised against what its monitoring returns say. "
                a href="/api/ledger" { "As JSON" } "."
            }
            @for rows in ledger.rows.chunk_by(|a, b| a.supplier == b.supplier) {
                (supplier_ledger(rows))
            }
        }
    };
    page("Ledger · tenderscope", "/ledger", body)
}

/// One supplier's rows of the ledger (`rows` is not empty).
fn supplier_ledger(rows: &[Row]) -> Markup {
    let Some(first) = rows.first() else {
        return html! {};
    };
    html! {
        h2 {
            (Text(&first.supplier)) " "
            span class="muted" { "(" (Text(&first.tender)) "), as at " (first.as_of) }
        }
        div class="scroll" {
            table class="grid" {
                thead {
                    tr {
                        th { "Status" } th { "Target" } th class="num" { "Expected" }
                        th class="num" { "To date" } th { "Per period" } th { "Commitment" }
                        th { "Evidence" }
                    }
                }
                tbody { @for row in rows { (ledger_row(row)) } }
            }
        }
    }
}

fn ledger_row(row: &Row) -> Markup {
    let status = row
        .status
        .map_or("unmatched".to_string(), |s| s.to_string());
    let target = row.target.as_ref().map_or("-", |t| t.text.as_str());
    let per_period = row
        .delivered
        .iter()
        .map(|d| format!("{} {}", d.period, figure_text(d.value)))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        tr {
            td { (Text(&status)) }
            td { (Text(target)) }
            td class="num" { (row.expected.map_or_else(|| "-".into(), figure_text)) }
            td class="num" { (row.cumulative.map_or_else(|| "-".into(), figure_text)) }
            td { (Text(&per_period)) }
            td {
                @match (&row.commitment, &row.commitment_id) {
                    (Some(c), Some(id)) => a href={ "/passage/" (url_encode(id)) } { (Text(c)) },
                    _ => span class="muted" { (Text(row.note.as_deref().unwrap_or(""))) },
                }
            }
            td {
                @for e in &row.evidence {
                    div {
                        a href={ "/passage/" (url_encode(&e.passage)) } {
                            (Text(&e.period.to_string())) " " (Text(&e.figure))
                        }
                        @if e.cumulative { " (to date)" }
                        ": " (Text(&e.quote))
                        @if let Some(r) = &e.reason { " " span class="muted" { "[" (Text(r)) "]" } }
                    }
                }
                @for c in &row.corrected {
                    div class="muted" { "corrected: " (Text(c)) }
                }
            }
        }
    }
}

/// A page for an error status.
pub fn error_page(title: &str, message: &str) -> String {
    let body = html! {
        h1 { (Text(title)) }
        p { (Text(message)) }
        p { a href="/search" { "Search" } }
    };
    page(&format!("{title} · tenderscope"), "", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ledger_page_escapes_supplier_text_and_links_the_evidence() {
        use crate::ledger::{Evidence, PeriodFigure, Status};
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
        let html = snippet_html("<script>x</script> apprentices & more", &[(19, 30)]).into_string();
        assert_eq!(
            html,
            "&lt;script&gt;x&lt;/script&gt; <b class=\"hl\">apprentices</b> &amp; more"
        );
        // Ranges off character boundaries or out of bounds are skipped, never panic.
        let html = snippet_html("é", &[(1, 2), (0, 99)]).into_string();
        assert_eq!(html, "é");
    }

    fn evidence(ocr: Option<f32>) -> Evidence {
        let provenance = crate::index::records::Provenance {
            lot: None,
            origin: "/b/s/scan.pdf".into(),
            ingested: 0,
            ..crate::index::records::Provenance::example("00ff00ff00ff00ff:4")
        };
        let text = "We will employ 3 apprentices.";
        Evidence {
            passage: crate::index::records::PassageRecord {
                provenance,
                page: 2,
                paragraph: 4,
                start: 0,
                end: 30,
                section: String::new(),
                text: text.into(),
                kind: crate::classify::StatementKind::Commitment,
                principles: Vec::new(),
                themes: Vec::new(),
                rules: Vec::new(),
                measures: Vec::new(),
                score: 2,
                ocr,
                detail_json: String::new(),
            },
            lead_in: None,
            classified_text: text.into(),
            spans: Vec::new(),
            classification: None,
            before: None,
            after: None,
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
