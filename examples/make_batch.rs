//! A synthetic tender batch for benchmarks: N suppliers x M files built from the demo batch.
//!
//! ```text
//! cargo run --example make_batch -- OUT --suppliers N --files M [--from fixtures/demo]
//! ```
//!
//! Writes `OUT/supplier-00000/00-social-value-plan.pdf` and so on: supplier `s` gets files
//! `s*M .. s*M+M` of the demo batch's 17 files taken in turn (sorted by path), so every demo file
//! is used about equally. Every output file is distinct (its own sha256), so that ingest
//! extracts and indexes each one rather than finding it in its cache:
//!
//! * a PDF gets a comment line `%tenderscope-bench copy K` appended after its `%%EOF`: a PDF
//!   comment, ignored by readers, that changes the bytes but not the text;
//! * a DOCX is re-zipped with `word/document.xml` changed in one place: the first text run
//!   (the title) ends with ` (copy K)`. Its other parts are copied as they are.
//!
//! `K` is the file's number in the batch. `OUT` must not exist (nothing is overwritten).

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

fn usage() -> ! {
    eprintln!("usage: make_batch OUT --suppliers N --files M [--from DIR]");
    std::process::exit(2)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let (mut suppliers, mut files) = (10usize, 10usize);
    let mut from = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo"));
    while let Some(a) = args.next() {
        let mut num = |name: &str| -> usize {
            args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
                eprintln!("{name} needs a number");
                usage()
            })
        };
        match a.as_str() {
            "--suppliers" => suppliers = num("--suppliers"),
            "--files" => files = num("--files"),
            "--from" => from = args.next().map(PathBuf::from).unwrap_or_else(|| usage()),
            s if !s.starts_with('-') && out.is_none() => out = Some(PathBuf::from(s)),
            _ => usage(),
        }
    }
    let Some(out) = out else { usage() };
    if out.exists() {
        eprintln!("{} exists: give a new folder", out.display());
        std::process::exit(2);
    }
    let sources = demo_files(&from);
    if sources.is_empty() {
        eprintln!("no PDF or DOCX files under {}", from.display());
        std::process::exit(2);
    }
    // Sources that cannot be varied (a DOCX that is not a readable zip) are left out.
    let mut kept = Vec::with_capacity(sources.len());
    let mut bytes: Vec<Vec<u8>> = Vec::with_capacity(sources.len());
    for p in sources {
        let data = std::fs::read(&p).unwrap_or_else(|e| fail(&p, e));
        if is_pdf(&p) || docx_copy(&data, 0).is_ok() {
            kept.push(p);
            bytes.push(data);
        } else {
            eprintln!("{}: not a readable DOCX package, left out", p.display());
        }
    }
    let sources = kept;
    if sources.is_empty() {
        eprintln!("no usable sources");
        std::process::exit(2);
    }
    let mut written = 0usize;
    let mut total_bytes = 0u64;
    for s in 0..suppliers {
        let dir = out.join(format!("supplier-{s:05}"));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| fail(&dir, e));
        for j in 0..files {
            let k = s * files + j;
            let i = k % sources.len();
            let name = sources[i]
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let data = if is_pdf(&sources[i]) {
                pdf_copy(&bytes[i], k)
            } else {
                docx_copy(&bytes[i], k).unwrap_or_else(|e| fail(&sources[i], e))
            };
            let path = dir.join(format!("{j:02}-{name}"));
            std::fs::write(&path, &data).unwrap_or_else(|e| fail(&path, e));
            written += 1;
            total_bytes += data.len() as u64;
        }
    }
    eprintln!(
        "{written} files ({suppliers} suppliers x {files}), {:.1} MB, in {}",
        total_bytes as f64 / 1e6,
        out.display()
    );
}

fn fail(path: &Path, e: impl std::fmt::Display) -> ! {
    eprintln!("{}: {e}", path.display());
    std::process::exit(1)
}

/// The PDF and DOCX files under `root`, sorted.
fn demo_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![(root.to_path_buf(), 0)];
    while let Some((dir, depth)) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                // Symlinks are followed, so the depth is bounded (a link may loop).
                if depth < 8 {
                    dirs.push((p, depth + 1));
                }
            } else if p
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("pdf") || x.eq_ignore_ascii_case("docx"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn is_pdf(path: &Path) -> bool {
    path.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("pdf"))
}

/// The PDF with a comment line after its end: new bytes, same text.
fn pdf_copy(pdf: &[u8], k: usize) -> Vec<u8> {
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.extend_from_slice(format!("%tenderscope-bench copy {k}\n").as_bytes());
    out
}

/// The DOCX with ` (copy K)` at the end of its first text run.
fn docx_copy(docx: &[u8], k: usize) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let name = zip.by_index(i)?.name()?.to_string();
        if name != "word/document.xml" {
            out.raw_copy_file(zip.by_index(i)?)?;
            continue;
        }
        let mut xml = String::new();
        zip.by_index(i)?.read_to_string(&mut xml)?;
        let xml = xml.replacen("</w:t>", &format!(" (copy {k})</w:t>"), 1);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        out.start_file(name.as_str(), options)?;
        out.write_all(xml.as_bytes())?;
    }
    Ok(out.finish()?.into_inner())
}
