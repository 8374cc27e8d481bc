//! "Soglasje za obdelavo osebnih podatkov – GDPR": asked for before anything else, again for
//! each new version of the text. Declining signs the user out.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

use super::auth::{self, SignedIn};
use super::client::ClientAddr;
use super::page::{Chrome, Frame, render};
use super::{AppState, WebError};
use crate::i18n::Lang;
use crate::store::accounts;
use crate::store::audit::{self, Actor, Event};
use crate::store::begin_write;

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    page: Chrome,
    text: String,
    version: String,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    SignedIn { account, .. }: SignedIn,
) -> Result<Response, WebError> {
    let consent = state.config.consent()?;
    if account.consent_version.as_deref() == Some(consent.version.as_str()) {
        return Ok(Redirect::to("/home").into_response());
    }
    let text = match frame.lang {
        Lang::Sl => consent.text_sl.trim(),
        Lang::En => consent.text_en.trim(),
    };
    let page = frame
        .chrome("consent-title")
        .signed_in_as(auth::user_name(&state.db, &account).await?);
    Ok(render(&ConsentPage {
        page,
        text: text.to_owned(),
        version: consent.version.clone(),
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct Decision {
    decision: String,
    /// The version the user read, so a text changed meanwhile is not accepted unseen.
    version: String,
}

pub async fn decide(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    SignedIn { account, session }: SignedIn,
    Form(form): Form<Decision>,
) -> Result<Response, WebError> {
    let consent = state.config.consent()?;
    if form.version != consent.version {
        return Ok(Redirect::to("/consent").into_response());
    }
    let accepted = form.decision == "accept";
    let (action, event) = if accepted {
        (accounts::CONSENT_GIVEN, "consent_given")
    } else {
        (accounts::CONSENT_DECLINED, "consent_declined")
    };
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    accounts::record_consent(&txn, account.id, &consent.version, action, Some(&addr), now).await?;
    let event = Event::new(Actor::Customer(&account.payer_code), event)
        .from_addr(Some(&addr))
        .details(serde_json::json!({ "version": consent.version }));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    if accepted {
        return Ok(Redirect::to("/home").into_response());
    }
    auth::sign_out(&session).await?;
    Ok(Redirect::to("/?notice=consent-required").into_response())
}
