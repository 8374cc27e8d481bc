//! Activation (SPEC §3.2). The link mailed at registration opens a page with a button, and only
//! pressing it activates the account, so mail scanners that fetch every link activate nothing.
//! A spoiled link says what is wrong with it and, while the account still waits, offers a new
//! one.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use serde::Deserialize;

use super::auth::{self, AuthRedirect, Customer};
use super::client::ClientAddr;
use super::page::{Chrome, Frame, render};
use super::{AppState, WebError, links};
use crate::config::Config;
use crate::i18n::{Arg, Lang};
use crate::mail::{self, letter::Letter};
use crate::store::accounts::{self, Account};
use crate::store::audit::{self, Actor, Event};
use crate::store::tokens::{self, AccountToken, Lookup, Purpose};
use crate::store::{Db, begin_write, throttles};

/// How long an activation link works.
pub const LINK_VALID_HOURS: i64 = 48;
/// New links one account may ask for per [`WINDOW_HOURS`], and one client address.
const RESENDS_PER_ACCOUNT: u32 = 5;
const RESENDS_PER_ADDRESS: u32 = 20;
const WINDOW_HOURS: i64 = 1;

/// What the page says about the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkState {
    /// Good: the button activates the account.
    Ready,
    Expired,
    /// Voided by a newer link while the account still waits.
    Replaced,
    /// Used: the account is active.
    Used,
    Invalid,
    /// A new link is on its way.
    Resent,
    TooManyResends,
}

impl LinkState {
    /// The page's heading and title.
    fn title_key(self) -> &'static str {
        match self {
            LinkState::Ready => "activate-title",
            LinkState::Expired => "activate-expired",
            LinkState::Replaced => "activate-replaced",
            LinkState::Used => "activate-used",
            LinkState::Invalid => "activate-invalid",
            LinkState::Resent => "activate-resent",
            LinkState::TooManyResends => "activate-title",
        }
    }
}

#[derive(Template)]
#[template(path = "activate.html")]
struct ActivatePage {
    page: Chrome,
    state: LinkState,
    /// The link's token, for the button (to activate, or to ask for a new link).
    token: String,
}

fn page(frame: &Frame, state: LinkState, token: String) -> Result<Response, WebError> {
    Ok(render(&ActivatePage {
        page: frame.chrome(state.title_key()),
        state,
        token,
    })?
    .into_response())
}

/// Where a link's token leads: its state and, while the account waits, the token and account.
struct Followed {
    state: LinkState,
    pending: Option<(AccountToken, Account)>,
}

impl Followed {
    fn settled(state: LinkState) -> Self {
        Self {
            state,
            pending: None,
        }
    }
}

async fn follow(db: &Db, token: &str, now: DateTime<Utc>) -> Result<Followed, WebError> {
    if token.trim().is_empty() {
        return Ok(Followed::settled(LinkState::Invalid));
    }
    let (token, state) = match tokens::look_up(db, token, Purpose::Activation, now).await? {
        Lookup::Unknown => return Ok(Followed::settled(LinkState::Invalid)),
        Lookup::Valid(token) => (token, LinkState::Ready),
        Lookup::Expired(token) => (token, LinkState::Expired),
        // Activating uses a token and the account in one go, so a used token of an account
        // that still waits was voided by a newer one.
        Lookup::Used(token) => (token, LinkState::Replaced),
    };
    Ok(match accounts::find(db, token.account_id).await? {
        Some(account) if account.state == accounts::PENDING => Followed {
            state,
            pending: Some((token, account)),
        },
        Some(account) if account.state == accounts::ACTIVE => Followed::settled(LinkState::Used),
        _ => Followed::settled(LinkState::Invalid),
    })
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// Shows what the link can do; never activates (see the module's comment).
pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    who: Result<Customer, AuthRedirect>,
    Query(query): Query<TokenQuery>,
) -> Result<Response, WebError> {
    if let Some(elsewhere) = auth::elsewhere_if_signed_in(who) {
        return Ok(elsewhere);
    }
    let token = query.token.unwrap_or_default();
    let followed = follow(&state.db, &token, Utc::now()).await?;
    page(&frame, followed.state, offered(followed.state, token))
}

/// The token goes back into the page only where a button needs it.
fn offered(state: LinkState, token: String) -> String {
    match state {
        LinkState::Ready | LinkState::Expired | LinkState::Replaced => token,
        _ => String::new(),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token: String,
}

pub async fn activate(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    let now = Utc::now();
    let followed = follow(&state.db, &form.token, now).await?;
    let (LinkState::Ready, Some((token, account))) = (followed.state, followed.pending) else {
        return page(&frame, followed.state, offered(followed.state, form.token));
    };
    let txn = begin_write(&state.db).await?;
    if !tokens::consume(&txn, token.id, now).await?
        || !accounts::activate(&txn, account.id, now).await?
    {
        // Pressed twice, or in two windows: the other press activated the account.
        txn.rollback().await?;
        return page(&frame, LinkState::Used, String::new());
    }
    let event = Event::new(Actor::Customer(&account.payer_code), "activation")
        .subject(account.payer_code.clone())
        .from_addr(Some(&addr));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(Redirect::to("/?notice=activated").into_response())
}

fn account_key(account: &Account) -> String {
    format!("activation-resend:account:{}", account.id)
}

fn address_key(addr: &str) -> String {
    format!("activation-resend:address:{addr}")
}

/// A new link for the account of an expired or voided one, to the account's own address.
pub async fn resend(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    let now = Utc::now();
    let followed = follow(&state.db, &form.token, now).await?;
    let Some((_, account)) = followed.pending else {
        return page(&frame, followed.state, String::new());
    };
    let Some(email) = account.email.as_deref() else {
        return page(&frame, LinkState::Invalid, String::new());
    };
    let window = Duration::hours(WINDOW_HOURS);
    let by_account = throttles::hits(&state.db, &account_key(&account), window, now).await?;
    let by_address = throttles::hits(&state.db, &address_key(&addr), window, now).await?;
    if by_account >= RESENDS_PER_ACCOUNT || by_address >= RESENDS_PER_ADDRESS {
        return page(&frame, LinkState::TooManyResends, String::new());
    }
    let txn = begin_write(&state.db).await?;
    throttles::hit(&txn, &account_key(&account), window, now).await?;
    throttles::hit(&txn, &address_key(&addr), window, now).await?;
    send_link(
        &txn,
        &state.config,
        account.id,
        &account.payer_code,
        email,
        frame.lang,
        now,
    )
    .await?;
    let event = Event::new(Actor::Customer(&account.payer_code), "activation_resent")
        .subject(account.payer_code.clone())
        .from_addr(Some(&addr));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    page(&frame, LinkState::Resent, String::new())
}

/// Makes a new activation link for the account, voiding its earlier ones, and queues the
/// e-mail with it on `conn` (the transaction of the change that asks for it).
pub(super) async fn send_link<C: ConnectionTrait>(
    conn: &C,
    config: &Config,
    account_id: i64,
    payer_code: &str,
    email: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<(), WebError> {
    let valid_for = Duration::hours(LINK_VALID_HOURS);
    let token = tokens::issue(conn, account_id, Purpose::Activation, None, valid_for, now).await?;
    let hours = [("hours", Arg::Number(LINK_VALID_HOURS))];
    let letter = Letter::new(lang, "register-mail-subject")
        .paragraph(lang.t_with("register-mail-received", &[("username", payer_code.into())]))
        .paragraph(lang.t("register-mail-how"))
        .action(
            "register-mail-action",
            links::with_token(config, "/activate", &token),
        )
        .after(lang.t_with("register-mail-valid", &hours))
        .after(lang.t("register-mail-not-you"));
    let mail = letter.to(email, config.company()?)?;
    mail::enqueue(conn, config, mail, now).await?;
    Ok(())
}
