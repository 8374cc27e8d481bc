use sea_orm::entity::prelude::*;

/// Serialized as it is for the customer's own data download ("Prenos mojih podatkov").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub number: String,
    pub payer_code: String,
    pub point_code: Option<String>,
    pub issue_date: Date,
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    pub due_date: Date,
    pub net_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    pub reference: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::payer::Entity",
        from = "Column::PayerCode",
        to = "super::payer::Column::Code"
    )]
    Payer,
}

impl Related<super::payer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Payer.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
