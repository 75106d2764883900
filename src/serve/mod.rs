//! The auditor's web page: a read-only HTTP server (axum on tokio) over the index, with search
//! and facets, evidence pages that open the original file at the page, the scorecard, the run
//! log, and the same data as JSON under `/api/`.
//!
//! Safety, in the order a request meets it:
//! * [`check_bind`]: a non-loopback address without a token is refused at start;
//! * [`auth`]: with a token every request carries it; without one only loopback Host names are
//!   answered;
//! * every route is `GET` and reads the last commit; nothing writes;
//! * `/file/SHA256` opens only files recorded in the index, looked up by hash ([`files`]);
//! * every string from a supplier's file is HTML-escaped, and pages forbid scripts by their
//!   content security policy.
//!
//! ```no_run
//! use tenderscope::classify::RuleSet;
//! use tenderscope::serve::{Config, Server};
//!
//! let config = Config {
//!     index: "tenderscope-index".into(),
//!     bind: "127.0.0.1:0".parse().unwrap(),
//!     token: None,
//! };
//! let server = Server::start(&config, RuleSet::embedded().unwrap()).unwrap();
//! println!("http://{}/search", server.addr());
//! // Dropping the server stops it.
//! ```

pub mod auth;
pub mod evidence;
pub mod files;
pub mod flags;
pub mod pages;
pub mod params;
pub mod routes;
pub mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::classify::RuleSet;
use state::AppState;

/// How to serve.
#[derive(Clone, Debug)]
pub struct Config {
    pub index: PathBuf,
    pub bind: SocketAddr,
    pub token: Option<String>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("refusing to listen on {0} without a token: set --token or TENDERSCOPE_TOKEN, or bind to 127.0.0.1")]
    PublicWithoutToken(SocketAddr),
    #[error("the token is too short: use at least 16 characters")]
    WeakToken,
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Index(#[from] crate::Error),
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

/// Shortest token accepted.
pub const MIN_TOKEN_CHARS: usize = 16;

/// Refuse a public address without a token, and tokens too short to be one.
pub fn check_bind(addr: SocketAddr, token: Option<&str>) -> Result<(), ServeError> {
    match token {
        Some(t) if t.chars().count() < MIN_TOKEN_CHARS => Err(ServeError::WeakToken),
        Some(_) => Ok(()),
        None if addr.ip().is_loopback() => Ok(()),
        None => Err(ServeError::PublicWithoutToken(addr)),
    }
}

/// A running server. Dropping it (or [`Server::stop`]) shuts it down and waits for it.
pub struct Server {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Check the configuration, open the index, bind, and serve on a thread of its own.
    pub fn start(config: &Config, rules: RuleSet) -> Result<Server, ServeError> {
        Server::start_with(config, rules, false)
    }

    /// As [`Server::start`]; with `signals`, Ctrl-C (SIGINT) and SIGTERM also stop it.
    pub fn start_with(
        config: &Config,
        rules: RuleSet,
        signals: bool,
    ) -> Result<Server, ServeError> {
        check_bind(config.bind, config.token.as_deref())?;
        let state = Arc::new(AppState::open(
            &config.index,
            rules,
            config.token.clone(),
            config.bind.ip(),
        )?);
        let listener =
            std::net::TcpListener::bind(config.bind).map_err(|source| ServeError::Bind {
                addr: config.bind,
                source,
            })?;
        listener
            .set_nonblocking(true)
            .map_err(ServeError::Runtime)?;
        let addr = listener.local_addr().map_err(ServeError::Runtime)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .max_blocking_threads(8)
            .enable_all()
            .build()
            .map_err(ServeError::Runtime)?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        state::spawn_reloader(&state);
        let app = routes::router(state);
        let thread = std::thread::Builder::new()
            .name("tenderscope-serve".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            eprintln!("serve: {e}");
                            return;
                        }
                    };
                    let stop = async move {
                        if signals {
                            tokio::select! {
                                _ = rx => {}
                                _ = tokio::signal::ctrl_c() => {}
                                _ = terminate() => {}
                            }
                        } else {
                            let _ = rx.await;
                        }
                    };
                    if let Err(e) = axum::serve(listener, app)
                        .with_graceful_shutdown(stop)
                        .await
                    {
                        eprintln!("serve: {e}");
                    }
                });
                runtime.shutdown_timeout(std::time::Duration::from_secs(2));
            })
            .map_err(ServeError::Runtime)?;
        Ok(Server {
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The address the server listens on (with the port chosen when `:0` was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Wait until the server stops (by a signal, with `start_with(.., true)`).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Stop the server and wait for it.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.halt();
    }
}

#[cfg(unix)]
async fn terminate() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut s) => {
            s.recv().await;
        }
        Err(_) => std::future::pending::<()>().await,
    }
}

#[cfg(not(unix))]
async fn terminate() {
    std::future::pending::<()>().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_addresses_need_a_real_token() {
        let lo: SocketAddr = "127.0.0.1:7878".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:7878".parse().unwrap();
        let v6: SocketAddr = "[::1]:7878".parse().unwrap();
        assert!(check_bind(lo, None).is_ok());
        assert!(check_bind(v6, None).is_ok());
        assert!(matches!(
            check_bind(any, None),
            Err(ServeError::PublicWithoutToken(_))
        ));
        assert!(matches!(
            check_bind(any, Some("short")),
            Err(ServeError::WeakToken)
        ));
        assert!(check_bind(any, Some("a-long-enough-token")).is_ok());
    }
}
