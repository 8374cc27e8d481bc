//! Payers as billing knows them.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use super::entity::{payer, point};

pub use super::entity::payer::Model as Payer;

pub async fn find<C: ConnectionTrait>(conn: &C, code: &str) -> Result<Option<Payer>, DbErr> {
    payer::Entity::find_by_id(code.to_owned()).one(conn).await
}

/// The payers an access request may mean: those with its tax number, and the payer of its
/// point designation.
pub async fn matching<C: ConnectionTrait>(
    conn: &C,
    tax_number: &str,
    point_code: &str,
) -> Result<Vec<Payer>, DbErr> {
    let of_point: Vec<String> = point::Entity::find()
        .filter(point::Column::Code.eq(point_code.trim()))
        .all(conn)
        .await?
        .into_iter()
        .map(|point| point.payer_code)
        .collect();
    payer::Entity::find()
        .filter(
            Condition::any()
                .add(payer::Column::TaxNumber.eq(tax_number.trim()))
                .add(payer::Column::Code.is_in(of_point)),
        )
        .order_by_asc(payer::Column::Code)
        .all(conn)
        .await
}
