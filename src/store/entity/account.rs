use sea_orm::entity::prelude::*;

use super::states::AccountState;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub payer_code: String,
    pub email: Option<String>,
    pub email_confirmed_at: Option<DateTimeUtc>,
    pub password_hash: Option<String>,
    pub state: AccountState,
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub consent_version: Option<String>,
    pub consent_given_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub last_sign_in_at: Option<DateTimeUtc>,
    /// Sessions signed in before this moment are void (set by a password reset or change).
    pub sessions_valid_after: Option<DateTimeUtc>,
    /// The language the holder last used the portal in ("sl", "en"), for mail sent later.
    pub lang: String,
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
