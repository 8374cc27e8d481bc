//! Importing billing files (SPEC §5.1): a file parsed by `crate::import`, its references
//! checked against the database, then upserted, all in one transaction, so a file is stored
//! whole or not at all; the run is kept in the import history and the audit trail.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use chrono::Utc;

use crate::auth::secret::sha256_hex;
use crate::import::{
    Kind, LineError, Lined, ParseFailure, ParsedFile, Problem, Reference, parse_file,
};
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::billing::{self, Changes, ImportRun, KeyTable};
use crate::store::{Db, StoreError, Tx, begin_write};

/// How a file arrived, for the import history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    CommandLine,
    BackOffice,
    Api,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::CommandLine => "cli",
            Channel::BackOffice => "back_office",
            Channel::Api => "api",
        }
    }
}

/// What an import did, or with `dry_run` would have done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub rows: usize,
    pub changes: Changes,
    pub dry_run: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Rejected(#[from] ParseFailure),
    #[error("invoice PDFs: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    PdfsRejected(Vec<PdfProblem>),
    #[error("database: {0}")]
    Database(#[from] StoreError),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

/// Imports one billing file of `kind`.
pub async fn import_file(
    db: &Db,
    kind: Kind,
    file_name: &str,
    bytes: &[u8],
    channel: Channel,
    dry_run: bool,
) -> Result<Outcome, ImportError> {
    let parsed = parse_file(kind, bytes)?;
    let txn = begin_write(db).await?;
    let unknown = unknown_references(&txn, &parsed).await?;
    if !unknown.is_empty() {
        txn.rollback().await?;
        return Err(ParseFailure::Lines(unknown).into());
    }
    let now = Utc::now();
    let changes = write(&txn, &parsed, now).await?;
    let outcome = Outcome {
        rows: parsed.len(),
        changes,
        dry_run,
    };
    if dry_run {
        txn.rollback().await?;
    } else {
        let sha256 = sha256_hex(bytes);
        billing::record_import_run(
            &txn,
            ImportRun {
                kind: kind.as_str(),
                file_name,
                sha256: &sha256,
                rows: outcome.rows,
                changes,
                origin: channel.as_str(),
            },
            now,
        )
        .await?;
        record_event(&txn, channel, kind.as_str(), file_name, &outcome).await?;
        txn.commit().await?;
    }
    Ok(outcome)
}

/// The audit event of an import that was stored.
async fn record_event(
    txn: &Tx,
    channel: Channel,
    kind: &str,
    file_name: &str,
    outcome: &Outcome,
) -> Result<(), StoreError> {
    let changes = outcome.changes;
    let event = Event::new(Actor::System, AuditAction::ImportApplied)
        .subject(file_name.to_owned())
        .details(serde_json::json!({
            "kind": kind,
            "channel": channel.as_str(),
            "rows": outcome.rows,
            "inserted": changes.inserted,
            "updated": changes.updated,
            "unchanged": changes.unchanged,
            "deleted": changes.deleted,
        }));
    audit::record(txn, event, Utc::now()).await
}

async fn write(
    txn: &Tx,
    parsed: &ParsedFile,
    now: chrono::DateTime<Utc>,
) -> Result<Changes, StoreError> {
    fn records<T: Clone>(rows: &[Lined<T>]) -> Vec<T> {
        rows.iter().map(|row| row.record.clone()).collect()
    }
    match parsed {
        ParsedFile::Payers(rows) => billing::upsert_payers(txn, &records(rows), now).await,
        ParsedFile::Prices(rows) => billing::upsert_prices(txn, &records(rows), now).await,
        ParsedFile::Points(rows) => billing::upsert_points(txn, &records(rows), now).await,
        ParsedFile::Meters(rows) => billing::upsert_meters(txn, &records(rows), now).await,
        ParsedFile::Readings(rows) => billing::upsert_readings(txn, &records(rows), now).await,
        ParsedFile::Invoices(rows) => billing::upsert_invoices(txn, &records(rows), now).await,
        ParsedFile::InvoiceLines(rows) => {
            billing::upsert_invoice_lines(txn, &records(rows), now).await
        }
        ParsedFile::OpenItems(rows) => billing::replace_open_items(txn, &records(rows)).await,
    }
}

/// A value on a line that must name something the database already holds.
struct Mention<'a> {
    line: u64,
    column: &'static str,
    what: Reference,
    key: &'a str,
}

fn mentions(parsed: &ParsedFile) -> Vec<Mention<'_>> {
    let mut found = Vec::new();
    let mut mention = |line, column, what, key| {
        found.push(Mention {
            line,
            column,
            what,
            key,
        });
    };
    match parsed {
        ParsedFile::Payers(_) | ParsedFile::Prices(_) => {}
        ParsedFile::Points(rows) => {
            for Lined { line, record } in rows {
                mention(
                    *line,
                    "payer_code",
                    Reference::Payer,
                    record.payer_code.as_str(),
                );
                for service in &record.services {
                    mention(*line, "services", Reference::Service, service);
                }
            }
        }
        ParsedFile::Meters(rows) => {
            for Lined { line, record } in rows {
                mention(*line, "point_code", Reference::Point, &record.point_code);
            }
        }
        ParsedFile::Readings(rows) => {
            for Lined { line, record } in rows {
                mention(
                    *line,
                    "meter_serial",
                    Reference::Meter,
                    &record.meter_serial,
                );
            }
        }
        ParsedFile::Invoices(rows) => {
            for Lined { line, record } in rows {
                mention(
                    *line,
                    "payer_code",
                    Reference::Payer,
                    record.payer_code.as_str(),
                );
                if let Some(point) = &record.point_code {
                    mention(*line, "point_code", Reference::Point, point);
                }
            }
        }
        ParsedFile::InvoiceLines(rows) => {
            for Lined { line, record } in rows {
                mention(
                    *line,
                    "invoice_number",
                    Reference::Invoice,
                    &record.invoice_number,
                );
                if let Some(service) = &record.service_code {
                    mention(*line, "service_code", Reference::Service, service);
                }
            }
        }
        ParsedFile::OpenItems(rows) => {
            for Lined { line, record } in rows {
                mention(
                    *line,
                    "payer_code",
                    Reference::Payer,
                    record.payer_code.as_str(),
                );
            }
        }
    }
    found
}

fn key_table(reference: Reference) -> KeyTable {
    match reference {
        Reference::Payer => KeyTable::Payers,
        Reference::Point => KeyTable::Points,
        Reference::Meter => KeyTable::Meters,
        Reference::Service => KeyTable::Services,
        Reference::Invoice => KeyTable::Invoices,
    }
}

/// Every line that names a payer, point, meter, service or invoice the database lacks.
async fn unknown_references(txn: &Tx, parsed: &ParsedFile) -> Result<Vec<LineError>, StoreError> {
    let mentions = mentions(parsed);
    let mut wanted: HashMap<Reference, BTreeSet<String>> = HashMap::new();
    for mention in &mentions {
        wanted
            .entry(mention.what)
            .or_default()
            .insert(mention.key.to_owned());
    }
    let mut known = HashMap::new();
    for (what, keys) in &wanted {
        known.insert(
            *what,
            billing::known_keys(txn, key_table(*what), keys).await?,
        );
    }
    Ok(mentions
        .into_iter()
        .filter(|mention| !known[&mention.what].contains(mention.key))
        .map(|mention| {
            LineError::new(
                mention.line,
                Some(mention.column),
                Problem::UnknownReference {
                    what: mention.what,
                    key: mention.key.to_owned(),
                },
            )
        })
        .collect())
}

/// What is wrong with one file of an invoice PDF folder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfProblem {
    #[error("{file}: there is no invoice “{number}”")]
    UnknownInvoice { file: String, number: String },
    #[error("{file}: not a PDF file")]
    NotPdf { file: String },
    #[error("{file}: larger than {max_mib} MiB")]
    TooLarge { file: String, max_mib: u64 },
    #[error("the folder has no file named <invoice_number>.pdf")]
    NoFiles,
}

const MAX_PDF_BYTES: u64 = 20 * 1024 * 1024;

/// Imports a folder of `<invoice_number>.pdf` files: all of them, or none when any is wrong.
pub async fn import_invoice_pdfs(
    db: &Db,
    folder: &Path,
    channel: Channel,
    dry_run: bool,
) -> Result<Outcome, ImportError> {
    let read_error = |source| ImportError::Read {
        path: folder.display().to_string(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        let is_pdf = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("pdf"));
        if let (true, Some(stem)) = (is_pdf, path.file_stem().and_then(|stem| stem.to_str())) {
            files.push((stem.to_owned(), path));
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(ImportError::PdfsRejected(vec![PdfProblem::NoFiles]));
    }

    let txn = begin_write(db).await?;
    let numbers: BTreeSet<String> = files.iter().map(|(number, _)| number.clone()).collect();
    let known = billing::known_keys(&txn, KeyTable::Invoices, &numbers).await?;
    let mut problems = Vec::new();
    let mut contents = Vec::new();
    for (number, path) in &files {
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let size = std::fs::metadata(path).map_err(read_error)?.len();
        if !known.contains(number) {
            problems.push(PdfProblem::UnknownInvoice {
                file,
                number: number.clone(),
            });
        } else if size > MAX_PDF_BYTES {
            problems.push(PdfProblem::TooLarge {
                file,
                max_mib: MAX_PDF_BYTES >> 20,
            });
        } else {
            let content = std::fs::read(path).map_err(read_error)?;
            if content.starts_with(b"%PDF-") {
                contents.push((number, content));
            } else {
                problems.push(PdfProblem::NotPdf { file });
            }
        }
    }
    if !problems.is_empty() {
        txn.rollback().await?;
        return Err(ImportError::PdfsRejected(problems));
    }
    let now = Utc::now();
    let mut changes = Changes::default();
    for (number, content) in contents {
        let sha256 = sha256_hex(&content);
        let one = billing::upsert_invoice_pdf(&txn, number, content, sha256, now).await?;
        changes.inserted += one.inserted;
        changes.updated += one.updated;
        changes.unchanged += one.unchanged;
    }
    let outcome = Outcome {
        rows: files.len(),
        changes,
        dry_run,
    };
    if dry_run {
        txn.rollback().await?;
    } else {
        let name = folder.display().to_string();
        let run = ImportRun {
            kind: "invoice_pdfs",
            file_name: &name,
            sha256: "",
            rows: files.len(),
            changes,
            origin: channel.as_str(),
        };
        billing::record_import_run(&txn, run, now).await?;
        record_event(&txn, channel, "invoice_pdfs", &name, &outcome).await?;
        txn.commit().await?;
    }
    Ok(outcome)
}
