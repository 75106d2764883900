//! Extraction in worker processes with a watchdog.
//!
//! `catch_unwind` turns a panic into an error row, but some failures cannot be caught inside a
//! process: a stack overflow in a dependency's recursive parser aborts the whole process, an
//! allocation failure aborts it, and a loop inside a dependency never returns to our deadline
//! checks. So batch commands run extraction in child processes of our own binary (the hidden
//! `worker` subcommand), as Tika's forked parser does:
//!
//! * each worker reads one path per line on stdin and answers one JSON line on stdout;
//! * a worker runs with an address-space limit ([`Limits::max_worker_memory`]), so a file that
//!   tries to allocate without bound kills only its worker;
//! * the parent waits for each answer no longer than the file's time budget plus a grace period,
//!   then kills the worker (the watchdog);
//! * a worker that dies or is killed is replaced, and only the file it was reading fails, with a
//!   one-line reason.
//!
//! Results come back in input order whatever order the workers finish in.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::error::{Error, Result};
use crate::limits::Limits;

/// How long the watchdog waits for one file: the file's own budget, which the reader enforces
/// itself, plus a margin for process start and the JSON transfer.
fn watchdog_wait(limits: &Limits) -> Duration {
    limits.time_budget + limits.time_budget / 4 + Duration::from_secs(1)
}

/// One worker answer on the wire.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reply {
    Ok(Box<Document>),
    Err(String),
}

/// Serve extraction requests on stdin/stdout until stdin closes: the body of `tenderscope worker`.
pub fn worker_main(limits: &Limits) -> std::io::Result<()> {
    limit_address_space(limits.max_worker_memory);
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in stdin.lock().lines() {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        let reply = match super::extract_file(Path::new(&line), limits) {
            Ok(doc) => Reply::Ok(Box::new(doc)),
            // The parent adds the path; send the bare reason.
            Err(Error::InFile { source, .. }) => Reply::Err(source.to_string()),
            Err(Error::Io { source, .. }) => Reply::Err(source.to_string()),
            Err(e) => Reply::Err(e.to_string()),
        };
        serde_json::to_writer(&mut out, &reply).map_err(std::io::Error::other)?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
    Ok(())
}

#[cfg(unix)]
fn limit_address_space(bytes: u64) {
    let lim = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit only reads the struct we pass; failure leaves the old limit, which is
    // acceptable (the watchdog still bounds time).
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &lim);
    }
}

#[cfg(not(unix))]
fn limit_address_space(_bytes: u64) {}

/// A running worker process and the channels to it.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<String>,
    last_stderr: Arc<Mutex<String>>,
    /// Closed when the stderr reader has seen the end of the worker's stderr.
    stderr_done: Receiver<()>,
}

impl Worker {
    fn spawn(exe: &Path) -> std::io::Result<Worker> {
        let mut child = Command::new(exe)
            .arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("worker has no stdin"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| std::io::Error::other("worker has no stdout"))?;
        let stderr = child
            .stderr
            .take()
            .ok_or_else(|| std::io::Error::other("worker has no stderr"))?;
        let (tx, replies) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                match line {
                    Ok(l) => {
                        if tx.send(l).is_err() {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
        });
        let last_stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&last_stderr);
        let (done_tx, stderr_done) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            let _done = done_tx;
            for line in BufReader::new(stderr).lines() {
                let Ok(l) = line else { break };
                let l = l.trim();
                if !l.is_empty() {
                    if let Ok(mut s) = sink.lock() {
                        *s = l.chars().take(300).collect();
                    }
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            replies,
            last_stderr,
            stderr_done,
        })
    }

    /// Ask for one file; `Err` means the worker is gone and must be replaced.
    fn extract(
        &mut self,
        path: &Path,
        limits: &Limits,
        wait: Duration,
    ) -> std::result::Result<Result<Document>, String> {
        let Some(line) = path.to_str().filter(|s| !s.contains('\n')) else {
            // Paths travel as lines of UTF-8; anything else is read in this process instead.
            return Ok(super::extract_file(path, limits));
        };
        if writeln!(self.stdin, "{line}")
            .and_then(|_| self.stdin.flush())
            .is_err()
        {
            return Err(self.death_reason());
        }
        match self.replies.recv_timeout(wait) {
            Ok(reply) => match serde_json::from_str::<Reply>(&reply) {
                Ok(Reply::Ok(doc)) => Ok(Ok(*doc)),
                Ok(Reply::Err(msg)) => Ok(Err(Error::Worker(msg))),
                Err(e) => Err(format!("worker sent an unreadable reply: {e}")),
            },
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                Err(format!(
                    "time budget exceeded: killed by the watchdog after {} s (limit time_budget)",
                    wait.as_secs()
                ))
            }
            Err(RecvTimeoutError::Disconnected) => Err(self.death_reason()),
        }
    }

    /// Why the worker died, from its exit status and the last line it printed on stderr.
    fn death_reason(&mut self) -> String {
        let status = self.child.wait();
        // Let the stderr reader catch the dying words (it ends at EOF; don't wait long in case
        // something else still holds the pipe).
        let _ = self.stderr_done.recv_timeout(Duration::from_millis(500));
        let said = self
            .last_stderr
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default();
        let how = match status {
            Ok(st) => describe_status(st),
            Err(e) => format!("could not be waited for: {e}"),
        };
        if said.is_empty() {
            format!("worker process {how}")
        } else {
            format!("worker process {how}: {said}")
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
fn describe_status(st: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (st.code(), st.signal()) {
        (_, Some(libc::SIGABRT)) => {
            "aborted (stack overflow or memory limit max_worker_memory)".to_string()
        }
        (_, Some(libc::SIGSEGV)) => "crashed (segmentation fault)".to_string(),
        (_, Some(sig)) => format!("killed by signal {sig}"),
        (Some(code), None) => format!("exited with status {code}"),
        (None, None) => "ended".to_string(),
    }
}

#[cfg(not(unix))]
fn describe_status(st: std::process::ExitStatus) -> String {
    format!("ended with {st}")
}

/// Extract `paths` with `jobs` worker processes running `exe worker`. Results are in input
/// order; each failed file carries its path. `on_done` is called once per finished file (in
/// completion order) with its input index, for progress reporting.
pub fn extract_isolated<P, F>(
    exe: &Path,
    paths: &[P],
    limits: &Limits,
    jobs: usize,
    on_done: F,
) -> Vec<Result<Document>>
where
    P: AsRef<Path> + Sync,
    F: Fn(usize, &Result<Document>) + Sync,
{
    let slots: Vec<Mutex<Option<Result<Document>>>> =
        paths.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let wait = watchdog_wait(limits);
    let jobs = jobs.clamp(1, paths.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                let mut worker: Option<Worker> = None;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = paths.get(i).map(|p| p.as_ref()) else {
                        break;
                    };
                    let result = run_one(exe, &mut worker, path, limits, wait);
                    on_done(i, &result);
                    if let Some(slot) = slots.get(i) {
                        if let Ok(mut s) = slot.lock() {
                            *s = Some(result);
                        }
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(paths)
        .map(|(slot, path)| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| {
                Err(Error::Worker("no result recorded".into()).in_file(path.as_ref()))
            })
        })
        .collect()
}

/// One extraction worker process kept from file to file, and replaced when it dies: for a
/// caller that hands files over as they come rather than as one list. Each file is read as
/// [`extract_isolated`] reads it, under the same watchdog.
pub struct Slot<'a> {
    exe: &'a Path,
    limits: &'a Limits,
    wait: Duration,
    worker: Option<Worker>,
}

impl<'a> Slot<'a> {
    /// No process is started before the first file.
    pub fn new(exe: &'a Path, limits: &'a Limits) -> Self {
        Slot {
            exe,
            limits,
            wait: watchdog_wait(limits),
            worker: None,
        }
    }

    /// Extract one file; a file that kills or stalls the worker fails alone, with its reason.
    pub fn extract(&mut self, path: &Path) -> Result<Document> {
        run_one(self.exe, &mut self.worker, path, self.limits, self.wait)
    }
}

fn run_one(
    exe: &Path,
    worker: &mut Option<Worker>,
    path: &Path,
    limits: &Limits,
    wait: Duration,
) -> Result<Document> {
    if worker.is_none() {
        match Worker::spawn(exe) {
            Ok(w) => *worker = Some(w),
            Err(e) => {
                return Err(
                    Error::Worker(format!("could not start worker {}: {e}", exe.display()))
                        .in_file(path),
                )
            }
        }
    }
    let Some(w) = worker.as_mut() else {
        return Err(Error::Worker("no worker".into()).in_file(path));
    };
    match w.extract(path, limits, wait) {
        Ok(result) => result.map_err(|e| e.in_file(path)),
        Err(reason) => {
            // The worker is dead or killed: drop it, a fresh one serves the next file.
            *worker = None;
            Err(Error::Worker(reason).in_file(path))
        }
    }
}

/// The path of the running binary, for spawning workers.
pub fn current_exe() -> Result<PathBuf> {
    std::env::current_exe().map_err(|source| Error::Io {
        path: PathBuf::from("<current executable>"),
        source,
    })
}
