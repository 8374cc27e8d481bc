//! Messages sent through "Stik z nami" (SPEC §3.13), kept for staff to handle.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entity::{contact_message, contact_reply};
use crate::i18n::Lang;

pub use super::entity::contact_message::Model as ContactMessage;

/// What the sender wrote, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContactMessage {
    pub account_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub message: String,
    pub lang: Lang,
}

/// Stores a message waiting for staff; returns its id.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    new: NewContactMessage,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let stored = contact_message::ActiveModel {
        account_id: Set(new.account_id),
        name: Set(new.name),
        email: Set(new.email),
        message: Set(new.message),
        lang: Set(new.lang.code().to_owned()),
        handled_by: Set(None),
        handled_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(stored.id)
}

/// Messages nobody has handled yet (for "Nadzorna plošča").
pub async fn count_unhandled<C: ConnectionTrait>(conn: &C) -> Result<u64, DbErr> {
    contact_message::Entity::find()
        .filter(contact_message::Column::HandledAt.is_null())
        .count(conn)
        .await
}

pub use super::entity::contact_reply::Model as ContactReply;

/// A page of messages, those nobody has handled first, then the newest.
pub async fn page<C: ConnectionTrait>(
    conn: &C,
    offset: u64,
    limit: u64,
) -> Result<Vec<ContactMessage>, DbErr> {
    contact_message::Entity::find()
        .order_by(
            contact_message::Column::HandledAt.is_null(),
            sea_orm::Order::Desc,
        )
        .order_by_desc(contact_message::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<ContactMessage>, DbErr> {
    contact_message::Entity::find_by_id(id).one(conn).await
}

/// Marks the message handled by `staff`; false when it was already.
pub async fn mark_handled<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    staff: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let updated = contact_message::Entity::update_many()
        .col_expr(
            contact_message::Column::HandledBy,
            sea_orm::sea_query::Expr::value(Some(staff.to_owned())),
        )
        .col_expr(
            contact_message::Column::HandledAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(contact_message::Column::Id.eq(id))
        .filter(contact_message::Column::HandledAt.is_null())
        .exec(conn)
        .await?;
    Ok(updated.rows_affected == 1)
}

pub async fn add_reply<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    staff: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    contact_reply::ActiveModel {
        contact_message_id: Set(id),
        staff_username: Set(staff.to_owned()),
        text: Set(text.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub async fn replies<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Vec<ContactReply>, DbErr> {
    contact_reply::Entity::find()
        .filter(contact_reply::Column::ContactMessageId.eq(id))
        .order_by_asc(contact_reply::Column::Id)
        .all(conn)
        .await
}
