//! The search parameters of a URL (`/search?q=…&principle=…&supplier=…&kind=…&page=N`): parsed
//! into a [`Request`] with bounds, and written back into links, so that every search is a URL
//! that can be shared and cited.

use serde::Deserialize;

use crate::report::html::url_encode;
use crate::search::{Request, Sort, MAX_QUERY_BYTES};

/// Hits per page.
pub const PAGE_SIZE: usize = 20;
/// Deepest page: paging stops at 10,000 hits (the offset is bounded before it reaches tantivy).
pub const MAX_PAGE: usize = 500;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub principle: Option<String>,
    pub theme: Option<String>,
    pub supplier: Option<String>,
    pub tender: Option<String>,
    pub kind: Option<String>,
    pub page: Option<usize>,
    /// For the API: hits per page (at most 100).
    pub limit: Option<usize>,
    /// `relevance` (the default), `specificity` or `supplier`.
    pub sort: Option<String>,
}

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

impl SearchParams {
    pub fn page(&self) -> usize {
        self.page.unwrap_or(1).clamp(1, MAX_PAGE)
    }

    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(PAGE_SIZE).clamp(1, 100)
    }

    /// The order asked for; an unknown name is an error that lists the choices.
    pub fn sort(&self) -> crate::Result<Sort> {
        match nonempty(&self.sort) {
            None => Ok(Sort::default()),
            Some(name) => Sort::parse(&name).map_err(|detail| crate::Error::Query {
                query: self.q.chars().take(200).collect(),
                detail,
            }),
        }
    }

    /// The search request, with facets; the query is cut at [`MAX_QUERY_BYTES`] only by the
    /// search's own validation (an over-long query is an error, not silently cut).
    pub fn request(&self) -> crate::Result<Request> {
        Ok(Request {
            query: self.q.clone(),
            principle: nonempty(&self.principle),
            theme: nonempty(&self.theme),
            supplier: nonempty(&self.supplier),
            tender: nonempty(&self.tender),
            kind: nonempty(&self.kind),
            limit: self.limit(),
            offset: (self.page() - 1) * self.limit(),
            facets: true,
            sort: self.sort()?,
        })
    }

    /// The filters that are set, as (name, value).
    pub fn filters(&self) -> Vec<(&'static str, String)> {
        [
            ("principle", nonempty(&self.principle)),
            ("theme", nonempty(&self.theme)),
            ("supplier", nonempty(&self.supplier)),
            ("tender", nonempty(&self.tender)),
            ("kind", nonempty(&self.kind)),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
    }

    /// The `/search` URL of these parameters with one filter set (or cleared with `None`), and
    /// the page reset.
    pub fn with(&self, name: &str, value: Option<&str>) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() && self.q.len() <= MAX_QUERY_BYTES {
            parts.push(format!("q={}", url_encode(&self.q)));
        }
        for (k, v) in self.filters() {
            if k != name {
                parts.push(format!("{k}={}", url_encode(&v)));
            }
        }
        if let Some(v) = value {
            parts.push(format!("{name}={}", url_encode(v)));
        }
        if name != "sort" {
            if let Ok(sort) = self.sort().map(Sort::as_str) {
                if sort != Sort::default().as_str() {
                    parts.push(format!("sort={sort}"));
                }
            }
        }
        format!("/search?{}", parts.join("&"))
    }

    /// The URL of another page of the same search.
    pub fn at_page(&self, page: usize) -> String {
        let base = self.with("", None);
        format!("{base}&page={page}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_other_filters_and_encode_values() {
        let p = SearchParams {
            q: "real \"living wage\"".into(),
            principle: Some("CE7".into()),
            supplier: Some("a&b <c>".into()),
            ..Default::default()
        };
        let url = p.with("principle", Some("CE9"));
        assert_eq!(
            url,
            "/search?q=real%20%22living%20wage%22&supplier=a%26b%20%3Cc%3E&principle=CE9"
        );
        assert!(!p.with("principle", None).contains("principle"));
    }

    #[test]
    fn the_sort_is_kept_in_links_and_checked() {
        let p = SearchParams {
            q: "apprentices".into(),
            sort: Some("Specificity".into()),
            ..Default::default()
        };
        assert_eq!(p.request().unwrap().sort, Sort::Specificity);
        assert_eq!(
            p.with("kind", Some("commitment")),
            "/search?q=apprentices&kind=commitment&sort=specificity"
        );
        assert_eq!(
            p.with("sort", Some("supplier")),
            "/search?q=apprentices&sort=supplier"
        );
        let bad = SearchParams {
            sort: Some("newest".into()),
            ..Default::default()
        };
        let e = bad.request().unwrap_err().to_string();
        assert!(e.contains("unknown sort `newest`"), "{e}");
        assert!(e.contains("relevance, specificity, supplier"), "{e}");
    }

    #[test]
    fn paging_is_bounded() {
        let p = SearchParams {
            page: Some(usize::MAX),
            limit: Some(1_000_000),
            ..Default::default()
        };
        let r = p.request().unwrap();
        assert_eq!(r.limit, 100);
        assert_eq!(r.offset, (MAX_PAGE - 1) * 100);
    }
}
