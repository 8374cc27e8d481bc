use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "open_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub payer_code: String,
    pub document_number: String,
    pub document_date: Date,
    pub due_date: Date,
    pub amount_cents: i64,
    pub open_cents: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
