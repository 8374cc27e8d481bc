//! "Zahtevek za uporabo ePortala" (SPEC §3.6): for those who cannot register (no invoice yet,
//! no payer code at hand, a tax number that does not match). The request is kept for staff,
//! who answer with the user name and a control number; the requester gets an acknowledgement.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use serde::Deserialize;

use super::auth::{self, AuthRedirect, Customer};
use super::client::ClientAddr;
use super::form::FormErrors;
use super::page::{Chrome, Frame, render};
use super::{AppState, WebError};
use crate::captcha;
use crate::domain::email::{EmailAddress, EmailProblem};
use crate::domain::tax_number::{TaxNumber, TaxNumberError};
use crate::i18n::{Arg, Lang};
use crate::mail::{self, letter::Letter};
use crate::store::access_requests::{self, NewAccessRequest};
use crate::store::audit::{self, Actor, Event};
use crate::store::{begin_write, throttles};

/// Requests one client address may send per [`WINDOW_HOURS`]; each mails its sender.
const ATTEMPTS_PER_ADDRESS: u32 = 10;
const WINDOW_HOURS: i64 = 1;
/// The longest name, address and point designation taken.
const MAX_CHARS: usize = 200;

#[derive(Template)]
#[template(path = "access_request.html")]
struct RequestPage {
    page: Chrome,
    errors: FormErrors,
    full_name: String,
    address: String,
    point_code: String,
    tax_number: String,
    email: String,
    captcha_nonce: String,
    captcha_error: Option<String>,
    /// Why the form was not looked at (too many requests).
    refusal: Option<String>,
}

impl RequestPage {
    /// The form with a new CAPTCHA challenge (only a showing makes one).
    async fn new(frame: &Frame) -> Result<Self, WebError> {
        Ok(Self {
            page: frame.chrome("access-request-title"),
            errors: FormErrors::default(),
            full_name: String::new(),
            address: String::new(),
            point_code: String::new(),
            tax_number: String::new(),
            email: String::new(),
            captcha_nonce: captcha::issue(&frame.session).await?.nonce,
            captcha_error: None,
            refusal: None,
        })
    }

    /// The form again with what was typed.
    async fn again(frame: &Frame, form: &RequestForm) -> Result<Self, WebError> {
        let mut page = Self::new(frame).await?;
        page.full_name = form.full_name.trim().to_owned();
        page.address = form.address.trim().to_owned();
        page.point_code = form.point_code.trim().to_owned();
        page.tax_number = form.tax_number.trim().to_owned();
        page.email = form.email.trim().to_owned();
        Ok(page)
    }
}

/// The thanks, and where the acknowledgement went.
#[derive(Template)]
#[template(path = "access_request_sent.html")]
struct SentPage {
    page: Chrome,
    /// Where the acknowledgement went.
    lead: String,
}

pub async fn show(frame: Frame, who: Result<Customer, AuthRedirect>) -> Result<Response, WebError> {
    if let Some(elsewhere) = auth::elsewhere_if_signed_in(who) {
        return Ok(elsewhere);
    }
    Ok(render(&RequestPage::new(&frame).await?)?.into_response())
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    point_code: String,
    #[serde(default)]
    tax_number: String,
    #[serde(default)]
    email: String,
    captcha: Option<String>,
    captcha_new: Option<String>,
}

fn address_key(addr: &str) -> String {
    format!("access-request:address:{addr}")
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    who: Result<Customer, AuthRedirect>,
    Form(form): Form<RequestForm>,
) -> Result<Response, WebError> {
    if let Some(elsewhere) = auth::elsewhere_if_signed_in(who) {
        return Ok(elsewhere);
    }
    let lang = frame.lang;
    let now = Utc::now();
    if form.captcha_new.is_some() {
        return Ok(render(&RequestPage::again(&frame, &form).await?)?.into_response());
    }
    let window = Duration::hours(WINDOW_HOURS);
    if !throttles::admit(
        &state.db,
        &address_key(&addr),
        window,
        ATTEMPTS_PER_ADDRESS,
        now,
    )
    .await?
    {
        let mut page = RequestPage::again(&frame, &form).await?;
        page.refusal = Some(lang.t("access-request-too-many"));
        return Ok(render(&page)?.into_response());
    }

    let answer = form.captcha.as_deref().unwrap_or_default();
    let human = captcha::verify(&frame.session, answer, state.config.test_captcha.as_ref()).await?;
    let mut errors = FormErrors::default();
    let mut required =
        |field, text: &str, empty_key| required_text(&mut errors, lang, field, text, empty_key);
    let full_name = required(
        "full_name",
        &form.full_name,
        "access-request-full-name-empty",
    );
    let address = required("address", &form.address, "access-request-address-empty");
    let point_code = required(
        "point_code",
        &form.point_code,
        "access-request-point-code-empty",
    );
    let tax_number = match TaxNumber::parse(&form.tax_number) {
        _ if form.tax_number.trim().is_empty() => {
            errors.add("tax_number", lang.t("access-request-tax-number-empty"));
            None
        }
        Ok(tax_number) => Some(tax_number),
        Err(TaxNumberError::Format) => {
            errors.add("tax_number", lang.t("access-request-tax-number-format"));
            None
        }
        Err(TaxNumberError::CheckDigit) => {
            errors.add("tax_number", lang.t("access-request-tax-number-check"));
            None
        }
    };
    let email = match EmailAddress::parse(&form.email) {
        Ok(email) => Some(email),
        Err(problem) => {
            let key = match problem {
                EmailProblem::Empty => "access-request-email-empty",
                EmailProblem::Invalid => "access-request-email-invalid",
            };
            errors.add("email", lang.t(key));
            None
        }
    };
    if !human {
        errors.add("captcha", lang.t("access-request-captcha-wrong"));
    }
    let (Some(full_name), Some(address), Some(point_code), Some(tax_number), Some(email), true) = (
        full_name,
        address,
        point_code,
        tax_number,
        email,
        errors.is_empty(),
    ) else {
        let mut page = RequestPage::again(&frame, &form).await?;
        page.captcha_error = (!human).then(|| errors.get("captcha").to_owned());
        page.errors = errors;
        return Ok(render(&page)?.into_response());
    };

    let request = NewAccessRequest {
        full_name,
        address,
        point_code,
        tax_number: tax_number.as_str().to_owned(),
        email: email.as_str().to_owned(),
        lang,
        client_addr: Some(addr.clone()),
    };
    let txn = begin_write(&state.db).await?;
    let mail = acknowledgement(lang, &request).to(&request.email, state.config.company()?)?;
    mail::enqueue(&txn, &state.config, mail, now).await?;
    let id = access_requests::insert(&txn, request, now).await?;
    let event = Event::new(Actor::Anonymous(None), "access_request")
        .subject(id.to_string())
        .from_addr(Some(&addr));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(render(&SentPage {
        page: frame.chrome("access-request-sent-title"),
        lead: lang.t_with(
            "access-request-sent-lead",
            &[("email", email.as_str().into())],
        ),
    })?
    .into_response())
}

/// The trimmed text of a required field, or its error: empty or too long.
fn required_text(
    errors: &mut FormErrors,
    lang: Lang,
    field: &'static str,
    text: &str,
    empty_key: &str,
) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        errors.add(field, lang.t(empty_key));
        return None;
    }
    if text.chars().count() > MAX_CHARS {
        let max = i64::try_from(MAX_CHARS).expect("a small number");
        errors.add(
            field,
            lang.t_with("access-request-too-long", &[("max", Arg::Number(max))]),
        );
        return None;
    }
    Some(text.to_owned())
}

/// What the requester sent and what happens next, to their address.
fn acknowledgement(lang: Lang, request: &NewAccessRequest) -> Letter {
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
