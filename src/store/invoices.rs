//! Invoices as billing sent them.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

use super::entity::invoice;

/// Whether `number` is the number of one of `payer_code`'s invoices, which makes it a control
/// number of that payer (SPEC §2).
pub async fn is_payers_invoice<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    number: &str,
) -> Result<bool, DbErr> {
    let found = invoice::Entity::find()
        .filter(invoice::Column::Number.eq(number.trim()))
        .filter(invoice::Column::PayerCode.eq(payer_code))
        .count(conn)
        .await?;
    Ok(found > 0)
}
