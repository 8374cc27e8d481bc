use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The sender's account when signed in.
    pub account_id: Option<i64>,
    pub name: String,
    pub email: String,
    #[sea_orm(column_type = "Text")]
    pub message: String,
    /// The language the sender wrote in, for the answer.
    pub lang: String,
    pub handled_by: Option<String>,
    pub handled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
