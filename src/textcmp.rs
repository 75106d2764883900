//! Word-level comparison of extracted text against a reference extractor's output.
//!
//! Extractors legitimately differ in line breaks and reading order, so texts are compared as
//! bags of words after Unicode NFKC and whitespace normalisation (form feeds between pages are
//! whitespace too). This is what the accuracy test and `examples/corpus_accuracy.rs` report.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// Precision, recall and F1 of a candidate text's words against a reference's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WordScore {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub candidate_words: usize,
    pub reference_words: usize,
}

/// NFKC-normalised, whitespace-separated tokens that hold a letter or a digit.
pub fn words(text: &str) -> Vec<String> {
    let normalised: String = text.nfkc().collect();
    normalised
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(str::to_owned)
        .collect()
}

fn bag(words: &[String]) -> HashMap<&str, usize> {
    let mut bag = HashMap::new();
    for w in words {
        *bag.entry(w.as_str()).or_insert(0) += 1;
    }
    bag
}

/// Score `candidate` against `reference` as multisets of words.
pub fn word_score(candidate: &str, reference: &str) -> WordScore {
    let cand = words(candidate);
    let refw = words(reference);
    let (cb, rb) = (bag(&cand), bag(&refw));
    let common: usize = cb
        .iter()
        .map(|(w, n)| (*n).min(rb.get(w).copied().unwrap_or(0)))
        .sum();
    let ratio = |num: usize, den: usize| {
        if den == 0 {
            if num == 0 {
                1.0
            } else {
                0.0
            }
        } else {
            num as f64 / den as f64
        }
    };
    let precision = if cand.is_empty() && refw.is_empty() {
        1.0
    } else {
        ratio(common, cand.len())
    };
    let recall = ratio(common, refw.len());
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    WordScore {
        precision,
        recall,
        f1,
        candidate_words: cand.len(),
        reference_words: refw.len(),
    }
}

/// The value at quantile `q` (0..=1) of `values`, by the nearest-rank method; `None` if empty.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_score_one() {
        let s = word_score("a b\x0cc", "a  b\nc");
        assert_eq!(s.f1, 1.0);
    }

    #[test]
    fn nfkc_folds_ligatures() {
        let s = word_score("\u{FB01}eld", "field");
        assert_eq!(s.f1, 1.0);
    }

    #[test]
    fn layout_tokens_are_not_words() {
        assert_eq!(words("+---+ | cell | [] • x"), vec!["cell", "x"]);
        assert_eq!(word_score("| a |", "a").f1, 1.0);
    }

    #[test]
    fn partial_overlap() {
        let s = word_score("a b c d", "a b x y");
        assert_eq!(s.precision, 0.5);
        assert_eq!(s.recall, 0.5);
        assert_eq!(s.f1, 0.5);
        let missing = word_score("", "a");
        assert_eq!(missing.f1, 0.0);
    }

    #[test]
    fn quantiles_by_nearest_rank() {
        let v = [0.5, 0.9, 1.0, 0.7];
        assert_eq!(quantile(&v, 0.5), Some(0.7));
        assert_eq!(quantile(&v, 0.1), Some(0.5));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
