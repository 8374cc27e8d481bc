//! Files uploaded in "Uvoz", kept exactly as uploaded from their dry run to "Uveljavi", and the
//! history of applied imports.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::entity::{import_run, import_upload, import_upload_file};

pub use super::entity::import_run::Model as ImportRunRow;
pub use super::entity::import_upload::Model as Upload;

/// An uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedFile {
    pub file_name: String,
    pub content: Vec<u8>,
}

/// Keeps the files `uploaded_by` uploaded; the upload's id.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    uploaded_by: &str,
    files: Vec<UploadedFile>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let upload = import_upload::ActiveModel {
        uploaded_by: Set(uploaded_by.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    for file in files {
        import_upload_file::ActiveModel {
            upload_id: Set(upload.id),
            file_name: Set(file.file_name),
            content: Set(file.content),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(upload.id)
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Upload>, DbErr> {
    import_upload::Entity::find_by_id(id).one(conn).await
}

/// The upload's files, in the order they were uploaded.
pub async fn files<C: ConnectionTrait>(
    conn: &C,
    upload_id: i64,
) -> Result<Vec<UploadedFile>, DbErr> {
    Ok(import_upload_file::Entity::find()
        .filter(import_upload_file::Column::UploadId.eq(upload_id))
        .order_by_asc(import_upload_file::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|file| UploadedFile {
            file_name: file.file_name,
            content: file.content,
        })
        .collect())
}

/// Forgets an upload and its files; false when it was gone already.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool, DbErr> {
    let deleted = import_upload::Entity::delete_by_id(id).exec(conn).await?;
    Ok(deleted.rows_affected == 1)
}

/// Forgets the uploads made before `before`, nobody having applied or discarded them.
pub async fn delete_older<C: ConnectionTrait>(
    conn: &C,
    before: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let deleted = import_upload::Entity::delete_many()
        .filter(import_upload::Column::CreatedAt.lt(before))
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected)
}

/// A page of the import history, the latest first.
pub async fn history<C: ConnectionTrait>(
    conn: &C,
    offset: u64,
    limit: u64,
) -> Result<Vec<ImportRunRow>, DbErr> {
    import_run::Entity::find()
        .order_by_desc(import_run::Column::AppliedAt)
        .order_by_desc(import_run::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
}
