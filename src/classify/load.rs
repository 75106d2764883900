//! Loading a rule set: parse every file, validate everything, compile the layers.
//!
//! Validation collects all errors (unknown fields, duplicate ids, references to unknown themes,
//! invalid or oversized regexes, empty example lists, more than one default framework) and
//! fails with the whole list; a rule set with any error never runs.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use toml::Spanned;

use super::error::{LineIndex, LoadError, RuleError};
use super::ids::{valid_id, FrameworkId, PrincipleId, RuleId, ThemeId};
use super::kindmodel::{KindModel, ModelFile};
use super::limits;
use super::model::MeasureKind;
use rayon::prelude::*;

use super::pattern::{check_term, compile, Layer, MatcherDef};
use super::principlemodel::{self, PrincipleModel, PrincipleModelFile};
use super::schema::{CueFile, FrameworkFile, MeasureFile, Signal, Text, ThemeFile};
use super::source::{FileRole, RuleFile, RuleSource};

/// A statement-kind or specificity cue.
#[derive(Clone, Debug)]
pub struct Cue {
    pub id: RuleId,
    pub signal: Signal,
    /// A `none` this cue decides keeps the passage's principles (see the rule file's
    /// `keeps_principles`).
    pub keeps_principles: bool,
}

#[derive(Clone, Debug)]
pub struct Theme {
    pub id: ThemeId,
    pub name: String,
    pub weight: u32,
}

#[derive(Clone, Debug)]
pub struct Principle {
    pub id: PrincipleId,
    /// `FRAMEWORK.PRINCIPLE`: the rule id of the principle's own patterns.
    pub rule: RuleId,
    pub name: String,
    /// Indexes into [`RuleSet::themes`].
    pub themes: Vec<usize>,
    /// The principle's own matcher in the theme layer, when it has patterns or terms.
    pub own: Option<usize>,
    pub weight: u32,
}

#[derive(Clone, Debug)]
pub struct Framework {
    pub id: FrameworkId,
    pub name: String,
    pub principles: Vec<Principle>,
}

#[derive(Clone, Debug)]
pub struct MeasureDef {
    pub id: RuleId,
    pub kind: MeasureKind,
    pub value: Option<String>,
}

/// What an example exercises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Cue(usize),
    Theme(usize),
    Principle { framework: usize, principle: usize },
    Measure(usize),
}

/// One `must_match` / `must_not_match` example, with where it is written.
#[derive(Clone, Debug)]
pub struct Example {
    pub rule: RuleId,
    pub target: Target,
    pub must_match: bool,
    pub text: String,
    pub file: String,
    pub line: usize,
    pub col: usize,
}

/// A loaded, validated and compiled rule set. A clone shares the compiled regexes and starts
/// with empty regex caches ([`Layer`]'s clone).
#[derive(Clone, Debug)]
pub struct RuleSet {
    pub version: String,
    /// The files it was loaded from (kept so that an index can tell what a later change touched).
    pub source: RuleSource,
    pub cues: Vec<Cue>,
    pub cue_layer: Layer,
    pub themes: Vec<Theme>,
    /// Matchers `0..themes.len()` are the themes; principles' own matchers follow.
    pub theme_layer: Layer,
    pub frameworks: Vec<Framework>,
    pub default_framework: usize,
    pub measures: Vec<MeasureDef>,
    pub measure_layer: Layer,
    pub examples: Vec<Example>,
    /// The kind model (`kind-model.toml`), when the set has one.
    pub kind_model: Option<KindModel>,
    /// The optional principle model (`principle-model.toml`), for passages the theme rules
    /// tie to no principle.
    pub principle_model: Option<PrincipleModel>,
}

/// The matching fields every kind of rule has.
struct Fields<'a> {
    patterns: &'a [Text],
    terms: &'a [Text],
    exclude: &'a [Text],
    case_sensitive: bool,
}

macro_rules! fields {
    ($rule:expr) => {
        Fields {
            patterns: &$rule.patterns,
            terms: &$rule.terms,
            exclude: &$rule.exclude,
            case_sensitive: $rule.case_sensitive,
        }
    };
}

struct Ctx<'a> {
    file: &'a RuleFile,
}

/// The lists of matchers a rule set has, one layer each (principles' own matchers join the
/// themes' layer).
#[derive(Clone, Copy)]
enum List {
    Cues,
    Themes,
    Measures,
    Own,
}

/// A matcher whose patterns are compiled after every file is read, all at once and in
/// parallel (compiling is most of the cost of loading), with what its errors need.
struct Compile<'a> {
    file: &'a RuleFile,
    list: List,
    index: usize,
    rule: String,
    at: usize,
    /// Where each pattern, then each exclusion, starts.
    offsets: Vec<usize>,
}

struct Loader<'a> {
    errors: Vec<RuleError>,
    compiles: Vec<Compile<'a>>,
    /// Every rule id seen, with where it was first defined.
    ids: HashMap<String, String>,
    examples: Vec<Example>,
    /// Each file's line index (by name), made the first time an offset in it is placed.
    lines: HashMap<String, LineIndex>,
}

impl<'a> Loader<'a> {
    /// Line and column of `offset` in the context's file.
    fn place(&mut self, cx: &Ctx, offset: usize) -> (usize, usize) {
        self.lines
            .entry(cx.file.name.clone())
            .or_insert_with(|| LineIndex::new(&cx.file.text))
            .line_col(&cx.file.text, offset)
    }

    fn error(&mut self, cx: &Ctx, offset: usize, rule: Option<&str>, message: impl Into<String>) {
        let (line, col) = self.place(cx, offset);
        self.errors.push(RuleError {
            file: cx.file.display.clone(),
            line,
            col,
            rule: rule.map(str::to_string),
            message: message.into(),
        });
    }

    fn parse<T: DeserializeOwned>(&mut self, cx: &Ctx) -> Option<T> {
        match parse_toml::<T>(&cx.file.text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(cx, e.offset, e.rule.as_deref(), e.message);
                None
            }
        }
    }

    /// Check a rule id's syntax and uniqueness. Returns the id when it is usable.
    fn rule_id(&mut self, cx: &Ctx, id: &Text) -> RuleId {
        let s = id.get_ref().as_str();
        let offset = id.span().start;
        if !valid_id(s) {
            self.error(
                cx,
                offset,
                Some(s),
                "invalid id: use ASCII letters, digits, `.`, `_` and `-` (at most 64), starting with a letter or digit",
            );
        }
        let (line, col) = self.place(cx, offset);
        let here = format!("{}:{line}:{col}", cx.file.display);
        if let Some(first) = self.ids.get(s) {
            let msg = format!("duplicate rule id (first defined at {first})");
            self.error(cx, offset, Some(s), msg);
        } else {
            self.ids.insert(s.to_string(), here);
        }
        if self.ids.len() > limits::MAX_RULES {
            self.error(
                cx,
                offset,
                Some(s),
                format!("more than {} rules", limits::MAX_RULES),
            );
        }
        RuleId(s.to_string())
    }

    /// Validate one rule's matching fields.
    /// Validate one rule's matching fields; its patterns are compiled by [`Loader::compile`].
    fn matcher(
        &mut self,
        cx: &Ctx<'a>,
        (list, index): (List, usize),
        rule: &str,
        at: usize,
        fields: Fields,
    ) -> MatcherDef {
        let Fields {
            patterns,
            terms,
            exclude,
            case_sensitive,
        } = fields;
        if patterns.is_empty() && terms.is_empty() {
            self.error(cx, at, Some(rule), "a rule needs `patterns` or `terms`");
        }
        if patterns.len() > limits::MAX_PATTERNS || exclude.len() > limits::MAX_PATTERNS {
            let msg = format!("more than {} patterns or exclusions", limits::MAX_PATTERNS);
            self.error(cx, at, Some(rule), msg);
        }
        if terms.len() > limits::MAX_TERMS {
            self.error(
                cx,
                at,
                Some(rule),
                format!("more than {} terms", limits::MAX_TERMS),
            );
        }
        let strings = |v: &[Text]| v.iter().map(|s| s.get_ref().clone()).collect();
        let def = MatcherDef {
            patterns: strings(patterns),
            terms: strings(terms),
            exclude: strings(exclude),
            case_sensitive,
            compiled: Vec::new(),
        };
        self.compiles.push(Compile {
            file: cx.file,
            list,
            index,
            rule: rule.to_string(),
            at,
            offsets: patterns
                .iter()
                .chain(exclude)
                .map(|p| p.span().start)
                .collect(),
        });
        for t in terms {
            if let Err(msg) = check_term(t.get_ref()) {
                self.error(cx, t.span().start, Some(rule), msg);
            }
        }
        def
    }

    /// Compile every matcher read (in parallel), keeping the entries in its definition and
    /// reporting its errors at the pattern they are about.
    fn compile(&mut self, lists: [&mut Vec<MatcherDef>; 4]) {
        let jobs = std::mem::take(&mut self.compiles);
        let results: Vec<_> = {
            let lists: [&Vec<MatcherDef>; 4] = [&*lists[0], &*lists[1], &*lists[2], &*lists[3]];
            jobs.par_iter()
                .map(|j| lists[j.list as usize].get(j.index).map(compile))
                .collect()
        };
        for (job, result) in jobs.iter().zip(results) {
            match result {
                Some(Ok(entries)) => {
                    if let Some(def) = lists[job.list as usize].get_mut(job.index) {
                        def.compiled = entries;
                    }
                }
                Some(Err(errors)) => {
                    let cx = Ctx { file: job.file };
                    for (k, msg) in errors {
                        let at = k.and_then(|k| job.offsets.get(k)).copied();
                        self.error(&cx, at.unwrap_or(job.at), Some(&job.rule), msg);
                    }
                }
                None => {}
            }
        }
    }

    fn examples(
        &mut self,
        cx: &Ctx,
        rule: &RuleId,
        target: Target,
        must: &Spanned<Vec<Text>>,
        must_not: &Spanned<Vec<Text>>,
    ) {
        for (list, name) in [(must, "must_match"), (must_not, "must_not_match")] {
            if list.get_ref().is_empty() {
                let msg = format!("`{name}` is empty: every rule needs examples both ways");
                self.error(cx, list.span().start, Some(rule.as_str()), msg);
            }
        }
        if must.get_ref().len() + must_not.get_ref().len() > limits::MAX_EXAMPLES {
            let msg = format!("more than {} examples", limits::MAX_EXAMPLES);
            self.error(cx, must.span().start, Some(rule.as_str()), msg);
        }
        for (list, must_match) in [(must, true), (must_not, false)] {
            for ex in list.get_ref() {
                let (line, col) = self.place(cx, ex.span().start);
                self.examples.push(Example {
                    rule: rule.clone(),
                    target,
                    must_match,
                    text: ex.get_ref().clone(),
                    file: cx.file.display.clone(),
                    line,
                    col,
                });
            }
        }
    }
}

/// A principle waiting for its theme references to be resolved.
struct PendingPrinciple<'a> {
    cx_file: &'a RuleFile,
    refs: Vec<Text>,
}

/// A file that does not parse: where, in which rule, and what the parser says.
struct ParseError {
    offset: usize,
    rule: Option<String>,
    message: String,
}

fn parse_toml<T: DeserializeOwned>(text: &str) -> Result<T, ParseError> {
    toml::from_str::<T>(text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        ParseError {
            offset,
            rule: enclosing_rule_id(text, offset),
            message: e.message().trim().to_string(),
        }
    })
}

/// The principle model read from its file, with where its framework is named; or what is
/// wrong with it, as (offset, rule, message).
type ModelRead = Result<(PrincipleModel, usize), Vec<ParseError>>;

fn read_principle_model(text: &str) -> ModelRead {
    // The rows read by hand when they have the trainer's shape; the header (and any file of
    // another shape, or whose header holds weights too) by the TOML parser.
    let by_hand = principlemodel::split_weights(text).and_then(|(head, weights)| {
        parse_toml::<PrincipleModelFile>(head)
            .ok()
            .filter(|file| file.weights.is_empty())
            .map(|mut file| {
                file.weights = weights;
                file
            })
    });
    let parsed = match by_hand {
        Some(file) => file,
        None => parse_toml::<PrincipleModelFile>(text).map_err(|e| vec![e])?,
    };
    let at = parsed.model.framework.span().start;
    PrincipleModel::from_file(parsed)
        .map(|m| (m, at))
        .map_err(|errors| {
            errors
                .into_iter()
                .map(|(offset, message)| ParseError {
                    offset,
                    rule: None,
                    message,
                })
                .collect()
        })
}

/// Load and validate a rule set.
pub fn load(source: &RuleSource) -> Result<RuleSet, LoadError> {
    let mut ld = Loader {
        errors: Vec::new(),
        compiles: Vec::new(),
        ids: HashMap::new(),
        examples: Vec::new(),
        lines: HashMap::new(),
    };
    let mut cues = Vec::new();
    let mut cue_defs = Vec::new();
    let mut themes = Vec::new();
    let mut theme_defs = Vec::new();
    let mut measures = Vec::new();
    let mut measure_defs = Vec::new();
    let mut frameworks: Vec<Framework> = Vec::new();
    let mut pending: Vec<Vec<PendingPrinciple>> = Vec::new();
    let mut own_defs: Vec<MatcherDef> = Vec::new();
    let mut defaults: Vec<(usize, &RuleFile, usize)> = Vec::new();
    // When a themes file does not parse, its themes are unknown: references to them are not
    // reported again as unknown themes.
    let mut themes_unreadable = false;
    let mut kind_model = None;
    let mut principle_model: Option<(PrincipleModel, &RuleFile, usize)> = None;
    let mut model_file: Option<&RuleFile> = None;

    // Themes first, so that frameworks can refer to them whatever the file order.
    let mut files: Vec<&RuleFile> = source.files.iter().collect();
    files.sort_by_key(|f| (f.role != FileRole::Themes, f.name.clone()));
    // The principle model is the largest file by far (a row of weights per feature, most of
    // the parsing time): it is read on a thread of its own while the other files are parsed.
    let mut model_reader = files
        .iter()
        .find(|f| f.role == FileRole::PrincipleModel)
        .and_then(|f| {
            let text = f.text.clone();
            std::thread::Builder::new()
                .name("principle-model".into())
                .spawn(move || read_principle_model(&text))
                .ok()
        });

    for &file in &files {
        let cx = Ctx { file };
        match file.role {
            FileRole::Model => {
                let Some(parsed) = ld.parse::<ModelFile>(&cx) else {
                    continue;
                };
                match KindModel::from_file(parsed) {
                    Ok(m) => kind_model = Some(m),
                    Err(errors) => {
                        for (offset, message) in errors {
                            ld.error(&cx, offset, None, message);
                        }
                    }
                }
            }
            // Read on its own thread (above); taken after the patterns are compiled.
            FileRole::PrincipleModel => model_file = Some(file),
            FileRole::Cues => {
                let Some(parsed) = ld.parse::<CueFile>(&cx) else {
                    continue;
                };
                for rule in parsed.cue {
                    let id = ld.rule_id(&cx, &rule.id);
                    let at = rule.id.span().start;
                    cue_defs.push(ld.matcher(
                        &cx,
                        (List::Cues, cue_defs.len()),
                        id.as_str(),
                        at,
                        fields!(rule),
                    ));
                    ld.examples(
                        &cx,
                        &id,
                        Target::Cue(cues.len()),
                        &rule.must_match,
                        &rule.must_not_match,
                    );
                    let keeps_principles = *rule.keeps_principles.get_ref();
                    if keeps_principles
                        && !matches!(rule.signal, Signal::Furniture | Signal::NonStatement)
                    {
                        ld.error(
                            &cx,
                            rule.keeps_principles.span().start,
                            Some(id.as_str()),
                            "keeps_principles is for cues whose signal is furniture or non_statement",
                        );
                    }
                    cues.push(Cue {
                        id,
                        signal: rule.signal,
                        keeps_principles,
                    });
                }
            }
            FileRole::Themes => {
                let Some(parsed) = ld.parse::<ThemeFile>(&cx) else {
                    themes_unreadable = true;
                    continue;
                };
                for rule in parsed.theme {
                    let id = ld.rule_id(&cx, &rule.id);
                    let at = rule.id.span().start;
                    let weight = *rule.weight.get_ref();
                    if !(1..=10).contains(&weight) {
                        ld.error(
                            &cx,
                            rule.weight.span().start,
                            Some(id.as_str()),
                            "weight must be 1 to 10",
                        );
                    }
                    theme_defs.push(ld.matcher(
                        &cx,
                        (List::Themes, theme_defs.len()),
                        id.as_str(),
                        at,
                        fields!(rule),
                    ));
                    ld.examples(
                        &cx,
                        &id,
                        Target::Theme(themes.len()),
                        &rule.must_match,
                        &rule.must_not_match,
                    );
                    themes.push(Theme {
                        id: ThemeId(id.0),
                        name: rule.name,
                        weight,
                    });
                }
            }
            FileRole::Measures => {
                let Some(parsed) = ld.parse::<MeasureFile>(&cx) else {
                    continue;
                };
                for rule in parsed.measure {
                    let id = ld.rule_id(&cx, &rule.id);
                    let at = rule.id.span().start;
                    measure_defs.push(ld.matcher(
                        &cx,
                        (List::Measures, measure_defs.len()),
                        id.as_str(),
                        at,
                        fields!(rule),
                    ));
                    ld.examples(
                        &cx,
                        &id,
                        Target::Measure(measures.len()),
                        &rule.must_match,
                        &rule.must_not_match,
                    );
                    measures.push(MeasureDef {
                        id,
                        kind: rule.kind,
                        value: rule.value,
                    });
                }
            }
            FileRole::Framework => {
                let Some(parsed) = ld.parse::<FrameworkFile>(&cx) else {
                    continue;
                };
                let fw_index = frameworks.len();
                let fw_id = ld.rule_id(&cx, &parsed.framework.id);
                if *parsed.framework.default.get_ref() {
                    defaults.push((fw_index, file, parsed.framework.default.span().start));
                }
                let mut principles = Vec::new();
                let mut refs = Vec::new();
                let mut seen: HashMap<String, ()> = HashMap::new();
                for rule in parsed.principle {
                    let pid = rule.id.get_ref().clone();
                    let at = rule.id.span().start;
                    if seen.insert(pid.clone(), ()).is_some() {
                        ld.error(
                            &cx,
                            at,
                            Some(&pid),
                            "duplicate principle id in this framework",
                        );
                    }
                    let rule_id_text = Spanned::new(rule.id.span(), format!("{}.{}", fw_id, pid));
                    let rule_id = ld.rule_id(&cx, &rule_id_text);
                    let weight = *rule.weight.get_ref();
                    if !(1..=10).contains(&weight) {
                        ld.error(
                            &cx,
                            rule.weight.span().start,
                            Some(rule_id.as_str()),
                            "weight must be 1 to 10",
                        );
                    }
                    let own = if rule.patterns.is_empty() && rule.terms.is_empty() {
                        if rule.themes.is_empty() {
                            ld.error(
                                &cx,
                                at,
                                Some(rule_id.as_str()),
                                "a principle needs `themes`, `patterns` or `terms`",
                            );
                        }
                        None
                    } else {
                        own_defs.push(ld.matcher(
                            &cx,
                            (List::Own, own_defs.len()),
                            rule_id.as_str(),
                            at,
                            fields!(rule),
                        ));
                        Some(own_defs.len() - 1)
                    };
                    let target = Target::Principle {
                        framework: fw_index,
                        principle: principles.len(),
                    };
                    ld.examples(
                        &cx,
                        &rule_id,
                        target,
                        &rule.must_match,
                        &rule.must_not_match,
                    );
                    principles.push(Principle {
                        id: PrincipleId(pid),
                        rule: rule_id,
                        name: rule.name,
                        themes: Vec::new(),
                        own,
                        weight,
                    });
                    refs.push(PendingPrinciple {
                        cx_file: file,
                        refs: rule.themes,
                    });
                }
                frameworks.push(Framework {
                    id: FrameworkId(fw_id.0),
                    name: parsed.framework.name,
                    principles,
                });
                pending.push(refs);
            }
        }
    }

    // Resolve theme references.
    let theme_index: HashMap<&str, usize> = themes
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let mut resolved = Vec::new();
    for (fi, refs) in pending.iter().enumerate() {
        for (pi, p) in refs.iter().enumerate() {
            let cx = Ctx { file: p.cx_file };
            let rule = frameworks
                .get(fi)
                .and_then(|f| f.principles.get(pi))
                .map(|p| p.rule.0.clone());
            for r in &p.refs {
                match theme_index.get(r.get_ref().as_str()) {
                    Some(&ti) => resolved.push((fi, pi, ti)),
                    None if themes_unreadable => {}
                    None => {
                        let msg = format!("unknown theme `{}`", r.get_ref());
                        ld.error(&cx, r.span().start, rule.as_deref(), msg);
                    }
                }
            }
        }
    }
    for (fi, pi, ti) in resolved {
        if let Some(p) = frameworks
            .get_mut(fi)
            .and_then(|f| f.principles.get_mut(pi))
        {
            if !p.themes.contains(&ti) {
                p.themes.push(ti);
            }
        }
    }

    let default_framework = match defaults.as_slice() {
        [(i, _, _)] => *i,
        [] if frameworks.len() == 1 => 0,
        [] => {
            if let Some(f) = source.files.iter().find(|f| f.role == FileRole::Framework) {
                ld.error(
                    &Ctx { file: f },
                    0,
                    None,
                    "no framework is marked `default = true`",
                );
            }
            0
        }
        [_, rest @ ..] => {
            for (_, file, at) in rest {
                ld.error(
                    &Ctx { file },
                    *at,
                    None,
                    "more than one framework is marked `default = true`",
                );
            }
            0
        }
    };

    ld.compile([
        &mut cue_defs,
        &mut theme_defs,
        &mut measure_defs,
        &mut own_defs,
    ]);
    if let Some(file) = model_file {
        let read = match model_reader.take() {
            Some(reader) => reader
                .join()
                .unwrap_or_else(|_| read_principle_model(&file.text)),
            None => read_principle_model(&file.text),
        };
        match read {
            Ok((m, at)) => principle_model = Some((m, file, at)),
            Err(errors) => {
                for e in errors {
                    ld.error(&Ctx { file }, e.offset, e.rule.as_deref(), e.message);
                }
            }
        }
    }
    // The principle model names a framework and its principles: both must exist.
    if let Some((m, file, at)) = &principle_model {
        let cx = Ctx { file };
        match frameworks.iter().find(|f| f.id.as_str() == m.framework) {
            None => ld.error(
                &cx,
                *at,
                None,
                format!(
                    "the principle model's framework `{}` is not in the rule set",
                    m.framework
                ),
            ),
            Some(fw) => {
                for p in &m.principles {
                    if !fw.principles.iter().any(|q| q.id.as_str() == p) {
                        ld.error(
                            &cx,
                            *at,
                            None,
                            format!(
                                "the principle model names {p}, which framework `{}` does not have",
                                m.framework
                            ),
                        );
                    }
                }
            }
        }
    }
    if !ld.errors.is_empty() {
        // Patterns are compiled last: report every error in file order, line by line.
        let order = |e: &RuleError| files.iter().position(|f| f.display == e.file);
        ld.errors.sort_by_key(|a| (order(a), a.line, a.col));
        return Err(LoadError::Invalid(ld.errors));
    }

    // Principles' own matchers follow the themes in the theme layer.
    let offset = theme_defs.len();
    for fw in &mut frameworks {
        for p in &mut fw.principles {
            p.own = p.own.map(|i| i + offset);
        }
    }
    theme_defs.extend(own_defs);
    let layer = |defs: Vec<MatcherDef>, what: &str| {
        Layer::from_defs(defs).map_err(|message| LoadError::Layout {
            path: what.into(),
            message,
        })
    };
    // Each layer's set is one compile of all its patterns: the three run in parallel.
    let ((cue_layer, theme_layer), measure_layer) = rayon::join(
        || rayon::join(|| layer(cue_defs, "cues"), || layer(theme_defs, "themes")),
        || layer(measure_defs, "measures"),
    );
    Ok(RuleSet {
        version: source.version(),
        source: source.clone(),
        cue_layer: cue_layer?,
        cues,
        theme_layer: theme_layer?,
        themes,
        frameworks,
        default_framework,
        measure_layer: measure_layer?,
        measures,
        examples: ld.examples,
        kind_model,
        principle_model: principle_model.map(|(m, _, _)| m),
    })
}

/// The `id` of the `[[table]]` that contains `offset`, for parse errors that serde reports
/// without knowing which rule they are in.
fn enclosing_rule_id(text: &str, offset: usize) -> Option<String> {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let header = text[..end]
        .rfind("\n[[")
        .map(|i| i + 1)
        .or_else(|| text.starts_with("[[").then_some(0))?;
    let region = &text[header..];
    let region = match region[2..].find("\n[") {
        Some(i) => &region[..i + 2],
        None => region,
    };
    region.lines().find_map(|line| {
        let rest = line
            .trim_start()
            .strip_prefix("id")?
            .trim_start()
            .strip_prefix('=')?;
        let rest = rest.trim();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let inner = rest.get(1..)?;
        inner
            .find(quote)
            .and_then(|i| inner.get(..i))
            .map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enclosing_rule_id_finds_the_table() {
        let text = "[[theme]]\nid = \"a\"\nname = \"A\"\n\n[[theme]]\nid = 'b'\nbogus = 1\n";
        let at = text.find("bogus").unwrap();
        assert_eq!(enclosing_rule_id(text, at).as_deref(), Some("b"));
        assert_eq!(enclosing_rule_id(text, 12).as_deref(), Some("a"));
        assert_eq!(enclosing_rule_id("x = 1", 2), None);
    }
}
