//! The boilerplate flag of search results: every commitment in the index whose words are nearly
//! the same as a commitment of another supplier in the same tender ([`crate::report::similar`]).
//!
//! Computed once per commit, in the background, from the commitment records alone (id, tender,
//! supplier, text): a few hundred bytes per commitment, so that it also runs over an index of a
//! million passages. The scorecard compares the commitments it reports (those that evidence a
//! principle or state a figure); this compares all of them.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::Searcher;

use crate::classify::StatementKind;
use crate::index::query;
use crate::index::records::{Record, Records};
use crate::index::schema::RECORD_PASSAGE;
use crate::index::Store;
use crate::report::similar::{near_duplicates, Item};

/// Most commitments compared; past this the flags are not computed (and say so).
pub const MAX_COMMITMENTS: usize = 2_000_000;

/// Group members listed per hit and on the evidence page: enough to show a template, without
/// a hit of a large group costing megabytes of JSON.
pub const MAX_LISTED_OTHERS: usize = 20;

/// One member of a near-duplicate group.
#[derive(Clone, Debug, Serialize)]
pub struct Member {
    pub id: String,
    pub supplier: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FlagGroup {
    pub similarity: f64,
    pub members: Vec<Member>,
}

/// The near-duplicate groups of one commit, and each flagged passage's group.
#[derive(Debug, Default)]
pub struct Flags {
    pub commit: u64,
    pub groups: Vec<FlagGroup>,
    pub by_id: HashMap<String, usize>,
    /// Why there are no flags, when they were not computed.
    pub skipped: Option<String>,
}

impl Flags {
    /// The group of a passage, if it is flagged.
    pub fn group_of(&self, id: &str) -> Option<&FlagGroup> {
        self.by_id.get(id).and_then(|&g| self.groups.get(g))
    }
}

/// Compare every commitment of the index.
pub fn compute(store: &Store, searcher: &Searcher, commit: u64) -> crate::Result<Flags> {
    let f = store.fields;
    let q = query::all(vec![
        query::term(f.record, RECORD_PASSAGE),
        query::term(f.kind, StatementKind::Commitment.as_str()),
    ]);
    let records = Records::from_parts(store.clone(), searcher.clone());
    let count = records.count(&q)?;
    if count > MAX_COMMITMENTS {
        return Ok(Flags {
            commit,
            skipped: Some(format!(
                "{count} commitments: more than the {MAX_COMMITMENTS} compared"
            )),
            ..Flags::default()
        });
    }
    let mut rows: Vec<(String, String, String, String)> = Vec::with_capacity(count);
    for record in records.find(&q, MAX_COMMITMENTS)? {
        if let Record::Passage(p) = record {
            let v = p.provenance;
            rows.push((v.id, v.tender, v.supplier, p.text));
        }
    }
    let items: Vec<Item<'_>> = rows
        .iter()
        .map(|(_, tender, supplier, text)| Item {
            tender,
            supplier,
            text,
        })
        .collect();
    let groups = near_duplicates(&items);
    let mut out = Flags {
        commit,
        ..Flags::default()
    };
    for g in groups {
        let n = out.groups.len();
        let members = g
            .members
            .iter()
            .filter_map(|&m| rows.get(m))
            .map(|(id, _, supplier, _)| Member {
                id: id.clone(),
                supplier: supplier.clone(),
            })
            .collect::<Vec<_>>();
        for m in &members {
            out.by_id.insert(m.id.clone(), n);
        }
        out.groups.push(FlagGroup {
            similarity: (g.similarity * 1000.0).round() / 1000.0,
            members,
        });
    }
    Ok(out)
}
