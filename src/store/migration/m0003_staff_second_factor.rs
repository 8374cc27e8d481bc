//! The staff's second factor (SPEC §4): the TOTP secret is confirmed once enrolled, each time
//! step is accepted once, and ten single-use recovery codes are kept as digests.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            timestamp_with_time_zone_null("totp_enrolled_at"),
            big_integer_null("totp_last_step"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("staff_users"))
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("staff_recovery_codes"))
                    .col(big_pk_auto("id"))
                    .col(big_integer("staff_user_id"))
                    .col(string("code_hash"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_staff_recovery_codes_staff_user_id")
                            .from(
                                Alias::new("staff_recovery_codes"),
                                Alias::new("staff_user_id"),
                            )
                            .to(Alias::new("staff_users"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_staff_recovery_codes_staff_user_id")
                    .table(Alias::new("staff_recovery_codes"))
                    .col(Alias::new("staff_user_id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("staff_recovery_codes"))
                    .to_owned(),
            )
            .await?;
        for column in ["totp_last_step", "totp_enrolled_at"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("staff_users"))
                        .drop_column(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
