//! Reading lopdf objects the way every part of the PDF reader needs them: references followed
//! (a bounded number of hops, since damaged files chain or loop them), numbers as finite
//! `f32`, rectangles normalised.

use lopdf::{Document, Object};

/// References followed before giving up: real files use one; a longer chain is damage or a loop.
const MAX_HOPS: usize = 8;

/// The object a reference points at (through chains of references), `Null` when it is
/// missing or the chain does not end.
pub fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    let mut o = obj;
    for _ in 0..MAX_HOPS {
        match o {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(next) => o = next,
                Err(_) => return &Object::Null,
            },
            _ => return o,
        }
    }
    &Object::Null
}

/// A finite number, integer or real.
pub fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

/// A rectangle `[x0 y0 x1 y1]` of four numbers, normalised so that x0 <= x1 and y0 <= y1.
pub fn rect(doc: &Document, obj: Option<&Object>) -> Option<[f32; 4]> {
    let Object::Array(a) = resolve(doc, obj?) else {
        return None;
    };
    if a.len() != 4 {
        return None;
    }
    let mut r = [0f32; 4];
    for (slot, o) in r.iter_mut().zip(a.iter()) {
        *slot = number(resolve(doc, o))?;
    }
    Some([
        r[0].min(r[2]),
        r[1].min(r[3]),
        r[0].max(r[2]),
        r[1].max(r[3]),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_followed_and_broken_ones_are_null() {
        let mut doc = Document::with_version("1.5");
        let target = doc.add_object(Object::Integer(7));
        let hop = doc.add_object(Object::Reference(target));
        assert_eq!(resolve(&doc, &Object::Reference(hop)), &Object::Integer(7));
        assert_eq!(resolve(&doc, &Object::Reference((999, 0))), &Object::Null);
        // A reference to itself never ends.
        let looped = (doc.max_id + 1, 0);
        doc.objects.insert(looped, Object::Reference(looped));
        assert_eq!(resolve(&doc, &Object::Reference(looped)), &Object::Null);
    }

    #[test]
    fn rectangles_are_normalised_and_need_four_finite_numbers() {
        let doc = Document::with_version("1.5");
        let r = |v: Vec<Object>| rect(&doc, Some(&Object::Array(v)));
        assert_eq!(
            r(vec![612.into(), 792.into(), 0.into(), Object::Real(0.5)]),
            Some([0.0, 0.5, 612.0, 792.0])
        );
        assert_eq!(r(vec![0.into(), 0.into(), 1.into()]), None);
        assert_eq!(
            r(vec![0.into(), 0.into(), 1.into(), Object::Real(f32::NAN)]),
            None
        );
        assert_eq!(number(&Object::Real(f32::INFINITY)), None);
    }
}
