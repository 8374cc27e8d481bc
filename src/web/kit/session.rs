//! Keeps a session in use alive. tower-sessions moves an idle session's expiry on only when it
//! saves the session, and it saves only a changed one: a customer who reads pages without
//! changing anything would be signed out `session_idle_minutes` after signing in, however busy.
//! So a valid signed-in session is marked as active at most once a minute (or every half of a
//! shorter idle time): one write a minute instead of one per page; the idle time-out then
//! counts from a request at most that long before the last one.

use chrono::{DateTime, Utc};
use tower_sessions::Session;

use crate::web::WebError;

const ACTIVE_AT: &str = "active_at";
const MARK_EVERY_MS: i64 = 60_000;

/// Marks `session` as in use at `now` unless that was done lately; for a session already found
/// valid (the store never brings back a session ended meanwhile).
pub async fn keep_alive(
    session: &Session,
    now: DateTime<Utc>,
    idle_minutes: i64,
) -> Result<(), WebError> {
    let now = now.timestamp_millis();
    let every = MARK_EVERY_MS.min(idle_minutes * 60_000 / 2);
    let active_at = session.get::<i64>(ACTIVE_AT).await?;
    if active_at.is_none_or(|at| now - at >= every) {
        session.insert(ACTIVE_AT, now).await?;
    }
    Ok(())
}

/// Marks a session just signed in, which is being written anyway, as active.
pub async fn mark_active(session: &Session, now: DateTime<Utc>) -> Result<(), WebError> {
    session.insert(ACTIVE_AT, now.timestamp_millis()).await?;
    Ok(())
}
