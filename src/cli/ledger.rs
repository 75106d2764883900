//! `tenderscope ledger [--index DIR] [--json | --csv] [--tender T] [--supplier S]
//! [--status S,...] [--start YYYY-MM] [--as-of YYYY-MM]`: each awarded supplier's commitments against what its
//! monitoring returns say was delivered ([`tenderscope::ledger`]).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use tenderscope::index::DEFAULT_DIR;
use tenderscope::ledger::{self, figure_text, Ledger, Row, Shape, Status};
use tenderscope::period::Month;
use tenderscope::records::Records;

use super::Exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The index folder.
    #[arg(long, default_value = DEFAULT_DIR)]
    pub index: PathBuf,
    /// Print the rows as JSON (a list; the fields are in the README).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print the rows as CSV.
    #[arg(long)]
    pub csv: bool,
    /// Only this tender.
    #[arg(long)]
    pub tender: Option<String>,
    /// Only this supplier (any case and spacing).
    #[arg(long)]
    pub supplier: Option<String>,
    /// Only rows of these statuses (`met`, `on_track`, `behind`, `overdue`, `no_evidence`,
    /// `not_measurable`, `unmatched`), comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = status)]
    pub status: Vec<Option<Status>>,
    /// The contract's first month, YYYY-MM (default: the first month of the earliest return).
    #[arg(long, value_parser = month)]
    pub start: Option<Month>,
    /// Judge the ledger as at the end of this month, YYYY-MM (default: the last month of the
    /// latest return).
    #[arg(long, value_parser = month)]
    pub as_of: Option<Month>,
}

fn status(s: &str) -> Result<Option<Status>, String> {
    if s == "unmatched" {
        return Ok(None);
    }
    Status::ALL
        .into_iter()
        .find(|st| st.as_str() == s)
        .map(Some)
        .ok_or_else(|| {
            format!(
                "{s:?} is not a status: use {}, unmatched",
                Status::ALL.map(|st| st.as_str()).join(", ")
            )
        })
}

fn month(s: &str) -> Result<Month, String> {
    let ok = s.len() == 7 && s.as_bytes().get(4) == Some(&b'-');
    ok.then(|| Month::parse_date(s))
        .flatten()
        .ok_or_else(|| format!("{s:?} is not a month: write YYYY-MM (2027-01)"))
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let records = Records::open(&args.index)?;
    let opts = ledger::Options {
        tender: args.tender.clone(),
        supplier: args.supplier.clone(),
        start: args.start,
        as_of: args.as_of,
    };
    let mut ledger = ledger::read(&records, &opts)?;
    if !args.status.is_empty() {
        ledger.rows.retain(|r| args.status.contains(&r.status));
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &ledger.rows)?;
        writeln!(out)?;
    } else if args.csv {
        write_csv(&mut out, &ledger)?;
    } else {
        print_table(&mut out, &ledger, &args)?;
    }
    out.flush().context("writing the ledger")?;
    Ok(Exit::Success)
}

fn target_text(row: &Row) -> String {
    let Some(t) = &row.target else {
        return "-".into();
    };
    let yearly = ["year", "annum", "annually"]
        .iter()
        .any(|w| t.text.to_lowercase().contains(w));
    let shape = match t.shape {
        Shape::Total { due: Some(d) } => format!(" by {d}"),
        Shape::Total { due: None } => String::new(),
        Shape::PerYear if yearly => String::new(),
        Shape::PerYear => " a year".into(),
        Shape::Rate => " held".into(),
        Shape::Milestone { due } => format!(" by {due}"),
    };
    format!("{}{shape}", t.text)
}

fn delivered_text(row: &Row) -> String {
    if row.delivered.is_empty() {
        return "-".into();
    }
    row.delivered
        .iter()
        .map(|d| format!("{} {}", d.period, figure_text(d.value)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn short(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        text
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

fn print_table(out: &mut impl Write, ledger: &Ledger, args: &Args) -> anyhow::Result<()> {
    if ledger.rows.is_empty() {
        writeln!(
            out,
            "no monitoring returns{}: ingest them with `tenderscope ingest PATH --stage delivery --period P`",
            match (&args.tender, &args.supplier) {
                (None, None) => String::new(),
                _ => " for this tender or supplier".into(),
            }
        )?;
        return Ok(());
    }
    let mut supplier = "";
    for row in &ledger.rows {
        if row.supplier != supplier {
            supplier = &row.supplier;
            writeln!(
                out,
                "\n{} ({}), as at {}",
                row.supplier, row.tender, row.as_of
            )?;
            writeln!(
                out,
                "{:<14} {:<26} {:>9} {:>9}  {:<30} commitment",
                "status", "target", "expected", "to date", "per period"
            )?;
        }
        let status = match row.status {
            Some(s) => s.to_string(),
            None => "unmatched".into(),
        };
        let what = match &row.commitment {
            Some(c) => short(c, 60),
            None => row
                .evidence
                .first()
                .map(|e| format!("({}) {}", e.figure, short(&e.quote, 50)))
                .unwrap_or_default(),
        };
        let corrected = if row.corrected.is_empty() {
            ""
        } else {
            " [corrected]"
        };
        writeln!(
            out,
            "{:<14} {:<26} {:>9} {:>9}  {:<30} {what}{corrected}",
            status,
            short(&target_text(row), 26),
            row.expected.map(figure_text).unwrap_or_else(|| "-".into()),
            row.cumulative
                .map(figure_text)
                .unwrap_or_else(|| "-".into()),
            short(&delivered_text(row), 30),
        )?;
    }
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for row in &ledger.rows {
        let s = row
            .status
            .map_or("unmatched".to_string(), |s| s.to_string());
        *counts.entry(s).or_default() += 1;
    }
    writeln!(
        out,
        "\n{}",
        counts
            .iter()
            .map(|(s, n)| format!("{n} {s}"))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    Ok(())
}

fn write_csv(out: &mut impl Write, ledger: &Ledger) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "tender",
        "supplier",
        "status",
        "unmatched",
        "commitment",
        "commitment_id",
        "target",
        "expected",
        "cumulative",
        "delivered",
        "evidence",
        "link",
        "corrected",
        "note",
        "as_of",
    ])?;
    for row in &ledger.rows {
        let evidence = row
            .evidence
            .iter()
            .map(|e| format!("{} p.{} {} ({})", e.file, e.page, e.figure, e.passage))
            .collect::<Vec<_>>()
            .join("; ");
        w.write_record([
            row.tender.clone(),
            row.supplier.clone(),
            row.status.map(|s| s.to_string()).unwrap_or_default(),
            row.unmatched.to_string(),
            row.commitment.clone().unwrap_or_default(),
            row.commitment_id.clone().unwrap_or_default(),
            if row.target.is_some() {
                target_text(row)
            } else {
                String::new()
            },
            row.expected.map(figure_text).unwrap_or_default(),
            row.cumulative.map(figure_text).unwrap_or_default(),
            if row.delivered.is_empty() {
                String::new()
            } else {
                delivered_text(row)
            },
            evidence,
            row.link.join(" / "),
            row.corrected.join(" / "),
            row.note.clone().unwrap_or_default(),
            row.as_of.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}
