//! The specificity score: one point for each part of a SMART statement that is present, so
//! that evaluators can sort vague statements from specific ones and see why.

use super::model::{Measure, MeasureKind, ScoreReason, Specificity};

/// Score a passage from its measures and whether the specificity cues fired.
pub fn specificity(measures: &[Measure], contract_specific: bool, local: bool) -> Specificity {
    let mut reasons = Vec::new();
    if measures.iter().any(|m| m.kind.is_quantity()) {
        reasons.push(ScoreReason::Measurable);
    }
    if measures.iter().any(|m| m.kind.is_time()) {
        reasons.push(ScoreReason::TimeBound);
    }
    if local || measures.iter().any(|m| m.kind == MeasureKind::Place) {
        reasons.push(ScoreReason::Local);
    }
    if measures.iter().any(|m| m.kind == MeasureKind::Group) {
        reasons.push(ScoreReason::NamedBeneficiaries);
    }
    if contract_specific {
        reasons.push(ScoreReason::ContractSpecific);
    }
    Specificity {
        score: reasons.len() as u8,
        reasons,
    }
}
