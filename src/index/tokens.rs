//! The analyzers for passage text.
//!
//! Text is indexed twice: `text` through an English stemmer, `text_exact` without one, so an
//! auditor can search either loosely or word for word. English stemming alone does not bring
//! "apprenticeship" and "apprentices" together (Porter leaves `apprenticeship` whole and cuts
//! `apprentices` to `apprentic`), so before stemming [`RoleSuffixFilter`] takes the
//! derivational "-ship" off words that keep a stem of five letters or more
//! (apprenticeship, partnership, membership; not hardship or worship).

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Name of the stemmed analyzer, as registered on the index.
pub const STEMMED: &str = "ts_stemmed";
/// Name of the unstemmed analyzer.
pub const EXACT: &str = "ts_exact";

/// Tokens longer than this many bytes are dropped (base64 blobs and the like).
const MAX_TOKEN_BYTES: usize = 60;

pub fn stemmed() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(RoleSuffixFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

pub fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
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
    fn short_stems_keep_their_suffix() {
        assert_eq!(strip_role_suffix("hardship"), "hardship");
        assert_eq!(strip_role_suffix("worship"), "worship");
        assert_eq!(strip_role_suffix("membership"), "member");
    }
}
