//! Meter readings that customers submit, until billing has taken them back.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};

use super::entity::{meter, point, submitted_reading};

pub const SUBMITTED: &str = "submitted";
pub const EXPORTED: &str = "exported";

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
        .filter(submitted_reading::Column::Status.eq(SUBMITTED))
        .order_by_asc(submitted_reading::Column::Id)
        .into_model()
        .all(conn)
        .await?;
    if !rows.is_empty() {
        submitted_reading::Entity::update_many()
            .col_expr(submitted_reading::Column::Status, Expr::value(EXPORTED))
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
