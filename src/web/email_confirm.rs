//! Confirming an e-mail address by the link sent to it, at first sign-in ("Ob prvi prijavi
//! morate vnesti elektronski naslov.") and when the address changes. Opening the link only
//! shows a button, so mail scanners that fetch links confirm nothing; pressing it does.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use serde::Deserialize;

use super::auth::SignedIn;
use super::client::ClientAddr;
use super::links::{self, SpoiledLink};
use super::page::{Chrome, Frame, render};
use super::{AppState, WebError};
use crate::domain::email::EmailAddress;
use crate::i18n::{Arg, Lang};
use crate::mail::{self, letter::Letter};
use crate::store::accounts::{self, Account};
use crate::store::audit::{self, Actor, Event};
use crate::store::begin_write;
use crate::store::tokens::{self, AccountToken, Lookup, Purpose};

/// How long a link to confirm an address works.
pub const LINK_VALID_HOURS: i64 = 48;

const SPOILED: SpoiledLink = SpoiledLink {
    expired_key: "email-confirm-link-expired",
    used_key: "email-confirm-link-used",
    next_href: "/",
    next_label_key: "email-confirm-to-portal",
};

/// Mails `new_email` a link that makes it the account's confirmed address, on `conn` (the
/// caller's transaction); an earlier link of the account stops working.
pub async fn send_link<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    lang: Lang,
    account: &Account,
    new_email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<(), WebError> {
    let token = tokens::issue(
        conn,
        account.id,
        Purpose::EmailChange,
        Some(new_email.as_str()),
        Duration::hours(LINK_VALID_HOURS),
        now,
    )
    .await?;
    let link = links::with_token(&state.config, "/email/confirm", &token);
    let code = [("code", Arg::from(account.payer_code.as_str()))];
    let letter = Letter::new(lang, "email-confirm-mail-subject")
        .paragraph(lang.t_with("email-confirm-mail-text", &code))
        .action("email-confirm-mail-action", link)
        .after(lang.t("email-confirm-mail-valid"))
        .after(lang.t("email-confirm-mail-not-you"));
    let mail = letter.to(new_email.as_str(), state.config.company()?)?;
    mail::enqueue(conn, &state.config, mail, now).await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "email_confirm.html")]
struct ConfirmPage {
    page: Chrome,
    token: String,
    payer_code: String,
    new_email: String,
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
    match usable(&state, &query.token, Utc::now()).await? {
        Ok((token, account)) => render(&ConfirmPage {
            page: frame.chrome("email-confirm-title"),
            token: query.token,
            payer_code: account.payer_code,
            new_email: token.new_email.unwrap_or_default(),
        }),
        Err(lookup) => SPOILED.render(&frame, &lookup),
    }
}

/// The token and its account if the link can still confirm an address; else why not.
async fn usable(
    state: &AppState,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Result<(AccountToken, Account), Lookup>, WebError> {
    links::usable_token(&state.db, token, Purpose::EmailChange, now, |token, _| {
        token.new_email.is_some()
    })
    .await
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    token: String,
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    signed_in: Option<SignedIn>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let now = Utc::now();
    let (token, account) = match usable(&state, &form.token, now).await? {
        Ok(usable) => usable,
        Err(lookup) => return Ok(SPOILED.render(&frame, &lookup)?.into_response()),
    };
    let new_email = token.new_email.clone().unwrap_or_default();
    let txn = begin_write(&state.db).await?;
    if !tokens::consume(&txn, token.id, now).await? {
        return Ok(SPOILED
            .render(&frame, &Lookup::Used(token))?
            .into_response());
    }
    accounts::confirm_email(&txn, account.id, &new_email, now).await?;
    let replaced = account
        .email
        .as_deref()
        .filter(|old| account.email_confirmed_at.is_some() && *old != new_email);
    if let Some(old) = replaced {
        let args = [
            ("code", Arg::from(account.payer_code.as_str())),
            ("email", Arg::from(new_email.as_str())),
        ];
        let phone = [("phone", Arg::from(state.config.company()?.phone.as_str()))];
        let mail = Letter::new(lang, "email-changed-mail-subject")
            .paragraph(lang.t_with("email-changed-mail-text", &args))
            .after(lang.t_with("mail-not-you-call", &phone))
            .to(old, state.config.company()?)?;
        mail::enqueue(&txn, &state.config, mail, now).await?;
    }
    let event = Event::new(Actor::Customer(&account.payer_code), "email_confirmed")
        .from_addr(Some(&addr))
        .details(serde_json::json!({ "replaced": replaced.is_some() }));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    let own_session = signed_in.is_some_and(|signed_in| signed_in.account.id == account.id);
    Ok(if own_session {
        Redirect::to("/home")
    } else {
        Redirect::to("/?notice=email-confirmed")
    }
    .into_response())
}
