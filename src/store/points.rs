//! Consumption points, as their payer sees them.

use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, IdenStatic, QueryFilter,
    QuerySelect,
};

use super::entity::{meter, payer, point};

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

/// Whether an installed meter takes readings at the point of the query's row.
fn has_meter() -> Expr {
    let installed = Query::select()
        // Written in, not bound: the query's values are then only its filters' (`BuiltOnce`).
        .expr(Expr::cust("1"))
        .from(meter::Entity)
        .and_where(
            Expr::col((meter::Entity, meter::Column::PointCode))
                .equals((point::Entity, point::Column::Code)),
        )
        .and_where(Expr::col((meter::Entity, meter::Column::RemovedOn)).is_null())
        .to_owned();
    Expr::exists(installed)
}

/// The columns of a [`PointSummary`] but `has_meter`.
const SUMMARY_COLUMNS: [point::Column; 6] = [
    point::Column::Code,
    point::Column::Street,
    point::Column::PostalCode,
    point::Column::City,
    point::Column::Kind,
    point::Column::Active,
];

/// The payer's points: active ones with a meter first.
pub async fn of_payer<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
) -> Result<Vec<PointSummary>, DbErr> {
    point::Entity::find()
        .select_only()
        .columns(SUMMARY_COLUMNS)
        .column_as(has_meter(), "has_meter")
        .filter(point::Column::PayerCode.eq(payer_code))
        .into_model::<PointSummary>()
        .all(conn)
        .await
        .map(in_order_to_show)
}

/// Adds the points of the query's payer (the `payers` table in it) to each of its rows, as
/// [`PointSummary`] columns named with `prefix`: a row for each point, or one without.
pub fn join_summaries(query: &mut SelectStatement, prefix: &str) {
    query.join(
        JoinType::LeftJoin,
        point::Entity,
        Expr::col((point::Entity, point::Column::PayerCode))
            .equals((payer::Entity, payer::Column::Code)),
    );
    for column in SUMMARY_COLUMNS {
        query.expr_as(
            Expr::col((point::Entity, column)),
            format!("{prefix}{}", column.as_str()),
        );
    }
    query.expr_as(has_meter(), format!("{prefix}has_meter"));
}

/// The point to show first is the one with the most to show.
pub fn in_order_to_show(mut points: Vec<PointSummary>) -> Vec<PointSummary> {
    points.sort_by_key(|point| (!point.active, !point.has_meter, point.code.clone()));
    points
}
