//! A billing file read as a header and a stream of rows of text, each row knowing its line.
//! The file is read twice, so that memory does not grow with it: once to learn what it is
//! ([`survey`]: text at all, its encoding and separator, a quote never closed, its digest),
//! then row by row ([`Rows`]).

use std::collections::VecDeque;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use csv::StringRecord;
use sha2::{Digest, Sha256};

use super::kind::Column;
use super::problem::FileError;

/// Where a file's bytes are: in memory (an upload, an API request) or in a file on disk.
#[derive(Debug, Clone)]
pub enum Source {
    Bytes(Arc<[u8]>),
    File(PathBuf),
}

impl Source {
    fn open(&self) -> io::Result<Box<dyn Read + Send>> {
        Ok(match self {
            Source::Bytes(bytes) => Box::new(io::Cursor::new(Arc::clone(bytes))),
            Source::File(path) => Box::new(io::BufReader::with_capacity(
                BLOCK,
                std::fs::File::open(path)?,
            )),
        })
    }
}

impl From<&[u8]> for Source {
    fn from(bytes: &[u8]) -> Self {
        Source::Bytes(bytes.into())
    }
}

/// Why a file could not be read through: what is wrong with it, or the disk.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl ReadError {
    /// The file's problem, for bytes held in memory, which reading cannot fail on otherwise.
    pub(super) fn in_memory(self) -> FileError {
        match self {
            ReadError::File(problem) => problem,
            ReadError::Io(error) => FileError::NotCsv {
                line: 0,
                reason: error.to_string(),
            },
        }
    }
}

/// How a file is to be read, learnt from one pass over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    /// The SHA-256 of the file's bytes, in hex, for the import history.
    pub sha256: String,
    /// The lines of the file: as many as its rows and header, or more.
    pub lines: u64,
    encoding: Encoding,
    separator: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// UTF-8, after a byte-order mark if `bom`.
    Utf8 { bom: bool },
    /// Windows-1250, the usual encoding of Slovenian Windows programs, when the bytes are not
    /// valid UTF-8 (a UTF-8 byte-order mark before them is dropped all the same).
    Windows1250 { bom: bool },
}

impl Encoding {
    fn bom(self) -> bool {
        match self {
            Encoding::Utf8 { bom } | Encoding::Windows1250 { bom } => bom,
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const BLOCK: usize = 64 * 1024;

/// Reads `source` once: whether it is a text file with a header line, its encoding and
/// separator, where a quoted value opens that is never closed, and its digest.
pub fn survey(source: &Source) -> Result<Survey, ReadError> {
    survey_of(source.open()?)
}

fn survey_of(mut reader: impl Read) -> Result<Survey, ReadError> {
    let mut head = Vec::with_capacity(BLOCK);
    reader.by_ref().take(BLOCK as u64).read_to_end(&mut head)?;
    if let Some(problem) = not_text(&head) {
        return Err(problem.into());
    }
    let bom = head.starts_with(UTF8_BOM);
    let text = if bom {
        &head[UTF8_BOM.len()..]
    } else {
        &head[..]
    };
    let header_line = text.split(|&byte| byte == b'\n').next().unwrap_or_default();
    if header_line.iter().all(u8::is_ascii_whitespace) {
        return Err(FileError::Empty.into());
    }
    let separator = if header_line.contains(&b';') {
        b';'
    } else if header_line.contains(&b',') {
        b','
    } else {
        return Err(FileError::NoSeparator.into());
    };

    let mut digest = Sha256::new();
    digest.update(&head);
    let mut utf8 = Utf8Check::default();
    let mut quotes = QuoteScan::new(separator);
    utf8.feed(text);
    quotes.feed(text);
    let mut block = vec![0; BLOCK];
    loop {
        let read = match reader.read(&mut block) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error.into()),
        };
        let bytes = &block[..read];
        // A zero byte past the head: binary data, which `not_text` would have named there.
        if bytes.contains(&0) {
            return Err(FileError::NotText.into());
        }
        digest.update(bytes);
        utf8.feed(bytes);
        quotes.feed(bytes);
    }
    if let Some(line) = quotes.unclosed_at() {
        return Err(FileError::UnclosedQuote { line }.into());
    }
    let encoding = if utf8.is_valid() {
        Encoding::Utf8 { bom }
    } else {
        Encoding::Windows1250 { bom }
    };
    Ok(Survey {
        sha256: hex::encode(digest.finalize()),
        lines: quotes.breaks + 1,
        encoding,
        separator,
    })
}

/// Whether bytes fed in blocks are UTF-8, a character split between blocks included.
#[derive(Default)]
struct Utf8Check {
    invalid: bool,
    /// The start of a character the block ended in.
    carry: Vec<u8>,
}

impl Utf8Check {
    fn feed(&mut self, bytes: &[u8]) {
        if self.invalid {
            return;
        }
        let joined;
        let bytes = if self.carry.is_empty() {
            bytes
        } else {
            joined = [self.carry.as_slice(), bytes].concat();
            &joined
        };
        match std::str::from_utf8(bytes) {
            Ok(_) => self.carry.clear(),
            Err(error) if error.error_len().is_none() => {
                self.carry = bytes[error.valid_up_to()..].to_vec();
            }
            Err(_) => self.invalid = true,
        }
    }

    fn is_valid(&self) -> bool {
        !self.invalid && self.carry.is_empty()
    }
}

/// Follows quoted values through the bytes: the csv reader would take the rest of the file
/// as a value whose quote is never closed and report only a wrong number of fields.
struct QuoteScan {
    separator: u8,
    state: QuoteState,
    /// Line breaks seen so far.
    breaks: u64,
    /// The line a quoted value opened on.
    opened_on: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    /// Between quoted values; a quote opens one only at the start of a value.
    Outside {
        at_field_start: bool,
    },
    Inside,
    /// A quote inside a quoted value: doubled it is a quote, otherwise it closes the value.
    QuoteInside,
}

impl QuoteScan {
    fn new(separator: u8) -> QuoteScan {
        QuoteScan {
            separator,
            state: QuoteState::Outside {
                at_field_start: true,
            },
            breaks: 0,
            opened_on: 0,
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        // Most files quote nothing: a block without a quote only counts its lines, and that
        // is several times faster than following each byte.
        if let (QuoteState::Outside { .. }, Some(&last)) = (self.state, bytes.last())
            && !bytes.contains(&b'"')
        {
            let breaks = bytes.iter().filter(|&&byte| byte == b'\n').count();
            self.breaks += breaks as u64;
            self.state = QuoteState::Outside {
                at_field_start: self.is_boundary(last),
            };
            return;
        }
        for &byte in bytes {
            let boundary = self.is_boundary(byte);
            self.state = match self.state {
                QuoteState::Outside {
                    at_field_start: true,
                } if byte == b'"' => {
                    self.opened_on = self.breaks + 1;
                    QuoteState::Inside
                }
                QuoteState::Outside { .. } => QuoteState::Outside {
                    at_field_start: boundary,
                },
                QuoteState::Inside if byte == b'"' => QuoteState::QuoteInside,
                QuoteState::Inside => QuoteState::Inside,
                QuoteState::QuoteInside if byte == b'"' => QuoteState::Inside,
                QuoteState::QuoteInside => QuoteState::Outside {
                    at_field_start: boundary,
                },
            };
            if byte == b'\n' {
                self.breaks += 1;
            }
        }
    }

    fn is_boundary(&self, byte: u8) -> bool {
        byte == self.separator || byte == b'\n' || byte == b'\r'
    }

    fn unclosed_at(&self) -> Option<u64> {
        (self.state == QuoteState::Inside).then_some(self.opened_on)
    }
}

/// The columns of a file: which field holds which known column.
#[derive(Debug)]
pub struct Header {
    /// The columns the file's kind knows.
    known: &'static [Column],
    /// Lower-case column name and field index; unnamed columns are left out. A handful, so
    /// looked through rather than hashed: each field of each row is found here.
    columns: Vec<(String, usize)>,
    pub(super) width: usize,
}

impl Header {
    fn read(known: &'static [Column], fields: &StringRecord) -> Result<Header, FileError> {
        let mut columns: Vec<(String, usize)> = Vec::new();
        for (index, name) in fields.iter().enumerate() {
            let name = name.trim().to_lowercase();
            if name.is_empty() {
                continue;
            }
            if columns.iter().any(|(known, _)| *known == name) {
                return Err(FileError::DuplicateColumn { column: name });
            }
            columns.push((name, index));
        }
        let missing: Vec<_> = known
            .iter()
            .filter(|column| {
                column.required && !columns.iter().any(|(name, _)| name == column.name)
            })
            .map(|column| column.name)
            .collect();
        if !missing.is_empty() {
            return Err(FileError::MissingColumns { columns: missing });
        }
        Ok(Header {
            known,
            columns,
            width: fields.len(),
        })
    }

    /// The trimmed value of `column` in `row`; `None` when empty or the column is absent.
    pub(super) fn value<'row>(&self, row: &'row TableRow, column: &str) -> Option<&'row str> {
        debug_assert!(
            self.known.iter().any(|known| known.name == column),
            "{column} is not a known column"
        );
        let (_, index) = self.columns.iter().find(|(name, _)| name == column)?;
        row.fields
            .get(*index)
            .map(str::trim)
            .filter(|value| !value.is_empty())
    }
}

/// One non-blank row of a file.
#[derive(Debug)]
pub struct TableRow {
    /// As an editor shows it: the header is line 1.
    pub(super) line: u64,
    pub(super) fields: StringRecord,
}

/// The rows of a surveyed file, read one at a time.
pub struct Rows {
    reader: csv::Reader<LineIndex<Box<dyn Read + Send>>>,
    pub(super) header: Header,
    /// The digest of the bytes read so far, which at the end must be the survey's.
    digest: Arc<Mutex<Sha256>>,
    surveyed: String,
    /// The bytes and fields of the last row: the next one's record is made a little larger
    /// at once, not grown field by field (its reallocations showed in the import's profile;
    /// csv grows a record that its row fills exactly, line end aside).
    last_size: (usize, usize),
}

impl Rows {
    pub fn open(
        known: &'static [Column],
        source: &Source,
        survey: &Survey,
    ) -> Result<Rows, ReadError> {
        Rows::read(known, source.open()?, survey)
    }

    fn read(
        known: &'static [Column],
        bytes: Box<dyn Read + Send>,
        survey: &Survey,
    ) -> Result<Rows, ReadError> {
        let digest = Arc::new(Mutex::new(Sha256::new()));
        let mut bytes: Box<dyn Read + Send> = Box::new(Digesting {
            inner: bytes,
            digest: Arc::clone(&digest),
        });
        if survey.encoding.bom() {
            bytes.read_exact(&mut [0; UTF8_BOM.len()])?;
        }
        let text: Box<dyn Read + Send> = match survey.encoding {
            Encoding::Utf8 { .. } => bytes,
            Encoding::Windows1250 { .. } => Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding_rs::WINDOWS_1250))
                    .bom_sniffing(false)
                    .build(bytes),
            ),
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(survey.separator)
            .flexible(true)
            .from_reader(LineIndex::new(text));
        let header = Header::read(known, reader.headers().map_err(read_error)?)?;
        Ok(Rows {
            reader,
            header,
            digest,
            surveyed: survey.sha256.clone(),
            last_size: (0, 0),
        })
    }

    /// The next row that is not blank, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<TableRow>, ReadError> {
        let (bytes, count) = self.last_size;
        let mut fields = StringRecord::with_capacity(bytes + bytes / 4 + 16, count);
        loop {
            if !self.reader.read_record(&mut fields).map_err(read_error)? {
                return self.unchanged_since_the_survey().map(|()| None);
            }
            self.last_size = (fields.as_slice().len(), fields.len());
            let byte = fields.position().map_or(0, csv::Position::byte);
            let line = self.reader.get_mut().line_of_record_at(byte);
            // Spreadsheets leave rows of empty fields (`;;;`) below the data. Fields are
            // trimmed as they are taken (`Header::value`): csv's own trimming copied each row.
            if fields.iter().all(|field| field.trim().is_empty()) {
                continue;
            }
            return Ok(Some(TableRow { line, fields }));
        }
    }
}

impl Rows {
    /// Whether the bytes read are those surveyed: a file still being written, or replaced,
    /// between the two passes would be read with another's encoding and digest.
    fn unchanged_since_the_survey(&self) -> Result<(), ReadError> {
        let digest = match self.digest.lock() {
            Ok(digest) => digest.clone().finalize(),
            Err(poisoned) => poisoned.into_inner().clone().finalize(),
        };
        if hex::encode(digest) == self.surveyed {
            Ok(())
        } else {
            Err(FileError::Changed.into())
        }
    }
}

/// Passes bytes through, adding them to a digest.
struct Digesting<R> {
    inner: R,
    digest: Arc<Mutex<Sha256>>,
}

impl<R: Read> Read for Digesting<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        let mut digest = match self.digest.lock() {
            Ok(digest) => digest,
            Err(poisoned) => poisoned.into_inner(),
        };
        digest.update(&buffer[..read]);
        Ok(read)
    }
}

/// Line numbers from csv's byte positions, remembering where the line breaks are in the
/// part of the text the csv reader has not passed yet. csv's own line count goes astray
/// after blank lines and with CRLF line ends, and its position may point at the line breaks
/// before a record.
struct LineIndex<R> {
    inner: R,
    /// Bytes handed to the csv reader so far.
    offset: u64,
    /// The runs of CR and LF bytes not yet passed: a line end, or blank lines, each one run.
    breaks: VecDeque<Breaks>,
    /// LF bytes passed.
    passed_lines: u64,
}

impl<R> LineIndex<R> {
    fn new(inner: R) -> Self {
        LineIndex {
            inner,
            offset: 0,
            breaks: VecDeque::new(),
            passed_lines: 0,
        }
    }

    /// The line of the record at `byte`, or after the line breaks there; records come in
    /// order. A record starts after every run of breaks that begins at or before `byte`.
    fn line_of_record_at(&mut self, byte: u64) -> u64 {
        while let Some(run) = self.breaks.front()
            && run.start <= byte
        {
            self.passed_lines += run.line_feeds;
            self.breaks.pop_front();
        }
        self.passed_lines + 1
    }
}

/// Consecutive CR and LF bytes: from `start` up to `end`, with so many LFs among them.
struct Breaks {
    start: u64,
    end: u64,
    line_feeds: u64,
}

impl<R: Read> Read for LineIndex<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        for (index, &byte) in buffer[..read].iter().enumerate() {
            if byte != b'\n' && byte != b'\r' {
                continue;
            }
            let at = self.offset + index as u64;
            let line_feeds = u64::from(byte == b'\n');
            match self.breaks.back_mut() {
                Some(run) if run.end == at => {
                    run.end += 1;
                    run.line_feeds += line_feeds;
                }
                _ => self.breaks.push_back(Breaks {
                    start: at,
                    end: at + 1,
                    line_feeds,
                }),
            }
        }
        self.offset += read as u64;
        Ok(read)
    }
}

/// Why `head`, the first bytes of a file, are not a text file at all: a spreadsheet saved as
/// a workbook or as UTF-16, or some other binary file.
fn not_text(head: &[u8]) -> Option<FileError> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Some(FileError::Utf16);
    }
    if head.starts_with(ZIP) || head.starts_with(OLE) {
        return Some(FileError::Workbook);
    }
    if !head.contains(&0) {
        return None;
    }
    // UTF-16 without a byte-order mark: every other byte of Latin text is zero.
    let head = head.get(..4096).unwrap_or(head);
    let zeros_at = |parity| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&byte| byte == 0)
            .count()
    };
    let half = head.len() / 2;
    if zeros_at(0) * 10 >= half * 9 || zeros_at(1) * 10 >= half * 9 {
        Some(FileError::Utf16)
    } else {
        Some(FileError::NotText)
    }
}

fn read_error(error: csv::Error) -> ReadError {
    let line = error.position().map_or(0, csv::Position::line);
    let reason = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(error) => ReadError::Io(error),
        _ => ReadError::File(FileError::NotCsv { line, reason }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Kind;

    /// Hands out at most `block` bytes a read, as a slow disk or a network would.
    struct Trickle {
        bytes: Vec<u8>,
        at: usize,
        block: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let count = self.block.min(out.len()).min(self.bytes.len() - self.at);
            out[..count].copy_from_slice(&self.bytes[self.at..self.at + count]);
            self.at += count;
            Ok(count)
        }
    }

    fn trickle(bytes: &[u8], block: usize) -> Box<dyn Read + Send> {
        Box::new(Trickle {
            bytes: bytes.to_vec(),
            at: 0,
            block,
        })
    }

    /// The rows of `bytes` read in blocks of 1 byte, 7 bytes and all at once, which must
    /// agree.
    fn rows_of(
        known: &'static [Column],
        bytes: &[u8],
    ) -> Result<Vec<(u64, Vec<String>)>, FileError> {
        let read = |block| -> Result<Vec<(u64, Vec<String>)>, ReadError> {
            let survey = survey_of(trickle(bytes, block))?;
            let mut rows = Rows::read(known, trickle(bytes, block), &survey)?;
            let mut found = Vec::new();
            while let Some(row) = rows.next_row()? {
                found.push((row.line, row.fields.iter().map(str::to_owned).collect()));
            }
            Ok(found)
        };
        let whole = read(usize::MAX).map_err(ReadError::in_memory);
        for block in [1, 7] {
            assert_eq!(
                read(block).map_err(ReadError::in_memory),
                whole,
                "blocks of {block}"
            );
        }
        whole
    }

    fn lines_of(bytes: &[u8]) -> Vec<u64> {
        let rows = rows_of(Kind::Readings.columns(), bytes).unwrap();
        rows.iter().map(|(line, _)| *line).collect()
    }

    fn first_value(bytes: &[u8]) -> String {
        rows_of(Kind::Payers.columns(), bytes).unwrap()[0].1[1].clone()
    }

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        assert_eq!(
            first_value("payer_code;name\n1;Čebelar\n".as_bytes()),
            "Čebelar"
        );
        assert_eq!(
            first_value("\u{FEFF}payer_code;name\n1;Čebelar\n".as_bytes()),
            "Čebelar"
        );
    }

    #[test]
    fn decodes_windows_1250_when_not_utf8() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode("payer_code;name\n1;Čšž ČŠŽ ćđ\n");
        assert_eq!(first_value(&bytes), "Čšž ČŠŽ ćđ");
        // Valid UTF-8 up to its last byte is still not UTF-8.
        let mut bytes = "payer_code;name\n1;Čebelar\n2;A".as_bytes().to_vec();
        bytes.push(0xC4);
        assert_eq!(first_value(&bytes), "ÄŚebelar");
    }

    #[test]
    fn digests_the_bytes_as_they_are() {
        let bytes = b"\xEF\xBB\xBFpayer_code;name\n1;A\n";
        let survey = survey(&Source::from(&bytes[..])).unwrap();
        assert_eq!(survey.sha256, crate::auth::secret::sha256_hex(bytes));
    }

    #[test]
    fn names_what_is_not_a_text_file() {
        let read = |bytes: &[u8]| rows_of(Kind::Payers.columns(), bytes).unwrap_err();
        assert_eq!(read(b"\xFF\xFEp\0a\0"), FileError::Utf16);
        let utf16_no_bom: Vec<u8> = "payer_code;name\n1;A\n"
            .bytes()
            .flat_map(|byte| [byte, 0])
            .collect();
        assert_eq!(read(&utf16_no_bom), FileError::Utf16);
        assert_eq!(read(b"PK\x03\x04\x14\0\x06\0"), FileError::Workbook);
        assert_eq!(
            read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0"),
            FileError::Workbook
        );
        assert_eq!(read(b"payer_code;name\n1;A\0B\n"), FileError::NotText);
        let mut late_zero = b"payer_code;name\n".to_vec();
        late_zero.extend(b"1;A\n".repeat(BLOCK));
        late_zero.push(0);
        assert_eq!(read(&late_zero), FileError::NotText);
    }

    #[test]
    fn names_the_line_of_a_quote_never_closed() {
        let read = |bytes: &[u8]| rows_of(Kind::Payers.columns(), bytes);
        assert_eq!(
            read(b"payer_code;name\n1;\"A\n2;B\n3;C\n").unwrap_err(),
            FileError::UnclosedQuote { line: 2 }
        );
        // Doubled quotes inside quotes, quotes inside unquoted values and values over several
        // lines are all fine.
        let fine = read(b"payer_code;name\n1;\"A \"\"B\"\"\"\n2;5\" cev\n3;\"C\nD\"\n").unwrap();
        assert_eq!(fine.len(), 3);
        assert_eq!(fine[0].1[1], "A \"B\"");
    }

    #[test]
    fn counts_lines_as_an_editor_does() {
        assert_eq!(
            lines_of(b"meter_serial;date;value\nA;1.1.2020;1\n\n\"B\nC\";2.1.2020;2\n\n\n\nD;3.1.2020;3\n;;\n"),
            [2, 4, 9]
        );
        assert_eq!(
            lines_of(b"meter_serial;date;value\r\nA;1.1.2020;1\r\n\r\n\r\nB;2.1.2020;2\r\n  \r\nC;3.1.2020;3"),
            [2, 5, 7]
        );
        assert_eq!(lines_of(b"meter_serial;date;value\n\nA;1.1.2020;1\n"), [3]);
        assert_eq!(
            lines_of(b"\xEF\xBB\xBFmeter_serial;date;value\n\nA;1.1.2020;1\n"),
            [3]
        );
    }

    /// A payers file whose `filler` rows take it past the survey's first block.
    fn past_the_head(filler: usize, last_row: &[u8]) -> Vec<u8> {
        let mut bytes = b"payer_code;name\n".to_vec();
        bytes.extend(b"1;A\n".repeat(filler));
        bytes.extend(last_row);
        bytes
    }

    #[test]
    fn reads_what_follows_the_first_block_as_carefully() {
        // A two-byte letter across the boundary of the first block is still UTF-8.
        let mut bytes = past_the_head(0, b"1;");
        bytes.resize(BLOCK - 1, b'A');
        bytes.extend("Č\n2;B\n".as_bytes());
        let rows = rows_of(Kind::Payers.columns(), &bytes).unwrap();
        assert!(rows[0].1[1].ends_with('Č'), "{:?}", rows[0]);
        // A Windows-1250 letter after it makes the file Windows-1250.
        let (late, _, _) = encoding_rs::WINDOWS_1250.encode("2;Čebelar\n");
        let rows = rows_of(Kind::Payers.columns(), &past_the_head(BLOCK / 4, &late)).unwrap();
        assert_eq!(rows.last().unwrap().1[1], "Čebelar");
        // A quote opened after it and never closed is found.
        assert_eq!(
            rows_of(
                Kind::Payers.columns(),
                &past_the_head(BLOCK / 4, b"2;\"B\n3;C\n")
            )
            .unwrap_err(),
            FileError::UnclosedQuote {
                line: BLOCK as u64 / 4 + 2
            }
        );
    }

    #[test]
    fn a_survey_counts_the_lines_in_blocks_with_quotes_and_without() {
        let mut bytes = b"payer_code;name\n".to_vec();
        bytes.extend(b"1;A\n".repeat(BLOCK / 2));
        bytes.extend(b"2;\"B\nC\"\n");
        bytes.extend(b"3;D\r\n".repeat(BLOCK / 2));
        let survey = survey_of(trickle(&bytes, 1_000)).unwrap();
        assert_eq!(survey.lines, 1 + BLOCK as u64 + 2 + 1);
    }

    #[test]
    fn blank_lines_and_empty_rows_are_passed_in_little_memory() {
        let mut bytes = b"meter_serial;date;value\r\n".to_vec();
        bytes.extend(b"\r\n".repeat(100_000));
        bytes.extend(b";;\r\n".repeat(10_000));
        bytes.extend(b"A;1.1.2020;1\r\n");
        let survey = survey_of(trickle(&bytes, usize::MAX)).unwrap();
        let mut rows = Rows::read(
            Kind::Readings.columns(),
            trickle(&bytes, usize::MAX),
            &survey,
        )
        .unwrap();
        let row = rows.next_row().unwrap().unwrap();
        assert_eq!(row.line, 110_002);
        assert!(rows.reader.get_ref().breaks.len() < 10);
    }

    #[test]
    fn a_file_that_changes_between_the_two_readings_is_refused() {
        let surveyed = b"payer_code;name\n1;A\n2;B\n";
        let survey = survey_of(trickle(surveyed, usize::MAX)).unwrap();
        let read = |bytes: &[u8]| -> Result<usize, ReadError> {
            let mut rows = Rows::read(Kind::Payers.columns(), trickle(bytes, 7), &survey)?;
            let mut count = 0;
            while rows.next_row()?.is_some() {
                count += 1;
            }
            Ok(count)
        };
        assert_eq!(read(surveyed).unwrap(), 2);
        let grown = read(b"payer_code;name\n1;A\n2;B\n3;C\n").unwrap_err();
        assert_eq!(grown.in_memory(), FileError::Changed);
    }

    #[test]
    fn spaces_around_names_and_values_are_not_theirs() {
        let bytes = b" Payer_Code ; name \n 123456 ;  NOVAK JANEZ \n ; \t\n";
        let survey = survey_of(trickle(bytes, usize::MAX)).unwrap();
        let mut rows = Rows::read(Kind::Payers.columns(), trickle(bytes, 7), &survey).unwrap();
        let row = rows.next_row().unwrap().unwrap();
        assert_eq!(rows.header.value(&row, "payer_code"), Some("123456"));
        assert_eq!(rows.header.value(&row, "name"), Some("NOVAK JANEZ"));
        assert!(
            rows.next_row().unwrap().is_none(),
            "a row of blanks is no row"
        );
    }

    #[test]
    fn prefers_semicolon_as_separator() {
        let rows = rows_of(
            Kind::Readings.columns(),
            b"meter_serial;date;value;remark, comma\nA;1.1.2020;1,5;x\n",
        )
        .unwrap();
        assert_eq!(rows[0].1[2], "1,5");
    }

    #[test]
    fn file_errors() {
        let read = |bytes: &[u8]| rows_of(Kind::Readings.columns(), bytes).unwrap_err();
        assert_eq!(read(b""), FileError::Empty);
        assert_eq!(read(b"\xEF\xBB\xBF \n"), FileError::Empty);
        assert_eq!(read(b"meter_serial\tdate\tvalue\n"), FileError::NoSeparator);
        assert_eq!(
            read(b"meter_serial;Date;date;value\n"),
            FileError::DuplicateColumn {
                column: "date".into()
            }
        );
        assert_eq!(
            read(b"meter_serial;source\n"),
            FileError::MissingColumns {
                columns: vec!["date", "value"]
            }
        );
    }
}
