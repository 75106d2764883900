//! `tenderscope report [--index DIR] [--tender NAME] [--framework ID] [--format md|html|csv|json|docx]
//! [-o FILE]`: the evaluator's scorecard. The same index gives the same bytes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use std::collections::BTreeSet;

use anyhow::Context;
use tenderscope::classify::FrameworkId;
use tenderscope::filters;
use tenderscope::index::{Store, DEFAULT_DIR};
use tenderscope::report::{self, Format, Options};

use super::Exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, default_value = DEFAULT_DIR)]
    pub index: PathBuf,
    /// The tender to report on (default: the one ingested last). One scorecard is one tender:
    /// suppliers of different tenders are not compared.
    #[arg(long)]
    pub tender: Option<String>,
    /// The framework whose principles are the columns (default: the one the index was
    /// classified with; another one re-classifies the indexed passages for the report).
    #[arg(long, value_parser = <FrameworkId as std::str::FromStr>::from_str)]
    pub framework: Option<FrameworkId>,
    /// md, html (one self-contained file), csv (one row per finding), json or docx.
    #[arg(long, default_value = "md", value_parser = Format::parse)]
    pub format: Format,
    /// Write to this file (default: standard output; docx needs a file or a pipe).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// The rule directory (default: the rule set the index was built with, recorded in it).
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let format = args.format;
    let (rules, _, _) = super::rules::rules_for_index(args.rules.as_deref(), &args.index)?;
    let store = Store::open(&args.index)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let tenders = report::gather::tenders(&store, &searcher)?;
    let names: BTreeSet<String> = tenders.iter().map(|(t, _)| t.clone()).collect();
    let tender = match &args.tender {
        // An unknown tender is an error with suggestions; the name matches in any case.
        Some(t) => filters::resolve_one("tender", t, &names)?,
        None => match tenders.first() {
            Some((t, _)) => {
                let others: Vec<&str> = tenders[1..].iter().map(|(t, _)| t.as_str()).collect();
                if others.is_empty() {
                    eprintln!("report on tender `{t}`, the only one in the index");
                } else {
                    eprintln!(
                        "report on tender `{t}`, the latest ingested; the index also holds {} (--tender NAME)",
                        others.join(", ")
                    );
                }
                t.clone()
            }
            None => anyhow::bail!(
                "the index {} holds no tender: run `tenderscope ingest` first",
                args.index.display()
            ),
        },
    };
    let opts = Options {
        tender: Some(tender),
        framework: args.framework.clone(),
    };
    let report = report::gather(&store, &searcher, &rules, &opts)?;
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
