//! `Idempotency-Key` on the API's upserts (SPEC §5.2): the first answer to a key is kept for a
//! day, and a retry with the same key gets it again instead of a second run.

use sea_orm_migration::{prelude::*, schema::*};

use super::steps::drop_table;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("idempotency_keys"))
                    .col(big_integer("token_id"))
                    .col(string("key"))
                    .col(string("request_hash"))
                    .col(integer_null("status"))
                    .col(text_null("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(
                        Index::create()
                            .col(Alias::new("token_id"))
                            .col(Alias::new("key")),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_table(manager, "idempotency_keys").await
    }
}
