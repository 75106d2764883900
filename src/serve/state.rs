//! What the server shares between requests: the open index and its reader, the rule set, the
//! token, and the scorecard of the current commit (computed once per commit, in the
//! background, and also the source of the near-duplicate flags shown in search results).
//!
//! A background thread reloads the reader every [`RELOAD_EVERY`], so a re-index that commits
//! while the server runs is seen without a restart; it stops when the server's state is gone.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tantivy::{IndexReader, Searcher};

use crate::classify::RuleSet;
use crate::index::Store;
use crate::report::{self, Options, Report, ReportError};

/// How often the reader looks for a new commit.
pub const RELOAD_EVERY: Duration = Duration::from_secs(2);

/// The scorecard of one commit, with the near-duplicate group of each flagged passage id.
pub struct Scorecard {
    pub commit: u64,
    pub report: Report,
    pub near_duplicates: HashMap<String, u32>,
}

pub struct AppState {
    pub store: Store,
    pub reader: IndexReader,
    pub rules: RuleSet,
    pub token: Option<String>,
    /// The address the server is bound to, for the Host check without a token.
    pub bind_ip: std::net::IpAddr,
    scorecard: Mutex<Option<Arc<Scorecard>>>,
    /// Held while a scorecard is computed, so that it is computed once.
    computing: Mutex<()>,
}

/// An identity of the commit a searcher sees: its segments and their deletes.
pub fn commit_key(searcher: &Searcher) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for s in searcher.segment_readers() {
        s.segment_id().uuid_string().hash(&mut h);
        s.delete_opstamp().hash(&mut h);
    }
    h.finish()
}

impl AppState {
    pub fn open(
        index: &Path,
        rules: RuleSet,
        token: Option<String>,
        bind_ip: std::net::IpAddr,
    ) -> crate::Result<AppState> {
        let store = Store::open(index)?;
        let reader = store.reader()?;
        Ok(AppState {
            store,
            reader,
            rules,
            token,
            bind_ip,
            scorecard: Mutex::new(None),
            computing: Mutex::new(()),
        })
    }

    /// The scorecard of the current commit, computing it if needed (blocking).
    pub fn scorecard(&self) -> Result<Arc<Scorecard>, ReportError> {
        let searcher = self.reader.searcher();
        let key = commit_key(&searcher);
        if let Some(s) = self.cached(key) {
            return Ok(s);
        }
        let _one = self.computing.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = self.cached(key) {
            return Ok(s);
        }
        let report = report::gather(&self.store, &searcher, &self.rules, &Options::default())?;
        let near_duplicates = report
            .findings
            .iter()
            .filter_map(|f| f.duplicate_group.map(|g| (f.id.clone(), g)))
            .collect();
        let card = Arc::new(Scorecard {
            commit: key,
            report,
            near_duplicates,
        });
        *self.scorecard.lock().unwrap_or_else(|e| e.into_inner()) = Some(card.clone());
        Ok(card)
    }

    /// The scorecard of this commit if it is ready; never blocks on computing it.
    pub fn cached(&self, key: u64) -> Option<Arc<Scorecard>> {
        self.scorecard
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|s| s.commit == key)
            .cloned()
    }
}

/// Reload the reader now and then and compute the scorecard of each new commit, until the
/// state is dropped.
pub fn spawn_reloader(state: &Arc<AppState>) {
    let weak: Weak<AppState> = Arc::downgrade(state);
    let _ = std::thread::Builder::new()
        .name("tenderscope-reload".into())
        .spawn(move || loop {
            {
                let Some(state) = weak.upgrade() else { return };
                let _ = state.reader.reload();
                if let Err(e) = state.scorecard() {
                    eprintln!("serve: scorecard: {e}");
                }
            }
            // Sleep in short steps so that the thread ends soon after the server.
            for _ in 0..(RELOAD_EVERY.as_millis() / 100) {
                std::thread::sleep(Duration::from_millis(100));
                if weak.strong_count() == 0 {
                    return;
                }
            }
        });
}
