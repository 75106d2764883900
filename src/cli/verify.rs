//! `tenderscope verify [--index DIR] [--jobs N] [--json]`: re-hash every indexed source file
//! and list the missing or changed ones (chain of custody). Exit 1 if there is any.

use std::path::PathBuf;

use tenderscope::custody::{self, State};
use tenderscope::index::DEFAULT_DIR;
use tenderscope::records::Records;
use tenderscope::Limits;

use super::Exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The index folder.
    #[arg(long, default_value = DEFAULT_DIR)]
    pub index: PathBuf,
    /// Files hashed at once (default: the number of CPUs).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Print one JSON object per source (all of them, unchanged ones too).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let records = Records::open(&args.index)?;
    let docs = records.documents()?;
    let checks = custody::check_all(&docs, &Limits::default(), super::jobs(args.jobs));
    let (mut missing, mut changed, mut unreadable) = (0usize, 0usize, 0usize);
    for c in &checks {
        match &c.state {
            State::Unchanged => {}
            State::Missing { .. } => missing += 1,
            State::Changed { .. } => changed += 1,
            State::Unreadable { .. } => unreadable += 1,
        }
        if args.json {
            println!("{}", serde_json::to_string(c)?);
            continue;
        }
        match &c.state {
            State::Unchanged => {}
            State::Missing { reason } => println!("missing     {}  ({reason})", c.origin),
            State::Changed { sha256 } => println!(
                "changed     {}  (indexed sha256 {}, now {sha256})",
                c.origin, c.sha256
            ),
            State::Unreadable { reason } => println!("unreadable  {}  ({reason})", c.origin),
        }
    }
    let bad = missing + changed + unreadable;
    let summary = format!(
        "{} sources: {} unchanged, {changed} changed, {missing} missing, {unreadable} unreadable",
        checks.len(),
        checks.len() - bad
    );
    if args.json {
        eprintln!("{summary}");
    } else {
        println!("{summary}");
    }
    Ok(if bad > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}
