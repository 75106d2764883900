//! `w:sym`: characters from symbol fonts, mapped to Unicode.
//!
//! Word stores a symbol as a font name and a character code, usually in the private-use range
//! `F000`-`F0FF` (the font's own byte code plus `F000`). Private-use code points mean nothing
//! outside that font, so Symbol and Wingdings codes are mapped to the Unicode characters they
//! draw (after the published Unicode mappings of those fonts); codes we cannot map are dropped
//! rather than emitted as garbage.

/// The text a `w:sym` stands for, or `None` when it has no sensible Unicode equivalent.
pub fn map_sym(font: Option<&str>, code: &str) -> Option<char> {
    let value = u32::from_str_radix(code.trim(), 16).ok()?;
    let font = font.unwrap_or("").trim().to_ascii_lowercase();
    let byte = match value {
        0xF020..=0xF0FF => (value - 0xF000) as u8,
        0x20..=0xFF if font == "symbol" || font.starts_with("wingdings") => value as u8,
        _ => {
            // A real Unicode code point in an ordinary font.
            let c = char::from_u32(value)?;
            return (!is_private_use(c) && !c.is_control()).then_some(c);
        }
    };
    match font.as_str() {
        "symbol" => symbol(byte),
        "wingdings" => wingdings(byte),
        "wingdings 2" => wingdings2(byte),
        "wingdings 3" => wingdings3(byte),
        _ => None,
    }
}

fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}')
}

/// The Symbol font's encoding.
fn symbol(b: u8) -> Option<char> {
    const GREEK_UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    const GREEK_LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    Some(match b {
        0x41..=0x5A => GREEK_UPPER.chars().nth(usize::from(b - 0x41))?,
        0x61..=0x7A => GREEK_LOWER.chars().nth(usize::from(b - 0x61))?,
        0x22 => '∀',
        0x24 => '∃',
        0x27 => '∋',
        0x2A => '∗',
        0x2D => '−',
        0x40 => '≅',
        0x5C => '∴',
        0x5E => '⊥',
        0x7E => '∼',
        0x20..=0x7E => char::from(b),
        0xA0 => '€',
        0xA1 => 'ϒ',
        0xA2 => '′',
        0xA3 => '≤',
        0xA4 => '⁄',
        0xA5 => '∞',
        0xA6 => 'ƒ',
        0xA7 => '♣',
        0xA8 => '♦',
        0xA9 => '♥',
        0xAA => '♠',
        0xAB => '↔',
        0xAC => '←',
        0xAD => '↑',
        0xAE => '→',
        0xAF => '↓',
        0xB0 => '°',
        0xB1 => '±',
        0xB2 => '″',
        0xB3 => '≥',
        0xB4 => '×',
        0xB5 => '∝',
        0xB6 => '∂',
        0xB7 => '•',
        0xB8 => '÷',
        0xB9 => '≠',
        0xBA => '≡',
        0xBB => '≈',
        0xBC => '…',
        0xBF => '↵',
        0xC0 => 'ℵ',
        0xC1 => 'ℑ',
        0xC2 => 'ℜ',
        0xC3 => '℘',
        0xC4 => '⊗',
        0xC5 => '⊕',
        0xC6 => '∅',
        0xC7 => '∩',
        0xC8 => '∪',
        0xC9 => '⊃',
        0xCA => '⊇',
        0xCB => '⊄',
        0xCC => '⊂',
        0xCD => '⊆',
        0xCE => '∈',
        0xCF => '∉',
        0xD0 => '∠',
        0xD1 => '∇',
        0xD2 | 0xE2 => '®',
        0xD3 | 0xE3 => '©',
        0xD4 | 0xE4 => '™',
        0xD5 => '∏',
        0xD6 => '√',
        0xD7 => '⋅',
        0xD8 => '¬',
        0xD9 => '∧',
        0xDA => '∨',
        0xDB => '⇔',
        0xDC => '⇐',
        0xDD => '⇑',
        0xDE => '⇒',
        0xDF => '⇓',
        0xE0 => '◊',
        0xE1 => '〈',
        0xE5 => '∑',
        0xF1 => '〉',
        0xF2 => '∫',
        _ => return None,
    })
}

/// Wingdings: the bullets, boxes, ticks and arrows documents actually use.
fn wingdings(b: u8) -> Option<char> {
    Some(match b {
        0x21 => '✏',
        0x22 => '✂',
        0x28 => '☎',
        0x2A => '✉',
        0x36 => '⌛',
        0x37 => '⌨',
        0x3F => '✍',
        0x41 => '✌',
        0x43 => '👍',
        0x44 => '👎',
        0x45 => '☜',
        0x46 => '☞',
        0x4A => '☺',
        0x4B => '😐',
        0x4C => '☹',
        0x4E => '☠',
        0x52 => '☼',
        0x54 => '❄',
        0x58 => '✠',
        0x59 => '✡',
        0x5B => '☯',
        0x6C => '●',
        0x6D => '❍',
        0x6E => '■',
        0x6F => '□',
        0x70 => '◻',
        0x71 => '❑',
        0x72 => '❒',
        0x73 => '⬧',
        0x74 => '⧫',
        0x75 => '◆',
        0x76 => '❖',
        0x77 => '⬥',
        0x78 => '⌧',
        0x9F => '•',
        0xA1 => '○',
        0xA2 => '⭕',
        0xA7 => '▪',
        0xA8 => '◻',
        0xAB => '★',
        0xD5 => '⌫',
        0xD8 => '➢',
        0xDF => '🡐',
        0xE0 => '🡒',
        0xE8 => '➔',
        0xEF => '⇦',
        0xF0 => '⇨',
        0xF1 => '⇧',
        0xF2 => '⇩',
        0xFB => '✗',
        0xFC => '✓',
        0xFD => '☒',
        0xFE => '☑',
        _ => return None,
    })
}

/// Wingdings 2: ticks, crosses and boxes.
fn wingdings2(b: u8) -> Option<char> {
    Some(match b {
        0x4F => '✗',
        0x50 => '✓',
        0x51 => '☒',
        0x52 => '☑',
        0x53 => '☒',
        0x54 => '☒',
        0xA3 => '□',
        0x97 => '●',
        0x98 => '•',
        _ => return None,
    })
}

/// Wingdings 3: arrows.
fn wingdings3(b: u8) -> Option<char> {
    Some(match b {
        0x22 => '⭢',
        0x23 => '⭣',
        0x5B => '⯅',
        0x5C => '⯆',
        0x7D => '▶',
        0x75 => '►',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_and_wingdings_codes_map() {
        assert_eq!(map_sym(Some("Symbol"), "F0B7"), Some('•'));
        assert_eq!(map_sym(Some("Symbol"), "F061"), Some('α'));
        assert_eq!(map_sym(Some("Symbol"), "F057"), Some('Ω'));
        assert_eq!(map_sym(Some("Wingdings"), "F0FC"), Some('✓'));
        assert_eq!(map_sym(Some("Wingdings"), "F0A8"), Some('◻'));
        assert_eq!(map_sym(Some("Times New Roman"), "2013"), Some('–'));
    }

    #[test]
    fn unknown_codes_are_dropped_not_garbage() {
        assert_eq!(map_sym(Some("Webdings"), "F021"), None);
        assert_eq!(map_sym(Some("Wingdings"), "F0E9"), None);
        assert_eq!(map_sym(None, "E000"), None);
        assert_eq!(map_sym(Some("Symbol"), "zz"), None);
    }
}
