//! "Prijava": sign-in by payer code or e-mail, sign-out. Every failure gets the same words;
//! repeated failures per account and per client address slow down, then need a CAPTCHA.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};

use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use serde::Deserialize;

use super::auth::{self, SignedIn};
use super::client::ClientAddr;
use super::form::FormErrors;
use super::page::{Chrome, Frame, render};
use super::{AppState, WebError};
use crate::captcha;
use crate::domain::throttle::{SignInGuard, WINDOW_MINUTES};
use crate::store::accounts::{self, Account};
use crate::store::audit::{self, Actor, Event};
use crate::store::{begin_write, throttles};

#[derive(Template)]
#[template(path = "sign_in.html")]
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
    captcha: Option<String>,
    captcha_new: Option<String>,
}

/// The sign-in throttle of a user name (payer code or e-mail, as typed); a password reset
/// clears it too.
pub(super) fn account_key(username: &str) -> String {
    format!("sign-in:account:{}", username.trim().to_lowercase())
}

/// The sign-in throttle of a client address; a password reset from it clears it too.
pub(super) fn address_key(addr: &str) -> String {
    format!("sign-in:address:{addr}")
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<SignInForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let now = Utc::now();
    let window = Duration::minutes(WINDOW_MINUTES);
    let username = form.username.trim().to_owned();
    let failures = throttles::hits(&state.db, &account_key(&username), window, now)
        .await?
        .max(throttles::hits(&state.db, &address_key(&addr), window, now).await?);
    let guard = SignInGuard::after_failures(failures);
    let mut page = SignInPage::new(frame.chrome("sign-in-title"));
    page.username = username.clone();

    if guard.needs_captcha() {
        if form.captcha_new.is_some() {
            page.captcha_nonce = Some(captcha::issue(&frame.session).await?.nonce);
            return Ok(render(&page)?.into_response());
        }
        let answer = form.captcha.as_deref().unwrap_or_default();
        let passed =
            captcha::verify(&frame.session, answer, state.config.test_captcha.as_ref()).await?;
        if !passed {
            page.captcha_nonce = Some(captcha::issue(&frame.session).await?.nonce);
            let message = lang.t("sign-in-captcha-wrong");
            page.errors.add("captcha", message.clone());
            page.captcha_error = Some(message);
            return Ok(render(&page)?.into_response());
        }
    }
    if let SignInGuard::Delay(pause) = guard {
        tokio::time::sleep(pause).await;
    }

    let candidates = find_accounts(&state, &username).await?;
    let account = verify_any(&state, candidates, &form.password).await?;
    let Some(account) = account else {
        return failed(&state, page, &frame, &username, &addr).await;
    };

    let txn = begin_write(&state.db).await?;
    throttles::clear(&txn, &account_key(&username)).await?;
    throttles::clear(&txn, &address_key(&addr)).await?;
    match account.state.as_str() {
        accounts::ACTIVE => {}
        state_word => {
            txn.commit().await?;
            let key = match state_word {
                accounts::PENDING => "sign-in-not-activated",
                _ => "sign-in-locked",
            };
            page.notice = lang.t(key);
            return Ok(render(&page)?.into_response());
        }
    }
    accounts::record_sign_in(&txn, account.id, now).await?;
    let event = Event::new(Actor::Customer(&account.payer_code), "sign_in").from_addr(Some(&addr));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    auth::sign_in(&frame.session, account.id, now).await?;
    Ok(Redirect::to("/home").into_response())
}

/// The accounts a user name may mean: a payer code names one; an e-mail address may name
/// several (one person paying for several payers).
pub(super) async fn find_accounts(
    state: &AppState,
    username: &str,
) -> Result<Vec<Account>, WebError> {
    if username.contains('@') {
        return Ok(accounts::find_by_email(&state.db, username).await?);
    }
    Ok(accounts::find_by_payer_code(&state.db, username)
        .await?
        .into_iter()
        .collect())
}

/// The first account the password opens; with none, a dummy hash is verified so that the
/// answer takes as long as for a real user name.
async fn verify_any(
    state: &AppState,
    candidates: Vec<Account>,
    password: &str,
) -> Result<Option<Account>, WebError> {
    if candidates.is_empty() {
        state.hasher.verify(password.to_owned(), None).await?;
        return Ok(None);
    }
    for account in candidates {
        let hash = account.password_hash.clone();
        if hash.is_some() && state.hasher.verify(password.to_owned(), hash).await? {
            return Ok(Some(account));
        }
    }
    Ok(None)
}

async fn failed(
    state: &AppState,
    mut page: SignInPage,
    frame: &Frame,
    username: &str,
    addr: &str,
) -> Result<Response, WebError> {
    let now = Utc::now();
    let window = Duration::minutes(WINDOW_MINUTES);
    let txn = begin_write(&state.db).await?;
    let by_account = throttles::hit(&txn, &account_key(username), window, now).await?;
    let by_address = throttles::hit(&txn, &address_key(addr), window, now).await?;
    let event =
        Event::new(Actor::Anonymous(Some(username)), "sign_in_failed").from_addr(Some(addr));
    audit::record(&txn, event, now).await?;
    let failures = by_account.max(by_address);
    let guard = SignInGuard::after_failures(failures);
    let before = SignInGuard::after_failures(failures - 1);
    if std::mem::discriminant(&guard) != std::mem::discriminant(&before) {
        let details = serde_json::json!({ "failures": failures, "captcha": guard.needs_captcha() });
        let event = Event::new(Actor::Anonymous(Some(username)), "sign_in_throttled")
            .from_addr(Some(addr))
            .details(details);
        audit::record(&txn, event, now).await?;
    }
    txn.commit().await?;
    page.errors.add("username", frame.lang.t("sign-in-failed"));
    if guard.needs_captcha() {
        page.captcha_nonce = Some(captcha::issue(&frame.session).await?.nonce);
    }
    Ok(render(&page)?.into_response())
}

pub async fn sign_out(
    State(state): State<AppState>,
    signed_in: Option<SignedIn>,
    frame: Frame,
) -> Result<Response, WebError> {
    if let Some(SignedIn { account, .. }) = signed_in {
        let event = Event::new(Actor::Customer(&account.payer_code), "sign_out");
        audit::record(&state.db, event, Utc::now()).await?;
    }
    auth::sign_out(&frame.session).await?;
    Ok(Redirect::to("/").into_response())
}
