//! A utility's worth of generated data written as billing files (SPEC §5.1), for measuring
//! the import and the pages at scale: `eportal demo --payers N --out DIR`.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::generate::{Extent, each_payer};
use super::prices;
use crate::domain::vat::VatRate;
use crate::import::Kind;

#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Csv { path: String, source: csv::Error },
}

/// How many rows each file got, in import order.
pub type RowCounts = Vec<(Kind, u64)>;

/// One file being written.
struct Output {
    path: String,
    writer: csv::Writer<BufWriter<File>>,
    rows: u64,
}

impl Output {
    fn create(dir: &Path, kind: Kind) -> Result<Output, FilesError> {
        let path = dir.join(format!("{}.csv", kind.as_str()));
        let name = path.display().to_string();
        let file = File::create(&path).map_err(|source| FilesError::Io {
            path: name.clone(),
            source,
        })?;
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(BufWriter::with_capacity(1 << 20, file));
        let header = kind.columns().iter().map(|column| column.name);
        writer
            .write_record(header)
            .map_err(|source| FilesError::Csv {
                path: name.clone(),
                source,
            })?;
        Ok(Output {
            path: name,
            writer,
            rows: 0,
        })
    }

    /// A row whose fields are in the order of the kind's columns.
    fn row<const N: usize>(&mut self, fields: [String; N]) -> Result<(), FilesError> {
        self.rows += 1;
        self.writer
            .write_record(fields)
            .map_err(|source| FilesError::Csv {
                path: self.path.clone(),
                source,
            })
    }

    fn finish(self) -> Result<u64, FilesError> {
        let failed = |source| FilesError::Io {
            path: self.path.clone(),
            source,
        };
        let file = self
            .writer
            .into_inner()
            .map_err(|error| failed(error.into_error()))?
            .into_inner()
            .map_err(|error| failed(error.into_error()))?;
        file.sync_all().map_err(failed)?;
        Ok(self.rows)
    }
}

/// The eight files, in import order.
struct Files {
    payers: Output,
    prices: Output,
    points: Output,
    meters: Output,
    readings: Output,
    invoices: Output,
    invoice_lines: Output,
    open_items: Output,
}

impl Files {
    fn create(dir: &Path) -> Result<Files, FilesError> {
        Ok(Files {
            payers: Output::create(dir, Kind::Payers)?,
            prices: Output::create(dir, Kind::Prices)?,
            points: Output::create(dir, Kind::Points)?,
            meters: Output::create(dir, Kind::Meters)?,
            readings: Output::create(dir, Kind::Readings)?,
            invoices: Output::create(dir, Kind::Invoices)?,
            invoice_lines: Output::create(dir, Kind::InvoiceLines)?,
            open_items: Output::create(dir, Kind::OpenItems)?,
        })
    }

    fn finish(self) -> Result<RowCounts, FilesError> {
        Ok(vec![
            (Kind::Payers, self.payers.finish()?),
            (Kind::Prices, self.prices.finish()?),
            (Kind::Points, self.points.finish()?),
            (Kind::Meters, self.meters.finish()?),
            (Kind::Readings, self.readings.finish()?),
            (Kind::Invoices, self.invoices.finish()?),
            (Kind::InvoiceLines, self.invoice_lines.finish()?),
            (Kind::OpenItems, self.open_items.finish()?),
        ])
    }
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn day(value: Option<NaiveDate>) -> String {
    value.map(|day| day.to_string()).unwrap_or_default()
}

fn rate(value: VatRate) -> String {
    Decimal::new(i64::from(value.as_basis_points()), 2)
        .normalize()
        .to_string()
}

/// Writes the eight files of `payers` payers (the demo's own among them) into `dir`, as of
/// `today`, one payer at a time; answers how many rows each file got.
pub fn write_files(dir: &Path, today: NaiveDate, payers: usize) -> Result<RowCounts, FilesError> {
    std::fs::create_dir_all(dir).map_err(|source| FilesError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut files = Files::create(dir)?;
    for price in prices::price_records() {
        files.prices.row([
            price.service_code,
            price.name,
            price.unit,
            price.price.to_decimal().to_string(),
            rate(price.vat_rate),
            price.valid_from.to_string(),
        ])?;
    }
    let mut failure = None;
    each_payer(today, Extent::Utility { payers }, |data| {
        if failure.is_some() {
            return;
        }
        let write = || -> Result<(), FilesError> {
            let payer = data.payer;
            files.payers.row([
                payer.code.to_string(),
                payer.name,
                text(&payer.street),
                text(&payer.postal_code),
                text(&payer.city),
                payer
                    .tax_number
                    .map(|number| number.to_string())
                    .unwrap_or_default(),
                text(&payer.email),
                text(&payer.phone),
            ])?;
            for point in data.points {
                files.points.row([
                    point.code,
                    point.payer_code.to_string(),
                    text(&point.street),
                    text(&point.postal_code),
                    text(&point.city),
                    text(&point.kind),
                    point.services.join(" "),
                    if point.active { "1" } else { "0" }.to_owned(),
                ])?;
            }
            for meter in data.meters {
                files.meters.row([
                    meter.serial,
                    meter.point_code,
                    meter.medium,
                    meter.unit,
                    meter.digits.to_string(),
                    meter.decimals.to_string(),
                    meter.dn.map(|dn| dn.to_string()).unwrap_or_default(),
                    meter.installed_on.to_string(),
                    day(meter.removed_on),
                ])?;
            }
            for reading in data.readings {
                files.readings.row([
                    reading.meter_serial,
                    reading.read_on.to_string(),
                    reading.value.to_m3_decimal().to_string(),
                    reading.source.as_str().to_owned(),
                ])?;
            }
            for invoice in data.invoices {
                let record = invoice.record;
                files.invoices.row([
                    record.number,
                    record.payer_code.to_string(),
                    text(&record.point_code),
                    record.issue_date.to_string(),
                    day(record.period_from),
                    day(record.period_to),
                    record.due_date.to_string(),
                    record.net.to_decimal().to_string(),
                    record.vat.to_decimal().to_string(),
                    record.total.to_decimal().to_string(),
                    text(&record.reference),
                ])?;
                for line in invoice.lines {
                    files.invoice_lines.row([
                        line.invoice_number,
                        line.line_no.to_string(),
                        text(&line.service_code),
                        line.description,
                        line.quantity
                            .map(|quantity| quantity.to_decimal().to_string())
                            .unwrap_or_default(),
                        text(&line.unit),
                        line.unit_price
                            .map(|price| price.to_decimal().to_string())
                            .unwrap_or_default(),
                        line.vat_rate.map(rate).unwrap_or_default(),
                        line.amount.to_decimal().to_string(),
                    ])?;
                }
            }
            for item in data.open_items {
                files.open_items.row([
                    item.payer_code.to_string(),
                    item.document_number,
                    item.document_date.to_string(),
                    item.due_date.to_string(),
                    item.amount.to_decimal().to_string(),
                    item.open_amount.to_decimal().to_string(),
                ])?;
            }
            Ok(())
        };
        if let Err(error) = write() {
            failure = Some(error);
        }
    });
    if let Some(error) = failure {
        return Err(error);
    }
    files.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row has as many fields as its file has columns, and the same data twice gives
    /// the same files.
    #[test]
    fn rows_fit_their_headers_and_repeat() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        let counts = write_files(first.path(), today, 80).unwrap();
        write_files(second.path(), today, 80).unwrap();
        for (kind, rows) in counts {
            let name = format!("{}.csv", kind.as_str());
            let bytes = std::fs::read(first.path().join(&name)).unwrap();
            assert_eq!(bytes, std::fs::read(second.path().join(&name)).unwrap());
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(b';')
                .from_reader(bytes.as_slice());
            assert_eq!(reader.headers().unwrap().len(), kind.columns().len());
            let records: Vec<_> = reader.records().map(Result::unwrap).collect();
            assert_eq!(records.len() as u64, rows, "{name}");
            assert!(rows > 0, "{name}");
            assert!(
                records
                    .iter()
                    .all(|record| record.len() == kind.columns().len())
            );
        }
    }
}
