//! Meter readings that customers submit, until billing has taken them back.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
};

use super::entity::{meter, point, submitted_reading};

pub use super::entity::states::SubmissionStatus;

/// A submitted reading as billing takes it.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct ExportRow {
    pub id: i64,
    pub meter_serial: String,
    pub point_code: String,
    pub payer_code: String,
    pub read_on: NaiveDate,
    pub litres: i64,
    pub submitted_at: DateTime<Utc>,
}

/// Takes every reading not yet exported and marks it exported, in the caller's transaction.
pub async fn take_for_export<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
) -> Result<Vec<ExportRow>, DbErr> {
    let rows: Vec<ExportRow> = submitted_reading::Entity::find()
        .select_only()
        .column(submitted_reading::Column::Id)
        .column(submitted_reading::Column::MeterSerial)
        .column_as(meter::Column::PointCode, "point_code")
        .column_as(point::Column::PayerCode, "payer_code")
        .column(submitted_reading::Column::ReadOn)
        .column(submitted_reading::Column::Litres)
        .column(submitted_reading::Column::SubmittedAt)
        .join(
            JoinType::InnerJoin,
            submitted_reading::Relation::Meter.def(),
        )
        .join(JoinType::InnerJoin, meter::Relation::Point.def())
        .filter(submitted_reading::Column::Status.eq(SubmissionStatus::Submitted))
        .order_by_asc(submitted_reading::Column::Id)
        .into_model()
        .all(conn)
        .await?;
    if !rows.is_empty() {
        submitted_reading::Entity::update_many()
            .col_expr(
                submitted_reading::Column::Status,
                Expr::value(SubmissionStatus::Exported.as_str()),
            )
            .col_expr(
                submitted_reading::Column::ExportedAt,
                Expr::value(Some(now)),
            )
            .filter(submitted_reading::Column::Id.is_in(rows.iter().map(|row| row.id)))
            .exec(conn)
            .await?;
    }
    Ok(rows)
}

/// A customer's reading as the portal shows it back: with the point of its meter.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct Submission {
    pub id: i64,
    pub meter_serial: String,
    pub point_code: String,
    pub read_on: NaiveDate,
    pub litres: i64,
    pub status: SubmissionStatus,
    pub reason: Option<String>,
    pub submitted_at: DateTime<Utc>,
}

/// A reading the customer confirmed, to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubmission<'a> {
    pub account_id: i64,
    pub meter_serial: &'a str,
    pub read_on: NaiveDate,
    pub litres: i64,
    pub client_addr: Option<&'a str>,
}

/// Stores `new`, replacing the reading of the same meter and day that billing has not taken yet
/// (one reading a day counts, and the customer's latest word is the one meant); the row's id.
pub async fn save<C: ConnectionTrait>(
    conn: &C,
    new: NewSubmission<'_>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let pending = submitted_reading::Entity::find()
        .filter(submitted_reading::Column::MeterSerial.eq(new.meter_serial))
        .filter(submitted_reading::Column::ReadOn.eq(new.read_on))
        .filter(submitted_reading::Column::Status.eq(SubmissionStatus::Submitted))
        .one(conn)
        .await?;
    let client_addr = new.client_addr.map(str::to_owned);
    if let Some(pending) = pending {
        let mut row: submitted_reading::ActiveModel = pending.into();
        row.account_id = Set(new.account_id);
        row.litres = Set(new.litres);
        row.client_addr = Set(client_addr);
        row.submitted_at = Set(now);
        return Ok(row.update(conn).await?.id);
    }
    let row = submitted_reading::ActiveModel {
        account_id: Set(new.account_id),
        meter_serial: Set(new.meter_serial.to_owned()),
        read_on: Set(new.read_on),
        litres: Set(new.litres),
        status: Set(SubmissionStatus::Submitted),
        client_addr: Set(client_addr),
        submitted_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(conn).await?.id)
}

/// The account's submissions with their points, newest first.
fn of_account_query(account_id: i64) -> sea_orm::Select<submitted_reading::Entity> {
    submitted_reading::Entity::find()
        .select_only()
        .column(submitted_reading::Column::Id)
        .column(submitted_reading::Column::MeterSerial)
        .column_as(meter::Column::PointCode, "point_code")
        .column(submitted_reading::Column::ReadOn)
        .column(submitted_reading::Column::Litres)
        .column(submitted_reading::Column::Status)
        .column(submitted_reading::Column::Reason)
        .column(submitted_reading::Column::SubmittedAt)
        .join(
            JoinType::InnerJoin,
            submitted_reading::Relation::Meter.def(),
        )
        .filter(submitted_reading::Column::AccountId.eq(account_id))
        .order_by_desc(submitted_reading::Column::SubmittedAt)
        .order_by_desc(submitted_reading::Column::Id)
}

/// The account's submissions, newest first.
pub async fn of_account<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
) -> Result<Vec<Submission>, DbErr> {
    of_account_query(account_id).into_model().all(conn).await
}

/// The account's submission `id`; `None` for another account's as for a missing one.
pub async fn of_account_by_id<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    id: i64,
) -> Result<Option<Submission>, DbErr> {
    of_account_query(account_id)
        .filter(submitted_reading::Column::Id.eq(id))
        .into_model()
        .one(conn)
        .await
}

/// Readings billing has not taken yet (for "Nadzorna plošča").
pub async fn count_not_exported<C: ConnectionTrait>(conn: &C) -> Result<u64, DbErr> {
    submitted_reading::Entity::find()
        .filter(submitted_reading::Column::Status.eq(SubmissionStatus::Submitted))
        .count(conn)
        .await
}
