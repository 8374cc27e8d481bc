//! Meter readings customers submit ("Vnos števnega stanja", SPEC §3.11) and their hand-over to
//! billing (SPEC §5.1, the export file).

use chrono::NaiveDate;

use super::{AppError, Origin, Services};
use crate::domain::billing::Verdict;
use crate::domain::dates;
use crate::domain::quantity::Volume;
use crate::domain::reading_check::SinceLast;
use crate::i18n::{Arg, Lang};
use crate::import::{self, LineError, Lined, ParseFailure, Problem};
use crate::mail::{self, letter::Letter};
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::staff::StaffUser;
use crate::store::submitted_readings::{
    self, AwaitingVerdict, ExportRow, NewSubmission, SubmissionStatus, SubmittedReading,
};
use crate::store::{Db, StoreError, Tx, begin_write};

/// A reading the form found right (and, if it was high, confirmed).
#[derive(Debug, Clone)]
pub struct Submission {
    pub account_id: i64,
    pub payer_code: String,
    /// Where the confirmation goes; `None`: no mail.
    pub email: Option<String>,
    pub meter_serial: String,
    pub read_on: NaiveDate,
    pub value: Volume,
    /// The consumption since the billing system's last reading, for the confirmation.
    pub since_last: Option<SinceLast>,
    pub lang: Lang,
}

/// Stores the reading (replacing one of the same meter and day that billing has not taken
/// yet) and mails its confirmation; returns the submission's id.
pub async fn submit(
    services: &Services,
    origin: &Origin,
    submission: Submission,
) -> Result<i64, AppError> {
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    let new = NewSubmission {
        account_id: submission.account_id,
        meter_serial: &submission.meter_serial,
        read_on: submission.read_on,
        litres: submission.value.litres(),
        client_addr: origin.addr(),
    };
    let id = submitted_readings::save(&txn, new, now).await?;
    if let Some(email) = &submission.email {
        let link = services.site.link(&format!("/readings/submitted/{id}"));
        let mail = confirmation(&submission, link).to(email, &services.site.company)?;
        mail::enqueue(&txn, &services.site, mail, now).await?;
    }
    let event = Event::customer(&submission.payer_code, AuditAction::ReadingSubmitted)
        .subject(format!(
            "{} {}",
            submission.meter_serial, submission.read_on
        ))
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    // Last: the feed's counter stays locked from here to the commit.
    submitted_readings::take_feed_place(&txn, id).await?;
    txn.commit().await?;
    Ok(id)
}

fn confirmation(submission: &Submission, link: String) -> Letter {
    let lang = submission.lang;
    let mut letter = Letter::new(lang, "reading-entry-mail-subject").paragraph(lang.t_with(
        "reading-entry-mail-reading",
        &[
            ("value", Arg::Text(submission.value.format_sl())),
            ("date", Arg::Text(dates::format_sl(submission.read_on))),
            ("meter", Arg::from(submission.meter_serial.as_str())),
        ],
    ));
    if let Some(since_last) = &submission.since_last {
        letter = letter.paragraph(since_last_words(
            since_last.consumption,
            since_last.last_date,
            lang,
        ));
    }
    letter
        .action("reading-entry-mail-action", link)
        .after(lang.t("reading-entry-mail-after"))
}

/// "Poraba od zadnjega odčitka …": the consumption since billing's last reading.
pub fn since_last_words(consumption: Volume, last_date: NaiveDate, lang: Lang) -> String {
    lang.t_with(
        "reading-entry-since-last",
        &[
            ("consumption", Arg::Text(consumption.format_sl())),
            ("last_date", Arg::Text(dates::format_sl(last_date))),
        ],
    )
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("writing the file: {0}")]
    Write(#[source] std::io::Error),
}

/// The columns of the export file (SPEC §5.1), in order.
const EXPORT_HEADER: [&str; 8] = [
    "meter_serial",
    "date",
    "value",
    "source",
    "point_code",
    "payer_code",
    "submitted_at",
    "id",
];

/// What an export handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exported {
    /// The batch kept in the back office; `None` when there was nothing to export.
    pub batch: Option<i64>,
    pub count: usize,
}

/// Hands every reading not yet exported to billing: `write` receives the file (semicolons,
/// UTF-8, m³ with a decimal point), and only if it succeeds are the readings marked exported
/// and the file kept as a batch, in the same transaction — a failed write leaves them for the
/// next export. `staff` is who exported from the back office; `None` is the command line
/// (which has no [`Services`]).
pub async fn export(
    db: &Db,
    (staff, origin): (Option<&StaffUser>, &Origin),
    write: impl FnOnce(&[u8]) -> std::io::Result<()>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Exported, ExportError> {
    let username = staff.map(|user| user.username.as_str());
    let txn = begin_write(db).await?;
    let (batch, rows) = submitted_readings::take_for_export(&txn, username, now).await?;
    let file = export_file(&rows).map_err(ExportError::Write)?;
    write(&file).map_err(ExportError::Write)?;
    if rows.is_empty() {
        // Nothing went: no batch to keep.
        txn.rollback().await?;
        return Ok(Exported {
            batch: None,
            count: 0,
        });
    }
    let text = String::from_utf8(file).map_err(|error| {
        ExportError::Write(std::io::Error::new(std::io::ErrorKind::InvalidData, error))
    })?;
    submitted_readings::keep_export_file(&txn, batch, rows.len(), text).await?;
    let actor = username.map_or(Actor::System, Actor::Staff);
    let event = Event::new(actor, AuditAction::ReadingsExported)
        .subject(batch.to_string())
        .from_addr(origin.addr())
        .details(serde_json::json!({ "count": rows.len() }));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(Exported {
        batch: Some(batch),
        count: rows.len(),
    })
}

/// What became of billing's feedback file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerdictsApplied {
    /// Every verdict was recorded (and every rejected customer mailed).
    Applied { accepted: usize, rejected: usize },
    /// Nothing was recorded: the file is unusable, or these lines are bad.
    Refused(ParseFailure),
}

/// Applies billing's feedback file (`meter_serial;date;status;reason`, SPEC §4) whole or not
/// at all: each line must name a reading billing took and has not decided on yet.
pub async fn apply_verdicts(
    services: &Services,
    origin: &Origin,
    staff: &StaffUser,
    file_name: &str,
    bytes: &[u8],
) -> Result<VerdictsApplied, AppError> {
    let records = match import::parse_verdicts(bytes) {
        Ok(records) => records,
        Err(failure) => return Ok(VerdictsApplied::Refused(failure)),
    };
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    let mut found = Vec::with_capacity(records.len());
    let mut bad = Vec::new();
    for Lined { line, record } in records {
        match submitted_readings::awaiting_verdict(&txn, &record.meter_serial, record.read_on)
            .await?
        {
            Some(reading) => found.push((line, reading, record.verdict)),
            None => bad.push(LineError::new(line, None, Problem::NotAwaitingVerdict)),
        }
    }
    if !bad.is_empty() {
        return Ok(VerdictsApplied::Refused(ParseFailure::Lines(bad)));
    }
    let (mut accepted, mut rejected) = (0, 0);
    for (line, reading, verdict) in &found {
        // Another upload of the same verdicts may have decided it since it was looked up (on
        // PostgreSQL): then this file is refused, not applied twice.
        if !record_verdict(&txn, services, reading, verdict, now).await? {
            bad.push(LineError::new(*line, None, Problem::NotAwaitingVerdict));
        }
        match verdict {
            Verdict::Accepted => accepted += 1,
            Verdict::Rejected { .. } => rejected += 1,
        }
    }
    if !bad.is_empty() {
        // Dropped unfinished, the transaction stores none of it.
        return Ok(VerdictsApplied::Refused(ParseFailure::Lines(bad)));
    }
    let event = Event::staff(&staff.username, AuditAction::ReadingVerdictsApplied)
        .subject(file_name.to_owned())
        .from_addr(origin.addr())
        .details(serde_json::json!({ "accepted": accepted, "rejected": rejected }));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(VerdictsApplied::Applied { accepted, rejected })
}

/// What became of a verdict on one reading (SPEC §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    /// Recorded now (and a rejection mailed).
    Recorded,
    /// The reading had this very verdict already: nothing to do.
    AlreadySo,
    /// The reading has another verdict.
    Conflict,
    /// No reading has this id.
    NotFound,
}

/// Records billing's verdict on reading `id`, from the API as `client` (the token's name);
/// the same verdict twice is no change, another one a conflict.
pub async fn decide(
    services: &Services,
    origin: &Origin,
    client: &str,
    id: i64,
    verdict: &Verdict,
) -> Result<Decided, AppError> {
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    let Some((reading, row)) = submitted_readings::for_verdict(&txn, id).await? else {
        return Ok(Decided::NotFound);
    };
    if has_verdict(&row, verdict) {
        return Ok(Decided::AlreadySo);
    }
    if !record_verdict(&txn, services, &reading, verdict, now).await? {
        // Decided meanwhile (on PostgreSQL): by this very verdict, or another.
        let now_decided = submitted_readings::for_verdict(&txn, id).await?;
        let same = now_decided.is_some_and(|(_, row)| has_verdict(&row, verdict));
        return Ok(if same {
            Decided::AlreadySo
        } else {
            Decided::Conflict
        });
    }
    let event = Event::new(Actor::Api(client), AuditAction::ReadingVerdictsApplied)
        .subject(id.to_string())
        .from_addr(origin.addr())
        .details(serde_json::json!({ "accepted": u8::from(*verdict == Verdict::Accepted) }));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(Decided::Recorded)
}

/// Whether the reading has `verdict` already.
fn has_verdict(row: &SubmittedReading, verdict: &Verdict) -> bool {
    match verdict {
        Verdict::Accepted => row.status == SubmissionStatus::Accepted,
        Verdict::Rejected { code, reason } => {
            row.status == SubmissionStatus::Rejected
                && row.reason_code.as_deref() == Some(code.as_str())
                && row.reason.as_deref() == Some(reason.as_str())
        }
    }
}

/// Records billing's verdict on a reading it took, in the caller's transaction, and tells the
/// customer of a rejection by e-mail, in their language, with the reason; false (and nothing
/// done) when the reading was decided on meanwhile.
async fn record_verdict(
    txn: &Tx,
    services: &Services,
    reading: &AwaitingVerdict,
    verdict: &Verdict,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, AppError> {
    let (status, reason) = match verdict {
        Verdict::Accepted => (SubmissionStatus::Accepted, None),
        Verdict::Rejected { code, reason } => (
            SubmissionStatus::Rejected,
            Some((code.as_str(), reason.as_str())),
        ),
    };
    if !submitted_readings::decide(txn, reading.id, status, reason, now).await? {
        return Ok(false);
    }
    if let (Some((code, reason)), Some(email)) = (reason, &reading.email) {
        let lang = Lang::parse(&reading.lang).unwrap_or_default();
        let link = services
            .site
            .link(&format!("/readings/submitted/{}", reading.id));
        let letter = Letter::new(lang, "reading-rejected-mail-subject")
            .paragraph(lang.t_with(
                "reading-rejected-mail-reading",
                &[
                    (
                        "value",
                        Arg::Text(Volume::from_litres(reading.litres).format_sl()),
                    ),
                    ("date", Arg::Text(dates::format_sl(reading.read_on))),
                    ("meter", Arg::from(reading.meter_serial.as_str())),
                ],
            ))
            .paragraph(lang.t_with(
                "reading-rejected-mail-reason",
                &[
                    ("code", Arg::from(lang.t(&format!("reading-reason-{code}")))),
                    ("reason", Arg::from(reason)),
                ],
            ))
            .action("reading-entry-mail-action", link)
            .after(lang.t("reading-rejected-mail-after"));
        let mail = letter.to(email, &services.site.company)?;
        mail::enqueue(txn, &services.site, mail, now).await?;
    }
    Ok(true)
}

fn export_file(rows: &[ExportRow]) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    writer.write_record(EXPORT_HEADER)?;
    for row in rows {
        writer.write_record([
            row.meter_serial.clone(),
            row.read_on.format("%Y-%m-%d").to_string(),
            Volume::from_litres(row.litres).to_m3_decimal().to_string(),
            "customer".to_owned(),
            row.point_code.clone(),
            row.payer_code.clone(),
            row.submitted_at.to_rfc3339(),
            row.id.to_string(),
        ])?;
    }
    writer.into_inner().map_err(csv::IntoInnerError::into_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_quotes_what_needs_quoting() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T08:15:00+00:00")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let rows = [ExportRow {
            id: 7,
            meter_serial: "W;12".to_owned(),
            point_code: "OM 1".to_owned(),
            payer_code: "123456".to_owned(),
            read_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            litres: 1_234_500,
            submitted_at: at,
        }];
        let file = String::from_utf8(export_file(&rows).unwrap()).unwrap();
        assert_eq!(
            file,
            "meter_serial;date;value;source;point_code;payer_code;submitted_at;id\n\
             \"W;12\";2026-03-01;1234.500;customer;OM 1;123456;2026-03-02T08:15:00+00:00;7\n"
        );
    }
}
