//! Billing's verdict on a reading keeps its reason as a code (SPEC §5.2) beside the words.

use sea_orm_migration::{prelude::*, schema::*};

use super::steps::{add_column, drop_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "submitted_readings", string_null("reason_code")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, "submitted_readings", "reason_code").await
    }
}
