//! Requests for access from people who cannot register (SPEC §3.6), kept for staff.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entity::access_request;
use crate::i18n::Lang;

pub use super::entity::access_request::Model as AccessRequest;

pub use super::entity::states::AccessRequestStatus;

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
        status: Set(AccessRequestStatus::Open),
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
        .filter(access_request::Column::Status.eq(AccessRequestStatus::Open))
        .count(conn)
        .await
}

/// A page of requests, newest first, of one status or all.
pub async fn page<C: ConnectionTrait>(
    conn: &C,
    status: Option<AccessRequestStatus>,
    offset: u64,
    limit: u64,
) -> Result<Vec<AccessRequest>, DbErr> {
    let mut query = access_request::Entity::find();
    if let Some(status) = status {
        query = query.filter(access_request::Column::Status.eq(status));
    }
    query
        .order_by_desc(access_request::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<AccessRequest>, DbErr> {
    access_request::Entity::find_by_id(id).one(conn).await
}

/// Closes an open request as `status` (with the payer found, or the reason for a refusal);
/// false when it was not open any more.
pub async fn close<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    status: AccessRequestStatus,
    payer_code: Option<&str>,
    resolution: Option<&str>,
    staff: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let updated = access_request::Entity::update_many()
        .col_expr(access_request::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            access_request::Column::PayerCode,
            Expr::value(payer_code.map(str::to_owned)),
        )
        .col_expr(
            access_request::Column::Resolution,
            Expr::value(resolution.map(str::to_owned)),
        )
        .col_expr(
            access_request::Column::HandledBy,
            Expr::value(Some(staff.to_owned())),
        )
        .col_expr(access_request::Column::HandledAt, Expr::value(Some(now)))
        .filter(access_request::Column::Id.eq(id))
        .filter(access_request::Column::Status.eq(AccessRequestStatus::Open))
        .exec(conn)
        .await?;
    Ok(updated.rows_affected == 1)
}
