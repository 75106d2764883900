//! The stage a submission belongs to and the reporting period of a monitoring return.
//!
//! A tender batch is read at the `tender` stage: what suppliers promised. After award, each
//! supplier sends monitoring returns, read at the `delivery` stage with the period they report
//! on (`--period 2027-Q2`). Periods are whole calendar months: a month (`2027-05`), a calendar
//! quarter (`2027-Q2` is April to June 2027), a calendar year (`2027`) or a UK financial year
//! (`FY2027-28`, also written `FY2027/28` or `2027/28`: April 2027 to March 2028).
//!
//! ```
//! use tenderscope::period::{Month, Period};
//! let p = Period::parse("2027-Q2").unwrap();
//! assert_eq!((p.start, p.end), (Month::new(2027, 4).unwrap(), Month::new(2027, 6).unwrap()));
//! assert_eq!(p.to_string(), "2027-Q2");
//! assert_eq!(Period::parse("fy2027/28").unwrap().to_string(), "FY2027-28");
//! ```

use serde::{Deserialize, Serialize, Serializer};

/// Which part of a contract's life a record comes from.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// A tender submission: what the supplier promised.
    #[default]
    Tender,
    /// A monitoring return after award: what the supplier says it delivered.
    Delivery,
}

impl Stage {
    pub const ALL: [Stage; 2] = [Stage::Tender, Stage::Delivery];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Tender => "tender",
            Stage::Delivery => "delivery",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn is_tender(&self) -> bool {
        *self == Stage::Tender
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
}

/// Years a period or date may name: anything else is a typo.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2200;

impl Month {
    /// The month, if `year` is plausible and `month` is 1 to 12.
    pub fn new(year: i32, month: u8) -> Option<Month> {
        (YEARS.contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// Months since year 0: differences of these are month counts.
    pub fn ordinal(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    pub fn from_ordinal(n: i64) -> Option<Month> {
        let year = i32::try_from(n.div_euclid(12)).ok()?;
        Month::new(year, u8::try_from(n.rem_euclid(12) + 1).ok()?)
    }

    /// Whole months from `self` to `to`, both ends counted (0 when `to` is before `self`).
    pub fn months_through(self, to: Month) -> i64 {
        (to.ordinal() - self.ordinal() + 1).max(0)
    }

    /// `YYYY-MM`, or `YYYY` (as a measure of kind date stores them; a bare year is read as its
    /// last month when it is a deadline).
    pub fn parse_date(s: &str) -> Option<Month> {
        let s = s.trim();
        match s.split_once('-') {
            Some((y, m)) => Month::new(y.parse().ok()?, m.parse().ok()?),
            None => Month::new(s.parse().ok()?, 12),
        }
    }

    /// The month `n` months after this one.
    pub fn plus(self, n: i64) -> Option<Month> {
        Month::from_ordinal(self.ordinal().checked_add(n)?)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A reporting period: whole months from `start` to `end`, and how it was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    /// Sorts by its last month first: a later period is a later report.
    pub end: Month,
    pub start: Month,
    pub shape: Shape,
}

/// How a period is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    Month,
    Quarter,
    Year,
    FinancialYear,
}

/// What `--period` accepts, for messages.
pub const PERIOD_FORMS: &str =
    "a month (2027-05), a quarter (2027-Q2), a year (2027) or a financial year (FY2027-28)";

impl Period {
    /// Read a period as [`PERIOD_FORMS`] says; `None` for anything else.
    pub fn parse(text: &str) -> Option<Period> {
        let s = text.trim().to_ascii_uppercase();
        if let Some(rest) = s.strip_prefix("FY") {
            return Period::financial_year(rest);
        }
        if s.contains('/') {
            return Period::financial_year(&s);
        }
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        match s.split_once('-') {
            None if s.len() == 4 && digits(&s) => {
                let y = s.parse().ok()?;
                Some(Period {
                    start: Month::new(y, 1)?,
                    end: Month::new(y, 12)?,
                    shape: Shape::Year,
                })
            }
            Some((y, q)) if y.len() == 4 && digits(y) => {
                let y: i32 = y.parse().ok()?;
                if let Some(q) = q.strip_prefix('Q') {
                    let q: u8 = match q {
                        "1" | "2" | "3" | "4" => q.parse().ok()?,
                        _ => return None,
                    };
                    let first = (q - 1) * 3 + 1;
                    Some(Period {
                        start: Month::new(y, first)?,
                        end: Month::new(y, first + 2)?,
                        shape: Shape::Quarter,
                    })
                } else if q.len() == 2 && digits(q) {
                    let m = Month::new(y, q.parse().ok()?)?;
                    Some(Period {
                        start: m,
                        end: m,
                        shape: Shape::Month,
                    })
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// `2027-28`, `2027/28`, `2027/2028`, `27/28`: April of the first year to March of the next.
    fn financial_year(s: &str) -> Option<Period> {
        let (a, b) = s.split_once(['-', '/'])?;
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
        if !digits(a) || !digits(b) {
            return None;
        }
        let first: i32 = match a.len() {
            4 => a.parse().ok()?,
            2 => 2000 + a.parse::<i32>().ok()?,
            _ => return None,
        };
        let second: i32 = match b.len() {
            4 => b.parse().ok()?,
            2 => first / 100 * 100 + b.parse::<i32>().ok()?,
            _ => return None,
        };
        if second != first + 1 && !(b.len() == 2 && second + 100 == first + 1) {
            return None;
        }
        Some(Period {
            start: Month::new(first, 4)?,
            end: Month::new(first + 1, 3)?,
            shape: Shape::FinancialYear,
        })
    }

    /// Months in the period.
    pub fn months(&self) -> i64 {
        self.start.months_through(self.end)
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.shape {
            Shape::Month => write!(f, "{}", self.start),
            Shape::Quarter => write!(f, "{}-Q{}", self.start.year, (self.start.month - 1) / 3 + 1),
            Shape::Year => write!(f, "{}", self.start.year),
            Shape::FinancialYear => {
                write!(
                    f,
                    "FY{}-{:02}",
                    self.start.year,
                    self.end.year.rem_euclid(100)
                )
            }
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Period, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Month, D::Error> {
        let s = String::deserialize(d)?;
        (s.len() == 7)
            .then(|| Month::parse_date(&s))
            .flatten()
            .ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not a month (YYYY-MM)")))
    }
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Period, String> {
        Period::parse(s).ok_or_else(|| format!("{s:?} is not a period: use {PERIOD_FORMS}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, mo: u8) -> Month {
        Month::new(y, mo).unwrap()
    }

    #[test]
    fn every_form_of_period_reads_and_prints_back() {
        for (text, start, end, printed) in [
            ("2027-Q2", m(2027, 4), m(2027, 6), "2027-Q2"),
            ("2027-q4", m(2027, 10), m(2027, 12), "2027-Q4"),
            ("2027-05", m(2027, 5), m(2027, 5), "2027-05"),
            ("2027", m(2027, 1), m(2027, 12), "2027"),
            ("FY2027-28", m(2027, 4), m(2028, 3), "FY2027-28"),
            ("fy2027/2028", m(2027, 4), m(2028, 3), "FY2027-28"),
            ("2099/00", m(2099, 4), m(2100, 3), "FY2099-00"),
            (" 2027/28 ", m(2027, 4), m(2028, 3), "FY2027-28"),
        ] {
            let p = Period::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!((p.start, p.end), (start, end), "{text}");
            assert_eq!(p.to_string(), printed, "{text}");
            assert_eq!(Period::parse(printed), Some(p), "{printed}");
        }
    }

    #[test]
    fn bad_periods_are_refused() {
        for text in [
            "",
            "2027-Q5",
            "2027-Q0",
            "2027-13",
            "2027-00",
            "27",
            "Q2 2027",
            "2027-5",
            "FY2027-29",
            "2027/26",
            "FY",
            "99999-01",
            "1066",
            "2027-Q2x",
            "2027-1-1",
        ] {
            assert_eq!(Period::parse(text), None, "{text}");
        }
        let e = "2027-Q5".parse::<Period>().unwrap_err();
        assert!(e.contains("2027-Q5") && e.contains("quarter"), "{e}");
    }

    #[test]
    fn month_arithmetic_counts_both_ends() {
        assert_eq!(m(2027, 1).months_through(m(2027, 1)), 1);
        assert_eq!(m(2027, 1).months_through(m(2027, 6)), 6);
        assert_eq!(m(2027, 11).months_through(m(2028, 2)), 4);
        assert_eq!(m(2027, 6).months_through(m(2027, 1)), 0);
        assert_eq!(m(2027, 11).plus(3), Some(m(2028, 2)));
        assert_eq!(Month::parse_date("2029-03"), Some(m(2029, 3)));
        assert_eq!(Month::parse_date("2029"), Some(m(2029, 12)));
        assert_eq!(Month::parse_date("2029-13"), None);
        assert!(Period::parse("2027-Q1").unwrap() < Period::parse("2027-Q2").unwrap());
        let p: Period = serde_json::from_str("\"FY2027-28\"").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"FY2027-28\"");
        let m: Month = serde_json::from_str("\"2027-06\"").unwrap();
        assert_eq!(m, Month::new(2027, 6).unwrap());
        assert!(serde_json::from_str::<Month>("\"2027\"").is_err());
        assert!(serde_json::from_str::<Period>("\"2027-Q9\"").is_err());
    }
}
