//! The staff's second factor (SPEC §4): the TOTP secret is confirmed once enrolled, each time
//! step is accepted once, and ten single-use recovery codes are kept as digests.

use sea_orm_migration::{prelude::*, schema::*};

use super::steps::{add_column, belongs_to, drop_column, drop_table, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            timestamp_with_time_zone_null("totp_enrolled_at"),
            big_integer_null("totp_last_step"),
        ] {
            add_column(manager, "staff_users", column).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("staff_recovery_codes"))
                    .col(big_pk_auto("id"))
                    .col(big_integer("staff_user_id"))
                    .col(string("code_hash"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(&mut belongs_to(
                        "staff_recovery_codes",
                        "staff_user_id",
                        "staff_users",
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "staff_recovery_codes", "staff_user_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_table(manager, "staff_recovery_codes").await?;
        for column in ["totp_last_step", "totp_enrolled_at"] {
            drop_column(manager, "staff_users", column).await?;
        }
        Ok(())
    }
}
