//! `tenderscope extract FILE... [--format text|json]`

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;
use tenderscope::document::Document;
use tenderscope::extract::{extract_files, isolate};
use tenderscope::Limits;

use super::Exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// PDF or DOCX files (the format is told from the content, not the extension).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// `text`: each page's text, pages separated by a form feed. `json`: one JSON object per
    /// file and line, with hash, metadata and blocks.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Files read at once (default: the number of CPUs).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Read files in this process instead of in watchdog-guarded worker processes. Faster to
    /// start, but a file that crashes a parser takes the whole run down with it.
    #[arg(long)]
    pub in_process: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    path: &'a std::path::Path,
    #[serde(flatten)]
    doc: &'a Document,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let limits = Limits::default();
    let jobs = super::jobs(args.jobs);
    let results = if args.in_process {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
        pool.install(|| extract_files(&args.files, &limits))
    } else {
        let exe = isolate::current_exe()?;
        isolate::extract_isolated(&exe, &args.files, &limits, jobs, |_, _| {})
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    for (path, result) in args.files.iter().zip(results) {
        match result {
            Ok(doc) => {
                for w in &doc.warnings {
                    match w.page {
                        Some(p) => {
                            eprintln!("warning: {}: page {p}: {}", path.display(), w.message)
                        }
                        None => eprintln!("warning: {}: {}", path.display(), w.message),
                    }
                }
                match args.format {
                    OutputFormat::Text => out.write_all(doc.text().as_bytes())?,
                    OutputFormat::Json => {
                        serde_json::to_writer(&mut out, &JsonDoc { path, doc: &doc })?;
                        out.write_all(b"\n")?;
                    }
                }
            }
            Err(err) => {
                failed = true;
                out.flush()?;
                eprintln!("error: {err}");
            }
        }
    }
    out.flush()?;
    Ok(if failed { Exit::Partial } else { Exit::Success })
}
