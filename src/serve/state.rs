//! What the server shares between requests: the open index and its reader, the rule set, the
//! token, the boilerplate flags of the current commit (computed in the background, see
//! [`super::flags`]) and the scorecard of the current commit (computed when first asked).
//!
//! A background thread reloads the reader every [`RELOAD_EVERY`], so a re-index that commits
//! while the server runs is seen without a restart; it stops when the server's state is gone.

use std::path::Path;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tantivy::collector::Count;
use tantivy::{IndexReader, Searcher};

use crate::classify::RuleSet;
use crate::index::schema::RECORD_PASSAGE;
use crate::index::{index_error, Store};
use crate::report::{self, Options, Report, ReportError};

use super::flags::{self, Flags};

/// How often the reader looks for a new commit.
pub const RELOAD_EVERY: Duration = Duration::from_secs(2);
/// A scorecard of the whole index is made up to this many passages; past it a tender must be
/// named (a report of a million passages is not one an evaluator reads).
pub const MAX_REPORT_PASSAGES: usize = 250_000;

pub struct AppState {
    pub store: Store,
    pub reader: IndexReader,
    pub rules: RuleSet,
    pub token: Option<String>,
    /// The address the server is bound to, for the Host check without a token.
    pub bind_ip: std::net::IpAddr,
    flags: Mutex<Option<Arc<Flags>>>,
    /// The search page without a query or filter: every passage's facet counts, per commit.
    overview: Mutex<Option<(u64, Arc<crate::search::Response>)>>,
    report: Mutex<Option<(u64, Arc<Report>)>>,
    /// Held while the scorecard is computed, so that it is computed once.
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
            flags: Mutex::new(None),
            overview: Mutex::new(None),
            report: Mutex::new(None),
            computing: Mutex::new(()),
        })
    }

    /// The boilerplate flags of this commit, if they are ready; never blocks.
    pub fn flags(&self, searcher: &Searcher) -> Option<Arc<Flags>> {
        let key = commit_key(searcher);
        self.flags
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|f| f.commit == key)
            .cloned()
    }

    /// The facet counts of every passage at this commit, if they are ready; never blocks.
    pub fn overview(&self, searcher: &Searcher) -> Option<Arc<crate::search::Response>> {
        let key = commit_key(searcher);
        self.overview
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, r)| r.clone())
    }

    /// Count every passage's facets for the search page's first view, once per commit.
    fn refresh_overview(&self) -> crate::Result<()> {
        let searcher = self.reader.searcher();
        if self.overview(&searcher).is_some() {
            return Ok(());
        }
        let req = crate::search::Request {
            limit: 1,
            facets: true,
            ..Default::default()
        };
        let mut resp = crate::search::search(&self.store, &searcher, &req)?;
        resp.hits.clear();
        *self.overview.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((commit_key(&searcher), Arc::new(resp)));
        Ok(())
    }

    /// Compute the flags of the current commit unless they are there.
    fn refresh_flags(&self) -> crate::Result<()> {
        let searcher = self.reader.searcher();
        if self.flags(&searcher).is_some() {
            return Ok(());
        }
        let f = flags::compute(&self.store, &searcher, commit_key(&searcher))?;
        *self.flags.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(f));
        Ok(())
    }

    /// The scorecard of the whole index at the current commit, computed once per commit.
    pub fn scorecard(&self) -> Result<Arc<Report>, ReportError> {
        let searcher = self.reader.searcher();
        let key = commit_key(&searcher);
        let cached = |s: &AppState| {
            s.report
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_ref()
                .filter(|(k, _)| *k == key)
                .map(|(_, r)| r.clone())
        };
        if let Some(r) = cached(self) {
            return Ok(r);
        }
        let _one = self.computing.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = cached(self) {
            return Ok(r);
        }
        // One scorecard is one tender: the one ingested last (`?tender=` for another).
        let tender = report::gather::tenders(&self.store, &searcher)?
            .into_iter()
            .next()
            .map(|(t, _)| t);
        if tender.is_none() {
            self.check_size(&searcher)?;
        }
        let r = Arc::new(report::gather(
            &self.store,
            &searcher,
            &self.rules,
            &Options {
                tender,
                framework: None,
            },
        )?);
        *self.report.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, r.clone()));
        Ok(r)
    }

    /// Refuse a whole-index scorecard of a very large index.
    pub fn check_size(&self, searcher: &Searcher) -> Result<(), ReportError> {
        let q = crate::index::query::term(self.store.fields.record, RECORD_PASSAGE);
        let n = searcher
            .search(&*q, &Count)
            .map_err(|e| index_error(&self.store.dir, e))?;
        if n > MAX_REPORT_PASSAGES {
            return Err(ReportError::TooLarge(format!(
                "the index holds {n} passages, more than the {MAX_REPORT_PASSAGES} of one scorecard: name a tender (?tender=NAME)"
            )));
        }
        Ok(())
    }
}

/// Reload the reader now and then and compute the flags of each new commit, until the state
/// is dropped.
pub fn spawn_reloader(state: &Arc<AppState>) {
    let weak: Weak<AppState> = Arc::downgrade(state);
    let _ = std::thread::Builder::new()
        .name("tenderscope-reload".into())
        .spawn(move || {
            let mut last_error = String::new();
            loop {
                {
                    let Some(state) = weak.upgrade() else { return };
                    let _ = state.reader.reload();
                    if let Err(e) = state.refresh_overview() {
                        eprintln!("serve: facet counts: {e}");
                    }
                    match state.refresh_flags() {
                        Ok(()) => last_error.clear(),
                        Err(e) => {
                            let e = e.to_string();
                            if e != last_error {
                                eprintln!("serve: boilerplate flags: {e}");
                                last_error = e;
                            }
                        }
                    }
                }
                // Sleep in short steps so that the thread ends soon after the server.
                for _ in 0..(RELOAD_EVERY.as_millis() / 100) {
                    std::thread::sleep(Duration::from_millis(100));
                    if weak.strong_count() == 0 {
                        return;
                    }
                }
            }
        });
}
