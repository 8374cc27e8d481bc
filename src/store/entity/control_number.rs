use sea_orm::entity::prelude::*;

/// A control number issued by staff (access contract, resolved access request); the number
/// itself is stored only as its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "control_numbers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub payer_code: String,
    pub number_hash: String,
    pub issued_by: Option<String>,
    pub expires_at: Option<DateTimeUtc>,
    pub used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
