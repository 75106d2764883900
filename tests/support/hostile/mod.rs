//! Hostile files for `tests/hostile.rs`, every one built in code: nothing here is read from
//! disk except the demo fixtures that some cases damage.
//!
//! * [`squeeze`] makes decompression bombs cheaply (one compressed block repeated, with correct
//!   checksums) and writes zip packages byte by byte, so that sizes can lie;
//! * [`pdf`] writes PDFs object by object (offsets and all), and the hostile PDFs;
//! * [`docx`] writes DOCX packages part by part, an OLE container, and the hostile DOCX files;
//! * [`formats`] writes hostile XLSX, ODT, ODS and RTF files;
//! * [`cases`] lists every case with the file name it travels under and what must come of it.

#![allow(dead_code)]

pub mod cases;
pub mod docx;
pub mod formats;
pub mod pdf;
pub mod squeeze;
