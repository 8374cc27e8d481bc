//! Notifications (SPEC §3.15): what each customer asked to get by e-mail, a record of each
//! notification sent (one per customer and occasion, so no occasion is sent twice, whichever
//! instance sends it) and of each occasion sent to all it was for, the notices of works and
//! outages, the lease that lets one instance at a time run the scheduled sends, the invoices
//! whose PDF arrived for a customer who wants it by e-mail, and the outbox's unsubscribe link
//! and invoice attachment.

use sea_orm_migration::{prelude::*, schema::*};

use super::steps::{add_column, belongs_to, drop_column, drop_table, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("notification_subscriptions"))
                    .col(big_integer("account_id"))
                    .col(string("kind"))
                    .col(string_uniq("unsubscribe_token"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(
                        Index::create()
                            .col(Alias::new("account_id"))
                            .col(Alias::new("kind")),
                    )
                    .foreign_key(&mut belongs_to(
                        "notification_subscriptions",
                        "account_id",
                        "accounts",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("notification_sends"))
                    .col(string("kind"))
                    .col(string("occasion"))
                    .col(big_integer("account_id"))
                    .col(timestamp_with_time_zone("sent_at"))
                    .primary_key(
                        Index::create()
                            .col(Alias::new("kind"))
                            .col(Alias::new("occasion"))
                            .col(Alias::new("account_id")),
                    )
                    .foreign_key(&mut belongs_to(
                        "notification_sends",
                        "account_id",
                        "accounts",
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "notification_sends", "account_id").await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("notices"))
                    .col(big_pk_auto("id"))
                    .col(string("title"))
                    .col(text("body"))
                    .col(date("valid_from"))
                    .col(date("valid_to"))
                    .col(string("area"))
                    .col(string_null("settlement"))
                    .col(string_null("street"))
                    .col(string("published_by"))
                    .col(timestamp_with_time_zone("published_at"))
                    .to_owned(),
            )
            .await?;
        index(manager, "notices", "valid_to").await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("notice_points"))
                    .col(big_integer("notice_id"))
                    .col(string("point_code"))
                    .primary_key(
                        Index::create()
                            .col(Alias::new("notice_id"))
                            .col(Alias::new("point_code")),
                    )
                    .foreign_key(&mut belongs_to("notice_points", "notice_id", "notices"))
                    .to_owned(),
            )
            .await?;
        index(manager, "notice_points", "point_code").await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("notification_occasions"))
                    .col(string("kind"))
                    .col(string("occasion"))
                    .col(timestamp_with_time_zone("finished_at"))
                    .primary_key(
                        Index::create()
                            .col(Alias::new("kind"))
                            .col(Alias::new("occasion")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("invoice_mail_pending"))
                    .col(string("invoice_number").primary_key())
                    .col(timestamp_with_time_zone("arrived_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("scheduler_leases"))
                    .col(string("job").primary_key())
                    .col(string("holder"))
                    .col(timestamp_with_time_zone("held_until"))
                    .to_owned(),
            )
            .await?;
        add_column(manager, "outbox", text_null("list_unsubscribe")).await?;
        add_column(manager, "outbox", string_null("invoice_number")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, "outbox", "invoice_number").await?;
        drop_column(manager, "outbox", "list_unsubscribe").await?;
        for table in [
            "invoice_mail_pending",
            "notification_occasions",
            "scheduler_leases",
            "notice_points",
            "notices",
            "notification_sends",
            "notification_subscriptions",
        ] {
            drop_table(manager, table).await?;
        }
        Ok(())
    }
}
