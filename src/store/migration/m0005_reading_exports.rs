//! "Oddani odčitki" in the back office: each hand-over of readings to billing is kept as a
//! batch (its file can be downloaded again), a reading knows its batch, and an account knows
//! its holder's language, for the mail that tells them billing's verdict.

use sea_orm_migration::{prelude::*, schema::*};

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
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("submitted_readings"))
                    .add_column(big_integer_null("export_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_submitted_readings_export_id")
                    .table(Alias::new("submitted_readings"))
                    .col(Alias::new("export_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("accounts"))
                    .add_column(string_len("lang", 5).default("sl"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("reading_exports"))
                    .to_owned(),
            )
            .await
    }
}
