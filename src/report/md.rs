//! The Markdown report: the same sections as the HTML one, as tables and lists, with explicit
//! anchors so that every number links to the passages behind it.
//!
//! Supplier text is escaped twice over: HTML's `<`, `>` and `&` become entities (Markdown
//! viewers pass raw HTML through), and Markdown's own punctuation is backslash-escaped so a
//! quote cannot become a link, a heading or a table cell break.
//!
//! It formats the [`View`], as every format does.

use std::fmt::Write;

use super::model::{Category, Finding, Level, Report};
use super::view::{
    self, anchor_of, kind_label, short, CellLabel, CellView, SupplierView, View, NAME_CHARS,
};

/// Escape text for Markdown (inline, one line).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Longest text of a finding listed under a cell or a total, in characters.
const LIST_CHARS: usize = 120;

fn level_mark(l: Level) -> &'static str {
    match l {
        Level::Unanswered => "",
        Level::Mentioned => "○ ",
        Level::Vague => "◔ ",
        Level::Specific => "◑ ",
        Level::Smart => "● ",
    }
}

pub fn render(r: &Report) -> String {
    render_view(&View::new(r))
}

pub fn render_view(v: &View) -> String {
    let r = v.report;
    let mut o = String::with_capacity(64 * 1024 + r.findings.len() * 600);
    let p = &v.provenance;
    let _ = writeln!(o, "# Social value scorecard: {}\n", escape(&v.scope));
    let _ = writeln!(
        o,
        "Framework: {} ({}){}. {} suppliers, {} files{}, {} passages read, {} findings.  ",
        escape(p.framework_name),
        escape(p.framework_id),
        if p.reclassified {
            ", passages re-classified for this report"
        } else {
            ""
        },
        v.suppliers.len(),
        p.files,
        if p.files_not_read > 0 {
            format!(" read, {} not read", p.files_not_read)
        } else {
            String::new()
        },
        p.passages,
        p.findings
    );
    let _ = writeln!(
        o,
        "Rule set {}; extractor {}{}.\n",
        escape(&p.ruleset),
        escape(&p.extractor),
        p.last_run
            .map(|t| format!("; index as of {}", escape(t)))
            .unwrap_or_default()
    );
    heatmap(&mut o, v);
    summary(&mut o, v);
    totals(&mut o, v);
    unanswered(&mut o, v);
    not_read(&mut o, v);
    duplicates(&mut o, v);
    ledger(&mut o, v);
    let _ = writeln!(o, "## Suppliers\n");
    for s in &v.suppliers {
        supplier(&mut o, s);
    }
    let _ = writeln!(o, "## Evidence\n");
    for f in v.findings() {
        finding(&mut o, f);
    }
    o
}

fn heatmap(o: &mut String, v: &View) {
    let _ = writeln!(o, "## {}\n", view::HEATMAP);
    let _ = writeln!(
        o,
        "Each cell: commitments (best specificity of 5), or A/T: aspirations and track-record \
         claims only. ● SMART (4-5), ◑ specific (2-3), ◔ vague (0-1), ○ no commitment, – no \
         evidence.\n"
    );
    let _ = write!(o, "| Supplier |");
    for p in v.principles {
        let _ = write!(o, " {} |", escape(&p.id));
    }
    let _ = write!(o, "\n|---|");
    for _ in v.principles {
        let _ = write!(o, ":-:|");
    }
    o.push('\n');
    for s in &v.suppliers {
        let _ = write!(o, "| [{}](#{}) |", escape(s.name), s.anchor);
        for c in &s.cells {
            let text = match c.label {
                CellLabel::Unanswered => {
                    let _ = write!(o, " – |");
                    continue;
                }
                CellLabel::Mentioned { .. } => c.label.plain(),
                CellLabel::Committed { commitments, best } => {
                    format!("**{commitments}** ({best}/5)")
                }
            };
            let _ = write!(o, " [{}{text}](#{}) |", level_mark(c.level), c.anchor);
        }
        o.push('\n');
    }
    o.push('\n');
    for p in v.principles {
        let _ = writeln!(o, "- **{}**: {}", escape(&p.id), escape(&p.name));
    }
    o.push('\n');
}

fn summary(o: &mut String, v: &View) {
    let _ = writeln!(o, "## Summary\n");
    let [before, command, after] = view::COUNTS_DEFINITION;
    let _ = writeln!(o, "{before}`{command}`{after}\n");
    let _ = writeln!(
        o,
        "| Supplier | Files | All commitments | Commitments | Aspirations | Track record | Mean specificity | Unanswered | Near-duplicates |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|"
    );
    for s in &v.suppliers {
        let r = s.supplier;
        let _ = writeln!(
            o,
            "| [{}](#{}) | {} | {} | {} | {} | {} | {} | {} | {} |",
            escape(s.name),
            s.anchor,
            r.files.len(),
            r.classified.commitments,
            r.counts.commitments,
            r.counts.aspirations,
            r.counts.track_record,
            s.mean,
            s.unanswered.len(),
            r.flagged
        );
    }
    o.push('\n');
}

fn totals(o: &mut String, v: &View) {
    let _ = writeln!(o, "## Measure totals (commitments)\n");
    let _ = writeln!(
        o,
        "A figure stated in several passages counts once; each links to the passages behind it.\n"
    );
    let _ = write!(o, "| Supplier |");
    for c in Category::ALL {
        let _ = write!(o, " {} |", c.title());
    }
    let _ = writeln!(o, "\n|---|--:|--:|--:|--:|--:|");
    for s in &v.suppliers {
        let _ = write!(o, "| {} |", escape(s.name));
        for t in &s.totals {
            if t.values.is_empty() {
                let _ = write!(o, " – |");
            } else {
                let _ = write!(o, " [{}](#{}) |", escape(&t.joined()), t.anchor);
            }
        }
        o.push('\n');
    }
    o.push('\n');
}

fn unanswered(o: &mut String, v: &View) {
    let _ = writeln!(o, "## {}\n", view::UNANSWERED);
    for s in &v.suppliers {
        if s.unanswered.is_empty() {
            let _ = writeln!(o, "- {}: none", escape(s.name));
            continue;
        }
        let list: Vec<String> = s
            .unanswered
            .iter()
            .map(|(id, name)| format!("{} ({})", escape(id), escape(&short(name, NAME_CHARS))))
            .collect();
        // What of theirs was not read, since the answer may be there.
        let lost = if s.lost.is_empty() {
            String::new()
        } else {
            format!(
                " (not read, and may answer them: {})",
                escape(&s.lost.join(", "))
            )
        };
        let _ = writeln!(o, "- {}: {}{lost}", escape(s.name), list.join(", "));
    }
    o.push('\n');
}

fn not_read(o: &mut String, v: &View) {
    let _ = writeln!(o, "## {}\n", view::NOT_READ);
    if v.not_read.is_empty() {
        let _ = writeln!(o, "{}\n", view::ALL_READ);
        return;
    }
    let _ = writeln!(
        o,
        "{}\n\n| Supplier | File | Status | Reason |\n|---|---|---|---|",
        view::NOT_READ_NOTE
    );
    for n in v.not_read {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            escape(&n.supplier),
            escape(&n.citation()),
            n.status.label(),
            escape(&n.reason)
        );
    }
    o.push('\n');
}

fn duplicates(o: &mut String, v: &View) {
    let _ = writeln!(o, "## {}\n", view::DUPLICATES);
    if v.duplicates.is_empty() {
        let _ = writeln!(o, "{}\n", view::NO_DUPLICATES);
    }
    for d in &v.duplicates {
        let g = d.group;
        let _ = writeln!(
            o,
            "### Group {}: {} passages of {} suppliers (similarity ≥ {:.2})\n",
            g.id,
            g.members.len(),
            g.suppliers.len(),
            g.similarity
        );
        if let Some(f) = d.members.first() {
            let _ = writeln!(o, "> “{}”\n", escape(&f.text));
        }
        for f in &d.members {
            let _ = writeln!(
                o,
                "- {}: [{}](#{})",
                escape(&f.supplier),
                escape(&f.citation()),
                anchor_of(f)
            );
        }
        o.push('\n');
    }
}

fn ledger(o: &mut String, v: &View) {
    let Some(as_of) = &v.ledger_as_of else {
        return;
    };
    let _ = writeln!(o, "## {}\n", super::ledger::HEADING);
    let _ = writeln!(o, "{} {}.\n", super::ledger::NOTE, escape(as_of));
    o.push_str("| Supplier | Status | Target | Expected | To date | Per period | Over time | Commitment or figure | Evidence |\n");
    o.push_str("|---|---|---|---:|---:|---|---|---|---|\n");
    for l in &v.ledger {
        let mut evidence: Vec<String> = l.evidence.iter().map(|e| escape(e)).collect();
        evidence.extend(
            l.corrected
                .iter()
                .map(|c| format!("corrected: {}", escape(c))),
        );
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            escape(l.supplier),
            escape(l.status),
            escape(&l.target),
            l.expected,
            l.to_date,
            escape(&l.per_period),
            escape(&l.over_time()),
            escape(l.text),
            evidence.join("<br>")
        );
    }
    o.push('\n');
}

fn supplier(o: &mut String, s: &SupplierView) {
    let _ = writeln!(o, "<a id=\"{}\"></a>\n\n### {}\n", s.anchor, escape(s.name));
    for f in &s.supplier.files {
        let _ = writeln!(
            o,
            "- {} ({} pages, sha256 {})",
            escape(&f.name),
            f.pages,
            escape(&f.sha256)
        );
    }
    o.push('\n');
    if !s.supplier.not_read.is_empty() {
        let _ = writeln!(o, "{}:\n", view::NOT_READ);
        for n in &s.supplier.not_read {
            let _ = writeln!(
                o,
                "- {}: {}: {}",
                escape(&n.citation()),
                n.status.label(),
                escape(&n.reason)
            );
        }
        o.push('\n');
    }
    for c in s.cells.iter().filter(|c| c.level != Level::Unanswered) {
        cell(o, c);
    }
    for t in s.totals.iter().filter(|t| !t.values.is_empty()) {
        let _ = writeln!(
            o,
            "<a id=\"{}\"></a>\n\n#### {}: {}\n",
            t.anchor,
            t.category.title(),
            escape(&t.joined())
        );
        for line in &t.evidence {
            let f = line.finding;
            let _ = writeln!(
                o,
                "- {}: [{}](#{}) ({})",
                escape(&line.figures.join(", ")),
                escape(&short(&f.text, LIST_CHARS)),
                anchor_of(f),
                escape(&f.citation())
            );
        }
        o.push('\n');
    }
}

fn cell(o: &mut String, c: &CellView) {
    let _ = writeln!(
        o,
        "<a id=\"{}\"></a>\n\n#### {}: {}\n",
        c.anchor,
        escape(c.principle),
        escape(c.principle_name)
    );
    let _ = writeln!(o, "{}; best specificity {}.", c.counts, c.best_score);
    if !c.totals.is_empty() {
        let t: Vec<String> = c.totals.iter().map(|(t, _)| escape(t)).collect();
        let _ = writeln!(o, "Totals: {}.", t.join(", "));
    }
    o.push('\n');
    if let Some(best) = c.best {
        let _ = writeln!(
            o,
            "> “{}”\n>\n> — {}, {} {}/5 ([evidence](#{}))\n",
            escape(&best.text),
            escape(&best.citation()),
            kind_label(best.kind),
            best.score,
            anchor_of(best)
        );
    }
    for f in &c.listed {
        let _ = writeln!(
            o,
            "- {} {}/5: [{}](#{}) ({})",
            kind_label(f.kind),
            f.score,
            escape(&short(&f.text, LIST_CHARS)),
            anchor_of(f),
            escape(&f.citation())
        );
    }
    if c.more > 0 {
        let _ = writeln!(o, "- and {} more in the evidence list", c.more);
    }
    o.push('\n');
}

fn finding(o: &mut String, f: &Finding) {
    let _ = writeln!(
        o,
        "- <a id=\"{}\"></a>**{}**, {}, p. {}: {} {}/5, {}{}: “{}” (passage {}, sha256 {})",
        anchor_of(f),
        escape(&f.supplier),
        escape(&f.file),
        f.page,
        kind_label(f.kind),
        f.score,
        escape(&f.principles.join(" ")),
        f.duplicate_group
            .map(|g| format!(", near-duplicate group {g}"))
            .unwrap_or_default(),
        escape(&f.text),
        escape(&f.id),
        escape(&f.sha256)
    );
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn supplier_text_cannot_become_markup() {
        let e = escape("<script>alert(1)</script> [x](http://e) | # *a*");
        assert!(!e.contains('<'));
        assert!(e.contains("\\[x\\](http://e)"), "{e}");
        assert!(e.contains("\\|"));
        assert!(e.contains("&lt;script&gt;"));
    }
}
