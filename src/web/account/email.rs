//! "Ob prvi prijavi morate vnesti elektronski naslov." (SPEC §3.5): an account without a
//! confirmed address (one staff made, say) enters one here after consent, and uses the portal
//! once it has followed the link sent to it.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::Origin;
use crate::app::email::{self, LinkRequested};
use crate::domain::email::EmailAddress;
use crate::i18n::Arg;
use crate::store::accounts::Account;
use crate::store::tokens::{self, Purpose};
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth::{self, SignedIn};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::FormErrors;
use crate::web::kit::page::{Chrome, Frame, render};

#[derive(Template)]
#[template(path = "account/email.html")]
struct EmailPage {
    page: Chrome,
    errors: FormErrors,
    email: String,
    /// Where the link that still works went, when there is one.
    sent: Option<String>,
}

/// Where the account goes instead when it owes something else first or owes nothing here.
fn elsewhere(state: &AppState, account: &Account) -> Option<&'static str> {
    if !auth::has_current_consent(&state.app.site.consent, account) {
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
    signed_in: SignedIn,
) -> Result<Response, WebError> {
    let account = &signed_in.account;
    if let Some(to) = elsewhere(&state, account) {
        return Ok(Redirect::to(to).into_response());
    }
    let pending = tokens::outstanding(
        &state.app.db,
        account.id,
        Purpose::EmailChange,
        state.app.now(),
    )
    .await?;
    let sent_to = pending.and_then(|token| token.new_email);
    let sent = sent_to
        .as_deref()
        .map(|to| frame.lang.t_with("email-sent", &[("email", Arg::from(to))]));
    let email = sent_to
        .or_else(|| account.email.clone())
        .unwrap_or_default();
    let page = frame
        .chrome("email-title")
        .signed_in_as(signed_in.user_name());
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

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    signed_in: SignedIn,
    Form(form): Form<EmailForm>,
) -> Result<Response, WebError> {
    let account = &signed_in.account;
    if let Some(to) = elsewhere(&state, account) {
        return Ok(Redirect::to(to).into_response());
    }
    let lang = frame.lang;
    let mut errors = FormErrors::default();
    match EmailAddress::parse(&form.email) {
        Err(problem) => errors.add("email", lang.t(problem.message_id())),
        Ok(email) => {
            let origin = Origin::web(addr);
            match email::request_confirmation(&state.app, &origin, account, &email, lang).await? {
                LinkRequested::Sent => return Ok(Redirect::to("/email").into_response()),
                LinkRequested::TooMany => errors.add("email", lang.t("email-too-many")),
            }
        }
    }
    let page = frame
        .chrome("email-title")
        .signed_in_as(signed_in.user_name());
    Ok(render(&EmailPage {
        page,
        errors,
        email: form.email.trim().to_owned(),
        sent: None,
    })?
    .into_response())
}
