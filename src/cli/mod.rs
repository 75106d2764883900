//! Command-line definitions and dispatch.

mod classify;
mod export;
mod extract;
mod ingest;
mod ledger;
mod report;
mod rules;
mod runs;
mod search;
mod serve;
mod show;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// How a command ended. A small closed set, as `ruff` and `ripgrep` do it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked.
    Success,
    /// Some inputs failed; the rest were processed.
    Partial,
    /// Nothing could be done (bad flags, bad rules, unusable index).
    Fatal,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        match e {
            Exit::Success => ExitCode::SUCCESS,
            Exit::Partial => ExitCode::from(1),
            Exit::Fatal => ExitCode::from(2),
        }
    }
}

#[derive(Parser, Debug)]
#[command(name = "tenderscope", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Extract text from PDF and DOCX files (in parallel, printed in input order).
    Extract(extract::Args),
    /// Ingest a tender batch: extract, classify and index every file (incremental on re-runs).
    Ingest(ingest::Args),
    /// Commitments against delivery: each awarded supplier's promises with what its
    /// monitoring returns say was delivered, the status and the evidence.
    Ledger(ledger::Args),
    /// Search the indexed passages, with evidence.
    Search(search::Args),
    /// The evaluator's scorecard: suppliers by principles, with evidence (md, html, csv, json, docx).
    Report(report::Args),
    /// The auditor's read-only web page and JSON API over the index.
    Serve(serve::Args),
    /// Internal: serve extraction requests from a parent process (one path per stdin line).
    #[command(hide = true)]
    Worker,
    /// Classify passages, one per input line, printing one JSON object per passage.
    Classify(classify::Args),
    /// Work with rule sets: run their examples, print their version.
    Rules(rules::Args),
    /// Show the evidence for one passage: the quote in context, its source and why it matched.
    Show(show::Args),
    /// Re-hash every indexed source file and list the missing or changed ones.
    Verify(verify::Args),
    /// Print the run log: one line per ingest run.
    Runs(runs::Args),
    /// Export every document and passage record as JSON lines with full provenance.
    Export(export::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Ledger(args) => ledger::run(args),
        Command::Search(args) => search::run(args),
        Command::Report(args) => report::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Worker => {
            tenderscope::extract::isolate::worker_main(&tenderscope::Limits::default())?;
            Ok(Exit::Success)
        }
        Command::Classify(args) => classify::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Show(args) => show::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Runs(args) => runs::run(args),
        Command::Export(args) => export::run(args),
    }
}

/// The number of parallel jobs: as asked, else one per CPU.
pub fn jobs(asked: Option<usize>) -> usize {
    asked
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
