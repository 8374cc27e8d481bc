//! On PostgreSQL the billing tables an import writes in bulk no longer declare foreign keys.
//! PostgreSQL checks a foreign key with a trigger for every row written, and only a superuser
//! may set that aside: 4.1 million invoice lines went in in 91 s with their two keys and in
//! 31 s without them (docs/decisions.md). The import checks every reference of a file at once
//! before it writes (`store::import_session`), and nothing deletes or renames a billing row
//! that another one names, so the keys had nothing left to guard. SQLite keeps them declared;
//! the import's own connection does not enforce them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use super::m0001_initial::{fk, fk_cascade, fk_set_null};

/// The keys, as m0001 made them.
fn keys() -> [ForeignKeyCreateStatement; 9] {
    [
        fk("points", "payer_code", "payers", "code"),
        fk_cascade("point_services", "point_code", "points", "code"),
        fk("point_services", "service_code", "services", "code"),
        fk("meters", "point_code", "points", "code"),
        fk_cascade("readings", "meter_serial", "meters", "serial"),
        fk("invoices", "payer_code", "payers", "code"),
        fk_set_null("invoices", "point_code", "points", "code"),
        fk_cascade("invoice_lines", "invoice_number", "invoices", "number"),
        fk("invoice_lines", "service_code", "services", "code"),
    ]
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for key in keys() {
            let key = key.get_foreign_key();
            let (Some(name), Some(table)) = (key.get_name(), key.get_table()) else {
                continue;
            };
            manager
                .drop_foreign_key(
                    ForeignKey::drop()
                        .name(name)
                        .table(table.clone())
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
        for key in keys() {
            manager.create_foreign_key(key).await?;
        }
        Ok(())
    }
}
