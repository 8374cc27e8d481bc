//! "API žetoni": tokens for the billing system, made by an administrator in the back office or
//! by `eportal token create`; the token is returned once and only its digest is kept.

use chrono::{DateTime, Duration, Utc};

use super::{AppError, Origin, Services};
use crate::domain::api_token::{ApiToken, Scope};
use crate::store::api_tokens::{self, NewToken};
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::staff::StaffUser;
use crate::store::{Db, begin_write};

/// The longest name a token may have.
pub const NAME_MAX_CHARS: usize = 100;
/// The longest a token may be valid: ten years.
pub const EXPIRY_MAX_DAYS: u32 = 3650;

/// A token to make, its parts checked by the caller (name 1 to [`NAME_MAX_CHARS`], at least one
/// scope, expiry 1 to [`EXPIRY_MAX_DAYS`] days or none).
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub name: String,
    pub scopes: Vec<Scope>,
    pub expires_in_days: Option<u32>,
}

/// The token made: its id and the token itself, to be shown once.
#[derive(Debug)]
pub struct Created {
    pub id: i64,
    pub token: ApiToken,
}

/// Makes a token at `now`; `staff` is who made it in the back office, `None` the command line
/// (which has no [`Services`]).
pub async fn create(
    db: &Db,
    origin: &Origin,
    staff: Option<&StaffUser>,
    request: &TokenRequest,
    now: DateTime<Utc>,
) -> Result<Created, AppError> {
    let token = ApiToken::generate();
    let username = staff.map(|user| user.username.as_str());
    let new = NewToken {
        name: &request.name,
        token: &token,
        scopes: &request.scopes,
        created_by: username,
        expires_at: request
            .expires_in_days
            .map(|days| now + Duration::days(i64::from(days))),
    };
    let txn = begin_write(db).await?;
    let id = api_tokens::insert(&txn, new, now).await?;
    let event = Event::new(
        username.map_or(Actor::System, Actor::Staff),
        AuditAction::ApiTokenCreated,
    )
    .subject(id.to_string())
    .from_addr(origin.addr())
    .details(serde_json::json!({
        "name": request.name,
        "scopes": Scope::join(&request.scopes),
        "expires_in_days": request.expires_in_days,
        "prefix": token.shown_prefix(),
    }));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(Created { id, token })
}

/// Revokes token `id`: the API refuses it from the next request. False when it was revoked
/// already.
pub async fn revoke(
    services: &Services,
    origin: &Origin,
    staff: &StaffUser,
    id: i64,
) -> Result<bool, AppError> {
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    if !api_tokens::revoke(&txn, id, &staff.username, now).await? {
        return Ok(false);
    }
    let event = Event::staff(&staff.username, AuditAction::ApiTokenRevoked)
        .subject(id.to_string())
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(true)
}
