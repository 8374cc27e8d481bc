//! Who is signed in to the back office. The staff session has its own cookie, scoped to
//! `/staff`; it knows the user once both factors are through, and only for
//! [`ABSOLUTE_HOURS`] however busy. Between the password and the code it holds the user for
//! [`PENDING_MINUTES`].

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};
use tower_sessions::Session;

use crate::store::staff::{self, StaffUser};
use crate::web::{AppState, WebError};

const STAFF_ID: &str = "staff_id";
const SIGNED_IN_AT: &str = "staff_signed_in_at";
const PENDING_ID: &str = "staff_pending_id";
const PENDING_AT: &str = "staff_pending_at";

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

/// The user a session holds under `id_key` since `at_key`, if that is less than `lifetime`
/// ago and the user may still sign in.
async fn held(
    parts: &mut Parts,
    state: &AppState,
    (id_key, at_key): (&str, &str),
    lifetime: Duration,
) -> Result<Option<(StaffUser, Session)>, WebError> {
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
        Some(user) => Ok(Some((user, session))),
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

impl FromRequestParts<AppState> for StaffMember {
    type Rejection = StaffRedirect;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lifetime = Duration::hours(ABSOLUTE_HOURS);
        let (user, session) = held(parts, state, (STAFF_ID, SIGNED_IN_AT), lifetime)
            .await?
            .ok_or(StaffRedirect::SignIn)?;
        Ok(StaffMember { user, session })
    }
}

impl OptionalFromRequestParts<AppState> for StaffMember {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        let lifetime = Duration::hours(ABSOLUTE_HOURS);
        let held = held(parts, state, (STAFF_ID, SIGNED_IN_AT), lifetime).await?;
        Ok(held.map(|(user, session)| StaffMember { user, session }))
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
        let (user, _) = held(parts, state, (PENDING_ID, PENDING_AT), lifetime)
            .await?
            .ok_or(StaffRedirect::SignIn)?;
        Ok(Pending { user })
    }
}
