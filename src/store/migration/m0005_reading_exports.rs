//! "Oddani odčitki" in the back office: each hand-over of readings to billing is kept as a
//! batch (its file can be downloaded again), a reading knows its batch, and an account knows
//! its holder's language, for the mail that tells them billing's verdict.

use sea_orm_migration::{prelude::*, schema::*};

use super::steps::{add_column, drop_column, drop_index, drop_table, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("reading_exports"))
                    .col(big_pk_auto("id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(string_null("exported_by"))
                    .col(big_integer("reading_count"))
                    .col(text("file"))
                    .to_owned(),
            )
            .await?;
        add_column(manager, "submitted_readings", big_integer_null("export_id")).await?;
        index(manager, "submitted_readings", "export_id").await?;
        add_column(manager, "accounts", string_len("lang", 5).default("sl")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, "accounts", "lang").await?;
        drop_index(manager, "submitted_readings", "export_id").await?;
        drop_column(manager, "submitted_readings", "export_id").await?;
        drop_table(manager, "reading_exports").await
    }
}
