//! "Pozabljeno geslo": asks for a link to set a new password (SPEC §3.3). The answer is the
//! same whether or not an account matches, and takes the same path through the database; only
//! an active account with a confirmed address gets mail, and at most a few an hour.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::Origin;
use crate::app::password::{self, ResetRequested};
use crate::captcha;
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth::{self, AuthRedirect, Customer};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{CaptchaAnswer, Flash, FormErrors};
use crate::web::kit::page::{Chrome, Frame, render};

#[derive(Template)]
#[template(path = "public/password_forgot.html")]
struct ForgotPage {
    page: Chrome,
    errors: FormErrors,
    username: String,
    captcha_nonce: String,
    captcha_error: Option<String>,
    /// Set once a request has gone through: the page then says only what happens next.
    sent: bool,
}

impl ForgotPage {
    async fn new(frame: &Frame) -> Result<Self, WebError> {
        Ok(Self {
            page: frame.chrome("password-forgot-title"),
            errors: FormErrors::default(),
            username: String::new(),
            captcha_nonce: captcha::issue(&frame.session).await?.nonce,
            captcha_error: None,
            sent: false,
        })
    }
}

pub async fn show(who: Result<Customer, AuthRedirect>, frame: Frame) -> Result<Response, WebError> {
    if let Some(elsewhere) = auth::elsewhere_if_signed_in(who) {
        return Ok(elsewhere);
    }
    Ok(render(&ForgotPage::new(&frame).await?)?.into_response())
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    username: String,
    #[serde(flatten)]
    captcha: CaptchaAnswer,
}

/// Left for the page the redirect after a request leads to.
const SENT: Flash = Flash("password_forgot_sent");

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<ForgotForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    // Checked before the page is made, as making it issues the next challenge.
    let passed = match form.captcha.wants_new_picture() {
        true => None,
        false => Some(form.captcha.verify(&state, &frame.session).await?),
    };
    let mut page = ForgotPage::new(&frame).await?;
    page.username = form.username.trim().to_owned();
    let Some(passed) = passed else {
        return Ok(render(&page)?.into_response());
    };
    if page.username.is_empty() {
        page.errors
            .add("username", lang.t("password-forgot-username-missing"));
    }
    if !passed {
        let message = lang.t("sign-in-captcha-wrong");
        page.errors.add("captcha", message.clone());
        page.captcha_error = Some(message);
    }
    if !page.errors.is_empty() {
        return Ok(render(&page)?.into_response());
    }
    let origin = Origin::web(addr);
    match password::request_reset(&state.app, &origin, &page.username, lang).await? {
        ResetRequested::Handled => {
            SENT.redirect(&frame.session, String::new(), "/password/forgot/sent")
                .await
        }
        ResetRequested::TooMany => {
            page.errors
                .add("username", lang.t("password-forgot-too-many"));
            Ok(render(&page)?.into_response())
        }
    }
}

/// What happens next, reached by the redirect after a request, so a reload mails nothing.
pub async fn sent(frame: Frame, who: Result<Customer, AuthRedirect>) -> Result<Response, WebError> {
    if let Some(elsewhere) = auth::elsewhere_if_signed_in(who) {
        return Ok(elsewhere);
    }
    if SENT.take(&frame.session).await?.is_none() {
        return Ok(Redirect::to("/password/forgot").into_response());
    }
    let mut page = ForgotPage::new(&frame).await?;
    page.sent = true;
    Ok(render(&page)?.into_response())
}
