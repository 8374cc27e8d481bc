use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "point_services")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub point_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub service_code: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::service::Entity",
        from = "Column::ServiceCode",
        to = "super::service::Column::Code"
    )]
    Service,
}

impl ActiveModelBehavior for ActiveModel {}
