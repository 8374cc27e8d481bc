use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub invoice_number: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub line_no: i32,
    pub service_code: Option<String>,
    pub description: String,
    pub quantity_thousandths: Option<i64>,
    pub unit: Option<String>,
    pub unit_price_ten_thousandths: Option<i64>,
    pub vat_rate_bp: Option<i32>,
    pub amount_cents: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
