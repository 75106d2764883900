//! `tenderscope runs [--index DIR] [--json]`: the run log, one line per ingest run, oldest
//! first. A log line that cannot be read is reported (exit 1) and the rest still printed.

use std::path::PathBuf;

use tenderscope::index::{Store, DEFAULT_DIR};
use tenderscope::ingest::{read_runs, RunRecord};

use super::Exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The index folder.
    #[arg(long, default_value = DEFAULT_DIR)]
    pub index: PathBuf,
    /// Print each run's full record as one JSON line, as it is logged.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let store = Store::open(&args.index)?;
    let runs = read_runs(&store)?;
    let mut bad = 0usize;
    if !args.json && !runs.is_empty() {
        println!(
            "{:<20} {:>8} {:>6} {:>6} {:>7} {:>7} {:>9} {:>7} {:>9} {:>6}  versions (rules; extractor)",
            "started", "seconds", "files", "added", "changed", "removed", "unchanged", "reclass",
            "extracted", "failed"
        );
    }
    for run in &runs {
        match run {
            Ok(r) if args.json => println!("{}", serde_json::to_string(r)?),
            Ok(r) => println!("{}", line(r)),
            Err(e) => {
                bad += 1;
                eprintln!("error: run log line unreadable: {e}");
            }
        }
    }
    if runs.is_empty() {
        eprintln!("no runs logged in {}", store.runs_path().display());
    }
    Ok(if bad > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}

fn line(r: &RunRecord) -> String {
    format!(
        "{:<20} {:>8.1} {:>6} {:>6} {:>7} {:>7} {:>9} {:>7} {:>9} {:>6}  {}; {}",
        r.started,
        r.seconds,
        r.files,
        r.added,
        r.changed,
        r.removed,
        r.unchanged,
        r.reclassified,
        r.extracted,
        r.failed,
        r.ruleset_version,
        r.extractor_version
    )
}
