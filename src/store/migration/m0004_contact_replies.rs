//! Replies staff send to contact messages ("Odgovori"), kept with the message.

use sea_orm_migration::{prelude::*, schema::*};

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
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_contact_replies_contact_message_id")
                            .from(
                                Alias::new("contact_replies"),
                                Alias::new("contact_message_id"),
                            )
                            .to(Alias::new("contact_messages"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_contact_replies_contact_message_id")
                    .table(Alias::new("contact_replies"))
                    .col(Alias::new("contact_message_id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("contact_replies"))
                    .to_owned(),
            )
            .await
    }
}
