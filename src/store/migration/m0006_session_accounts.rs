//! "Uporabniki" in the back office: a session row names its customer's account, so staff can
//! see a customer's open sessions and end them at once (lock, "Končaj vse seje", delete).

use sea_orm_migration::{prelude::*, schema::*};

use super::steps::{add_column, drop_column, drop_index, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "sessions", big_integer_null("account_id")).await?;
        index(manager, "sessions", "account_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_index(manager, "sessions", "account_id").await?;
        drop_column(manager, "sessions", "account_id").await
    }
}
