//! "Prijava": sign-in by payer code or e-mail, sign-out. Every failure gets the same words;
//! repeated failures per account and per client address slow down, then need a CAPTCHA.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};

use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::Origin;
use crate::app::sign_in::{self, SignedIn as SignedInAs};
use crate::captcha;
use crate::domain::throttle::SignInGuard;
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth::{self, SignedIn};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{CaptchaAnswer, FormErrors};
use crate::web::kit::page::{Chrome, Frame, render};

#[derive(Template)]
#[template(path = "public/sign_in.html")]
struct SignInPage {
    page: Chrome,
    errors: FormErrors,
    username: String,
    /// Set when a CAPTCHA is asked for: the nonce of its image.
    captcha_nonce: Option<String>,
    captcha_error: Option<String>,
    notice: String,
}

impl SignInPage {
    fn new(page: Chrome) -> Self {
        Self {
            page,
            errors: FormErrors::default(),
            username: String::new(),
            captcha_nonce: None,
            captcha_error: None,
            notice: String::new(),
        }
    }
}

/// Messages other pages leave for the sign-in page, by name (only these are shown).
const NOTICES: [&str; 4] = [
    "consent-required",
    "activated",
    "password-reset",
    "email-confirmed",
];

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

pub async fn show(
    frame: Frame,
    signed_in: Option<SignedIn>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    if signed_in.is_some() {
        return Ok(Redirect::to("/home").into_response());
    }
    let mut page = SignInPage::new(frame.chrome("sign-in-title"));
    if let Some(notice) = query
        .notice
        .filter(|notice| NOTICES.contains(&notice.as_str()))
    {
        page.notice = frame.lang.t(&format!("notice-{notice}"));
    }
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(flatten)]
    captcha: CaptchaAnswer,
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<SignInForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let origin = Origin::web(addr);
    let username = form.username.trim().to_owned();
    let guard = sign_in::guard(&state.app, &origin, &username).await?;
    let mut page = SignInPage::new(frame.chrome("sign-in-title"));
    page.username = username.clone();

    if guard.needs_captcha() {
        if form.captcha.wants_new_picture() {
            page.captcha_nonce = Some(captcha::issue(&frame.session).await?.nonce);
            return Ok(render(&page)?.into_response());
        }
        if !form.captcha.verify(&state, &frame.session).await? {
            page.captcha_nonce = Some(captcha::issue(&frame.session).await?.nonce);
            let message = lang.t("sign-in-captcha-wrong");
            page.errors.add("captcha", message.clone());
            page.captcha_error = Some(message);
            return Ok(render(&page)?.into_response());
        }
    }
    if let SignInGuard::Delay(pause) = guard {
        state.app.clock.pause(pause).await;
    }

    match sign_in::sign_in(&state.app, &origin, &username, &form.password, frame.lang).await? {
        SignedInAs::Active(account) => {
            auth::sign_in(&frame.session, account.id, state.app.now()).await?;
            return Ok(Redirect::to("/home").into_response());
        }
        SignedInAs::NotActivated => page.notice = lang.t("sign-in-not-activated"),
        SignedInAs::Locked => page.notice = lang.t("sign-in-locked"),
        SignedInAs::Failed(next) => {
            page.errors.add("username", lang.t("sign-in-failed"));
            if next.needs_captcha() {
                page.captcha_nonce = Some(captcha::issue(&frame.session).await?.nonce);
            }
        }
    }
    Ok(render(&page)?.into_response())
}

pub async fn sign_out(
    State(state): State<AppState>,
    signed_in: Option<SignedIn>,
    frame: Frame,
) -> Result<Response, WebError> {
    if let Some(SignedIn { account, .. }) = signed_in {
        sign_in::sign_out(&state.app, &account).await?;
    }
    auth::sign_out(&frame.session).await?;
    Ok(Redirect::to("/").into_response())
}
