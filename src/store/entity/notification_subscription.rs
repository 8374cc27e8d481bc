use sea_orm::entity::prelude::*;

use super::states::NotificationKind;

/// A customer's wish to get one kind of notification by e-mail; no row, no such mail.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: NotificationKind,
    /// The secret of the one-click unsubscribe link in each such mail.
    #[sea_orm(unique)]
    pub unsubscribe_token: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
