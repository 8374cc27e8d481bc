//! "Uvoz" in the back office: uploaded files wait, exactly as uploaded, between their dry run
//! and "Uveljavi"; the import history names who applied a file.

use sea_orm_migration::{prelude::*, schema::*};

use super::steps::{add_column, belongs_to, drop_column, drop_table, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "import_runs", string_null("imported_by")).await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("import_uploads"))
                    .col(big_pk_auto("id"))
                    .col(string("uploaded_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("import_upload_files"))
                    .col(big_pk_auto("id"))
                    .col(big_integer("upload_id"))
                    .col(string("file_name"))
                    .col(blob("content"))
                    .foreign_key(&mut belongs_to(
                        "import_upload_files",
                        "upload_id",
                        "import_uploads",
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "import_upload_files", "upload_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["import_upload_files", "import_uploads"] {
            drop_table(manager, table).await?;
        }
        drop_column(manager, "import_runs", "imported_by").await
    }
}
