//! `tenderscope show ID [--index DIR] [--context N] [--json]`: the evidence for one passage.
//!
//! Prints the quote with the passages around it (by paragraph ordinal in the same document),
//! where it is (supplier, tender, file, page, paragraph, offsets, the file's sha256) and why it
//! was classified as it was (kind, principles, themes, measures, every rule that fired with the
//! words it matched), with the rule-set and extractor versions. An id that is a document's
//! sha256 shows that document's record. An unknown id is an error (exit 2).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use tenderscope::classify::StatementKind;
use tenderscope::document::{ocr_label, PageOcr};
use tenderscope::index::evidence::Evidence as Gathered;
use tenderscope::index::records::Detail;
use tenderscope::index::DEFAULT_DIR;
use tenderscope::records::{rfc3339, DocumentRecord, PassageRecord, Record, Records};

use super::Exit;

/// Most passages shown on each side of the quote.
const MAX_CONTEXT: u64 = 20;
/// Neighbouring passages are cut to this many characters.
const NEIGHBOUR_CHARS: usize = 240;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A passage id (`COPY:ORDINAL`, as `search` prints it) or a document's sha256 (every copy).
    pub id: String,
    /// The index folder.
    #[arg(long, default_value = DEFAULT_DIR)]
    pub index: PathBuf,
    /// Passages shown before and after the quote (at most 20).
    #[arg(long, default_value_t = 1)]
    pub context: u64,
    /// Print the evidence as JSON.
    #[arg(long)]
    pub json: bool,
}

/// One passage's evidence, as `--json` prints it.
#[derive(Serialize)]
struct Evidence {
    #[serde(flatten)]
    record: Record,
    /// The passages before the quote, nearest last.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    before: Vec<PassageRecord>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    after: Vec<PassageRecord>,
    /// The stored passage and classification (spans are byte offsets in the classified text).
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<Detail>,
    /// For a document: how many passages it has in the index.
    #[serde(skip_serializing_if = "Option::is_none")]
    passages: Option<usize>,
    /// For a passage classified under an earlier rule set: the rule set its document was last
    /// checked against, which no changed rule of matches this passage (same classification).
    #[serde(skip_serializing_if = "Option::is_none")]
    checked_under: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let records = Records::open(&args.index)?;
    let id = args.id.trim();
    let found = records.by_id(id)?;
    if found.is_empty() {
        eprintln!(
            "error: no passage or document with id {id:?} in the index {}",
            args.index.display()
        );
        return Ok(Exit::Fatal);
    }
    let context = args.context.min(MAX_CONTEXT);
    let mut out = Vec::with_capacity(found.len());
    for record in found {
        out.push(evidence(&records, record, context)?);
    }
    if args.json {
        #[derive(Serialize)]
        struct Shown<'a> {
            id: &'a str,
            records: &'a [Evidence],
        }
        let shown = Shown { id, records: &out };
        println!("{}", serde_json::to_string_pretty(&shown)?);
    } else {
        for (i, e) in out.iter().enumerate() {
            if i > 0 {
                println!();
            }
            print_evidence(e);
        }
    }
    Ok(Exit::Success)
}

fn evidence(records: &Records, record: Record, context: u64) -> anyhow::Result<Evidence> {
    let mut e = Evidence {
        record,
        before: Vec::new(),
        after: Vec::new(),
        detail: None,
        passages: None,
        checked_under: None,
    };
    match e.record {
        Record::Document(ref d) => {
            e.passages = Some(records.passage_count(&d.provenance.origin)?);
        }
        Record::Passage(p) => {
            let g = Gathered::gather(records, p, context)?;
            e.checked_under = g.checked_under().map(|s| s.to_string());
            e.before = g.before;
            e.after = g.after;
            e.detail = Some(g.detail);
            e.record = Record::Passage(g.passage);
        }
        Record::Unread(_) => {}
    }
    Ok(e)
}

fn print_evidence(e: &Evidence) {
    match &e.record {
        Record::Document(d) => print_document(d, e.passages.unwrap_or(0)),
        Record::Passage(p) => print_passage(p, e),
        Record::Unread(u) => {
            println!("not read    {} ({})", u.origin, u.status.label());
            println!("supplier    {} (tender {})", u.supplier, u.tender);
            println!("reason      {}", u.reason);
        }
    }
}

fn print_document(d: &DocumentRecord, passages: usize) {
    let p = &d.provenance;
    println!("document {}", p.id);
    print_where(p);
    println!(
        "content     {}, {} bytes, {} pages, {} passages indexed",
        p.format, d.size, d.pages, passages
    );
    if let Some(t) = &d.title {
        println!("title       {t}");
    }
    println!("modified    {}", rfc3339(d.mtime));
    for info in &d.ocr {
        match &info.ocr {
            Some(PageOcr::Read { confidence, words }) => println!(
                "scanned     page {}: read by OCR, {words} words, mean word confidence {confidence:.0}%",
                info.page
            ),
            Some(PageOcr::Failed { reason } | PageOcr::Unavailable { reason }) => {
                println!("scanned     page {}: not read; {reason}", info.page)
            }
            None => {}
        }
    }
    print_versions(p);
}

fn print_where(p: &tenderscope::records::Provenance) {
    let lot = p
        .lot
        .as_deref()
        .map(|l| format!(", lot {l}"))
        .unwrap_or_default();
    println!("supplier    {} (tender {}{lot})", p.supplier, p.tender);
    println!("source      {}", p.origin);
    if p.path != p.origin {
        println!("read from   {}", p.path);
    }
    println!("sha256      {} ({})", p.sha256, p.format);
}

fn print_versions(p: &tenderscope::records::Provenance) {
    println!("rule set    {}", p.ruleset_version);
    println!("extractor   {}", p.extractor_version);
    println!("ingested    {}", rfc3339(p.ingested));
}

/// ` (OCR 91%)` after the page of a passage read by OCR.
fn ocr_tag(ocr: Option<f32>) -> String {
    ocr.map(|c| format!(" (OCR {c:.0}%)")).unwrap_or_default()
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", text.get(..i).unwrap_or(text)),
        None => text.to_string(),
    }
}

fn print_passage(p: &PassageRecord, e: &Evidence) {
    let d = e.detail.as_ref();
    let spec = d.map(|d| &d.classification.specificity);
    let reasons = spec
        .map(|s| {
            s.reasons
                .iter()
                .map(|r| {
                    serde_json::to_string(r)
                        .unwrap_or_default()
                        .replace('"', "")
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    println!(
        "passage {}: {}, specificity {}/5{}",
        p.provenance.id,
        p.kind,
        p.score,
        if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({reasons})")
        }
    );
    print_where(&p.provenance);
    println!(
        "position    page {}, paragraph {}, characters {}..{}",
        p.page, p.paragraph, p.start, p.end
    );
    if !p.section.is_empty() {
        println!("section     {}", p.section);
    }
    if let Some(c) = p.ocr {
        println!(
            "text        {}: check the quote against the page",
            ocr_label(c)
        );
    }
    println!();
    let neighbour = |q: &PassageRecord| {
        println!(
            "    [{}] p.{}{}  {}",
            q.paragraph,
            q.page,
            ocr_tag(q.ocr),
            cut(&q.text, NEIGHBOUR_CHARS)
        );
    };
    e.before.iter().for_each(neighbour);
    println!(
        "  > [{}] p.{}{}  {}",
        p.paragraph,
        p.page,
        ocr_tag(p.ocr),
        p.text
    );
    e.after.iter().for_each(neighbour);
    println!();
    let Some(d) = d else {
        print_versions(&p.provenance);
        print_checked(e);
        return;
    };
    let c = &d.classification;
    if let Some(lead) = &d.passage.lead_in {
        println!("lead-in     {lead}");
        println!("            (classified together with the quote; spans count from the lead-in)");
    }
    for pr in &c.principles {
        let themes: Vec<&str> = pr.themes.iter().map(|t| t.as_str()).collect();
        if pr.features.is_empty() {
            println!(
                "principle   {} (weight {}; themes {})",
                pr.id,
                pr.weight,
                if themes.is_empty() {
                    "-".to_string()
                } else {
                    themes.join(", ")
                }
            );
        } else {
            // Added by the principle model: the words that favoured it are its reason.
            let words: Vec<String> = pr
                .features
                .iter()
                .map(|f| format!("{} {:+.2}", f.feature, f.weight))
                .collect();
            println!(
                "principle   {} (principle model; words {})",
                pr.id,
                words.join(", ")
            );
        }
        for ev in &pr.evidence {
            println!("              {:?} at {}..{}", ev.text, ev.start, ev.end);
        }
    }
    for t in &c.themes {
        let spans: Vec<String> = t
            .evidence
            .iter()
            .map(|ev| format!("{:?} at {}..{}", ev.text, ev.start, ev.end))
            .collect();
        println!(
            "theme       {} (weight {}): {}",
            t.id,
            t.weight,
            spans.join(", ")
        );
    }
    for m in &c.measures {
        let value = match &m.value {
            tenderscope::classify::MeasureValue::Number(n) => n.to_string(),
            tenderscope::classify::MeasureValue::Text(s) => s.clone(),
        };
        let unit = m
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        println!(
            "measure     {} {value}{unit}: {:?} at {}..{} [rule {}]",
            m.kind, m.text, m.start, m.end, m.rule
        );
    }
    // Every rule that fired, with the words it matched where the classifier recorded them.
    let mut spans: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for t in &c.themes {
        for ev in &t.evidence {
            spans
                .entry(t.id.as_str())
                .or_default()
                .push(format!("{:?} at {}..{}", ev.text, ev.start, ev.end));
        }
    }
    for m in &c.measures {
        spans
            .entry(m.rule.as_str())
            .or_default()
            .push(format!("{:?} at {}..{}", m.text, m.start, m.end));
    }
    println!("rules fired {}", c.rules.len());
    // A `none` with principles kept them because its deciding cues say so (`keeps_principles`).
    let kept = c.kind == StatementKind::None && !c.principles.is_empty();
    for r in &c.rules {
        let role = match (c.kind_rules.contains(r), kept) {
            (true, false) => " (decided the kind)",
            (true, true) => " (decided the kind; the passage keeps its principles)",
            (false, _) => "",
        };
        match spans.get(r.as_str()) {
            Some(s) => println!("  {r}{role}: {}", s.join(", ")),
            None => println!("  {r}{role}"),
        }
    }
    println!("(spans are byte offsets in the classified text)");
    print_versions(&p.provenance);
    print_checked(e);
}

fn print_checked(e: &Evidence) {
    if let Some(v) = &e.checked_under {
        println!("checked     under rule set {v}: no changed rule matches this passage");
    }
}
