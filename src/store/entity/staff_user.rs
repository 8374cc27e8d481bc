use sea_orm::entity::prelude::*;

use super::states::StaffRole;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub username: String,
    pub password_hash: String,
    pub role: StaffRole,
    /// Base32; set at enrolment, in force once `totp_enrolled_at` is.
    pub totp_secret: Option<String>,
    pub disabled: bool,
    pub created_at: DateTimeUtc,
    pub last_sign_in_at: Option<DateTimeUtc>,
    pub totp_enrolled_at: Option<DateTimeUtc>,
    /// The last TOTP time step accepted: a code is good once.
    pub totp_last_step: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
