//! How numbers, totals and anchors are written in every format: thousands separators, pounds,
//! units, and anchor names that are safe in HTML whatever the index holds.

use super::model::{Category, Total};

/// `12`, `1,250`, `2.5`, `35,000.75`: integers without decimals, others with up to two.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return "?".into();
    }
    let rounded = (v * 100.0).round() / 100.0;
    let int = rounded.trunc();
    let frac = ((rounded - int).abs() * 100.0).round() as u64;
    let mut digits = format!("{}", int.abs() as u64);
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(",{tail}{grouped}");
    }
    let mut out = format!("{}{digits}{grouped}", if rounded < 0.0 { "-" } else { "" });
    if frac > 0 {
        let f = format!("{frac:02}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
    out
}

/// A total with its unit: `£35,000`, `£5,000 a year`, `8 apprentices`, `2.5 FTE`.
pub fn total(t: &Total) -> String {
    let n = number(t.value);
    match t.unit.as_str() {
        "GBP" => format!("£{n}"),
        "GBP/year" => format!("£{n} a year"),
        "FTE" => format!("{n} FTE"),
        "tCO2e" => format!("{n} tCO2e"),
        unit => format!("{n} {unit}"),
    }
}

/// The totals of one category joined: `£35,000 + £5,000 a year`; empty when none.
pub fn totals_of(totals: &[Total], cat: Category) -> Vec<&Total> {
    totals.iter().filter(|t| t.category == cat).collect()
}

/// An anchor name from any text: letters, digits and `-` only.
pub fn anchor(prefix: &str, text: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + text.len() + 1);
    out.push_str(prefix);
    out.push('-');
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push('-');
        }
    }
    out
}

/// The anchor of a finding.
pub fn finding_anchor(key: &str) -> String {
    anchor("p", key)
}

/// The anchor of a supplier (by its position in the report, so any name is safe).
pub fn supplier_anchor(index: usize) -> String {
    format!("s{index}")
}

/// The anchor of a supplier's cell for a principle.
pub fn cell_anchor(supplier: usize, principle: &str) -> String {
    anchor(&format!("s{supplier}"), principle)
}

/// The anchor of a supplier's total of a category.
pub fn total_anchor(supplier: usize, cat: Category) -> String {
    format!("s{supplier}-t-{}", cat.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_evaluators_write_them() {
        assert_eq!(number(0.0), "0");
        assert_eq!(number(12.0), "12");
        assert_eq!(number(1250.0), "1,250");
        assert_eq!(number(1_200_000.0), "1,200,000");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(35000.75), "35,000.75");
        assert_eq!(number(f64::NAN), "?");
    }

    #[test]
    fn anchors_hold_no_markup() {
        assert_eq!(anchor("p", "ab:12~2"), "p-ab-12-2");
        assert_eq!(anchor("p", "\"><script>"), "p----script-");
    }
}
