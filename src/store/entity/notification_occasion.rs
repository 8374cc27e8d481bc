use sea_orm::entity::prelude::*;

use super::states::NotificationKind;

/// An occasion (a reading window's reminder, a notice) sent to every customer it was for:
/// later runs pass it by instead of asking again who is left.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_occasions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: NotificationKind,
    #[sea_orm(primary_key, auto_increment = false)]
    pub occasion: String,
    pub finished_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
