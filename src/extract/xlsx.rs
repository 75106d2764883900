//! XLSX and XLSM workbooks, read with calamine's streaming cell reader.
//!
//! Every worksheet is read, hidden ones too (each hidden sheet is named in a warning); chart
//! sheets, dialog sheets and macro sheets have no cells and are left out. Each sheet is one
//! table: the rows above its first row of two or more cells (a title, a note) are paragraphs,
//! and from that row on every non-empty row is a row of [`BlockKind::TableCell`]s, the first
//! being row 0 so that [`crate::passage::segment`] gives it to the rows under it as their
//! header. Every block's section is the sheet's name. Formulas give their cached values,
//! numbers print as Excel's shortest form (`12`, `0.35`), dates as ISO dates
//! (`2026-03-31`, with the time when there is one), booleans as `TRUE`/`FALSE`, errors as
//! `#N/A`.
//!
//! calamine opens the zip itself, so the package's declared sizes are checked first
//! ([`super::zipcheck`]); calamine's cell reader streams the sheet XML (it never builds the
//! dense grid a sheet's dimensions ask for), and cells, sheets and text are counted against
//! [`Limits::max_cells`], [`Limits::max_sheets`] and [`Limits::max_text_chars`].

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx};

use super::zipcheck;
use crate::document::{Block, BlockKind, Document, Format, Metadata};
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

fn malformed(detail: impl std::fmt::Display) -> Error {
    Error::Malformed {
        format: "XLSX",
        detail: detail.to_string(),
    }
}

/// Extract an XLSX or XLSM workbook.
pub fn extract(bytes: &[u8], limits: &Limits, deadline: &Deadline) -> Result<Document> {
    let mut checked = zipcheck::check(bytes, limits, "XLSX")?;
    check_shared_strings(&mut checked)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Password => Error::PasswordRequired,
        e => malformed(e),
    })?;
    deadline.check()?;
    let sheets = wb.sheets_metadata().to_vec();
    if sheets.len() > limits.max_sheets {
        return Err(Error::limit(
            "max_sheets",
            format!("{} sheets > {}", sheets.len(), limits.max_sheets),
        ));
    }
    let metadata = match wb.workbook_properties() {
        Ok(p) => Metadata {
            title: p.title,
            author: p.creator,
            subject: p.subject,
            created: p.created,
            modified: p.modified,
            producer: p.application,
            creator: None,
        },
        Err(_) => Metadata::default(),
    };
    let mut warnings = Vec::new();
    let mut blocks = Vec::new();
    let mut cells_read = 0usize;
    let mut chars = 0usize;
    let mut table = 0u32;
    for sheet in &sheets {
        if sheet.typ != SheetType::WorkSheet {
            continue;
        }
        if sheet.visible != SheetVisible::Visible {
            warnings.push(format!(
                "sheet \"{}\" is hidden in the workbook; its cells are read",
                sheet.name
            ));
        }
        let rows = match read_sheet(&mut wb, &sheet.name, limits, deadline, &mut cells_read) {
            Ok(rows) => rows,
            Err(SheetError::Fatal(e)) => return Err(e),
            Err(SheetError::Damaged(why, rows)) => {
                warnings.push(format!(
                    "sheet \"{}\": {why}; cells after this point are missing",
                    sheet.name
                ));
                rows
            }
        };
        let before = blocks.len();
        sheet_blocks(&sheet.name, rows, table, &mut blocks);
        if blocks[before..]
            .iter()
            .any(|b| matches!(b.kind, BlockKind::TableCell { .. }))
        {
            table += 1;
        }
        for b in &blocks[before..] {
            chars += b.text.chars().count();
        }
        if chars > limits.max_text_chars {
            return Err(Error::too_much_text(limits.max_text_chars));
        }
    }
    Ok(Document::unpaged(
        Format::Xlsx,
        metadata,
        false,
        warnings,
        blocks,
    ))
}

/// calamine reserves room for the number of shared strings `sharedStrings.xml` declares
/// before reading them: a lying count is refused here. Each string takes at least five bytes
/// (`<si/>`), so a count past a fifth of the part's declared size is a lie.
fn check_shared_strings(checked: &mut zipcheck::Checked<'_>) -> Result<()> {
    let names: Vec<String> = checked
        .names
        .iter()
        .filter(|n| zipcheck::normalise(n).ends_with("sharedstrings.xml"))
        .cloned()
        .collect();
    for name in names {
        let Some((head, size)) = zipcheck::head_of(checked, &name, 8192) else {
            continue;
        };
        let text = String::from_utf8_lossy(&head);
        for attr in ["uniqueCount=\"", "count=\""] {
            let Some(at) = text.find(attr) else { continue };
            let digits: String = text[at + attr.len()..]
                .chars()
                .take_while(|c| !matches!(c, '"'))
                .collect();
            let ok = match digits.trim().parse::<u64>() {
                Ok(n) => n <= size / 5 + 1,
                // calamine skips a count it cannot parse.
                Err(_) => !digits.trim().chars().all(|c| c.is_ascii_digit()),
            };
            if !ok {
                return Err(malformed(format!(
                    "{name} declares {} shared strings in {size} bytes",
                    digits.trim()
                )));
            }
        }
    }
    Ok(())
}

enum SheetError {
    /// A limit or the time budget: the whole file fails.
    Fatal(Error),
    /// The sheet's XML is damaged: the rows read before it stand.
    Damaged(String, Rows),
}

/// A sheet's non-empty cells: row -> (column, text), in sheet order.
pub(crate) type Rows = BTreeMap<u32, Vec<(u32, String)>>;

fn read_sheet<RS: std::io::Read + std::io::Seek>(
    wb: &mut Xlsx<RS>,
    name: &str,
    limits: &Limits,
    deadline: &Deadline,
    cells_read: &mut usize,
) -> std::result::Result<Rows, SheetError> {
    let mut rows = Rows::new();
    let mut reader = match wb.worksheet_cells_reader(name) {
        Ok(r) => r,
        // A sheet without a `sheetData` element (or missing) has no cells.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(rows),
        Err(e) => return Err(SheetError::Damaged(e.to_string(), rows)),
    };
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => return Ok(rows),
            Err(e) => return Err(SheetError::Damaged(e.to_string(), rows)),
        };
        let Some(text) = cell_text(cell.get_value()) else {
            continue;
        };
        *cells_read += 1;
        if *cells_read > limits.max_cells {
            return Err(SheetError::Fatal(Error::limit(
                "max_cells",
                format!("more than {} non-empty cells", limits.max_cells),
            )));
        }
        if cells_read.is_multiple_of(4096) {
            deadline.check().map_err(SheetError::Fatal)?;
        }
        let (row, col) = cell.get_position();
        let cells = rows.entry(row).or_default();
        // A cell written twice keeps its last value, as Excel shows it.
        match cells.iter_mut().find(|(c, _)| *c == col) {
            Some((_, t)) => *t = text,
            None => cells.push((col, text)),
        }
    }
}

/// A cell's value as text; `None` for an empty cell or one of white space only.
fn cell_text(value: &DataRef<'_>) -> Option<String> {
    let text = match value {
        DataRef::Empty => return None,
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
            let v = d.as_f64();
            if (0.0..1.0).contains(&v) {
                format!("{h:02}:{mi:02}:{s:02}")
            } else if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{da:02}")
            } else {
                format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        DataRef::DateTime(d) => number(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    };
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// A number as Excel's General format shows it, without the exponent form: integers without
/// a decimal point, others in their shortest round-trip form.
fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// One sheet's rows as blocks: paragraphs above the first row of two or more cells, then
/// that row (row 0, the header) and every later row as table cells of table `table`.
pub(crate) fn sheet_blocks(sheet: &str, rows: Rows, table: u32, out: &mut Vec<Block>) {
    let section = vec![sheet.to_string()];
    let mut first: Option<u32> = None;
    for (row, mut cells) in rows {
        cells.sort_by_key(|(c, _)| *c);
        if first.is_none() && cells.len() < 2 {
            for (_, text) in cells {
                let mut b = Block::new(BlockKind::Paragraph, 1, text);
                b.section = section.clone();
                out.push(b);
            }
            continue;
        }
        let start = *first.get_or_insert(row);
        for (col, text) in cells {
            let kind = BlockKind::TableCell {
                table,
                row: row - start,
                col,
            };
            let mut b = Block::new(kind, 1, text);
            b.section = section.clone();
            out.push(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_excel_general() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(0.35), "0.35");
        assert_eq!(number(-3.5), "-3.5");
        assert_eq!(number(1e20), "100000000000000000000");
    }

    #[test]
    fn title_rows_are_paragraphs_and_the_first_wide_row_is_the_header() {
        let mut rows = Rows::new();
        rows.insert(0, vec![(0, "Social value offer".into())]);
        rows.insert(2, vec![(1, "Measure".into()), (0, "Ref".into())]);
        rows.insert(3, vec![(0, "NT1".into()), (1, "Local people".into())]);
        let mut out = Vec::new();
        sheet_blocks("TOMs", rows, 4, &mut out);
        assert_eq!(out[0].kind, BlockKind::Paragraph);
        assert_eq!(
            out[1].kind,
            BlockKind::TableCell {
                table: 4,
                row: 0,
                col: 0
            }
        );
        assert_eq!(out[1].text, "Ref");
        assert_eq!(
            out[4].kind,
            BlockKind::TableCell {
                table: 4,
                row: 1,
                col: 1
            }
        );
        assert!(out.iter().all(|b| b.section == ["TOMs"]));
    }
}
