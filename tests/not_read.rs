//! Nothing lost in silence (issue 12): every file under a batch root is accounted for. A batch
//! with files of formats we do not read (Apple Pages, legacy `.xls`, `.pptx`, an RTF saved as
//! `.txt`), a scanned PDF and a PDF with one scanned page used to ingest as "0 failed", exit 0, and the scorecard showed those
//! suppliers' principles as plainly unanswered. Now each such file is listed with its reason in
//! the summary, the run record, the index (`unread` records), the scorecard in every format and
//! the web page, and the run exits 1.

mod support;

use std::path::{Path, PathBuf};

use tenderscope::ingest::RunRecord;
use tenderscope::records::Records;
use tenderscope::unread::Status;

use support::cli::{code, stderr, stdout, Fixture, DEMO_FILES};

/// A PDF whose one page is an image and nothing else: a scan.
fn scanned_pdf() -> Vec<u8> {
    let content = b"q 612 0 0 792 0 0 cm /Im1 Do Q";
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>".to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(),
            content,
            b"\nendstream",
        ]
        .concat(),
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream".to_vec(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The files added to the demo batch, each with the status it must be listed with.
fn add_unread_files(batch: &Path) -> Vec<(PathBuf, Status)> {
    let features = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/features/pdf");
    let mut files = vec![
        (
            batch.join("greenshoots-cic/answers.pages"),
            b"PK\x03\x04 an Apple Pages document".to_vec(),
            Status::Unsupported,
        ),
        (
            batch.join("greenshoots-cic/prices.xls"),
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 legacy Excel".to_vec(),
            Status::Unsupported,
        ),
        (
            batch.join("dane-valley-civils/slides.pptx"),
            b"PK\x03\x04 a presentation".to_vec(),
            Status::Unsupported,
        ),
        (
            batch.join("dane-valley-civils/saved-as.txt"),
            b"{\\rtf1\\ansi We will create 12 apprenticeships.}".to_vec(),
            Status::Unsupported,
        ),
        // A supplier that sent nothing we read.
        (
            batch.join("pages-only-ltd/response.pages"),
            b"PK\x03\x04 an Apple Pages document".to_vec(),
            Status::Unsupported,
        ),
        (
            batch.join("weaver-home-care/scanned-plan.pdf"),
            scanned_pdf(),
            Status::NoTextLayer,
        ),
        (
            batch.join("weaver-home-care/~$cial-value-plan.docx"),
            b"lock".to_vec(),
            Status::Skipped,
        ),
        (batch.join(".DS_Store"), b"finder".to_vec(), Status::Skipped),
    ];
    files.push((
        batch.join("northgate-lining/part-scanned.pdf"),
        std::fs::read(features.join("image_only_page.pdf")).unwrap(),
        Status::NoTextLayer,
    ));
    let mut out = Vec::new();
    for (path, bytes, status) in files {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        out.push((path, status));
    }
    // A hidden folder is one entry, whatever it holds.
    let git = batch.join("cobalt-lane-digital/.git");
    std::fs::create_dir_all(git.join("objects")).unwrap();
    std::fs::write(git.join("objects/plan.pdf"), b"not a submission").unwrap();
    out.push((git, Status::Skipped));
    out
}

fn status_of(rec: &RunRecord, path: &Path) -> Vec<Status> {
    let origin = path.display().to_string();
    rec.not_read
        .iter()
        .filter(|u| u.origin == origin)
        .map(|u| u.status)
        .collect()
}

#[test]
fn every_file_under_the_root_is_accounted_for_and_unread_submissions_exit_1() {
    let fx = Fixture::new();
    let added = add_unread_files(&fx.batch);
    let (c, rec) = fx.ingest(&[]);
    assert_eq!(c, 1, "{rec:?}");
    for (path, status) in &added {
        assert_eq!(status_of(&rec, path), [*status], "{}", path.display());
    }
    assert_eq!((rec.unsupported, rec.skipped, rec.failed), (5, 3, 0));
    // The scan is one entry for the whole file; the part-scanned PDF lists its page 2.
    let part = fx.batch.join("northgate-lining/part-scanned.pdf");
    let page = rec
        .not_read
        .iter()
        .find(|u| u.origin == part.display().to_string())
        .unwrap();
    assert_eq!(page.page, Some(2));
    let scan = fx.batch.join("weaver-home-care/scanned-plan.pdf");
    let whole = rec
        .not_read
        .iter()
        .find(|u| u.origin == scan.display().to_string())
        .unwrap();
    assert_eq!(whole.page, None);
    assert!(whole.reason.contains("none of its 1 page(s)"), "{whole:?}");
    // The reasons name the format, and what the bytes are when the name says otherwise.
    let rtf = rec
        .not_read
        .iter()
        .find(|u| u.origin.ends_with("saved-as.txt"))
        .unwrap();
    assert!(rtf.reason.contains(".txt") && rtf.reason.contains("Rich Text Format"));
    let pages = rec
        .not_read
        .iter()
        .find(|u| u.origin.ends_with("pages-only-ltd/response.pages"))
        .unwrap();
    assert_eq!(pages.supplier, "pages-only-ltd");

    // Every file on disk is read or listed (files inside the hidden folder through it).
    let mut on_disk = 0;
    let mut stack = vec![fx.batch.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                if e.file_name() != ".git" {
                    stack.push(e.path());
                }
            } else {
                on_disk += 1;
            }
        }
    }
    let listed_files = rec
        .not_read
        .iter()
        .filter(|u| u.page.is_none() && !u.origin.ends_with(".git"))
        .count() as u64;
    let read = rec.files - rec.failed;
    // The whole-file scan is both read (a document record) and listed as not read.
    assert_eq!(read + listed_files - 1, on_disk, "{:#?}", rec.not_read);
    assert_eq!(rec.files, DEMO_FILES + 2);

    // The run log has them.
    let out = fx.run(&["runs", "--index", fx.index_str(), "--json"]);
    let logged: RunRecord = serde_json::from_str(stdout(&out).lines().last().unwrap()).unwrap();
    assert_eq!(logged.not_read, rec.not_read);

    // The human summary lists each one on standard output.
    let out = fx.run(&[
        "ingest",
        fx.batch.to_str().unwrap(),
        "--index",
        fx.index_str(),
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(
        summary.contains("not read: 0 failed, 5 unsupported format, 3 skipped by rule, 2 page(s) without a text layer"),
        "{summary}"
    );
    for (path, _) in &added {
        assert!(summary.contains(&path.display().to_string()), "{summary}");
    }
    // A second run over unchanged files still lists the scanned pages (from the index).
    let (c, again) = fx.ingest(&[]);
    assert_eq!(c, 1);
    assert_eq!(again.not_read, rec.not_read);

    // The index keeps them for the scorecard and export.
    let unread = Records::open(&fx.index).unwrap().unread().unwrap();
    assert_eq!(
        unread.len(),
        added
            .iter()
            .filter(|(_, s)| *s != Status::NoTextLayer)
            .count()
    );

    // The scorecard: a "Files not read" section, each supplier's own list, a note beside the
    // unanswered principles, and a row for the supplier that sent only a Pages file.
    let out = fx.run(&["report", "--index", fx.index_str(), "--format", "md"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.contains("## Files not read"), "{md}");
    assert!(md.contains("### pages-only-ltd"), "{md}");
    assert!(
        md.contains("| northgate-lining | part-scanned.pdf, p. 2 | no text layer |"),
        "{md}"
    );
    assert!(
        md.contains("- pages-only-ltd: CE1 ")
            && md.contains("(not read, and may answer them: response.pages)"),
        "{md}"
    );
    assert!(
        md.contains("- scanned-plan.pdf: no text layer: none of its 1 page(s)"),
        "{md}"
    );
    let out = fx.run(&["report", "--index", fx.index_str(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["not_read"].as_array().unwrap().len(),
        rec.not_read.len()
    );
    let out = fx.run(&["report", "--index", fx.index_str(), "--format", "html"]);
    let html = stdout(&out);
    assert!(html.contains("<h2 id=\"not-read\">Files not read</h2>"));
    assert!(html.contains("slides.pptx"));
    let out = fx.run(&["export", "--index", fx.index_str()]);
    assert!(stdout(&out).contains(r#"{"record":"unread","#));

    // The files fixed or taken away: nothing is listed any more, and the run exits 0.
    for (path, _) in &added {
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap();
        } else {
            std::fs::remove_file(path).unwrap();
        }
    }
    let (c, clean) = fx.ingest(&[]);
    assert_eq!(c, 0, "{clean:?}");
    assert!(clean.not_read.is_empty(), "{:?}", clean.not_read);
    assert!(Records::open(&fx.index)
        .unwrap()
        .unread()
        .unwrap()
        .is_empty());
}

#[test]
fn members_of_a_zip_that_are_not_read_are_listed() {
    let fx = Fixture::new();
    let zip = fx.batch.join("meridian-estate-services/extra.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [
        ("costs.xls", b"\xD0\xCF\x11\xE0".as_slice()),
        ("__MACOSX/._costs.xls", b"resource fork".as_slice()),
    ] {
        w.start_file(name, opts).unwrap();
        std::io::Write::write_all(&mut w, bytes).unwrap();
    }
    w.finish().unwrap();
    let (c, rec) = fx.ingest(&[]);
    assert_eq!(c, 1, "{rec:?}");
    let of = |member: &str| {
        rec.not_read
            .iter()
            .find(|u| u.origin == format!("{}!{member}", zip.display()))
            .map(|u| (u.status, u.supplier.clone()))
    };
    assert_eq!(
        of("costs.xls"),
        Some((Status::Unsupported, "meridian-estate-services".into()))
    );
    assert_eq!(
        of("__MACOSX/._costs.xls").map(|s| s.0),
        Some(Status::Skipped)
    );
}
