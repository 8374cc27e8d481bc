use sea_orm::entity::prelude::*;

use super::states::NotificationKind;

/// One notification queued for one customer on one occasion (an invoice's number, a reading
/// window's opening, a notice): its key is what makes each occasion go out once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_sends")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: NotificationKind,
    #[sea_orm(primary_key, auto_increment = false)]
    pub occasion: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i64,
    pub sent_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
