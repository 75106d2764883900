//! `tenderscope rules test [DIR]`: load a rule set, validate it, and run every rule's examples.
//! Also the shared way CLI commands find their rule set (`--rules DIR`, `./rules`, built-in).

use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};

use anyhow::Context;
use tenderscope::classify::{ruletest, FrameworkId, RuleSet};

use super::Exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Validate a rule set and run every rule's must_match / must_not_match examples.
    Test {
        /// The rule directory (default: ./rules if it exists, else the built-in rule set).
        dir: Option<PathBuf>,
    },
    /// Print the rule set's version (a hash of its content).
    Version {
        /// The rule directory (default: ./rules if it exists, else the built-in rule set).
        dir: Option<PathBuf>,
    },
}

/// A rule set a command keeps until the process ends, and never drops.
///
/// Why: a loaded rule set is some hundred thousand small allocations (parsed patterns,
/// automata, the principle model's rows); freeing them one by one cost about 50 M
/// instructions, a sixth of what `rules version` does after start-up, paid by every command
/// just before it exits, when the operating system takes the memory back at once anyway.
/// The library's `RuleSet` drops as usual; only the command line keeps its one rule set.
pub type Kept = ManuallyDrop<RuleSet>;

/// The rule set to use: the directory given, else `./rules` when it exists, else the set
/// built into the binary.
pub fn load_rules(dir: Option<&Path>) -> anyhow::Result<(Kept, String)> {
    let local = Path::new("rules");
    let (rules, name) = match dir {
        Some(d) => {
            let rules = RuleSet::from_dir(d)
                .with_context(|| format!("cannot load the rule set in {}", d.display()))?;
            (rules, d.display().to_string())
        }
        None if local.join("kinds.toml").is_file() => {
            let rules = RuleSet::from_dir(local).context("cannot load the rule set in rules")?;
            (rules, "rules".into())
        }
        None => (
            RuleSet::embedded().context("the built-in rule set is invalid")?,
            "built-in rules".into(),
        ),
    };
    Ok((ManuallyDrop::new(rules), name))
}

/// The rule set for a command on an index: `--rules DIR` when given; else the one the index
/// was built with (recorded in it, with its framework); else, for a new index, the built-in
/// set. The working folder plays no part: a nightly job started from anywhere classifies with
/// the same rules.
pub fn rules_for_index(
    dir: Option<&Path>,
    index: &Path,
) -> anyhow::Result<(Kept, String, Option<FrameworkId>)> {
    let (rules, name, framework) = rules_for_index_dropped(dir, index)?;
    Ok((ManuallyDrop::new(rules), name, framework))
}

fn rules_for_index_dropped(
    dir: Option<&Path>,
    index: &Path,
) -> anyhow::Result<(RuleSet, String, Option<FrameworkId>)> {
    if let Some(d) = dir {
        let rules = RuleSet::from_dir(d)
            .with_context(|| format!("cannot load the rule set in {}", d.display()))?;
        return Ok((rules, d.display().to_string(), None));
    }
    match tenderscope::ingest::recorded_rules(index)? {
        Some((rules, framework)) => {
            let name = format!(
                "the rule set {} recorded in {}",
                rules.version,
                index.display()
            );
            Ok((rules, name, framework))
        }
        None => Ok((
            RuleSet::embedded().context("the built-in rule set is invalid")?,
            "built-in rules".into(),
            None,
        )),
    }
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    match args.command {
        Command::Test { dir } => {
            let (rules, name) = load_rules(dir.as_deref())?;
            let report = ruletest::run(&rules);
            for failure in &report.failures {
                println!("{failure}");
            }
            println!(
                "rules {name} (version {}): {} passed, {} failed",
                rules.version,
                report.passed,
                report.failures.len()
            );
            Ok(if report.failures.is_empty() {
                Exit::Success
            } else {
                Exit::Partial
            })
        }
        Command::Version { dir } => {
            let (rules, _) = load_rules(dir.as_deref())?;
            println!("{}", rules.version);
            Ok(Exit::Success)
        }
    }
}
