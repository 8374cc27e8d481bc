//! Files uploaded in the back office's "Uvoz", placed by their names: `<kind>….csv` is a billing
//! file of that kind, `<invoice_number>.pdf` an invoice's PDF, and a `.zip` holds either.

use std::io::{Cursor, Read};

use super::Kind;

/// The largest invoice PDF taken.
pub const MAX_PDF_BYTES: u64 = 20 * 1024 * 1024;
/// The most a zip may unpack to, so a small archive cannot fill the memory.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// The most one file in a zip may unpack to: the largest billing file of a big utility.
pub const MAX_ENTRY_BYTES: u64 = 128 * 1024 * 1024;
/// The most files a zip may hold: a month of invoice PDFs of a big utility.
pub const MAX_ENTRIES: usize = 200_000;

/// An invoice's PDF, named `<invoice_number>.pdf`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfFile {
    pub number: String,
    pub name: String,
    pub bytes: Vec<u8>,
}

impl PdfFile {
    /// The PDF of the invoice its name gives (any folders before it dropped); `None` for a
    /// name that is not `<number>.pdf`.
    pub fn named(name: &str, bytes: Vec<u8>) -> Option<Self> {
        let base = base_name(name);
        let (number, extension) = base.rsplit_once('.')?;
        (extension.eq_ignore_ascii_case("pdf") && !number.trim().is_empty()).then(|| Self {
            number: number.to_owned(),
            name: base.to_owned(),
            bytes,
        })
    }
}

/// A billing file and the kind its name gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingFile {
    pub kind: Kind,
    pub name: String,
    pub bytes: std::sync::Arc<[u8]>,
}

/// What an upload holds, placed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Placed {
    /// In import order (SPEC §5.1), each kind's files in upload order.
    pub billing: Vec<BillingFile>,
    pub pdfs: Vec<PdfFile>,
    /// Files that are none of these, and why.
    pub unplaced: Vec<(String, Unplaced)>,
}

/// Why an uploaded file was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unplaced {
    /// The name starts with no kind and does not end in `.pdf` or `.zip`.
    UnknownName,
    /// A zip that cannot be read.
    BrokenZip,
    /// A zip that unpacks to more than [`MAX_UNPACKED_BYTES`].
    ZipTooLarge,
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The kind whose name starts the file's name (`invoice_lines_2026-11.csv` is
/// `invoice_lines`), the longest such name winning.
pub fn kind_of(name: &str) -> Option<Kind> {
    let base = base_name(name).to_lowercase();
    let stem = base
        .strip_suffix(".csv")
        .or_else(|| base.strip_suffix(".txt"))?;
    Kind::ALL
        .into_iter()
        .filter(|kind| {
            stem.strip_prefix(kind.as_str())
                .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
        })
        .max_by_key(|kind| kind.as_str().len())
}

impl Placed {
    fn take(&mut self, name: &str, bytes: Vec<u8>) {
        if let Some(kind) = kind_of(name) {
            self.billing.push(BillingFile {
                kind,
                name: base_name(name).to_owned(),
                bytes: bytes.into(),
            });
        } else if let Some(pdf) = PdfFile::named(name, bytes) {
            self.pdfs.push(pdf);
        } else {
            self.unplaced
                .push((base_name(name).to_owned(), Unplaced::UnknownName));
        }
    }
}

/// The files of a zip, or why it cannot be read.
fn unpack(bytes: Vec<u8>) -> Result<Vec<(String, Vec<u8>)>, Unplaced> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Unplaced::BrokenZip)?;
    if archive.len() > MAX_ENTRIES {
        return Err(Unplaced::ZipTooLarge);
    }
    let mut unpacked = Vec::new();
    let mut total = 0_u64;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|_| Unplaced::BrokenZip)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map(std::borrow::Cow::into_owned)
            .map_err(|_| Unplaced::BrokenZip)?;
        // The declared size may lie: read no more than what is left of the allowances.
        let allowance = MAX_ENTRY_BYTES.min(MAX_UNPACKED_BYTES - total);
        let mut content = Vec::new();
        (&mut entry)
            .take(allowance + 1)
            .read_to_end(&mut content)
            .map_err(|_| Unplaced::BrokenZip)?;
        total += content.len() as u64;
        if content.len() as u64 > allowance {
            return Err(Unplaced::ZipTooLarge);
        }
        unpacked.push((name, content));
    }
    Ok(unpacked)
}

/// Places each uploaded `(name, bytes)`.
pub fn place(files: Vec<(String, Vec<u8>)>) -> Placed {
    let mut placed = Placed::default();
    for (name, bytes) in files {
        if base_name(&name).to_lowercase().ends_with(".zip") {
            match unpack(bytes) {
                Ok(entries) => {
                    for (entry_name, content) in entries {
                        placed.take(&entry_name, content);
                    }
                }
                Err(why) => placed.unplaced.push((base_name(&name).to_owned(), why)),
            }
        } else {
            placed.take(&name, bytes);
        }
    }
    placed.billing.sort_by_key(|file| {
        Kind::ALL
            .iter()
            .position(|kind| *kind == file.kind)
            .unwrap_or(usize::MAX)
    });
    placed
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn kinds_come_from_the_start_of_the_name() {
        assert_eq!(kind_of("payers.csv"), Some(Kind::Payers));
        assert_eq!(kind_of("C:\\izvoz\\Payers.CSV"), Some(Kind::Payers));
        assert_eq!(
            kind_of("invoice_lines_2026-11.csv"),
            Some(Kind::InvoiceLines)
        );
        assert_eq!(kind_of("invoices-2026.csv"), Some(Kind::Invoices));
        assert_eq!(kind_of("open_items.txt"), Some(Kind::OpenItems));
        assert_eq!(kind_of("payersx.csv"), None);
        assert_eq!(kind_of("payers.xlsx"), None);
        assert_eq!(kind_of("R-2026-1.pdf"), None);
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in entries {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn an_upload_is_placed_in_import_order_zips_unpacked() {
        let archive = zip_of(&[("racuni/R-1.pdf", b"%PDF-1.4"), ("readings.csv", b"x")]);
        let placed = place(vec![
            ("open_items.csv".into(), b"o".to_vec()),
            ("payers.csv".into(), b"p".to_vec()),
            ("R-2.pdf".into(), b"%PDF-".to_vec()),
            ("arhiv.zip".into(), archive),
            ("navodila.docx".into(), Vec::new()),
            ("pokvarjen.zip".into(), b"PK nothing".to_vec()),
        ]);
        let kinds: Vec<_> = placed.billing.iter().map(|file| file.kind).collect();
        assert_eq!(kinds, [Kind::Payers, Kind::Readings, Kind::OpenItems]);
        let numbers: Vec<_> = placed.pdfs.iter().map(|pdf| pdf.number.as_str()).collect();
        assert_eq!(numbers, ["R-2", "R-1"]);
        assert_eq!(placed.pdfs[1].name, "R-1.pdf");
        assert_eq!(
            placed.unplaced,
            [
                ("navodila.docx".to_owned(), Unplaced::UnknownName),
                ("pokvarjen.zip".to_owned(), Unplaced::BrokenZip),
            ]
        );
    }
}
