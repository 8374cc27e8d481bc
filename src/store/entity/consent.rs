use sea_orm::entity::prelude::*;

use super::states::ConsentDecision;

/// Serialized as it is for the customer's own data download ("Prenos mojih podatkov").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "consents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub version: String,
    pub action: ConsentDecision,
    pub client_addr: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
