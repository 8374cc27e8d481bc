//! Messages sent through "Stik z nami" (SPEC §3.13), kept for staff to handle.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};

use super::entity::contact_message;
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
