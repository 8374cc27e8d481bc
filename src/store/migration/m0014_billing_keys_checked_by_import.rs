//! On PostgreSQL the billing tables an import writes in bulk no longer declare foreign keys.
//! PostgreSQL checks a foreign key with a trigger for every row written, and only a superuser
//! may set that aside: 4.1 million invoice lines went in in 91 s with their two keys and in
//! 31 s without them (docs/decisions.md). The import checks every reference of a file at once
//! before it writes (`store::import_session`), and nothing deletes or renames a billing row
//! that another one names, so the keys had nothing left to guard. SQLite keeps them declared;
//! the import's own connection does not enforce them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use super::m0001_initial::fk;

/// The keys as m0001 made them: the table, its column, the table named, its key, and what
/// deleting the named row did.
const KEYS: [(&str, &str, &str, &str, ForeignKeyAction); 9] = [
    (
        "points",
        "payer_code",
        "payers",
        "code",
        ForeignKeyAction::Restrict,
    ),
    (
        "point_services",
        "point_code",
        "points",
        "code",
        ForeignKeyAction::Cascade,
    ),
    (
        "point_services",
        "service_code",
        "services",
        "code",
        ForeignKeyAction::Restrict,
    ),
    (
        "meters",
        "point_code",
        "points",
        "code",
        ForeignKeyAction::Restrict,
    ),
    (
        "readings",
        "meter_serial",
        "meters",
        "serial",
        ForeignKeyAction::Cascade,
    ),
    (
        "invoices",
        "payer_code",
        "payers",
        "code",
        ForeignKeyAction::Restrict,
    ),
    (
        "invoices",
        "point_code",
        "points",
        "code",
        ForeignKeyAction::SetNull,
    ),
    (
        "invoice_lines",
        "invoice_number",
        "invoices",
        "number",
        ForeignKeyAction::Cascade,
    ),
    (
        "invoice_lines",
        "service_code",
        "services",
        "code",
        ForeignKeyAction::Restrict,
    ),
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for (table, column, ..) in KEYS {
            manager
                .drop_foreign_key(
                    ForeignKey::drop()
                        .name(format!("fk_{table}_{column}"))
                        .table(Alias::new(table))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for (table, column, named, key, on_delete) in KEYS {
            manager
                .create_foreign_key(
                    fk(table, column, named, key)
                        .on_delete(on_delete)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
