//! The statement kind of a passage: commitment, aspiration, track record or none.
//!
//! The cue rules (`rules/kinds.toml`) mark words that signal a promise, a hedge, the past, the
//! present, a refusal or boilerplate. This module weighs them sentence by sentence, so that a
//! hedge in one sentence does not weaken a firm promise in the next:
//!
//! 1. a refusal ("we will not be able to") makes its sentence `none`;
//! 2. a firm promise ("we will", "the Contractor shall") without a hedge or an intention is a
//!    `commitment`;
//!    a weak one ("we are committed to") is a commitment only when what it promises is
//!    concrete (a number, a date, a place or a named group after it in its sentence, or this
//!    contract), else an `aspiration`;
//! 3. an intention ("we aim to", "our objective is") is a target, and so a `commitment`, when
//!    a date follows it ("we aim to publish the figures by June 2027"), or a quantity follows
//!    it and a date or a duration is in its sentence ("we aim to plant 500 trees within three
//!    years"); else it, and a hedge ("where possible", "we hope to"), makes its sentence an
//!    `aspiration`;
//! 4. the past or the present ("last year we", "we pay") is a `track_record`;
//! 5. a measurable deliverable with no verb ("4 x placements per year", "Target 40%") in a
//!    table row or a bullet that has a quantity or a date is a `commitment`: an offer lists
//!    what it will deliver that way.
//!
//! The passage takes the strongest sentence (commitment, then aspiration, then track record).
//! Document furniture (a question of the invitation to tender, navigation, a heading) is `none`. A track record needs social value
//! content (a theme); a plain statement with a theme and no cue at all describes what the
//! supplier does, so it is a track record too. Boilerplate cues (terms, navigation, company
//! description) make a passage without any theme `none`.

use super::ids::RuleId;
use super::load::Cue;
use super::model::{Measure, MeasureKind, StatementKind};
use super::pattern::Hit;
use super::schema::Signal;

/// What the kind decision looks at.
pub struct KindInput<'a> {
    pub text: &'a str,
    /// Hits of the cue layer.
    pub hits: &'a [Hit],
    pub cues: &'a [Cue],
    pub has_theme: bool,
    pub measures: &'a [Measure],
}

#[derive(Default, Clone)]
struct Sentence {
    signals: u16,
    /// Cue index, start and end of each hit in this sentence.
    hits: Vec<(usize, usize, usize)>,
}

fn bit(s: Signal) -> u16 {
    1 << (s as u16)
}

impl Sentence {
    fn has(&self, s: Signal) -> bool {
        self.signals & bit(s) != 0
    }

    /// A refusal ("we will not be able to ...") with no firm promise beside it in the same
    /// sentence: "..., but we will provide two placements" and "we will employ one more
    /// labourer, as the team cannot cover the work" are commitments. A "will" in the reason
    /// given for the refusal promises nothing: "we cannot open an office in the town, as the
    /// service will be run from our hub" is a refusal.
    fn refuses(&self, text: &str, cues: &[Cue]) -> bool {
        if !self.has(Signal::Refusal)
            || !self.any_outside(cues, Signal::Commit, Signal::Refusal, false)
        {
            return self.has(Signal::Refusal);
        }
        let signal_of = |c: usize| cues.get(c).map(|cue| cue.signal);
        let refusals: Vec<(usize, usize)> = self
            .hits
            .iter()
            .filter(|h| signal_of(h.0) == Some(Signal::Refusal))
            .map(|h| (h.1, h.2))
            .collect();
        let refusal_end = refusals.iter().map(|r| r.1).min().unwrap_or(0);
        // The promises outside the refusal ("we will" inside "we will not be able" is its own).
        self.hits
            .iter()
            .filter(|h| signal_of(h.0) == Some(Signal::Commit))
            .filter(|h| {
                refusals
                    .iter()
                    .all(|&(start, end)| h.2 <= start || h.1 >= end)
            })
            .all(|h| h.1 >= refusal_end && gives_a_reason(text.get(refusal_end..h.1).unwrap_or("")))
    }

    /// A claim about the present outside any description of the business: in "we operate
    /// in the facilities management sector" the present tense is the description's own verb,
    /// not a claim of practice; "we specialise in care and we pay all staff the Real Living
    /// Wage" still claims one, and so does a present cue that runs on past the description
    /// ("we specialise in home care and pay all staff ...").
    fn claims_present(&self, cues: &[Cue]) -> bool {
        self.any_outside(cues, Signal::Present, Signal::Description, true)
    }

    /// Whether a hit of `signal` lies outside (overlaps none of) the hits of `of`; with
    /// `by_end`, whether it ends outside each of them (before it starts or after it ends).
    fn any_outside(&self, cues: &[Cue], signal: Signal, of: Signal, by_end: bool) -> bool {
        let signal_of = |c: usize| cues.get(c).map(|cue| cue.signal);
        let spans: Vec<(usize, usize)> = self
            .hits
            .iter()
            .filter(|h| signal_of(h.0) == Some(of))
            .map(|h| (h.1, h.2))
            .collect();
        self.hits.iter().any(|h| {
            signal_of(h.0) == Some(signal)
                && spans.iter().all(|&(start, end)| {
                    h.2 <= start || (if by_end { h.2 > end } else { h.1 >= end })
                })
        })
    }
}

/// Byte offsets where sentences start (after the first): after `.`, `!`, `?` or `;` followed
/// by white space, or at a line break. Abbreviations such as "e.g." do not end a sentence.
pub fn sentence_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        let ends = match b {
            b'\n' => true,
            b'.' | b'!' | b'?' | b';' => {
                bytes.get(i + 1).is_some_and(|n| n.is_ascii_whitespace())
                    && !(b == b'.' && is_abbreviation(&text[..i]))
            }
            _ => false,
        };
        if ends {
            starts.push(i + 1);
        }
    }
    starts
}

fn is_abbreviation(before: &str) -> bool {
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    crate::passage::is_abbreviation(word)
}

/// The kind and the cue rules that decided it.
pub fn decide(input: &KindInput) -> (StatementKind, Vec<RuleId>) {
    let starts = sentence_starts(input.text);
    let mut sentences: Vec<Sentence> = vec![Sentence::default(); starts.len() + 1];
    let mut any = 0u16;
    for hit in input.hits {
        let Some(cue) = input.cues.get(hit.matcher) else {
            continue;
        };
        if cue.signal == Signal::Commit
            && (in_aside(input.text, hit.start) || in_indirect_question(input.text, hit.start))
        {
            continue;
        }
        let idx = starts.partition_point(|&s| s <= hit.start);
        // A question promises, hedges and claims nothing ("Will the council split contracts
        // into lots?"); what marks it as furniture or description still counts.
        if asks(input.text, &starts, idx) && says_something(cue.signal) {
            continue;
        }
        if let Some(sentence) = sentences.get_mut(idx) {
            sentence.signals |= bit(cue.signal);
            sentence.hits.push((hit.matcher, hit.start, hit.end));
        }
        any |= bit(cue.signal);
    }
    let contract_specific = any & bit(Signal::ContractSpecific) != 0;
    // A date after "since" says how long something has been so ("accredited since 2019"): it
    // is no deadline, and makes no promise firm.
    // Whether date `m` is introduced by `word` ("since 2019", "from September 2025").
    let introduced_by = |m: &Measure, word: &str| {
        let n = word.len();
        let is = |w: &str| w.eq_ignore_ascii_case(word);
        m.kind == MeasureKind::Date
            && (m.text.get(..n).is_some_and(is)
                || input
                    .text
                    .get(..m.start)
                    .map(str::trim_end)
                    .and_then(|b| {
                        let cut = b.len().checked_sub(n)?;
                        let (before, w) = (b.get(..cut)?, b.get(cut..)?);
                        (!before.ends_with(|c: char| c.is_alphanumeric())).then_some(w)
                    })
                    .is_some_and(is))
    };
    let since = |m: &Measure| introduced_by(m, "since");
    let concrete_measure = |m: &&Measure| {
        (m.kind.is_quantity() || m.kind.is_time() || m.kind == MeasureKind::Group) && !since(m)
    };
    // Where the first cue of `signal` in a sentence starts.
    let first = |s: &Sentence, signal: Signal| {
        s.hits
            .iter()
            .filter(|h| input.cues.get(h.0).map(|c| c.signal) == Some(signal))
            .map(|h| h.1)
            .min()
            .unwrap_or(0)
    };
    // A weak promise is firm when what it promises is concrete: a measure after the promise,
    // in its sentence ("committed to net zero by 2040"), not a figure before it that describes
    // something else ("with a budget of £3bn, we remain committed to ...").
    let concrete_after = |si: usize, s: &Sentence| {
        let from = first(s, Signal::CommitWeak);
        let (begin, end) = sentence_span(&starts, si, input.text.len());
        // A lead-in ("we have adopted the following targets:") promises what follows it.
        let own = input.text.get(begin..end).unwrap_or("").trim_end();
        let lead_in = own.ends_with(':') || own.to_ascii_lowercase().contains("the following");
        let to = if lead_in { input.text.len() } else { end };
        contract_specific
            || input
                .measures
                .iter()
                .filter(concrete_measure)
                .any(|m| m.start >= from && m.start < to)
    };

    // An intention is a target when a date follows it ("we aim to publish the figures by June
    // 2027": a deadline, as the codebook's real-text conventions read it) or comes before it
    // after "from" or "by" ("From September 2025 we aim to ..."), or when it names a quantity
    // after it and a date or a duration anywhere in its sentence ("by 2028 we want women to
    // make up 40% of our intake"): a figure alone may describe something else ("aims to boost
    // a £2.8 billion economy"), and a duration alone is a service standard ("we aim to reply
    // within three days").
    let target_after = |si: usize, s: &Sentence| {
        let from = first(s, Signal::Intent);
        let (begin, end) = sentence_span(&starts, si, input.text.len());
        let inside = |m: &&Measure| m.start >= begin && m.start < end;
        let quantity = input
            .measures
            .iter()
            .filter(inside)
            .any(|m| m.kind.is_quantity() && m.start >= from);
        let dated_after = input.measures.iter().filter(inside).any(|m| {
            m.kind == MeasureKind::Date
                && !since(m)
                && (m.start >= from || introduced_by(m, "from") || introduced_by(m, "by"))
        });
        dated_after
            || quantity
                && input
                    .measures
                    .iter()
                    .filter(inside)
                    .any(|m| m.kind.is_time())
    };

    // A table row or a bullet of an offer states a deliverable without a verb; it is firm when
    // it is measurable: a quantity or a date, or in a social value row a bare figure ("| 4 per
    // year |", "| Month 3 |": a count without a unit is no measure, but in a row of an offer it
    // is what is offered; rows of other tables, a tax form's schedules, are left alone).
    // Worked out only for a sentence with a deliverable cue.
    let offer_fragment = || {
        is_fragment(input.text)
            && (input
                .measures
                .iter()
                .any(|m| m.kind.is_quantity() || m.kind.is_time())
                || (input.has_theme
                    && input.text.contains('|')
                    && input.text.split('|').any(figure_cell)))
    };

    let mut best = StatementKind::None;
    let mut deciding: Vec<usize> = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        let (kind, signals): (StatementKind, &[Signal]) = if s.has(Signal::Furniture) {
            (StatementKind::None, &[Signal::Furniture])
        } else if s.refuses(input.text, input.cues) {
            (StatementKind::None, &[Signal::Refusal])
        } else if s.has(Signal::Commit) && !s.has(Signal::Hedge) && !s.has(Signal::Intent) {
            (StatementKind::Commitment, &[Signal::Commit])
        } else if s.has(Signal::CommitWeak) && !s.has(Signal::Hedge) && concrete_after(si, s) {
            (StatementKind::Commitment, &[Signal::CommitWeak])
        } else if s.has(Signal::Intent) && !s.has(Signal::Hedge) && target_after(si, s) {
            (StatementKind::Commitment, &[Signal::Intent])
        } else if s.has(Signal::Hedge) || s.has(Signal::CommitWeak) || s.has(Signal::Intent) {
            (
                StatementKind::Aspiration,
                &[Signal::Hedge, Signal::CommitWeak, Signal::Intent],
            )
        } else if s.has(Signal::Past) || s.claims_present(input.cues) {
            (StatementKind::TrackRecord, &[Signal::Past, Signal::Present])
        } else if s.has(Signal::Deliverable)
            && offer_fragment()
            && !looks_like_heading(input.text)
            && !looks_like_header_row(input.text)
        {
            (StatementKind::Commitment, &[Signal::Deliverable])
        } else {
            continue;
        };
        let cues = s.hits.iter().map(|h| h.0).filter(|&c| {
            input
                .cues
                .get(c)
                .is_some_and(|cue| signals.contains(&cue.signal))
        });
        if rank(kind) > rank(best) {
            best = kind;
            deciding = cues.collect();
        } else if kind == best {
            deciding.extend(cues);
        }
    }

    // Results counted in the past ("562 people have been helped into work") are claims
    // whoever reports them.
    let counted_past =
        any & bit(Signal::Past) != 0 && input.measures.iter().any(|m| m.kind.is_quantity());
    let boilerplate = any & bit(Signal::NonStatement) != 0 && !input.has_theme;
    let furniture = any & bit(Signal::Furniture) != 0 && best != StatementKind::Commitment;
    if boilerplate || furniture {
        let which = if boilerplate {
            Signal::NonStatement
        } else {
            Signal::Furniture
        };
        best = StatementKind::None;
        deciding = cues_with(input, which);
    } else if best == StatementKind::TrackRecord
        && !input.has_theme
        && !speaks_for_itself(input.text)
        && !counted_past
    {
        // A claim with no social value theme in it, by no one in particular, is description;
        // the writer's own claims, and results counted in the past, stay claims.
        best = StatementKind::None;
        deciding.clear();
    } else if best == StatementKind::None && deciding.is_empty() && input.has_theme {
        // A plain statement of social value with no promise, hedge or refusal in it describes
        // what the supplier does: a track record. Unless it describes the business itself
        // (its market, its services, its reach): a theme's words in "the trust provides
        // community health services across the region" are what the business sells, not
        // social value it claims. Then it stays `none`, and the description's cues say why.
        // A title names a topic and claims nothing: it stays `none` too.
        let row = figure_row(input.text, input.measures);
        if row || input.text.split_whitespace().count() >= MIN_STATEMENT_WORDS {
            if any & bit(Signal::Description) != 0 {
                deciding = cues_with(input, Signal::Description);
            } else if row || !(looks_like_heading(input.text) || looks_like_header_row(input.text))
            {
                best = StatementKind::TrackRecord;
            }
        }
    }
    // A title row ("Social Value Report 2025 | Highways Contract, South Area | Acme Ltd"), the
    // header of a report or a table rendered as one line, names things and states nothing,
    // whatever its words look like ("Report to Cabinet" is not an undertaking).
    if looks_like_title_row(input.text) {
        best = StatementKind::None;
        deciding.clear();
    }
    let mut rules: Vec<RuleId> = deciding
        .into_iter()
        .filter_map(|c| input.cues.get(c).map(|cue| cue.id.clone()))
        .collect();
    rules.sort();
    rules.dedup();
    (best, rules)
}

/// The byte range of sentence `si` of a text `len` bytes long whose later sentences start at
/// `starts` (see [`sentence_starts`]).
fn sentence_span(starts: &[usize], si: usize, len: usize) -> (usize, usize) {
    let begin = si
        .checked_sub(1)
        .and_then(|i| starts.get(i))
        .copied()
        .unwrap_or(0);
    (begin, starts.get(si).copied().unwrap_or(len))
}

/// Whether `between` (the words after a refusal, before a promise) opens a clause that gives
/// the refusal's reason or its condition ("..., as the service will be ...").
fn gives_a_reason(between: &str) -> bool {
    between.split(|c: char| !c.is_alphabetic()).any(|w| {
        ["as", "because", "since", "until", "while", "whilst"]
            .iter()
            .any(|r| w.eq_ignore_ascii_case(r))
    })
}

/// Whether sentence `idx` of `text` (split at `starts`) is a question.
fn asks(text: &str, starts: &[usize], idx: usize) -> bool {
    let (begin, end) = sentence_span(starts, idx, text.len());
    text.get(begin..end)
        .is_some_and(|s| s.trim_end().ends_with('?'))
}

/// The signals that say what a sentence states (a promise, a hedge, a claim, a refusal), as
/// against what kind of text it is.
fn says_something(signal: Signal) -> bool {
    matches!(
        signal,
        Signal::Commit
            | Signal::CommitWeak
            | Signal::Intent
            | Signal::Hedge
            | Signal::Past
            | Signal::Present
            | Signal::Refusal
            | Signal::Deliverable
    )
}

/// The cues of the passage's hits that carry `signal`.
fn cues_with(input: &KindInput, signal: Signal) -> Vec<usize> {
    input
        .hits
        .iter()
        .map(|h| h.matcher)
        .filter(|&c| input.cues.get(c).is_some_and(|cue| cue.signal == signal))
        .collect()
}

/// A table cell that gives a figure or a point in the contract: "4 per year", "12", "Month 3",
/// "Year 2". (A header's "Indicative target (Year 1)" does not.)
fn figure_cell(cell: &str) -> bool {
    let cell = cell.trim();
    let rest = ["month", "year", "quarter", "week", "q"]
        .iter()
        .find_map(|w| {
            cell.get(..w.len())
                .filter(|head| head.eq_ignore_ascii_case(w))
                .and_then(|_| cell.get(w.len()..))
        })
        .map_or(cell, str::trim_start);
    rest.starts_with(|c: char| c.is_ascii_digit())
}

/// A table row (cells separated by `|` or tabs), a bullet, or a line that does not end a
/// sentence: the shapes in which an offer lists deliverables without a verb.
fn is_fragment(text: &str) -> bool {
    let t = text.trim();
    let bullet = t.starts_with([
        '•', '▪', '◦', '·', '●', '○', '■', '-', '–', '*', '>', '✓', '✔',
    ]);
    let row = t.contains('|') || t.contains('\t');
    let unfinished = !t.ends_with(['.', '!', '?', ':', ';']);
    bullet || row || unfinished
}

/// Whether the cue at `start` opens an aside, a clause set off by a comma that describes
/// something ("the centre, which will open next spring, was funded by ..."): its "will"
/// says when, the main clause says what was done or promised.
fn in_aside(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("").trim_end();
    let lower = |n: usize| {
        before
            .get(before.len().saturating_sub(n)..)
            .map(|w| w.to_ascii_lowercase())
    };
    let rest = if lower(5).as_deref() == Some("which") {
        &before[..before.len() - 5]
    } else if lower(3).as_deref() == Some("who") {
        &before[..before.len() - 3]
    } else {
        return false;
    };
    let boundary = !rest.ends_with(|c: char| c.is_alphanumeric());
    boundary && rest.trim_end().ends_with(',')
}

/// Whether the cue at `start` is inside an indirect question after a verb of saying
/// ("bidders should describe what they will deliver", "set out what it will do", "explain how
/// candidates will be referred"): it asks for a promise or reports one asked for, and makes
/// none itself.
fn in_indirect_question(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    // The clause the cue is in: back to the last mark that ends one, and only its last words
    // matter, read backwards without collecting (this runs for every promise cue's hit).
    let clause = before
        .rsplit([',', ';', ':', '.', '(', '"', '“', '\n'])
        .next()
        .unwrap_or(before);
    let mut back = [""; 7];
    let mut n = 0;
    for w in clause.split_whitespace().rev().take(back.len()) {
        back[n] = w;
        n += 1;
    }
    let is = |w: &str, list: &[&str]| list.iter().any(|l| w.eq_ignore_ascii_case(l));
    // The question word, at most four words before the cue ("what the new apprentices will"),
    // and the one or two words before it.
    let Some(q) = (0..n.min(5)).find(|&i| {
        is(
            back[i],
            &["what", "how", "whether", "when", "where", "which", "who"],
        )
    }) else {
        return false;
    };
    let (w1, w0) = (back[q + 1], back[q + 2]);
    if w1.is_empty() {
        return false;
    }
    let saying = [
        "describe",
        "describes",
        "explain",
        "explains",
        "state",
        "states",
        "show",
        "shows",
        "outline",
        "outlines",
        "detail",
        "details",
        "demonstrate",
        "demonstrates",
        "confirm",
        "confirms",
        "specify",
        "specifies",
        "indicate",
        "indicates",
        "identify",
        "identifies",
    ];
    is(w1, &saying)
        || is(w1, &["out"]) && is(w0, &["set", "sets", "setting"])
        || is(w1, &["us"]) && is(w0, &["tell", "tells", "show", "shows"])
}

/// Whether the writer speaks of itself: "we", "our", "us", "I".
fn speaks_for_itself(text: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .any(|w| {
            let w = w.to_ascii_lowercase();
            let w = w.split(['\'', '’']).next().unwrap_or("");
            matches!(w, "we" | "our" | "ours" | "us" | "i" | "my")
        })
}

/// A title rather than a statement: a short line that does not end as a sentence does and whose
/// longer words mostly start with a capital ("Employment and Skills Plan – A49 Widening",
/// "Estates Green Plan 2025–2030"). Its theme words name a topic; nothing is claimed. Table rows
/// are not titles. Measured on every labelled set (2026-12-06): every passage this picks out is
/// labelled `none`.
fn looks_like_heading(text: &str) -> bool {
    let mut t = text.trim();
    // A reference or a weighting in brackets after the title ("... Fair Work (Weighting:
    // 10%)", "... Services (Ref: EST/0419)") is part of the heading.
    if let Some(open) = closing_bracket(t) {
        t = t[..open].trim_end();
    }
    if t.contains('|') || t.ends_with(['.', '!', '?', ';', ')', '"', '”', ':']) {
        return false;
    }
    let (mut words, mut long, mut capital) = (0usize, 0usize, 0usize);
    for w in t
        .split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| w.starts_with(char::is_alphabetic))
    {
        words += 1;
        if w.chars().count() >= 4 {
            long += 1;
            capital += usize::from(w.starts_with(char::is_uppercase));
        }
    }
    // A heading numbered as a question or a part of a response ("Q5.3 Local sourcing and food
    // waste", "Method Statement 4: Fair work and wellbeing") is often in sentence case, and so
    // is a title's subtitle ("Community Grants – applications now open").
    (2..=14).contains(&words)
        && (long >= 2 && (capital * 5 >= long * 3 || numbered_part(t) || subtitled(t))
            || our_title(t))
}

/// Whether `t` is a title followed by a subtitle in sentence case: "Second Life Laptops – our
/// refurbishment scheme", "Selling to the Council: questions from small businesses". The
/// part before the dash or colon has two or more longer words, all capitalised; the part after
/// it opens in lower case.
fn subtitled(t: &str) -> bool {
    let Some(at) = [" – ", " — ", " - ", ": "]
        .iter()
        .filter_map(|sep| t.find(sep).map(|i| (i, sep.len())))
        .min()
    else {
        return false;
    };
    let (head, tail) = (&t[..at.0], &t[at.0 + at.1..]);
    let mut long = head
        .split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| w.chars().count() >= 4)
        .peekable();
    let capitalised = long.peek().is_some()
        && long.clone().count() >= 2
        && long.all(|w| w.starts_with(char::is_uppercase));
    // A subtitle that says what the page is ("Speaking up: a summary of our policy") needs only
    // one capitalised word before it.
    let says_what = [
        "a summary of",
        "an overview of",
        "a guide to",
        "an introduction to",
        "frequently asked",
    ]
    .iter()
    .any(|p| {
        tail.get(..p.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(p))
    });
    let head_capitalised = head
        .split_whitespace()
        .next()
        .is_some_and(|w| w.starts_with(char::is_uppercase));
    (capitalised || says_what && head_capitalised) && tail.starts_with(|c: char| c.is_lowercase())
}

/// Whether `t` is a title that names the writer's own thing and what it is for: "Our pledge to
/// young people leaving care", "Our impact in 2024/25", "Our charter for neighbours of the
/// scheme". No verb of its own and no sentence end.
fn our_title(t: &str) -> bool {
    let mut words = t.split_whitespace();
    let (Some(first), Some(second)) = (words.next(), words.next()) else {
        return false;
    };
    let nouns = [
        "impact",
        "pledge",
        "pledges",
        "charter",
        "commitment",
        "commitments",
        "promise",
        "promises",
        "offer",
        "approach",
        "plan",
        "story",
        "values",
        "mission",
        "vision",
        "response",
        "strategy",
        "policy",
        "priorities",
        "achievements",
        "highlights",
        "progress",
    ];
    let verbs = [
        "is", "are", "was", "were", "will", "has", "have", "had", "can", "includes", "include",
        "means", "sets", "shows", "covers",
    ];
    first == "Our"
        && nouns.iter().any(|n| second.eq_ignore_ascii_case(n))
        && !t.ends_with(['.', '!', '?', ';', ':'])
        && !t.contains('|')
        && !words.any(|w| verbs.iter().any(|v| w.eq_ignore_ascii_case(v)))
}

/// A table's header row or a row of links: three or more cells of one to four words, each
/// opening with a capital, no figure ("Theme | Measure | Target | By when", "Refer someone |
/// Volunteer with us | Donate"). It names columns or places to go and states nothing; a row
/// of a commitments table has figures or a verb cue of its own.
fn looks_like_header_row(text: &str) -> bool {
    let t = text.trim();
    if !t.contains('|') || t.contains(['%', '£', '$']) {
        return false;
    }
    let mut cells = 0usize;
    for cell in t.split('|').map(str::trim).filter(|c| !c.is_empty()) {
        let words: Vec<&str> = cell
            .split_whitespace()
            .map(|w| w.trim_matches(['(', ')']))
            .collect();
        if words.len() > 4 || !cell.starts_with(char::is_uppercase) || cell.ends_with(['.', ';']) {
            return false;
        }
        // A column's name may qualify itself by a period ("Q3 actual", "Target (Yr 1)"); a cell
        // that is only a period ("Year 1") is a row's value, and no other figure is allowed.
        let period = |i: usize| {
            let w = words[i];
            let quarter = w.len() == 2
                && w.starts_with(['Q', 'q'])
                && w.ends_with(|c: char| ('1'..='4').contains(&c));
            let after_year = i > 0
                && ["yr", "year"]
                    .iter()
                    .any(|y| words[i - 1].eq_ignore_ascii_case(y))
                && w.len() <= 2
                && w.bytes().all(|b| b.is_ascii_digit());
            quarter || after_year
        };
        let only_period = |i: usize| period(i) && usize::from(i > 0) + 1 == words.len();
        if (0..words.len()).any(|i| {
            words[i].contains(|c: char| c.is_ascii_digit()) && (!period(i) || only_period(i))
        }) {
            return false;
        }
        cells += 1;
    }
    cells >= 3
}

/// Whether `t` opens with the number of a question or of a part of a response: "Q5.3", "Q7:",
/// "Question 4.2", "Section 3 –", "Method Statement 4:", "MS-07", "Criterion 2".
fn numbered_part(t: &str) -> bool {
    let mut words = t.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let numbered = |w: &str| {
        let w = w.trim_end_matches([':', '.', '–', '-', ')']);
        !w.is_empty()
            && w.len() <= 6
            && w.starts_with(|c: char| c.is_ascii_digit())
            && w.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    let q = first
        .strip_prefix(['Q', 'q'])
        .or_else(|| first.strip_prefix("MS-"))
        .or_else(|| first.strip_prefix("MS"));
    // "Q1" to "Q4" alone may be a quarter: a question number has a part, a colon or is higher.
    let question = |n: &str| {
        numbered(n)
            && (n.contains('.') || n.ends_with(':') || n.parse::<u32>().is_ok_and(|v| v > 4))
    };
    if q.is_some_and(question) {
        return true;
    }
    let lower = first.to_ascii_lowercase();
    let next = match lower.as_str() {
        "question" | "section" | "criterion" | "part" | "lot" => words.next(),
        "method" => words
            .next()
            .filter(|w| w.eq_ignore_ascii_case("statement"))
            .and_then(|_| words.next()),
        _ => None,
    };
    next.is_some_and(numbered)
}

/// A row of two or more cells (split at `|`) whose words are a title's: nearly every longer
/// word capitalised, no figure but years and small numbers ("Year 2", "9 September 2025"),
/// no sentence end. A commitments table's row has figures ("Apprentices | 12 | By 2027")
/// and is left alone. Measured on every labelled set (2026-12-06): every passage this picks
/// out is labelled `none`.
fn looks_like_title_row(text: &str) -> bool {
    let t = text.trim();
    // Cells are split at `|`, or at spaced dashes where there are two or more of them ("Acme
    // Ltd — Social Value Plan — Soft FM Services").
    let dashed = t.matches(" — ").count() + t.matches(" – ").count() >= 2;
    if !(t.contains('|') || dashed)
        || t.ends_with(['.', '!', '?', ';'])
        || t.contains(['%', '£', '$'])
    {
        return false;
    }
    let small_or_year = |n: &str| {
        n.parse::<u32>()
            .is_ok_and(|v| v <= 31 || (1900..=2099).contains(&v))
    };
    if !t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .all(small_or_year)
    {
        return false;
    }
    let (mut long, mut capital) = (0usize, 0usize);
    let cells = t.split(|c: char| c == '|' || dashed && (c == '—' || c == '–'));
    for cell in cells {
        let mut cell_long = 0;
        // Connecting words are lower case in a title too ("Year ending 31 March 2025").
        for w in cell
            .split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’' || c == '-'))
            .filter(|w| w.chars().count() >= 4)
            .filter(|w| {
                !matches!(
                    *w,
                    "ending" | "with" | "from" | "into" | "during" | "between"
                )
            })
        {
            cell_long += 1;
            capital += usize::from(w.starts_with(char::is_uppercase));
        }
        if cell_long == 0 {
            return false;
        }
        long += cell_long;
    }
    long >= 4 && capital * 10 >= long * 9
}

/// A short row of a results table: a label, then `|` or `:`, then a figure ("Volunteering
/// hours | 415", "Mental Health First Aiders trained: 12"). Too short to be a statement, but
/// the codebook reads a results row as a track record, and with a theme it is one.
fn figure_row(text: &str, measures: &[Measure]) -> bool {
    // A bracket that closes the line is a note on it ("... (Weighting: 10%)"), not its figure.
    let end = closing_bracket(text).unwrap_or(text.len());
    let Some(sep) = text.get(..end).and_then(|t| t.find(['|', ':'])) else {
        return false;
    };
    sep > 0
        && measures
            .iter()
            .any(|m| m.kind.is_quantity() && m.start > sep && m.start < end)
}

/// Where the bracket that closes `text` opens ("... Services (Ref: EST/0419)"), if one does.
fn closing_bracket(text: &str) -> Option<usize> {
    text.trim_end().strip_suffix(')')?.rfind('(')
}

/// Fewer words than this and a passage with no cue is a heading or a label, not a statement
/// (unless it is a [`figure_row`]).
const MIN_STATEMENT_WORDS: usize = 6;

fn rank(k: StatementKind) -> u8 {
    match k {
        StatementKind::Commitment => 3,
        StatementKind::Aspiration => 2,
        StatementKind::TrackRecord => 1,
        StatementKind::None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_told_from_statements() {
        for t in [
            "Employment and Skills Plan – A49 Widening, Nantwich",
            "Estates Green Plan 2025–2030",
            "Our Social Value Pledge",
            "Answer to Question 3.1 – Local Jobs and Fair Pay (Weighting: 10%)",
            "Award Notice – Grounds Maintenance Services (Ref: GM/0042)",
            "Q4.1 Local suppliers, fair pay and training",
            "Method Statement 3: Noise, dust and working hours",
            "Question 6 – How you will involve residents",
            "Community Grants – applications now open",
            "Spare Laptop Scheme: our refurbishment and donation offer",
            "Speaking up: a summary of our ethics policy",
            "Our pledge to young people leaving care in the borough",
            "Our impact in 2024/25",
        ] {
            assert!(looks_like_heading(t), "{t}");
        }
        for t in [
            "Purchasing only electric company vans from 1st May 2026",
            "Local people employed | 27 | Target 30",
            "We Pay The Real Living Wage.",
            "Apprentices",
            "We will recruit ten apprentices (subject to demand)",
            "Q4 we will recruit two apprentices and one graduate",
            "Quarterly reports on local spend and jobs",
            "Staff wellbeing: free flu jabs and a helpline for everyone",
            "Community Grants – Applications Now Open.",
            "Grants – we gave out six this spring",
            "Our impact was greater than ever this year",
            "Our pledge: 20 apprentices by 2028.",
            "speaking up: a summary of our policy",
        ] {
            assert!(!looks_like_heading(t), "{t}");
        }
    }

    #[test]
    fn header_rows_are_short_capitalised_cells() {
        for t in [
            "Theme | Measure | Target | By when",
            "Refer a friend | Volunteer with us | Donate",
            "Introduction | Our people | Working together | Appendix",
            "KPI | Measure | Target | Q3 actual | RAG",
            "Ref | Commitment | Target (Yr 1) | Target (contract term)",
        ] {
            assert!(looks_like_header_row(t), "{t}");
        }
        for t in [
            "Advertise vacancies | Contract Manager | Year 1",
            "Apprentices | Twelve",
            "Local spend | with firms in the borough | Quarterly",
            "Theme | Measure | Target | We report these to the council every quarter",
            "Apprentices | Q3 | 12",
            "Local spend | Year 2024 | Target",
        ] {
            assert!(!looks_like_header_row(t), "{t}");
        }
    }

    #[test]
    fn title_rows_are_told_from_table_rows() {
        for t in [
            "Annual Social Value Report – Year 2 (April 2025 to March 2026) | Grounds Maintenance Contract | Acme Ltd",
            "Report to Cabinet, 4 March 2026 | Award of the Fleet Contract",
            "Related Documents | Carbon Reduction Plan | Modern Slavery Statement",
            "Acme Cleaning Ltd — Social Value Plan (Annex B) — Borough Council Cleaning Services",
            "Social Value Report | Year ending 31 March 2025",
        ] {
            assert!(looks_like_title_row(t), "{t}");
        }
        for t in [
            "Local Apprentices | 12 | By March 2027",
            "Local Spend | Target 35% | Actual 41%",
            "Apprentices | Quarterly",
            "Social value is reported quarterly | see the contract schedule",
            "Estates Green Plan 2025–2030",
            "Annual Report | Section Two.",
        ] {
            assert!(!looks_like_title_row(t), "{t}");
        }
    }

    #[test]
    fn fragments_are_rows_bullets_and_unfinished_lines() {
        assert!(is_fragment("Local spend | 35% | Year 1–3"));
        assert!(is_fragment("• 4 x work placements per year"));
        assert!(is_fragment("Target: 10 apprentices by 2028"));
        assert!(!is_fragment("40 pupils attend our careers day each year."));
        assert!(!is_fragment("  We will host two visits.  "));
    }

    #[test]
    fn asides_are_clauses_after_a_comma() {
        let t = "The hall, which will open in May, was paid for by the fund.";
        assert!(in_aside(t, t.find("will").unwrap()));
        let t = "Six trainees, who will finish in 2027, joined us.";
        assert!(in_aside(t, t.find("will").unwrap()));
        let t = "We will fund a hall which will open in May.";
        assert!(!in_aside(t, t.find("will").unwrap()));
        assert!(!in_aside(t, t.rfind("will").unwrap()));
        let t = "Our partners, sandwich will do.";
        assert!(!in_aside(t, t.find("will").unwrap()));
        assert!(!in_aside("will", 0));
    }

    #[test]
    fn indirect_questions_ask_for_promises() {
        let at = |t: &str, w: &str| in_indirect_question(t, t.find(w).unwrap());
        assert!(at(
            "Bidders should describe what they will deliver.",
            "will"
        ));
        assert!(at(
            "Please set out what the firm will do for residents.",
            "will"
        ));
        assert!(at(
            "Explain how candidates will be referred to you.",
            "will"
        ));
        assert!(at("Tell us how we will know it worked.", "we"));
        assert!(!at("We will set out what we deliver each year.", "will"));
        assert!(!at("This is what we will do: hire locally.", "we"));
        assert!(!at("Here is how we will recruit locally.", "we"));
        assert!(!at("We explained the plan. We will hire ten.", "We will"));
        assert!(!at("will", "will"));
        assert!(!at("Words such as “trust” will", "will"));
        assert!(at("Describe “the plan”: explain what it will", "will"));
    }

    #[test]
    fn sentences_split_but_not_at_abbreviations() {
        let t = "We will, e.g. in Crewe, hire. Last year we did; and more\nnext";
        let starts = sentence_starts(t);
        let pieces: Vec<&str> = std::iter::once(0)
            .chain(starts.iter().copied())
            .zip(starts.iter().copied().chain(std::iter::once(t.len())))
            .map(|(a, b)| t[a..b].trim())
            .collect();
        assert_eq!(
            pieces,
            vec![
                "We will, e.g. in Crewe, hire.",
                "Last year we did;",
                "and more",
                "next"
            ]
        );
    }
}
