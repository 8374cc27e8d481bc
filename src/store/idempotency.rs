//! The API's idempotency keys: the first answer to a token's key, kept for a day.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::entity::idempotency_key;

/// What a request with a key finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: the request runs, and its answer is kept with [`finish`].
    Fresh,
    /// The same request ran: its answer, as status and body.
    Answered { status: u16, body: String },
    /// The same request is running now.
    Running,
    /// The key was used for another request.
    OtherRequest,
}

/// How long a key's first answer is kept.
pub const KEPT_HOURS: i64 = 24;
/// A claim whose request has not answered after this long was abandoned (its client went
/// away, the server stopped): a retry takes it over.
pub const LEASE_MINUTES: i64 = 10;

/// Claims `key` of token `token_id` for the request with digest `request_hash`; keys older
/// than [`KEPT_HOURS`] are forgotten first.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    (token_id, key): (i64, &str),
    request_hash: &str,
    now: DateTime<Utc>,
) -> Result<Claim, DbErr> {
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(now - Duration::hours(KEPT_HOURS)))
        .exec(conn)
        .await?;
    let row = idempotency_key::ActiveModel {
        token_id: Set(token_id),
        key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        status: Set(None),
        body: Set(None),
        created_at: Set(now),
    };
    let inserted = idempotency_key::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                idempotency_key::Column::TokenId,
                idempotency_key::Column::Key,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let Some(existing) = idempotency_key::Entity::find_by_id((token_id, key.to_owned()))
        .one(conn)
        .await?
    else {
        return Ok(Claim::Running);
    };
    if existing.request_hash != request_hash {
        return Ok(Claim::OtherRequest);
    }
    if let (Some(status), Some(body)) = (existing.status, existing.body) {
        return Ok(Claim::Answered {
            status: u16::try_from(status).unwrap_or(500),
            body,
        });
    }
    let taken_over = idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::CreatedAt, Expr::value(now))
        .filter(idempotency_key::Column::TokenId.eq(token_id))
        .filter(idempotency_key::Column::Key.eq(key))
        .filter(idempotency_key::Column::Status.is_null())
        .filter(idempotency_key::Column::CreatedAt.lt(now - Duration::minutes(LEASE_MINUTES)))
        .exec(conn)
        .await?;
    Ok(if taken_over.rows_affected == 1 {
        Claim::Fresh
    } else {
        Claim::Running
    })
}

/// Keeps the answer to a claimed key.
pub async fn finish<C: ConnectionTrait>(
    conn: &C,
    (token_id, key): (i64, &str),
    status: u16,
    body: &str,
) -> Result<(), DbErr> {
    idempotency_key::Entity::update_many()
        .col_expr(
            idempotency_key::Column::Status,
            Expr::value(Some(i32::from(status))),
        )
        .col_expr(
            idempotency_key::Column::Body,
            Expr::value(Some(body.to_owned())),
        )
        .filter(idempotency_key::Column::TokenId.eq(token_id))
        .filter(idempotency_key::Column::Key.eq(key))
        .exec(conn)
        .await?;
    Ok(())
}

/// Gives a claimed key back (the request failed on our side; a retry may run it).
pub async fn release<C: ConnectionTrait>(
    conn: &C,
    (token_id, key): (i64, &str),
) -> Result<(), DbErr> {
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::TokenId.eq(token_id))
        .filter(idempotency_key::Column::Key.eq(key))
        .exec(conn)
        .await?;
    Ok(())
}
