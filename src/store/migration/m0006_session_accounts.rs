//! "Uporabniki" in the back office: a session row names its customer's account, so staff can
//! see a customer's open sessions and end them at once (lock, "Končaj vse seje", delete).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("sessions"))
                    .add_column(big_integer_null("account_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_account_id")
                    .table(Alias::new("sessions"))
                    .col(Alias::new("account_id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_sessions_account_id")
                    .table(Alias::new("sessions"))
                    .to_owned(),
            )
            .await
    }
}
