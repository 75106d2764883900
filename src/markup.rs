//! HTML pieces shared by the scorecard page, the web server's pages and search snippets: text
//! from the index as maud escapes it, and URL encoding for the links built around it. Nothing
//! here writes markup by hand: maud escapes `&`, `<`, `>` and `"`, and [`Text`] adds the
//! apostrophe.

use std::fmt::Write;

use maud::{PreEscaped, Render};

/// Text from the index, escaped by maud; the apostrophe is written `&#39;` too, as the pages
/// always have.
pub struct Text<'a>(pub &'a str);

impl Render for Text<'_> {
    fn render_to(&self, out: &mut String) {
        for (i, part) in self.0.split('\'').enumerate() {
            if i > 0 {
                PreEscaped("&#39;").render_to(out);
            }
            part.render_to(out);
        }
    }
}

/// Percent-encode a URL path segment or query value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
