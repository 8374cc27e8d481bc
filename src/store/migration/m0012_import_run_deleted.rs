//! The import history keeps the open items a complete set removed apart from the rows it
//! changed (they were counted as changed, and the back office showed them so).

use sea_orm_migration::{prelude::*, schema::*};

use super::steps::{add_column, drop_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "import_runs", integer("deleted").default(0)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, "import_runs", "deleted").await
    }
}
