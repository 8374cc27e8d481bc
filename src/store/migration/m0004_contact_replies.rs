//! Replies staff send to contact messages ("Odgovori"), kept with the message.

use sea_orm_migration::{prelude::*, schema::*};

use super::steps::{belongs_to, drop_table, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("contact_replies"))
                    .col(big_pk_auto("id"))
                    .col(big_integer("contact_message_id"))
                    .col(string("staff_username"))
                    .col(text("text"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut belongs_to(
                        "contact_replies",
                        "contact_message_id",
                        "contact_messages",
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "contact_replies", "contact_message_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_table(manager, "contact_replies").await
    }
}
