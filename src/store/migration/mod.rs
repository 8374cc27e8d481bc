//! Schema migrations, compiled into the binary and run at start and by `eportal migrate`.

use sea_orm_migration::prelude::*;

mod m0001_initial;
mod m0002_sign_in;
mod m0003_staff_second_factor;
mod m0004_contact_replies;
mod m0005_reading_exports;
mod m0006_session_accounts;
mod m0007_api_tokens;
mod m0008_import_uploads;
mod m0009_verdict_reason_codes;
mod m0010_reading_feed;
mod m0011_idempotency_keys;
mod m0012_import_run_deleted;
mod m0013_notifications;
mod m0014_billing_keys_checked_by_import;
mod m0015_audit_events_by_actor;

pub struct Migrator;

/// What the migrations after the first do again and again, written once.
mod steps {
    use sea_orm_migration::prelude::*;

    /// Adds `column` to `table`.
    pub async fn add_column(
        manager: &SchemaManager<'_>,
        table: &str,
        column: impl IntoColumnDef,
    ) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .add_column(column)
                    .to_owned(),
            )
            .await
    }

    /// Drops `column` of `table`.
    pub async fn drop_column(
        manager: &SchemaManager<'_>,
        table: &str,
        column: &str,
    ) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .drop_column(Alias::new(column))
                    .to_owned(),
            )
            .await
    }

    /// Indexes `column` of `table`, as `ix_<table>_<column>`.
    pub async fn index(
        manager: &SchemaManager<'_>,
        table: &str,
        column: &str,
    ) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(format!("ix_{table}_{column}"))
                    .table(Alias::new(table))
                    .col(Alias::new(column))
                    .to_owned(),
            )
            .await
    }

    /// Drops the index [`index`] made.
    pub async fn drop_index(
        manager: &SchemaManager<'_>,
        table: &str,
        column: &str,
    ) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(format!("ix_{table}_{column}"))
                    .table(Alias::new(table))
                    .to_owned(),
            )
            .await
    }

    /// A row of `from` belongs to a row of `to` (by its `id`) and goes with it.
    pub fn belongs_to(from: &str, column: &str, to: &str) -> ForeignKeyCreateStatement {
        ForeignKey::create()
            .name(format!("fk_{from}_{column}"))
            .from(Alias::new(from), Alias::new(column))
            .to(Alias::new(to), Alias::new("id"))
            .on_delete(ForeignKeyAction::Cascade)
            .to_owned()
    }

    /// Drops `table`.
    pub async fn drop_table(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new(table)).to_owned())
            .await
    }
}

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_initial::Migration),
            Box::new(m0002_sign_in::Migration),
            Box::new(m0003_staff_second_factor::Migration),
            Box::new(m0004_contact_replies::Migration),
            Box::new(m0005_reading_exports::Migration),
            Box::new(m0006_session_accounts::Migration),
            Box::new(m0007_api_tokens::Migration),
            Box::new(m0008_import_uploads::Migration),
            Box::new(m0009_verdict_reason_codes::Migration),
            Box::new(m0010_reading_feed::Migration),
            Box::new(m0011_idempotency_keys::Migration),
            Box::new(m0012_import_run_deleted::Migration),
            Box::new(m0013_notifications::Migration),
            Box::new(m0014_billing_keys_checked_by_import::Migration),
            Box::new(m0015_audit_events_by_actor::Migration),
        ]
    }
}
