//! Requests for access from people who cannot register (SPEC §3.6), kept for staff.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};

use super::entity::access_request;
use crate::i18n::Lang;

pub use super::entity::access_request::Model as AccessRequest;

/// Waiting for staff.
pub const OPEN: &str = "open";

/// What the requester sent, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccessRequest {
    pub full_name: String,
    pub address: String,
    pub point_code: String,
    pub tax_number: String,
    pub email: String,
    pub lang: Lang,
    pub client_addr: Option<String>,
}

/// Stores an open request; returns its id.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    new: NewAccessRequest,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let stored = access_request::ActiveModel {
        full_name: Set(new.full_name),
        address: Set(new.address),
        point_code: Set(new.point_code),
        tax_number: Set(new.tax_number),
        email: Set(new.email),
        lang: Set(new.lang.code().to_owned()),
        status: Set(OPEN.to_owned()),
        payer_code: Set(None),
        resolution: Set(None),
        handled_by: Set(None),
        handled_at: Set(None),
        client_addr: Set(new.client_addr),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(stored.id)
}

/// Requests that wait for staff (for "Nadzorna plošča").
pub async fn count_open<C: ConnectionTrait>(conn: &C) -> Result<u64, DbErr> {
    access_request::Entity::find()
        .filter(access_request::Column::Status.eq(OPEN))
        .count(conn)
        .await
}
