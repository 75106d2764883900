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
//!     [--epochs N] [--prune W] [--own-weight W]
//!     [--min-sources N] [--rules rules] [--set ../shared/realworld/dev.jsonl]
//! ```
//! `--split` trains on the tuning part of the real-world split (`classify::eval::Split`) and
//! scores the held-out part, comparable with `examples/realworld.rs`; `--loso` trains once per
//! real-world source without it and scores that source. Both print the theme rules alone
//! beside the rules with the model. `--write` trains on everything and writes the model file.
//! `--choose` picks the two thresholds without looking at the held-out part: leave one source
//! out over the tuning part's sources only (trained on the other tuning sources and the own
//! set), scored over a grid of thresholds; the pair with the best principle F1 (recall and
//! precision weighed alike) is then used, as if given with `--threshold` and `--add-threshold`,
//! by `--split`, `--loso` and `--write`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use serde::Deserialize;
use tenderscope::classify::eval::{self, Part, Scores, Split};
use tenderscope::classify::principlemodel::{self, PrincipleModel};
use tenderscope::classify::RuleSet;

const FRAMEWORK: &str = "cheshire-east";

struct Sample {
    source: String,
    /// Indices of the principles it evidences.
    labels: Vec<usize>,
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
}

fn train(
    samples: &[&Sample],
    principles: &[String],
    opt: &Options,
) -> (Vec<f32>, Vec<String>, Vec<Vec<f32>>) {
    let mut sources_of: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for s in samples {
        for f in &s.features {
            sources_of
                .entry(f.as_str())
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
    let rows: Vec<Vec<usize>> = samples
        .iter()
        .map(|s| {
            s.features
                .iter()
                .filter_map(|f| index.get(f.as_str()).copied())
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
            let pos = samples.iter().filter(|s| s.labels.contains(&p)).count() as f64;
            let neg = m - pos;
            (m / (2.0 * pos.max(1.0)), m / (2.0 * neg.max(1.0)))
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
                let y = s.labels.contains(&p);
                let (wp, wn) = weights[p];
                let own = if s.item.is_none() {
                    opt.own_weight
                } else {
                    1.0
                };
                let g = (1.0 / (1.0 + (-z).exp()) - if y { 1.0 } else { 0.0 })
                    * if y { wp } else { wn }
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
            kept_names.push(name.to_string());
            kept_rows.push(row);
        }
    }
    (b.iter().map(|v| *v as f32).collect(), kept_names, kept_rows)
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
            "--rules" => rules_dir = value("--rules").into(),
            "--write" => write = Some(value("--write").into()),
            "--loso" => loso = true,
            "--split" => split = true,
            "--choose" => choose = true,
            "--c" => opt.c = num("--c", value("--c")),
            "--threshold" => opt.threshold = num("--threshold", value("--threshold")),
            "--prune" => opt.prune = num("--prune", value("--prune")),
            "--own-weight" => opt.own_weight = num("--own-weight", value("--own-weight")),
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
            features: principlemodel::features(&o.text),
            item: None,
        });
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
    const THRESHOLDS: [f32; 6] = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
    const ADD: [Option<f32>; 5] = [Some(0.6), Some(0.7), Some(0.8), Some(0.9), None];
    let tune = |s: &&Sample| s.item.is_none() || Split::part(&s.source) == Part::Tune;
    let sources: BTreeSet<&str> = samples
        .iter()
        .filter(|s| s.item.is_some() && tune(s))
        .map(|s| s.source.as_str())
        .collect();
    let mut grid: BTreeMap<(usize, usize), Scores> = BTreeMap::new();
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
    let (t, a) = (THRESHOLDS[best.0 .0], ADD[best.0 .1]);
    println!("chosen: threshold {t} add {a:?} (F1 {:.3})", best.1);
    (t, a)
}

fn die(msg: &str) -> ! {
    eprintln!("train_principles: {msg}");
    std::process::exit(2)
}
