//! "Ob prvi prijavi morate vnesti elektronski naslov." (SPEC §3.5): an account without a
//! confirmed address (one staff made, say) enters one here after consent, and uses the portal
//! once it has followed the link sent to it.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use serde::Deserialize;

use super::auth::{self, SignedIn};
use super::client::ClientAddr;
use super::email_confirm;
use super::form::FormErrors;
use super::page::{Chrome, Frame, render};
use super::{AppState, WebError};
use crate::domain::email::EmailAddress;
use crate::i18n::Arg;
use crate::store::accounts::Account;
use crate::store::audit::{self, Actor, Event};
use crate::store::tokens::{self, Purpose};
use crate::store::{begin_write, throttles};

/// Links one account may have sent per [`WINDOW_HOURS`], here and from "Moj profil".
pub(super) const LINKS_PER_ACCOUNT: u32 = 5;
pub(super) const WINDOW_HOURS: i64 = 1;

#[derive(Template)]
#[template(path = "email.html")]
struct EmailPage {
    page: Chrome,
    errors: FormErrors,
    email: String,
    /// Where the link that still works went, when there is one.
    sent: Option<String>,
}

/// Where the account goes instead when it owes something else first or owes nothing here.
fn elsewhere(state: &AppState, account: &Account) -> Option<&'static str> {
    if !auth::has_current_consent(&state.config, account) {
        Some("/consent")
    } else if account.email_confirmed_at.is_some() {
        Some("/home")
    } else {
        None
    }
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    SignedIn { account, .. }: SignedIn,
) -> Result<Response, WebError> {
    if let Some(to) = elsewhere(&state, &account) {
        return Ok(Redirect::to(to).into_response());
    }
    let pending =
        tokens::outstanding(&state.db, account.id, Purpose::EmailChange, Utc::now()).await?;
    let sent_to = pending.and_then(|token| token.new_email);
    let sent = sent_to
        .as_deref()
        .map(|to| frame.lang.t_with("email-sent", &[("email", Arg::from(to))]));
    let email = sent_to
        .or_else(|| account.email.clone())
        .unwrap_or_default();
    let page = frame
        .chrome("email-title")
        .signed_in_as(auth::user_name(&state.db, &account).await?);
    Ok(render(&EmailPage {
        page,
        errors: FormErrors::default(),
        email,
        sent,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub(super) fn account_key(account: &Account) -> String {
    format!("email-confirmation:account:{}", account.id)
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    SignedIn { account, .. }: SignedIn,
    Form(form): Form<EmailForm>,
) -> Result<Response, WebError> {
    if let Some(to) = elsewhere(&state, &account) {
        return Ok(Redirect::to(to).into_response());
    }
    let lang = frame.lang;
    let now = Utc::now();
    let window = Duration::hours(WINDOW_HOURS);
    let mut errors = FormErrors::default();
    let email = match EmailAddress::parse(&form.email) {
        Err(problem) => {
            errors.add("email", lang.t(problem.message_id()));
            None
        }
        Ok(_)
            if throttles::hits(&state.db, &account_key(&account), window, now).await?
                >= LINKS_PER_ACCOUNT =>
        {
            errors.add("email", lang.t("email-too-many"));
            None
        }
        Ok(email) => Some(email),
    };
    let Some(email) = email else {
        let page = frame
            .chrome("email-title")
            .signed_in_as(auth::user_name(&state.db, &account).await?);
        return Ok(render(&EmailPage {
            page,
            errors,
            email: form.email.trim().to_owned(),
            sent: None,
        })?
        .into_response());
    };

    let txn = begin_write(&state.db).await?;
    throttles::hit(&txn, &account_key(&account), window, now).await?;
    email_confirm::send_link(&txn, &state, lang, &account, &email, now).await?;
    let event = Event::new(
        Actor::Customer(&account.payer_code),
        "email_confirmation_sent",
    )
    .from_addr(Some(&addr));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(Redirect::to("/email").into_response())
}
