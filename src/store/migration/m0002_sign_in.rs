//! What signing in needs beyond the domain: a moment before which an account's sessions are
//! void (a password reset ends them all), and counters for throttling.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("accounts"))
                    .add_column(timestamp_with_time_zone_null("sessions_valid_after"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("throttles"))
                    .col(string("key").primary_key())
                    .col(integer("hits"))
                    .col(timestamp_with_time_zone("window_started_at"))
                    .col(timestamp_with_time_zone("last_hit_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("throttles")).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("accounts"))
                    .drop_column(Alias::new("sessions_valid_after"))
                    .to_owned(),
            )
            .await
    }
}
