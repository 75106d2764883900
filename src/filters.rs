//! Checking search filters against what the index and the rule set hold, before a search runs.
//!
//! `--principle CE99`, `--theme apprentice` or `--supplier dane-valley` used to give "0 passages
//! match" and exit 0: a typo read as "no evidence". Each filter of a [`Request`] (principle,
//! theme, supplier, tender, kind), and each `field:value` of those fields inside the query text,
//! must name a value the index holds (or, for principles and themes, one the rule set
//! defines). Values match case-insensitively (`ce9` is `CE9`) and are replaced by their
//! spelling in the index; anything else is an error with the nearest known values as
//! suggestions.

use std::collections::BTreeSet;

use tantivy::schema::Field;
use tantivy::Searcher;

use crate::classify::RuleSet;
use crate::error::{Error, Result};
use crate::index::{index_error, Store};
use crate::search::Request;

/// The statement kinds, as stored.
pub const KINDS: [&str; 4] = ["commitment", "aspiration", "track_record", "none"];

/// Values a filter may name beyond those in the index: the rule set's principles (of every
/// framework) and themes.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    pub principles: BTreeSet<String>,
    pub themes: BTreeSet<String>,
}

impl Vocabulary {
    pub fn of(rules: &RuleSet) -> Vocabulary {
        Vocabulary {
            principles: rules
                .frameworks
                .iter()
                .flat_map(|f| f.principles.iter().map(|p| p.id.0.clone()))
                .collect(),
            themes: rules.themes.iter().map(|t| t.id.0.clone()).collect(),
        }
    }
}

/// Every term of a keyword field in the last commit.
fn terms(store: &Store, searcher: &Searcher, field: Field) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment
            .inverted_index(field)
            .map_err(|e| index_error(&store.dir, e))?;
        let mut stream = inverted.terms().stream().map_err(|source| Error::Io {
            path: Store::tantivy_dir(&store.dir),
            source,
        })?;
        while stream.advance() {
            if let Ok(s) = std::str::from_utf8(stream.key()) {
                out.insert(s.to_string());
            }
        }
    }
    Ok(out)
}

/// Levenshtein distance over characters, case-insensitive.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The known values nearest to `value`: those it is a part of (or that are part of it) first,
/// then those within a few edits; at most three.
pub fn suggestions<'a>(value: &str, known: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let lower = value.to_lowercase();
    let limit = (value.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, usize, &String)> = known
        .into_iter()
        .filter_map(|k| {
            let kl = k.to_lowercase();
            let d = distance(value, k);
            if !lower.is_empty() && (kl.contains(&lower) || lower.contains(&kl)) {
                Some((0, d, k))
            } else if d <= limit {
                Some((1, d, k))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, _, k)| k.clone())
        .collect()
}

/// The known value `value` names (ignoring case), or an error with suggestions.
pub fn resolve_one(what: &str, value: &str, known: &BTreeSet<String>) -> Result<String> {
    if known.contains(value) {
        return Ok(value.to_string());
    }
    if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(value)) {
        return Ok(k.clone());
    }
    let near = suggestions(value, known);
    let hint = if near.is_empty() {
        let all: Vec<&str> = known.iter().take(20).map(String::as_str).collect();
        if all.is_empty() {
            "the index holds none".to_string()
        } else {
            format!(
                "known: {}{}",
                all.join(", "),
                if known.len() > all.len() { ", …" } else { "" }
            )
        }
    } else {
        format!("did you mean {}?", near.join(", "))
    };
    Err(Error::Query {
        query: value.chars().take(200).collect(),
        detail: format!("unknown {what} `{value}`: {hint}"),
    })
}

/// Check and normalise the filters of `req` (and `field:value` in its query text).
pub fn resolve(
    store: &Store,
    searcher: &Searcher,
    req: &mut Request,
    vocabulary: &Vocabulary,
) -> Result<()> {
    let f = store.fields;
    let known_of = |what: &str| -> Result<BTreeSet<String>> {
        Ok(match what {
            "principle" => {
                let mut k = terms(store, searcher, f.principle)?;
                k.extend(vocabulary.principles.iter().cloned());
                k
            }
            "theme" => {
                let mut k = terms(store, searcher, f.theme)?;
                k.extend(vocabulary.themes.iter().cloned());
                k
            }
            "supplier" => terms(store, searcher, f.supplier)?,
            "tender" => terms(store, searcher, f.tender)?,
            _ => KINDS.iter().map(|k| k.to_string()).collect(),
        })
    };
    for (what, slot) in [
        ("principle", &mut req.principle),
        ("theme", &mut req.theme),
        ("supplier", &mut req.supplier),
        ("tender", &mut req.tender),
        ("kind", &mut req.kind),
    ] {
        if let Some(v) = slot.as_ref() {
            *slot = Some(resolve_one(what, v, &known_of(what)?)?);
        }
    }
    // `field:value` in the query text, for the same fields.
    let re = regex::Regex::new(r#"\b(principle|theme|supplier|tender|kind):("[^"]*"|[^\s()"]+)"#)
        .map_err(|e| Error::Worker(e.to_string()))?;
    let mut out = String::with_capacity(req.query.len());
    let mut at = 0;
    for caps in re.captures_iter(&req.query) {
        let (Some(all), Some(field), Some(value)) = (caps.get(0), caps.get(1), caps.get(2)) else {
            continue;
        };
        let raw = value.as_str().trim_matches('"');
        let canonical = resolve_one(field.as_str(), raw, &known_of(field.as_str())?)?;
        out.push_str(&req.query[at..all.start()]);
        if canonical
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            out.push_str(&format!("{}:{canonical}", field.as_str()));
        } else {
            out.push_str(&format!("{}:\"{canonical}\"", field.as_str()));
        }
        at = all.end();
    }
    out.push_str(&req.query[at..]);
    req.query = out;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(v: &[&str]) -> BTreeSet<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ids_match_case_insensitively_and_typos_get_suggestions() {
        let principles = set(&["CE1", "CE9", "CE10", "CE14"]);
        assert_eq!(resolve_one("principle", "ce9", &principles).unwrap(), "CE9");
        let e = resolve_one("principle", "CE99", &principles)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown principle `CE99`: did you mean CE9"),
            "{e}"
        );
        let themes = set(&["apprenticeships", "local-employment"]);
        let e = resolve_one("theme", "apprentice", &themes)
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean apprenticeships?"), "{e}");
        let suppliers = set(&["dane-valley-civils", "greenshoots-cic"]);
        let e = resolve_one("supplier", "dane-valley", &suppliers)
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean dane-valley-civils?"), "{e}");
        let e = resolve_one("supplier", "zzz", &suppliers)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("known: dane-valley-civils, greenshoots-cic"),
            "{e}"
        );
    }
}
