//! The mail outbox: messages are written in the transaction of the change that causes them and
//! delivered by the worker, which claims due messages so that several instances never send the
//! same message at once.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entity::outbox_message::{self, Model};
use super::{Db, begin_write};

pub use outbox_message::Model as OutboxMessage;

pub use super::entity::states::OutboxStatus;

/// A message ready to be queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub message_id: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub list_unsubscribe: Option<String>,
    pub invoice_number: Option<String>,
}

pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    message: NewMessage,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let stored = outbox_message::ActiveModel {
        message_id: Set(message.message_id),
        to_addr: Set(message.to),
        subject: Set(message.subject),
        body_text: Set(message.text),
        body_html: Set(message.html),
        status: Set(OutboxStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        list_unsubscribe: Set(message.list_unsubscribe),
        invoice_number: Set(message.invoice_number),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(stored.id)
}

/// Takes up to `limit` due messages for `lease`; nobody else takes them until the lease ends,
/// so a worker that dies mid-send only delays its messages.
pub async fn claim_due(
    db: &Db,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    let due = || {
        outbox_message::Entity::find()
            .filter(outbox_message::Column::Status.eq(OutboxStatus::Queued))
            .filter(outbox_message::Column::NextAttemptAt.lte(now))
            .filter(
                Condition::any()
                    .add(outbox_message::Column::ClaimedUntil.is_null())
                    .add(outbox_message::Column::ClaimedUntil.lt(now)),
            )
    };
    // Workers poll twice a second: most polls find nothing, and need not take SQLite's write
    // lock (nor a transaction on PostgreSQL) to find it.
    if due().one(db).await?.is_none() {
        return Ok(Vec::new());
    }
    let txn = begin_write(db).await?;
    let mut due = due().order_by_asc(outbox_message::Column::Id).limit(limit);
    if txn.get_database_backend() == DbBackend::Postgres {
        due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let mut messages = due.all(&txn).await?;
    if !messages.is_empty() {
        let until = now + lease;
        outbox_message::Entity::update_many()
            .col_expr(
                outbox_message::Column::ClaimedUntil,
                sea_orm::sea_query::Expr::value(until),
            )
            .filter(outbox_message::Column::Id.is_in(messages.iter().map(|m| m.id)))
            .exec(&txn)
            .await?;
        for message in &mut messages {
            message.claimed_until = Some(until);
        }
    }
    txn.commit().await?;
    Ok(messages)
}

/// Gives back the claims of `messages`, claimed together by one [`claim_due`], that a stopping
/// worker will not send: they are due again at once, for the next instance, rather than after
/// the lease. A claim whose lease ran out and that another worker took since is left alone.
pub async fn release_claims(db: &Db, messages: &[Model]) -> Result<(), DbErr> {
    let Some(until) = messages.first().and_then(|message| message.claimed_until) else {
        return Ok(());
    };
    outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::ClaimedUntil,
            sea_orm::sea_query::Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox_message::Column::Id.is_in(messages.iter().map(|message| message.id)))
        .filter(outbox_message::Column::Status.eq(OutboxStatus::Queued))
        .filter(outbox_message::Column::ClaimedUntil.eq(until))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn mark_sent(db: &Db, id: i64, now: DateTime<Utc>) -> Result<(), DbErr> {
    outbox_message::ActiveModel {
        id: Set(id),
        status: Set(OutboxStatus::Sent),
        sent_at: Set(Some(now)),
        claimed_until: Set(None),
        last_error: Set(None),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Counts a failed attempt: tries again at `retry_at`, or gives up when there is none.
pub async fn mark_attempt_failed(
    db: &Db,
    message: &Model,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    let status = if retry_at.is_some() {
        OutboxStatus::Queued
    } else {
        OutboxStatus::Failed
    };
    outbox_message::ActiveModel {
        id: Set(message.id),
        status: Set(status),
        attempts: Set(message.attempts + 1),
        next_attempt_at: Set(retry_at.unwrap_or(message.next_attempt_at)),
        claimed_until: Set(None),
        last_error: Set(Some(error.chars().take(2000).collect())),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn find(db: &Db, id: i64) -> Result<Option<Model>, DbErr> {
    outbox_message::Entity::find_by_id(id).one(db).await
}

/// The newest messages first (for the back office and the demo's mail page).
pub async fn recent(db: &Db, limit: u64) -> Result<Vec<Model>, DbErr> {
    outbox_message::Entity::find()
        .order_by_desc(outbox_message::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// How many messages have each status (for metrics).
pub async fn count_by_status(db: &Db) -> Result<Vec<(OutboxStatus, i64)>, DbErr> {
    outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::Status)
        .column_as(outbox_message::Column::Id.count(), "count")
        .group_by(outbox_message::Column::Status)
        .into_tuple()
        .all(db)
        .await
}

/// A page of messages, newest first, of one status or all (for the back office's "Pošta").
pub async fn page(
    db: &Db,
    status: Option<OutboxStatus>,
    offset: u64,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    let mut query = outbox_message::Entity::find();
    if let Some(status) = status {
        query = query.filter(outbox_message::Column::Status.eq(status));
    }
    query
        .order_by_desc(outbox_message::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await
}

/// Sends a failed message again: queued at once, with its attempts counted afresh. False when
/// it is not (or no longer) failed.
pub async fn requeue<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let updated = outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::Status,
            sea_orm::sea_query::Expr::value(OutboxStatus::Queued.as_str()),
        )
        .col_expr(
            outbox_message::Column::Attempts,
            sea_orm::sea_query::Expr::value(0),
        )
        .col_expr(
            outbox_message::Column::NextAttemptAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            outbox_message::Column::ClaimedUntil,
            sea_orm::sea_query::Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox_message::Column::Id.eq(id))
        .filter(outbox_message::Column::Status.eq(OutboxStatus::Failed))
        .exec(conn)
        .await?;
    Ok(updated.rows_affected == 1)
}
