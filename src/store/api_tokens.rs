//! The billing API's tokens: stored as SHA-256 digests, never as themselves.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::entity::api_token;
use crate::auth::secret::sha256_hex;
use crate::domain::api_token::{ApiToken, Scope};

pub use super::entity::api_token::Model as StoredToken;

/// A token to be stored.
#[derive(Debug, Clone)]
pub struct NewToken<'a> {
    pub name: &'a str,
    pub token: &'a ApiToken,
    pub scopes: &'a [Scope],
    /// The staff user making it; `None` for the command line.
    pub created_by: Option<&'a str>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Stores `new`; its id.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    new: NewToken<'_>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let stored = api_token::ActiveModel {
        name: Set(new.name.to_owned()),
        token_hash: Set(sha256_hex(new.token.as_str().as_bytes())),
        shown_prefix: Set(new.token.shown_prefix().to_owned()),
        scopes: Set(Scope::join(new.scopes)),
        created_by: Set(new.created_by.map(str::to_owned)),
        created_at: Set(now),
        expires_at: Set(new.expires_at),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(stored.id)
}

/// Every token, the newest first.
pub async fn all<C: ConnectionTrait>(conn: &C) -> Result<Vec<StoredToken>, DbErr> {
    api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(conn)
        .await
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<StoredToken>, DbErr> {
    api_token::Entity::find_by_id(id).one(conn).await
}

/// Revokes token `id`; false when it was revoked already (or is not there).
pub async fn revoke<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    revoked_by: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Some(now)))
        .col_expr(
            api_token::Column::RevokedBy,
            Expr::value(Some(revoked_by.to_owned())),
        )
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The valid token (neither revoked nor expired) whose digest is `token_hash`, its use at
/// `now` from `addr` recorded; `None` for any other.
pub async fn authenticate<C: ConnectionTrait>(
    conn: &C,
    token: &ApiToken,
    addr: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<StoredToken>, DbErr> {
    let found = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(sha256_hex(token.as_str().as_bytes())))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(conn)
        .await?;
    let Some(found) = found.filter(|found| found.expires_at.is_none_or(|at| at > now)) else {
        return Ok(None);
    };
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(Some(now)))
        .col_expr(
            api_token::Column::LastUsedAddr,
            Expr::value(addr.map(str::to_owned)),
        )
        .filter(api_token::Column::Id.eq(found.id))
        .exec(conn)
        .await?;
    Ok(Some(found))
}
