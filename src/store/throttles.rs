//! Counters of recent attempts (failed sign-ins, registrations, …) by account or client
//! address. A counter starts again once `window` has passed since its last hit.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, Set};

use super::entity::throttle;
use crate::domain::throttle::ThrottleKey;

/// How many hits `key` has had within the window.
pub async fn hits<C: ConnectionTrait>(
    conn: &C,
    key: ThrottleKey<'_>,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<u32, DbErr> {
    let row = throttle::Entity::find_by_id(key.stored()).one(conn).await?;
    Ok(match row {
        Some(row) if now - row.last_hit_at <= window => u32::try_from(row.hits).unwrap_or(0),
        _ => 0,
    })
}

/// Counts one more hit and returns the count. Two hits at the same moment may count as one,
/// which only makes the throttle a little more lenient.
pub async fn hit<C: ConnectionTrait>(
    conn: &C,
    key: ThrottleKey<'_>,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<u32, DbErr> {
    let key = key.stored();
    let first = throttle::ActiveModel {
        key: Set(key.clone()),
        hits: Set(1),
        window_started_at: Set(now),
        last_hit_at: Set(now),
    };
    let inserted = throttle::Entity::insert(first)
        .on_conflict(
            OnConflict::column(throttle::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    if inserted == 1 {
        return Ok(1);
    }
    let Some(row) = throttle::Entity::find_by_id(key).one(conn).await? else {
        return Ok(1);
    };
    let fresh = now - row.last_hit_at > window;
    let hits = if fresh { 1 } else { row.hits.saturating_add(1) };
    let mut active = row.into_active_model();
    active.hits = Set(hits);
    active.last_hit_at = Set(now);
    if fresh {
        active.window_started_at = Set(now);
    }
    active.update(conn).await?;
    Ok(u32::try_from(hits).unwrap_or(u32::MAX))
}

pub async fn clear<C: ConnectionTrait>(conn: &C, key: ThrottleKey<'_>) -> Result<(), DbErr> {
    throttle::Entity::delete_by_id(key.stored())
        .exec(conn)
        .await?;
    Ok(())
}

/// Counts an attempt at `key` unless `limit` attempts were made within the window; false
/// (and nothing counted) when the attempt is refused.
pub async fn admit(
    db: &super::Db,
    key: ThrottleKey<'_>,
    window: Duration,
    limit: u32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let txn = super::begin_write(db).await?;
    let admitted = hits(&txn, key, window, now).await? < limit;
    if admitted {
        hit(&txn, key, window, now).await?;
    }
    txn.commit().await?;
    Ok(admitted)
}
