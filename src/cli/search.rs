//! `tenderscope search QUERY [--principle ID] [--theme ID] [--supplier NAME] [--tender NAME]
//! [--kind KIND] [--sort relevance|specificity|supplier] [--limit N] [--facets] [--json]`

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use tenderscope::filters::{self, Vocabulary};
use tenderscope::index::{Store, DEFAULT_DIR};
use tenderscope::plural;
use tenderscope::search::{self, Request, Response};

use super::Exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// tantivy query language: words (all required), "phrases", AND/OR/NOT, field:value
    /// (supplier, tender, kind, principle, theme, rule, section, text_exact). Several words
    /// are joined into one query. Empty: everything (with the filters).
    pub query: Vec<String>,
    #[arg(long, default_value = DEFAULT_DIR)]
    pub index: PathBuf,
    /// Only passages mapped to this principle (e.g. CE9).
    #[arg(long)]
    pub principle: Option<String>,
    /// Only passages with this theme.
    #[arg(long)]
    pub theme: Option<String>,
    /// Only this supplier (as in the summary of `ingest`).
    #[arg(long)]
    pub supplier: Option<String>,
    #[arg(long)]
    pub tender: Option<String>,
    /// commitment, aspiration, track_record or none.
    #[arg(long)]
    pub kind: Option<String>,
    /// The rule set whose principles and themes are valid filter values (default: as
    /// `ingest`).
    #[arg(long)]
    pub rules: Option<PathBuf>,
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=search::MAX_LIMIT as u64))]
    pub limit: u64,
    /// Skip this many hits (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Order of the hits: `relevance` (firm, specific commitments first among hits of similar
    /// relevance), `specificity` (commitments first, most specific first) or `supplier`.
    #[arg(long, default_value = "relevance", value_parser = search::Sort::parse)]
    pub sort: search::Sort,
    /// Also count matches per principle, theme, supplier and kind.
    #[arg(long)]
    pub facets: bool,
    /// Print the response as JSON, with full provenance.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let store = Store::open(&args.index)?;
    let reader = store.reader()?;
    let req = Request {
        query: args.query.join(" "),
        principle: args.principle.clone(),
        theme: args.theme.clone(),
        supplier: args.supplier.clone(),
        tender: args.tender.clone(),
        kind: args.kind.clone(),
        limit: args.limit as usize,
        offset: args.offset,
        facets: args.facets,
        sort: args.sort,
    };
    let searcher = reader.searcher();
    let mut req = req;
    // Unknown filter values are an error with suggestions (exit 2), not "0 passages match".
    let (rules, _, _) = super::rules::rules_for_index(args.rules.as_deref(), &args.index)?;
    filters::resolve(&store, &searcher, &mut req, &Vocabulary::of(&rules))?;
    let resp = search::search(&store, &searcher, &req)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &resp)?;
        writeln!(out)?;
    } else {
        print_text(&mut out, &resp, std::io::stdout().is_terminal())?;
    }
    Ok(Exit::Success)
}

fn highlight(text: &str, ranges: &[(usize, usize)], tty: bool) -> String {
    let (open, close) = if tty {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut at = 0;
    for &(s, e) in ranges {
        let (Some(before), Some(word)) = (text.get(at..s), text.get(s..e)) else {
            continue;
        };
        out.push_str(before);
        out.push_str(open);
        out.push_str(word);
        out.push_str(close);
        at = e;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

fn print_text(out: &mut impl Write, resp: &Response, tty: bool) -> std::io::Result<()> {
    let total = resp.total as u64;
    writeln!(
        out,
        "{} {}; showing {}",
        plural::n(total, "passage"),
        plural::agree(total, "matches", "match"),
        resp.hits.len()
    )?;
    for hit in &resp.hits {
        writeln!(out)?;
        writeln!(
            out,
            "{}  {}  p.{}  {}  [{}]  score {}/5",
            hit.supplier,
            short_origin(&hit.origin),
            hit.page,
            hit.kind,
            hit.principles.join(" "),
            hit.score
        )?;
        writeln!(
            out,
            "  {}",
            highlight(&hit.snippet.text, &hit.snippet.highlighted, tty)
        )?;
        writeln!(out, "  id {}", hit.id)?;
    }
    if let Some(f) = &resp.facets {
        writeln!(out)?;
        for (name, counts) in [
            ("principle", &f.principle),
            ("kind", &f.kind),
            ("supplier", &f.supplier),
            ("theme", &f.theme),
        ] {
            let items: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
            writeln!(out, "{name}: {}", items.join(", "))?;
        }
    }
    Ok(())
}

/// The last two path components: enough to recognise a file in a batch.
fn short_origin(origin: &str) -> String {
    let parts: Vec<&str> = origin.rsplit(['/', '!']).take(2).collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}
