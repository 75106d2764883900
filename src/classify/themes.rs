//! Themes found in a passage, and the principles of a framework they evidence.
//!
//! A theme fires when one of its patterns or terms matches and none of its exclusions does.
//! A principle is evidenced by its themes (as mapped in the framework file) and by its own
//! patterns. Themes and principles are ordered most specific first: by the summed weight of
//! what evidences them, then by where in the text the evidence starts.

use super::ids::RuleId;
use super::load::{Framework, RuleSet};
use super::model::{Evidence, PrincipleHit, ThemeHit};
use super::pattern::{self, Hit};

/// Evidence of each matcher of the theme layer, grouped: `(matcher, evidence)`.
fn group_hits(text: &str, hits: &[Hit]) -> Vec<(usize, Vec<Evidence>)> {
    let mut out: Vec<(usize, Vec<Evidence>)> = Vec::new();
    for h in hits {
        let ev = Evidence {
            start: h.start,
            end: h.end,
            text: text.get(h.start..h.end).unwrap_or("").to_string(),
        };
        match out.last_mut() {
            Some((m, list)) if *m == h.matcher => {
                if !list.iter().any(|e| e.start == ev.start && e.end == ev.end) {
                    list.push(ev);
                }
            }
            _ => out.push((h.matcher, vec![ev])),
        }
    }
    out
}

fn first_start(ev: &[Evidence]) -> usize {
    ev.iter().map(|e| e.start).min().unwrap_or(usize::MAX)
}

/// Themes, then the framework's principles, for one passage.
pub fn map(
    rules: &RuleSet,
    framework: &Framework,
    text: &str,
) -> (Vec<ThemeHit>, Vec<PrincipleHit>) {
    map_lowered(rules, framework, text, &pattern::lowered(text))
}

/// [`map`] with the [`pattern::lowered`] text already made (the classifier lowers a passage
/// once for all its layers).
pub fn map_lowered(
    rules: &RuleSet,
    framework: &Framework,
    text: &str,
    lower: &str,
) -> (Vec<ThemeHit>, Vec<PrincipleHit>) {
    let hits = rules.theme_layer.scan_lowered(text, lower);
    let n_themes = rules.themes.len();
    // The themes' own evidence moves into their hits; the principles' own patterns (matchers
    // after the themes) are looked up below.
    let (theme_groups, grouped): (Vec<_>, Vec<_>) = group_hits(text, &hits)
        .into_iter()
        .partition(|(m, _)| *m < n_themes);
    let mut themes: Vec<(usize, ThemeHit)> = theme_groups
        .into_iter()
        .filter_map(|(m, evidence)| {
            rules.themes.get(m).map(|t| {
                (
                    m,
                    ThemeHit {
                        id: t.id.clone(),
                        weight: t.weight,
                        evidence,
                    },
                )
            })
        })
        .collect();
    let mut principles: Vec<(usize, PrincipleHit)> = Vec::new();
    for (pi, p) in framework.principles.iter().enumerate() {
        // Most principles have no evidence in a passage: look before building a hit.
        let own = p
            .own
            .and_then(|own| grouped.iter().find(|(m, _)| *m == own))
            .map(|(_, ev)| ev);
        let mine = |ti: &usize| p.themes.contains(ti);
        if own.is_none() && !themes.iter().any(|(ti, _)| mine(ti)) {
            continue;
        }
        let mut hit = PrincipleHit {
            id: p.id.clone(),
            weight: 0,
            themes: Vec::new(),
            rules: Vec::new(),
            evidence: Vec::new(),
            features: Vec::new(),
        };
        for (_, th) in themes.iter().filter(|(ti, _)| mine(ti)) {
            hit.weight += th.weight;
            hit.themes.push(th.id.clone());
            hit.rules.push(RuleId(th.id.0.clone()));
            hit.evidence.extend(th.evidence.iter().cloned());
        }
        if let Some(ev) = own {
            hit.weight += p.weight;
            hit.rules.push(p.rule.clone());
            hit.evidence.extend(ev.iter().cloned());
        }
        if hit.weight > 0 {
            hit.evidence.sort_by_key(|e| (e.start, e.end));
            hit.evidence.dedup();
            principles.push((pi, hit));
        }
    }
    themes.sort_by(|(ai, a), (bi, b)| {
        b.weight
            .cmp(&a.weight)
            .then(first_start(&a.evidence).cmp(&first_start(&b.evidence)))
            .then(ai.cmp(bi))
    });
    principles.sort_by(|(ai, a), (bi, b)| {
        b.weight
            .cmp(&a.weight)
            .then(first_start(&a.evidence).cmp(&first_start(&b.evidence)))
            .then(ai.cmp(bi))
    });
    (
        themes.into_iter().map(|(_, t)| t).collect(),
        principles.into_iter().map(|(_, p)| p).collect(),
    )
}
