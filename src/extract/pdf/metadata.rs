//! Document metadata from the trailer's `/Info` dictionary.
//!
//! Text strings are UTF-16BE (with a byte order mark), UTF-8 (PDF 2.0, with a mark) or
//! PDFDocEncoding; dates (`D:YYYYMMDDHHmmSSOHH'mm'`) are normalised to ISO 8601.

use lopdf::{Document, Object};

use super::encoding::pdf_doc;
use crate::document::Metadata;

/// Decode a PDF text string.
pub fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .filter(|c| c.len() == 2)
            .map(|c| (c[0] as u16) << 8 | c[1] as u16)
            .collect();
        return char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes
        .iter()
        .filter_map(|&b| char::from_u32(pdf_doc(b) as u32).filter(|&c| c != '\0'))
        .collect()
}

/// `D:YYYYMMDDHHmmSSOHH'mm'` (any suffix may be missing) → ISO 8601. Unparseable dates are
/// returned as they are written.
pub fn iso_date(raw: &str) -> String {
    let s = raw.trim();
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return raw.trim().to_string();
    }
    let part = |from: usize, len: usize, default: &str| -> String {
        digits
            .get(from..from + len)
            .map(str::to_string)
            .unwrap_or_else(|| default.to_string())
    };
    let (year, month, day) = (part(0, 4, ""), part(4, 2, "01"), part(6, 2, "01"));
    let (hour, minute, second) = (part(8, 2, "00"), part(10, 2, "00"), part(12, 2, "00"));
    let valid = |v: &str, lo: u32, hi: u32| v.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n));
    if !(valid(&month, 1, 12)
        && valid(&day, 1, 31)
        && valid(&hour, 0, 23)
        && valid(&minute, 0, 59)
        && valid(&second, 0, 60))
    {
        return raw.trim().to_string();
    }
    let mut out = format!("{year}-{month}-{day}");
    if digits.len() > 8 {
        out.push_str(&format!("T{hour}:{minute}:{second}"));
        let rest = &s[digits.len()..];
        let mut chars = rest.chars();
        match chars.next() {
            Some('Z') => out.push('Z'),
            Some(sign @ ('+' | '-')) => {
                let tz: String = chars.filter(char::is_ascii_digit).collect();
                let hh = tz.get(0..2).unwrap_or("00");
                let mm = tz.get(2..4).unwrap_or("00");
                out.push_str(&format!("{sign}{hh}:{mm}"));
            }
            _ => {}
        }
    }
    out
}

/// Read `/Info` into [`Metadata`].
pub fn read(doc: &Document) -> Metadata {
    let info = match doc.trailer.get(b"Info") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).ok(),
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    let Some(info) = info else {
        return Metadata::default();
    };
    let field = |key: &[u8]| -> Option<String> {
        let obj = match info.get(key).ok()? {
            Object::Reference(id) => doc.get_object(*id).ok()?,
            o => o,
        };
        match obj {
            Object::String(bytes, _) => {
                let text = text_string(bytes);
                let text = text.trim().to_string();
                (!text.is_empty()).then_some(text)
            }
            _ => None,
        }
    };
    Metadata {
        title: field(b"Title"),
        author: field(b"Author"),
        subject: field(b"Subject"),
        created: field(b"CreationDate").map(|d| iso_date(&d)),
        modified: field(b"ModDate").map(|d| iso_date(&d)),
        producer: field(b"Producer"),
        creator: field(b"Creator"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            iso_date("D:20230115093000+01'00'"),
            "2023-01-15T09:30:00+01:00"
        );
        assert_eq!(iso_date("D:20230115093000Z"), "2023-01-15T09:30:00Z");
        assert_eq!(iso_date("D:2023"), "2023-01-01");
        assert_eq!(iso_date("D:20231301"), "D:20231301");
        assert_eq!(iso_date("yesterday"), "yesterday");
    }

    #[test]
    fn strings() {
        assert_eq!(text_string(b"\xFE\xFF\x00H\x00i"), "Hi");
        assert_eq!(text_string(b"caf\xE9 \x84"), "café \u{2014}");
        assert_eq!(text_string(b"\xEF\xBB\xBFna\xC3\xAFve"), "naïve");
    }
}
