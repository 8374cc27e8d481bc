//! The services billing charges for, and where it charges them.

use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::entity::{point_service, service};

pub use super::entity::service::Model as Service;

/// The services billed at a point, by code.
pub async fn billed_at<C: ConnectionTrait>(
    conn: &C,
    point_code: &str,
) -> Result<Vec<Service>, DbErr> {
    let at_point = Query::select()
        .column(point_service::Column::ServiceCode)
        .from(point_service::Entity)
        .and_where(point_service::Column::PointCode.eq(point_code))
        .to_owned();
    service::Entity::find()
        .filter(service::Column::Code.in_subquery(at_point))
        .order_by_asc(service::Column::Code)
        .all(conn)
        .await
}
