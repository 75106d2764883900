//! OCR of page images with Tesseract, run as a separate, bounded process.
//!
//! A page without a text layer (a scan) is read from its images: the PDF reader hands each one
//! over as an image file ([`ImageFile`]: a JPEG as stored, or samples it decoded written out as
//! PGM or a CCITT fax wrapped in TIFF), and [`recognise`] runs
//! `tesseract IMAGE stdout -l eng tsv` on it in a temporary folder that is removed afterwards.
//! The process inherits the extraction worker's address-space limit, is killed past its time
//! limit, and its output is read up to [`Limits::max_ocr_output_bytes`]. Tesseract's TSV gives
//! every word with its box and confidence; words are grouped back into its paragraphs and lines.
//!
//! The program is `tesseract` on `PATH`, or the one named by `TENDERSCOPE_TESSERACT` (a test
//! sets it to a path that does not exist to see the page reported unread).
//!
//! Tesseract's image library does not read JBIG2, the bilevel codec office scanners use for
//! black-and-white pages. A JBIG2 image (with its global segments) is first decoded to PBM
//! by Debian's `jbig2dec`, run the same way: bounded in time, in output (the bitmap its
//! declared size allows) and in memory (`-M`). The program is `jbig2dec` on `PATH`, or the one
//! named by `TENDERSCOPE_JBIG2DEC`. Decoding JBIG2 in-process would mean a C library or
//! writing a decoder for an intricate, often-exploited format; a separate process keeps a
//! hostile stream out of the worker, as Tesseract is.

use std::ffi::OsString;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::limits::Limits;

/// The environment variable that names the Tesseract program to run.
pub const PROGRAM_ENV: &str = "TENDERSCOPE_TESSERACT";

/// The environment variable that names the JBIG2 decoder to run.
pub const JBIG2_PROGRAM_ENV: &str = "TENDERSCOPE_JBIG2DEC";

/// The JBIG2 decoder to run.
pub fn jbig2_program() -> OsString {
    std::env::var_os(JBIG2_PROGRAM_ENV)
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| OsString::from("jbig2dec"))
}

/// Most bytes of the OCR program's error output kept (for the reason of a failure).
const MAX_STDERR_BYTES: u64 = 64 << 10;

/// How often a running OCR process is checked for its end.
const POLL: Duration = Duration::from_millis(20);

/// The Tesseract program to run.
pub fn program() -> OsString {
    std::env::var_os(PROGRAM_ENV)
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| OsString::from("tesseract"))
}

/// Whether the OCR program runs here (`PROGRAM --version` succeeds), asked once per process:
/// ingest reads again the scanned pages an earlier run left unread for want of it.
pub fn available() -> bool {
    static AVAILABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        Command::new(program())
            .arg("--version")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    })
}

/// An encoded image, ready to be written to a file for the OCR program.
#[derive(Clone, Debug)]
pub struct ImageFile {
    pub bytes: Vec<u8>,
    /// The file extension that tells its format: `jpg`, `jp2`, `pgm`, `tif`, or `jb2` for a
    /// JBIG2 stream as a PDF embeds it (decoded to PBM before OCR).
    pub ext: &'static str,
    /// A JBIG2 image's global segments (its `JBIG2Globals` stream), if it has them.
    pub globals: Option<Vec<u8>>,
    /// Its size in pixels.
    pub width: u32,
    pub height: u32,
}

/// One paragraph as Tesseract found it.
#[derive(Clone, Debug, PartialEq)]
pub struct Paragraph {
    /// Its lines, each the words joined by single spaces.
    pub lines: Vec<String>,
    /// `[left, top, right, bottom]` in pixels of the image, top-left origin.
    pub bbox: [u32; 4],
    /// Mean word confidence, 0 to 100.
    pub confidence: f32,
    pub words: u32,
}

/// What OCR read from one image.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OcrText {
    pub paragraphs: Vec<Paragraph>,
}

impl OcrText {
    pub fn words(&self) -> u32 {
        self.paragraphs.iter().map(|p| p.words).sum()
    }

    /// Mean confidence over every word (0 when there are none).
    pub fn confidence(&self) -> f32 {
        let words = self.words();
        if words == 0 {
            return 0.0;
        }
        let sum: f32 = self
            .paragraphs
            .iter()
            .map(|p| p.confidence * p.words as f32)
            .sum();
        sum / words as f32
    }
}

/// A confidence to one decimal place: what is shown and stored for a block and a page.
pub fn round_confidence(conf: f32) -> f32 {
    (conf * 10.0).round() / 10.0
}

/// Why OCR of an image gave no text.
#[derive(Clone, Debug, PartialEq)]
pub enum OcrError {
    /// The program could not be started because it is not there.
    NotFound(String),
    /// The JBIG2 decoder could not be started because it is not there.
    DecoderNotFound(String),
    /// It ran past its time limit and was killed.
    Timeout(Duration),
    /// It wrote more than the output limit and was stopped.
    OutputTooLarge(usize),
    /// It failed: exit status and the first line of what it said.
    Failed(String),
    /// The temporary file or the process could not be set up.
    Io(String),
}

impl std::fmt::Display for OcrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OcrError::NotFound(p) => write!(
                f,
                "OCR unavailable: {p} not found (install Debian's tesseract-ocr and \
                 tesseract-ocr-eng, or name the program in {PROGRAM_ENV})"
            ),
            OcrError::DecoderNotFound(p) => write!(
                f,
                "OCR unavailable for JBIG2 images: {p} not found (install Debian's jbig2dec, \
                 or name the program in {JBIG2_PROGRAM_ENV})"
            ),
            OcrError::Timeout(t) => write!(
                f,
                "OCR killed after {:.0} s (limit ocr_page_budget, or what was left of \
                 time_budget)",
                t.as_secs_f64()
            ),
            OcrError::OutputTooLarge(cap) => write!(
                f,
                "OCR output passed {cap} bytes (limit max_ocr_output_bytes): stopped"
            ),
            OcrError::Failed(what) => write!(f, "OCR failed: {what}"),
            OcrError::Io(what) => write!(f, "OCR could not run: {what}"),
        }
    }
}

/// Read the text of one image with Tesseract, within `time` and the output limit.
pub fn recognise(image: &ImageFile, limits: &Limits, time: Duration) -> Result<OcrText, OcrError> {
    let dir = tempfile::Builder::new()
        .prefix("tenderscope-ocr-")
        .tempdir()
        .map_err(|e| OcrError::Io(format!("temporary folder: {e}")))?;
    let started = Instant::now();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes)
            .map_err(|e| OcrError::Io(format!("writing {}: {e}", path.display())))?;
        Ok::<_, OcrError>(path)
    };
    let path = if image.ext == "jb2" {
        let pbm = decode_jbig2(image, dir.path(), limits, time)?;
        write("page.pbm", &pbm)?
    } else {
        write(&format!("page.{}", image.ext), &image.bytes)?
    };
    let program = program();
    let left = time.saturating_sub(started.elapsed());
    let tsv = run(&program, &path, limits.max_ocr_output_bytes, left)?;
    // `dir` is removed when it goes out of scope, the image with it.
    Ok(parse_tsv(&tsv))
}

/// Decode a JBIG2 image to PBM with the JBIG2 decoder, within `time`: its output may not pass
/// the size of the bitmap the image declares, nor its memory the image byte limit.
fn decode_jbig2(
    image: &ImageFile,
    dir: &std::path::Path,
    limits: &Limits,
    time: Duration,
) -> Result<Vec<u8>, OcrError> {
    let page = dir.join("page.jb2");
    std::fs::write(&page, &image.bytes)
        .map_err(|e| OcrError::Io(format!("writing {}: {e}", page.display())))?;
    let program = jbig2_program();
    let shown = program.to_string_lossy().into_owned();
    let mut cmd = Command::new(&program);
    cmd.args(["-q", "-e", "-t", "pbm", "-o", "-", "-M"])
        .arg(limits.max_image_bytes.to_string());
    if let Some(globals) = &image.globals {
        let path = dir.join("globals.jb2");
        std::fs::write(&path, globals)
            .map_err(|e| OcrError::Io(format!("writing {}: {e}", path.display())))?;
        cmd.arg(path);
    }
    cmd.arg(&page);
    // A PBM row is a whole number of bytes; the header is a few dozen.
    let bitmap = (image.width as usize).div_ceil(8) * image.height as usize + 64;
    let pbm = capture(cmd, &shown, bitmap, time).map_err(|e| match e {
        OcrError::NotFound(p) => OcrError::DecoderNotFound(p),
        OcrError::Failed(what) => OcrError::Failed(format!("decoding JBIG2: {what}")),
        other => other,
    })?;
    if !pbm.starts_with(b"P4") {
        return Err(OcrError::Failed(format!(
            "decoding JBIG2: {shown} gave no PBM image"
        )));
    }
    Ok(pbm)
}

/// Run Tesseract on one image file and return its TSV.
fn run(
    program: &OsString,
    image: &std::path::Path,
    max_output: usize,
    time: Duration,
) -> Result<String, OcrError> {
    let shown = program.to_string_lossy().into_owned();
    let mut cmd = Command::new(program);
    cmd.arg(image)
        .arg("stdout")
        .args(["-l", "eng", "tsv"])
        // One thread: extraction workers already use every core.
        .env("OMP_THREAD_LIMIT", "1");
    let out = capture(cmd, &shown, max_output, time)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Run a command with no input and return its standard output, killed past `time` and
/// stopped past `max_output` bytes; a failure carries the first line of its error output.
///
/// std has no wait with a time limit, and the well-kept crates for it add little to a loop
/// over `try_wait`; the loop is here, with a kill when the time is up.
fn capture(
    mut cmd: Command,
    shown: &str,
    max_output: usize,
    time: Duration,
) -> Result<Vec<u8>, OcrError> {
    let shown = shown.to_string();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => OcrError::NotFound(shown.clone()),
            _ => OcrError::Io(format!("starting {shown}: {e}")),
        })?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(OcrError::Io("no pipes to the OCR process".into()));
    };
    // Each pipe is read on its own thread, up to its cap; past the cap the pipe is closed,
    // and a process that goes on writing ends on the broken pipe (or at its time limit).
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.take(max_output as u64 + 1).read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.take(MAX_STDERR_BYTES).read_to_end(&mut buf);
        buf
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(OcrError::Io(format!("waiting for {shown}: {e}")));
            }
        }
        if started.elapsed() >= time {
            let _ = child.kill();
            let _ = child.wait();
            return Err(OcrError::Timeout(time));
        }
        std::thread::sleep(POLL);
    };
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if out.len() > max_output {
        return Err(OcrError::OutputTooLarge(max_output));
    }
    if !status.success() {
        let said = String::from_utf8_lossy(&err);
        let first = said
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("Estimating resolution"))
            .unwrap_or("no message");
        return Err(OcrError::Failed(format!(
            "{shown} exited with {status}: {first}"
        )));
    }
    Ok(out)
}

/// Tesseract's TSV: one row per page, block, paragraph, line and word (level 5), with
/// `block_num`, `par_num`, `line_num`, the box and the confidence. Words are grouped back into
/// paragraphs and lines in the order Tesseract gives them; rows that do not parse are skipped.
pub fn parse_tsv(tsv: &str) -> OcrText {
    struct Acc {
        key: (u32, u32),
        lines: Vec<(u32, String)>,
        bbox: [u32; 4],
        conf_sum: f32,
        words: u32,
    }
    let mut paras: Vec<Acc> = Vec::new();
    for row in tsv.lines() {
        let cols: Vec<&str> = row.split('\t').collect();
        let [level, _page, block, par, line, _word, left, top, width, height, conf, text] =
            cols.as_slice()
        else {
            continue;
        };
        let num = |s: &str| s.trim().parse::<u32>().ok();
        let (Some(5), Some(block), Some(par), Some(line)) =
            (num(level), num(block), num(par), num(line))
        else {
            continue;
        };
        let word = text.trim();
        let Ok(conf) = conf.trim().parse::<f32>() else {
            continue;
        };
        if word.is_empty() || !(0.0..=100.0).contains(&conf) {
            continue;
        }
        let (Some(l), Some(t), Some(w), Some(h)) = (num(left), num(top), num(width), num(height))
        else {
            continue;
        };
        let key = (block, par);
        if paras.last().is_none_or(|p| p.key != key) {
            paras.push(Acc {
                key,
                lines: Vec::new(),
                bbox: [l, t, l.saturating_add(w), t.saturating_add(h)],
                conf_sum: 0.0,
                words: 0,
            });
        }
        let Some(p) = paras.last_mut() else { continue };
        match p.lines.last_mut() {
            Some((n, text)) if *n == line => {
                text.push(' ');
                text.push_str(word);
            }
            _ => p.lines.push((line, word.to_string())),
        }
        p.bbox = [
            p.bbox[0].min(l),
            p.bbox[1].min(t),
            p.bbox[2].max(l.saturating_add(w)),
            p.bbox[3].max(t.saturating_add(h)),
        ];
        p.conf_sum += conf;
        p.words += 1;
    }
    OcrText {
        paragraphs: paras
            .into_iter()
            .map(|p| Paragraph {
                lines: p.lines.into_iter().map(|(_, t)| t).collect(),
                bbox: p.bbox,
                confidence: p.conf_sum / p.words.max(1) as f32,
                words: p.words,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_become_paragraphs_and_lines_with_their_confidence() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t600\t800\t-1\t\n\
            5\t1\t1\t1\t1\t1\t10\t20\t50\t12\t90.5\tSocial\n\
            5\t1\t1\t1\t1\t2\t70\t20\t40\t12\t89.5\tvalue\n\
            5\t1\t1\t1\t2\t1\t10\t40\t30\t12\t80\tplan\n\
            5\t1\t2\t1\t1\t1\t10\t100\t30\t12\t60\tWe\n\
            5\t1\t2\t1\t1\t2\t50\t100\t30\t12\t-1\t \n\
            5\tbroken row\n";
        let text = parse_tsv(tsv);
        assert_eq!(text.paragraphs.len(), 2);
        let first = &text.paragraphs[0];
        assert_eq!(first.lines, vec!["Social value", "plan"]);
        assert_eq!(first.bbox, [10, 20, 110, 52]);
        assert_eq!(first.words, 3);
        assert!((first.confidence - 86.666_66).abs() < 0.01);
        assert_eq!(text.paragraphs[1].lines, vec!["We"]);
        assert_eq!(text.words(), 4);
        assert!((text.confidence() - 80.0).abs() < 0.01);
    }

    #[test]
    fn a_missing_program_is_reported_as_not_found() {
        let image = ImageFile {
            bytes: b"P5\n1 1\n255\n\x80".to_vec(),
            ext: "pgm",
            globals: None,
            width: 1,
            height: 1,
        };
        let dir = tempfile::tempdir().unwrap();
        let program = OsString::from(dir.path().join("no-such-tesseract"));
        let path = dir.path().join("x.pgm");
        std::fs::write(&path, &image.bytes).unwrap();
        let err = run(&program, &path, 1000, Duration::from_secs(5)).unwrap_err();
        assert!(matches!(err, OcrError::NotFound(_)), "{err:?}");
        assert!(err.to_string().contains("OCR unavailable"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_program_past_its_time_is_killed_and_one_past_its_output_is_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.pgm");
        std::fs::write(&path, b"").unwrap();
        let slow = dir.path().join("slow.sh");
        std::fs::write(&slow, "#!/bin/sh\nsleep 30\n").unwrap();
        let loud = dir.path().join("loud.sh");
        std::fs::write(&loud, "#!/bin/sh\nyes tesseract\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        for p in [&slow, &loud] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let started = Instant::now();
        let err = run(
            &slow.into_os_string(),
            &path,
            1000,
            Duration::from_millis(300),
        )
        .unwrap_err();
        assert!(matches!(err, OcrError::Timeout(_)), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(10));
        let err = run(&loud.into_os_string(), &path, 1000, Duration::from_secs(20)).unwrap_err();
        assert_eq!(err, OcrError::OutputTooLarge(1000));
    }
}
