//! "Pozabljeno geslo": asks for a link to set a new password (SPEC §3.3). The answer is the
//! same whether or not an account matches, and takes the same path through the database; only
//! an active account with a confirmed address gets mail, and at most a few an hour.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use super::auth::{self, AuthRedirect, Customer};
use super::client::ClientAddr;
use super::form::FormErrors;
use super::page::{Chrome, Frame, render};
use super::{AppState, WebError, links, sign_in};
use crate::captcha;
use crate::i18n::{Arg, Lang};
use crate::mail::{self, letter::Letter};
use crate::store::accounts::{self, Account};
use crate::store::audit::{self, Actor, Event};
use crate::store::tokens::{self, Purpose};
use crate::store::{begin_write, throttles};

/// How long a link to set a new password works.
pub const LINK_VALID_HOURS: i64 = 1;
/// Links mailed to one account per [`WINDOW_HOURS`]; more requests mail nothing.
const MAILS_PER_ACCOUNT: u32 = 5;
/// Requests from one client address per [`WINDOW_HOURS`].
const REQUESTS_PER_ADDRESS: u32 = 20;
const WINDOW_HOURS: i64 = 1;

#[derive(Template)]
#[template(path = "password_forgot.html")]
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

fn address_key(addr: &str) -> String {
    format!("password-reset:address:{addr}")
}

fn account_key(account: &Account) -> String {
    format!("password-reset:account:{}", account.id)
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
    let now = Utc::now();
    let window = Duration::hours(WINDOW_HOURS);
    if page.errors.is_empty()
        && throttles::hits(&state.db, &address_key(&addr), window, now).await?
            >= REQUESTS_PER_ADDRESS
    {
        page.errors
            .add("username", lang.t("password-forgot-too-many"));
    }
    if !page.errors.is_empty() {
        return render(&page);
    }
    send_links(&state, lang, &page.username, &addr, now).await?;
    page.sent = true;
    render(&page)
}

/// Mails a link to each active account `username` names, unless it has had enough for now.
async fn send_links(
    state: &AppState,
    lang: Lang,
    username: &str,
    addr: &str,
    now: DateTime<Utc>,
) -> Result<(), WebError> {
    let window = Duration::hours(WINDOW_HOURS);
    let candidates = sign_in::find_accounts(state, username).await?;
    let txn = begin_write(&state.db).await?;
    throttles::hit(&txn, &address_key(addr), window, now).await?;
    let mut mailed = Vec::new();
    let mut held_back = Vec::new();
    for account in candidates {
        let (Some(email), Some(_)) = (&account.email, account.email_confirmed_at) else {
            continue;
        };
        if account.state != accounts::ACTIVE {
            continue;
        }
        if throttles::hit(&txn, &account_key(&account), window, now).await? > MAILS_PER_ACCOUNT {
            held_back.push(account.payer_code.clone());
            continue;
        }
        let token = tokens::issue(
            &txn,
            account.id,
            Purpose::PasswordReset,
            None,
            Duration::hours(LINK_VALID_HOURS),
            now,
        )
        .await?;
        let link = links::with_token(&state.config, "/password/reset", &token);
        let mail =
            reset_letter(lang, &account.payer_code, link).to(email, state.config.company()?)?;
        mail::enqueue(&txn, &state.config, mail, now).await?;
        mailed.push(account.payer_code.clone());
    }
    let details = serde_json::json!({ "mailed": mailed, "held_back": held_back });
    let event = Event::new(Actor::Anonymous(Some(username)), "password_reset_requested")
        .from_addr(Some(addr))
        .details(details);
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(())
}

fn reset_letter(lang: Lang, payer_code: &str, link: String) -> Letter {
    let code = [("code", Arg::from(payer_code))];
    Letter::new(lang, "password-forgot-mail-subject")
        .paragraph(lang.t_with("password-forgot-mail-text", &code))
        .action("password-forgot-mail-action", link)
        .after(lang.t("password-forgot-mail-valid"))
        .after(lang.t("password-forgot-mail-not-you"))
}
