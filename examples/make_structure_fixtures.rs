//! Writes the structure fixtures in `fixtures/structure/`: small Word-style DOCX files, one per
//! layout feature (bordered, borderless and merged tables, a table over a page break, symbol-font
//! bullets, nested and numbered lists, bold headings, two text columns), each a supplier's
//! answer on social value. `fixtures/structure/make.sh` turns each into a PDF with LibreOffice,
//! and `examples/structure_compare.rs` (and `tests/pdf_structure.rs`) check that the PDF
//! extracts to the same structure as the DOCX: the DOCX is the ground truth.
//!
//! The files are written with docx-rs. One thing it cannot say is done on the XML afterwards:
//! docx-rs has no repeated header row (`w:tblHeader`), so every table row built with
//! `cant_split()` here is a header row, and [`post_process`] adds `<w:tblHeader/>` after its
//! `<w:cantSplit/>`. The parts are then deflated with a fixed timestamp, like
//! `examples/make_fixtures.rs` does, so re-running this leaves the committed files unchanged.
//!
//! ```text
//! cargo run --example make_structure_fixtures [-- OUT_DIR]
//! ```
//!
//! It prints one line per file written.

use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use docx_rs::{
    AbstractNumbering, Docx, IndentLevel, Level, LevelJc, LevelText, LineSpacing, NumberFormat,
    Numbering, NumberingId, PageMargin, Paragraph, Run, RunFonts, SectionProperty, SectionType,
    Shading, ShdType, SpecialIndentType, Start, Style, StyleType, Table, TableCell, TableRow,
    VMergeType, WidthType,
};

/// A4 page width with 2.3 cm side margins, in twentieths of a point.
const PAGE_MARGIN: i32 = 1304;
const TEXT_WIDTH: usize = 11906 - 2 * PAGE_MARGIN as usize;
/// Heading colour.
const ACCENT: &str = "1F3864";
/// The date written into the document properties.
const DATE: &str = "2026-11-02T09:00:00Z";

/// The house style of one file: body font and size (half-points).
#[derive(Clone, Copy)]
struct House {
    font: &'static str,
    size: usize,
}

const SANS: House = House {
    font: "Liberation Sans",
    size: 20,
};
const SANS_11: House = House {
    font: "Liberation Sans",
    size: 22,
};
const SERIF: House = House {
    font: "Liberation Serif",
    size: 22,
};

fn fonts(font: &str) -> RunFonts {
    RunFonts::new().ascii(font).hi_ansi(font).cs(font)
}

/// A document with the house styles: Normal, Heading 1 and 2, List Paragraph, Table Text, and
/// "Numbered Subheading" (bold, body size, outline level 2: a heading that looks like bold text).
fn base(house: House) -> Docx {
    let heading = |id: &str, name: &str, level: usize, size: usize, before: u32| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .fonts(fonts(house.font))
            .bold()
            .size(size)
            .color(ACCENT)
            .outline_lvl(level)
            .line_spacing(LineSpacing::new().before(before).after(120))
    };
    let mut docx = Docx::new()
        .default_fonts(fonts(house.font))
        .default_size(house.size)
        .page_margin(PageMargin {
            top: PAGE_MARGIN,
            left: PAGE_MARGIN,
            bottom: PAGE_MARGIN,
            right: PAGE_MARGIN,
            header: 624,
            footer: 624,
            gutter: 0,
        })
        .created_at(DATE)
        .updated_at(DATE);
    for style in [
        Style::new("Normal", StyleType::Paragraph)
            .name("Normal")
            .fonts(fonts(house.font))
            .size(house.size)
            .line_spacing(LineSpacing::new().after(140).line(264)),
        heading("Heading1", "heading 1", 0, house.size + 10, 240),
        heading("Heading2", "heading 2", 1, house.size + 4, 200),
        Style::new("NumberedSubheading", StyleType::Paragraph)
            .name("Numbered Subheading")
            .based_on("Normal")
            .next("Normal")
            .bold()
            .outline_lvl(2)
            .line_spacing(LineSpacing::new().before(120).after(0)),
        Style::new("ListParagraph", StyleType::Paragraph)
            .name("List Paragraph")
            .based_on("Normal")
            .line_spacing(LineSpacing::new().after(60)),
        Style::new("TableText", StyleType::Paragraph)
            .name("Table Text")
            .based_on("Normal")
            .size(house.size.saturating_sub(2))
            .line_spacing(LineSpacing::new().after(40).line(240)),
    ] {
        docx = docx.add_style(style);
    }
    docx
}

/// A body paragraph.
fn p(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn h1(text: &str) -> Paragraph {
    p(text).style("Heading1").keep_next(true)
}

fn h2(text: &str) -> Paragraph {
    p(text).style("Heading2").keep_next(true)
}

/// Word's own numbering definitions, as `(numFmt, lvlText, font)` per level: each level indented
/// another half inch, with a quarter-inch hanging indent for the bullet or number.
fn numbering(id: usize, levels: &[(&str, &str, Option<&str>)]) -> AbstractNumbering {
    let mut a = AbstractNumbering::new(id);
    for (level, (fmt, text, font)) in levels.iter().enumerate() {
        let mut lvl = Level::new(
            level,
            Start::new(1),
            NumberFormat::new(*fmt),
            LevelText::new(*text),
            LevelJc::new("left"),
        )
        .indent(
            Some(720 * (level as i32 + 1)),
            Some(SpecialIndentType::Hanging(360)),
            None,
            None,
        );
        if let Some(font) = font {
            lvl = lvl.fonts(RunFonts::new().ascii(*font).hi_ansi(*font).hint("default"));
        }
        a = a.add_level(lvl);
    }
    a
}

/// Adds a numbering definition and its instance under the same id.
fn with_numbering(docx: Docx, id: usize, levels: &[(&str, &str, Option<&str>)]) -> Docx {
    docx.add_abstract_numbering(numbering(id, levels))
        .add_numbering(Numbering::new(id, id))
}

/// Word's default bullets: the Symbol font's U+F0B7, `o` in Courier New, Wingdings' U+F0A7.
const WORD_BULLETS: &[(&str, &str, Option<&str>)] = &[
    ("bullet", "\u{F0B7}", Some("Symbol")),
    ("bullet", "o", Some("Courier New")),
    ("bullet", "\u{F0A7}", Some("Wingdings")),
];

/// A list item of numbering `num` at `level`.
fn item(num: usize, level: usize, text: &str) -> Paragraph {
    p(text)
        .style("ListParagraph")
        .numbering(NumberingId::new(num), IndentLevel::new(level))
}

fn cell_para(text: &str, bold: bool) -> Paragraph {
    let mut run = Run::new().add_text(text);
    if bold {
        run = run.bold();
    }
    Paragraph::new().style("TableText").add_run(run)
}

/// A table cell of `width` twips holding `text` (paragraphs split at `\n`).
fn cell(text: &str, width: usize, bold: bool) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa);
    for para in text.split('\n') {
        c = c.add_paragraph(cell_para(para, bold));
    }
    c
}

/// A header row: bold text on a light fill. `repeat` makes it a repeated header row (see
/// [`post_process`]).
fn header_row(cells: &[&str], widths: &[usize], repeat: bool) -> TableRow {
    let cells = cells
        .iter()
        .zip(widths)
        .map(|(t, &w)| {
            cell(t, w, true).shading(Shading::new().shd_type(ShdType::Clear).fill("D9E2F3"))
        })
        .collect();
    let row = TableRow::new(cells);
    if repeat {
        row.cant_split()
    } else {
        row
    }
}

fn body_row(cells: &[&str], widths: &[usize]) -> TableRow {
    TableRow::new(
        cells
            .iter()
            .zip(widths)
            .map(|(t, &w)| cell(t, w, false))
            .collect(),
    )
}

/// A small empty paragraph: Word needs one after a table, and it keeps the next text off it.
fn after_table() -> Paragraph {
    Paragraph::new()
        .size(8)
        .line_spacing(LineSpacing::new().after(0))
}

// ---------------------------------------------------------------------------------------------
// The fixtures.

const COMMITMENTS: &[[&str; 3]] = &[
    [
        "Recruit new starters who live in the council area, advertising every vacancy first through the borough's jobs hub",
        "12 local hires",
        "March 2027",
    ],
    [
        "Create apprenticeships at Level 2 and Level 3 in grounds maintenance and fleet",
        "6 apprentices, at least 4 completing",
        "September 2027",
    ],
    [
        "Spend with small firms and social enterprises based within 20 miles of the depot",
        "35% of addressable spend",
        "Each contract year",
    ],
    [
        "Offer paid work placements to care leavers and to people returning to work after a long absence",
        "10 placements of 4 weeks or more",
        "End of year 2",
    ],
    [
        "Cut fleet emissions by moving the van fleet to electric and replanning collection rounds",
        "30% fewer tonnes CO2e than in 2024",
        "March 2028",
    ],
    [
        "Give every member of staff paid time to volunteer with local community groups",
        "400 hours a year",
        "From month 3",
    ],
    [
        "Run careers talks and mock interviews in secondary schools in the most deprived wards",
        "20 sessions a year",
        "Ongoing",
    ],
];

fn table_borders() -> Docx {
    let widths = [5000, 2500, TEXT_WIDTH - 7500];
    let mut rows = vec![header_row(
        &["Commitment", "Target", "By when"],
        &widths,
        false,
    )];
    rows.extend(COMMITMENTS.iter().map(|r| body_row(r, &widths)));
    base(SANS)
        .add_paragraph(h1("Social value commitments"))
        .add_paragraph(p(
            "This section sets out what we will deliver for the borough over the life of the contract. Each commitment has a measurable target and a date, and each will be reported to the contract manager at the quarterly review.",
        ))
        .add_paragraph(p(
            "The commitments below were drawn up with the council's employment and skills team and with two local voluntary sector partners.",
        ))
        .add_table(
            Table::new(rows)
                .set_grid(widths.to_vec())
                .width(TEXT_WIDTH, WidthType::Dxa),
        )
        .add_paragraph(after_table())
        .add_paragraph(p(
            "Progress against each target will be published on our website every six months, together with the evidence behind it.",
        ))
}

fn table_no_borders() -> Docx {
    let widths = [5000, 2500, TEXT_WIDTH - 7500];
    let rows: &[[&str; 3]] = &[
        [
            "Hold an annual meet-the-buyer event for local suppliers, with the council's procurement team",
            "1 event a year",
            "From year 1",
        ],
        [
            "Pay the Real Living Wage to all staff working on the contract, including subcontractors' staff",
            "100% of contract staff",
            "Contract start",
        ],
        [
            "Support local charities with donated materials and surplus equipment",
            "GBP 5,000 a year",
            "Each contract year",
        ],
        [
            "Mentor young people not in education, employment or training through the Prince's Trust",
            "8 mentees a year",
            "From month 6",
        ],
        [
            "Divert waste from landfill through reuse and recycling on every site",
            "95% diverted",
            "March 2027",
        ],
        [
            "Plant trees on council land with volunteers from our workforce",
            "500 trees",
            "End of year 3",
        ],
    ];
    let mut table_rows = vec![header_row(
        &["Commitment", "Target", "By when"],
        &widths,
        false,
    )];
    table_rows.extend(rows.iter().map(|r| body_row(r, &widths)));
    base(SANS)
        .add_paragraph(h1("Community benefits"))
        .add_paragraph(p(
            "As a family-owned business we have worked in this area for thirty years, and most of our people live within a short drive of the depot. The table lists the community benefits we will add to the service.",
        ))
        .add_table(
            Table::without_borders(table_rows)
                .set_grid(widths.to_vec())
                .width(TEXT_WIDTH, WidthType::Dxa),
        )
        .add_paragraph(after_table())
        .add_paragraph(p(
            "A named manager will own each of these benefits and will report on it at the monthly contract meeting.",
        ))
}

fn table_merged() -> Docx {
    let widths = [1700, 4000, 1900, TEXT_WIDTH - 7600];
    let fill = || Shading::new().shd_type(ShdType::Clear).fill("D9E2F3");
    let head = |t: &str, w: usize| cell(t, w, true).shading(fill());
    let rows = vec![
        // Two header rows: "Theme" and "Commitment" run down both; "Target" spans two columns.
        TableRow::new(vec![
            head("Theme", widths[0]).vertical_merge(VMergeType::Restart),
            head("Commitment", widths[1]).vertical_merge(VMergeType::Restart),
            head("Target", widths[2] + widths[3]).grid_span(2),
        ]),
        TableRow::new(vec![
            head("", widths[0]).vertical_merge(VMergeType::Continue),
            head("", widths[1]).vertical_merge(VMergeType::Continue),
            head("Quantity", widths[2]),
            head("By when", widths[3]),
        ]),
        // "Jobs and skills" runs down three rows, "Environment" down two.
        TableRow::new(vec![
            cell("Jobs and skills", widths[0], false).vertical_merge(VMergeType::Restart),
            cell("New jobs filled by residents of the borough", widths[1], false),
            cell("15 jobs", widths[2], false),
            cell("March 2027", widths[3], false),
        ]),
        TableRow::new(vec![
            cell("", widths[0], false).vertical_merge(VMergeType::Continue),
            cell(
                "Apprenticeship starts, with a guaranteed interview for every apprentice who completes",
                widths[1],
                false,
            ),
            cell("5 starts", widths[2], false),
            cell("September 2027", widths[3], false),
        ]),
        TableRow::new(vec![
            cell("", widths[0], false).vertical_merge(VMergeType::Continue),
            cell("Weeks of work experience for school and college students", widths[1], false),
            cell("40 weeks", widths[2], false),
            cell("Each year", widths[3], false),
        ]),
        TableRow::new(vec![
            cell("Environment", widths[0], false).vertical_merge(VMergeType::Restart),
            cell("Cut in carbon emissions from our vehicles and buildings", widths[1], false),
            cell("25%", widths[2], false),
            cell("March 2029", widths[3], false),
        ]),
        TableRow::new(vec![
            cell("", widths[0], false).vertical_merge(VMergeType::Continue),
            cell("Electric vans in the fleet serving the contract", widths[1], false),
            cell("12 vans", widths[2], false),
            cell("March 2028", widths[3], false),
        ]),
        TableRow::new(vec![
            cell("Community", widths[0], false),
            cell(
                "Staff volunteering hours with food banks, youth clubs and friends-of-parks groups",
                widths[1],
                false,
            ),
            cell("600 hours", widths[2], false),
            cell("Each year", widths[3], false),
        ]),
    ];
    base(SANS)
        .add_paragraph(h1("Targets by theme"))
        .add_paragraph(p(
            "Our targets follow the council's social value themes. Where a theme has more than one commitment, the commitments are grouped under it.",
        ))
        .add_table(
            Table::new(rows)
                .set_grid(widths.to_vec())
                .width(TEXT_WIDTH, WidthType::Dxa),
        )
        .add_paragraph(after_table())
        .add_paragraph(p(
            "All quantities are for the contract as a whole, not per lot, and will be evidenced through payroll records, training provider returns and fleet telematics.",
        ))
}

/// Thirty rows of a delivery plan; the row at [`LONG_ROW`] has a cell long enough to break
/// over the page end.
const PLAN: &[[&str; 3]] = &[
    [
        "Appoint a social value lead for the contract",
        "Named lead in post",
        "Month 1",
    ],
    [
        "Agree the social value plan with the council",
        "Signed plan",
        "Month 1",
    ],
    [
        "Register all vacancies with the borough jobs hub",
        "100% of vacancies",
        "Month 1",
    ],
    [
        "Brief all site managers on the local hiring policy",
        "All managers briefed",
        "Month 2",
    ],
    [
        "Recruit the first intake of apprentices",
        "3 apprentices",
        "Month 3",
    ],
    [
        "Sign a partnership agreement with the local college",
        "Agreement signed",
        "Month 3",
    ],
    [
        "Publish a list of subcontract packages open to local firms",
        "List published",
        "Month 3",
    ],
    [
        "Hold the first meet-the-buyer event",
        "30 local firms attending",
        "Month 4",
    ],
    [
        "Start the staff volunteering scheme",
        "Scheme launched",
        "Month 4",
    ],
    [
        "Baseline the fleet's carbon emissions",
        "Baseline report",
        "Month 4",
    ],
    [
        "Offer the first work placements to care leavers",
        "3 placements",
        "Month 5",
    ],
    [
        "Deliver careers talks in two secondary schools",
        "2 talks",
        "Month 5",
    ],
    [
        "Order the first electric vans",
        "4 vans on order",
        "Month 6",
    ],
    [
        "Report social value progress to the council",
        "First quarterly report",
        "Month 6",
    ],
    [
        "Review local spend with the supply chain",
        "Spend report",
        "Month 6",
    ],
    [
        "Recruit the second intake of apprentices",
        "3 apprentices",
        "Month 9",
    ],
    [
        "Run a mock interview day with the jobs hub",
        "20 participants",
        "Month 9",
    ],
    [
        "Install charging points at the depot",
        "8 charging points",
        "Month 9",
    ],
    [
        "Complete the first community project with volunteers",
        "1 project completed",
        "Month 10",
    ],
    [
        "Audit the Real Living Wage across subcontractors",
        "Audit report",
        "Month 11",
    ],
    [
        "Publish the first annual social value report",
        "Report published",
        "Month 12",
    ],
    [
        "Review targets with the council and residents",
        "Revised plan",
        "Month 12",
    ],
    [
        "Hold the second meet-the-buyer event",
        "30 local firms attending",
        "Month 16",
    ],
    [
        "Replace the remaining diesel vans",
        "8 more electric vans",
        "Month 18",
    ],
    [
        "Offer a second round of work placements",
        "4 placements",
        "Month 18",
    ],
    [
        "Deliver careers talks in four more schools",
        "4 talks",
        "Month 20",
    ],
    [
        "Run a tree planting day with residents",
        "250 trees planted",
        "Month 22",
    ],
    [
        "Publish the second annual social value report",
        "Report published",
        "Month 24",
    ],
    [
        "Hand over the legacy plan for the final year",
        "Legacy plan agreed",
        "Month 24",
    ],
    [
        "Close out the contract's social value account",
        "Final report",
        "Month 36",
    ],
];

/// The index in [`PLAN`] of the row whose first cell is made long.
const LONG_ROW: usize = 21;

const LONG_CELL: &str = "Review targets with the council and residents at an open meeting held in the library, \
with papers published two weeks before. Residents will be asked which commitments have made a \
difference to them, which have not, and what they would change. The meeting will also look at the \
figures for local hires, apprentices, local spend and carbon against the baseline, and agree any new \
targets for the second year. A short summary of what was said, and of what we will do about it, will \
be sent to everyone who came and to the ward councillors within a month of the meeting.";

fn table_page_break() -> Docx {
    let widths = [5200, 2500, TEXT_WIDTH - 7700];
    let mut rows = vec![header_row(&["Activity", "Measure", "When"], &widths, true)];
    for (i, r) in PLAN.iter().enumerate() {
        let first = if i == LONG_ROW { LONG_CELL } else { r[0] };
        rows.push(body_row(&[first, r[1], r[2]], &widths));
    }
    base(SANS)
        .add_paragraph(h1("Delivery plan"))
        .add_paragraph(p(
            "The plan below shows when each part of our social value offer will be put in place. The first six months concentrate on setting up the arrangements that everything else depends on: a named lead, an agreed plan, and working links with the jobs hub, the college and local suppliers.",
        ))
        .add_paragraph(p(
            "From the second half of the first year the plan moves on to delivery: apprentices in post, placements running, the fleet changing over to electric vans, and regular reporting to the council. The second year repeats and extends what has worked, and the final year hands over a legacy that will outlast the contract.",
        ))
        .add_paragraph(p(
            "Every activity has a measure that the council can check. Dates are counted in months from the contract start date, and slippage of more than one month on any activity will be reported to the contract manager with a recovery plan.",
        ))
        .add_paragraph(p(
            "The plan has been written to fit the council's own timetable. The first annual report falls in time for the council's social value statement to its cabinet, and the review of targets at the end of the first year comes before the council sets its priorities for the following year. Where the council changes its timetable, we will move ours to match, and we will tell the contract manager in writing which dates have moved and why.",
        ))
        .add_paragraph(p(
            "The council's contract manager will be invited to every review meeting.",
        ))
        .add_paragraph(p(
            "The plan will be kept under review. Where residents, the council or our partners suggest a better way of delivering a commitment, we will change the plan and record why.",
        ))
        .add_table(
            Table::new(rows)
                .set_grid(widths.to_vec())
                .width(TEXT_WIDTH, WidthType::Dxa),
        )
        .add_paragraph(after_table())
        .add_paragraph(p(
            "The social value lead will keep this plan up to date and share it with the council each quarter.",
        ))
}

/// Numbering ids of `bullets_symbol.docx`: one per bullet glyph.
const SYMBOL_DOT: usize = 10;
const WING_SQUARE: usize = 11;
const WING_ARROW: usize = 12;
const WING_TICK: usize = 13;

fn bullets_symbol() -> Docx {
    let mut docx = base(SANS_11);
    docx = with_numbering(docx, SYMBOL_DOT, WORD_BULLETS);
    docx = with_numbering(
        docx,
        WING_SQUARE,
        &[("bullet", "\u{F0A7}", Some("Wingdings"))],
    );
    docx = with_numbering(
        docx,
        WING_ARROW,
        &[("bullet", "\u{F0D8}", Some("Wingdings"))],
    );
    docx = with_numbering(
        docx,
        WING_TICK,
        &[("bullet", "\u{F0FC}", Some("Wingdings"))],
    );
    docx.add_paragraph(h1("How we will deliver social value"))
        .add_paragraph(p(
            "Social value is part of how we run every contract, not an extra. This answer explains what we will do on this contract under each of the council's themes.",
        ))
        .add_paragraph(h2("Local jobs"))
        .add_paragraph(p(
            "Most of the work on this contract is done by people who could be recruited locally. We will:",
        ))
        .add_paragraph(item(SYMBOL_DOT, 0, "advertise every new post through the borough's jobs hub for two weeks before it goes anywhere else;"))
        .add_paragraph(item(SYMBOL_DOT, 0, "guarantee an interview to every applicant from the council's priority wards who meets the essential criteria;"))
        .add_paragraph(item(SYMBOL_DOT, 0, "pay at least the Real Living Wage from the first day of employment;"))
        .add_paragraph(item(SYMBOL_DOT, 0, "report the home postcode district of every new starter each quarter."))
        .add_paragraph(h2("Carbon"))
        .add_paragraph(p("To cut the carbon footprint of the service we will:"))
        .add_paragraph(item(WING_SQUARE, 0, "replace all diesel vans with electric vans by March 2028;"))
        .add_paragraph(item(WING_SQUARE, 0, "plan rounds with routing software so that vehicles travel fewer empty miles;"))
        .add_paragraph(item(WING_SQUARE, 0, "buy all electricity for the depot on a renewable tariff;"))
        .add_paragraph(item(WING_SQUARE, 0, "publish a carbon reduction plan and update it every year."))
        .add_paragraph(h2("Local spend"))
        .add_paragraph(p("Our supply chain partners on this contract will be asked to:"))
        .add_paragraph(item(WING_ARROW, 0, "pay their own suppliers within 30 days;"))
        .add_paragraph(item(WING_ARROW, 0, "quote for work through the council's local supplier portal, so that small firms can see what is coming up and bid for it;"))
        .add_paragraph(item(WING_ARROW, 0, "tell us each quarter how much they have spent with firms in the borough."))
        .add_paragraph(h2("Volunteering"))
        .add_paragraph(p("By the end of the first contract year we will have:"))
        .add_paragraph(item(WING_TICK, 0, "given every member of staff two paid volunteering days;"))
        .add_paragraph(item(WING_TICK, 0, "worked with at least three community groups chosen by residents;"))
        .add_paragraph(item(WING_TICK, 0, "recorded the hours given and what they achieved, and shared the results with the council."))
        .add_paragraph(p(
            "We will review each of these commitments with the council at the end of the first year and agree any changes.",
        ))
}

/// Numbering ids of `bullets_nested.docx`.
const NESTED_BULLETS: usize = 20;
const STEPS: usize = 21;
const LETTERED: usize = 22;

fn bullets_nested() -> Docx {
    let mut docx = base(SANS_11);
    docx = with_numbering(
        docx,
        NESTED_BULLETS,
        &[
            ("bullet", "\u{F0B7}", Some("Symbol")),
            ("bullet", "\u{2013}", None),
        ],
    );
    docx = with_numbering(
        docx,
        STEPS,
        &[("decimal", "%1.", None), ("lowerLetter", "%2)", None)],
    );
    docx = with_numbering(docx, LETTERED, &[("lowerLetter", "%1)", None)]);
    docx.add_paragraph(h1("Apprenticeships and training"))
        .add_paragraph(p(
            "We have run an apprenticeship programme for eleven years, and more than seventy apprentices have completed it. On this contract our programme will:",
        ))
        .add_paragraph(item(NESTED_BULLETS, 0, "offer apprenticeships in three trades:"))
        .add_paragraph(item(NESTED_BULLETS, 1, "horticulture and grounds maintenance at Level 2;"))
        .add_paragraph(item(NESTED_BULLETS, 1, "light vehicle maintenance at Level 3;"))
        .add_paragraph(item(NESTED_BULLETS, 1, "business administration at Level 3, based in the contract office and working alongside the council's own contract management team;"))
        .add_paragraph(item(NESTED_BULLETS, 0, "give each apprentice a workplace mentor who is not their line manager;"))
        .add_paragraph(item(NESTED_BULLETS, 0, "pay apprentices the Real Living Wage rather than the apprentice minimum wage."))
        .add_paragraph(h2("How an apprentice joins"))
        .add_paragraph(p("The steps for a new apprentice are:"))
        .add_paragraph(item(STEPS, 0, "An open day at the depot, run with the jobs hub and the college."))
        .add_paragraph(item(STEPS, 0, "A short application form, with help from the jobs hub or the college for anyone who would like it, and no need for a CV."))
        .add_paragraph(item(STEPS, 0, "A practical assessment day instead of a formal interview, made up of:"))
        .add_paragraph(item(STEPS, 1, "a site visit with a supervisor;"))
        .add_paragraph(item(STEPS, 1, "a team task with other applicants;"))
        .add_paragraph(item(STEPS, 0, "An offer within a week, and a start date agreed with the college."))
        .add_paragraph(h2("Work placements"))
        .add_paragraph(p(
            "Alongside the apprenticeships we will offer work placements of four to eight weeks for people who are not yet ready for an apprenticeship. Each placement includes:",
        ))
        .add_paragraph(item(LETTERED, 0, "a named supervisor and a weekly review;"))
        .add_paragraph(item(LETTERED, 0, "travel costs paid in advance, so that no one is out of pocket;"))
        .add_paragraph(item(LETTERED, 0, "a reference and help with applications at the end of the placement."))
        .add_paragraph(p(
            "Placements are open to care leavers, veterans, people with a disability and people who have been out of work for more than a year.",
        ))
}

/// A bold run-in heading and its text in one paragraph.
fn run_in(heading: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(heading).bold())
        .add_run(Run::new().add_text(text))
}

/// A heading made by direct formatting: bold body text with an outline level.
fn bold_heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text).bold())
        .outline_lvl(2)
        .keep_next(true)
        .line_spacing(LineSpacing::new().before(120).after(60))
}

fn subheading(text: &str) -> Paragraph {
    p(text).style("NumberedSubheading").keep_next(true)
}

fn headings_bold() -> Docx {
    base(SERIF)
        .add_paragraph(h1("7 Social value"))
        .add_paragraph(p(
            "This section answers question 7 of the tender. It follows the order of the council's social value framework.",
        ))
        .add_paragraph(h2("Employment and skills"))
        .add_paragraph(subheading("7.1 Local employment"))
        .add_paragraph(p(
            "Of the 46 people who will work on this contract, 38 already live in the borough. When posts fall vacant we will recruit through the jobs hub first, and we expect at least 12 new starters from the borough over the first two years.",
        ))
        .add_paragraph(subheading("7.2 Apprenticeships"))
        .add_paragraph(p(
            "We will take on two apprentices in each year of the contract, in grounds maintenance and in fleet maintenance. Each apprentice will be paid the Real Living Wage and offered a permanent post on completion.",
        ))
        .add_paragraph(bold_heading("7.3 Work experience"))
        .add_paragraph(p(
            "We will offer 20 weeks of work experience a year to pupils from local schools and to students at the further education college.",
        ))
        .add_paragraph(h2("Environment"))
        .add_paragraph(subheading("7.4 Carbon reduction"))
        .add_paragraph(p(
            "Our carbon reduction plan commits us to net zero for our own operations by 2035. On this contract we will move to electric vans by March 2028 and cut emissions from the depot by 40% against our 2024 baseline.",
        ))
        .add_paragraph(bold_heading("7.5 Waste"))
        .add_paragraph(p(
            "Green waste from the contract will be composted at a site within the borough, and the compost given free to community gardens.",
        ))
        .add_paragraph(h2("Communities"))
        .add_paragraph(run_in(
            "Volunteering. ",
            "Every member of staff will have two paid days a year to volunteer with a local group of their choice, and we will match the hours they give in their own time.",
        ))
        .add_paragraph(run_in(
            "Community events. ",
            "We will support at least four community events a year in the borough's parks with staff, equipment and clearing up afterwards.",
        ))
        .add_paragraph(subheading("7.6 Reporting"))
        .add_paragraph(p(
            "We will report against every commitment in this section each quarter, using the council's social value portal.",
        ))
}

/// A paragraph that ends a section: `columns` text columns, starting on the same page as the
/// section before (continuous).
fn section_end(columns: usize) -> Paragraph {
    Paragraph::new().section_property(SectionProperty {
        columns,
        space: 567,
        section_type: Some(SectionType::Continuous),
        page_margin: PageMargin {
            top: PAGE_MARGIN,
            left: PAGE_MARGIN,
            bottom: PAGE_MARGIN,
            right: PAGE_MARGIN,
            header: 624,
            footer: 624,
            gutter: 0,
        },
        ..Default::default()
    })
}

const COLUMN_BULLETS: usize = 30;

/// Headings without "keep with next": LibreOffice 7.4 does not balance the columns of a
/// continuous section that holds one, and moves the section after it to a new page.
fn h1_loose(text: &str) -> Paragraph {
    p(text).style("Heading1")
}

fn h2_loose(text: &str) -> Paragraph {
    p(text).style("Heading2")
}

fn two_columns() -> Docx {
    let mut docx = with_numbering(base(SANS), COLUMN_BULLETS, WORD_BULLETS);
    // The last section (after the two-column one) is single-column and continuous too.
    docx.document.section_property.section_type = Some(SectionType::Continuous);
    docx.add_paragraph(h1_loose("Community and volunteering"))
        .add_paragraph(p(
            "This part of our answer covers what we will give back to the communities the contract serves, beyond the service itself.",
        ))
        .add_paragraph(section_end(1))
        .add_paragraph(h2_loose("Volunteering"))
        .add_paragraph(p(
            "Our staff already give more than 300 hours a year to local causes, most of it in their own time. We want to make this easier and to point it at what residents say they need.",
        ))
        .add_paragraph(p("Each team on the contract will:"))
        .add_paragraph(item(COLUMN_BULLETS, 0, "choose a local group to support for the year;"))
        .add_paragraph(item(COLUMN_BULLETS, 0, "give at least 40 hours of paid time to that group;"))
        .add_paragraph(item(COLUMN_BULLETS, 0, "report what the time was used for and what changed as a result."))
        .add_paragraph(p(
            "The community groups will be chosen with the ward councillors and the council's voluntary sector team, so that help goes where it is needed most.",
        ))
        .add_paragraph(h2_loose("Local suppliers"))
        .add_paragraph(p(
            "We buy materials, plant hire and vehicle servicing for this contract from about forty firms. Fourteen of them are based in the borough, and we want that number to grow.",
        ))
        .add_paragraph(p(
            "We will hold a meet-the-buyer event each year, split large orders into smaller lots where this does not add cost, and pay every small supplier within 20 days of a valid invoice.",
        ))
        .add_paragraph(h2_loose("Carbon"))
        .add_paragraph(p(
            "Buying locally also cuts delivery miles. We will record the distance each delivery travels and report the carbon saved each year.",
        ))
        .add_paragraph(section_end(2))
        .add_paragraph(p(
            "The social value lead will report on volunteering and local spend at every quarterly review.",
        ))
}

// ---------------------------------------------------------------------------------------------

/// Packs the document, applies the XML edits docx-rs cannot express, and rewrites the package
/// with deflate and a fixed timestamp.
fn finish(docx: Docx) -> Result<Vec<u8>> {
    let mut stored = Cursor::new(Vec::new());
    docx.build().pack(&mut stored).context("packing the DOCX")?;
    let mut input =
        zip::ZipArchive::new(Cursor::new(stored.get_ref())).context("reading the packed DOCX")?;
    let mut output = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let time = zip::DateTime::from_date_and_time(2026, 11, 2, 9, 0, 0)
        .map_err(|e| anyhow::anyhow!("timestamp: {e}"))?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time);
    for i in 0..input.len() {
        let mut entry = input.by_index(i).context("reading a DOCX part")?;
        let name = entry.name().context("a DOCX part name")?.to_string();
        if entry.is_dir() {
            continue;
        }
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .with_context(|| format!("reading part {name}"))?;
        if name == "word/document.xml" {
            let xml = String::from_utf8(bytes).context("document.xml is not UTF-8")?;
            bytes = post_process(&xml).into_bytes();
        }
        output
            .start_file(name.as_str(), options)
            .with_context(|| format!("writing part {name}"))?;
        output.write_all(&bytes)?;
    }
    Ok(output.finish().context("finishing the DOCX")?.into_inner())
}

/// The one edit docx-rs cannot make: a row built with `cant_split()` is a header row that
/// repeats at the top of each page (`<w:tblHeader/>`; it follows `w:cantSplit` in `w:trPr`).
fn post_process(xml: &str) -> String {
    xml.replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
}

fn main() -> Result<()> {
    let out = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("fixtures/structure"), PathBuf::from);
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    type Make = fn() -> Docx;
    let cases: &[(&str, Make)] = &[
        ("table_borders", table_borders),
        ("table_no_borders", table_no_borders),
        ("table_merged", table_merged),
        ("table_page_break", table_page_break),
        ("bullets_symbol", bullets_symbol),
        ("bullets_nested", bullets_nested),
        ("headings_bold", headings_bold),
        ("two_columns", two_columns),
    ];
    for (name, make) in cases {
        let path = out.join(format!("{name}.docx"));
        let bytes = finish(make())?;
        std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        println!("{}", path.display());
    }
    Ok(())
}
