//! "Zahtevki za dostop" in the back office: a request answered with the payer code and a
//! control number for registration, or refused with a reason — each by e-mail to the
//! requester, in the language they wrote in.

use chrono::Duration;

use super::{AppError, Origin, Services};
use crate::domain::second_factor::RECOVERY_ALPHABET;
use crate::i18n::{Arg, Lang};
use crate::mail::{self, letter::Letter};
use crate::store::access_requests::{self, AccessRequest, AccessRequestStatus};
use crate::store::audit::{self, AuditAction, Event};
use crate::store::payers::Payer;
use crate::store::staff::StaffUser;
use crate::store::{begin_write, control_numbers};

/// How long a control number from the back office works.
pub const CONTROL_NUMBER_VALID_DAYS: i64 = 30;

/// Eight letters and digits that read and type without mistakes, as `K7F3 9QX2`.
fn new_control_number() -> String {
    let letters: String = rand::random::<[u8; 8]>()
        .iter()
        .map(|index| char::from(RECOVERY_ALPHABET[usize::from(*index) % RECOVERY_ALPHABET.len()]))
        .collect();
    let (first, second) = letters.split_at(4);
    format!("{first} {second}")
}

/// Sends the requester the payer code and a new control number (single use, valid
/// [`CONTROL_NUMBER_VALID_DAYS`], stored as a digest) and resolves the request; false when
/// it was not open any more.
pub async fn issue_control_number(
    services: &Services,
    origin: &Origin,
    staff: &StaffUser,
    request: &AccessRequest,
    payer: &Payer,
) -> Result<bool, AppError> {
    let now = services.now();
    let number = new_control_number();
    let lang = Lang::parse(&request.lang).unwrap_or_default();
    let days = [("days", Arg::Number(CONTROL_NUMBER_VALID_DAYS))];
    let letter = Letter::new(lang, "staff-access-issued-mail-subject")
        .paragraph(lang.t("staff-access-issued-mail-text"))
        .paragraph(lang.t_with(
            "staff-access-issued-mail-numbers",
            &[
                ("code", Arg::from(payer.code.as_str())),
                ("number", Arg::from(number.as_str())),
            ],
        ))
        .action(
            "staff-access-issued-mail-action",
            services.site.link("/register"),
        )
        .after(lang.t_with("staff-access-issued-mail-valid", &days));
    let mail = letter.to(&request.email, &services.site.company)?;
    let txn = begin_write(&services.db).await?;
    let closed = access_requests::close(
        &txn,
        request.id,
        AccessRequestStatus::Resolved,
        Some(&payer.code),
        None,
        &staff.username,
        now,
    )
    .await?;
    if !closed {
        return Ok(false);
    }
    let expires = now + Duration::days(CONTROL_NUMBER_VALID_DAYS);
    control_numbers::issue(
        &txn,
        &payer.code,
        &number,
        Some(&staff.username),
        Some(expires),
        now,
    )
    .await?;
    mail::enqueue(&txn, &services.site, mail, now).await?;
    let event = Event::staff(&staff.username, AuditAction::AccessRequestResolved)
        .subject(request.id.to_string())
        .from_addr(origin.addr())
        .details(serde_json::json!({ "payer": payer.code }));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// Refuses the request and tells the requester why; false when it was not open any more.
pub async fn refuse(
    services: &Services,
    origin: &Origin,
    staff: &StaffUser,
    request: &AccessRequest,
    reason: &str,
) -> Result<bool, AppError> {
    let now = services.now();
    let lang = Lang::parse(&request.lang).unwrap_or_default();
    let phone = [("phone", Arg::from(services.site.company.phone.as_str()))];
    let letter = Letter::new(lang, "staff-access-refused-mail-subject")
        .paragraph(lang.t("staff-access-refused-mail-text"))
        .paragraph(reason.to_owned())
        .after(lang.t_with("staff-access-refused-mail-help", &phone));
    let mail = letter.to(&request.email, &services.site.company)?;
    let txn = begin_write(&services.db).await?;
    let closed = access_requests::close(
        &txn,
        request.id,
        AccessRequestStatus::Refused,
        None,
        Some(reason),
        &staff.username,
        now,
    )
    .await?;
    if !closed {
        return Ok(false);
    }
    mail::enqueue(&txn, &services.site, mail, now).await?;
    let event = Event::staff(&staff.username, AuditAction::AccessRequestRefused)
        .subject(request.id.to_string())
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(true)
}
