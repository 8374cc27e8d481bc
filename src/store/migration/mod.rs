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

pub struct Migrator;

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
        ]
    }
}
