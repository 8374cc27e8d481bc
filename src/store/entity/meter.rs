use sea_orm::entity::prelude::*;

/// Serialized as it is for the customer's own data download ("Prenos mojih podatkov").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "meters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub serial: String,
    pub point_code: String,
    pub medium: String,
    pub unit: String,
    pub digits: i16,
    pub decimals: i16,
    pub dn: Option<i32>,
    pub installed_on: Date,
    pub removed_on: Option<Date>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::point::Entity",
        from = "Column::PointCode",
        to = "super::point::Column::Code"
    )]
    Point,
}

impl ActiveModelBehavior for ActiveModel {}
