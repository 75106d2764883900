//! Reading numbers, multipliers and month names as suppliers write them: `2,000`, `1.2`,
//! `twelve`, `twenty-five`, `a hundred`, `£5k`, `£1.2m`, `March`, `Sept`.

/// A number written in digits (`2,000`, `1.5`) or in words (`twelve`, `twenty-five`,
/// `two hundred`, `a`). `None` when it is neither.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        let digits: String = s.chars().filter(|c| *c != ',').collect();
        return digits.parse::<f64>().ok().filter(|v| v.is_finite());
    }
    parse_words(s)
}

fn small(word: &str) -> Option<u64> {
    Some(match word {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "dozen" => 12,
        _ => return None,
    })
}

fn parse_words(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    // "half a million pounds": the half of what the multiplier after it says.
    let words: Vec<&str> = lower.split_whitespace().collect();
    if matches!(words.as_slice(), ["half", "a" | "an"]) {
        return Some(0.5);
    }
    // "half a dozen": half of what follows ("half" and "a" are skipped below).
    let half = matches!(words.as_slice(), ["half", "a" | "an", _, ..]);
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut any = false;
    for word in lower
        .split(|c: char| c == '-' || c.is_whitespace())
        .filter(|w| !w.is_empty() && *w != "and")
        .skip(if half { 2 } else { 0 })
        .take(8)
    {
        match word {
            "hundred" => current = current.max(1).saturating_mul(100),
            "thousand" => {
                total = total.saturating_add(current.max(1).saturating_mul(1_000));
                current = 0;
            }
            "million" => {
                total = total.saturating_add(current.max(1).saturating_mul(1_000_000));
                current = 0;
            }
            "dozen" => current = current.max(1).saturating_mul(12),
            w => current = current.saturating_add(small(w)?),
        }
        any = true;
    }
    let whole = (total + current) as f64;
    any.then_some(if half { whole / 2.0 } else { whole })
}

/// The factor of a money suffix: `k` 1,000; `m` / `million` 1,000,000; `bn` / `billion`.
pub fn multiplier(s: &str) -> f64 {
    match s.trim().to_ascii_lowercase().as_str() {
        "k" | "thousand" => 1e3,
        "m" | "mn" | "million" => 1e6,
        "bn" | "b" | "billion" => 1e9,
        // Pence, in an amount of money ("87p").
        "p" | "pence" => 0.01,
        _ => 1.0,
    }
}

/// The month number (1..=12) of an English month name or its abbreviation.
pub fn month_number(s: &str) -> Option<u32> {
    let lower = s.trim().trim_end_matches('.').to_ascii_lowercase();
    if let Ok(n) = lower.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let prefix = lower.get(..3)?;
    let n = match prefix {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_digits_and_words() {
        assert_eq!(parse_number("2,000"), Some(2000.0));
        assert_eq!(parse_number("1.2"), Some(1.2));
        assert_eq!(parse_number("twelve"), Some(12.0));
        assert_eq!(parse_number("Twenty-five"), Some(25.0));
        assert_eq!(parse_number("two hundred and fifty"), Some(250.0));
        assert_eq!(parse_number("a"), Some(1.0));
        assert_eq!(parse_number("three thousand"), Some(3000.0));
        assert_eq!(parse_number("Half a"), Some(0.5));
        assert_eq!(parse_number("half a dozen"), Some(6.0));
        assert_eq!(parse_number("a dozen"), Some(12.0));
        // A long run of halves (a council's pattern may capture any text) is no number, and
        // reading it neither recurses nor takes long.
        assert_eq!(parse_number(&"half a ".repeat(100_000)), None);
        assert_eq!(parse_number("half"), None);
        assert_eq!(parse_number("several"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn multipliers_and_months() {
        assert_eq!(multiplier("k"), 1e3);
        assert_eq!(multiplier("p"), 0.01);
        assert_eq!(multiplier("M"), 1e6);
        assert_eq!(multiplier(""), 1.0);
        assert_eq!(month_number("March"), Some(3));
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("Ma"), None);
    }
}
