//! `tenderscope ingest PATH... [--index DIR] [--tender NAME] [--stage tender|delivery]
//! [--period P] [--jobs N] [--json]`

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use tenderscope::classify::FrameworkId;
use tenderscope::extract::isolate;
use tenderscope::index::{Store, DEFAULT_DIR};
use tenderscope::ingest::{self, Isolation, Options, Progress, RunRecord};
use tenderscope::period::{Period, PERIOD_FORMS};
use tenderscope::Limits;

use super::Exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Batch folders, zips (as tender portals export them) or single files. The supplier is the
    /// first folder or zip level below each root, unless a manifest.csv there says otherwise.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The index folder (created if missing).
    #[arg(long, default_value = DEFAULT_DIR)]
    pub index: PathBuf,
    /// Tender name stamped on every record (default: the batch folder's name).
    #[arg(long)]
    pub tender: Option<String>,
    /// Every file of the run belongs to this supplier: for one supplier's folder (or zip, or
    /// files), which would otherwise be filed by its subfolders or as "(unassigned)".
    #[arg(long)]
    pub supplier: Option<String>,
    /// Files extracted at once (default: the number of CPUs).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Print the run summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// The rule directory (default: the rule set the index was built with, recorded in it;
    /// for a new index, the built-in set; never the working folder's).
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// The framework to map principles with (default: the index's, else the rule set's default).
    #[arg(long, value_parser = <FrameworkId as std::str::FromStr>::from_str)]
    pub framework: Option<FrameworkId>,
    /// Extract in this process instead of watchdog-guarded worker processes.
    #[arg(long)]
    pub in_process: bool,
    /// Let this run remove all of a root's indexed files, or more than half of a root with
    /// more than 5: without it such a run stops with exit 2 and changes nothing (an empty
    /// folder is what an unmounted share looks like).
    #[arg(long)]
    pub allow_removals: bool,
    /// `tender` (submissions: what suppliers promise) or `delivery` (monitoring returns after
    /// award: what they delivered; needs --period, and the tender batch already in the index).
    #[arg(long, value_enum, default_value_t = StageArg::Tender)]
    pub stage: StageArg,
    /// The period monitoring returns report on: a month (2027-05), a quarter (2027-Q2), a
    /// year (2027) or a financial year (FY2027-28). Only with --stage delivery.
    #[arg(long)]
    pub period: Option<Period>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageArg {
    Tender,
    Delivery,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let delivery = match (args.stage, args.period) {
        (StageArg::Tender, None) => None,
        (StageArg::Tender, Some(p)) => anyhow::bail!(
            "--period {p}: a period is for monitoring returns; add --stage delivery (nothing was ingested)"
        ),
        (StageArg::Delivery, Some(p)) => Some(p),
        (StageArg::Delivery, None) => anyhow::bail!(
            "--stage delivery needs --period: the period the returns report on ({PERIOD_FORMS}); nothing was ingested"
        ),
    };
    // A batch root that is not there (a typo, a share not mounted) stops the run before the
    // index is touched: going on would remove every file indexed from it.
    for path in &args.paths {
        if let Err(e) = std::fs::metadata(path) {
            anyhow::bail!(
                "{}: {e}; nothing was ingested and the index was not changed",
                path.display()
            );
        }
    }
    // Bad rules or an unusable index: nothing can be done (exit 2 through the error path).
    let (rules, _, recorded_framework) =
        super::rules::rules_for_index(args.rules.as_deref(), &args.index)?;
    let classifier = rules
        .classifier(
            args.framework
                .as_ref()
                .or(recorded_framework.as_ref())
                .map(FrameworkId::as_str),
        )
        .map_err(anyhow::Error::msg)?;
    let store = Store::open_or_create(&args.index)
        .with_context(|| format!("cannot open the index {}", args.index.display()))?;
    let isolation = if args.in_process {
        Isolation::InProcess
    } else {
        Isolation::Workers(isolate::current_exe()?)
    };
    let opts = Options {
        paths: args.paths.clone(),
        tender: args.tender.clone(),
        supplier: args.supplier.clone(),
        jobs: super::jobs(args.jobs),
        limits: Limits::default(),
        isolation,
        classifier,
        allow_removals: args.allow_removals,
        chunk_files: 0,
        delivery,
    };

    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} files  {msg}  {per_sec}  {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let pages = std::sync::atomic::AtomicU64::new(0);
    let progress = |p: Progress| {
        let pages = pages.fetch_add(p.pages, std::sync::atomic::Ordering::Relaxed) + p.pages;
        match &bar {
            Some(bar) => {
                bar.set_length(p.total as u64);
                bar.set_position(p.done as u64);
                bar.set_message(format!("{pages} pages, {} failed", p.failed));
            }
            None => {
                if p.done == p.total || p.done.is_multiple_of(100) {
                    // A log file on a full disk must not stop the run.
                    let _ = writeln!(
                        std::io::stderr(),
                        "extracted {}/{} files, {pages} pages, {} failed",
                        p.done,
                        p.total,
                        p.failed
                    );
                }
            }
        }
    };
    let rec = ingest::run(&store, &opts, &progress)?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rec)?)
    } else {
        print_summary(&mut out, &rec, &args.index)
    }
    .and_then(|()| out.flush())
    .context("the run was committed, but its summary could not be printed")?;
    // Any submitted file that could not be read is a partial run: an evaluator must know.
    Ok(
        if rec.failed > 0 || rec.not_read.iter().any(|u| u.is_loss()) {
            Exit::Partial
        } else {
            Exit::Success
        },
    )
}

fn print_summary(
    out: &mut impl Write,
    rec: &RunRecord,
    index: &std::path::Path,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} files: {} added, {} changed, {} removed, {} unchanged ({} re-classified, {} re-checked), {} failed",
        rec.files,
        rec.added,
        rec.changed,
        rec.removed,
        rec.unchanged,
        rec.reclassified,
        rec.rechecked,
        rec.failed
    )?;
    if !rec.rule_change.is_empty() {
        writeln!(out, "rule change {}", rec.rule_change)?;
    }
    writeln!(
        out,
        "written: {} pages, {} passages, {} commitments in {:.1} s; index {}",
        rec.pages,
        rec.passages,
        rec.commitments,
        rec.seconds,
        index.display()
    )?;
    if !rec.suppliers.is_empty() {
        writeln!(
            out,
            "{:<32} {:>5} {:>6} {:>9} {:>12}",
            "supplier", "files", "pages", "passages", "commitments"
        )?;
        for (name, c) in &rec.suppliers {
            writeln!(
                out,
                "{:<32} {:>5} {:>6} {:>9} {:>12}",
                name, c.files, c.pages, c.passages, c.commitments
            )?;
        }
    }
    print_not_read(out, rec)?;
    for c in &rec.corrections {
        writeln!(out, "corrected: {c}")?;
    }
    for w in &rec.warnings {
        let _ = writeln!(std::io::stderr(), "warning: {w}");
    }
    for f in &rec.failures {
        let _ = writeln!(std::io::stderr(), "error: {}: {}", f.origin, f.reason);
    }
    Ok(())
}

/// Every file (or page) under the roots that was not read, with the reason: nothing is left
/// out of the summary.
fn print_not_read(out: &mut impl Write, rec: &RunRecord) -> std::io::Result<()> {
    if rec.not_read.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "not read: {} failed, {} unsupported format, {} skipped by rule, {} page(s) without a text layer",
        rec.failed, rec.unsupported, rec.skipped, rec.no_text_pages
    )?;
    for u in &rec.not_read {
        writeln!(
            out,
            "  {:<19} {:<24} {}: {}",
            u.status.label(),
            u.supplier,
            u.origin,
            u.reason
        )?;
    }
    Ok(())
}
