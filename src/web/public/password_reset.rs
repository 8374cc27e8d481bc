//! The link from "Pozabljeno geslo": a new password for the account it was sent for. Setting
//! it uses up the link, ends every session of the account and tells its address.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::{Origin, password};
use crate::store::tokens::{Lookup, Purpose};
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth;
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::FormErrors;
use crate::web::kit::links::{LinkToken, SpoiledLink, usable_token};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::kit::password::password_errors;

const SPOILED: SpoiledLink = SpoiledLink {
    expired_key: "password-reset-link-expired",
    used_key: "password-reset-link-used",
    next_href: "/password/forgot",
    next_label_key: "password-reset-ask-again",
};

#[derive(Template)]
#[template(path = "public/password_reset.html")]
struct ResetPage {
    page: Chrome,
    errors: FormErrors,
    token: String,
    payer_code: String,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<LinkToken>,
) -> Result<Html<String>, WebError> {
    match usable_token(&state, &query.token, Purpose::PasswordReset).await? {
        Ok((_, account)) => render(&ResetPage {
            page: frame.chrome("password-reset-title"),
            errors: FormErrors::default(),
            token: query.token,
            payer_code: account.payer_code,
        }),
        Err(lookup) => SPOILED.render(&frame, &lookup),
    }
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
    let (token, account) = match usable_token(&state, &form.token, Purpose::PasswordReset).await? {
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
