//! `tenderscope classify [FILE|-] [--rules DIR] [--framework ID]`: every non-empty input line
//! is one passage; for each, in order, one JSON object on its own line. Rule authors use it to
//! try a sentence; tests and tools use it as the contract of the classifier.

use std::io::{BufRead, Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;
use tenderscope::classify::{
    Classification, Evidence, FrameworkId, MeasureKind, MeasureValue, PrincipleId, RuleId,
    ScoreReason, StatementKind, ThemeId,
};

use super::Exit;

/// Longest input line accepted, in bytes; a longer line is reported and skipped.
const MAX_LINE_BYTES: u64 = 1 << 20;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A text file with one passage per line; `-` or nothing reads standard input.
    pub file: Option<PathBuf>,
    /// The rule directory (default: ./rules if it exists, else the built-in rule set).
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// The framework to map principles with (default: the rule set's default framework).
    #[arg(long, value_parser = <FrameworkId as std::str::FromStr>::from_str)]
    pub framework: Option<FrameworkId>,
}

#[derive(Serialize)]
struct OutMeasure<'a> {
    kind: MeasureKind,
    value: &'a MeasureValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
    text: &'a str,
    rule: &'a RuleId,
}

#[derive(Serialize)]
struct OutPrinciple<'a> {
    id: &'a PrincipleId,
    themes: &'a [ThemeId],
    rules: &'a [RuleId],
    evidence: &'a [Evidence],
    /// The principle model's words behind a principle it added (absent otherwise).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    features: &'a [tenderscope::classify::kindmodel::KindFeature],
}

#[derive(Serialize)]
struct OutTheme<'a> {
    id: &'a ThemeId,
    evidence: &'a [Evidence],
}

#[derive(Serialize)]
struct Output<'a> {
    text: &'a str,
    kind: StatementKind,
    principles: Vec<&'a PrincipleId>,
    themes: Vec<&'a ThemeId>,
    measures: Vec<OutMeasure<'a>>,
    score: u8,
    reasons: &'a [ScoreReason],
    rules: &'a [RuleId],
    kind_rules: &'a [RuleId],
    evidence: Evidence2<'a>,
    framework: Option<&'a FrameworkId>,
    rules_version: &'a str,
}

#[derive(Serialize)]
struct Evidence2<'a> {
    principles: Vec<OutPrinciple<'a>>,
    themes: Vec<OutTheme<'a>>,
}

fn output<'a>(
    text: &'a str,
    c: &'a Classification,
    framework: Option<&'a FrameworkId>,
    version: &'a str,
) -> Output<'a> {
    Output {
        text,
        kind: c.kind,
        principles: c.principles.iter().map(|p| &p.id).collect(),
        themes: c.themes.iter().map(|t| &t.id).collect(),
        measures: c
            .measures
            .iter()
            .map(|m| OutMeasure {
                kind: m.kind,
                value: &m.value,
                unit: m.unit.as_deref(),
                text: &m.text,
                rule: &m.rule,
            })
            .collect(),
        score: c.specificity.score,
        reasons: &c.specificity.reasons,
        rules: &c.rules,
        kind_rules: &c.kind_rules,
        evidence: Evidence2 {
            principles: c
                .principles
                .iter()
                .map(|p| OutPrinciple {
                    id: &p.id,
                    themes: &p.themes,
                    rules: &p.rules,
                    evidence: &p.evidence,
                    features: &p.features,
                })
                .collect(),
            themes: c
                .themes
                .iter()
                .map(|t| OutTheme {
                    id: &t.id,
                    evidence: &t.evidence,
                })
                .collect(),
        },
        framework,
        rules_version: version,
    }
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let (rules, _) = super::rules::load_rules(args.rules.as_deref())?;
    let classifier = rules
        .classifier(args.framework.as_ref().map(FrameworkId::as_str))
        .map_err(anyhow::Error::msg)?;
    let input: Box<dyn Read> = match &args.file {
        None => Box::new(std::io::stdin().lock()),
        Some(p) if p.as_os_str() == "-" => Box::new(std::io::stdin().lock()),
        Some(p) => Box::new(
            std::fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))?,
        ),
    };
    let mut reader = std::io::BufReader::new(input);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut failed = false;
    loop {
        buf.clear();
        line_no += 1;
        let n = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buf)
            .context("cannot read the input")?;
        if n == 0 {
            break;
        }
        if buf.len() as u64 > MAX_LINE_BYTES && buf.last() != Some(&b'\n') {
            failed = true;
            eprintln!("error: line {line_no}: longer than {MAX_LINE_BYTES} bytes; skipped");
            // Skip to the end of the line, in bounded chunks.
            loop {
                buf.clear();
                let n = (&mut reader)
                    .take(MAX_LINE_BYTES)
                    .read_until(b'\n', &mut buf)
                    .context("cannot read the input")?;
                if n == 0 || buf.last() == Some(&b'\n') {
                    break;
                }
            }
            continue;
        }
        let line = String::from_utf8_lossy(&buf);
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let c = classifier.classify(text);
        serde_json::to_writer(
            &mut out,
            &output(text, &c, classifier.framework_id(), &rules.version),
        )?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if failed { Exit::Partial } else { Exit::Success })
}
