//! The `tenderscope` command line. Strings become typed values here, at the edge; each
//! subcommand lives in its own module under `cli/`.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Output piped into `head` and cut short should end the program quietly, as it does for
    // other Unix tools, not panic in `println!`. Rust ignores SIGPIPE by default; restore it.
    // SAFETY: setting a signal disposition to its default at start-up, before any threads.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code.into(),
        Err(err) => {
            // Not eprintln: a log file on a full disk must not turn the exit code into a panic's.
            let mut stderr = std::io::stderr();
            let mut said = err.to_string();
            let _ = writeln!(stderr, "error: {said}");
            let mut source = err.source();
            while let Some(cause) = source {
                // Many errors already end with their cause's words: say each thing once.
                let text = cause.to_string();
                if !said.contains(&text) {
                    let _ = writeln!(stderr, "  caused by: {text}");
                    said = text;
                }
                source = cause.source();
            }
            cli::Exit::Fatal.into()
        }
    }
}
