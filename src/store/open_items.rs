//! The payer's open items ("odprte postavke") as billing last sent them.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QueryTrait,
    SelectModel,
};

use super::BuiltOnce;
use super::entity::open_item;

pub use super::entity::open_item::Model as OpenItem;

/// The payer's items that are still (partly) unpaid, oldest due first.
pub async fn of_payer<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
) -> Result<Vec<OpenItem>, DbErr> {
    static OF_PAYER: BuiltOnce = BuiltOnce::new();
    let query = || {
        open_item::Entity::find()
            .filter(open_item::Column::PayerCode.eq(payer_code))
            .filter(open_item::Column::OpenCents.gt(0))
            .order_by_asc(open_item::Column::DueDate)
            .order_by_asc(open_item::Column::DocumentNumber)
            .into_query()
    };
    OF_PAYER
        .all::<SelectModel<OpenItem>, _>(conn, vec![payer_code.into(), 0.into()], query)
        .await
}
