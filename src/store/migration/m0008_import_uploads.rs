//! "Uvoz" in the back office: uploaded files wait, exactly as uploaded, between their dry run
//! and "Uveljavi"; the import history names who applied a file.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("import_runs"))
                    .add_column(string_null("imported_by"))
                    .to_owned(),
            )
            .await?;
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
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_import_upload_files_upload_id")
                            .from(Alias::new("import_upload_files"), Alias::new("upload_id"))
                            .to(Alias::new("import_uploads"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_import_upload_files_upload_id")
                    .table(Alias::new("import_upload_files"))
                    .col(Alias::new("upload_id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["import_upload_files", "import_uploads"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
