//! Confirming an e-mail address by the link sent to it, at first sign-in ("Ob prvi prijavi
//! morate vnesti elektronski naslov.") and when the address changes. Opening the link only
//! shows a button, so mail scanners that fetch links confirm nothing; pressing it does.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::app::{Origin, email};
use crate::store::tokens::{Lookup, Purpose};
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth::SignedIn;
use crate::web::kit::client::ClientAddr;
use crate::web::kit::links::{LinkToken, SpoiledLink, usable_token};
use crate::web::kit::page::{Chrome, Frame, render};

const SPOILED: SpoiledLink = SpoiledLink {
    expired_key: "email-confirm-link-expired",
    used_key: "email-confirm-link-used",
    next_href: "/",
    next_label_key: "email-confirm-to-portal",
};

#[derive(Template)]
#[template(path = "public/email_confirm.html")]
struct ConfirmPage {
    page: Chrome,
    token: String,
    payer_code: String,
    new_email: String,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<LinkToken>,
) -> Result<Html<String>, WebError> {
    match usable_token(&state, &query.token, Purpose::EmailChange).await? {
        Ok((token, account)) => render(&ConfirmPage {
            page: frame.chrome("email-confirm-title"),
            token: query.token,
            payer_code: account.payer_code,
            new_email: token.new_email.unwrap_or_default(),
        }),
        Err(lookup) => SPOILED.render(&frame, &lookup),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    signed_in: Option<SignedIn>,
    Form(form): Form<LinkToken>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let (token, account) = match usable_token(&state, &form.token, Purpose::EmailChange).await? {
        Ok(usable) => usable,
        Err(lookup) => return Ok(SPOILED.render(&frame, &lookup)?.into_response()),
    };
    if !email::confirm(&state.app, &Origin::web(addr), &token, &account, lang).await? {
        return Ok(SPOILED
            .render(&frame, &Lookup::Used(token))?
            .into_response());
    }
    let own_session = signed_in.is_some_and(|signed_in| signed_in.account.id == account.id);
    Ok(if own_session {
        Redirect::to("/home")
    } else {
        Redirect::to("/?notice=email-confirmed")
    }
    .into_response())
}
