//! Consumption points, as their payer sees them.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};

use super::entity::{meter, point};

/// A point in the payer's list.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct PointSummary {
    pub code: String,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub kind: Option<String>,
    pub active: bool,
    /// Whether an installed meter takes readings here.
    pub has_meter: bool,
}

/// The payer's points: active ones with a meter first.
pub async fn of_payer<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
) -> Result<Vec<PointSummary>, DbErr> {
    let installed = Query::select()
        .expr(Expr::val(1))
        .from(meter::Entity)
        .and_where(
            Expr::col((meter::Entity, meter::Column::PointCode))
                .equals((point::Entity, point::Column::Code)),
        )
        .and_where(Expr::col((meter::Entity, meter::Column::RemovedOn)).is_null())
        .to_owned();
    point::Entity::find()
        .select_only()
        .columns([
            point::Column::Code,
            point::Column::Street,
            point::Column::PostalCode,
            point::Column::City,
            point::Column::Kind,
            point::Column::Active,
        ])
        .column_as(Expr::exists(installed), "has_meter")
        .filter(point::Column::PayerCode.eq(payer_code))
        .into_model::<PointSummary>()
        .all(conn)
        .await
        .map(|mut points| {
            // The point to show first is the one with the most to show.
            points.sort_by_key(|point| (!point.active, !point.has_meter, point.code.clone()));
            points
        })
}
