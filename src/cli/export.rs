//! `tenderscope export [--index DIR] [--format jsonl]`: every document and passage record as
//! one flat JSON object per line, with full provenance (see [`tenderscope::records`]): the shape
//! Quickwit and OpenSearch ingest as they are, for deployments that outgrow one machine.
//!
//! Records stream from the index in its order (a document's records together); memory stays
//! flat. A record that cannot be read is reported on stderr and the export goes on (exit 1).

use std::io::Write;
use std::path::PathBuf;

use tenderscope::index::DEFAULT_DIR;
use tenderscope::records::Records;

use super::Exit;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// JSON lines: one record per line.
    Jsonl,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The index folder.
    #[arg(long, default_value = DEFAULT_DIR)]
    pub index: PathBuf,
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let Format::Jsonl = args.format;
    let records = Records::open(&args.index)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut written, mut bad) = (0u64, 0u64);
    let mut closed = false;
    let walk = records.for_each(|rec| {
        match rec {
            Ok(rec) => {
                let line = serde_json::to_string(&rec).map_err(|e| tenderscope::Error::Index {
                    path: args.index.clone(),
                    detail: format!("record {}: {e}", rec.id()),
                })?;
                let io = writeln!(out, "{line}");
                if let Err(e) = io {
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        closed = true;
                    }
                    return Err(tenderscope::Error::Io {
                        path: "<stdout>".into(),
                        source: e,
                    });
                }
                written += 1;
            }
            Err(e) => {
                bad += 1;
                eprintln!("error: {e}");
            }
        }
        Ok(())
    });
    if closed {
        // The reader went away (`export | head`): not an error of ours.
        return Ok(Exit::Success);
    }
    walk?;
    if let Err(e) = out.flush() {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(Exit::Success);
        }
        return Err(e.into());
    }
    eprintln!("exported {written} records, {bad} unreadable");
    Ok(if bad > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}
