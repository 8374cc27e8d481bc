//! A billing file decoded into a header and rows of text, each row knowing its line.

use std::borrow::Cow;
use std::collections::HashMap;

use csv::StringRecord;

use super::kind::Column;
use super::problem::FileError;

/// The header and the non-blank rows of a file.
#[derive(Debug)]
pub(super) struct Table {
    /// The columns the file's kind knows.
    known: &'static [Column],
    /// Lower-case column name → field index; unnamed columns are left out.
    columns: HashMap<String, usize>,
    pub(super) width: usize,
    pub(super) rows: Vec<TableRow>,
}

#[derive(Debug)]
pub(super) struct TableRow {
    /// As an editor shows it: the header is line 1.
    pub(super) line: u64,
    pub(super) fields: StringRecord,
}

impl Table {
    pub(super) fn read(known: &'static [Column], bytes: &[u8]) -> Result<Table, FileError> {
        if let Some(problem) = not_text(bytes) {
            return Err(problem);
        }
        let text = decode(bytes);
        let header_line = text.lines().next().unwrap_or_default();
        if header_line.trim().is_empty() {
            return Err(FileError::Empty);
        }
        let separator = if header_line.contains(';') {
            b';'
        } else if header_line.contains(',') {
            b','
        } else {
            return Err(FileError::NoSeparator);
        };
        if let Some(offset) = unclosed_quote(text.as_bytes(), separator) {
            let before = text.as_bytes().get(..offset).unwrap_or_default();
            let breaks = before.iter().filter(|&&byte| byte == b'\n').count();
            return Err(FileError::UnclosedQuote {
                line: u64::try_from(breaks).unwrap_or(u64::MAX) + 1,
            });
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());

        let header = reader.headers().map_err(not_csv)?;
        let width = header.len();
        let mut columns = HashMap::new();
        for (index, name) in header.iter().enumerate() {
            let name = name.to_lowercase();
            if name.is_empty() {
                continue;
            }
            if columns.insert(name.clone(), index).is_some() {
                return Err(FileError::DuplicateColumn { column: name });
            }
        }
        let missing: Vec<_> = known
            .iter()
            .filter(|column| column.required && !columns.contains_key(column.name))
            .map(|column| column.name)
            .collect();
        if !missing.is_empty() {
            return Err(FileError::MissingColumns { columns: missing });
        }

        let mut lines = LineCounter {
            text: text.as_bytes(),
            counted_to: 0,
            line: 1,
        };
        let mut rows = Vec::new();
        for fields in reader.records() {
            let fields = fields.map_err(not_csv)?;
            // Spreadsheets leave rows of empty fields (`;;;`) below the data.
            if fields.iter().all(str::is_empty) {
                continue;
            }
            let byte = fields.position().map_or(0, csv::Position::byte);
            let line = lines.record_line(usize::try_from(byte).unwrap_or(usize::MAX));
            rows.push(TableRow { line, fields });
        }
        Ok(Table {
            known,
            columns,
            width,
            rows,
        })
    }

    /// The trimmed value of `column` in `row`; `None` when empty or the column is absent.
    pub(super) fn value<'row>(&self, row: &'row TableRow, column: &str) -> Option<&'row str> {
        debug_assert!(
            self.known.iter().any(|known| known.name == column),
            "{column} is not a known column"
        );
        let index = *self.columns.get(column)?;
        row.fields.get(index).filter(|value| !value.is_empty())
    }
}

/// Line numbers from csv's byte positions. Its own line count goes astray after blank lines
/// and with CRLF line ends, and its position may point at the line breaks before a record.
struct LineCounter<'a> {
    text: &'a [u8],
    counted_to: usize,
    line: u64,
}

impl LineCounter<'_> {
    /// The line of the record at `byte` (or after the line breaks there); records come in order.
    fn record_line(&mut self, byte: usize) -> u64 {
        let rest = self.text.get(byte..).unwrap_or_default();
        let start = byte
            + rest
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
        let breaks = self.text[self.counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line += breaks as u64;
        self.counted_to = start;
        self.line
    }
}

/// UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, otherwise Windows-1250, the
/// usual encoding of Slovenian Windows programs.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1250
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// Why `bytes` are not a text file at all, told before anything is read as lines: a
/// spreadsheet saved as a workbook or as UTF-16, or some other binary file.
fn not_text(bytes: &[u8]) -> Option<FileError> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Some(FileError::Utf16);
    }
    if bytes.starts_with(ZIP) || bytes.starts_with(OLE) {
        return Some(FileError::Workbook);
    }
    if !bytes.contains(&0) {
        return None;
    }
    // UTF-16 without a byte-order mark: every other byte of Latin text is zero.
    let head = bytes.get(..4096).unwrap_or(bytes);
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

/// Where a quoted value opens that is never closed, if one is: the csv reader would take the
/// rest of the file as that one value and report only a wrong number of fields.
fn unclosed_quote(text: &[u8], separator: u8) -> Option<usize> {
    let mut open = None;
    let mut at_field_start = true;
    let mut index = 0;
    while let Some(&byte) = text.get(index) {
        match open {
            // Inside quotes a doubled quote is a quote; a single one closes the value.
            Some(_) if byte == b'"' => {
                if text.get(index + 1) == Some(&b'"') {
                    index += 1;
                } else {
                    open = None;
                    at_field_start = false;
                }
            }
            Some(_) => {}
            // A quote opens a value only at its start; elsewhere it is a character like others.
            None if byte == b'"' && at_field_start => {
                open = Some(index);
                at_field_start = false;
            }
            None => at_field_start = byte == separator || byte == b'\n' || byte == b'\r',
        }
        index += 1;
    }
    open
}

fn not_csv(error: csv::Error) -> FileError {
    FileError::NotCsv {
        line: error.position().map_or(0, csv::Position::line),
        reason: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Kind;

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        assert_eq!(decode("Čebelar".as_bytes()), "Čebelar");
        assert_eq!(decode(b"\xEF\xBB\xBFa;b"), "a;b");
    }

    #[test]
    fn names_what_is_not_a_text_file() {
        let read = |bytes: &[u8]| Table::read(Kind::Payers.columns(), bytes).unwrap_err();
        let (utf16, _, _) = encoding_rs::UTF_16LE.encode("payer_code;name\n1;A\n");
        assert_eq!(read(b"\xFF\xFEp\0a\0"), FileError::Utf16);
        let utf16_no_bom: Vec<u8> = "payer_code;name\n1;A\n"
            .bytes()
            .flat_map(|byte| [byte, 0])
            .collect();
        assert_eq!(read(&utf16_no_bom), FileError::Utf16);
        assert!(!utf16.is_empty());
        assert_eq!(read(b"PK\x03\x04\x14\0\x06\0"), FileError::Workbook);
        assert_eq!(
            read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0"),
            FileError::Workbook
        );
        assert_eq!(read(b"payer_code;name\n1;A\0B\n"), FileError::NotText);
    }

    #[test]
    fn names_the_line_of_a_quote_never_closed() {
        let read = |bytes: &[u8]| Table::read(Kind::Payers.columns(), bytes);
        assert_eq!(
            read(b"payer_code;name\n1;\"A\n2;B\n3;C\n").unwrap_err(),
            FileError::UnclosedQuote { line: 2 }
        );
        // Doubled quotes inside quotes, quotes inside unquoted values and values over several
        // lines are all fine.
        let fine = read(b"payer_code;name\n1;\"A \"\"B\"\"\"\n2;5\" cev\n3;\"C\nD\"\n").unwrap();
        assert_eq!(fine.rows.len(), 3);
    }

    #[test]
    fn decodes_windows_1250_when_not_utf8() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode("Čšž ČŠŽ ćđ");
        assert_eq!(decode(&bytes), "Čšž ČŠŽ ćđ");
    }

    fn lines_of(bytes: &[u8]) -> Vec<u64> {
        let table = Table::read(Kind::Readings.columns(), bytes).unwrap();
        table.rows.iter().map(|row| row.line).collect()
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
    }

    #[test]
    fn prefers_semicolon_as_separator() {
        let table = Table::read(
            Kind::Readings.columns(),
            b"meter_serial;date;value;remark, comma\nA;1.1.2020;1,5;x\n",
        )
        .unwrap();
        assert_eq!(table.value(&table.rows[0], "value"), Some("1,5"));
    }

    #[test]
    fn file_errors() {
        assert_eq!(
            Table::read(Kind::Readings.columns(), b"").unwrap_err(),
            FileError::Empty
        );
        assert_eq!(
            Table::read(Kind::Readings.columns(), b"\xEF\xBB\xBF \n").unwrap_err(),
            FileError::Empty
        );
        assert_eq!(
            Table::read(Kind::Readings.columns(), b"meter_serial\tdate\tvalue\n").unwrap_err(),
            FileError::NoSeparator
        );
        assert_eq!(
            Table::read(Kind::Readings.columns(), b"meter_serial;Date;date;value\n").unwrap_err(),
            FileError::DuplicateColumn {
                column: "date".into()
            }
        );
        assert_eq!(
            Table::read(Kind::Readings.columns(), b"meter_serial;source\n").unwrap_err(),
            FileError::MissingColumns {
                columns: vec!["date", "value"]
            }
        );
    }
}
