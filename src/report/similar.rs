//! Near-duplicate text across suppliers: word shingles, MinHash signatures with banded
//! locality-sensitive hashing to find candidate pairs, and the exact Jaccard similarity of the
//! shingle sets to confirm them.
//!
//! Identical promises from competing bidders are a known sign of template text, but templates
//! are rarely copied letter for letter: a name, a number or a word changes. Texts are compared
//! as sets of three-word shingles after lower-casing, with every number replaced by `#`, so
//! "We will recruit 8 apprentices" and "We will recruit 12 apprentices" are the same words.
//! Two texts are near-duplicates when the Jaccard similarity of their shingle sets is at least
//! [`THRESHOLD`]. Only texts of different suppliers in the same tender are paired, and groups
//! form by transitivity (union-find). Everything is deterministic: fixed hash seeds, sorted
//! inputs and outputs.
//!
//! Cost is linear in the number of texts (plus the candidate pairs): the signatures are
//! [`HASHES`] minimums over each text's shingles, and only texts that share a band are compared.

use std::collections::HashMap;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 3;
/// Lowest Jaccard similarity of shingle sets that counts as a near-duplicate.
pub const THRESHOLD: f64 = 0.5;
/// Texts with fewer words are not compared (short phrases match by chance).
pub const MIN_WORDS: usize = 6;
/// Bands and rows of the MinHash signature: a pair at similarity 0.5 becomes a candidate with
/// probability 1 - (1 - 0.5^3)^24 ≈ 0.96, at 0.6 with ≈ 0.997.
const BANDS: usize = 24;
const ROWS: usize = 3;
/// MinHash functions per text.
pub const HASHES: usize = BANDS * ROWS;
/// Members of one band bucket compared pairwise; past this, each is compared with its
/// neighbours and the first.
const MAX_BUCKET_PAIRS_MEMBERS: usize = 400;

/// A text to compare, with who wrote it.
pub struct Item<'a> {
    pub tender: &'a str,
    pub supplier: &'a str,
    pub text: &'a str,
}

/// A group of near-duplicate items (indexes into the input), in input order.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub members: Vec<usize>,
    /// The lowest similarity of the pairs that joined the group.
    pub similarity: f64,
}

/// Lower-cased words of letters and digits; numbers become `#`.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.chars().all(|c| c.is_ascii_digit()) {
                "#".to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect()
}

fn fnv1a(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The sorted, distinct hashes of a text's shingles.
pub fn shingles(text: &str) -> Vec<u64> {
    let w = words(text);
    let mut out: Vec<u64> = if w.len() < SHINGLE_WORDS {
        vec![w.iter().fold(0xcbf2_9ce4_8422_2325, |h, x| {
            fnv1a(x.as_bytes(), fnv1a(b" ", h))
        })]
    } else {
        w.windows(SHINGLE_WORDS)
            .map(|win| {
                win.iter().fold(0xcbf2_9ce4_8422_2325, |h, x| {
                    fnv1a(x.as_bytes(), fnv1a(b" ", h))
                })
            })
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// Jaccard similarity of two sorted, distinct sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

fn signature(shingles: &[u64], seeds: &[u64; HASHES]) -> [u64; HASHES] {
    let mut sig = [u64::MAX; HASHES];
    for &s in shingles {
        for (slot, seed) in sig.iter_mut().zip(seeds) {
            let h = splitmix(s ^ seed);
            if h < *slot {
                *slot = h;
            }
        }
    }
    sig
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The smaller index is the root: deterministic.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
}

/// Groups of near-duplicate items across different suppliers of the same tender.
pub fn near_duplicates(items: &[Item<'_>]) -> Vec<Group> {
    let mut seeds = [0u64; HASHES];
    let mut state = 0x5eed_u64;
    for s in seeds.iter_mut() {
        state = splitmix(state);
        *s = state;
    }
    let sets: Vec<Option<Vec<u64>>> = items
        .iter()
        .map(|it| (words(it.text).len() >= MIN_WORDS).then(|| shingles(it.text)))
        .collect();
    // One hash per band and item; candidates share a band hash. Sorting (hash, item) pairs
    // band by band keeps memory to a few words per item.
    let bands: Vec<Option<[u64; BANDS]>> = sets
        .iter()
        .map(|set| {
            set.as_ref().map(|set| {
                let sig = signature(set, &seeds);
                let mut b = [0u64; BANDS];
                for (band, rows) in sig.chunks(ROWS).enumerate() {
                    b[band] = rows.iter().fold(band as u64, |h, r| splitmix(h ^ r));
                }
                b
            })
        })
        .collect();
    let mut uf = UnionFind {
        parent: (0..items.len()).collect(),
    };
    let mut pair_similarity: HashMap<usize, f64> = HashMap::new();
    let mut check = |a: usize, b: usize, uf: &mut UnionFind| {
        let (ia, ib) = (&items[a], &items[b]);
        if ia.supplier == ib.supplier || ia.tender != ib.tender || uf.find(a) == uf.find(b) {
            return;
        }
        let (Some(sa), Some(sb)) = (&sets[a], &sets[b]) else {
            return;
        };
        let j = jaccard(sa, sb);
        if j >= THRESHOLD {
            let (ra, rb) = (uf.find(a), uf.find(b));
            let joined = pair_similarity
                .get(&ra)
                .copied()
                .unwrap_or(1.0)
                .min(pair_similarity.get(&rb).copied().unwrap_or(1.0))
                .min(j);
            uf.union(a, b);
            let root = uf.find(a);
            pair_similarity.insert(root, joined);
        }
    };
    let mut keyed: Vec<(u64, usize)> = Vec::with_capacity(items.len());
    for band in 0..BANDS {
        keyed.clear();
        keyed.extend(
            bands
                .iter()
                .enumerate()
                .filter_map(|(i, b)| b.map(|b| (b[band], i))),
        );
        keyed.sort_unstable();
        for run in keyed.chunk_by(|x, y| x.0 == y.0) {
            if run.len() < 2 {
                continue;
            }
            let members: Vec<usize> = run.iter().map(|(_, i)| *i).collect();
            if members.len() <= MAX_BUCKET_PAIRS_MEMBERS {
                for (x, &a) in members.iter().enumerate() {
                    for &b in &members[x + 1..] {
                        check(a, b, &mut uf);
                    }
                }
            } else {
                // A huge bucket is one template copied many times: neighbours and the first
                // member are enough to join it, in linear time.
                for w in members.windows(2) {
                    check(w[0], w[1], &mut uf);
                }
                for &b in &members[1..] {
                    check(members[0], b, &mut uf);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..items.len() {
        // Every joined group's root has a similarity; singletons have none.
        let r = uf.find(i);
        if pair_similarity.contains_key(&r) {
            groups.entry(r).or_default().push(i);
        }
    }
    let mut out: Vec<Group> = groups
        .into_iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(root, members)| Group {
            similarity: pair_similarity.get(&root).copied().unwrap_or(1.0),
            members,
        })
        .collect();
    out.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.members.first().cmp(&b.members.first()))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(supplier: &'a str, text: &'a str) -> Item<'a> {
        Item {
            tender: "t",
            supplier,
            text,
        }
    }

    #[test]
    fn numbers_and_case_do_not_hide_a_copy() {
        let a = shingles("We will recruit 8 apprentices from Crewe over the contract term.");
        let b = shingles("we will recruit 12 Apprentices from Crewe over the contract term");
        assert_eq!(jaccard(&a, &b), 1.0);
    }

    #[test]
    fn template_text_with_a_changed_word_is_grouped_across_suppliers() {
        let items = vec![
            item(
                "acme",
                "We will pay all staff working on this contract at least the Real Living Wage and we will not use zero hours contracts.",
            ),
            item(
                "bolt",
                "We will pay all operatives working on this contract at least the Real Living Wage and we will not use zero hours contracts.",
            ),
            item(
                "cobalt",
                "Our apprentices will be mentored by a named supervisor and released one day a week for college.",
            ),
            item(
                "acme",
                "We will pay all staff working on this contract at least the Real Living Wage and we will not use zero hours contracts.",
            ),
        ];
        let groups = near_duplicates(&items);
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert_eq!(groups[0].members, vec![0, 1, 3]);
        assert!(groups[0].similarity >= THRESHOLD && groups[0].similarity < 1.0);
    }

    #[test]
    fn same_supplier_other_tender_and_short_texts_are_not_paired() {
        let same = "We will donate five hundred pounds to a local charity every single year.";
        let items = vec![
            item("acme", same),
            item("acme", same),
            Item {
                tender: "other",
                supplier: "bolt",
                text: same,
            },
            item("bolt", "We will comply."),
            item("cobalt", "We will comply."),
        ];
        assert!(near_duplicates(&items).is_empty());
    }

    #[test]
    fn different_commitments_are_not_flagged() {
        let items = vec![
            item("acme", "We will plant two thousand trees in parks across Macclesfield by 2028."),
            item("bolt", "We will recruit ten apprentices from Crewe and pay them the Real Living Wage."),
            item("cobalt", "Every quarter we will report our social value KPIs to the council's contract manager."),
        ];
        assert!(near_duplicates(&items).is_empty());
    }

    #[test]
    fn a_template_copied_by_many_suppliers_is_one_group() {
        let texts: Vec<String> = (0..1000)
            .map(|i| format!("Supplier{i} will support local food banks with volunteering days and donations throughout the contract."))
            .collect();
        let suppliers: Vec<String> = (0..1000).map(|i| format!("s{i}")).collect();
        let items: Vec<Item<'_>> = texts
            .iter()
            .zip(&suppliers)
            .map(|(t, s)| item(s, t))
            .collect();
        let groups = near_duplicates(&items);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].members.len(), 1000);
    }
}
