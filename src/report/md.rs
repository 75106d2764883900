//! The Markdown report: the same sections as the HTML one, as tables and lists, with explicit
//! anchors so that every number links to the passages behind it.
//!
//! Supplier text is escaped twice over: HTML's `<`, `>` and `&` become entities (Markdown
//! viewers pass raw HTML through), and Markdown's own punctuation is backslash-escaped so a
//! quote cannot become a link, a heading or a table cell break.

use std::fmt::Write;

use super::model::{Category, Cell, Finding, Level, Report, SupplierReport};
use super::numbers::{self, cell_anchor, finding_anchor, supplier_anchor, total_anchor};

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

fn short(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

fn cell_text(c: &Cell) -> String {
    match c.level {
        Level::Unanswered => "–".into(),
        Level::Mentioned => format!("A{} T{}", c.counts.aspirations, c.counts.track_record),
        _ => format!(
            "**{}** ({}/5)",
            c.counts.commitments,
            c.best_score.unwrap_or(0)
        ),
    }
}

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
    let mut o = String::with_capacity(64 * 1024 + r.findings.len() * 600);
    let map = r.finding_map();
    let title = if r.tenders.is_empty() {
        "all tenders".to_string()
    } else {
        r.tenders.join(", ")
    };
    let _ = writeln!(o, "# Social value scorecard: {}\n", escape(&title));
    let _ = writeln!(
        o,
        "Framework: {} ({}){}. {} suppliers, {} files{}, {} passages read, {} findings.  ",
        escape(&r.framework.name),
        escape(&r.framework.id),
        if r.framework.reclassified {
            ", passages re-classified for this report"
        } else {
            ""
        },
        r.suppliers.len(),
        r.provenance.files,
        if r.provenance.files_not_read > 0 {
            format!(" read, {} not read", r.provenance.files_not_read)
        } else {
            String::new()
        },
        r.provenance.passages,
        r.findings.len()
    );
    let _ = writeln!(
        o,
        "Rule set {}; extractor {}{}.\n",
        escape(&r.provenance.ruleset_versions.join(", ")),
        escape(&r.provenance.extractor_versions.join(", ")),
        r.provenance
            .last_run
            .as_deref()
            .map(|t| format!("; index as of {}", escape(t)))
            .unwrap_or_default()
    );

    // Heatmap.
    let _ = writeln!(o, "## Supplier by principle\n");
    let _ = writeln!(
        o,
        "Each cell: commitments (best specificity of 5), or A/T: aspirations and track-record \
         claims only. ● SMART (4-5), ◑ specific (2-3), ◔ vague (0-1), ○ no commitment, – no \
         evidence.\n"
    );
    let _ = write!(o, "| Supplier |");
    for p in &r.principles {
        let _ = write!(o, " {} |", escape(&p.id));
    }
    let _ = write!(o, "\n|---|");
    for _ in &r.principles {
        let _ = write!(o, ":-:|");
    }
    o.push('\n');
    for (si, s) in r.suppliers.iter().enumerate() {
        let _ = write!(o, "| [{}](#{}) |", escape(&s.name), supplier_anchor(si));
        for c in &s.cells {
            if c.level == Level::Unanswered {
                let _ = write!(o, " – |");
            } else {
                let _ = write!(
                    o,
                    " [{}{}](#{}) |",
                    level_mark(c.level),
                    cell_text(c),
                    cell_anchor(si, &c.principle)
                );
            }
        }
        o.push('\n');
    }
    o.push('\n');
    for p in &r.principles {
        let _ = writeln!(o, "- **{}**: {}", escape(&p.id), escape(&p.name));
    }
    o.push('\n');

    // Summary.
    let _ = writeln!(o, "## Summary\n");
    let _ = writeln!(
        o,
        "All commitments: passages classified as commitments, as `ingest` counts them. The other \
         counts are of passages that evidence a principle (mapped to at least one), as the cells \
         count them.\n"
    );
    let _ = writeln!(
        o,
        "| Supplier | Files | All commitments | Commitments | Aspirations | Track record | Mean specificity | Unanswered | Near-duplicates |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|"
    );
    for (si, s) in r.suppliers.iter().enumerate() {
        let _ = writeln!(
            o,
            "| [{}](#{}) | {} | {} | {} | {} | {} | {} | {} | {} |",
            escape(&s.name),
            supplier_anchor(si),
            s.files.len(),
            s.classified.commitments,
            s.counts.commitments,
            s.counts.aspirations,
            s.counts.track_record,
            s.mean_commitment_score
                .map(|m| format!("{m:.2}"))
                .unwrap_or_else(|| "–".into()),
            s.unanswered.len(),
            s.flagged
        );
    }
    o.push('\n');

    // Totals.
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
    for (si, s) in r.suppliers.iter().enumerate() {
        let _ = write!(o, "| {} |", escape(&s.name));
        for c in Category::ALL {
            let ts = numbers::totals_of(&s.totals, c);
            if ts.is_empty() {
                let _ = write!(o, " – |");
            } else {
                let text: Vec<String> = ts.iter().map(|t| escape(&numbers::total(t))).collect();
                let _ = write!(o, " [{}](#{}) |", text.join(" + "), total_anchor(si, c));
            }
        }
        o.push('\n');
    }
    o.push('\n');

    // Unanswered.
    let _ = writeln!(o, "## Unanswered principles\n");
    for s in &r.suppliers {
        if s.unanswered.is_empty() {
            let _ = writeln!(o, "- {}: none", escape(&s.name));
        } else {
            let list: Vec<String> = s
                .unanswered
                .iter()
                .map(|p| {
                    format!(
                        "{} ({})",
                        escape(p),
                        escape(&short(r.principle_name(p), 60))
                    )
                })
                .collect();
            let _ = writeln!(
                o,
                "- {}: {}{}",
                escape(&s.name),
                list.join(", "),
                missing_note(s)
            );
        }
    }
    o.push('\n');

    // Files not read.
    let _ = writeln!(
        o,
        "## Files not read
"
    );
    if r.not_read.is_empty() {
        let _ = writeln!(o, "Every file under the batch roots was read.\n");
    } else {
        let _ = writeln!(
            o,
            "Evidence in these is missing from the scorecard.\n\n| Supplier | File | Status | Reason |\n|---|---|---|---|"
        );
        for n in &r.not_read {
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

    // Duplicates.
    let _ = writeln!(o, "## Near-duplicate commitments across suppliers\n");
    if r.duplicates.is_empty() {
        let _ = writeln!(o, "None found.\n");
    }
    for g in &r.duplicates {
        let _ = writeln!(
            o,
            "### Group {}: {} passages of {} suppliers (similarity ≥ {:.2})\n",
            g.id,
            g.members.len(),
            g.suppliers.len(),
            g.similarity
        );
        if let Some(f) = g.members.first().and_then(|k| map.get(k.as_str())) {
            let _ = writeln!(o, "> “{}”\n", escape(&f.text));
        }
        for key in &g.members {
            if let Some(f) = map.get(key.as_str()) {
                let _ = writeln!(
                    o,
                    "- {}: [{}](#{})",
                    escape(&f.supplier),
                    escape(&f.citation()),
                    finding_anchor(&f.key)
                );
            }
        }
        o.push('\n');
    }

    // Suppliers.
    let _ = writeln!(o, "## Suppliers\n");
    for (si, s) in r.suppliers.iter().enumerate() {
        supplier(&mut o, r, si, s, &map);
    }

    // Evidence.
    let _ = writeln!(o, "## Evidence\n");
    for f in &r.findings {
        finding(&mut o, f);
    }
    o
}

/// After a supplier's unanswered principles: what of theirs was not read, since the answer
/// may be there.
fn missing_note(s: &SupplierReport) -> String {
    let lost: Vec<String> = s
        .not_read
        .iter()
        .filter(|n| n.loses_evidence())
        .map(|n| escape(&n.citation()))
        .collect();
    if lost.is_empty() {
        String::new()
    } else {
        format!(" (not read, and may answer them: {})", lost.join(", "))
    }
}

fn supplier(
    o: &mut String,
    r: &Report,
    si: usize,
    s: &SupplierReport,
    map: &std::collections::HashMap<&str, &Finding>,
) {
    let _ = writeln!(
        o,
        "<a id=\"{}\"></a>\n\n### {}\n",
        supplier_anchor(si),
        escape(&s.name)
    );
    for f in &s.files {
        let _ = writeln!(
            o,
            "- {} ({} pages, sha256 {})",
            escape(&f.name),
            f.pages,
            escape(&f.sha256)
        );
    }
    o.push('\n');
    if !s.not_read.is_empty() {
        let _ = writeln!(o, "Files not read:\n");
        for n in &s.not_read {
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
    for c in &s.cells {
        if c.level == Level::Unanswered {
            continue;
        }
        let _ = writeln!(
            o,
            "<a id=\"{}\"></a>\n\n#### {}: {}\n",
            cell_anchor(si, &c.principle),
            escape(&c.principle),
            escape(r.principle_name(&c.principle))
        );
        let _ = writeln!(
            o,
            "{} commitments, {} aspirations, {} track record; best specificity {}.",
            c.counts.commitments,
            c.counts.aspirations,
            c.counts.track_record,
            c.best_score
                .map(|b| format!("{b}/5"))
                .unwrap_or_else(|| "–".into())
        );
        if !c.totals.is_empty() {
            let t: Vec<String> = c
                .totals
                .iter()
                .map(|t| escape(&numbers::total(t)))
                .collect();
            let _ = writeln!(o, "Totals: {}.", t.join(", "));
        }
        o.push('\n');
        if let Some(best) = c.best.as_deref().and_then(|k| map.get(k)) {
            let _ = writeln!(
                o,
                "> “{}”\n>\n> — {}, {} {}/5 ([evidence](#{}))\n",
                escape(&best.text),
                escape(&best.citation()),
                best.kind.as_str().replace('_', " "),
                best.score,
                finding_anchor(&best.key)
            );
        }
        for key in c.findings.iter().skip(1).take(super::html::CELL_LIST) {
            if let Some(f) = map.get(key.as_str()) {
                let _ = writeln!(
                    o,
                    "- {} {}/5: [{}](#{}) ({})",
                    f.kind.as_str().replace('_', " "),
                    f.score,
                    escape(&short(&f.text, 120)),
                    finding_anchor(&f.key),
                    escape(&f.citation())
                );
            }
        }
        let more = c.findings.len().saturating_sub(1 + super::html::CELL_LIST);
        if more > 0 {
            let _ = writeln!(o, "- and {more} more in the evidence list");
        }
        o.push('\n');
    }
    for cat in Category::ALL {
        let ts = numbers::totals_of(&s.totals, cat);
        if ts.is_empty() {
            continue;
        }
        let text: Vec<String> = ts.iter().map(|t| escape(&numbers::total(t))).collect();
        let _ = writeln!(
            o,
            "<a id=\"{}\"></a>\n\n#### {}: {}\n",
            total_anchor(si, cat),
            cat.title(),
            text.join(" + ")
        );
        for t in ts {
            for key in &t.evidence {
                if let Some(f) = map.get(key.as_str()) {
                    let figures: Vec<String> = f
                        .measures
                        .iter()
                        .filter(|m| {
                            super::totals::categorise(m, &f.themes).map(|(c, _)| c) == Some(cat)
                                && super::totals::counts(m, cat, &f.text)
                        })
                        .map(|m| escape(&m.text))
                        .collect();
                    let _ = writeln!(
                        o,
                        "- {}: [{}](#{}) ({})",
                        figures.join(", "),
                        escape(&short(&f.text, 120)),
                        finding_anchor(&f.key),
                        escape(&f.citation())
                    );
                }
            }
        }
        o.push('\n');
    }
}

fn finding(o: &mut String, f: &Finding) {
    let _ = writeln!(
        o,
        "- <a id=\"{}\"></a>**{}**, {}, p. {}: {} {}/5, {}{}: “{}” (passage {}, sha256 {})",
        finding_anchor(&f.key),
        escape(&f.supplier),
        escape(&f.file),
        f.page,
        f.kind.as_str().replace('_', " "),
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
