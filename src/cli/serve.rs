//! `tenderscope serve [--index DIR] [--bind 127.0.0.1:7878] [--token T]`: the auditor's
//! read-only web page and JSON API. The token may also come from `TENDERSCOPE_TOKEN`; binding
//! to an address other than loopback without one is refused.

use std::mem::ManuallyDrop;
use std::net::SocketAddr;
use std::path::PathBuf;

use tenderscope::index::DEFAULT_DIR;
use tenderscope::serve::{Config, Server};

use super::Exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, default_value = DEFAULT_DIR)]
    pub index: PathBuf,
    /// Address and port to listen on. Anything but loopback needs a token.
    #[arg(long, default_value = "127.0.0.1:7878")]
    pub bind: SocketAddr,
    /// Every request must carry this token (`Authorization: Bearer T` or `?token=T`).
    #[arg(long, env = "TENDERSCOPE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The rule directory (default: the rule set the index was built with, recorded in it).
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let (rules, _, _) = super::rules::rules_for_index(args.rules.as_deref(), &args.index)?;
    let config = Config {
        index: args.index.clone(),
        bind: args.bind,
        token: args.token.clone().filter(|t| !t.is_empty()),
    };
    let server = Server::start_with(&config, ManuallyDrop::into_inner(rules), true)?;
    let host = server.addr();
    eprintln!(
        "serving {} on http://{host}/search{} (read-only; Ctrl-C stops)",
        args.index.display(),
        if config.token.is_some() {
            " with a token"
        } else {
            ""
        }
    );
    server.wait();
    Ok(Exit::Success)
}
