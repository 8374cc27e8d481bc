use sea_orm::entity::prelude::*;

/// Serialized as it is for the customer's own data download ("Prenos mojih podatkov").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "readings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub meter_serial: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub read_on: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub source: String,
    pub litres: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::meter::Entity",
        from = "Column::MeterSerial",
        to = "super::meter::Column::Serial"
    )]
    Meter,
}

impl ActiveModelBehavior for ActiveModel {}
