//! The link from "Pozabljeno geslo": a new password for the account it was sent for. Setting
//! it uses up the link, ends every session of the account and tells its address.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::auth;
use super::client::ClientAddr;
use super::form::FormErrors;
use super::links::SpoiledLink;
use super::page::{Chrome, Frame, render};
use super::{AppState, WebError};
use crate::app::{Origin, password};
use crate::domain::password::{PersonalData, check_password};
use crate::i18n::{Arg, Lang};
use crate::store::accounts::{Account, AccountState};
use crate::store::payers;
use crate::store::tokens::{AccountToken, Lookup, Purpose};

const SPOILED: SpoiledLink = SpoiledLink {
    expired_key: "password-reset-link-expired",
    used_key: "password-reset-link-used",
    next_href: "/password/forgot",
    next_label_key: "password-reset-ask-again",
};

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    page: Chrome,
    errors: FormErrors,
    token: String,
    payer_code: String,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<TokenQuery>,
) -> Result<Html<String>, WebError> {
    match usable(&state, &query.token, state.app.now()).await? {
        Ok((_, account)) => render(&ResetPage {
            page: frame.chrome("password-reset-title"),
            errors: FormErrors::default(),
            token: query.token,
            payer_code: account.payer_code,
        }),
        Err(lookup) => SPOILED.render(&frame, &lookup),
    }
}

/// The token and its account if the link can still set a password; else why not. A link of
/// an account that is no longer active counts as unknown.
async fn usable(
    state: &AppState,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Result<(AccountToken, Account), Lookup>, WebError> {
    super::links::usable_token(
        &state.app.db,
        token,
        Purpose::PasswordReset,
        now,
        |_, account| account.state == AccountState::Active,
    )
    .await
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_repeat: String,
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<ResetForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let (token, account) = match usable(&state, &form.token, state.app.now()).await? {
        Ok(usable) => usable,
        Err(lookup) => return Ok(SPOILED.render(&frame, &lookup)?.into_response()),
    };
    let errors = password_errors(
        &state,
        lang,
        &account,
        &form.new_password,
        &form.new_password_repeat,
    )
    .await?;
    if !errors.is_empty() {
        return Ok(render(&ResetPage {
            page: frame.chrome("password-reset-title"),
            errors,
            token: form.token,
            payer_code: account.payer_code,
        })?
        .into_response());
    }

    let origin = Origin::web(addr);
    let new_password = form.new_password;
    if !password::reset(&state.app, &origin, &token, &account, new_password, lang).await? {
        return Ok(SPOILED
            .render(&frame, &Lookup::Used(token))?
            .into_response());
    }
    // Whoever is signed in on this browser signs in again, with the new password.
    auth::sign_out(&frame.session).await?;
    Ok(Redirect::to("/?notice=password-reset").into_response())
}

/// What is wrong with a new password (fields `new_password` and `new_password_repeat`):
/// missing, or each broken rule on its own; then a repeat that is missing or differs.
pub(super) async fn password_errors(
    state: &AppState,
    lang: Lang,
    account: &Account,
    new_password: &str,
    new_password_repeat: &str,
) -> Result<FormErrors, WebError> {
    let payer = payers::find(&state.app.db, &account.payer_code).await?;
    let personal = PersonalData {
        payer_code: &account.payer_code,
        name: payer.as_ref().map(|payer| payer.name.as_str()),
        email: account.email.as_deref(),
    };
    let mut errors = FormErrors::default();
    if new_password.is_empty() {
        errors.add("new_password", lang.t("password-reset-missing"));
        return Ok(errors);
    }
    for problem in check_password(new_password, &personal) {
        let args: Vec<(&'static str, Arg)> = problem
            .args()
            .into_iter()
            .map(|(name, value)| (name, Arg::Number(value)))
            .collect();
        errors.add("new_password", lang.t_with(problem.message_id(), &args));
    }
    if new_password_repeat.is_empty() {
        errors.add(
            "new_password_repeat",
            lang.t("password-reset-repeat-missing"),
        );
    } else if new_password != new_password_repeat {
        errors.add(
            "new_password_repeat",
            lang.t("password-reset-repeat-differs"),
        );
    }
    Ok(errors)
}
