//! Advance widths of the standard fonts for files that use them without a `/Widths` array.
//!
//! Old generators name Helvetica, Times or Courier and leave the metrics to the reader. The
//! widths below (1/1000 em, printable ASCII 32..=126) are those of the fonts' published AFM
//! files; bold and oblique variants reuse the regular widths, which is close enough to tell a
//! gap between words from the advance of a letter.

const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

const TIMES: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
    556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
    722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
    278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

/// Width in 1/1000 em of `c` in the standard font that `base_font` names, if it is one.
pub fn standard_width(base_font: &str, c: char) -> Option<f32> {
    let name = base_font.to_ascii_lowercase();
    let table = if name.contains("courier") || name.contains("mono") {
        return Some(600.0);
    } else if name.contains("times") || name.contains("roman") || name.contains("serif") {
        &TIMES
    } else if name.contains("helvetica") || name.contains("arial") {
        &HELVETICA
    } else {
        return None;
    };
    let i = (c as u32).checked_sub(32)? as usize;
    Some(match table.get(i) {
        Some(w) => *w as f32,
        // Outside ASCII: an average letter.
        None => 556.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_widths() {
        assert_eq!(standard_width("Helvetica", 'm'), Some(833.0));
        assert_eq!(standard_width("Times-Roman", ' '), Some(250.0));
        assert_eq!(standard_width("Courier-Bold", 'i'), Some(600.0));
        assert_eq!(standard_width("Frutiger", 'a'), None);
    }
}
