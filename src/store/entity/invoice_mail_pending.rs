use sea_orm::entity::prelude::*;

/// An invoice whose PDF arrived (or changed) while its payer's customer wanted invoices by
/// e-mail: the scheduled run mails it and takes it off this list.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_mail_pending")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub invoice_number: String,
    pub arrived_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
