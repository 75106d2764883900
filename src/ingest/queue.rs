//! The extraction stage's queue: files waiting for an extractor, the slowest expected first.
//!
//! A run is bounded by its slowest file when that file starts last: one worker reads it alone
//! while the other has nothing left. Extraction time hardly follows file size (a 3-page scan
//! read by OCR takes seconds, a 3 MB text PDF a tenth of one), but it does follow one thing
//! visible in a PDF's bytes without parsing it: a file with image streams and no fonts at all
//! is made of pictures, and its pages go to OCR. Image stream dictionaries are never inside
//! compressed object streams (a stream cannot be), so the marker is in the raw bytes.
//! On the corpus's 253 PDFs this marks all 8 files that take more than 0.4 s (all OCR) and 20
//! fast ones with pictures; a wrong guess costs only the order. Among files of the same guess,
//! larger ones go first (longest processing time first).
//!
//! The queue holds only what is queued, at most two chunks, so ordering it keeps memory bounded
//! as before.

use std::collections::BinaryHeap;
use std::io::Write;
use std::path::Path;
use std::sync::{Condvar, Mutex};

/// What a file is expected to cost to extract, ordered so that the larger goes first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cost {
    /// A PDF of pictures without fonts: its pages are likely read by OCR.
    pub likely_ocr: bool,
    pub bytes: u64,
}

/// One file to extract: `i` is its source index, `chunk` the chunk it belongs to.
#[derive(Debug, PartialEq, Eq)]
pub struct Job {
    pub cost: Cost,
    pub chunk: usize,
    pub i: usize,
}

impl Ord for Job {
    /// The highest cost first; then the earlier chunk and file, so that equal costs keep the
    /// batch's order.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.cost
            .cmp(&other.cost)
            .then(other.chunk.cmp(&self.chunk))
            .then(other.i.cmp(&self.i))
    }
}

impl PartialOrd for Job {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The jobs waiting, and whether more can come.
#[derive(Default)]
struct State {
    heap: BinaryHeap<Job>,
    closed: bool,
}

/// A blocking priority queue shared by the feeder (one) and the extractors (`jobs`).
#[derive(Default)]
pub struct Jobs {
    state: Mutex<State>,
    ready: Condvar,
}

impl Jobs {
    pub fn new() -> Jobs {
        Jobs::default()
    }

    pub fn push(&self, jobs: impl IntoIterator<Item = Job>) {
        // A poisoned lock means a thread panicked holding it; the queue's data is still whole
        // (pushes and pops do not panic halfway), so carry on with it.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.heap.extend(jobs);
        drop(state);
        self.ready.notify_all();
    }

    /// The most costly job waiting; blocks while none waits and more may come. `None` once the
    /// queue is closed and empty.
    pub fn pop(&self) -> Option<Job> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(job) = state.heap.pop() {
                return Some(job);
            }
            if state.closed {
                return None;
            }
            state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// No more jobs will come: extractors finish what waits, then stop.
    pub fn close(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        self.ready.notify_all();
    }

    /// Closes the queue when dropped, on every way out of the feeder.
    pub fn closer(&self) -> Closer<'_> {
        Closer(self)
    }
}

pub struct Closer<'a>(&'a Jobs);

impl Drop for Closer<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Hashes what it is written and looks for the markers of a PDF made of pictures.
struct Sniffer {
    hash: sha2::Sha256,
    bytes: u64,
    pdf: bool,
    image: bool,
    font: bool,
    /// The end of the last piece, so that a marker cut between two pieces is still seen.
    tail: Vec<u8>,
}

impl Sniffer {
    fn new() -> Sniffer {
        use sha2::Digest;
        Sniffer {
            hash: sha2::Sha256::new(),
            bytes: 0,
            pdf: false,
            image: false,
            font: false,
            tail: Vec::new(),
        }
    }

    fn cost(&self) -> Cost {
        Cost {
            likely_ocr: self.pdf && self.image && !self.font,
            bytes: self.bytes,
        }
    }
}

/// Longest marker looked for, less one: how much of a piece's end is kept for the next.
const TAIL: usize = 15;

impl Write for Sniffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        self.hash.update(buf);
        if self.bytes == 0 {
            self.pdf = memfind(&buf[..buf.len().min(1024)], b"%PDF-");
        }
        self.bytes += buf.len() as u64;
        if self.pdf && !self.font {
            let mut joined = std::mem::take(&mut self.tail);
            joined.extend_from_slice(buf);
            self.image = self.image || contains_image(&joined);
            self.font = memfind(&joined, b"/Font");
            let keep = joined.len().saturating_sub(TAIL);
            self.tail = joined.split_off(keep);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `/Subtype/Image` or `/Subtype /Image` (any run of spaces between).
fn contains_image(hay: &[u8]) -> bool {
    memchr::memmem::find_iter(hay, b"/Subtype").any(|p| {
        let rest = &hay[p + 8..];
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        rest.starts_with(b"/Image")
    })
}

fn memfind(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// The sha256 of a file's content (read in pieces: a batch may hold large files) and what its
/// extraction is expected to cost; no hash if the file cannot be read.
pub fn hash_and_cost(path: &Path) -> (Option<String>, Cost) {
    use sha2::Digest;
    let mut sniffer = Sniffer::new();
    let read = std::fs::File::open(path).and_then(|mut f| std::io::copy(&mut f, &mut sniffer));
    let cost = sniffer.cost();
    match read {
        Ok(_) => (Some(crate::extract::hex(&sniffer.hash.finalize())), cost),
        Err(_) => (None, cost),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost_of(bytes: &[u8]) -> Cost {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, bytes).unwrap();
        let (hash, cost) = hash_and_cost(&path);
        assert_eq!(hash.unwrap().len(), 64);
        cost
    }

    #[test]
    fn a_pdf_of_pictures_without_fonts_is_likely_ocr() {
        let scan = b"%PDF-1.4\n1 0 obj <</Type /XObject /Subtype  /Image /Width 9>> stream";
        assert!(cost_of(scan).likely_ocr);
        let text = b"%PDF-1.4\n1 0 obj <</Subtype/Image>> 2 0 obj <</Type/Font>>";
        assert!(!cost_of(text).likely_ocr);
        // A picture alone in a file that is no PDF says nothing.
        assert!(!cost_of(b"PK\x03\x04 /Subtype/Image").likely_ocr);
        assert!(!cost_of(b"%PDF-1.7\n<</Subtype/Form>>").likely_ocr);
    }

    #[test]
    fn a_marker_cut_between_two_pieces_is_seen() {
        let mut s = Sniffer::new();
        s.write_all(b"%PDF-1.4\n<</Subtype /Im").unwrap();
        s.write_all(b"age /Width 3>>").unwrap();
        assert!(s.cost().likely_ocr);
        s.write_all(b"<</Type/Fo").unwrap();
        s.write_all(b"nt>>").unwrap();
        assert!(!s.cost().likely_ocr);
        assert_eq!(s.cost().bytes, 51);
    }

    #[test]
    fn the_queue_gives_likely_ocr_then_larger_files_first_and_stops_when_closed() {
        let q = Jobs::new();
        let job = |likely_ocr, bytes, chunk, i| Job {
            cost: Cost { likely_ocr, bytes },
            chunk,
            i,
        };
        q.push([
            job(false, 10, 0, 0),
            job(false, 900, 0, 1),
            job(false, 10, 0, 2),
        ]);
        q.push([job(true, 5, 1, 3)]);
        q.close();
        let order: Vec<usize> = std::iter::from_fn(|| q.pop()).map(|j| j.i).collect();
        assert_eq!(order, vec![3, 1, 0, 2]);
        assert!(q.pop().is_none());
    }

    #[test]
    fn extractors_waiting_on_an_empty_queue_stop_when_it_closes() {
        let q = Jobs::new();
        std::thread::scope(|s| {
            let waiting = s.spawn(|| q.pop());
            let closer = q.closer();
            drop(closer);
            assert!(waiting.join().unwrap().is_none());
        });
    }
}
