//! "Soglasje za obdelavo osebnih podatkov – GDPR": asked for before anything else, again for
//! each new version of the text. Declining signs the user out.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::{Origin, consent};
use crate::i18n::Lang;
use crate::store::accounts::ConsentDecision;
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth::{self, SignedIn};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::page::{Chrome, Frame, render};

#[derive(Template)]
#[template(path = "account/consent.html")]
struct ConsentPage {
    page: Chrome,
    text: String,
    version: String,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    signed_in: SignedIn,
) -> Result<Response, WebError> {
    let consent = &state.app.site.consent;
    if signed_in.account.consent_version.as_deref() == Some(consent.version.as_str()) {
        return Ok(Redirect::to("/home").into_response());
    }
    let text = match frame.lang {
        Lang::Sl => consent.text_sl.trim(),
        Lang::En => consent.text_en.trim(),
    };
    let page = frame
        .chrome("consent-title")
        .signed_in_as(signed_in.user_name());
    Ok(render(&ConsentPage {
        page,
        text: text.to_owned(),
        version: consent.version.clone(),
    })?
    .into_response())
}

/// The two buttons of the consent page.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    Accept,
    Decline,
}

#[derive(Deserialize)]
pub struct Decision {
    decision: Choice,
    /// The version the user read, so a text changed meanwhile is not accepted unseen.
    version: String,
}

pub async fn decide(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    SignedIn {
        account, session, ..
    }: SignedIn,
    Form(form): Form<Decision>,
) -> Result<Response, WebError> {
    let consent = &state.app.site.consent;
    if form.version != consent.version {
        return Ok(Redirect::to("/consent").into_response());
    }
    let decision = match form.decision {
        Choice::Accept => ConsentDecision::Given,
        Choice::Decline => ConsentDecision::Declined,
    };
    consent::decide(&state.app, &Origin::web(addr), &account, decision).await?;
    if decision == ConsentDecision::Given {
        return Ok(Redirect::to("/home").into_response());
    }
    auth::sign_out(&session).await?;
    Ok(Redirect::to("/?notice=consent-required").into_response())
}
