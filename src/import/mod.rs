//! Billing-file import (SPEC §5.1): CSV files parsed into billing records, with every bad
//! line reported, a batch at a time or, for files held in memory, whole. It reads the files
//! it is given and nothing else: `crate::app::import` applies what this parses.

pub mod json;
mod kind;
mod problem;
mod records;
mod table;
pub mod upload;

use crate::domain::billing::{
    InvoiceLineRecord, InvoiceRecord, MeterRecord, OpenItemRecord, PayerRecord, PointRecord,
    PriceRecord, ReadingRecord, VerdictRecord,
};

pub use kind::{Column, Holds, Kind};
pub use problem::{FileError, LineError, ParseFailure, Problem, Reference, describe};
pub use records::{Batch, Batches, FromRow};
pub use table::{ReadError, Source, Survey, survey};

use records::read_rows;
use table::Rows;

/// A record with the line it came from (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lined<T> {
    pub line: u64,
    pub record: T,
}

/// The records of a file that parsed without a problem, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParsedFile {
    Payers(Vec<Lined<PayerRecord>>),
    Points(Vec<Lined<PointRecord>>),
    Meters(Vec<Lined<MeterRecord>>),
    Readings(Vec<Lined<ReadingRecord>>),
    Prices(Vec<Lined<PriceRecord>>),
    Invoices(Vec<Lined<InvoiceRecord>>),
    InvoiceLines(Vec<Lined<InvoiceLineRecord>>),
    OpenItems(Vec<Lined<OpenItemRecord>>),
}

impl ParsedFile {
    pub fn kind(&self) -> Kind {
        match self {
            ParsedFile::Payers(_) => Kind::Payers,
            ParsedFile::Points(_) => Kind::Points,
            ParsedFile::Meters(_) => Kind::Meters,
            ParsedFile::Readings(_) => Kind::Readings,
            ParsedFile::Prices(_) => Kind::Prices,
            ParsedFile::Invoices(_) => Kind::Invoices,
            ParsedFile::InvoiceLines(_) => Kind::InvoiceLines,
            ParsedFile::OpenItems(_) => Kind::OpenItems,
        }
    }

    /// The number of records.
    pub fn len(&self) -> usize {
        match self {
            ParsedFile::Payers(rows) => rows.len(),
            ParsedFile::Points(rows) => rows.len(),
            ParsedFile::Meters(rows) => rows.len(),
            ParsedFile::Readings(rows) => rows.len(),
            ParsedFile::Prices(rows) => rows.len(),
            ParsedFile::Invoices(rows) => rows.len(),
            ParsedFile::InvoiceLines(rows) => rows.len(),
            ParsedFile::OpenItems(rows) => rows.len(),
        }
    }

    /// No records; for `open_items` that means nobody owes anything.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Parses a whole file of `kind` held in memory: all its records, or why the file is
/// unusable, or every bad line.
pub fn parse_file(kind: Kind, bytes: &[u8]) -> Result<ParsedFile, ParseFailure> {
    let mut rows = rows_in_memory(kind.columns(), bytes)?;
    let rows = &mut rows;
    match kind {
        Kind::Payers => read_rows(rows).map(ParsedFile::Payers),
        Kind::Points => read_rows(rows).map(ParsedFile::Points),
        Kind::Meters => read_rows(rows).map(ParsedFile::Meters),
        Kind::Readings => read_rows(rows).map(ParsedFile::Readings),
        Kind::Prices => read_rows(rows).map(ParsedFile::Prices),
        Kind::Invoices => read_rows(rows).map(ParsedFile::Invoices),
        Kind::InvoiceLines => read_rows(rows).map(ParsedFile::InvoiceLines),
        Kind::OpenItems => read_rows(rows).map(ParsedFile::OpenItems),
    }
}

fn rows_in_memory(columns: &'static [Column], bytes: &[u8]) -> Result<Rows, FileError> {
    let source = Source::from(bytes);
    let survey = survey(&source).map_err(ReadError::in_memory)?;
    Rows::open(columns, &source, &survey).map_err(ReadError::in_memory)
}

/// The columns of billing's feedback file (SPEC §4): its verdicts on the readings it took.
pub const VERDICT_COLUMNS: &[Column] = &[
    Column::required("meter_serial", Holds::Text),
    Column::required("date", Holds::Date),
    Column::required("status", Holds::Text),
    Column::optional("reason", Holds::Text),
    Column::optional("reason_code", Holds::Text),
];

/// Parses billing's feedback file, read like the billing files: every verdict, or why the
/// file is unusable, or every bad line.
pub fn parse_verdicts(bytes: &[u8]) -> Result<Vec<Lined<VerdictRecord>>, ParseFailure> {
    read_rows(&mut rows_in_memory(VERDICT_COLUMNS, bytes)?)
}

#[cfg(test)]
mod tests;
