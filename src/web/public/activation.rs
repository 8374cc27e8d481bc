//! Activation (SPEC §3.2). The link mailed at registration opens a page with a button, and only
//! pressing it activates the account, so mail scanners that fetch every link activate nothing.
//! A spoiled link says what is wrong with it and, while the account still waits, offers a new
//! one.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};

use crate::app::Origin;
use crate::app::registration::{self, Resent};
use crate::store::Db;
use crate::store::accounts::{self, Account, AccountState};
use crate::store::tokens::{self, AccountToken, Lookup, Purpose};
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth::{self, AuthRedirect, Customer};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::Flash;
use crate::web::kit::links::LinkToken;
use crate::web::kit::page::{Chrome, Frame, render};

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
#[template(path = "public/activate.html")]
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
        Some(account) if account.state == AccountState::Pending => Followed {
            state,
            pending: Some((token, account)),
        },
        Some(account) if account.state == AccountState::Active => {
            Followed::settled(LinkState::Used)
        }
        _ => Followed::settled(LinkState::Invalid),
    })
}

/// Shows what the link can do; never activates (see the module's comment).
pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    who: Result<Customer, AuthRedirect>,
    Query(query): Query<LinkToken>,
) -> Result<Response, WebError> {
    if let Some(elsewhere) = auth::elsewhere_if_signed_in(who) {
        return Ok(elsewhere);
    }
    let token = query.token;
    let followed = follow(&state.app.db, &token, state.app.now()).await?;
    page(&frame, followed.state, offered(followed.state, token))
}

/// The token goes back into the page only where a button needs it.
fn offered(state: LinkState, token: String) -> String {
    match state {
        LinkState::Ready | LinkState::Expired | LinkState::Replaced => token,
        _ => String::new(),
    }
}

pub async fn activate(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<LinkToken>,
) -> Result<Response, WebError> {
    let followed = follow(&state.app.db, &form.token, state.app.now()).await?;
    let (LinkState::Ready, Some((token, account))) = (followed.state, followed.pending) else {
        return page(&frame, followed.state, offered(followed.state, form.token));
    };
    if !registration::activate(&state.app, &Origin::web(addr), &token, &account).await? {
        // Pressed twice, or in two windows: the other press activated the account.
        return page(&frame, LinkState::Used, String::new());
    }
    Ok(Redirect::to("/?notice=activated").into_response())
}

/// A new link for the account of an expired or voided one, to the account's own address.
pub async fn resend(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<LinkToken>,
) -> Result<Response, WebError> {
    let followed = follow(&state.app.db, &form.token, state.app.now()).await?;
    let Some((_, account)) = followed.pending else {
        return page(&frame, followed.state, String::new());
    };
    let resent = registration::resend(&state.app, &Origin::web(addr), &account, frame.lang).await?;
    match resent {
        Resent::Sent => {
            RESENT
                .redirect(&frame.session, String::new(), "/activate/resent")
                .await
        }
        Resent::TooMany => page(&frame, LinkState::TooManyResends, String::new()),
        Resent::NoAddress => page(&frame, LinkState::Invalid, String::new()),
    }
}

/// Left for the page the redirect after a new link leads to.
const RESENT: Flash = Flash("activation_resent");

/// "Poslali smo novo povezavo", reached by the redirect, so a reload mails nothing again.
pub async fn resent(
    frame: Frame,
    who: Result<Customer, AuthRedirect>,
) -> Result<Response, WebError> {
    if let Some(elsewhere) = auth::elsewhere_if_signed_in(who) {
        return Ok(elsewhere);
    }
    if RESENT.take(&frame.session).await?.is_none() {
        return Ok(Redirect::to("/").into_response());
    }
    page(&frame, LinkState::Resent, String::new())
}
