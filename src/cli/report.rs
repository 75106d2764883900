//! `tenderscope report [--index DIR] [--tender NAME] [--framework ID] [--format md|html|csv|json|docx]
//! [-o FILE]`: the evaluator's scorecard. The same index gives the same bytes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use tenderscope::index::{Store, DEFAULT_DIR};
use tenderscope::report::{self, Format, Options};

use super::Exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, default_value = DEFAULT_DIR)]
    pub index: PathBuf,
    /// Only this tender (default: every tender in the index).
    #[arg(long)]
    pub tender: Option<String>,
    /// The framework whose principles are the columns (default: the one the index was
    /// classified with; another one re-classifies the indexed passages for the report).
    #[arg(long)]
    pub framework: Option<String>,
    /// md, html (one self-contained file), csv (one row per finding), json or docx.
    #[arg(long, default_value = "md", value_parser = ["md", "html", "csv", "json", "docx"])]
    pub format: String,
    /// Write to this file (default: standard output; docx needs a file or a pipe).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// The rule directory (default: ./rules if it exists, else the built-in rule set).
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let format =
        Format::parse(&args.format).with_context(|| format!("unknown format `{}`", args.format))?;
    let (rules, _) = super::rules::load_rules(args.rules.as_deref())?;
    let store = Store::open(&args.index)?;
    let reader = store.reader()?;
    let opts = Options {
        tender: args.tender.clone(),
        framework: args.framework.clone(),
    };
    let report = report::gather(&store, &reader.searcher(), &rules, &opts)?;
    if let Some(t) = &args.tender {
        if report.findings.is_empty() && report.suppliers.is_empty() {
            anyhow::bail!("no tender `{t}` in the index {}", args.index.display());
        }
    }
    let bytes = report::render(&report, format)?;
    match &args.output {
        Some(path) => std::fs::write(path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let stdout = std::io::stdout();
            if format == Format::Docx && stdout.is_terminal() {
                anyhow::bail!("a DOCX report is binary: give -o FILE or redirect the output");
            }
            let mut out = stdout.lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(Exit::Success)
}
