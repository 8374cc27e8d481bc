//! The billing API's bearer tokens ("API žetoni", SPEC §4 and §5.2): kept as SHA-256 digests,
//! with their scopes, expiry, revocation and last use. The first migration made a table of
//! that name that nothing ever wrote to; this one replaces it.

use sea_orm_migration::{prelude::*, schema::*};

use super::steps::drop_table;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("api_tokens"))
                    .if_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("api_tokens"))
                    .col(big_pk_auto("id"))
                    .col(string("name"))
                    .col(string_uniq("token_hash"))
                    .col(string("shown_prefix"))
                    .col(string("scopes"))
                    .col(string_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("expires_at"))
                    .col(string_null("revoked_by"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(string_null("last_used_addr"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_table(manager, "api_tokens").await
    }
}
