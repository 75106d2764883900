//! The HTML report: one self-contained file (inline CSS, no script, no external asset, no
//! network) that opens in any browser and prints cleanly.
//!
//! Sections: an overview, the supplier-by-principle heatmap (colour by how strongly the
//! supplier answers, with a legend; each cell links to its evidence), measure totals (each
//! number links to the passages behind it), unanswered principles, near-duplicate commitments,
//! one section per supplier with the best evidence per principle and its citation, and the
//! evidence list: every finding once, with its anchor. Every string from the index is escaped.
//!
//! The web server shows the same page; there ([`Links::Server`]) each finding also links to
//! its evidence page, and the page uses the server's navigation.

use std::collections::HashMap;
use std::fmt::Write;

use crate::search::escape_html as esc;

use super::model::{Category, Cell, Finding, Level, NotRead, Report, SupplierReport, Total};
use super::numbers::{self, cell_anchor, finding_anchor, supplier_anchor, total_anchor};

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
@media (max-width:760px){.layout{grid-template-columns:1fr}main{padding:18px}.key{columns:1}}
@media print{header.top{display:none}main{max-width:none;padding:0}a{color:inherit}.scroll{overflow:visible;border:none}section.supplier{break-before:page}}
"#;

/// Findings listed under a cell besides the best one; the rest are in the evidence list.
pub const CELL_LIST: usize = 5;

fn short(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "commitment" => "commitment",
        "aspiration" => "aspiration",
        "track_record" => "track record",
        _ => "none",
    }
}

/// Percent-encode a URL path segment or query value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The page head and opening of the body.
pub fn page_start(o: &mut String, title: &str, nav: Option<&str>) {
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(title)
    );
    if let Some(nav) = nav {
        o.push_str(nav);
    }
    o.push_str("<main>\n");
}

pub fn page_end(o: &mut String) {
    o.push_str("</main>\n</body>\n</html>\n");
}

fn cell_body(c: &Cell) -> String {
    match c.level {
        Level::Unanswered => "–".into(),
        Level::Mentioned => format!(
            "<small>A {} · T {}</small>",
            c.counts.aspirations, c.counts.track_record
        ),
        _ => format!(
            "<b>{}</b><small>best {}/5</small>",
            c.counts.commitments,
            c.best_score.unwrap_or(0)
        ),
    }
}

fn cell_title(r: &Report, c: &Cell) -> String {
    format!(
        "{}: {} commitments, {} aspirations, {} track record{}",
        r.principle_name(&c.principle),
        c.counts.commitments,
        c.counts.aspirations,
        c.counts.track_record,
        c.best_score
            .map(|b| format!("; best specificity {b}/5"))
            .unwrap_or_default()
    )
}

/// Render the report as one HTML page.
pub fn render(r: &Report, links: &Links) -> String {
    let mut o = String::with_capacity(96 * 1024 + r.findings.len() * 900);
    let map = r.finding_map();
    let title = if r.tenders.is_empty() {
        "Social value scorecard".to_string()
    } else {
        format!("Social value scorecard: {}", r.tenders.join(", "))
    };
    let nav = match links {
        Links::InFile => None,
        Links::Server { nav } => Some(nav.as_str()),
    };
    page_start(&mut o, &title, nav);
    let _ = writeln!(o, "<h1>{}</h1>", esc(&title));
    let _ = writeln!(
        o,
        "<p class=\"meta\">Framework: {} (<code>{}</code>){}. Rule set <code>{}</code>, extractor <code>{}</code>{}.</p>",
        esc(&r.framework.name),
        esc(&r.framework.id),
        if r.framework.reclassified {
            "; passages re-classified with this framework for the report"
        } else {
            ""
        },
        esc(&r.provenance.ruleset_versions.join(", ")),
        esc(&r.provenance.extractor_versions.join(", ")),
        r.provenance
            .last_run
            .as_deref()
            .map(|t| format!("; index as of {}", esc(t)))
            .unwrap_or_default()
    );
    overview(&mut o, r);
    heatmap(&mut o, r);
    totals_table(&mut o, r);
    unanswered(&mut o, r);
    not_read(&mut o, r);
    duplicates(&mut o, r, &map);
    let _ = writeln!(o, "<h2 id=\"suppliers\">Suppliers</h2>");
    for (si, s) in r.suppliers.iter().enumerate() {
        supplier(&mut o, r, si, s, &map);
    }
    let _ = writeln!(
        o,
        "<h2 id=\"evidence\">Evidence</h2>\n<p class=\"muted\">Every passage that evidences a principle (and every commitment with a figure that the totals count), once, by supplier in file order. Numbers above link here.</p>"
    );
    let mut at = 0;
    for (si, s) in r.suppliers.iter().enumerate() {
        let _ = writeln!(
            o,
            "<h3 id=\"{}-evidence\">{}</h3>",
            supplier_anchor(si),
            esc(&s.name)
        );
        while let Some(f) = r.findings.get(at).filter(|f| f.supplier == s.name) {
            evidence(&mut o, f, links);
            at += 1;
        }
    }
    // Findings are sorted by supplier as the suppliers are; anything left is listed too.
    for f in r.findings.iter().skip(at) {
        evidence(&mut o, f, links);
    }
    page_end(&mut o);
    o
}

fn overview(o: &mut String, r: &Report) {
    let commitments: u32 = r.suppliers.iter().map(|s| s.counts.commitments).sum();
    let flagged: u32 = r.suppliers.iter().map(|s| s.flagged).sum();
    let _ = writeln!(o, "<div class=\"cards\">");
    for (n, label, href) in [
        (r.suppliers.len() as u64, "suppliers", "#summary"),
        (r.provenance.files, "files read", "#summary"),
        (r.provenance.files_not_read, "files not read", "#not-read"),
        (r.provenance.passages, "passages read", "#evidence"),
        (u64::from(commitments), "commitments", "#summary"),
        (flagged as u64, "near-duplicates", "#duplicates"),
    ] {
        let _ = writeln!(
            o,
            "<div class=\"card\"><b><a href=\"{href}\">{}</a></b><span>{label}</span></div>",
            numbers::number(n as f64)
        );
    }
    let _ = writeln!(o, "</div>");
}

fn heatmap(o: &mut String, r: &Report) {
    let _ = writeln!(
        o,
        "<h2 id=\"heatmap\">Supplier by principle</h2>\n<p class=\"muted\">Each cell counts the supplier's commitments to the principle and the specificity of the best one (0-5: measurable, time-bound, local, named beneficiaries, contract-specific). A/T: aspirations and track-record claims only. Click a cell for its evidence.</p>"
    );
    legend(o);
    let _ = writeln!(
        o,
        "<div class=\"scroll\"><table class=\"heat\"><thead><tr><th class=\"sup\">Supplier</th>"
    );
    for p in &r.principles {
        let _ = write!(o, "<th title=\"{}\">{}</th>", esc(&p.name), esc(&p.id));
    }
    let _ = writeln!(o, "</tr></thead><tbody>");
    for (si, s) in r.suppliers.iter().enumerate() {
        let _ = write!(
            o,
            "<tr><td class=\"sup\"><a href=\"#{}\">{}</a></td>",
            supplier_anchor(si),
            esc(&s.name)
        );
        for c in &s.cells {
            if c.level == Level::Unanswered {
                let _ = write!(
                    o,
                    "<td class=\"l-unanswered\" title=\"{}: no evidence\">–</td>",
                    esc(r.principle_name(&c.principle))
                );
            } else {
                let _ = write!(
                    o,
                    "<td class=\"l-{}\" title=\"{}\"><a href=\"#{}\">{}</a></td>",
                    c.level.as_str(),
                    esc(&cell_title(r, c)),
                    cell_anchor(si, &c.principle),
                    cell_body(c)
                );
            }
        }
        let _ = writeln!(o, "</tr>");
    }
    let _ = writeln!(o, "</tbody></table></div>\n<ul class=\"key\">");
    for p in &r.principles {
        let _ = writeln!(o, "<li><b>{}</b> {}</li>", esc(&p.id), esc(&p.name));
    }
    let _ = writeln!(o, "</ul>");
}

fn legend(o: &mut String) {
    let _ = write!(o, "<div class=\"legend\"><b>Key</b>");
    for l in Level::ALL.iter().rev() {
        let _ = write!(
            o,
            "<span><i class=\"l-{}\"></i>{}</span>",
            l.as_str(),
            l.describe()
        );
    }
    let _ = writeln!(o, "</div>");
}

fn totals_cell(o: &mut String, ts: &[&Total], href: &str) {
    if ts.is_empty() {
        let _ = write!(o, "<td class=\"num muted\">–</td>");
    } else {
        let text: Vec<String> = ts.iter().map(|t| esc(&numbers::total(t))).collect();
        let _ = write!(
            o,
            "<td class=\"num\"><a href=\"#{href}\">{}</a></td>",
            text.join(" + ")
        );
    }
}

fn totals_table(o: &mut String, r: &Report) {
    let _ = writeln!(
        o,
        "<h2 id=\"summary\">Summary and measure totals</h2>\n<p class=\"muted\">All commitments: passages classified as commitments, as <code>ingest</code> counts them. The other counts are of passages that evidence a principle (mapped to at least one), as the cells count them. Totals add up the figures of the supplier's commitments; a figure repeated in several passages counts once. Local spend: money in passages about the local supply chain; carbon: tonnes in passages about carbon reduction.</p>\n<div class=\"scroll\"><table class=\"grid\"><thead><tr><th>Supplier</th><th class=\"num\">Files</th><th class=\"num\">All commit&shy;ments</th><th class=\"num\">Commit&shy;ments</th><th class=\"num\">Aspira&shy;tions</th><th class=\"num\">Track record</th><th class=\"num\">Mean spec.</th><th class=\"num\">Unans&shy;wered</th>"
    );
    for c in Category::ALL {
        let _ = write!(o, "<th class=\"num\">{}</th>", c.title());
    }
    let _ = writeln!(o, "<th class=\"num\">Near-dup.</th></tr></thead><tbody>");
    for (si, s) in r.suppliers.iter().enumerate() {
        let sa = supplier_anchor(si);
        let _ = write!(
            o,
            "<tr><td><a href=\"#{sa}\">{}</a></td><td class=\"num\"><a href=\"#{sa}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\"><a href=\"#{sa}-evidence\">{}</a></td><td class=\"num\"><a href=\"#{sa}-evidence\">{}</a></td><td class=\"num\"><a href=\"#{sa}-evidence\">{}</a></td><td class=\"num\"><a href=\"#{sa}-evidence\">{}</a></td><td class=\"num\"><a href=\"#unanswered\">{}</a></td>",
            esc(&s.name),
            s.files.len(),
            s.classified.commitments,
            s.counts.commitments,
            s.counts.aspirations,
            s.counts.track_record,
            s.mean_commitment_score
                .map(|m| format!("{m:.2}"))
                .unwrap_or_else(|| "–".into()),
            s.unanswered.len()
        );
        for c in Category::ALL {
            totals_cell(o, &numbers::totals_of(&s.totals, c), &total_anchor(si, c));
        }
        if s.flagged > 0 {
            let _ = writeln!(
                o,
                "<td class=\"num\"><a href=\"#duplicates\">{}</a></td></tr>",
                s.flagged
            );
        } else {
            let _ = writeln!(o, "<td class=\"num muted\">0</td></tr>");
        }
    }
    let _ = writeln!(o, "</tbody></table></div>");
}

fn unanswered(o: &mut String, r: &Report) {
    let _ = writeln!(
        o,
        "<h2 id=\"unanswered\">Unanswered principles</h2>\n<table class=\"grid\"><thead><tr><th>Supplier</th><th>Principles with no evidence</th></tr></thead><tbody>"
    );
    for (si, s) in r.suppliers.iter().enumerate() {
        let list = if s.unanswered.is_empty() {
            "<span class=\"muted\">none</span>".to_string()
        } else {
            s.unanswered
                .iter()
                .map(|p| {
                    format!(
                        "<span class=\"badge\" title=\"{}\">{}</span>",
                        esc(r.principle_name(p)),
                        esc(p)
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let _ = writeln!(
            o,
            "<tr><td><a href=\"#{}\">{}</a></td><td>{list}{}</td></tr>",
            supplier_anchor(si),
            esc(&s.name),
            missing_note(s)
        );
    }
    let _ = writeln!(o, "</tbody></table>");
}

/// Beside a supplier's unanswered principles: what of theirs was not read, since the answer
/// may be there.
fn missing_note(s: &SupplierReport) -> String {
    let lost: Vec<String> = s
        .not_read
        .iter()
        .filter(|n| n.loses_evidence())
        .map(|n| esc(&n.citation()))
        .collect();
    if lost.is_empty() {
        String::new()
    } else {
        format!(
            " <a class=\"warn\" href=\"#not-read\">not read, and may answer them: {}</a>",
            lost.join(", ")
        )
    }
}

/// Every file (or page) under the batch roots that was not read, by supplier, with the reason.
fn not_read(o: &mut String, r: &Report) {
    let _ = writeln!(o, "<h2 id=\"not-read\">Files not read</h2>");
    if r.not_read.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"muted\">Every file under the batch roots was read.</p>"
        );
        return;
    }
    let _ = writeln!(
        o,
        "<p class=\"muted\">Evidence in these is missing from the scorecard.</p>\n<table class=\"grid\"><thead><tr><th>Supplier</th><th>File</th><th>Status</th><th>Reason</th></tr></thead><tbody>"
    );
    for n in &r.not_read {
        not_read_row(o, n, true);
    }
    let _ = writeln!(o, "</tbody></table>");
}

fn not_read_row(o: &mut String, n: &NotRead, with_supplier: bool) {
    let who = if with_supplier {
        format!("<td>{}</td>", esc(&n.supplier))
    } else {
        String::new()
    };
    let _ = writeln!(
        o,
        "<tr>{who}<td title=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
        esc(&n.origin),
        esc(&n.citation()),
        n.status.label(),
        esc(&n.reason)
    );
}

fn duplicates(o: &mut String, r: &Report, map: &HashMap<&str, &Finding>) {
    let _ = writeln!(
        o,
        "<h2 id=\"duplicates\">Near-duplicate commitments across suppliers</h2>\n<p class=\"muted\">Commitments of competing suppliers whose words are nearly the same (three-word shingles, numbers ignored, Jaccard similarity at least {:.2}): a sign of template text.</p>",
        super::similar::THRESHOLD
    );
    if r.duplicates.is_empty() {
        let _ = writeln!(o, "<p>None found.</p>");
    }
    for g in &r.duplicates {
        let _ = writeln!(
            o,
            "<div class=\"dupgroup\" id=\"dup-{}\"><h4>Group {}: {} passages of {} suppliers, similarity at least {:.2}</h4>",
            g.id,
            g.id,
            g.members.len(),
            g.suppliers.len(),
            g.similarity
        );
        // The text once (the first member's); then who wrote it where.
        if let Some(f) = g.members.first().and_then(|k| map.get(k.as_str())) {
            let _ = writeln!(
                o,
                "<blockquote class=\"mentioned\">{}</blockquote>",
                esc(&f.text)
            );
        }
        let _ = write!(o, "<p class=\"cite\">");
        let mut first = true;
        for key in &g.members {
            if let Some(f) = map.get(key.as_str()) {
                let _ = write!(
                    o,
                    "{}<b>{}</b> <a href=\"#{}\">{}</a>",
                    if first { "" } else { " · " },
                    esc(&f.supplier),
                    finding_anchor(&f.key),
                    esc(&f.citation())
                );
                first = false;
            }
        }
        let _ = writeln!(o, "</p></div>");
    }
}

fn supplier(
    o: &mut String,
    r: &Report,
    si: usize,
    s: &SupplierReport,
    map: &HashMap<&str, &Finding>,
) {
    let _ = writeln!(
        o,
        "<section class=\"supplier\" id=\"{}\"><h3>{}</h3>",
        supplier_anchor(si),
        esc(&s.name)
    );
    let _ = writeln!(
        o,
        "<p class=\"muted\">{} commitments, {} aspirations, {} track-record claims{}. Unanswered: {}.</p>",
        s.counts.commitments,
        s.counts.aspirations,
        s.counts.track_record,
        s.mean_commitment_score
            .map(|m| format!("; mean specificity of commitments {m:.2}/5"))
            .unwrap_or_default(),
        if s.unanswered.is_empty() {
            "none".to_string()
        } else {
            esc(&s.unanswered.join(", "))
        }
    );
    let _ = writeln!(
        o,
        "<table class=\"grid\"><thead><tr><th>File</th><th class=\"num\">Pages</th><th>SHA-256</th></tr></thead><tbody>"
    );
    for f in &s.files {
        let _ = writeln!(
            o,
            "<tr><td title=\"{}\">{}</td><td class=\"num\">{}</td><td><code>{}</code></td></tr>",
            esc(&f.origin),
            esc(&f.name),
            f.pages,
            esc(&f.sha256)
        );
    }
    let _ = writeln!(o, "</tbody></table>");
    if !s.not_read.is_empty() {
        let _ = writeln!(
            o,
            "<h4>Files not read</h4>\n<table class=\"grid\"><thead><tr><th>File</th><th>Status</th><th>Reason</th></tr></thead><tbody>"
        );
        for n in &s.not_read {
            not_read_row(o, n, false);
        }
        let _ = writeln!(o, "</tbody></table>");
    }
    for c in &s.cells {
        if c.level == Level::Unanswered {
            continue;
        }
        let _ = writeln!(
            o,
            "<div class=\"cell\" id=\"{}\"><h4><span class=\"badge l-{}\">{}</span> {}</h4>",
            cell_anchor(si, &c.principle),
            c.level.as_str(),
            esc(&c.principle),
            esc(r.principle_name(&c.principle))
        );
        let totals = if c.totals.is_empty() {
            String::new()
        } else {
            let t: Vec<String> = c
                .totals
                .iter()
                .map(|t| {
                    format!(
                        "<a href=\"#{}\">{}</a>",
                        total_anchor(si, t.category),
                        esc(&numbers::total(t))
                    )
                })
                .collect();
            format!(" Totals: {}.", t.join(", "))
        };
        let _ = writeln!(
            o,
            "<p class=\"muted\">{} commitments, {} aspirations, {} track record; best specificity {}.{totals}</p>",
            c.counts.commitments,
            c.counts.aspirations,
            c.counts.track_record,
            c.best_score
                .map(|b| format!("{b}/5"))
                .unwrap_or_else(|| "–".into()),
        );
        if let Some(best) = c.best.as_deref().and_then(|k| map.get(k)) {
            let class = if best.kind == crate::classify::StatementKind::Commitment {
                ""
            } else {
                " class=\"mentioned\""
            };
            let _ = writeln!(
                o,
                "<blockquote{class}>{}</blockquote><p class=\"cite\"><span class=\"badge {}\">{}</span> specificity {}/5 · {} · <a href=\"#{}\">passage {}</a>{}</p>",
                esc(&best.text),
                best.kind.as_str(),
                kind_label(best.kind.as_str()),
                best.score,
                esc(&best.citation()),
                finding_anchor(&best.key),
                esc(&best.id),
                dup_badge(best)
            );
        }
        if c.findings.len() > 1 {
            let _ = writeln!(o, "<ul class=\"findings\">");
            for key in c.findings.iter().skip(1).take(CELL_LIST) {
                if let Some(f) = map.get(key.as_str()) {
                    let _ = writeln!(
                        o,
                        "<li><span class=\"badge {}\">{}</span> {}/5 <a href=\"#{}\">{}</a> <span class=\"cite\">{}</span>{}</li>",
                        f.kind.as_str(),
                        kind_label(f.kind.as_str()),
                        f.score,
                        finding_anchor(&f.key),
                        esc(&short(&f.text, 150)),
                        esc(&f.citation()),
                        dup_badge(f)
                    );
                }
            }
            let more = c.findings.len().saturating_sub(1 + CELL_LIST);
            if more > 0 {
                let _ = writeln!(
                    o,
                    "<li class=\"muted\">and {more} more in <a href=\"#{}-evidence\">the supplier's evidence</a></li>",
                    supplier_anchor(si)
                );
            }
            let _ = writeln!(o, "</ul>");
        }
        let _ = writeln!(o, "</div>");
    }
    for cat in Category::ALL {
        let ts = numbers::totals_of(&s.totals, cat);
        if ts.is_empty() {
            continue;
        }
        let text: Vec<String> = ts.iter().map(|t| esc(&numbers::total(t))).collect();
        let _ = writeln!(
            o,
            "<div class=\"cell\" id=\"{}\"><h4>{}: {}</h4><ul class=\"findings\">",
            total_anchor(si, cat),
            cat.title(),
            text.join(" + ")
        );
        for t in ts {
            for key in &t.evidence {
                let Some(f) = map.get(key.as_str()) else {
                    continue;
                };
                let figures: Vec<String> = f
                    .measures
                    .iter()
                    .filter(|m| {
                        matches!(super::totals::categorise(m, &f.themes),
                            Some((c, u)) if c == cat && u == t.unit)
                            && super::totals::counts(m, cat, &f.text)
                    })
                    .map(|m| format!("<mark>{}</mark>", esc(&m.text)))
                    .collect();
                let _ = writeln!(
                    o,
                    "<li>{} <a href=\"#{}\">{}</a> <span class=\"cite\">{}</span></li>",
                    figures.join(", "),
                    finding_anchor(&f.key),
                    esc(&short(&f.text, 150)),
                    esc(&f.citation())
                );
            }
        }
        let _ = writeln!(o, "</ul></div>");
    }
    let _ = writeln!(o, "</section>");
}

fn dup_badge(f: &Finding) -> String {
    match f.duplicate_group {
        Some(g) => format!(
            " <a class=\"badge dup\" href=\"#dup-{g}\" title=\"nearly the same words as another supplier's commitment\">near-duplicate {g}</a>"
        ),
        None => String::new(),
    }
}

fn evidence(o: &mut String, f: &Finding, links: &Links) {
    let open = match links {
        Links::InFile => String::new(),
        Links::Server { .. } => format!(
            " · <a href=\"/passage/{}\">evidence page</a>",
            url_encode(&f.id)
        ),
    };
    let _ = writeln!(
        o,
        "<div class=\"ev\" id=\"{}\"><p class=\"cite\"><span class=\"badge {}\">{}</span> {}/5 · {} · {} · <code>{}</code>{}{open}</p><p>{}</p></div>",
        finding_anchor(&f.key),
        f.kind.as_str(),
        kind_label(f.kind.as_str()),
        f.score,
        esc(&f.principles.join(" ")),
        esc(&f.citation()),
        esc(&f.id),
        dup_badge(f),
        esc(&f.text),
    );
}
