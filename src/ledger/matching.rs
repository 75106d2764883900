//! Which commitment a delivered figure answers, and why.
//!
//! Suppliers report in their own shorthand ("Local spend", "Apprentice starts"), not in the
//! words of their plan, so a link needs no shared phrase: a figure answers a commitment of the
//! same tender and supplier when the two quantities are of compatible kinds and units (money
//! with money, people with people, hours with hours, percent with percent; a count of the same
//! thing by its stem) and they share at least one content word, stemmed ("apprentices" and
//! "apprenticeships" share `apprentic`; place names and words every plan uses do not count),
//! two of them unless the theme or the thing counted also agree.
//! Among the commitments that qualify, the figure goes to those sharing the most words with
//! it, and to those most of whose words it shares: a plan often states one promise twice, in
//! a terse table row and in a paragraph. Every link keeps its reasons.

use std::collections::BTreeSet;

use tantivy::tokenizer::TokenStream;

use super::figures::Figure;
use crate::classify::MeasureKind;
use crate::index::tokens;

/// Words that say nothing about what is counted: grammar, and the vocabulary of every plan
/// and every return alike.
const STOP: &[&str] = &[
    "a",
    // Cheshire East, as returns abbreviate it: a place, which says where, not what.
    "ce",
    "about",
    "across",
    "after",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "each",
    "for",
    "from",
    "had",
    "has",
    "have",
    "in",
    "into",
    "is",
    "it",
    "its",
    "least",
    "more",
    "most",
    "no",
    "not",
    "of",
    "on",
    "or",
    "our",
    "over",
    "per",
    "so",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "up",
    "us",
    "was",
    "we",
    "were",
    "which",
    "while",
    "who",
    "will",
    "with",
    "within",
    "year",
    "years",
    "month",
    "months",
    "quarter",
    "quarters",
    "q1",
    "q2",
    "q3",
    "q4",
    "period",
    "date",
    "total",
    "cumulative",
    "contract",
    "commitment",
    "commitments",
    "target",
    "targets",
    "measure",
    "measures",
    "kpi",
    "kpis",
    "ref",
    "number",
    "numbers",
    "figure",
    "figures",
    "actual",
    "actuals",
    "delivered",
    "delivery",
    "reported",
    "report",
    "return",
    "new",
    "cent",
    "percent",
    "percentage",
    "value",
    "until",
    "since",
    "start",
    "started",
    "far",
    "ytd",
    "life",
    "term",
    "during",
    "first",
    "second",
    "third",
    "fourth",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "twelve",
    "least",
    "deadline",
    "when",
    "by",
    "expected",
    "achieved",
    "status",
    "notes",
    "note",
    "comment",
    "comments",
    "evidence",
    "gbp",
    "hours",
    "hour",
    "hrs",
    "fte",
    "less",
    "under",
    "every",
    "people",
    "person",
    "persons",
];

/// Counted things that are people: two such counts answer each other.
const PEOPLE: &[&str] = &[
    "person",
    "peopl",
    "resid",
    "apprentic",
    "traine",
    "worker",
    "volunt",
    "student",
    "pupil",
    "job",
    "role",
    "post",
    "staff",
    "employe",
    "hire",
    "recruit",
    "carer",
    "graduat",
    "placement",
    "start",
    "learner",
    "young",
    "member",
    "beneficiari",
    "participant",
    "buddi",
    "leaver",
    "veteran",
    "mentor",
    "employ",
];

/// The stemmed content words of `text` less those of `places` (place names tell where, not
/// what), with the analyzer the index searches by.
pub fn words_without(text: &str, places: &[&str]) -> BTreeSet<String> {
    let mut out = words(text);
    for p in places {
        for w in words(p) {
            out.remove(&w);
        }
    }
    out
}

/// The stemmed content words of `text`, with the analyzer the index searches by.
pub fn words(text: &str) -> BTreeSet<String> {
    static STOP_STEMS: std::sync::LazyLock<BTreeSet<String>> =
        std::sync::LazyLock::new(|| STOP.iter().map(|w| stem(w)).collect());
    stems(text)
        .into_iter()
        .filter(|t| !STOP_STEMS.contains(t.as_str()))
        .collect()
}

/// Every stemmed word of `text` but numbers and single letters.
fn stems(text: &str) -> BTreeSet<String> {
    let mut analyzer = tokens::stemmed();
    let mut stream = analyzer.token_stream(text);
    let mut out = BTreeSet::new();
    while stream.advance() {
        let t = &stream.token().text;
        if t.len() < 2 || t.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        out.insert(shorthand(t).unwrap_or(t).to_string());
    }
    out
}

/// Returns abbreviate what plans spell out: the stem a shorthand stands for ("App. starts",
/// "Careers hrs", "full-time equivalent" as `fte`).
fn shorthand(stem: &str) -> Option<&'static str> {
    Some(match stem {
        "app" | "apps" => "apprentic",
        // "Permanent posts created" and "new permanent jobs": a post or role is a job.
        "post" | "role" => "job",
        "hr" | "hrs" => "hour",
        "equival" => "fte",
        _ => return None,
    })
}

fn stem(word: &str) -> String {
    let mut analyzer = tokens::stemmed();
    let mut stream = analyzer.token_stream(word);
    if stream.advance() {
        stream.token().text.clone()
    } else {
        word.to_string()
    }
}

fn is_people(unit_words: &BTreeSet<String>) -> bool {
    unit_words
        .iter()
        .any(|w| PEOPLE.iter().any(|p| w.starts_with(p)))
}

/// The quantity a commitment promises, as matching needs it.
#[derive(Clone, Debug)]
pub struct Promise {
    pub kind: MeasureKind,
    pub unit: Option<String>,
    /// Its text's content words (the table header left out).
    pub words: BTreeSet<String>,
    pub themes: BTreeSet<String>,
    pub principles: BTreeSet<String>,
}

/// Why a figure answers a promise, and how well.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// Content words shared.
    pub shared: usize,
    /// The share of the promise's words that the figure's words cover.
    pub coverage: f64,
    pub reason: String,
}

/// Of the fits of one figure, the ones it links to: the most shared words, and the highest
/// coverage (ties kept).
pub fn best<T>(fits: Vec<(T, Fit)>) -> Vec<(T, Fit)> {
    let most = fits.iter().map(|(_, f)| f.shared).max().unwrap_or(0);
    let cover = fits.iter().map(|(_, f)| f.coverage).fold(0.0, f64::max);
    fits.into_iter()
        .filter(|(_, f)| f.shared == most || (f.coverage - cover).abs() < 1e-9)
        .collect()
}

/// Whether `figure` (from a passage with `themes` and `principles`) answers `promise`, and
/// why; `None` when the quantities cannot be compared or no content word is shared.
pub fn fit(
    figure: &Figure,
    figure_words: &BTreeSet<String>,
    themes: &BTreeSet<String>,
    principles: &BTreeSet<String>,
    promise: &Promise,
) -> Option<Fit> {
    let mut reasons = Vec::new();
    let shared_theme: Vec<&String> = themes.intersection(&promise.themes).collect();
    let shared_principle: Vec<&String> = principles.intersection(&promise.principles).collect();
    if let Some(t) = shared_theme.first() {
        reasons.push(format!("same theme {t}"));
    } else if let Some(p) = shared_principle.first() {
        reasons.push(format!("same principle {p}"));
    }
    let (unit_reason, same_thing) = compatible(figure, promise)?;
    reasons.push(unit_reason);
    let shared: Vec<&String> = figure_words.intersection(&promise.words).collect();
    // One shared word alone ("spring") is chance, unless the theme or the thing counted agree.
    let agree = same_thing || !shared_theme.is_empty() || !shared_principle.is_empty();
    if shared.is_empty() || (shared.len() == 1 && !agree) {
        return None;
    }
    reasons.push(format!(
        "shared words {}",
        shared
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Some(Fit {
        shared: shared.len(),
        coverage: shared.len() as f64 / promise.words.len().max(1) as f64,
        reason: reasons.join("; "),
    })
}

/// Whether the two quantities can be compared: the reason, and whether they count the same
/// named thing.
fn compatible(figure: &Figure, promise: &Promise) -> Option<(String, bool)> {
    use MeasureKind::*;
    let unit_words = |u: &Option<String>| u.as_deref().map(stems).unwrap_or_default();
    match (figure.kind, promise.kind) {
        (Money, Money) => Some(("both amounts of money".into(), false)),
        (Percent, Percent) => Some(("both percentages".into(), false)),
        // Hours given are one kind of thing (time given to schools, to charities), where
        // money and percentages measure anything.
        (Hours, Hours) => Some(("both hours".into(), true)),
        // Full-time equivalents count posts and nothing else.
        (Fte, Fte) => Some(("both FTE".into(), true)),
        (Count | Fte, Count | Fte) => {
            let a = unit_words(&figure.unit);
            let b = unit_words(&promise.unit);
            if let Some(w) = a.intersection(&b).next() {
                return Some((format!("both counts of {w}"), true));
            }
            // A bare number whose label names what the plan counts ("Laptops handed over: 19"
            // against "120 refurbished laptops"), or the reverse, counts the same thing.
            let named = |unit: &BTreeSet<String>, words: &BTreeSet<String>| {
                unit.iter().find(|w| words.contains(*w)).cloned()
            };
            let named = match (a.is_empty(), b.is_empty()) {
                (true, false) => named(&b, &stems(&figure.context)),
                (false, true) => named(&a, &promise.words),
                _ => None,
            };
            if let Some(w) = named {
                return Some((format!("both counts of {w}"), true));
            }
            if is_people(&a) && is_people(&b) {
                Some(("both counts of people".into(), false))
            } else if a.is_empty() || b.is_empty() {
                // A bare number ("Projects completed | 2", "120 over the contract"): the
                // words around it must carry the match.
                Some(("both counts".into(), false))
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(kind: MeasureKind, unit: Option<&str>, context: &str) -> Figure {
        Figure {
            kind,
            value: 1.0,
            unit: unit.map(str::to_string),
            context: context.into(),
            cumulative: false,
            text: "1".into(),
        }
    }

    fn promise(kind: MeasureKind, unit: Option<&str>, text: &str, theme: &str) -> Promise {
        Promise {
            kind,
            unit: unit.map(str::to_string),
            words: words(text),
            themes: [theme.to_string()].into_iter().collect(),
            principles: BTreeSet::new(),
        }
    }

    fn try_fit(f: &Figure, theme: &str, p: &Promise) -> Option<Fit> {
        let themes = [theme.to_string()].into_iter().collect();
        fit(f, &words(&f.context), &themes, &BTreeSet::new(), p)
    }

    #[test]
    fn apprentices_answer_apprenticeships_with_the_reason() {
        let f = figure(
            MeasureKind::Count,
            Some("apprentice"),
            "We employed 7 apprentices this quarter",
        );
        let p = promise(
            MeasureKind::Count,
            Some("apprenticeship"),
            "We will create eight new apprenticeships for residents",
            "apprenticeships",
        );
        let fit = try_fit(&f, "apprenticeships", &p).unwrap();
        assert_eq!(
            fit.reason,
            "same theme apprenticeships; both counts of apprentic; shared words apprentic"
        );
        assert_eq!(fit.shared, 1);
    }

    #[test]
    fn a_bare_count_named_by_its_label_counts_the_plans_thing() {
        let f = figure(
            MeasureKind::Count,
            None,
            "Laptops handed over since the start",
        );
        let p = promise(
            MeasureKind::Count,
            Some("refurbished laptops"),
            "We will donate 120 refurbished laptops to residents",
            "digital-inclusion",
        );
        // One shared word, no shared theme: enough, since the label names the plan's unit.
        let fit = try_fit(&f, "none", &p).unwrap();
        assert!(
            fit.reason.contains("both counts of laptop"),
            "{}",
            fit.reason
        );
        // Without the thing named, one shared word is chance.
        let f = figure(MeasureKind::Count, None, "Devices handed to residents");
        assert_eq!(try_fit(&f, "none", &p), None);
        // A post is a job.
        assert_eq!(
            words("Permanent posts created"),
            words("permanent jobs created")
        );
    }

    #[test]
    fn money_answers_money_and_never_a_percentage() {
        let f = figure(MeasureKind::Money, None, "Local spend");
        let pct = promise(
            MeasureKind::Percent,
            Some("%"),
            "We will spend 35% of contract spend with local suppliers",
            "local-supply-chain",
        );
        assert_eq!(try_fit(&f, "local-supply-chain", &pct), None);
        let money = promise(
            MeasureKind::Money,
            Some("GBP"),
            "We will spend £1.2m a year with local suppliers",
            "local-supply-chain",
        );
        let fit = try_fit(&f, "local-supply-chain", &money).unwrap();
        assert!(
            fit.reason.contains("both amounts of money"),
            "{}",
            fit.reason
        );
        assert!(
            fit.reason.contains("shared words local, spend"),
            "{}",
            fit.reason
        );
    }

    #[test]
    fn a_figure_links_to_the_most_shared_words_and_to_the_best_covered_promise() {
        let fit = |shared: usize, coverage: f64| Fit {
            shared,
            coverage,
            reason: String::new(),
        };
        let links = best(vec![
            ("long paragraph", fit(6, 0.3)),
            ("its list item", fit(6, 0.25)),
            ("table row", fit(4, 0.8)),
            ("other promise", fit(2, 0.2)),
        ]);
        let names: Vec<&str> = links.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["long paragraph", "its list item", "table row"]);
    }

    #[test]
    fn people_answer_people_but_not_laptops_and_no_shared_word_is_no_link() {
        let f = figure(
            MeasureKind::Count,
            Some("resident"),
            "residents helped online",
        );
        let laptops = promise(
            MeasureKind::Count,
            Some("refurbished laptop"),
            "We will donate 120 refurbished laptops to residents",
            "digital-inclusion",
        );
        assert_eq!(try_fit(&f, "digital-inclusion", &laptops), None);
        let sessions = promise(
            MeasureKind::Count,
            Some("person"),
            "We will help 300 people get online in libraries",
            "digital-inclusion",
        );
        let fit = try_fit(&f, "digital-inclusion", &sessions).unwrap();
        assert!(
            fit.reason.contains("both counts of people"),
            "{}",
            fit.reason
        );
        let chance = figure(
            MeasureKind::Count,
            Some("resident"),
            "residents online this spring",
        );
        let spring = promise(
            MeasureKind::Count,
            Some("person"),
            "340 people voted that spring",
            "x",
        );
        assert_eq!(try_fit(&chance, "digital-inclusion", &spring), None);
        let trees = figure(MeasureKind::Count, Some("tree"), "trees planted");
        assert_eq!(try_fit(&trees, "green-spaces", &sessions), None);
        let hours = figure(MeasureKind::Hours, None, "careers hours");
        assert_eq!(try_fit(&hours, "digital-inclusion", &sessions), None);
    }
}
