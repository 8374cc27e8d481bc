//! Who is signed in. A session knows its account and when it signed in; it ends after
//! `session_absolute_hours` however busy, when the account is no longer active, or when a
//! password reset voided it. Portal pages need more: the current consent and a confirmed
//! e-mail address, else the customer is sent to give them first.

use axum::extract::{FromRequestParts, OptionalFromRequestParts, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};
use tower_sessions::Session;

use crate::config::Consent;
use crate::store::accounts::{self, Account, AccountState};
use crate::store::payers::Payer;
use crate::store::sessions::{self, ACCOUNT_ID_KEY as ACCOUNT_ID};
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::session::{keep_alive, mark_active};

const SIGNED_IN_AT: &str = "signed_in_at";

/// Signs `account_id` in on a new session id, so an id planted before sign-in is worthless.
pub async fn sign_in(
    session: &Session,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<(), WebError> {
    session.cycle_id().await?;
    session.insert(ACCOUNT_ID, account_id).await?;
    session.insert(SIGNED_IN_AT, now.timestamp_millis()).await?;
    mark_active(session, now).await?;
    Ok(())
}

/// Ends the session: its row is deleted and its cookie cleared.
pub async fn sign_out(session: &Session) -> Result<(), WebError> {
    session.flush().await?;
    Ok(())
}

/// A signed-in account that is active, whatever it still owes (consent, e-mail), with its
/// payer (which the foreign key keeps, but a page must not fail on).
pub struct SignedIn {
    pub account: Account,
    pub payer: Option<Payer>,
    pub session: Session,
}

impl SignedIn {
    /// The name shown for the user: their own name for ePortal, else the payer's.
    pub fn user_name(&self) -> String {
        user_name(&self.account, self.payer.as_ref())
    }
}

/// A customer who may use the portal: signed in, consented to the current text, e-mail
/// confirmed.
pub struct Customer {
    pub account: Account,
    pub payer: Option<Payer>,
}

/// Why a request may not go on, and where it goes instead.
pub enum AuthRedirect {
    SignIn,
    Consent,
    Email,
    Failed(WebError),
}

impl IntoResponse for AuthRedirect {
    fn into_response(self) -> Response {
        match self {
            AuthRedirect::SignIn => Redirect::to("/").into_response(),
            AuthRedirect::Consent => Redirect::to("/consent").into_response(),
            AuthRedirect::Email => Redirect::to("/email").into_response(),
            AuthRedirect::Failed(error) => error.into_response(),
        }
    }
}

impl From<WebError> for AuthRedirect {
    fn from(error: WebError) -> Self {
        AuthRedirect::Failed(error)
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AuthRedirect;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        signed_in(parts, state).await?.ok_or(AuthRedirect::SignIn)
    }
}

/// For pages anyone may see that change with who is signed in.
impl OptionalFromRequestParts<AppState> for SignedIn {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        signed_in(parts, state).await
    }
}

/// The layer that lets [`signed_in`] and the portal's frame take the account, payer and points
/// its session's load read along (`store::sessions`), instead of reading them again.
pub async fn remember_loaded_customer(request: Request, next: Next) -> Response {
    sessions::remembering_customers(next.run(request)).await
}

/// The session's account if the session is still good; a session gone bad is ended.
async fn signed_in(parts: &mut Parts, state: &AppState) -> Result<Option<SignedIn>, WebError> {
    let session = Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, message)| WebError::NoSession(message))?;
    let account_id = session.get::<i64>(ACCOUNT_ID).await?;
    let signed_in_ms = session.get::<i64>(SIGNED_IN_AT).await?;
    let (Some(account_id), Some(signed_in_ms)) = (account_id, signed_in_ms) else {
        return Ok(None);
    };
    // A page takes the account its session's load read along. A request that changes
    // something reads it again: its body may arrive long after the form-token check loaded the
    // session, and a password reset or a deactivation meanwhile must count.
    let loaded = parts
        .method
        .is_safe()
        .then(|| sessions::take_loaded_account(account_id))
        .flatten();
    let found = match loaded {
        Some(found) => Some(found),
        None => accounts::find_with_payer(&state.app.db, account_id).await?,
    };
    let lifetime = Duration::hours(i64::from(state.config.session_absolute_hours));
    let valid = found.filter(|(account, _)| {
        account.state == AccountState::Active
            && state.app.now().timestamp_millis() - signed_in_ms < lifetime.num_milliseconds()
            && account
                .sessions_valid_after
                .is_none_or(|after| signed_in_ms >= after.timestamp_millis())
    });
    match valid {
        Some((account, payer)) => {
            let idle = i64::from(state.config.session_idle_minutes);
            keep_alive(&session, state.app.now(), idle).await?;
            Ok(Some(SignedIn {
                account,
                payer,
                session,
            }))
        }
        None => {
            sign_out(&session).await?;
            Ok(None)
        }
    }
}

impl FromRequestParts<AppState> for Customer {
    type Rejection = AuthRedirect;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let SignedIn { account, payer, .. } =
            signed_in(parts, state).await?.ok_or(AuthRedirect::SignIn)?;

        // Consent comes before anything else (SPEC §3.4), then the e-mail address (§3.5).
        if !has_current_consent(&state.app.site.consent, &account) {
            return Err(AuthRedirect::Consent);
        }
        if account.email_confirmed_at.is_none() {
            return Err(AuthRedirect::Email);
        }
        Ok(Customer { account, payer })
    }
}

/// For pages meant for people without a session (registration, activation, access request):
/// a signed-in visitor is sent on to the portal, or to what it still needs first. `None` for
/// visitors who are not signed in, who see the page.
pub fn elsewhere_if_signed_in(who: Result<Customer, AuthRedirect>) -> Option<Response> {
    match who {
        Ok(_) => Some(Redirect::to("/home").into_response()),
        Err(AuthRedirect::SignIn) => None,
        Err(other) => Some(other.into_response()),
    }
}

/// Whether the account consented to the text in force now.
pub fn has_current_consent(consent: &Consent, account: &Account) -> bool {
    account.consent_version.as_deref() == Some(consent.version.as_str())
}

/// The name shown for a signed-in user: their own name for ePortal, else the payer's.
pub fn user_name(account: &Account, payer: Option<&Payer>) -> String {
    account
        .display_name
        .clone()
        .or_else(|| payer.map(|payer| payer.name.clone()))
        .unwrap_or_else(|| account.payer_code.clone())
}
