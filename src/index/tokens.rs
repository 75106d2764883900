//! The analyzers for passage text.
//!
//! Text is indexed twice: `text` through an English stemmer, `text_exact` without one, so an
//! auditor can search either loosely or word for word. English stemming alone does not bring
//! "apprenticeship" and "apprentices" together (Porter leaves `apprenticeship` whole and cuts
//! `apprentices` to `apprentic`), so before stemming [`RoleSuffixFilter`] takes the
//! derivational "-ship" off words that keep a stem of five letters or more
//! (apprenticeship, partnership, membership; not hardship or worship).
//!
//! Words are cut as tantivy's `SimpleTokenizer` cuts them (runs of letters and digits), except
//! that superscript and subscript digits end a word: a note's citation mark is printed raised
//! and glued to the word it follows ("apprentices¹", as the ODT and DOC readers give it), and
//! "apprentices" must still find it. [`WordTokenizer`] is that tokenizer.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Name of the stemmed analyzer, as registered on the index.
pub const STEMMED: &str = "ts_stemmed";
/// Name of the unstemmed analyzer.
pub const EXACT: &str = "ts_exact";

/// Tokens longer than this many bytes are dropped (base64 blobs and the like).
const MAX_TOKEN_BYTES: usize = 60;

pub fn stemmed() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(RoleSuffixFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

pub fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Runs of letters and digits; superscript and subscript digits are no part of a word.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

pub struct WordStream<'a> {
    text: &'a str,
    chars: std::str::CharIndices<'a>,
    token: &'a mut Token,
}

fn in_word(c: char) -> bool {
    c.is_alphanumeric() && !matches!(c, '¹' | '²' | '³' | '⁰'..='⁹' | '₀'..='₉')
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            chars: text.char_indices(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        let Some((start, _)) = self.chars.by_ref().find(|&(_, c)| in_word(c)) else {
            return false;
        };
        let end = self
            .chars
            .by_ref()
            .find(|&(_, c)| !in_word(c))
            .map_or(self.text.len(), |(i, _)| i);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.text.push_str(&self.text[start..end]);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Strip a derivational "-ship"/"-ships" suffix (see the module docs). Expects lower case.
pub fn strip_role_suffix(word: &str) -> &str {
    for suffix in ["ships", "ship"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.len() >= 5 {
                return stem;
            }
        }
    }
    word
}

#[derive(Clone)]
pub struct RoleSuffixFilter;

impl TokenFilter for RoleSuffixFilter {
    type Tokenizer<T: Tokenizer> = RoleSuffixWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RoleSuffixWrapper<T> {
        RoleSuffixWrapper { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct RoleSuffixWrapper<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for RoleSuffixWrapper<T> {
    type TokenStream<'a> = RoleSuffixStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RoleSuffixStream {
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct RoleSuffixStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for RoleSuffixStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let keep = strip_role_suffix(&token.text).len();
        token.text.truncate(keep);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut analyzer = stemmed();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn apprentices_and_apprenticeship_meet() {
        assert_eq!(terms("apprentices"), terms("Apprenticeship"));
        assert_eq!(terms("apprenticeships"), terms("apprentice"));
        assert_eq!(terms("partnerships"), terms("partners"));
    }

    #[test]
    fn a_raised_note_mark_is_no_part_of_its_word() {
        assert_eq!(
            terms("apprentices¹ and 2028²³"),
            terms("apprentices and 2028")
        );
        // Words are cut as tantivy's simple tokenizer cuts them.
        fn cut<T: Tokenizer>(mut tokenizer: T, text: &str) -> Vec<(String, usize, usize, usize)> {
            let mut stream = tokenizer.token_stream(text);
            let mut v = Vec::new();
            while let Some(t) = stream.next() {
                v.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
            }
            v
        }
        let text = "Crewe’s £1.2m plan: 12 new jobs (Q2), e-mail ünïcode 2028/29";
        let a = cut(tantivy::tokenizer::SimpleTokenizer::default(), text);
        let b = cut(WordTokenizer::default(), text);
        assert_eq!(a, b);
    }

    #[test]
    fn short_stems_keep_their_suffix() {
        assert_eq!(strip_role_suffix("hardship"), "hardship");
        assert_eq!(strip_role_suffix("worship"), "worship");
        assert_eq!(strip_role_suffix("membership"), "member");
    }
}
