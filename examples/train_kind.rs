//! Trains the kind model (`rules/kind-model.toml`, see `tenderscope::classify::kindmodel`) and
//! measures it on sources it was not trained on.
//!
//! Training data: the real published passages of `../shared/realworld/dev.jsonl` and the
//! project's own labelled set `fixtures/labelled/passages.jsonl` (the independent
//! `fixtures/labelled/holdout.jsonl` is never trained on). The model is a multinomial logistic
//! regression over the features the classifier computes for each passage (the cue rules'
//! verdict, the cues, measures, shape, words); a feature is kept only when it occurs in passages
//! from at least `--min-sources` different sources, so that no page's own wording is learnt.
//!
//! ```text
//! cargo run --release --example train_kind -- [--loso] [--split] [--write rules/kind-model.toml]
//!     [--l2 F] [--epochs N] [--min-sources N] [--rules rules] [--set ../shared/realworld/dev.jsonl]
//! ```
//! `--loso` trains once per real-world source without it and scores that source: the figure
//! that estimates unseen text. `--split` trains on the tuning part of the real-world split
//! (`classify::eval::Split`) and scores the held-out part, comparable with
//! `examples/realworld.rs`. `--write` trains on everything and writes the model file.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use serde::Deserialize;
use tenderscope::classify::eval::{self, Part, Scores, Split};
use tenderscope::classify::kindmodel::{KindModel, CLASSES};
use tenderscope::classify::{RuleSet, StatementKind};

struct Sample {
    source: String,
    kind: usize,
    features: Vec<String>,
    /// The real-world item, for scoring.
    item: Option<eval::Item>,
}

#[derive(Deserialize)]
struct Own {
    text: String,
    kind: String,
}

struct Options {
    l2: f64,
    epochs: usize,
    min_sources: usize,
}

fn class_of(kind: StatementKind) -> usize {
    CLASSES.iter().position(|k| *k == kind).unwrap_or(3)
}

/// Train on the samples for which `keep` is true.
fn train(samples: &[Sample], keep: impl Fn(&Sample) -> bool, opt: &Options) -> KindModel {
    let train: Vec<&Sample> = samples.iter().filter(|s| keep(s)).collect();
    // Features seen in enough distinct sources.
    let mut sources_of: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for s in &train {
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
    let rows: Vec<(Vec<usize>, usize)> = train
        .iter()
        .map(|s| {
            (
                s.features
                    .iter()
                    .filter_map(|f| index.get(f.as_str()).copied())
                    .collect(),
                s.kind,
            )
        })
        .collect();

    // Full-batch gradient descent with Adam on the mean log loss plus an L2 penalty.
    let n = names.len();
    let mut w = vec![[0f64; 4]; n];
    let mut b = [0f64; 4];
    let (mut mw, mut vw) = (vec![[0f64; 4]; n], vec![[0f64; 4]; n]);
    let (mut mb, mut vb) = ([0f64; 4], [0f64; 4]);
    let (lr, b1, b2, eps) = (0.05, 0.9, 0.999, 1e-8);
    let m = rows.len().max(1) as f64;
    for epoch in 1..=opt.epochs {
        let mut gw = vec![[0f64; 4]; n];
        let mut gb = [0f64; 4];
        for (feats, y) in &rows {
            let mut z = b;
            for &f in feats {
                for k in 0..4 {
                    z[k] += w[f][k];
                }
            }
            let max = z.iter().cloned().fold(f64::MIN, f64::max);
            let e: Vec<f64> = z.iter().map(|v| (v - max).exp()).collect();
            let sum: f64 = e.iter().sum();
            for k in 0..4 {
                let g = e[k] / sum - if k == *y { 1.0 } else { 0.0 };
                gb[k] += g / m;
                for &f in feats {
                    gw[f][k] += g / m;
                }
            }
        }
        let t = epoch as i32;
        let step = |p: &mut f64, g: f64, mo: &mut f64, ve: &mut f64| {
            *mo = b1 * *mo + (1.0 - b1) * g;
            *ve = b2 * *ve + (1.0 - b2) * g * g;
            let mhat = *mo / (1.0 - b1.powi(t));
            let vhat = *ve / (1.0 - b2.powi(t));
            *p -= lr * mhat / (vhat.sqrt() + eps);
        };
        for i in 0..n {
            for k in 0..4 {
                let g = gw[i][k] + opt.l2 * w[i][k];
                step(&mut w[i][k], g, &mut mw[i][k], &mut vw[i][k]);
            }
        }
        for k in 0..4 {
            step(&mut b[k], gb[k], &mut mb[k], &mut vb[k]);
        }
    }
    // Features whose weights are all near zero say nothing: leave them out of the file.
    let mut kept_names: Vec<Box<str>> = Vec::new();
    let mut kept_rows: Vec<[f32; 4]> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let r = w[i];
        let mean = r.iter().sum::<f64>() / 4.0;
        if r.iter().any(|v| (v - mean).abs() >= 0.02) {
            kept_names.push((*name).into());
            // Only differences between classes matter: centre each row.
            kept_rows.push([
                (r[0] - mean) as f32,
                (r[1] - mean) as f32,
                (r[2] - mean) as f32,
                (r[3] - mean) as f32,
            ]);
        }
    }
    let bm = b.iter().sum::<f64>() / 4.0;
    KindModel::new(
        [
            (b[0] - bm) as f32,
            (b[1] - bm) as f32,
            (b[2] - bm) as f32,
            (b[3] - bm) as f32,
        ],
        kept_names,
        kept_rows,
    )
}

fn main() {
    let mut set = PathBuf::from("../shared/realworld/dev.jsonl");
    let mut own = PathBuf::from("fixtures/labelled/passages.jsonl");
    let mut rules_dir = PathBuf::from("rules");
    let mut write: Option<PathBuf> = None;
    let (mut loso, mut split) = (false, false);
    let mut opt = Options {
        l2: 0.002,
        epochs: 300,
        min_sources: 3,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| die(&format!("{name} needs a value")))
        };
        match a.as_str() {
            "--set" => set = value("--set").into(),
            "--own" => own = value("--own").into(),
            "--rules" => rules_dir = value("--rules").into(),
            "--write" => write = Some(value("--write").into()),
            "--loso" => loso = true,
            "--split" => split = true,
            "--l2" => {
                opt.l2 = value("--l2")
                    .parse()
                    .unwrap_or_else(|e| die(&format!("--l2: {e}")))
            }
            "--epochs" => {
                opt.epochs = value("--epochs")
                    .parse()
                    .unwrap_or_else(|e| die(&format!("--epochs: {e}")))
            }
            "--min-sources" => {
                opt.min_sources = value("--min-sources")
                    .parse()
                    .unwrap_or_else(|e| die(&format!("--min-sources: {e}")))
            }
            other => die(&format!("unknown argument `{other}`")),
        }
    }

    let mut rules = RuleSet::from_dir(&rules_dir)
        .unwrap_or_else(|e| die(&format!("{}: {e}", rules_dir.display())));
    // The features do not depend on the model; a model is only put in place to score.
    rules.kind_model = None;
    let samples = {
        let classifier = rules
            .classifier(Some("cheshire-east"))
            .unwrap_or_else(|e| die(&e));
        let text = std::fs::read_to_string(&set)
            .unwrap_or_else(|e| die(&format!("{}: {e}", set.display())));
        let items = eval::read(&text).unwrap_or_else(|e| die(&format!("{}: {e}", set.display())));
        let mut samples: Vec<Sample> = items
            .into_iter()
            .map(|item| Sample {
                source: item.source.clone(),
                kind: class_of(item.kind().unwrap_or(StatementKind::None)),
                features: classifier.kind_features(&item.text),
                item: Some(item),
            })
            .collect();
        let text = std::fs::read_to_string(&own)
            .unwrap_or_else(|e| die(&format!("{}: {e}", own.display())));
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let o: Own = serde_json::from_str(line)
                .unwrap_or_else(|e| die(&format!("{}:{}: {e}", own.display(), i + 1)));
            let kind = StatementKind::parse(&o.kind)
                .unwrap_or_else(|| die(&format!("{}:{}: kind {}", own.display(), i + 1, o.kind)));
            samples.push(Sample {
                source: own.display().to_string(),
                kind: class_of(kind),
                features: classifier.kind_features(&o.text),
                item: None,
            });
        }
        samples
    };
    let realworld = samples.iter().filter(|s| s.item.is_some()).count();
    println!(
        "{} samples ({} real-world from {} sources, {} own); l2 {} epochs {} min-sources {}",
        samples.len(),
        realworld,
        samples
            .iter()
            .filter(|s| s.item.is_some())
            .map(|s| &s.source)
            .collect::<BTreeSet<_>>()
            .len(),
        samples.len() - realworld,
        opt.l2,
        opt.epochs,
        opt.min_sources
    );

    let score = |rules: &mut RuleSet, model: KindModel, which: &[&Sample], scores: &mut Scores| {
        rules.kind_model = Some(model);
        let classifier = rules
            .classifier(Some("cheshire-east"))
            .unwrap_or_else(|e| die(&e));
        for s in which {
            if let Some(item) = &s.item {
                let c = classifier.classify(&item.text);
                scores.add(item, &c);
            }
        }
    };

    // The cue rules alone, for comparison.
    let mut alone: BTreeMap<Part, Scores> = BTreeMap::new();
    {
        let classifier = rules
            .classifier(Some("cheshire-east"))
            .unwrap_or_else(|e| die(&e));
        for s in &samples {
            if let Some(item) = &s.item {
                let c = classifier.classify(&item.text);
                alone
                    .entry(Split::part(&item.source))
                    .or_default()
                    .add(item, &c);
            }
        }
    }
    let mut all_alone = Scores::default();
    for s in alone.values() {
        all_alone.merge(s);
    }
    println!("cue rules alone, all real-world: {}", all_alone.line());

    if split {
        let model = train(
            &samples,
            |s| s.item.is_none() || Split::part(&s.source) == Part::Tune,
            &opt,
        );
        let held: Vec<&Sample> = samples
            .iter()
            .filter(|s| s.item.is_some() && Split::part(&s.source) == Part::HeldOut)
            .collect();
        let mut scores = Scores::default();
        let features = model.len();
        score(&mut rules, model, &held, &mut scores);
        println!(
            "split: trained on tune + own ({features} features), held-out part: {}",
            scores.line()
        );
        if let Some(a) = alone.get(&Part::HeldOut) {
            println!("       cue rules alone on the held-out part: {}", a.line());
        }
    }

    if loso {
        let sources: BTreeSet<&str> = samples
            .iter()
            .filter(|s| s.item.is_some())
            .map(|s| s.source.as_str())
            .collect();
        let mut scores = Scores::default();
        for src in &sources {
            let model = train(&samples, |s| s.source != *src, &opt);
            let test: Vec<&Sample> = samples.iter().filter(|s| s.source == *src).collect();
            score(&mut rules, model, &test, &mut scores);
        }
        println!(
            "leave-one-source-out over {} sources: {}",
            sources.len(),
            scores.line()
        );
        for ((want, got), n) in &scores.confusion {
            if want != got {
                println!("  {want:>12} -> {got:<12} {n}");
            }
        }
    }

    if let Some(path) = write {
        let model = train(&samples, |_| true, &opt);
        let header = format!(
            "The kind model: weights of a multinomial logistic regression over passage features\n\
             (src/classify/kindmodel.rs says what each feature is). Generated; do not edit by hand:\n\
             cargo run --release --example train_kind -- --write rules/kind-model.toml\n\
             Trained on {} labelled passages ({} real published passages from ../shared/realworld,\n\
             {} of the project's own); a feature is kept when passages from at least {} sources have it.\n\
             Each row: commitment, aspiration, track_record, none.",
            samples.len(),
            realworld,
            samples.len() - realworld,
            opt.min_sources
        );
        let trained = format!(
            "l2 {} epochs {} min-sources {}",
            opt.l2, opt.epochs, opt.min_sources
        );
        std::fs::write(&path, model.to_toml(&header, &trained))
            .unwrap_or_else(|e| die(&format!("{}: {e}", path.display())));
        println!("wrote {} ({} features)", path.display(), model.len());
    }
}

fn die(msg: &str) -> ! {
    eprintln!("train_kind: {msg}");
    std::process::exit(2)
}
