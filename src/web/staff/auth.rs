//! Who is signed in to the back office. The staff session has its own cookie, scoped to
//! `/staff`; it knows the user once both factors are through, and only for
//! [`ABSOLUTE_HOURS`] however busy. Between the password and the code it holds the user for
//! [`PENDING_MINUTES`].

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};
use tower_sessions::Session;

use crate::store::staff::{self, Role, StaffUser};
use crate::web::kit::error::refusal_page;
use crate::web::kit::lang::lang_of;
use crate::web::kit::session::{keep_alive, mark_active};
use crate::web::{AppState, WebError};

const STAFF_ID: &str = "staff_id";
const SIGNED_IN_AT: &str = "staff_signed_in_at";
const PENDING_ID: &str = "staff_pending_id";
const PENDING_AT: &str = "staff_pending_at";
const CONFIRMED_AT: &str = "staff_confirmed_at";

/// How long a sign-in or a confirmation with a code covers dangerous actions (SPEC §4).
pub const FRESH_MINUTES: i64 = 10;

/// A staff session ends this long after sign-in, however busy.
pub const ABSOLUTE_HOURS: i64 = 8;
/// Time to give the code after the password.
pub const PENDING_MINUTES: i64 = 10;

/// Password through: the code (or the enrolment) comes next, on a new session id.
pub async fn password_passed(
    session: &Session,
    user: &StaffUser,
    now: DateTime<Utc>,
) -> Result<(), WebError> {
    session.cycle_id().await?;
    session.insert(PENDING_ID, user.id).await?;
    session.insert(PENDING_AT, now.timestamp_millis()).await?;
    Ok(())
}

/// Both factors through: the user is signed in, on a new session id.
pub async fn signed_in(
    session: &Session,
    user: &StaffUser,
    now: DateTime<Utc>,
) -> Result<(), WebError> {
    session.cycle_id().await?;
    session.remove::<i64>(PENDING_ID).await?;
    session.remove::<i64>(PENDING_AT).await?;
    session.insert(STAFF_ID, user.id).await?;
    session.insert(SIGNED_IN_AT, now.timestamp_millis()).await?;
    session.insert(CONFIRMED_AT, now.timestamp_millis()).await?;
    mark_active(session, now).await?;
    Ok(())
}

/// The user gave a code again: dangerous actions are open for [`FRESH_MINUTES`].
pub async fn confirmed(session: &Session, now: DateTime<Utc>) -> Result<(), WebError> {
    session.insert(CONFIRMED_AT, now.timestamp_millis()).await?;
    Ok(())
}

/// Why a request under `/staff` may not go on: it goes to the sign-in page instead.
pub enum StaffRedirect {
    SignIn,
    Failed(WebError),
}

impl IntoResponse for StaffRedirect {
    fn into_response(self) -> Response {
        match self {
            StaffRedirect::SignIn => Redirect::to("/staff").into_response(),
            StaffRedirect::Failed(error) => error.into_response(),
        }
    }
}

impl From<WebError> for StaffRedirect {
    fn from(error: WebError) -> Self {
        StaffRedirect::Failed(error)
    }
}

/// The user a session holds under `id_key` since `at_key` (with that time, in milliseconds),
/// if that is less than `lifetime` ago and the user may still sign in.
async fn held(
    parts: &mut Parts,
    state: &AppState,
    (id_key, at_key): (&str, &str),
    lifetime: Duration,
) -> Result<Option<(StaffUser, Session, i64)>, WebError> {
    let session = Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, message)| WebError::NoSession(message))?;
    let id = session.get::<i64>(id_key).await?;
    let at = session.get::<i64>(at_key).await?;
    let (Some(id), Some(at)) = (id, at) else {
        return Ok(None);
    };
    let fresh = state.app.now().timestamp_millis() - at < lifetime.num_milliseconds();
    let user = staff::find(&state.app.db, id).await?;
    match user.filter(|user| fresh && !user.disabled) {
        Some(user) => {
            let idle = crate::web::router::STAFF_IDLE_MINUTES;
            keep_alive(&session, state.app.now(), idle).await?;
            Ok(Some((user, session, at)))
        }
        None => {
            session.flush().await?;
            Ok(None)
        }
    }
}

/// A staff user signed in with both factors.
pub struct StaffMember {
    pub user: StaffUser,
    pub session: Session,
}

impl StaffMember {
    /// Whether the user gave a code (signing in or confirming) in the last [`FRESH_MINUTES`].
    pub async fn is_fresh(&self, now: DateTime<Utc>) -> Result<bool, WebError> {
        let confirmed_at = self.session.get::<i64>(CONFIRMED_AT).await?;
        let window = Duration::minutes(FRESH_MINUTES).num_milliseconds();
        Ok(confirmed_at.is_some_and(|at| now.timestamp_millis() - at < window))
    }

    /// Answers a dangerous action of a user who has not given a code lately: to the page
    /// that asks for one and then leads back to `back`.
    pub async fn fresh_or_confirm(
        &self,
        now: DateTime<Utc>,
        back: &str,
    ) -> Result<Option<Response>, WebError> {
        if self.is_fresh(now).await? {
            return Ok(None);
        }
        let back: String = url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
        Ok(Some(
            Redirect::to(&format!("/staff/confirm?next={back}")).into_response(),
        ))
    }
}

/// The session's staff user, signed in less than [`ABSOLUTE_HOURS`] ago with the second
/// factor they have now: a reset (or a new enrolment) since ends the session.
async fn member_of(parts: &mut Parts, state: &AppState) -> Result<Option<StaffMember>, WebError> {
    let lifetime = Duration::hours(ABSOLUTE_HOURS);
    let Some((user, session, signed_in_ms)) =
        held(parts, state, (STAFF_ID, SIGNED_IN_AT), lifetime).await?
    else {
        return Ok(None);
    };
    let enrolled_before = user
        .totp_enrolled_at
        .is_some_and(|at| at.timestamp_millis() <= signed_in_ms);
    if !enrolled_before {
        session.flush().await?;
        return Ok(None);
    }
    Ok(Some(StaffMember { user, session }))
}

impl FromRequestParts<AppState> for StaffMember {
    type Rejection = StaffRedirect;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        member_of(parts, state).await?.ok_or(StaffRedirect::SignIn)
    }
}

/// A staff user with the administrator's role; another is told the page is not theirs.
pub struct Administrator(pub StaffMember);

impl FromRequestParts<AppState> for Administrator {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let member = <StaffMember as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if member.user.role != Role::Admin {
            let lang = lang_of(&parts.headers);
            return Err(refusal_page(
                lang,
                StatusCode::FORBIDDEN,
                "staff-admin-only-title",
                "staff-admin-only-text",
            ));
        }
        Ok(Self(member))
    }
}

impl OptionalFromRequestParts<AppState> for StaffMember {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        member_of(parts, state).await
    }
}

/// A staff user whose password went through a moment ago and who owes the code.
pub struct Pending {
    pub user: StaffUser,
}

impl FromRequestParts<AppState> for Pending {
    type Rejection = StaffRedirect;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lifetime = Duration::minutes(PENDING_MINUTES);
        let (user, _, _) = held(parts, state, (PENDING_ID, PENDING_AT), lifetime)
            .await?
            .ok_or(StaffRedirect::SignIn)?;
        Ok(Pending { user })
    }
}
