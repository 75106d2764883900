//! Image-only PDFs made from a page image: what a scanner sends. Shared by the examples that
//! make the OCR fixture and measure OCR accuracy (`#[path]`-included).

use lopdf::{dictionary, Document, Object, Stream};

/// Width, height and components of a baseline or progressive JPEG, from its SOF marker.
pub fn jpeg_size(jpeg: &[u8]) -> Option<(u32, u32, u8)> {
    let mut i = 2;
    while i + 9 < jpeg.len() {
        if jpeg[i] != 0xFF {
            return None;
        }
        let marker = jpeg[i + 1];
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let h = u16::from_be_bytes([jpeg[i + 5], jpeg[i + 6]]);
            let w = u16::from_be_bytes([jpeg[i + 7], jpeg[i + 8]]);
            return Some((u32::from(w), u32::from(h), jpeg[i + 9]));
        }
        i += 2 + len;
    }
    None
}

/// A one-page PDF of `width` × `height` points whose only content is `jpeg`, drawn over the
/// whole page (DCTDecode, gray or RGB).
pub fn jpeg_page_pdf(jpeg: &[u8], width: f32, height: f32) -> Result<Vec<u8>, String> {
    let (w, h, comps) = jpeg_size(jpeg).ok_or("not a JPEG with a frame header")?;
    let space = match comps {
        1 => "DeviceGray",
        3 => "DeviceRGB",
        n => return Err(format!("JPEG of {n} components")),
    };
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let image = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => i64::from(w),
            "Height" => i64::from(h), "ColorSpace" => space, "BitsPerComponent" => 8,
            "Filter" => "DCTDecode",
        },
        jpeg.to_vec(),
    ));
    let content = format!("q {width} 0 0 {height} 0 0 cm /Im1 Do Q");
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), Object::Real(width), Object::Real(height)],
        "Contents" => content_id,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The size in points of page `page` (from 1) of a PDF: its MediaBox.
pub fn page_size(pdf: &[u8], page: u32) -> Result<(f32, f32), String> {
    let doc = Document::load_mem(pdf).map_err(|e| e.to_string())?;
    let id = *doc
        .get_pages()
        .get(&page)
        .ok_or_else(|| format!("no page {page}"))?;
    let media = doc
        .get_dictionary(id)
        .and_then(|d| d.get(b"MediaBox"))
        .and_then(|o| o.as_array())
        .map_err(|e| e.to_string())?;
    let n: Vec<f32> = media
        .iter()
        .map(|o| {
            o.as_float()
                .or_else(|_| o.as_i64().map(|i| i as f32))
                .unwrap_or(0.0)
        })
        .collect();
    match n.as_slice() {
        [x0, y0, x1, y1] => Ok((x1 - x0, y1 - y0)),
        _ => Err("MediaBox is not four numbers".into()),
    }
}

/// Rasterise page `page` of a PDF file to a gray JPEG at `dpi` and JPEG `quality` with
/// poppler's `pdftoppm`.
pub fn rasterise(
    pdf: &std::path::Path,
    page: u32,
    dpi: u32,
    quality: u32,
) -> Result<Vec<u8>, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let stem = dir.path().join("page");
    let status = std::process::Command::new("pdftoppm")
        .args(["-gray", "-jpeg", "-singlefile"])
        .args(["-jpegopt", &format!("quality={quality}")])
        .args(["-r", &dpi.to_string()])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg(&stem)
        .status()
        .map_err(|e| format!("pdftoppm (poppler-utils) could not run: {e}"))?;
    if !status.success() {
        return Err(format!("pdftoppm failed on {}: {status}", pdf.display()));
    }
    std::fs::read(stem.with_extension("jpg")).map_err(|e| e.to_string())
}
