//! The feed of submitted readings (SPEC §5.2): each submission gets the next number of a
//! counter when it commits — the counter's row is locked until then, so numbers are handed out
//! in commit order and a reader following them never skips one (docs/decisions.md). A reading
//! that replaces one of the same meter and day is a row of its own that names the one it
//! replaces.

use sea_orm_migration::{prelude::*, schema::*};

use super::steps::{add_column, drop_column, drop_index, drop_table, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "submitted_readings", big_integer_null("feed_seq")).await?;
        add_column(
            manager,
            "submitted_readings",
            big_integer_null("replaces_id"),
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("feed_counters"))
                    .col(string("name").primary_key())
                    .col(big_integer("value"))
                    .to_owned(),
            )
            .await?;
        // The readings before the feed, in the order of their ids.
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE submitted_readings SET feed_seq = id")
            .await?;
        db.execute_unprepared(
            "INSERT INTO feed_counters (name, value) \
             SELECT 'submitted_readings', COALESCE(MAX(id), 0) FROM submitted_readings",
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_submitted_readings_feed_seq")
                    .table(Alias::new("submitted_readings"))
                    .col(Alias::new("feed_seq"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(manager, "submitted_readings", "replaces_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_index(manager, "submitted_readings", "replaces_id").await?;
        drop_index(manager, "submitted_readings", "feed_seq").await?;
        drop_table(manager, "feed_counters").await?;
        drop_column(manager, "submitted_readings", "replaces_id").await?;
        drop_column(manager, "submitted_readings", "feed_seq").await
    }
}
