//! The page tree: every page in order with the attributes it inherits.
//!
//! `/Resources`, `/MediaBox`, `/CropBox` and `/Rotate` may sit on any ancestor of a page. The
//! walk is iterative, keeps a set of visited nodes (damaged files contain cyclic trees) and
//! stops at [`crate::Limits::max_pages`]. A file whose tree cannot be walked at all falls back
//! to every `/Type /Page` object in object order.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::object::{rect, resolve};
use crate::error::{Error, Result};

/// One page with its inherited attributes resolved.
pub struct PageRef<'d> {
    pub dict: &'d Dictionary,
    pub resources: Option<&'d Dictionary>,
    pub crop_box: [f32; 4],
}

#[derive(Clone, Copy)]
struct Inherited<'d> {
    resources: Option<&'d Dictionary>,
    media: Option<[f32; 4]>,
    crop: Option<[f32; 4]>,
}

fn inherit<'d>(doc: &'d Document, node: &'d Dictionary, from: Inherited<'d>) -> Inherited<'d> {
    Inherited {
        resources: match node.get(b"Resources").map(|o| resolve(doc, o)) {
            Ok(Object::Dictionary(d)) => Some(d),
            _ => from.resources,
        },
        media: rect(doc, node.get(b"MediaBox").ok()).or(from.media),
        crop: rect(doc, node.get(b"CropBox").ok()).or(from.crop),
    }
}

fn page_ref<'d>(dict: &'d Dictionary, attrs: Inherited<'d>) -> PageRef<'d> {
    let media = attrs.media.unwrap_or([0.0, 0.0, 612.0, 792.0]);
    // The crop box is clipped to the media box; a crop box outside it is ignored.
    let crop = attrs
        .crop
        .map(|c| {
            [
                c[0].max(media[0]),
                c[1].max(media[1]),
                c[2].min(media[2]),
                c[3].min(media[3]),
            ]
        })
        .filter(|c| c[2] > c[0] && c[3] > c[1])
        .unwrap_or(media);
    PageRef {
        dict,
        resources: attrs.resources,
        crop_box: crop,
    }
}

/// All pages in document order. Parts of the tree that cannot be read are told in `warnings`.
pub fn pages<'d>(
    doc: &'d Document,
    max_pages: usize,
    warnings: &mut Vec<String>,
) -> Result<Vec<PageRef<'d>>> {
    let root = doc
        .trailer
        .get(b"Root")
        .ok()
        .map(|o| resolve(doc, o))
        .and_then(|o| match o {
            Object::Dictionary(d) => Some(d),
            _ => None,
        });
    let tree = root.and_then(|r| r.get(b"Pages").ok());
    let mut out: Vec<PageRef<'d>> = Vec::new();
    let mut visited: HashSet<ObjectId> = HashSet::new();
    let start = Inherited {
        resources: None,
        media: None,
        crop: None,
    };
    // Depth-first with an explicit stack; kids are pushed in reverse to keep document order.
    let mut stack: Vec<(&'d Object, Inherited<'d>)> = Vec::new();
    if let Some(t) = tree {
        stack.push((t, start));
    }
    let mut steps = 0usize;
    let max_steps = max_pages.saturating_mul(4).saturating_add(10_000);
    // Kids that are not page-tree nodes: (how many, the first one).
    let mut unreadable: (usize, Option<String>) = (0, None);
    let mut stopped = false;
    while let Some((obj, attrs)) = stack.pop() {
        steps += 1;
        if steps > max_steps {
            stopped = true;
            break;
        }
        let _id = match obj {
            Object::Reference(id) => {
                if !visited.insert(*id) {
                    continue;
                }
                Some(*id)
            }
            _ => None,
        };
        let Object::Dictionary(node) = resolve(doc, obj) else {
            unreadable.0 += 1;
            if unreadable.1.is_none() {
                unreadable.1 = Some(match obj {
                    Object::Reference((n, g)) => format!("{n} {g} R"),
                    other => other.enum_variant().to_string(),
                });
            }
            continue;
        };
        let attrs = inherit(doc, node, attrs);
        let kids = match node.get(b"Kids").map(|o| resolve(doc, o)) {
            Ok(Object::Array(k)) => Some(k),
            _ => None,
        };
        let is_page = match node.get(b"Type").map(|o| resolve(doc, o)) {
            Ok(Object::Name(n)) => n == b"Page",
            _ => kids.is_none(),
        };
        if is_page {
            if out.len() >= max_pages {
                return Err(Error::limit(
                    "max_pages",
                    format!("more than {max_pages} pages"),
                ));
            }
            out.push(page_ref(node, attrs));
        } else if let Some(kids) = kids {
            for kid in kids.iter().rev() {
                stack.push((kid, attrs));
            }
        }
    }
    if let (n, Some(first)) = unreadable {
        warnings.push(format!(
            "page tree: {n} kid(s) missing or not a dictionary (first: {first}): \
             their pages are missing"
        ));
    }
    if out.is_empty() {
        // No usable tree: every page object in object order.
        for obj in doc.objects.values() {
            if let Object::Dictionary(d) = obj {
                if matches!(d.get(b"Type"), Ok(Object::Name(n)) if n == b"Page") {
                    if out.len() >= max_pages {
                        return Err(Error::limit(
                            "max_pages",
                            format!("more than {max_pages} pages"),
                        ));
                    }
                    let attrs = inherit(doc, d, start);
                    out.push(page_ref(d, attrs));
                }
            }
        }
        if !out.is_empty() {
            warnings.push(
                "page tree: no page could be reached through it; pages read in the order of \
                 their objects"
                    .to_string(),
            );
        }
    } else if stopped {
        warnings.push(format!(
            "page tree: the walk stopped after {max_steps} nodes; pages after that are missing"
        ));
    }
    Ok(out)
}
