//! "Zahtevek za uporabo ePortala" (SPEC §3.6): for those who cannot register (no invoice yet,
//! no payer code at hand, a tax number that does not match). The request is kept for staff,
//! who answer with the user name and a control number; the requester gets an acknowledgement.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::{Origin, access_request};
use crate::captcha;
use crate::domain::tax_number::{TaxNumber, TaxNumberError};
use crate::domain::throttle::ThrottleKey;
use crate::i18n::Lang;
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth::{self, AuthRedirect, Customer};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{
    AnonymousForm, CaptchaAnswer, EmailMessages, Flash, FormErrors, Limit, TextField,
    check_anonymous_form,
};
use crate::web::kit::page::{Chrome, Frame, render};

/// Requests one client address may send per hour; each mails its sender.
const ATTEMPTS_PER_ADDRESS: u32 = 10;
/// The longest name, address and point designation taken.
const MAX_CHARS: usize = 200;

#[derive(Template)]
#[template(path = "public/access_request.html")]
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
#[template(path = "public/access_request_sent.html")]
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
    #[serde(flatten)]
    captcha: CaptchaAnswer,
}

/// Where the sent page finds the address the acknowledgement went to.
const SENT_TO: Flash = Flash("access_request_sent_to");

const EMAIL: EmailMessages = EmailMessages {
    empty_key: "access-request-email-empty",
    invalid_key: "access-request-email-invalid",
};

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
    let limit = Limit {
        key: ThrottleKey::AccessRequestAddress(&addr),
        per_hour: ATTEMPTS_PER_ADDRESS,
        refusal_key: "access-request-too-many",
    };
    let human = match check_anonymous_form(&state, &frame, limit, Some(&form.captcha)).await? {
        AnonymousForm::Again(refusal) => {
            return again(&frame, &form, |page| page.refusal = refusal).await;
        }
        AnonymousForm::Checked { human } => human,
    };
    let (request, errors) = checked(&form, lang, human);
    let Some(request) = request else {
        let captcha_error = (!human).then(|| errors.get("captcha").to_owned());
        return again(&frame, &form, |page| {
            page.captcha_error = captcha_error;
            page.errors = errors;
        })
        .await;
    };
    let sent_to = request.email.to_string();
    access_request::submit(&state.app, &Origin::web(addr), request).await?;
    SENT_TO
        .redirect(&frame.session, sent_to, "/access-request/sent")
        .await
}

/// The thanks, reached by the redirect after sending, so a reload sends nothing again.
pub async fn sent(frame: Frame, who: Result<Customer, AuthRedirect>) -> Result<Response, WebError> {
    if let Some(elsewhere) = auth::elsewhere_if_signed_in(who) {
        return Ok(elsewhere);
    }
    let Some(email) = SENT_TO.take(&frame.session).await? else {
        return Ok(Redirect::to("/access-request").into_response());
    };
    Ok(render(&SentPage {
        page: frame.chrome("access-request-sent-title"),
        lead: frame.lang.t_with(
            "access-request-sent-lead",
            &[("email", email.as_str().into())],
        ),
    })?
    .into_response())
}

/// The form again with what was typed, adjusted by `change`.
async fn again(
    frame: &Frame,
    form: &RequestForm,
    change: impl FnOnce(&mut RequestPage),
) -> Result<Response, WebError> {
    let mut page = RequestPage::again(frame, form).await?;
    change(&mut page);
    Ok(render(&page)?.into_response())
}

/// The request if every field is right, and what is wrong with the fields.
fn checked(
    form: &RequestForm,
    lang: Lang,
    human: bool,
) -> (Option<access_request::Request>, FormErrors) {
    let mut errors = FormErrors::default();
    let full_name = required("full_name", "access-request-full-name-empty").check(
        &mut errors,
        lang,
        &form.full_name,
    );
    let address =
        required("address", "access-request-address-empty").check(&mut errors, lang, &form.address);
    let point_code = required("point_code", "access-request-point-code-empty").check(
        &mut errors,
        lang,
        &form.point_code,
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
    let email = EMAIL.check(&mut errors, lang, &form.email);
    if !human {
        errors.add("captcha", lang.t("access-request-captcha-wrong"));
    }
    let request = match (full_name, address, point_code, tax_number, email) {
        (Some(full_name), Some(address), Some(point_code), Some(tax_number), Some(email))
            if errors.is_empty() =>
        {
            Some(access_request::Request {
                full_name,
                address,
                point_code,
                tax_number,
                email,
                lang,
            })
        }
        _ => None,
    };
    (request, errors)
}

/// A required field of the form: at most [`MAX_CHARS`].
fn required(field: &'static str, empty_key: &'static str) -> TextField {
    TextField {
        field,
        empty_key,
        max_chars: MAX_CHARS,
        too_long_key: "access-request-too-long",
    }
}
