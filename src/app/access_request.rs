//! A request for access from someone who cannot register (SPEC §3.6), kept for staff, with an
//! acknowledgement to the requester.

use super::{AppError, Origin, Services};
use crate::domain::email::EmailAddress;
use crate::domain::tax_number::TaxNumber;
use crate::i18n::Lang;
use crate::mail::{self, letter::Letter};
use crate::store::access_requests::{self, NewAccessRequest};
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::begin_write;

/// What the requester gave, as checked by the form.
#[derive(Debug, Clone)]
pub struct Request {
    pub full_name: String,
    pub address: String,
    pub point_code: String,
    pub tax_number: TaxNumber,
    pub email: EmailAddress,
    pub lang: Lang,
}

/// Stores the request and acknowledges it by mail; returns its id.
pub async fn submit(
    services: &Services,
    origin: &Origin,
    request: Request,
) -> Result<i64, AppError> {
    let now = services.now();
    let request = NewAccessRequest {
        full_name: request.full_name,
        address: request.address,
        point_code: request.point_code,
        tax_number: request.tax_number.as_str().to_owned(),
        email: request.email.as_str().to_owned(),
        lang: request.lang,
        client_addr: origin.client_addr.clone(),
    };
    let txn = begin_write(&services.db).await?;
    let mail = acknowledgement(&request).to(&request.email, &services.site.company)?;
    mail::enqueue(&txn, &services.site, mail, now).await?;
    let id = access_requests::insert(&txn, request, now).await?;
    let event = Event::new(Actor::Anonymous(None), AuditAction::AccessRequest)
        .subject(id.to_string())
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(id)
}

/// What the requester sent and what happens next, to their address.
fn acknowledgement(request: &NewAccessRequest) -> Letter {
    let lang = request.lang;
    let line = |label_key: &str, value: &str| {
        lang.t_with(
            "access-request-mail-field",
            &[("label", lang.t(label_key).into()), ("value", value.into())],
        )
    };
    Letter::new(lang, "access-request-mail-subject")
        .paragraph(lang.t("access-request-mail-received"))
        .paragraph(line("access-request-full-name", &request.full_name))
        .paragraph(line("access-request-address", &request.address))
        .paragraph(line("access-request-point-code", &request.point_code))
        .paragraph(line("access-request-tax-number", &request.tax_number))
        .paragraph(lang.t("access-request-mail-next"))
        .after(lang.t("access-request-mail-not-you"))
}
