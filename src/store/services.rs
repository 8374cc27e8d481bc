//! The services billing charges for, and where it charges them.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, RelationTrait, SelectModel,
};

use super::BuiltOnce;
use super::entity::{point_service, service};

pub use super::entity::service::Model as Service;

/// The services billed at a point, by code.
pub async fn billed_at<C: ConnectionTrait>(
    conn: &C,
    point_code: &str,
) -> Result<Vec<Service>, DbErr> {
    static BILLED_AT: BuiltOnce = BuiltOnce::new();
    let query = || {
        // Joined, not `IN (SELECT …)`: SQLite built a table in memory for the list each time.
        service::Entity::find()
            .join(
                JoinType::InnerJoin,
                point_service::Relation::Service.def().rev(),
            )
            .filter(point_service::Column::PointCode.eq(point_code))
            .order_by_asc(service::Column::Code)
            .into_query()
    };
    BILLED_AT
        .all::<SelectModel<Service>, _>(conn, vec![point_code.into()], query)
        .await
}
