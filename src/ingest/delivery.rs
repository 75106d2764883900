//! Monitoring returns as a batch (`ingest --stage delivery --period P`): which tender they
//! belong to, whose they are, and which earlier return a corrected one replaces.
//!
//! Returns come after award, so their tender and suppliers are those of the tender batch
//! already in the index. The tender is the one `--tender` names (matched in any case), or the
//! only one the index holds. A supplier folder is matched to the tender's suppliers ignoring
//! case, spaces and punctuation (`Dane Valley Civils` is `dane-valley-civils`); an unknown one
//! keeps its folder's name and the run warns, since its figures can answer no commitment.
//! A return for a supplier and period that was already ingested from other files replaces
//! those files.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::batch::Source;
use crate::error::{Error, Result};
use crate::period::{Period, Stage};

/// The tender a delivery batch belongs to: `asked` (matched in any case) among the tenders
/// of the index, or the only one there.
pub fn award_tender<'a>(
    index: &Path,
    known: impl Iterator<Item = (Stage, &'a str)>,
    asked: Option<&str>,
) -> Result<String> {
    let tenders: BTreeSet<&str> = known
        .filter(|(stage, _)| *stage == Stage::Tender)
        .map(|(_, t)| t)
        .collect();
    let list = || tenders.iter().copied().collect::<Vec<_>>().join(", ");
    let err = |detail: String| Error::Index {
        path: index.to_path_buf(),
        detail,
    };
    match asked {
        Some(name) => tenders
            .iter()
            .find(|t| key(t) == key(name))
            .map(|t| t.to_string())
            .ok_or_else(|| {
                err(format!(
                    "--tender {name:?}: no tender of that name in the index (it holds: {})",
                    if tenders.is_empty() {
                        "none".into()
                    } else {
                        list()
                    }
                ))
            }),
        None => match tenders.len() {
            0 => Err(err(
                "--stage delivery: the index holds no tender batch; ingest the tender \
                 submissions first, then their monitoring returns"
                    .into(),
            )),
            1 => Ok(tenders
                .iter()
                .next()
                .map(|t| t.to_string())
                .unwrap_or_default()),
            _ => Err(err(format!(
                "--stage delivery: the index holds several tenders ({}); say which with --tender",
                list()
            ))),
        },
    }
}

/// A name as suppliers and folders write it, reduced to lower-case letters and digits.
pub fn key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The suppliers of each tender in the index, found by [`key`].
pub struct Suppliers {
    by_key: HashMap<(String, String), String>,
}

impl Suppliers {
    pub fn new<'a>(tender_supplier: impl Iterator<Item = (&'a str, &'a str)>) -> Suppliers {
        let mut by_key = HashMap::new();
        for (t, s) in tender_supplier {
            by_key
                .entry((key(t), key(s)))
                .or_insert_with(|| s.to_string());
        }
        Suppliers { by_key }
    }

    /// The index's name for `supplier` of `tender`, if it has one.
    pub fn find(&self, tender: &str, supplier: &str) -> Option<&str> {
        self.by_key
            .get(&(key(tender), key(supplier)))
            .map(String::as_str)
    }
}

/// The warning for a return whose supplier is not one of its tender's.
pub fn unknown_supplier(src: &Source) -> String {
    format!(
        "supplier {:?} of {} is not a supplier of tender {:?} in the index: its return is indexed \
         but answers no commitment (name its folder as the tender batch did, or use --supplier)",
        src.supplier, src.origin, src.tender
    )
}

/// For each source of this run: the files of an earlier return for the same tender, supplier
/// and period that are not part of this run (`known` is every indexed delivery file as
/// origin, tender, supplier, period).
pub fn earlier_returns<'k>(
    sources: &[Source],
    known: impl Iterator<Item = (&'k str, &'k str, &'k str, Option<Period>)>,
) -> HashMap<String, Vec<&'k str>> {
    let here: BTreeSet<&str> = sources.iter().map(|s| s.origin.as_str()).collect();
    let mut by_return: HashMap<(&str, &str, Option<Period>), Vec<&'k str>> = HashMap::new();
    for (origin, tender, supplier, period) in known {
        if !here.contains(origin) {
            by_return
                .entry((tender, supplier, period))
                .or_default()
                .push(origin);
        }
    }
    let mut out = HashMap::new();
    for src in sources {
        if let Some(old) = by_return.get(&(src.tender.as_str(), src.supplier.as_str(), src.period))
        {
            let mut old = old.clone();
            old.sort();
            out.insert(src.origin.clone(), old);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(origin: &str, supplier: &str, period: &str) -> Source {
        Source {
            tender: "t".into(),
            supplier: supplier.into(),
            lot: None,
            origin: origin.into(),
            path: origin.into(),
            size: 1,
            mtime: 1,
            stage: Stage::Delivery,
            period: Period::parse(period),
            replaced: Vec::new(),
        }
    }

    #[test]
    fn the_tender_is_the_one_asked_for_or_the_only_one() {
        let idx = Path::new("idx");
        let one = [(Stage::Tender, "demo"), (Stage::Delivery, "demo")];
        assert_eq!(award_tender(idx, one.into_iter(), None).unwrap(), "demo");
        assert_eq!(
            award_tender(idx, one.into_iter(), Some("DEMO")).unwrap(),
            "demo"
        );
        let e = award_tender(idx, one.into_iter(), Some("other")).unwrap_err();
        assert!(e.to_string().contains("--tender \"other\""), "{e}");
        let two = [(Stage::Tender, "a"), (Stage::Tender, "b")];
        let e = award_tender(idx, two.into_iter(), None).unwrap_err();
        assert!(e.to_string().contains("several tenders (a, b)"), "{e}");
        let e = award_tender(idx, std::iter::empty(), None).unwrap_err();
        assert!(e.to_string().contains("no tender batch"), "{e}");
    }

    #[test]
    fn suppliers_match_in_any_case_and_spacing() {
        let s = Suppliers::new(
            [("demo", "dane-valley-civils"), ("demo", "Greenshoots CIC")].into_iter(),
        );
        assert_eq!(
            s.find("demo", "Dane Valley Civils"),
            Some("dane-valley-civils")
        );
        assert_eq!(s.find("Demo", "greenshoots-cic"), Some("Greenshoots CIC"));
        assert_eq!(s.find("demo", "dane valley"), None);
        assert_eq!(s.find("other", "greenshoots-cic"), None);
    }

    #[test]
    fn a_return_for_a_period_already_ingested_replaces_the_other_files() {
        let sources = [source("/new/a/r.docx", "a", "2027-Q1")];
        let known = [
            ("/old/a/r.docx", "t", "a", Period::parse("2027-Q1")),
            ("/old/a/kpi.xlsx", "t", "a", Period::parse("2027-Q1")),
            ("/old/a/q2.docx", "t", "a", Period::parse("2027-Q2")),
            ("/old/b/r.docx", "t", "b", Period::parse("2027-Q1")),
            ("/new/a/r.docx", "t", "a", Period::parse("2027-Q1")),
        ];
        let out = earlier_returns(&sources, known.into_iter());
        assert_eq!(
            out.get("/new/a/r.docx").cloned().unwrap_or_default(),
            vec!["/old/a/kpi.xlsx", "/old/a/r.docx"]
        );
    }
}
