//! Rows of a table read into the billing records, collecting every problem of every row.

use std::collections::HashMap;
use std::marker::PhantomData;

use chrono::NaiveDate;

use crate::domain::billing::{
    InvoiceLineRecord, InvoiceRecord, MeterRecord, OpenItemRecord, PayerRecord, PointRecord,
    PriceRecord, ReadingRecord, ReadingSource, ReasonCode, Verdict, VerdictRecord,
};
use crate::domain::dates::{self, parse_date};
use crate::domain::decimal::DecimalError;
use crate::domain::money::{Cents, UnitPrice};
use crate::domain::payer_code::PayerCode;
use crate::domain::quantity::{Quantity, Volume};
use crate::domain::tax_number::TaxNumber;
use crate::domain::vat::VatRate;

use super::problem::{LineError, ParseFailure, Problem};
use super::table::{Header, ReadError, Rows, Source, Survey, TableRow};
use super::{Column, Lined};

/// Names, addresses and descriptions.
const TEXT_MAX_CHARS: usize = 200;
/// Codes, serial numbers, units and other short identifiers.
const CODE_MAX_CHARS: usize = 40;

/// A billing record as one row of a file.
pub trait FromRow: Sized {
    /// `None` when the row has problems, which it has recorded.
    fn from_row(row: &mut Row) -> Option<Self>;

    /// What must be unique within a file; `None` for kinds without a key.
    fn key(&self) -> Option<String>;
}

/// The record of one row, or `None` when it has problems, which are added to `errors`.
fn record_of<T: FromRow>(
    header: &Header,
    table_row: &TableRow,
    errors: &mut Vec<LineError>,
) -> Option<T> {
    if table_row.fields.len() != header.width {
        errors.push(LineError::new(
            table_row.line,
            None,
            Problem::WrongFieldCount {
                expected: header.width,
                found: table_row.fields.len(),
            },
        ));
        return None;
    }
    T::from_row(&mut Row {
        header,
        table_row,
        errors,
    })
}

/// Every row as `T`, or the problems of every bad row, keys found twice included; for a
/// file held in memory, whose records are.
pub(super) fn read_rows<T: FromRow>(rows: &mut Rows) -> Result<Vec<Lined<T>>, ParseFailure> {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut first_line_of_key = HashMap::new();
    while let Some(table_row) = rows.next_row().map_err(ReadError::in_memory)? {
        let line = table_row.line;
        let Some(record) = record_of::<T>(&rows.header, &table_row, &mut errors) else {
            continue;
        };
        if let Some(key) = record.key() {
            if let Some(&first_line) = first_line_of_key.get(&key) {
                errors.push(LineError::new(
                    line,
                    None,
                    Problem::DuplicateKey { key, first_line },
                ));
                continue;
            }
            first_line_of_key.insert(key, line);
        }
        records.push(Lined { line, record });
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(ParseFailure::Lines(errors))
    }
}

/// The records of a file read a batch at a time, in bounded memory. Keys are not compared
/// here: the store finds the keys a file has twice among all its staged rows.
pub struct Batches<T> {
    rows: Rows,
    record: PhantomData<fn() -> T>,
}

/// The records of some rows of a file, and the problems of the others.
#[derive(Debug)]
pub struct Batch<T> {
    pub records: Vec<Lined<T>>,
    pub errors: Vec<LineError>,
}

impl<T: FromRow> Batches<T> {
    pub fn open(
        columns: &'static [Column],
        source: &Source,
        survey: &Survey,
    ) -> Result<Self, ReadError> {
        Ok(Batches {
            rows: Rows::open(columns, source, survey)?,
            record: PhantomData,
        })
    }

    /// The next `size` rows, or `None` at the end of the file.
    pub fn next_batch(&mut self, size: usize) -> Result<Option<Batch<T>>, ReadError> {
        let mut batch = Batch {
            records: Vec::with_capacity(size),
            errors: Vec::new(),
        };
        for _ in 0..size {
            let Some(table_row) = self.rows.next_row()? else {
                break;
            };
            if let Some(record) = record_of(&self.rows.header, &table_row, &mut batch.errors) {
                batch.records.push(Lined {
                    line: table_row.line,
                    record,
                });
            }
        }
        let empty = batch.records.is_empty() && batch.errors.is_empty();
        Ok((!empty).then_some(batch))
    }
}

/// One row being read: its values by column, and where its problems go.
pub struct Row<'a> {
    header: &'a Header,
    table_row: &'a TableRow,
    errors: &'a mut Vec<LineError>,
}

impl Row<'_> {
    /// `Some(None)` when empty, `None` when the value is bad (the problem is recorded).
    fn optional<T>(
        &mut self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Option<Option<T>> {
        let Some(text) = self.header.value(self.table_row, column) else {
            return Some(None);
        };
        match parse(text) {
            Ok(value) => Some(Some(value)),
            Err(problem) => {
                self.fail(column, problem);
                None
            }
        }
    }

    /// `None` when empty or bad (the problem is recorded).
    fn required<T>(
        &mut self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Option<T> {
        let value = self.optional(column, parse)?;
        if value.is_none() {
            self.fail(column, Problem::MissingValue);
        }
        value
    }

    fn fail(&mut self, column: &str, problem: Problem) {
        self.errors
            .push(LineError::new(self.table_row.line, Some(column), problem));
    }
}

fn text(value: &str) -> Result<String, Problem> {
    limited(value, TEXT_MAX_CHARS)
}

fn short_text(value: &str) -> Result<String, Problem> {
    limited(value, CODE_MAX_CHARS)
}

fn limited(value: &str, max: usize) -> Result<String, Problem> {
    if value.chars().count() > max {
        Err(Problem::TooLong { max })
    } else {
        Ok(value.to_owned())
    }
}

/// Service codes separated by spaces, each once.
fn service_codes(value: &str) -> Result<Vec<String>, Problem> {
    let mut codes: Vec<String> = Vec::new();
    for service in value.split_whitespace() {
        let service = short_text(service)?;
        if !codes.contains(&service) {
            codes.push(service);
        }
    }
    Ok(codes)
}

fn payer_code(value: &str) -> Result<PayerCode, Problem> {
    PayerCode::parse(value).map_err(|_| Problem::BadPayerCode {
        text: value.to_owned(),
    })
}

fn tax_number(value: &str) -> Result<TaxNumber, Problem> {
    TaxNumber::parse(value).map_err(|_| Problem::BadTaxNumber {
        text: value.to_owned(),
    })
}

fn date(value: &str) -> Result<NaiveDate, Problem> {
    parse_date(value).map_err(|_| Problem::BadDate {
        text: value.to_owned(),
    })
}

fn number_problem(value: &str, error: DecimalError) -> Problem {
    let text = value.to_owned();
    match error {
        DecimalError::TooManyDecimals { max_scale } => Problem::TooManyDecimals {
            text,
            max: max_scale,
        },
        DecimalError::Negative => Problem::Negative { text },
        DecimalError::OutOfRange => Problem::NumberTooLarge { text },
        DecimalError::Empty | DecimalError::NotANumber => Problem::BadNumber { text },
    }
}

fn cents(value: &str) -> Result<Cents, Problem> {
    Cents::parse(value).map_err(|error| number_problem(value, error))
}

fn unit_price(value: &str) -> Result<UnitPrice, Problem> {
    UnitPrice::parse(value).map_err(|error| number_problem(value, error))
}

/// Price lists have no negative prices; invoice lines may (discounts).
fn list_price(value: &str) -> Result<UnitPrice, Problem> {
    let price = unit_price(value)?;
    if price.0 < 0 {
        return Err(Problem::Negative {
            text: value.to_owned(),
        });
    }
    Ok(price)
}

fn volume(value: &str) -> Result<Volume, Problem> {
    Volume::parse(value).map_err(|error| number_problem(value, error))
}

fn quantity(value: &str) -> Result<Quantity, Problem> {
    Quantity::parse(value).map_err(|error| number_problem(value, error))
}

fn vat_rate(value: &str) -> Result<VatRate, Problem> {
    VatRate::parse(value).map_err(|_| Problem::BadVatRate {
        text: value.to_owned(),
    })
}

fn reading_source(value: &str) -> Result<ReadingSource, Problem> {
    ReadingSource::parse(value).ok_or_else(|| Problem::BadReadingSource {
        text: value.to_owned(),
    })
}

fn boolean(value: &str) -> Result<bool, Problem> {
    match value.to_lowercase().as_str() {
        "1" | "true" | "da" => Ok(true),
        "0" | "false" | "ne" => Ok(false),
        _ => Err(Problem::BadBoolean {
            text: value.to_owned(),
        }),
    }
}

/// A whole number within `range`.
fn integer<T: TryFrom<i64>>(
    range: std::ops::RangeInclusive<i64>,
) -> impl FnOnce(&str) -> Result<T, Problem> {
    move |value| {
        let text = value.to_owned();
        let unsigned = value.strip_prefix('-').unwrap_or(value);
        if unsigned.is_empty() || !unsigned.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(Problem::BadNumber { text });
        }
        let out_of_range = || Problem::OutOfRange {
            text: value.to_owned(),
            min: *range.start(),
            max: *range.end(),
        };
        let number: i64 = value.parse().map_err(|_| out_of_range())?;
        if !range.contains(&number) {
            return Err(out_of_range());
        }
        T::try_from(number).map_err(|_| out_of_range())
    }
}

/// `a / b / c`, for duplicate keys.
fn compound_key(parts: &[&str]) -> String {
    parts.join(" / ")
}

impl FromRow for PayerRecord {
    fn from_row(row: &mut Row) -> Option<Self> {
        let code = row.required("payer_code", payer_code);
        let name = row.required("name", text);
        let street = row.optional("street", text);
        let postal_code = row.optional("postal_code", short_text);
        let city = row.optional("city", text);
        let tax_number = row.optional("tax_number", tax_number);
        let email = row.optional("email", text);
        let phone = row.optional("phone", short_text);
        Some(PayerRecord {
            code: code?,
            name: name?,
            street: street?,
            postal_code: postal_code?,
            city: city?,
            tax_number: tax_number?,
            email: email?,
            phone: phone?,
        })
    }

    fn key(&self) -> Option<String> {
        Some(self.code.to_string())
    }
}

impl FromRow for PointRecord {
    fn from_row(row: &mut Row) -> Option<Self> {
        let code = row.required("point_code", short_text);
        let payer_code = row.required("payer_code", payer_code);
        let street = row.optional("street", text);
        let postal_code = row.optional("postal_code", short_text);
        let city = row.optional("city", text);
        let kind = row.optional("kind", text);
        let services = row.optional("services", service_codes);
        let active = row.optional("active", boolean);
        Some(PointRecord {
            code: code?,
            payer_code: payer_code?,
            street: street?,
            postal_code: postal_code?,
            city: city?,
            kind: kind?,
            services: services?.unwrap_or_default(),
            active: active?.unwrap_or(true),
        })
    }

    fn key(&self) -> Option<String> {
        Some(self.code.clone())
    }
}

impl FromRow for MeterRecord {
    fn from_row(row: &mut Row) -> Option<Self> {
        let serial = row.required("meter_serial", short_text);
        let point_code = row.required("point_code", short_text);
        let medium = row.optional("medium", short_text);
        let unit = row.optional("unit", short_text);
        // 10^digits m³ in litres stays far inside an i64.
        let digits = row.optional("digits", integer(1..=12));
        // Readings are held in litres.
        let decimals = row.optional("decimals", integer(0..=3));
        let dn = row.optional("dn", integer(1..=i64::from(u16::MAX)));
        let installed_on = row.required("installed_on", date);
        let mut removed_on = row.optional("removed_on", date);
        if let (Some(installed), Some(Some(removed))) = (installed_on, removed_on)
            && removed < installed
        {
            row.fail("removed_on", Problem::RemovedBeforeInstalled);
            removed_on = None;
        }
        Some(MeterRecord {
            serial: serial?,
            point_code: point_code?,
            medium: medium?.unwrap_or_else(|| "cold_water".to_owned()),
            unit: unit?.unwrap_or_else(|| "m3".to_owned()),
            digits: digits?.unwrap_or(5),
            decimals: decimals?.unwrap_or(3),
            dn: dn?,
            installed_on: installed_on?,
            removed_on: removed_on?,
        })
    }

    fn key(&self) -> Option<String> {
        Some(self.serial.clone())
    }
}

impl FromRow for ReadingRecord {
    fn from_row(row: &mut Row) -> Option<Self> {
        let meter_serial = row.required("meter_serial", short_text);
        let read_on = row.required("date", date);
        let value = row.required("value", volume);
        let source = row.optional("source", reading_source);
        Some(ReadingRecord {
            meter_serial: meter_serial?,
            read_on: read_on?,
            value: value?,
            source: source?.unwrap_or(ReadingSource::Reader),
        })
    }

    fn key(&self) -> Option<String> {
        Some(compound_key(&[
            &self.meter_serial,
            &dates::format_sl(self.read_on),
            self.source.as_str(),
        ]))
    }
}

impl FromRow for VerdictRecord {
    fn from_row(row: &mut Row) -> Option<Self> {
        let meter_serial = row.required("meter_serial", short_text);
        let read_on = row.required("date", date);
        let accepted = row.required("status", verdict_status);
        let reason = row.optional("reason", text);
        let code = row.optional("reason_code", reason_code);
        let verdict = match (accepted?, reason?) {
            (true, _) => Verdict::Accepted,
            (false, Some(reason)) => Verdict::Rejected {
                code: code?.unwrap_or(ReasonCode::Other),
                reason,
            },
            (false, None) => {
                // The customer is told why; a refusal without a reason would tell them nothing.
                row.fail("reason", Problem::MissingValue);
                return None;
            }
        };
        Some(VerdictRecord {
            meter_serial: meter_serial?,
            read_on: read_on?,
            verdict,
        })
    }

    fn key(&self) -> Option<String> {
        Some(compound_key(&[
            &self.meter_serial,
            &dates::format_sl(self.read_on),
        ]))
    }
}

fn reason_code(value: &str) -> Result<ReasonCode, Problem> {
    ReasonCode::parse(value).ok_or_else(|| Problem::BadReasonCode {
        text: value.to_owned(),
    })
}

/// `accepted` (true) or `rejected` (false).
fn verdict_status(value: &str) -> Result<bool, Problem> {
    match value.to_lowercase().as_str() {
        "accepted" => Ok(true),
        "rejected" => Ok(false),
        _ => Err(Problem::BadVerdict {
            text: value.to_owned(),
        }),
    }
}

impl FromRow for PriceRecord {
    fn from_row(row: &mut Row) -> Option<Self> {
        let service_code = row.required("service_code", short_text);
        let name = row.required("name", text);
        let unit = row.required("unit", short_text);
        let price = row.required("price", list_price);
        let vat_rate = row.required("vat_rate", vat_rate);
        let valid_from = row.required("valid_from", date);
        Some(PriceRecord {
            service_code: service_code?,
            name: name?,
            unit: unit?,
            price: price?,
            vat_rate: vat_rate?,
            valid_from: valid_from?,
        })
    }

    fn key(&self) -> Option<String> {
        Some(compound_key(&[
            &self.service_code,
            &dates::format_sl(self.valid_from),
        ]))
    }
}

impl FromRow for InvoiceRecord {
    fn from_row(row: &mut Row) -> Option<Self> {
        let number = row.required("invoice_number", short_text);
        let payer_code = row.required("payer_code", payer_code);
        let point_code = row.optional("point_code", short_text);
        let issue_date = row.required("issue_date", date);
        let period_from = row.optional("period_from", date);
        let mut period_to = row.optional("period_to", date);
        if let (Some(Some(from)), Some(Some(to))) = (period_from, period_to)
            && to < from
        {
            row.fail("period_to", Problem::PeriodToBeforeFrom);
            period_to = None;
        }
        let due_date = row.required("due_date", date);
        let net = row.required("net", cents);
        let vat = row.required("vat", cents);
        let total = row.required("total", cents);
        let reference = row.optional("reference", short_text);
        Some(InvoiceRecord {
            number: number?,
            payer_code: payer_code?,
            point_code: point_code?,
            issue_date: issue_date?,
            period_from: period_from?,
            period_to: period_to?,
            due_date: due_date?,
            net: net?,
            vat: vat?,
            total: total?,
            reference: reference?,
        })
    }

    fn key(&self) -> Option<String> {
        Some(self.number.clone())
    }
}

impl FromRow for InvoiceLineRecord {
    fn from_row(row: &mut Row) -> Option<Self> {
        let invoice_number = row.required("invoice_number", short_text);
        // The database keeps a line number in 32 signed bits.
        let line_no = row.required("line_no", integer(1..=i64::from(i32::MAX)));
        let service_code = row.optional("service_code", short_text);
        let description = row.required("description", text);
        let quantity = row.optional("quantity", quantity);
        let unit = row.optional("unit", short_text);
        let unit_price = row.optional("unit_price", unit_price);
        let vat_rate = row.optional("vat_rate", vat_rate);
        let amount = row.required("amount", cents);
        Some(InvoiceLineRecord {
            invoice_number: invoice_number?,
            line_no: line_no?,
            service_code: service_code?,
            description: description?,
            quantity: quantity?,
            unit: unit?,
            unit_price: unit_price?,
            vat_rate: vat_rate?,
            amount: amount?,
        })
    }

    fn key(&self) -> Option<String> {
        Some(compound_key(&[
            &self.invoice_number,
            &self.line_no.to_string(),
        ]))
    }
}

impl FromRow for OpenItemRecord {
    fn from_row(row: &mut Row) -> Option<Self> {
        let payer_code = row.required("payer_code", payer_code);
        let document_number = row.required("document_number", short_text);
        let document_date = row.required("document_date", date);
        let due_date = row.required("due_date", date);
        let amount = row.required("amount", cents);
        let open_amount = row.required("open_amount", cents);
        Some(OpenItemRecord {
            payer_code: payer_code?,
            document_number: document_number?,
            document_date: document_date?,
            due_date: due_date?,
            amount: amount?,
            open_amount: open_amount?,
        })
    }

    /// The file is the complete set of open items; a document may have several.
    fn key(&self) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_within_range() {
        let digits = |text| integer::<u8>(1..=12)(text);
        assert_eq!(digits("5"), Ok(5));
        assert_eq!(digits("12"), Ok(12));
        for text in ["0", "13", "-1", "99999999999999999999"] {
            assert_eq!(
                digits(text),
                Err(Problem::OutOfRange {
                    text: text.into(),
                    min: 1,
                    max: 12
                }),
                "{text}"
            );
        }
        for text in ["5,0", "x", "-", "+5", " 5"] {
            assert_eq!(
                digits(text),
                Err(Problem::BadNumber { text: text.into() }),
                "{text}"
            );
        }
    }

    #[test]
    fn booleans_in_english_and_slovenian() {
        for (text, value) in [
            ("1", true),
            ("TRUE", true),
            ("Da", true),
            ("0", false),
            ("false", false),
            ("NE", false),
        ] {
            assert_eq!(boolean(text), Ok(value), "{text}");
        }
        assert_eq!(
            boolean("yes"),
            Err(Problem::BadBoolean { text: "yes".into() })
        );
    }

    #[test]
    fn service_codes_split_on_spaces_once_each() {
        assert_eq!(
            service_codes(" VODA  KAN\tVODA SMET"),
            Ok(vec!["VODA".into(), "KAN".into(), "SMET".into()])
        );
        assert_eq!(
            service_codes(&"X".repeat(41)),
            Err(Problem::TooLong { max: 40 })
        );
    }

    #[test]
    fn text_length_counts_characters() {
        assert!(text(&"Č".repeat(200)).is_ok());
        assert_eq!(text(&"Č".repeat(201)), Err(Problem::TooLong { max: 200 }));
    }
}
