//! Trains the principle model (`rules/principle-model.toml`, see
//! `tenderscope::classify::principlemodel`) and measures it on sources it was not trained on.
//!
//! Training data: the real published passages of `../shared/realworld/dev.jsonl` (a passage
//! evidences every principle in its `ok` list) and the project's own labelled set
//! `fixtures/labelled/passages.jsonl` (the independent `fixtures/labelled/holdout.jsonl` is never
//! trained on). One logistic regression per principle over the passage's words and word pairs,
//! each principle's positives and negatives weighed equally, with an L2 penalty; a feature is
//! kept only when it occurs in passages from at least `--min-sources` different sources, so
//! that no page's own wording is learnt.
//!
//! ```text
//! cargo run --release --example train_principles -- [--split] [--loso] [--choose]
//!     [--write rules/principle-model.toml] [--c F] [--threshold P] [--add-threshold P]
//!     [--epochs N] [--prune W] [--own-weight W] [--ok-weight W] [--balance B] [--stem]
//!     [--floor P] [--min-sources N] [--rules rules] [--set ../shared/realworld/dev.jsonl]
//!     [--extra FILE]...
//! ```
//! `--extra FILE` (repeatable) adds a labelled set in the real-world format (such as
//! `fixtures/labelled/codebook-pages-3.jsonl`) to the training data; it is never scored.
//! `--split` trains on the tuning part of the real-world split (`classify::eval::Split`) and
//! scores the held-out part, comparable with `examples/realworld.rs`; `--loso` trains once per
//! real-world source without it and scores that source. Both print the theme rules alone
//! beside the rules with the model. `--write` trains on everything and writes the model file.
//! `--choose` picks the two thresholds without looking at the held-out part: leave one source
//! out over the tuning part's sources only (trained on the other tuning sources and the own
//! set), scored over a grid of thresholds; the pair with the best principle F1 (recall and
//! precision weighed alike) is then used, as if given with `--threshold` and `--add-threshold`,
//! by `--split`, `--loso` and `--write`. The tuning part leaves the model almost nothing to
//! fill (the theme rules were written from it: they tie all but a handful of its statements to
//! some principle), so `--choose` also prints the model alone, leave-one-source-out over the
//! same sources: its most likely principle for every passage, per threshold. With
//! `--floor P` the threshold is the lowest at which those guesses are at least P precise
//! (`ok`), and the add threshold the one with the best F1 beside it.
//!
//! Other training options (their defaults are the shipped model's): `--ok-weight W`, how much
//! a principle in a passage's `ok` list but not its `primary` one counts as a positive (0: left
//! out of that principle's loss); `--balance B`, how far each principle's positives and
//! negatives are weighed to balance (1: fully, 0: as they come); `--stem`, the forms of a word
//! ("resident", "residents") share one weight and count their sources together, written as
//! one row per form the training texts have, so the file and `principlemodel` are unchanged.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use serde::Deserialize;
use tenderscope::classify::eval::{self, Part, Scores, Split};
use tenderscope::classify::model::StatementKind;
use tenderscope::classify::principlemodel::{self, PrincipleModel};
use tenderscope::classify::RuleSet;

const FRAMEWORK: &str = "cheshire-east";

struct Sample {
    source: String,
    /// Indices of the principles it evidences (`ok` for a real-world passage).
    labels: Vec<usize>,
    /// Indices of the principles a correct answer must include one of (`primary` for a
    /// real-world passage, the same as `labels` for the own set).
    primary: Vec<usize>,
    features: Vec<String>,
    item: Option<eval::Item>,
}

#[derive(Deserialize)]
struct Own {
    text: String,
    #[serde(default)]
    principles: Vec<String>,
}

struct Options {
    c: f64,
    epochs: usize,
    min_sources: usize,
    threshold: f32,
    add_threshold: Option<f32>,
    /// Weights smaller than this (in absolute value) are left out of the model.
    prune: f64,
    /// How many times a passage of the project's own set counts.
    own_weight: f64,
    /// How much a real-world passage counts as a positive for a principle in its `ok` list but
    /// not its `primary` one (1: as much as a primary principle; 0: it is left out of that
    /// principle's loss, neither positive nor negative).
    ok_weight: f64,
    /// How far each principle's positives and negatives are weighed towards balance
    /// (1: as many positives as negatives in effect; 0: as they come).
    balance: f64,
    /// Whether the forms of a word share their weights (see `Stems`).
    stem: bool,
    /// With `--choose`: the precision the model's own guesses must reach (see
    /// `choose_thresholds`); without it, the thresholds with the best principle F1.
    floor: Option<f64>,
}

impl Sample {
    /// Whether the sample is a positive for principle `p`, and its weight in `p`'s loss.
    fn target(&self, p: usize, opt: &Options) -> (bool, f64) {
        if self.primary.contains(&p) {
            (true, 1.0)
        } else if self.labels.contains(&p) {
            (true, opt.ok_weight)
        } else {
            (false, 1.0)
        }
    }
}

fn train(
    samples: &[&Sample],
    principles: &[String],
    opt: &Options,
) -> (Vec<f32>, Vec<String>, Vec<Vec<f32>>) {
    // Each feature's key: itself, or with `--stem` its words' stems, so that the forms of a
    // word share one weight (and count their sources together).
    let mut stems = Stems::default();
    let mut key_of: HashMap<&str, String> = HashMap::new();
    for s in samples {
        for f in &s.features {
            if !key_of.contains_key(f.as_str()) {
                let key = if opt.stem { stems.key(f) } else { f.clone() };
                key_of.insert(f.as_str(), key);
            }
        }
    }
    let mut sources_of: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for s in samples {
        for f in &s.features {
            sources_of
                .entry(key_of[f.as_str()].as_str())
                .or_default()
                .insert(s.source.as_str());
        }
    }
    let mut names: Vec<&str> = sources_of
        .iter()
        .filter(|(_, srcs)| srcs.len() >= opt.min_sources)
        .map(|(f, _)| *f)
        .collect();
    names.sort();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    // A text with two forms of a word has the shared weight twice, as the model file (one
    // row per form) will give it.
    let rows: Vec<Vec<usize>> = samples
        .iter()
        .map(|s| {
            s.features
                .iter()
                .filter_map(|f| index.get(key_of[f.as_str()].as_str()).copied())
                .collect()
        })
        .collect();
    let (n, k) = (names.len(), principles.len());
    let m = samples.len().max(1) as f64;
    let l2 = 1.0 / (opt.c * m);
    let mut w = vec![vec![0f64; k]; n];
    let mut b = vec![0f64; k];
    // Each principle's classes weighed equally (as many positives as negatives in effect).
    let weights: Vec<(f64, f64)> = (0..k)
        .map(|p| {
            let (mut pos, mut neg) = (0.0, 0.0);
            for s in samples {
                match s.target(p, opt) {
                    (true, w) => pos += w,
                    (false, w) => neg += w,
                }
            }
            let all = pos + neg;
            (
                (all / (2.0 * pos.max(1.0))).powf(opt.balance),
                (all / (2.0 * neg.max(1.0))).powf(opt.balance),
            )
        })
        .collect();
    let (mut mw, mut vw) = (vec![vec![0f64; k]; n], vec![vec![0f64; k]; n]);
    let (mut mb, mut vb) = (vec![0f64; k], vec![0f64; k]);
    let (lr, b1, b2, eps) = (0.05, 0.9, 0.999, 1e-8);
    for epoch in 1..=opt.epochs {
        let mut gw = vec![vec![0f64; k]; n];
        let mut gb = vec![0f64; k];
        for (s, feats) in samples.iter().zip(&rows) {
            for p in 0..k {
                let mut z = b[p];
                for &f in feats {
                    z += w[f][p];
                }
                let (y, sw) = s.target(p, opt);
                if sw == 0.0 {
                    continue;
                }
                let (wp, wn) = weights[p];
                let own = if s.item.is_none() {
                    opt.own_weight
                } else {
                    1.0
                };
                let g = (1.0 / (1.0 + (-z).exp()) - if y { 1.0 } else { 0.0 })
                    * if y { wp } else { wn }
                    * sw
                    * own
                    / m;
                gb[p] += g;
                for &f in feats {
                    gw[f][p] += g;
                }
            }
        }
        let t = epoch as i32;
        let step = |x: &mut f64, g: f64, mo: &mut f64, ve: &mut f64| {
            *mo = b1 * *mo + (1.0 - b1) * g;
            *ve = b2 * *ve + (1.0 - b2) * g * g;
            let mhat = *mo / (1.0 - b1.powi(t));
            let vhat = *ve / (1.0 - b2.powi(t));
            *x -= lr * mhat / (vhat.sqrt() + eps);
        };
        for i in 0..n {
            for p in 0..k {
                let g = gw[i][p] + l2 * w[i][p];
                step(&mut w[i][p], g, &mut mw[i][p], &mut vw[i][p]);
            }
        }
        for p in 0..k {
            step(&mut b[p], gb[p], &mut mb[p], &mut vb[p]);
        }
    }
    // Weights near zero say nothing: leave them out of the file.
    let mut kept_names = Vec::new();
    let mut kept_rows = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let row: Vec<f32> = w[i]
            .iter()
            .map(|v| if v.abs() >= opt.prune { *v as f32 } else { 0.0 })
            .collect();
        if row.iter().any(|v| *v != 0.0) {
            if opt.stem {
                // One row per form the training texts have of each word.
                for form in stems.forms(name) {
                    kept_names.push(form);
                    kept_rows.push(row.clone());
                }
            } else {
                kept_names.push(name.to_string());
                kept_rows.push(row);
            }
        }
    }
    (b.iter().map(|v| *v as f32).collect(), kept_names, kept_rows)
}

/// Light suffix stripping (`--stem`): "residents", "resident"; "reduce", "reduces", "reduced",
/// "reducing"; "committed", "commit". Function words stay themselves.
#[derive(Default)]
struct Stems {
    /// Each word's stem key.
    stem: HashMap<String, String>,
    /// Each stem key's forms seen.
    forms: HashMap<String, BTreeSet<String>>,
}

impl Stems {
    fn word(&mut self, w: &str) -> String {
        if let Some(k) = self.stem.get(w) {
            return k.clone();
        }
        // A function word has no feature of its own.
        let k = if principlemodel::features(w).is_empty() || w.starts_with('<') {
            format!("#{w}")
        } else {
            stem(w)
        };
        self.stem.insert(w.to_string(), k.clone());
        self.forms
            .entry(k.clone())
            .or_default()
            .insert(w.to_string());
        k
    }

    fn key(&mut self, feature: &str) -> String {
        if let Some(w) = feature.strip_prefix("w=") {
            format!("w={}", self.word(w))
        } else if let Some((a, b)) = feature.strip_prefix("b=").and_then(|p| p.split_once(' ')) {
            format!("b={} {}", self.word(a), self.word(b))
        } else {
            feature.to_string()
        }
    }

    /// The surface features a key stands for.
    fn forms(&self, key: &str) -> Vec<String> {
        let of = |k: &str| -> Vec<String> {
            self.forms
                .get(k)
                .map(|f| f.iter().cloned().collect())
                .unwrap_or_default()
        };
        if let Some(k) = key.strip_prefix("w=") {
            of(k).into_iter().map(|w| format!("w={w}")).collect()
        } else if let Some((a, b)) = key.strip_prefix("b=").and_then(|p| p.split_once(' ')) {
            let mut out = Vec::new();
            for x in of(a) {
                for y in of(b) {
                    out.push(format!("b={x} {y}"));
                }
            }
            out
        } else {
            vec![key.to_string()]
        }
    }
}

fn stem(w: &str) -> String {
    let mut s = w.to_string();
    let strip = |s: &mut String, suffix: &str, to: &str, min: usize| -> bool {
        if s.len() >= min + suffix.len() && s.ends_with(suffix) {
            s.truncate(s.len() - suffix.len());
            s.push_str(to);
            true
        } else {
            false
        }
    };
    if !strip(&mut s, "ies", "y", 3)
        && !strip(&mut s, "sses", "ss", 2)
        && s.ends_with('s')
        && !s.ends_with("ss")
        && !s.ends_with("us")
        && !s.ends_with("is")
    {
        strip(&mut s, "s", "", 3);
    }
    if strip(&mut s, "ing", "", 3) || strip(&mut s, "ed", "", 3) {
        // "committ" to "commit", "planned" to "plan".
        let b = s.as_bytes();
        let n = b.len();
        if n >= 2 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z' | b'f') {
            s.pop();
        }
    }
    if s.len() > 3 && s.ends_with('e') && !s.ends_with("ee") {
        s.pop();
    }
    s
}

fn model(samples: &[&Sample], principles: &[String], opt: &Options) -> PrincipleModel {
    let (bias, names, rows) = train(samples, principles, opt);
    let mut m = PrincipleModel::new(
        FRAMEWORK,
        principles.to_vec(),
        opt.threshold,
        bias,
        names,
        rows,
    );
    m.add_threshold = opt.add_threshold;
    m
}

fn score(rules: &mut RuleSet, model: Option<PrincipleModel>, which: &[&Sample], into: &mut Scores) {
    rules.principle_model = model;
    let classifier = rules
        .classifier(Some(FRAMEWORK))
        .unwrap_or_else(|e| die(&e));
    for s in which {
        if let Some(item) = &s.item {
            into.add(item, &classifier.classify(&item.text));
        }
    }
}

fn main() {
    let mut set = PathBuf::from("../shared/realworld/dev.jsonl");
    let mut own = PathBuf::from("fixtures/labelled/passages.jsonl");
    let mut extra: Vec<PathBuf> = Vec::new();
    let mut rules_dir = PathBuf::from("rules");
    let mut write: Option<PathBuf> = None;
    let (mut loso, mut split, mut choose) = (false, false, false);
    let mut opt = Options {
        c: 1.0,
        epochs: 300,
        min_sources: 2,
        threshold: 0.7,
        add_threshold: Some(0.9),
        prune: 0.05,
        own_weight: 1.0,
        ok_weight: 1.0,
        balance: 1.0,
        stem: false,
        floor: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| die(&format!("{name} needs a value")))
        };
        fn num<T: std::str::FromStr>(name: &str, v: String) -> T
        where
            T::Err: std::fmt::Display,
        {
            v.parse().unwrap_or_else(|e| die(&format!("{name}: {e}")))
        }
        match a.as_str() {
            "--set" => set = value("--set").into(),
            "--own" => own = value("--own").into(),
            "--extra" => extra.push(value("--extra").into()),
            "--rules" => rules_dir = value("--rules").into(),
            "--write" => write = Some(value("--write").into()),
            "--loso" => loso = true,
            "--split" => split = true,
            "--choose" => choose = true,
            "--c" => opt.c = num("--c", value("--c")),
            "--threshold" => opt.threshold = num("--threshold", value("--threshold")),
            "--prune" => opt.prune = num("--prune", value("--prune")),
            "--own-weight" => opt.own_weight = num("--own-weight", value("--own-weight")),
            "--ok-weight" => opt.ok_weight = num("--ok-weight", value("--ok-weight")),
            "--balance" => opt.balance = num("--balance", value("--balance")),
            "--stem" => opt.stem = true,
            "--floor" => opt.floor = Some(num("--floor", value("--floor"))),
            "--add-threshold" => {
                let v: f32 = num("--add-threshold", value("--add-threshold"));
                opt.add_threshold = (v <= 1.0).then_some(v);
            }
            "--epochs" => opt.epochs = num("--epochs", value("--epochs")),
            "--min-sources" => opt.min_sources = num("--min-sources", value("--min-sources")),
            other => die(&format!("unknown argument `{other}`")),
        }
    }

    let mut rules = RuleSet::from_dir(&rules_dir)
        .unwrap_or_else(|e| die(&format!("{}: {e}", rules_dir.display())));
    let principles: Vec<String> = rules
        .frameworks
        .iter()
        .find(|f| f.id.as_str() == FRAMEWORK)
        .unwrap_or_else(|| die(&format!("no framework {FRAMEWORK}")))
        .principles
        .iter()
        .map(|p| p.id.as_str().to_string())
        .collect();
    let labels = |ids: &[String]| -> Vec<usize> {
        ids.iter()
            .filter_map(|id| principles.iter().position(|p| p == id))
            .collect()
    };
    let text =
        std::fs::read_to_string(&set).unwrap_or_else(|e| die(&format!("{}: {e}", set.display())));
    let items = eval::read(&text).unwrap_or_else(|e| die(&format!("{}: {e}", set.display())));
    let mut samples: Vec<Sample> = items
        .into_iter()
        .map(|item| Sample {
            source: item.source.clone(),
            labels: labels(&item.ok),
            primary: labels(&item.primary),
            features: principlemodel::features(&item.text),
            item: Some(item),
        })
        .collect();
    let text =
        std::fs::read_to_string(&own).unwrap_or_else(|e| die(&format!("{}: {e}", own.display())));
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let o: Own = serde_json::from_str(line)
            .unwrap_or_else(|e| die(&format!("{}:{}: {e}", own.display(), i + 1)));
        samples.push(Sample {
            source: own.display().to_string(),
            labels: labels(&o.principles),
            primary: labels(&o.principles),
            features: principlemodel::features(&o.text),
            item: None,
        });
    }
    // Extra labelled sets in the real-world format are trained on, never scored; each of their
    // sources stays its own (prefixed by the file), so `--min-sources` counts them apart.
    for path in &extra {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| die(&format!("{}: {e}", path.display())));
        let items = eval::read(&text).unwrap_or_else(|e| die(&format!("{}: {e}", path.display())));
        for item in items {
            samples.push(Sample {
                source: format!("{}#{}", path.display(), item.source),
                labels: labels(&item.ok),
                primary: labels(&item.primary),
                features: principlemodel::features(&item.text),
                item: None,
            });
        }
    }
    let realworld: Vec<&Sample> = samples.iter().filter(|s| s.item.is_some()).collect();
    println!(
        "{} samples ({} real-world from {} sources, {} own); C {} epochs {} min-sources {} threshold {} add {:?}",
        samples.len(),
        realworld.len(),
        realworld
            .iter()
            .map(|s| &s.source)
            .collect::<BTreeSet<_>>()
            .len(),
        samples.len() - realworld.len(),
        opt.c,
        opt.epochs,
        opt.min_sources,
        opt.threshold,
        opt.add_threshold
    );

    if choose {
        let (t, a) = choose_thresholds(&mut rules, &samples, &principles, &opt);
        opt.threshold = t;
        opt.add_threshold = a;
    }
    if split {
        let train_on: Vec<&Sample> = samples
            .iter()
            .filter(|s| s.item.is_none() || Split::part(&s.source) == Part::Tune)
            .collect();
        let m = model(&train_on, &principles, &opt);
        for part in [Part::Tune, Part::HeldOut] {
            let which: Vec<&Sample> = realworld
                .iter()
                .copied()
                .filter(|s| Split::part(&s.source) == part)
                .collect();
            let (mut alone, mut with) = (Scores::default(), Scores::default());
            score(&mut rules, None, &which, &mut alone);
            score(&mut rules, Some(m.clone()), &which, &mut with);
            println!("{part:?} rules alone:      {}", alone.line());
            println!("{part:?} rules and model:  {}", with.line());
        }
    }
    if loso {
        let sources: BTreeSet<&str> = realworld.iter().map(|s| s.source.as_str()).collect();
        let (mut alone, mut with): (BTreeMap<Part, Scores>, BTreeMap<Part, Scores>) =
            Default::default();
        for src in &sources {
            let train_on: Vec<&Sample> = samples.iter().filter(|s| s.source != *src).collect();
            let which: Vec<&Sample> = realworld
                .iter()
                .copied()
                .filter(|s| s.source == *src)
                .collect();
            let part = Split::part(src);
            let m = model(&train_on, &principles, &opt);
            score(&mut rules, None, &which, alone.entry(part).or_default());
            score(&mut rules, Some(m), &which, with.entry(part).or_default());
        }
        let (mut all_alone, mut all_with) = (Scores::default(), Scores::default());
        for part in [Part::Tune, Part::HeldOut] {
            if let (Some(a), Some(w)) = (alone.get(&part), with.get(&part)) {
                println!(
                    "leave-one-source-out {part:?} rules alone:     {}",
                    a.line()
                );
                println!(
                    "leave-one-source-out {part:?} rules and model: {}",
                    w.line()
                );
                all_alone.merge(a);
                all_with.merge(w);
            }
        }
        println!(
            "leave-one-source-out all rules alone:     {}",
            all_alone.line()
        );
        println!(
            "leave-one-source-out all rules and model: {}",
            all_with.line()
        );
    }
    if let Some(path) = write {
        let all: Vec<&Sample> = samples.iter().collect();
        let m = model(&all, &principles, &opt);
        let header = format!(
            "The principle model: which principle a statement evidences when the theme rules find\n\
             none (see src/classify/principlemodel.rs). Written by\n\
             `cargo run --release --example train_principles -- --write {}`\n\
             from {} labelled passages ({} real-world sources and the project's own set);\n\
             C {}, {} epochs, features seen in at least {} sources. Retrain rather than edit;\n\
             delete the file to let the theme rules decide alone.",
            path.display(),
            samples.len(),
            realworld
                .iter()
                .map(|s| &s.source)
                .collect::<BTreeSet<_>>()
                .len(),
            opt.c,
            opt.epochs,
            opt.min_sources,
        );
        let trained = format!(
            "{} samples, C {}, min-sources {}",
            samples.len(),
            opt.c,
            opt.min_sources
        );
        std::fs::write(&path, m.to_toml(&header, &trained))
            .unwrap_or_else(|e| die(&format!("{}: {e}", path.display())));
        println!("wrote {} ({} features)", path.display(), m.len());
    }
}

/// The thresholds a leave-one-source-out run over the tuning part's sources scores best
/// (principle F1), printed with the grid. Held-out sources are neither trained on nor scored.
fn choose_thresholds(
    rules: &mut RuleSet,
    samples: &[Sample],
    principles: &[String],
    opt: &Options,
) -> (f32, Option<f32>) {
    const THRESHOLDS: [f32; 13] = [
        0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9,
    ];
    const ADD: [Option<f32>; 5] = [Some(0.6), Some(0.7), Some(0.8), Some(0.9), None];
    let tune = |s: &&Sample| s.item.is_none() || Split::part(&s.source) == Part::Tune;
    let sources: BTreeSet<&str> = samples
        .iter()
        .filter(|s| s.item.is_some() && tune(s))
        .map(|s| s.source.as_str())
        .collect();
    let mut grid: BTreeMap<(usize, usize), Scores> = BTreeMap::new();
    // The model alone, on passages labelled as statements: per threshold, (passages with a
    // primary principle, of those whose guess reaches it and is primary, guesses reaching it,
    // of those allowed by `ok`).
    let mut alone = [(0usize, 0usize, 0usize, 0usize); THRESHOLDS.len()];
    // The same on the statements the model fills in: those the theme rules tie to no principle.
    let mut gap_counts = [(0usize, 0usize, 0usize, 0usize); THRESHOLDS.len()];
    // And on every passage, whatever its kind: the held-out part's kinds are less often right
    // than the tuning part's, so the model meets neutral text there more often.
    let mut every = [(0usize, 0usize, 0usize, 0usize); THRESHOLDS.len()];
    let gaps: BTreeSet<&str> = {
        rules.principle_model = None;
        let classifier = rules
            .classifier(Some(FRAMEWORK))
            .unwrap_or_else(|e| die(&e));
        samples
            .iter()
            .filter_map(|s| s.item.as_ref().filter(|_| tune(&s)))
            .filter(|item| {
                let c = classifier.classify(&item.text);
                c.principles.is_empty() && c.kind != StatementKind::None
            })
            .map(|item| item.id.as_str())
            .collect()
    };
    for src in &sources {
        let train_on: Vec<&Sample> = samples
            .iter()
            .filter(|s| tune(s) && s.source != *src)
            .collect();
        let which: Vec<&Sample> = samples
            .iter()
            .filter(|s| s.item.is_some() && s.source == *src)
            .collect();
        let m = model(&train_on, principles, opt);
        for s in &which {
            let item = s.item.as_ref().expect("real-world");
            let statement = !matches!(item.kind(), None | Some(StatementKind::None))
                || gaps.contains(item.id.as_str());
            let probs = m.probabilities(&item.text);
            let Some((best, &p)) = probs
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
            else {
                continue;
            };
            let gap = gaps.contains(item.id.as_str());
            for (i, t) in THRESHOLDS.iter().enumerate() {
                for a in [
                    statement.then_some(&mut alone[i]),
                    gap.then_some(&mut gap_counts[i]),
                    Some(&mut every[i]),
                ]
                .into_iter()
                .flatten()
                {
                    a.0 += usize::from(!s.primary.is_empty());
                    if p >= *t {
                        a.1 += usize::from(s.primary.contains(&best));
                        a.2 += 1;
                        a.3 += usize::from(s.labels.contains(&best));
                    }
                }
            }
        }
        for (i, t) in THRESHOLDS.iter().enumerate() {
            for (j, a) in ADD.iter().enumerate() {
                let mut m = m.clone();
                m.threshold = *t;
                m.add_threshold = *a;
                score(rules, Some(m), &which, grid.entry((i, j)).or_default());
            }
        }
    }
    let f1 = |s: &Scores| {
        let (r, p) = (s.principle_recall(), s.principle_precision());
        if r + p == 0.0 {
            0.0
        } else {
            2.0 * r * p / (r + p)
        }
    };
    println!(
        "thresholds by leave-one-source-out over the {} tuning sources:",
        sources.len()
    );
    let mut best = ((0, 0), -1.0);
    for ((i, j), s) in &grid {
        println!(
            "  threshold {} add {:<5} principle recall {:.3}  precision {:.3}  F1 {:.3}",
            THRESHOLDS[*i],
            ADD[*j].map_or("none".to_string(), |a| a.to_string()),
            s.principle_recall(),
            s.principle_precision(),
            f1(s)
        );
        if f1(s) > best.1 {
            best = ((*i, *j), f1(s));
        }
    }
    println!(
        "  on the {} statements the theme rules tie to none:",
        gaps.len()
    );
    for (i, t) in THRESHOLDS.iter().enumerate() {
        let (n, hit, guessed, allowed) = gap_counts[i];
        println!(
            "  model in gaps at {t}: {hit}/{n} primary found, {allowed}/{guessed} guesses allowed"
        );
    }
    // With a precision floor: the lowest threshold at which the model's own guesses (on every
    // labelled statement, since the tuning part has almost no statements the theme rules miss)
    // are at least that precise, and the add threshold scoring best with it.
    let mut floor_t: Option<usize> = None;
    for (i, t) in THRESHOLDS.iter().enumerate() {
        let (r, p, f) = rates(alone[i]);
        println!(
            "  model alone (statements) at {t}: primary recall {r:.3}  precision {p:.3}  F1 {f:.3}"
        );
    }
    for (i, t) in THRESHOLDS.iter().enumerate() {
        let (r, p, f) = rates(every[i]);
        println!("  model alone at {t}: primary recall {r:.3}  precision {p:.3}  F1 {f:.3}");
        if opt.floor.is_some_and(|f| p >= f) && floor_t.is_none() {
            floor_t = Some(i);
        }
    }
    if let Some(i) = opt.floor.map(|_| floor_t.unwrap_or(THRESHOLDS.len() - 1)) {
        let j = (0..ADD.len())
            .max_by(|a, b| {
                f1(&grid[&(i, *a)])
                    .total_cmp(&f1(&grid[&(i, *b)]))
                    .then(b.cmp(a))
            })
            .unwrap_or(0);
        best = ((i, j), f1(&grid[&(i, j)]));
        let (n, hit, _, _) = every[i];
        println!(
            "floor {:?}: model alone primary recall {:.3} at threshold {}",
            opt.floor,
            hit as f64 / n.max(1) as f64,
            THRESHOLDS[i]
        );
    }
    let (t, a) = (THRESHOLDS[best.0 .0], ADD[best.0 .1]);
    println!("chosen: threshold {t} add {a:?} (F1 {:.3})", best.1);
    (t, a)
}

fn die(msg: &str) -> ! {
    eprintln!("train_principles: {msg}");
    std::process::exit(2)
}

/// Recall, precision and F1 of the model's guesses from their counts: (passages with a
/// primary principle, those whose guess is one, passages guessed, guesses allowed).
fn rates((n, hit, guessed, allowed): (usize, usize, usize, usize)) -> (f64, f64, f64) {
    let r = hit as f64 / n.max(1) as f64;
    let p = allowed as f64 / guessed.max(1) as f64;
    let f = if r + p == 0.0 {
        0.0
    } else {
        2.0 * r * p / (r + p)
    };
    (r, p, f)
}
