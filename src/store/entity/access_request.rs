use sea_orm::entity::prelude::*;

use super::states::AccessRequestStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub full_name: String,
    pub address: String,
    pub point_code: String,
    pub tax_number: String,
    pub email: String,
    /// The language the requester wrote in, for the answer.
    pub lang: String,
    pub status: AccessRequestStatus,
    /// The payer staff found for the request.
    pub payer_code: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub resolution: Option<String>,
    pub handled_by: Option<String>,
    pub handled_at: Option<DateTimeUtc>,
    pub client_addr: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
