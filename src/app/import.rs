//! Importing billing files (SPEC §5.1): a file read by `crate::import`, its rows staged on an
//! import connection of their own, checked and compared with the stored ones there, then
//! the difference written in one short transaction, so a file is stored whole or not at
//! all; the run is kept in the import history and the audit trail.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use chrono::{DateTime, Utc};
use futures::StreamExt;

use super::AppError;
use crate::auth::secret::sha256_hex;
use crate::domain::billing::{
    InvoiceLineRecord, InvoiceRecord, MeterRecord, PayerRecord, PointRecord, ReadingRecord,
};
use crate::i18n::{Arg, Lang};
use crate::import::upload::{BillingFile, MAX_PDF_BYTES, PdfFile, Placed};
use crate::import::{
    Batches, FromRow, Kind, LineError, Lined, ParseFailure, ParsedFile, Problem, ReadError,
    Reference, Source, Survey, parse_file,
};
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::billing::{self, Changes, ImportRun, KeyTable, StoredAs};
use crate::store::import_session::{
    ImportSession, MAX_PROBLEMS, Stage, Staged, StagedRow, Unknown,
};
use crate::store::staff::StaffUser;
use crate::store::{self, Db, StoreError, Tx, import_uploads};

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
    /// Another import held the database for longer than the busy timeout (SQLite; on
    /// PostgreSQL imports wait for each other).
    #[error("another import is being applied; try again when it has finished")]
    Busy,
    #[error("database: {0}")]
    Database(#[from] StoreError),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

/// One billing file to import: what it holds, its name for the history, where it came from.
pub struct FileImport<'a> {
    pub kind: Kind,
    pub name: &'a str,
    pub source: Source,
    pub channel: Channel,
    pub dry_run: bool,
}

/// Imports one billing file (the command line's `eportal import`, the API's upserts).
pub async fn import_file(db: &Db, file: FileImport<'_>) -> Result<Outcome, ImportError> {
    let survey = survey_of(&file).await?;
    let session = ImportSession::open(db).await.map_err(busy_or_database)?;
    let result = stage_and_apply(&session, &file, survey).await;
    session.close().await;
    match result? {
        Some(outcome) => {
            if !outcome.dry_run {
                refresh_statistics_after(db, file.kind, outcome.changes.changed()).await;
            }
            Ok(outcome)
        }
        None => import_in_memory(db, file).await,
    }
}

/// Imports a file of a kind whose rows are compared in memory, all in one transaction.
async fn import_in_memory(db: &Db, file: FileImport<'_>) -> Result<Outcome, ImportError> {
    let bytes: std::sync::Arc<[u8]> = match &file.source {
        Source::Bytes(bytes) => std::sync::Arc::clone(bytes),
        Source::File(path) => tokio::fs::read(path)
            .await
            .map_err(|error| read_failed(file.name, error))?
            .into(),
    };
    let sha256 = sha256_hex(&bytes);
    let now = Utc::now();
    let txn = begin_import(db).await?;
    let (rows, changes) = stage_billing(&txn, file.kind, &bytes, now).await?;
    let outcome = Outcome {
        rows,
        changes,
        dry_run: file.dry_run,
    };
    if file.dry_run {
        txn.rollback().await?;
        return Ok(outcome);
    }
    keep_file(&txn, &file, &sha256, &outcome, now).await?;
    txn.commit().await?;
    refresh_statistics_after(db, file.kind, changes.changed()).await;
    Ok(outcome)
}

/// Rows parsed and staged at a time; the reading thread keeps up to two batches ahead.
const BATCH_ROWS: usize = 1_000;

/// Imports a file through a stage of its own: the rows loaded and compared outside the
/// write lock, only the difference written under it; `None` for the kinds read whole.
async fn stage_and_apply(
    session: &ImportSession,
    file: &FileImport<'_>,
    survey: Survey,
) -> Result<Option<Outcome>, ImportError> {
    let now = Utc::now();
    let started = std::time::Instant::now();
    let phase = |name: &str| {
        let elapsed_ms = started.elapsed().as_millis();
        tracing::debug!(file = file.name, elapsed_ms, "import: {name}");
    };
    let sha256 = survey.sha256.clone();
    let Some(mut stage) = stage_of_kind(session, file, survey, now).await? else {
        return Ok(None);
    };
    phase("staged");
    if !file.dry_run {
        session.wait_for_other_imports().await?;
    }
    let compared = stage.check().await?;
    phase("checked");
    let rows = stage.rows();
    if file.dry_run {
        return Ok(Some(Outcome {
            rows,
            changes: compared,
            dry_run: true,
        }));
    }
    let txn = session.begin_write().await.map_err(busy_or_database)?;
    let outcome = Outcome {
        rows,
        changes: stage.apply(&txn, compared, now).await?,
        dry_run: false,
    };
    keep_file(&txn, file, &sha256, &outcome, now).await?;
    txn.commit().await?;
    phase("applied");
    Ok(Some(outcome))
}

/// The file's digest and encoding, or why it cannot be read at all.
async fn survey_of(file: &FileImport<'_>) -> Result<Survey, ImportError> {
    let source = file.source.clone();
    tokio::task::spawn_blocking(move || crate::import::survey(&source))
        .await
        .map_err(|error| read_failed(file.name, std::io::Error::other(error)))?
        .map_err(|error| rejected_or_unread(file.name, error))
}

/// Reads a file into a stage of `session`, refused for the problems of its lines or its keys
/// found twice; `None` for prices and open items, a few rows each, compared in memory.
async fn stage_of_kind<'s>(
    session: &'s ImportSession,
    file: &FileImport<'_>,
    survey: Survey,
    now: DateTime<Utc>,
) -> Result<Option<Box<dyn StagedFile + 's>>, ImportError> {
    let s = session;
    Ok(Some(match file.kind {
        Kind::Prices | Kind::OpenItems => return Ok(None),
        Kind::Payers => staged::<PayerRecord>(s, file, survey, now).await?,
        Kind::Points => staged::<PointRecord>(s, file, survey, now).await?,
        Kind::Meters => staged::<MeterRecord>(s, file, survey, now).await?,
        Kind::Readings => staged::<ReadingRecord>(s, file, survey, now).await?,
        Kind::Invoices => staged::<InvoiceRecord>(s, file, survey, now).await?,
        Kind::InvoiceLines => staged::<InvoiceLineRecord>(s, file, survey, now).await?,
    }))
}

async fn staged<'s, T>(
    session: &'s ImportSession,
    file: &FileImport<'_>,
    survey: Survey,
    now: DateTime<Utc>,
) -> Result<Box<dyn StagedFile + 's>, ImportError>
where
    T: FromRow + StoredAs + Send + 'static,
{
    let mut stage = session.stage::<T::Entity>(survey.lines).await?;
    let problems = load::<T>(&mut stage, file, survey, now).await?;
    refuse_bad_lines(&stage, problems).await?;
    Ok(Box::new(stage))
}

/// Reads the file into `stage`, on a thread of its own a few batches ahead; the problems of
/// its bad rows (the first [`MAX_PROBLEMS`]).
async fn load<T>(
    stage: &mut Stage<'_, T::Entity>,
    file: &FileImport<'_>,
    survey: Survey,
    now: DateTime<Utc>,
) -> Result<Vec<LineError>, ImportError>
where
    T: FromRow + StoredAs + Send + 'static,
{
    let (batches, mut received) = tokio::sync::mpsc::channel(2);
    let columns = file.kind.columns();
    let source = file.source.clone();
    let reading = tokio::task::spawn_blocking(move || -> Result<(), ReadError> {
        let mut reader = Batches::<T>::open(columns, &source, &survey)?;
        while let Some(batch) = reader.next_batch(BATCH_ROWS)? {
            if batches.blocking_send(batch).is_err() {
                break;
            }
        }
        Ok(())
    });
    let mut problems = Vec::new();
    let batches = futures::stream::poll_fn(|context| received.poll_recv(context)).map(|batch| {
        let room = (MAX_PROBLEMS as usize).saturating_sub(problems.len());
        problems.extend(batch.errors.into_iter().take(room));
        batch
            .records
            .into_iter()
            .map(|Lined { line, mut record }| StagedRow {
                line,
                members: record.take_members(),
                model: record.into_model(now),
            })
            .collect()
    });
    stage.insert_all(batches).await?;
    let read = reading
        .await
        .map_err(|error| read_failed(file.name, std::io::Error::other(error)))
        .and_then(|read| read.map_err(|error| rejected_or_unread(file.name, error)));
    if let Err(error) = read {
        // The connection stays usable for an upload's other files.
        stage.abandon().await?;
        return Err(error);
    }
    stage.loaded().await?;
    Ok(problems)
}

/// Refuses the file for the problems of its rows or its keys found twice.
async fn refuse_bad_lines<E: Staged>(
    stage: &Stage<'_, E>,
    mut problems: Vec<LineError>,
) -> Result<(), ImportError> {
    problems.extend(stage.duplicates().await?.into_iter().map(|duplicate| {
        LineError::new(
            duplicate.line,
            None,
            Problem::DuplicateKey {
                key: duplicate.key,
                first_line: duplicate.first_line,
            },
        )
    }));
    if !problems.is_empty() {
        problems.sort_by_key(|problem| problem.line);
        problems.truncate(MAX_PROBLEMS as usize);
        return Err(ParseFailure::Lines(problems).into());
    }
    Ok(())
}

/// Refuses the file for what its new or changed rows name that the database lacks.
fn refuse_unknown(unknown: Vec<Unknown>) -> Result<(), ImportError> {
    if !unknown.is_empty() {
        let lines = unknown.into_iter().map(|unknown| {
            LineError::new(
                unknown.line,
                Some(unknown.column),
                Problem::UnknownReference {
                    what: unknown.what,
                    key: unknown.key,
                },
            )
        });
        return Err(ParseFailure::Lines(lines.collect()).into());
    }
    Ok(())
}

fn read_failed(name: &str, source: std::io::Error) -> ImportError {
    ImportError::Read {
        path: name.to_owned(),
        source,
    }
}

fn rejected_or_unread(name: &str, error: ReadError) -> ImportError {
    match error {
        ReadError::File(problem) => ParseFailure::File(problem).into(),
        ReadError::Io(error) => read_failed(name, error),
    }
}

/// [`ImportError::Busy`] when SQLite's write lock stayed taken for the whole busy timeout.
fn busy_or_database(error: StoreError) -> ImportError {
    if store::is_busy(&error) {
        ImportError::Busy
    } else {
        ImportError::Database(error)
    }
}

/// The import's transaction, or [`ImportError::Busy`].
async fn begin_import(db: &Db) -> Result<Tx, ImportError> {
    billing::begin_import(db).await.map_err(busy_or_database)
}

/// Rows changed by an import from which the planner's statistics are refreshed at once.
const MANY_CHANGED_ROWS: usize = 1_000;

/// Refreshes the statistics after an import that changed many rows. The import is committed
/// by then, so a failure here is only logged: autovacuum will catch up in its own time.
async fn refresh_statistics_after(db: &Db, kind: Kind, changed: usize) {
    if changed < MANY_CHANGED_ROWS {
        return;
    }
    if let Err(error) = billing::refresh_statistics(db, kind).await {
        tracing::warn!(%error, "refreshing the planner's statistics after an import failed");
    }
}

/// Parses a billing file and upserts its rows in `txn` once every reference is known; how
/// many rows and what changed.
async fn stage_billing(
    txn: &Tx,
    kind: Kind,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<(usize, Changes), ImportError> {
    let parsed = parse_file(kind, bytes)?;
    let unknown = unknown_references(txn, &parsed).await?;
    if !unknown.is_empty() {
        return Err(ParseFailure::Lines(unknown).into());
    }
    let changes = write(txn, &parsed, now).await?;
    Ok((parsed.len(), changes))
}

/// A file that was stored, for the history and the audit trail.
struct Run<'a> {
    kind: &'a str,
    file_name: &'a str,
    sha256: &'a str,
    outcome: &'a Outcome,
}

/// Records a file applied by the command line or the API (no staff member).
async fn keep_file(
    txn: &Tx,
    file: &FileImport<'_>,
    sha256: &str,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let run = Run {
        kind: file.kind.as_str(),
        file_name: file.name,
        sha256,
        outcome,
    };
    keep(txn, run, file.channel, Actor::System, now).await
}

/// Records an applied file in the import history and the audit trail.
async fn keep(
    txn: &Tx,
    run: Run<'_>,
    channel: Channel,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Run {
        kind,
        file_name,
        sha256,
        outcome,
    } = run;
    let imported_by = match actor {
        Actor::Staff(username) => Some(username),
        _ => None,
    };
    let history = ImportRun {
        kind,
        file_name,
        sha256,
        rows: outcome.rows,
        changes: outcome.changes,
        origin: channel.as_str(),
        imported_by,
    };
    billing::record_import_run(txn, history, now).await?;
    let changes = outcome.changes;
    let event = Event::new(actor, AuditAction::ImportApplied)
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
    audit::record(txn, event, now).await
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

impl PdfProblem {
    /// The problem in `lang`, for the back office and the command line.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            PdfProblem::UnknownInvoice { file, number } => lang.t_with(
                "staff-import-pdf-unknown-invoice",
                &[
                    ("file", Arg::from(file.as_str())),
                    ("number", Arg::from(number.as_str())),
                ],
            ),
            PdfProblem::NotPdf { file } => lang.t_with(
                "staff-import-pdf-not-pdf",
                &[("file", Arg::from(file.as_str()))],
            ),
            PdfProblem::TooLarge { file, max_mib } => lang.t_with(
                "staff-import-pdf-too-large",
                &[
                    ("file", Arg::from(file.as_str())),
                    (
                        "max",
                        Arg::from(i64::try_from(*max_mib).unwrap_or(i64::MAX)),
                    ),
                ],
            ),
            PdfProblem::NoFiles => lang.t("staff-import-pdf-none"),
        }
    }
}

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
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if PdfFile::named(&name, Vec::new()).is_none() {
            continue;
        }
        let size = std::fs::metadata(&path).map_err(read_error)?.len();
        // Too large to read: the check in `stage_pdfs` reports it by its size alone.
        let bytes = if size > MAX_PDF_BYTES {
            Vec::new()
        } else {
            std::fs::read(&path).map_err(read_error)?
        };
        files.extend(PdfFile::named(&name, bytes).map(|file| (file, size)));
    }
    files.sort_by(|(a, _), (b, _)| a.number.cmp(&b.number));
    let now = Utc::now();
    let txn = begin_import(db).await?;
    let changes = stage_pdfs(&txn, &files, now).await?;
    let outcome = Outcome {
        rows: files.len(),
        changes,
        dry_run,
    };
    if dry_run {
        txn.rollback().await?;
        return Ok(outcome);
    }
    let name = folder.display().to_string();
    let run = Run {
        kind: INVOICE_PDFS,
        file_name: &name,
        sha256: "",
        outcome: &outcome,
    };
    keep(&txn, run, channel, Actor::System, now).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Imports one invoice's PDF (the API's `PUT /api/v1/invoices/{number}/pdf`).
pub async fn import_invoice_pdf(
    db: &Db,
    pdf: PdfFile,
    channel: Channel,
    now: DateTime<Utc>,
) -> Result<Outcome, ImportError> {
    let size = pdf.bytes.len() as u64;
    let name = pdf.name.clone();
    let sha256 = sha256_hex(&pdf.bytes);
    let txn = begin_import(db).await?;
    let changes = stage_pdfs(&txn, &[(pdf, size)], now).await?;
    let outcome = Outcome {
        rows: 1,
        changes,
        dry_run: false,
    };
    let run = Run {
        kind: INVOICE_PDFS,
        file_name: &name,
        sha256: &sha256,
        outcome: &outcome,
    };
    keep(&txn, run, channel, Actor::System, now).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// The name of invoice PDFs in the history, beside the kinds of billing files.
pub const INVOICE_PDFS: &str = "invoice_pdfs";

/// Stores each PDF (with its size) under its invoice in `txn`, or none when any is wrong.
async fn stage_pdfs(
    txn: &Tx,
    files: &[(PdfFile, u64)],
    now: DateTime<Utc>,
) -> Result<Changes, ImportError> {
    if files.is_empty() {
        return Err(ImportError::PdfsRejected(vec![PdfProblem::NoFiles]));
    }
    let numbers: BTreeSet<String> = files.iter().map(|(file, _)| file.number.clone()).collect();
    let known = billing::known_keys(txn, KeyTable::Invoices, &numbers).await?;
    let mut problems = Vec::new();
    for (file, size) in files {
        let name = file.name.clone();
        if !known.contains(&file.number) {
            problems.push(PdfProblem::UnknownInvoice {
                file: name,
                number: file.number.clone(),
            });
        } else if *size > MAX_PDF_BYTES {
            problems.push(PdfProblem::TooLarge {
                file: name,
                max_mib: MAX_PDF_BYTES >> 20,
            });
        } else if !file.bytes.starts_with(b"%PDF-") {
            problems.push(PdfProblem::NotPdf { file: name });
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::PdfsRejected(problems));
    }
    let mut changes = Changes::default();
    for (file, _) in files {
        let sha256 = sha256_hex(&file.bytes);
        let one =
            billing::upsert_invoice_pdf(txn, &file.number, file.bytes.clone(), sha256, now).await?;
        changes.inserted += one.inserted;
        changes.updated += one.updated;
        changes.unchanged += one.unchanged;
    }
    Ok(changes)
}

/// Why a file of an upload cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    File(ParseFailure),
    Pdfs(Vec<PdfProblem>),
}

/// What became of one file of an upload (the invoice PDFs count as one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    pub name: String,
    /// A kind of SPEC §5.1, or [`INVOICE_PDFS`].
    pub kind: &'static str,
    pub result: Result<(usize, Changes), Refusal>,
}

/// What became of an upload: each file's report, and whether it was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadReport {
    pub files: Vec<FileReport>,
    pub applied: bool,
}

impl UploadReport {
    /// Every file can be stored.
    pub fn is_clean(&self) -> bool {
        self.files.iter().all(|file| file.result.is_ok())
    }
}

/// What [`import_upload`] is to do with an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadRun {
    /// Check it and store nothing.
    DryRun,
    /// Store it, using up the kept upload of this id in the same transaction, so that it is
    /// applied once however often "Uveljavi" is pressed.
    Apply { upload_id: i64 },
}

/// A billing file of an upload between reading and writing: its rows staged, to be read
/// whole in the transaction (prices and open items: a few rows), or refused.
enum Pending<'s> {
    Staged(Box<dyn StagedFile + 's>),
    Whole,
    Refused(Refusal),
}

/// A file's rows staged, whatever its kind.
#[async_trait::async_trait]
trait StagedFile: Send {
    fn rows(&self) -> usize;

    /// Compares the rows with the stored ones outside the write lock and refuses the file for
    /// what its new or changed rows name that the database lacks; what applying it would change.
    async fn check(&mut self) -> Result<Changes, ImportError>;

    /// Writes the difference [`StagedFile::check`] found in `txn`.
    async fn apply(
        &self,
        txn: &Tx,
        compared: Changes,
        now: DateTime<Utc>,
    ) -> Result<Changes, ImportError>;

    /// Checks the rows in `txn`, which holds an upload's earlier files, and writes the
    /// difference.
    async fn apply_in(&mut self, txn: &Tx, now: DateTime<Utc>) -> Result<Changes, ImportError>;
}

#[async_trait::async_trait]
impl<E: Staged> StagedFile for Stage<'_, E> {
    fn rows(&self) -> usize {
        self.staged_rows()
    }

    async fn check(&mut self) -> Result<Changes, ImportError> {
        let compared = self.compare().await?;
        refuse_unknown(self.unknown_references().await?)?;
        Ok(compared)
    }

    async fn apply(
        &self,
        txn: &Tx,
        compared: Changes,
        now: DateTime<Utc>,
    ) -> Result<Changes, ImportError> {
        Ok(Stage::apply(self, txn, compared, now).await?)
    }

    async fn apply_in(&mut self, txn: &Tx, now: DateTime<Utc>) -> Result<Changes, ImportError> {
        let compared = self.compare_in(txn).await?;
        refuse_unknown(self.unknown_references_in(txn).await?)?;
        Ok(Stage::apply(self, txn, compared, now).await?)
    }
}

/// Reads one billing file of an upload into a stage of `session`.
async fn stage_upload_file<'s>(
    session: &'s ImportSession,
    file: &BillingFile,
    now: DateTime<Utc>,
) -> Result<Pending<'s>, ImportError> {
    // Staging reads its kind, name and bytes; whether it is applied is the upload's to say.
    let import = FileImport {
        kind: file.kind,
        name: &file.name,
        source: Source::Bytes(std::sync::Arc::clone(&file.bytes)),
        channel: Channel::BackOffice,
        dry_run: true,
    };
    let survey = survey_of(&import).await?;
    Ok(match stage_of_kind(session, &import, survey, now).await? {
        Some(stage) => Pending::Staged(stage),
        None => Pending::Whole,
    })
}

/// A file's refusal for the report; any other failure ends the upload.
fn refused<T>(result: Result<T, ImportError>) -> Result<Result<T, Refusal>, ImportError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(ImportError::Rejected(failure)) => Ok(Err(Refusal::File(failure))),
        Err(ImportError::PdfsRejected(problems)) => Ok(Err(Refusal::Pdfs(problems))),
        Err(error) => Err(error),
    }
}

/// Imports the files of a back-office upload in import order, in one transaction: as a dry
/// run (or when any file is refused, or the upload was applied or discarded meanwhile) nothing
/// is stored and the report says what would happen; otherwise all of it is, recorded in the
/// history and the audit trail as `staff`'s. The files are read and staged first, on the
/// upload's own connection outside the write lock; each is then compared and written in the
/// transaction, where it sees the files before it.
pub async fn import_upload(
    db: &Db,
    staff: &StaffUser,
    placed: &Placed,
    run: UploadRun,
    now: DateTime<Utc>,
) -> Result<UploadReport, AppError> {
    let session = ImportSession::open(db).await.map_err(busy_or_database)?;
    let report = import_staged_upload(&session, staff, placed, run, now).await;
    session.close().await;
    let report = report?;
    if report.applied {
        for (file, billing_file) in report.files.iter().zip(&placed.billing) {
            if let Ok((_, changes)) = &file.result {
                refresh_statistics_after(db, billing_file.kind, changes.changed()).await;
            }
        }
    }
    Ok(report)
}

async fn import_staged_upload(
    session: &ImportSession,
    staff: &StaffUser,
    placed: &Placed,
    run: UploadRun,
    now: DateTime<Utc>,
) -> Result<UploadReport, AppError> {
    let mut pending = Vec::new();
    for file in &placed.billing {
        pending.push(
            match refused(stage_upload_file(session, file, now).await)? {
                Ok(pending) => pending,
                Err(refusal) => Pending::Refused(refusal),
            },
        );
    }
    session.wait_for_other_imports().await?;
    let txn = session.begin_write().await.map_err(busy_or_database)?;
    if let UploadRun::Apply { upload_id } = run
        && !import_uploads::delete(&txn, upload_id).await?
    {
        return Ok(UploadReport {
            files: Vec::new(),
            applied: false,
        });
    }
    let dry_run = run == UploadRun::DryRun;
    let mut files = Vec::new();
    let mut digests = Vec::new();
    for (file, pending) in placed.billing.iter().zip(pending) {
        let result = match pending {
            Pending::Staged(mut stage) => {
                refused(stage.apply_in(&txn, now).await)?.map(|changes| (stage.rows(), changes))
            }
            Pending::Whole => refused(stage_billing(&txn, file.kind, &file.bytes, now).await)?,
            Pending::Refused(refusal) => Err(refusal),
        };
        digests.push(sha256_hex(&file.bytes));
        files.push(FileReport {
            name: file.name.clone(),
            kind: file.kind.as_str(),
            result,
        });
    }
    if !placed.pdfs.is_empty() {
        let sized: Vec<_> = placed
            .pdfs
            .iter()
            .map(|pdf| (pdf.clone(), pdf.bytes.len() as u64))
            .collect();
        let result =
            refused(stage_pdfs(&txn, &sized, now).await)?.map(|changes| (sized.len(), changes));
        digests.push(String::new());
        files.push(FileReport {
            name: INVOICE_PDFS.to_owned(),
            kind: INVOICE_PDFS,
            result,
        });
    }
    let mut report = UploadReport {
        files,
        applied: false,
    };
    if dry_run || !report.is_clean() {
        txn.rollback().await?;
        return Ok(report);
    }
    for (file, sha256) in report.files.iter().zip(&digests) {
        let Ok((rows, changes)) = file.result else {
            continue;
        };
        let outcome = Outcome {
            rows,
            changes,
            dry_run,
        };
        let run = Run {
            kind: file.kind,
            file_name: &file.name,
            sha256,
            outcome: &outcome,
        };
        keep(
            &txn,
            run,
            Channel::BackOffice,
            Actor::Staff(&staff.username),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    report.applied = true;
    Ok(report)
}
