//! The HTML report: one self-contained file (inline CSS, no script, no external asset, no
//! network) that opens in any browser and prints cleanly.
//!
//! Sections: an overview, the supplier-by-principle heatmap (colour by how strongly the
//! supplier answers, with a legend; each cell links to its evidence), measure totals (each
//! number links to the passages behind it), unanswered principles, near-duplicate commitments,
//! one section per supplier with the best evidence per principle and its citation, and the
//! evidence list: every finding once, with its anchor.
//!
//! The page is a maud template over the [`View`]: maud escapes every interpolated string, so
//! text from the index cannot become markup. Text from the index goes in as [`Text`], which
//! also writes the apostrophe as `&#39;`.
//!
//! The web server shows the same page; there ([`Links::Server`]) each finding also links to
//! its evidence page, and the page uses the server's navigation.

use std::fmt::Write;

use maud::{html, Markup, PreEscaped, Render};

use super::ledger as ledgerview;
use super::model::{Category, Finding, Level, NotRead, Report};
use super::numbers::{self, finding_anchor};
use super::view::{
    self, kind_label, short, CategoryView, CellLabel, CellView, DuplicateView, SupplierView, View,
};
use crate::ledger::figure_text;

/// Where evidence links go besides the anchors within the page.
pub enum Links {
    /// A standalone file: anchors only.
    InFile,
    /// Served by `tenderscope serve`: also `/passage/ID` evidence pages, and a header with
    /// the server's navigation (`nav` is trusted HTML made by the server).
    Server { nav: String },
}

/// The page's style sheet, shared with the web server's pages.
pub const CSS: &str = r#"
:root{--ink:#1d2530;--muted:#5b6675;--line:#dfe3e8;--bg:#ffffff;--soft:#f6f7f9;--accent:#1f5f8b;
--l0:#f2f3f5;--l1:#fbe7b5;--l2:#cfe8d5;--l3:#7cc49a;--l4:#1f7a4d;--dup:#b3261e}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 "Segoe UI","Helvetica Neue",Arial,"Liberation Sans","DejaVu Sans",sans-serif}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
header.top{background:#17324d;color:#fff;padding:14px 32px;display:flex;align-items:center;gap:28px;flex-wrap:wrap}
header.top .brand{font-weight:700;letter-spacing:.02em;font-size:17px;color:#fff}
header.top nav a{color:#d7e6f3;margin-right:18px;font-size:14px}
header.top nav a.on{color:#fff;font-weight:600}
main{max-width:1240px;margin:0 auto;padding:28px 32px 60px}
h1{font-size:26px;margin:0 0 6px;font-weight:650;letter-spacing:-.01em}
h2{font-size:19px;margin:40px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line);font-weight:650}
h3{font-size:17px;margin:28px 0 8px;font-weight:650}
h4{font-size:15px;margin:18px 0 6px;font-weight:650}
p.meta,.muted{color:var(--muted);font-size:13px}
.warn{color:#a0441a;font-size:13px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:18px 0 6px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:128px;background:var(--soft)}
.card b{display:block;font-size:22px;font-weight:650}
.card span{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
table{border-collapse:collapse;font-size:13.5px}
table.grid{width:100%}
th,td{padding:6px 9px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em;background:var(--soft)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
table.grid td:first-child{white-space:nowrap}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:8px}
table.heat{border-collapse:separate;border-spacing:3px;font-size:13px;margin:4px}
table.heat th{background:none;text-align:center;border:none;padding:4px 2px;color:var(--ink)}
table.heat th.sup,table.heat td.sup{text-align:left;white-space:nowrap;padding-right:14px;position:sticky;left:0;background:#fff}
table.heat td{border:none;text-align:center;border-radius:5px;min-width:54px;padding:7px 4px;font-variant-numeric:tabular-nums;line-height:1.2}
table.heat td a{color:inherit;display:block}
table.heat td small{display:block;font-size:10.5px;opacity:.85}
.l-unanswered{background:var(--l0);color:#9aa3ad}
.l-mentioned{background:var(--l1);color:#5c4400}
.l-vague{background:var(--l2);color:#1d4a2c}
.l-specific{background:var(--l3);color:#0f3a22}
.l-smart{background:var(--l4);color:#fff}
.legend{display:flex;gap:14px;flex-wrap:wrap;margin:10px 0 4px;font-size:12.5px;color:var(--muted);align-items:center}
.legend i{display:inline-block;width:18px;height:14px;border-radius:3px;vertical-align:-2px;margin-right:6px}
.key{columns:2;font-size:13px;color:var(--muted);margin:8px 0 0;padding-left:18px}
.key b{color:var(--ink)}
.badge{display:inline-block;font-size:11px;font-weight:600;padding:1px 7px;border-radius:10px;background:var(--soft);border:1px solid var(--line);color:var(--muted);white-space:nowrap}
.badge.commitment{background:#e3f1e8;border-color:#b9dcc5;color:#1d5a36}
.badge.aspiration{background:#fdf3dc;border-color:#f0d99a;color:#6b4d00}
.badge.track_record{background:#e6eef8;border-color:#bcd0ea;color:#24476f}
.badge.dup{background:#fbe9e7;border-color:#f2b8b1;color:var(--dup)}
blockquote{margin:8px 0 4px;padding:8px 14px;border-left:4px solid var(--l3);background:var(--soft);border-radius:0 6px 6px 0}
blockquote.mentioned{border-left-color:#e0b94d}
.cite{font-size:12.5px;color:var(--muted)}
.cite code,code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:11.5px}
ul.findings{margin:6px 0 0;padding-left:18px;font-size:13.5px}
ul.findings li{margin:3px 0}
section.supplier{border-top:1px solid var(--line);margin-top:26px}
.cell{margin:10px 0 18px;padding-left:2px}
.ev{border-bottom:1px solid var(--line);padding:10px 0}
.ev:target,.cell:target,section:target h3{background:#fff8d6}
.ev p{margin:4px 0}
mark,b.hl{background:#ffe58a;color:inherit;font-weight:600;padding:0 1px;border-radius:2px}
.dupgroup{border:1px solid #f2b8b1;border-radius:8px;padding:8px 14px;margin:10px 0;background:#fffafa}
form.search{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin:6px 0 14px}
form.search input[type=search]{flex:1 1 360px;font-size:16px;padding:9px 12px;border:1px solid #b8c2cc;border-radius:6px}
form.search select{font-size:14px;padding:8px;border:1px solid #b8c2cc;border-radius:6px;background:#fff;max-width:220px}
form.search button{font-size:15px;padding:9px 18px;border:0;border-radius:6px;background:var(--accent);color:#fff;cursor:pointer}
.layout{display:grid;grid-template-columns:230px 1fr;gap:28px}
.facets h4{margin:14px 0 4px;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.facets ul{list-style:none;margin:0;padding:0;font-size:13.5px}
.facets li{display:flex;justify-content:space-between;padding:1px 0}
.facets li.on a{font-weight:700;color:var(--ink)}
.hit{padding:12px 0;border-bottom:1px solid var(--line)}
.hit p{margin:5px 0}
dl.prov{display:grid;grid-template-columns:160px 1fr;gap:4px 14px;font-size:13.5px}
dl.prov dt{color:var(--muted)}
dl.prov dd{margin:0;word-break:break-all}
.quote{font-size:16px;line-height:1.6;padding:12px 16px;border-left:4px solid var(--accent);background:var(--soft);border-radius:0 6px 6px 0}
.neighbour{color:var(--muted);font-size:14px;padding:4px 16px}
.error{color:#8c1d18;background:#fbe9e7;padding:10px 14px;border-radius:6px}
svg.chart{display:block}svg.chart .bar{fill:#c9dcf0}svg.chart .target{stroke:#8c1d18;stroke-dasharray:4 3;stroke-width:1.5}svg.chart polyline.delivered{fill:none;stroke:var(--accent);stroke-width:2}svg.chart circle.delivered{fill:var(--accent)}svg.chart .expected{stroke:#333;stroke-width:2}
@media (max-width:760px){.layout{grid-template-columns:1fr}main{padding:18px}.key{columns:1}}
@media print{header.top{display:none}main{max-width:none;padding:0}a{color:inherit}.scroll{overflow:visible;border:none}section.supplier{break-before:page}}
"#;

/// Longest text of a finding listed under a cell or a total, in characters.
const LIST_CHARS: usize = 150;

pub use crate::markup::{url_encode, Text};

/// The page head and opening of the body; `nav` is trusted HTML made by the server.
pub fn page_start(o: &mut String, title: &str, nav: Option<&str>) {
    html! {
        (maud::DOCTYPE) "\n"
        (PreEscaped("<html lang=\"en\">\n"))
        head {
            "\n"
            meta charset="utf-8"; "\n"
            meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
            meta name="referrer" content="no-referrer"; "\n"
            title { (Text(title)) } "\n"
            style { (PreEscaped(CSS)) } "\n"
        }
        "\n"
        (PreEscaped("<body>\n"))
        @if let Some(nav) = nav { (PreEscaped(nav)) }
        (PreEscaped("<main>\n"))
    }
    .render_to(o);
}

/// The end of a page begun by [`page_start`].
pub fn page_end(o: &mut String) {
    o.push_str("</main>\n</body>\n</html>\n");
}

/// Render the report as one HTML page.
pub fn render(r: &Report, links: &Links) -> String {
    render_view(&View::new(r), links)
}

/// Render a report's view as one HTML page.
pub fn render_view(v: &View, links: &Links) -> String {
    let r = v.report;
    let mut o = String::with_capacity(96 * 1024 + r.findings.len() * 900);
    let nav = match links {
        Links::InFile => None,
        Links::Server { nav } => Some(nav.as_str()),
    };
    page_start(&mut o, &v.title, nav);
    let p = &v.provenance;
    html! {
        h1 { (Text(&v.title)) } "\n"
        p class="meta" {
            "Framework: " (Text(p.framework_name)) " (" code { (Text(p.framework_id)) } ")"
            @if p.reclassified { "; passages re-classified with this framework for the report" }
            ". Rule set " code { (Text(&p.ruleset)) } ", extractor " code { (Text(&p.extractor)) }
            @if let Some(t) = p.last_run { "; index as of " (Text(t)) }
            "."
        }
        "\n"
        (overview(v))
        (heatmap(v))
        (totals_table(v))
        (unanswered(v))
        (not_read(v))
        (duplicates(v))
        (ledger(v))
        h2 id="suppliers" { "Suppliers" } "\n"
        @for s in &v.suppliers { (supplier(s)) }
        h2 id="evidence" { "Evidence" } "\n"
        p class="muted" {
            "Every passage that evidences a principle (and every commitment with a figure that \
             the totals count), once, by supplier in file order. Numbers above link here."
        }
        "\n"
        @for s in &v.suppliers {
            h3 id=(s.evidence_anchor) { (Text(s.name)) } "\n"
            @for f in &s.findings { (evidence(f, links)) }
        }
        // Findings are sorted by supplier as the suppliers are; anything left is listed too.
        @for f in &v.other_findings { (evidence(f, links)) }
    }
    .render_to(&mut o);
    page_end(&mut o);
    o
}

/// Through the life of the contract: each awarded supplier's commitments against what its
/// monitoring returns say (only once returns are in the index).
fn ledger(v: &View) -> Markup {
    html! {
        @if let Some(as_of) = &v.ledger_as_of {
            h2 id="ledger" { (ledgerview::HEADING) } "\n"
            p class="muted" {
                (ledgerview::NOTE) " " (Text(as_of)) ". The chart draws the running total delivered (a rate: the level \
                 reached) by period against the target (dashed) and what was expected by now \
                 (the mark)."
            }
            div class="scroll" {
                table class="grid" {
                    thead { tr {
                        th { "Supplier" } th { "Status" } th { "Target" }
                        th class="num" { "Expected" } th class="num" { "To date" }
                        th { "Per period" } th { "Over time" } th { "Commitment or figure" }
                        th { "Evidence" }
                    } }
                    tbody {
                        @for line in &v.ledger {
                            tr {
                                td { (Text(line.supplier)) }
                                td { (Text(line.status)) }
                                td { (Text(&line.target)) }
                                td class="num" { (Text(&line.expected)) }
                                td class="num" { (Text(&line.to_date)) }
                                td { (Text(&line.per_period)) }
                                td { @if let Some(c) = &line.chart { (chart(c)) } }
                                td { (Text(line.text)) }
                                td {
                                    @for e in &line.evidence { div { (Text(e)) } }
                                    @for c in line.corrected { div class="muted" { "corrected: " (Text(c)) } }
                                }
                            }
                        }
                    }
                }
            }
            "\n"
        }
    }
}

/// A small SVG chart of one commitment: a bar for each period's own figure, a line through
/// the running total (or, for a rate, the level reached), the target as a dashed line and what
/// was expected by now as a mark at the last period. Drawn by hand: a few shapes, no scripts,
/// every number in a `title` for screen readers and hover.
fn chart(c: &ledgerview::Chart) -> Markup {
    const W: f64 = 160.0;
    const H: f64 = 48.0;
    const PAD: f64 = 4.0;
    let top = c
        .points
        .iter()
        .flat_map(|p| [p.line, p.delivered.unwrap_or(0.0)])
        .chain([c.target, c.expected.unwrap_or(0.0)])
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let n = c.points.len().max(1) as f64;
    let step = (W - 2.0 * PAD) / n;
    let x = |i: usize| PAD + step * (i as f64 + 0.5);
    let y = |v: f64| H - PAD - (v.max(0.0) / top) * (H - 2.0 * PAD);
    let line: Vec<String> = c
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.line)))
        .collect();
    let summary = {
        let mut s = format!("target {}", figure_text(c.target));
        if let Some(e) = c.expected {
            s.push_str(&format!(", expected by now {}", figure_text(e)));
        }
        for p in &c.points {
            s.push_str(&format!(
                "; {} {}{}",
                p.period,
                if c.rate { "level " } else { "to date " },
                figure_text(p.line)
            ));
        }
        s
    };
    let bar = (step * 0.6).max(1.0);
    html! {
        svg class="chart" width=(W) height=(H) viewBox={ "0 0 " (W) " " (H) } role="img"
            xmlns="http://www.w3.org/2000/svg" {
            title { (Text(&summary)) }
            @if !c.rate {
                @for (i, p) in c.points.iter().enumerate() {
                    @if let Some(d) = p.delivered {
                        rect class="bar" x=(format!("{:.1}", x(i) - bar / 2.0)) y=(format!("{:.1}", y(d)))
                            width=(format!("{bar:.1}")) height=(format!("{:.1}", (H - PAD - y(d)).max(0.0))) {
                            title { (Text(&format!("{} {}", p.period, figure_text(d)))) }
                        }
                    }
                }
            }
            line class="target" x1=(PAD) x2=(W - PAD) y1=(format!("{:.1}", y(c.target))) y2=(format!("{:.1}", y(c.target))) {}
            polyline class="delivered" points=(line.join(" ")) {}
            @for (i, p) in c.points.iter().enumerate() {
                circle class="delivered" cx=(format!("{:.1}", x(i))) cy=(format!("{:.1}", y(p.line))) r="2" {}
            }
            @if let Some(e) = c.expected {
                @let last = c.points.len().saturating_sub(1);
                line class="expected" x1=(format!("{:.1}", x(last) - 6.0)) x2=(format!("{:.1}", x(last) + 6.0))
                    y1=(format!("{:.1}", y(e))) y2=(format!("{:.1}", y(e))) {}
            }
        }
    }
}

fn overview(v: &View) -> Markup {
    let p = &v.provenance;
    let cards = [
        (v.suppliers.len() as u64, "suppliers", "#summary"),
        (p.files, "files read", "#summary"),
        (p.files_not_read, "files not read", "#not-read"),
        (p.passages, "passages read", "#evidence"),
        (u64::from(v.commitments), "commitments", "#summary"),
        (u64::from(v.flagged), "near-duplicates", "#duplicates"),
    ];
    html! {
        div class="cards" {
            "\n"
            @for (n, label, href) in cards {
                div class="card" {
                    b { a href=(href) { (numbers::number(n as f64)) } }
                    span { (label) }
                }
                "\n"
            }
        }
        "\n"
    }
}

fn heatmap(v: &View) -> Markup {
    html! {
        h2 id="heatmap" { (view::HEATMAP) } "\n"
        p class="muted" {
            "Each cell counts the supplier's commitments to the principle and the specificity of \
             the best one (0-5: measurable, time-bound, local, named beneficiaries, \
             contract-specific). A/T: aspirations and track-record claims only. Click a cell for \
             its evidence."
        }
        "\n"
        div class="legend" {
            b { "Key" }
            @for l in Level::ALL.iter().rev() {
                span { i class={ "l-" (l.as_str()) } {} (l.describe()) }
            }
        }
        "\n"
        div class="scroll" {
            table class="heat" {
                thead {
                    tr {
                        th class="sup" { "Supplier" } "\n"
                        @for p in v.principles {
                            th title=(Text(&p.name)) { (Text(&p.id)) }
                        }
                    }
                }
                tbody {
                    "\n"
                    @for s in &v.suppliers {
                        tr {
                            td class="sup" { a href={ "#" (s.anchor) } { (Text(s.name)) } }
                            @for c in &s.cells { (heat_cell(c)) }
                        }
                        "\n"
                    }
                }
            }
        }
        "\n"
        ul class="key" {
            "\n"
            @for p in v.principles {
                li { b { (Text(&p.id)) } " " (Text(&p.name)) }
                "\n"
            }
        }
        "\n"
    }
}

fn heat_cell(c: &CellView) -> Markup {
    html! {
        @match c.label {
            CellLabel::Unanswered => {
                td class="l-unanswered" title={ (Text(c.principle_name)) ": no evidence" } { "–" }
            }
            label => {
                td class={ "l-" (c.level.as_str()) } title=(Text(&cell_title(c))) {
                    a href={ "#" (c.anchor) } {
                        @match label {
                            CellLabel::Mentioned { aspirations, track_record } => {
                                small { "A " (aspirations) " · T " (track_record) }
                            }
                            CellLabel::Committed { commitments, best } => {
                                b { (commitments) } small { "best " (best) "/5" }
                            }
                            CellLabel::Unanswered => {}
                        }
                    }
                }
            }
        }
    }
}

/// `NAME: N commitments, N aspirations, N track record; best specificity 3/5`.
fn cell_title(c: &CellView) -> String {
    let mut t = format!("{}: {}", c.principle_name, c.counts);
    if let Some(b) = c.cell.best_score {
        let _ = write!(t, "; best specificity {b}/5");
    }
    t
}

fn totals_table(v: &View) -> Markup {
    let [before, command, after] = view::COUNTS_DEFINITION;
    html! {
        h2 id="summary" { "Summary and measure totals" } "\n"
        p class="muted" {
            (before) code { (command) } (after)
            " Totals add up the figures of the supplier's commitments; a figure repeated in \
             several passages counts once. Local spend: money in passages about the local \
             supply chain; carbon: tonnes in passages about carbon reduction."
        }
        "\n"
        div class="scroll" {
            table class="grid" {
                thead {
                    tr {
                        th { "Supplier" }
                        th class="num" { "Files" }
                        th class="num" { (PreEscaped("All commit&shy;ments")) }
                        th class="num" { (PreEscaped("Commit&shy;ments")) }
                        th class="num" { (PreEscaped("Aspira&shy;tions")) }
                        th class="num" { "Track record" }
                        th class="num" { "Mean spec." }
                        th class="num" { (PreEscaped("Unans&shy;wered")) }
                        "\n"
                        @for c in Category::ALL { th class="num" { (c.title()) } }
                        th class="num" { "Near-dup." }
                    }
                }
                tbody {
                    "\n"
                    @for s in &v.suppliers { (summary_row(s)) "\n" }
                }
            }
        }
        "\n"
    }
}

fn summary_row(s: &SupplierView) -> Markup {
    let sa = &s.anchor;
    let ev = &s.evidence_anchor;
    let n = &s.supplier.counts;
    html! {
        tr {
            td { a href={ "#" (sa) } { (Text(s.name)) } }
            td class="num" { a href={ "#" (sa) } { (s.supplier.files.len()) } }
            td class="num" { (s.supplier.classified.commitments) }
            td class="num" { a href={ "#" (ev) } { (n.commitments) } }
            td class="num" { a href={ "#" (ev) } { (n.aspirations) } }
            td class="num" { a href={ "#" (ev) } { (n.track_record) } }
            td class="num" { a href={ "#" (ev) } { (s.mean) } }
            td class="num" { a href="#unanswered" { (s.unanswered.len()) } }
            @for t in &s.totals { (totals_cell(t)) }
            @if s.supplier.flagged > 0 {
                td class="num" { a href="#duplicates" { (s.supplier.flagged) } }
            } @else {
                td class="num muted" { "0" }
            }
        }
    }
}

fn totals_cell(t: &CategoryView) -> Markup {
    html! {
        @if t.values.is_empty() {
            td class="num muted" { "–" }
        } @else {
            td class="num" { a href={ "#" (t.anchor) } { (Text(&t.joined())) } }
        }
    }
}

fn unanswered(v: &View) -> Markup {
    html! {
        h2 id="unanswered" { (view::UNANSWERED) } "\n"
        table class="grid" {
            thead { tr { th { "Supplier" } th { "Principles with no evidence" } } }
            tbody {
                "\n"
                @for s in &v.suppliers {
                    tr {
                        td { a href={ "#" (s.anchor) } { (Text(s.name)) } }
                        td {
                            @if s.unanswered.is_empty() {
                                span class="muted" { "none" }
                            }
                            @for (i, (id, name)) in s.unanswered.iter().enumerate() {
                                @if i > 0 { " " }
                                span class="badge" title=(Text(name)) { (Text(id)) }
                            }
                            // What of theirs was not read, since the answer may be there.
                            @if !s.lost.is_empty() {
                                " "
                                a class="warn" href="#not-read" {
                                    "not read, and may answer them: " (Text(&s.lost.join(", ")))
                                }
                            }
                        }
                    }
                    "\n"
                }
            }
        }
        "\n"
    }
}

/// Every file (or page) under the batch roots that was not read, by supplier, with the reason.
fn not_read(v: &View) -> Markup {
    html! {
        h2 id="not-read" { (view::NOT_READ) } "\n"
        @if v.not_read.is_empty() {
            p class="muted" { (view::ALL_READ) } "\n"
        } @else {
            p class="muted" { (view::NOT_READ_NOTE) } "\n"
            table class="grid" {
                thead { tr { th { "Supplier" } th { "File" } th { "Status" } th { "Reason" } } }
                tbody {
                    "\n"
                    @for n in v.not_read { (not_read_row(n, true)) }
                }
            }
            "\n"
        }
    }
}

fn not_read_row(n: &NotRead, with_supplier: bool) -> Markup {
    html! {
        tr {
            @if with_supplier { td { (Text(&n.supplier)) } }
            td title=(Text(&n.origin)) { (Text(&n.citation())) }
            td { (n.status.label()) }
            td { (Text(&n.reason)) }
        }
        "\n"
    }
}

fn duplicates(v: &View) -> Markup {
    html! {
        h2 id="duplicates" { (view::DUPLICATES) } "\n"
        p class="muted" {
            "Commitments of competing suppliers whose words are nearly the same (three-word \
             shingles, numbers ignored, Jaccard similarity at least "
            (format!("{:.2}", super::similar::THRESHOLD))
            "): a sign of template text."
        }
        "\n"
        @if v.duplicates.is_empty() {
            p { (view::NO_DUPLICATES) } "\n"
        }
        @for g in &v.duplicates { (duplicate_group(g)) }
    }
}

fn duplicate_group(g: &DuplicateView) -> Markup {
    html! {
        div class="dupgroup" id=(g.anchor) {
            h4 { (g.heading) } "\n"
            // The text once (the first member's); then who wrote it where.
            @if let Some(f) = g.members.first() {
                blockquote class="mentioned" { (Text(&f.text)) } "\n"
            }
            p class="cite" {
                @for (i, f) in g.members.iter().enumerate() {
                    @if i > 0 { " · " }
                    b { (Text(&f.supplier)) } " "
                    a href={ "#" (finding_anchor(&f.key)) } { (Text(&f.citation())) }
                }
            }
        }
        "\n"
    }
}

fn supplier(s: &SupplierView) -> Markup {
    html! {
        section class="supplier" id=(s.anchor) {
            h3 { (Text(s.name)) } "\n"
            p class="muted" { (Text(&s.intro)) } "\n"
            table class="grid" {
                thead { tr { th { "File" } th class="num" { "Pages" } th { "SHA-256" } } }
                tbody {
                    "\n"
                    @for f in &s.supplier.files {
                        tr {
                            td title=(Text(&f.origin)) { (Text(&f.name)) }
                            td class="num" { (f.pages) }
                            td { code { (Text(&f.sha256)) } }
                        }
                        "\n"
                    }
                }
            }
            "\n"
            @if !s.supplier.not_read.is_empty() {
                h4 { (view::NOT_READ) } "\n"
                table class="grid" {
                    thead { tr { th { "File" } th { "Status" } th { "Reason" } } }
                    tbody {
                        "\n"
                        @for n in &s.supplier.not_read { (not_read_row(n, false)) }
                    }
                }
                "\n"
            }
            @for c in &s.cells {
                @if c.level != Level::Unanswered { (cell(s, c)) }
            }
            @for t in &s.totals {
                @if !t.values.is_empty() { (category(t)) }
            }
        }
        "\n"
    }
}

fn cell(s: &SupplierView, c: &CellView) -> Markup {
    html! {
        div class="cell" id=(c.anchor) {
            h4 {
                span class={ "badge l-" (c.level.as_str()) } { (Text(c.principle)) }
                " " (Text(c.principle_name))
            }
            "\n"
            p class="muted" {
                (c.counts) "; best specificity " (c.best_score) "."
                @if !c.totals.is_empty() {
                    " Totals: "
                    @for (i, (total, anchor)) in c.totals.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href={ "#" (anchor) } { (Text(total)) }
                    }
                    "."
                }
            }
            "\n"
            @if let Some(best) = c.best {
                @let mentioned = best.kind != crate::classify::StatementKind::Commitment;
                blockquote class=[mentioned.then_some("mentioned")] { (Text(&best.text)) }
                p class="cite" {
                    (badge(best)) " specificity " (best.score) "/5 · " (Text(&best.citation()))
                    " · " a href={ "#" (finding_anchor(&best.key)) } { "passage " (Text(&best.id)) }
                    (dup_badge(best))
                }
                "\n"
            }
            @if c.cell.findings.len() > 1 {
                ul class="findings" {
                    "\n"
                    @for f in &c.listed {
                        li {
                            (badge(f)) " " (f.score) "/5 "
                            a href={ "#" (finding_anchor(&f.key)) } { (Text(&short(&f.text, LIST_CHARS))) }
                            " " span class="cite" { (Text(&f.citation())) }
                            (dup_badge(f))
                        }
                        "\n"
                    }
                    @if c.more > 0 {
                        li class="muted" {
                            "and " (c.more) " more in "
                            a href={ "#" (s.evidence_anchor) } { "the supplier's evidence" }
                        }
                        "\n"
                    }
                }
                "\n"
            }
        }
        "\n"
    }
}

/// A supplier's total of one category and the passages behind it.
fn category(t: &CategoryView) -> Markup {
    html! {
        div class="cell" id=(t.anchor) {
            h4 { (t.category.title()) ": " (Text(&t.joined())) }
            ul class="findings" {
                "\n"
                @for line in &t.evidence {
                    @let f = line.finding;
                    li {
                        @for (i, m) in line.figures.iter().enumerate() {
                            @if i > 0 { ", " }
                            mark { (Text(m)) }
                        }
                        " " a href={ "#" (finding_anchor(&f.key)) } { (Text(&short(&f.text, LIST_CHARS))) }
                        " " span class="cite" { (Text(&f.citation())) }
                    }
                    "\n"
                }
            }
        }
        "\n"
    }
}

/// The kind of a finding: `<span class="badge commitment">commitment</span>`.
fn badge(f: &Finding) -> Markup {
    html! { span class={ "badge " (f.kind.as_str()) } { (kind_label(f.kind)) } }
}

fn dup_badge(f: &Finding) -> Markup {
    html! {
        @if let Some(g) = f.duplicate_group {
            " "
            a class="badge dup" href={ "#dup-" (g) }
                title="nearly the same words as another supplier's commitment" {
                "near-duplicate " (g)
            }
        }
    }
}

fn evidence(f: &Finding, links: &Links) -> Markup {
    html! {
        div class="ev" id=(finding_anchor(&f.key)) {
            p class="cite" {
                (badge(f)) " " (f.score) "/5 · " (Text(&f.principles.join(" "))) " · "
                (Text(&f.citation())) " · " code { (Text(&f.id)) }
                (dup_badge(f))
                @if let Links::Server { .. } = links {
                    " · " a href={ "/passage/" (url_encode(&f.id)) } { "evidence page" }
                }
            }
            p { (Text(&f.text)) }
        }
        "\n"
    }
}
