//! The DOCX report, written with docx-rs, for evaluators who score in Word: headings, the
//! supplier-by-principle table shaded like the HTML heatmap (with a key), the summary and
//! totals table, unanswered principles, near-duplicate groups, and per supplier a table of its
//! best evidence per principle and of every finding, each with its citation (file, page,
//! passage id). Landscape A4, so the fourteen principle columns fit. It formats the
//! [`View`], as every format does.
//!
//! docx-rs stores parts uncompressed and with the writer's clock; the package is rewritten
//! deflated with a fixed timestamp, so the same index gives the same bytes.

use std::io::{Cursor, Read, Write};

use docx_rs::{
    AlignmentType, Docx, Footer, Hyperlink, HyperlinkType, LineSpacing, NumPages, PageMargin,
    PageNum, PageOrientationType, Paragraph, Run, RunFonts, Shading, ShdType, Style, StyleType,
    Table, TableCell, TableRow, WidthType,
};

use super::ledger as ledgerview;
use super::model::{Category, Finding, Level, Report};
use super::view::{self, kind_label, short, SupplierView, View, NAME_CHARS};
use super::ReportError;

/// A4 landscape, in twentieths of a point.
const PAGE_W: u32 = 16838;
const PAGE_H: u32 = 11906;
const MARGIN: i32 = 1000;
const TEXT_W: usize = (PAGE_W as usize) - 2 * (MARGIN as usize);
const FONT: &str = "Calibri";
const ACCENT: &str = "17324D";
/// Longest quote in the findings tables, in characters.
const QUOTE_CHARS: usize = 600;
/// Longest principle name beside an unanswered principle, in characters.
const UNANSWERED_NAME_CHARS: usize = 50;

fn fill(level: Level) -> (&'static str, &'static str) {
    match level {
        Level::Unanswered => ("F2F3F5", "9AA3AD"),
        Level::Mentioned => ("FBE7B5", "5C4400"),
        Level::Vague => ("CFE8D5", "1D4A2C"),
        Level::Specific => ("7CC49A", "0F3A22"),
        Level::Smart => ("1F7A4D", "FFFFFF"),
    }
}

fn styles() -> Vec<Style> {
    let fonts = || RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT);
    let heading = |id: &str, name: &str, level: usize, size: usize, before: u32| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .fonts(fonts())
            .bold()
            .size(size)
            .color(ACCENT)
            .outline_lvl(level)
            .line_spacing(LineSpacing::new().before(before).after(100))
    };
    vec![
        Style::new("Normal", StyleType::Paragraph)
            .name("Normal")
            .fonts(fonts())
            .size(20)
            .line_spacing(LineSpacing::new().after(100).line(259)),
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .fonts(fonts())
            .bold()
            .size(40)
            .color(ACCENT)
            .line_spacing(LineSpacing::new().after(120)),
        heading("Heading1", "heading 1", 0, 30, 360),
        heading("Heading2", "heading 2", 1, 24, 240),
        heading("Heading3", "heading 3", 2, 21, 160),
        Style::new("TableText", StyleType::Paragraph)
            .name("Table Text")
            .based_on("Normal")
            .size(17)
            .line_spacing(LineSpacing::new().after(20).line(240)),
        Style::new("Quote", StyleType::Paragraph)
            .name("Quote")
            .based_on("Normal")
            .italic()
            .line_spacing(LineSpacing::new().after(40)),
        Style::new("Citation", StyleType::Paragraph)
            .name("Citation")
            .based_on("Normal")
            .size(16)
            .color("5B6675")
            .line_spacing(LineSpacing::new().after(160)),
    ]
}

fn para(style: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .style(style)
        .add_run(Run::new().add_text(clean(text)))
}

/// Text as Word accepts it: no control characters (XML 1.0 forbids most of them).
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn cell(text: &str, width: usize) -> TableCell {
    TableCell::new()
        .add_paragraph(para("TableText", text))
        .width(width, WidthType::Dxa)
}

fn head_cell(text: &str, width: usize) -> TableCell {
    TableCell::new()
        .add_paragraph(
            Paragraph::new()
                .style("TableText")
                .add_run(Run::new().add_text(clean(text)).bold().color("FFFFFF")),
        )
        .width(width, WidthType::Dxa)
        .shading(Shading::new().shd_type(ShdType::Clear).fill(ACCENT))
}

fn shaded(text: &str, width: usize, level: Level) -> TableCell {
    let (bg, fg) = fill(level);
    TableCell::new()
        .add_paragraph(
            Paragraph::new()
                .style("TableText")
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(clean(text)).color(fg)),
        )
        .width(width, WidthType::Dxa)
        .shading(Shading::new().shd_type(ShdType::Clear).fill(bg))
}

fn table(widths: Vec<usize>, header: &[&str], rows: Vec<Vec<TableCell>>) -> Table {
    let head = TableRow::new(
        header
            .iter()
            .zip(&widths)
            .map(|(h, w)| head_cell(h, *w))
            .collect(),
    )
    .cant_split();
    let mut all = vec![head];
    all.extend(rows.into_iter().map(|r| TableRow::new(r).cant_split()));
    Table::new(all)
        .set_grid(widths)
        .width(TEXT_W, WidthType::Dxa)
}

/// A table of plain text cells under a header.
fn text_table(widths: Vec<usize>, header: &[&str], rows: Vec<Vec<String>>) -> Table {
    let rows = rows
        .iter()
        .map(|r| r.iter().zip(&widths).map(|(t, w)| cell(t, *w)).collect())
        .collect();
    table(widths, header, rows)
}

fn split_widths(total: usize, first: usize, rest: usize) -> Vec<usize> {
    let n = rest.max(1);
    let each = total.saturating_sub(first) / n;
    let mut w = vec![first];
    w.extend(std::iter::repeat_n(each, n));
    w
}

fn bookmark(name: &str) -> String {
    // Word bookmark names: letters, digits, underscores, starting with a letter, at most 40.
    let mut s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(38)
        .collect();
    s.insert(0, 'b');
    s
}

pub fn render(r: &Report) -> Result<Vec<u8>, ReportError> {
    render_view(&View::new(r))
}

pub fn render_view(v: &View) -> Result<Vec<u8>, ReportError> {
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(PageMargin {
            top: MARGIN,
            left: MARGIN,
            bottom: MARGIN,
            right: MARGIN,
            header: 500,
            footer: 500,
            gutter: 0,
        })
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT))
        .default_size(20)
        .created_at("2000-01-01T00:00:00Z")
        .updated_at("2000-01-01T00:00:00Z")
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .style("Citation")
                    .align(AlignmentType::Right)
                    .add_run(Run::new().add_text("Social value scorecard · page "))
                    .add_page_num(PageNum::new())
                    .add_run(Run::new().add_text(" of "))
                    .add_num_pages(NumPages::new()),
            ),
        );
    for s in styles() {
        doc = doc.add_style(s);
    }
    let p = &v.provenance;
    doc = doc.add_paragraph(para("Title", &v.title));
    doc = doc.add_paragraph(para(
        "Citation",
        &format!(
            "Framework: {} ({}){}. {} suppliers, {} files, {} passages, {} findings. Rule set {}; extractor {}{}.",
            p.framework_name,
            p.framework_id,
            if p.reclassified { ", re-classified for this report" } else { "" },
            v.suppliers.len(),
            p.files,
            p.passages,
            p.findings,
            p.ruleset,
            p.extractor,
            p.last_run.map(|t| format!("; index as of {t}")).unwrap_or_default()
        ),
    ));
    doc = heatmap(doc, v);
    doc = summary(doc, v);
    doc = unanswered(doc, v);
    doc = not_read(doc, v);
    doc = duplicates(doc, v);
    doc = ledger(doc, v);
    for (si, s) in v.suppliers.iter().enumerate() {
        doc = supplier(doc, si, s);
    }
    let mut stored = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut stored)
        .map_err(|e| render_err(e.to_string()))?;
    recompress(stored.get_ref())
}

fn heatmap(mut doc: Docx, v: &View) -> Docx {
    doc = doc.add_paragraph(para("Heading1", view::HEATMAP));
    doc = doc.add_paragraph(para(
        "Normal",
        "Each cell: the supplier's commitments to the principle and the specificity of the best one (of 5); A/T: aspirations and track-record claims only; – no evidence.",
    ));
    let widths = split_widths(TEXT_W, 2600, v.principles.len());
    let mut header: Vec<&str> = vec!["Supplier"];
    header.extend(v.principles.iter().map(|p| p.id.as_str()));
    let rows: Vec<Vec<TableCell>> = v
        .suppliers
        .iter()
        .map(|s| {
            let mut row = vec![TableCell::new()
                .add_paragraph(
                    Paragraph::new().style("TableText").add_hyperlink(
                        Hyperlink::new(bookmark(&s.anchor), HyperlinkType::Anchor)
                            .add_run(Run::new().add_text(clean(s.name)).color("1F5F8B")),
                    ),
                )
                .width(widths[0], WidthType::Dxa)];
            for (c, w) in s.cells.iter().zip(&widths[1..]) {
                row.push(shaded(&c.label.plain(), *w, c.level));
            }
            row
        })
        .collect();
    doc = doc.add_table(table(widths, &header, rows));
    let key_widths = split_widths(TEXT_W, 0, Level::ALL.len())
        .into_iter()
        .skip(1)
        .collect::<Vec<_>>();
    let key_cells: Vec<TableCell> = Level::ALL
        .iter()
        .rev()
        .zip(&key_widths)
        .map(|(l, w)| shaded(l.describe(), *w, *l))
        .collect();
    doc = doc.add_paragraph(para("Citation", "Key"));
    doc = doc.add_table(
        Table::new(vec![TableRow::new(key_cells)])
            .set_grid(key_widths)
            .width(TEXT_W, WidthType::Dxa),
    );
    for p in v.principles {
        doc = doc.add_paragraph(
            Paragraph::new()
                .style("Citation")
                .add_run(Run::new().add_text(clean(&p.id)).bold())
                .add_run(Run::new().add_text(format!(" {}", clean(&p.name)))),
        );
    }
    doc
}

fn summary(mut doc: Docx, v: &View) -> Docx {
    doc = doc.add_paragraph(para("Heading1", "Summary and measure totals"));
    doc = doc.add_paragraph(para(
        "Normal",
        &format!(
            "{} Totals add up the figures of each supplier's commitments; a figure repeated in several passages counts once.",
            view::COUNTS_DEFINITION.concat()
        ),
    ));
    let mut header = vec![
        "Supplier",
        "All commit.",
        "Commitments",
        "Aspirations",
        "Track record",
        "Mean spec.",
        "Unanswered",
    ];
    header.extend(Category::ALL.iter().map(|c| c.title()));
    header.push("Near-dup.");
    let widths = split_widths(TEXT_W, 2600, header.len() - 1);
    let rows = v
        .suppliers
        .iter()
        .map(|s| {
            let n = &s.supplier.counts;
            let mut texts = vec![
                s.name.to_string(),
                s.supplier.classified.commitments.to_string(),
                n.commitments.to_string(),
                n.aspirations.to_string(),
                n.track_record.to_string(),
                s.mean.clone(),
                s.unanswered.len().to_string(),
            ];
            texts.extend(s.totals.iter().map(|t| {
                if t.values.is_empty() {
                    "–".to_string()
                } else {
                    t.joined()
                }
            }));
            texts.push(s.supplier.flagged.to_string());
            texts
        })
        .collect();
    doc.add_table(text_table(widths, &header, rows))
}

fn unanswered(mut doc: Docx, v: &View) -> Docx {
    doc = doc.add_paragraph(para("Heading1", view::UNANSWERED));
    let widths = vec![3400, TEXT_W - 3400];
    let rows = v
        .suppliers
        .iter()
        .map(|s| {
            let list: Vec<String> = s
                .unanswered
                .iter()
                .map(|(id, name)| format!("{id} {}", short(name, UNANSWERED_NAME_CHARS)))
                .collect();
            let list = if list.is_empty() {
                "none".to_string()
            } else {
                list.join("; ")
            };
            vec![s.name.to_string(), list]
        })
        .collect();
    doc.add_table(text_table(
        widths,
        &["Supplier", "Principles with no evidence"],
        rows,
    ))
}

fn not_read(mut doc: Docx, v: &View) -> Docx {
    doc = doc.add_paragraph(para("Heading1", view::NOT_READ));
    if v.not_read.is_empty() {
        return doc.add_paragraph(para("Normal", view::ALL_READ));
    }
    doc = doc.add_paragraph(para("Normal", view::NOT_READ_NOTE));
    let widths = vec![2400, 2600, 1400, TEXT_W - 6400];
    let rows = v
        .not_read
        .iter()
        .map(|n| {
            vec![
                n.supplier.clone(),
                n.citation(),
                n.status.label().to_string(),
                n.reason.clone(),
            ]
        })
        .collect();
    doc.add_table(text_table(
        widths,
        &["Supplier", "File", "Status", "Reason"],
        rows,
    ))
}

fn duplicates(mut doc: Docx, v: &View) -> Docx {
    doc = doc.add_paragraph(para("Heading1", view::DUPLICATES));
    if v.duplicates.is_empty() {
        doc = doc.add_paragraph(para("Normal", view::NO_DUPLICATES));
    }
    for d in &v.duplicates {
        let g = d.group;
        doc = doc.add_paragraph(para(
            "Heading3",
            &format!(
                "Group {}: {} (similarity at least {:.2})",
                g.id,
                g.suppliers.join(", "),
                g.similarity
            ),
        ));
        let widths = vec![2600, 7600, TEXT_W - 10200];
        let rows = d
            .members
            .iter()
            .map(|f| vec![f.supplier.clone(), short(&f.text, QUOTE_CHARS), citation(f)])
            .collect();
        doc = doc.add_table(text_table(
            widths,
            &["Supplier", "Commitment", "Citation"],
            rows,
        ));
    }
    doc
}

/// Commitments against delivery (only once monitoring returns are in the index). The HTML
/// report draws each commitment's progress; here it is written out by period.
fn ledger(mut doc: Docx, v: &View) -> Docx {
    let Some(as_of) = &v.ledger_as_of else {
        return doc;
    };
    doc = doc.add_paragraph(para("Heading1", ledgerview::HEADING));
    doc = doc.add_paragraph(para("Normal", &format!("{} {as_of}.", ledgerview::NOTE)));
    let widths = vec![1500, 1000, 1000, 800, 800, 1500, 1800, 3000, TEXT_W - 11400];
    let rows = v
        .ledger
        .iter()
        .map(|l| {
            let mut evidence = l.evidence.join("; ");
            for c in l.corrected {
                evidence.push_str(&format!("; corrected: {c}"));
            }
            vec![
                l.supplier.to_string(),
                l.status.to_string(),
                l.target.clone(),
                l.expected.clone(),
                l.to_date.clone(),
                l.per_period.clone(),
                l.over_time(),
                short(l.text, QUOTE_CHARS),
                evidence,
            ]
        })
        .collect();
    doc.add_table(text_table(
        widths,
        &[
            "Supplier",
            "Status",
            "Target",
            "Expected",
            "To date",
            "Per period",
            "Over time",
            "Commitment or figure",
            "Evidence",
        ],
        rows,
    ))
}

/// `FILE, p. N; passage ID`.
fn citation(f: &Finding) -> String {
    format!("{}; passage {}", f.citation(), f.id)
}

fn supplier(mut doc: Docx, si: usize, s: &SupplierView) -> Docx {
    let bid = si + 1;
    doc = doc.add_paragraph(
        Paragraph::new()
            .style("Heading1")
            .page_break_before(true)
            .add_bookmark_start(bid, bookmark(&s.anchor))
            .add_run(Run::new().add_text(clean(s.name)))
            .add_bookmark_end(bid),
    );
    doc = doc.add_paragraph(para("Normal", &s.intro));
    for f in &s.supplier.files {
        doc = doc.add_paragraph(para(
            "Citation",
            &format!("{}: {} pages, sha256 {}", f.name, f.pages, f.sha256),
        ));
    }
    doc = doc.add_paragraph(para("Heading2", "Best evidence per principle"));
    let widths = vec![2200, 1500, 8000, TEXT_W - 11700];
    let rows: Vec<Vec<TableCell>> = s
        .cells
        .iter()
        .filter(|c| c.level != Level::Unanswered)
        .map(|c| {
            let n = &c.cell.counts;
            let mut counts = format!("C{} A{} T{}", n.commitments, n.aspirations, n.track_record);
            if let Some(b) = c.cell.best_score {
                counts.push_str(&format!(", best {b}/5"));
            }
            if !c.totals.is_empty() {
                let totals: Vec<&str> = c.totals.iter().map(|(t, _)| t.as_str()).collect();
                counts.push_str(&format!("; {}", totals.join(", ")));
            }
            vec![
                cell(
                    &format!("{} {}", c.principle, short(c.principle_name, NAME_CHARS)),
                    widths[0],
                ),
                shaded(&counts, widths[1], c.level),
                cell(
                    &c.best
                        .map(|f| short(&f.text, QUOTE_CHARS))
                        .unwrap_or_default(),
                    widths[2],
                ),
                cell(
                    &c.best
                        .map(|f| {
                            format!(
                                "{}; {} {}/5; passage {}",
                                f.citation(),
                                kind_label(f.kind),
                                f.score,
                                f.id
                            )
                        })
                        .unwrap_or_default(),
                    widths[3],
                ),
            ]
        })
        .collect();
    doc = doc.add_table(table(
        widths,
        &["Principle", "Findings", "Best evidence", "Citation"],
        rows,
    ));
    doc = doc.add_paragraph(para("Heading2", "All findings"));
    let widths = vec![1500, 1300, 8900, TEXT_W - 11700];
    let rows = s
        .findings
        .iter()
        .map(|f| {
            vec![
                f.principles.join(" "),
                format!(
                    "{} {}/5{}",
                    kind_label(f.kind),
                    f.score,
                    f.duplicate_group
                        .map(|g| format!("; near-duplicate {g}"))
                        .unwrap_or_default()
                ),
                short(&f.text, QUOTE_CHARS),
                citation(f),
            ]
        })
        .collect();
    doc.add_table(text_table(
        widths,
        &["Principles", "Kind", "Text", "Citation"],
        rows,
    ))
}

fn render_err(detail: String) -> ReportError {
    ReportError::Render {
        format: "docx",
        detail,
    }
}

/// Rewrite the package deflated, with a fixed timestamp and in the same part order.
fn recompress(stored: &[u8]) -> Result<Vec<u8>, ReportError> {
    let e = |e: zip::result::ZipError| render_err(e.to_string());
    let mut input = zip::ZipArchive::new(Cursor::new(stored)).map_err(e)?;
    let mut output = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let time = zip::DateTime::from_date_and_time(2000, 1, 1, 0, 0, 0)
        .map_err(|err| render_err(err.to_string()))?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time);
    for i in 0..input.len() {
        let mut entry = input.by_index(i).map_err(e)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(e)?.to_string();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|err| render_err(format!("{name}: {err}")))?;
        output.start_file(name.as_str(), options).map_err(e)?;
        output
            .write_all(&bytes)
            .map_err(|err| render_err(format!("{name}: {err}")))?;
    }
    Ok(output.finish().map_err(e)?.into_inner())
}
