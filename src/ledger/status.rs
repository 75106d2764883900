//! How a commitment's target reads, what is expected of it so far, and its status.
//!
//! A target is one of four shapes ([`Shape`]): a total by a date ("8 starts by March 2029"), a
//! quantity per contract year ("300 hours a year"), a rate or standard held throughout ("95%
//! of invoices within 21 days") or a one-off milestone ("1 pilot by June 2028"). What is
//! expected so far ([`expected`]) counts whole months, both ends counted:
//!
//! * a total by a date: the target times the months run since the start (the commitment's
//!   own, "from September 2027", else the contract's) over the months from the start to the
//!   due date; all of it once the due month is reached;
//! * per contract year: the year's target times the months run over 12 (within the first
//!   year, the months run this year);
//! * a rate: the target itself, always;
//! * a milestone: nothing before its due month, all of it from then.
//!
//! The status ([`decide`]) then follows the order: `not_measurable` without a
//! quantity to count; `no_evidence` when no return gives a figure (silence is not zero); for
//! a rate `on_track` if the level reached meets it, else `behind` (never `met`); `met` when
//! the cumulative figure reaches the target (the first year's, for a per-year target);
//! `overdue` when the due month has passed unmet; else `on_track` at or above the expected
//! figure, `behind` below it. A total with no date can only be `met` or `on_track` (nothing
//! says how much is due when), and the row says so.

use serde::{Deserialize, Serialize};

use crate::classify::MeasureKind;
use crate::period::Month;

/// The status of one commitment in the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    OnTrack,
    Behind,
    Overdue,
    NoEvidence,
    NotMeasurable,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Met,
        Status::OnTrack,
        Status::Behind,
        Status::Overdue,
        Status::NoEvidence,
        Status::NotMeasurable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on_track",
            Status::Behind => "behind",
            Status::Overdue => "overdue",
            Status::NoEvidence => "no_evidence",
            Status::NotMeasurable => "not_measurable",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The shape of a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Shape {
    /// A total by a due month; `None` when the commitment names no date.
    Total { due: Option<Month> },
    /// A quantity in each contract year.
    PerYear,
    /// A rate or standard held throughout.
    Rate,
    /// A one-off milestone due in a month.
    Milestone { due: Month },
}

/// What a commitment promises: a quantity, its shape and when it starts counting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub kind: MeasureKind,
    pub value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The words of the commitment that state it ("8", "120 hours", "95%").
    pub text: String,
    #[serde(flatten)]
    pub shape: Shape,
    /// The commitment's own start ("from September 2027"), if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Month>,
}

/// What the returns say of a commitment so far.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// Delivered over the contract to date.
    pub cumulative: f64,
    /// The latest period's figure: the level reached, for a rate.
    pub latest: f64,
}

/// The status with the figure it was judged against.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Judgement {
    pub status: Status,
    /// What was expected by the as-of month (`None`: nothing says).
    pub expected: Option<f64>,
}

/// What is expected of `target` by the end of `as_of`, for a contract that started in
/// `contract_start` (see the module docs); `None` for a total without a date.
pub fn expected(target: &Target, contract_start: Month, as_of: Month) -> Option<f64> {
    let start = target
        .start
        .filter(|s| *s > contract_start)
        .unwrap_or(contract_start);
    let run = start.months_through(as_of) as f64;
    match target.shape {
        Shape::Rate => Some(target.value),
        Shape::Milestone { due } => Some(if as_of >= due { target.value } else { 0.0 }),
        Shape::Total { due: None } => None,
        Shape::Total { due: Some(due) } => {
            if as_of >= due {
                return Some(target.value);
            }
            let total = start.months_through(due) as f64;
            Some(if total > 0.0 {
                target.value * run / total
            } else {
                target.value
            })
        }
        Shape::PerYear => Some(target.value * run / 12.0),
    }
}

/// The status of a commitment (see the module docs): `target` is `None` when the commitment
/// has no quantity, `progress` is `None` when no return gives a figure for it.
pub fn decide(
    target: Option<&Target>,
    progress: Option<Progress>,
    contract_start: Month,
    as_of: Month,
) -> Judgement {
    let Some(target) = target else {
        return Judgement {
            status: Status::NotMeasurable,
            expected: None,
        };
    };
    let expected = expected(target, contract_start, as_of);
    let status = match progress {
        None => Status::NoEvidence,
        Some(p) if target.shape == Shape::Rate => {
            if p.latest >= target.value {
                Status::OnTrack
            } else {
                Status::Behind
            }
        }
        Some(p) if p.cumulative >= target.value => Status::Met,
        Some(p) => {
            let due = match target.shape {
                Shape::Total { due } => due,
                Shape::Milestone { due } => Some(due),
                Shape::PerYear | Shape::Rate => None,
            };
            if due.is_some_and(|d| as_of > d) {
                Status::Overdue
            } else {
                match expected {
                    Some(e) if p.cumulative < e => Status::Behind,
                    _ => Status::OnTrack,
                }
            }
        }
    };
    Judgement { status, expected }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, mo: u8) -> Month {
        Month::new(y, mo).unwrap()
    }

    fn target(value: f64, shape: Shape) -> Target {
        Target {
            kind: MeasureKind::Count,
            value,
            unit: None,
            text: value.to_string(),
            shape,
            start: None,
        }
    }

    fn p(cumulative: f64, latest: f64) -> Option<Progress> {
        Some(Progress { cumulative, latest })
    }

    const START: (i32, u8) = (2027, 1);

    fn judge(t: &Target, progress: Option<Progress>, as_of: Month) -> Judgement {
        decide(Some(t), progress, m(START.0, START.1), as_of)
    }

    #[test]
    fn a_total_by_a_date_is_expected_pro_rata_by_whole_months_both_ends_counted() {
        // January 2027 to March 2029 is 27 months; by June 2027, 6 have run.
        let t = target(
            27.0,
            Shape::Total {
                due: Some(m(2029, 3)),
            },
        );
        assert_eq!(expected(&t, m(2027, 1), m(2027, 6)), Some(6.0));
        // The first month counts as run.
        assert_eq!(expected(&t, m(2027, 1), m(2027, 1)), Some(1.0));
        // All of it in the due month and after.
        assert_eq!(expected(&t, m(2027, 1), m(2029, 3)), Some(27.0));
        assert_eq!(expected(&t, m(2027, 1), m(2030, 1)), Some(27.0));
        assert_eq!(judge(&t, p(6.0, 1.0), m(2027, 6)).status, Status::OnTrack);
        assert_eq!(judge(&t, p(5.0, 1.0), m(2027, 6)).status, Status::Behind);
        assert_eq!(judge(&t, p(27.0, 1.0), m(2027, 6)).status, Status::Met);
        // The due month itself is still in time; after it, unmet is overdue.
        assert_eq!(judge(&t, p(20.0, 1.0), m(2029, 3)).status, Status::Behind);
        assert_eq!(judge(&t, p(20.0, 1.0), m(2029, 4)).status, Status::Overdue);
        assert_eq!(judge(&t, p(27.0, 1.0), m(2029, 4)).status, Status::Met);
    }

    #[test]
    fn a_commitment_that_starts_later_expects_nothing_before_its_start() {
        let mut t = target(
            10.0,
            Shape::Total {
                due: Some(m(2028, 8)),
            },
        );
        t.start = Some(m(2027, 9));
        // September 2027 to August 2028 is 12 months; by June 2027 none has run.
        assert_eq!(expected(&t, m(2027, 1), m(2027, 6)), Some(0.0));
        assert_eq!(expected(&t, m(2027, 1), m(2027, 11)), Some(2.5));
        assert_eq!(judge(&t, p(0.0, 0.0), m(2027, 6)).status, Status::OnTrack);
    }

    #[test]
    fn a_quantity_per_year_is_the_years_target_times_months_run_over_twelve() {
        let t = target(120.0, Shape::PerYear);
        assert_eq!(expected(&t, m(2027, 1), m(2027, 6)), Some(60.0));
        assert_eq!(expected(&t, m(2027, 1), m(2027, 3)), Some(30.0));
        assert_eq!(judge(&t, p(68.0, 30.0), m(2027, 6)).status, Status::OnTrack);
        assert_eq!(judge(&t, p(59.0, 30.0), m(2027, 6)).status, Status::Behind);
        // Met when the cumulative figure reaches the first year's target.
        assert_eq!(judge(&t, p(120.0, 30.0), m(2027, 9)).status, Status::Met);
        // A per-year target is never overdue.
        assert_eq!(judge(&t, p(10.0, 3.0), m(2029, 9)).status, Status::Behind);
    }

    #[test]
    fn a_rate_is_judged_on_the_level_reached_and_is_never_met() {
        let mut t = target(95.0, Shape::Rate);
        t.kind = MeasureKind::Percent;
        assert_eq!(expected(&t, m(2027, 1), m(2027, 1)), Some(95.0));
        assert_eq!(judge(&t, p(97.0, 97.0), m(2027, 6)).status, Status::OnTrack);
        assert_eq!(judge(&t, p(99.0, 95.0), m(2027, 6)).status, Status::OnTrack);
        // The latest level counts, not an earlier better one.
        assert_eq!(judge(&t, p(99.0, 88.0), m(2027, 6)).status, Status::Behind);
        assert_eq!(
            judge(&t, p(100.0, 100.0), m(2031, 6)).status,
            Status::OnTrack
        );
    }

    #[test]
    fn a_milestone_expects_nothing_before_its_date() {
        let t = target(1.0, Shape::Milestone { due: m(2028, 6) });
        assert_eq!(expected(&t, m(2027, 1), m(2028, 5)), Some(0.0));
        assert_eq!(expected(&t, m(2027, 1), m(2028, 6)), Some(1.0));
        assert_eq!(judge(&t, p(0.0, 0.0), m(2027, 6)).status, Status::OnTrack);
        assert_eq!(judge(&t, p(1.0, 1.0), m(2027, 6)).status, Status::Met);
        assert_eq!(judge(&t, p(0.0, 0.0), m(2028, 7)).status, Status::Overdue);
    }

    #[test]
    fn silence_is_no_evidence_and_no_quantity_is_not_measurable() {
        let t = target(
            8.0,
            Shape::Total {
                due: Some(m(2029, 3)),
            },
        );
        assert_eq!(judge(&t, None, m(2030, 6)).status, Status::NoEvidence);
        let rate = target(95.0, Shape::Rate);
        assert_eq!(judge(&rate, None, m(2027, 6)).status, Status::NoEvidence);
        assert_eq!(
            decide(None, p(3.0, 3.0), m(2027, 1), m(2027, 6)).status,
            Status::NotMeasurable
        );
    }

    #[test]
    fn a_total_without_a_date_is_met_or_on_track() {
        let t = target(12.0, Shape::Total { due: None });
        let j = judge(&t, p(2.0, 1.0), m(2027, 6));
        assert_eq!((j.status, j.expected), (Status::OnTrack, None));
        assert_eq!(judge(&t, p(12.0, 1.0), m(2027, 6)).status, Status::Met);
    }
}
