//! Payers as billing knows them.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use super::entity::payer;

pub use super::entity::payer::Model as Payer;

pub async fn find<C: ConnectionTrait>(conn: &C, code: &str) -> Result<Option<Payer>, DbErr> {
    payer::Entity::find_by_id(code.to_owned()).one(conn).await
}
