//! "Pozabljeno geslo": asks for a link to set a new password (SPEC §3.3). The answer is the
//! same whether or not an account matches, and takes the same path through the database; only
//! an active account with a confirmed address gets mail, and at most a few an hour.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::app::Origin;
use crate::app::password::{self, ResetRequested};
use crate::captcha;
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth::{self, AuthRedirect, Customer};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::FormErrors;
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
    captcha: Option<String>,
    captcha_new: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<ForgotForm>,
) -> Result<Html<String>, WebError> {
    let lang = frame.lang;
    // Checked before the page is made, as making it issues the next challenge.
    let passed = match form.captcha_new {
        Some(_) => None,
        None => {
            let answer = form.captcha.as_deref().unwrap_or_default();
            let test_answer = state.config.test_captcha.as_ref();
            Some(captcha::verify(&frame.session, answer, test_answer).await?)
        }
    };
    let mut page = ForgotPage::new(&frame).await?;
    page.username = form.username.trim().to_owned();
    let Some(passed) = passed else {
        return render(&page);
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
        return render(&page);
    }
    let origin = Origin::web(addr);
    match password::request_reset(&state.app, &origin, &page.username, lang).await? {
        ResetRequested::Handled => page.sent = true,
        ResetRequested::TooMany => {
            page.errors
                .add("username", lang.t("password-forgot-too-many"));
        }
    }
    render(&page)
}
