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
