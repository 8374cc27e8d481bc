use sea_orm::entity::prelude::*;

/// Serialized as it is for the customer's own data download ("Prenos mojih podatkov").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "payers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub tax_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The payer as a UPN names them.
    pub fn upn_address(&self) -> crate::config::PayerAddress<'_> {
        crate::config::PayerAddress {
            name: &self.name,
            street: self.street.as_deref(),
            postal_code: self.postal_code.as_deref(),
            city: self.city.as_deref(),
        }
    }
}
