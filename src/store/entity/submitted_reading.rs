use sea_orm::entity::prelude::*;

use super::states::SubmissionStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "submitted_readings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub meter_serial: String,
    pub read_on: Date,
    pub litres: i64,
    pub status: SubmissionStatus,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub client_addr: Option<String>,
    pub submitted_at: DateTimeUtc,
    pub exported_at: Option<DateTimeUtc>,
    pub feedback_at: Option<DateTimeUtc>,
    /// The batch that took it to billing.
    pub export_id: Option<i64>,
    /// Why billing refused it, as a code (`ReasonCode`).
    pub reason_code: Option<String>,
    /// Its place in the feed of submissions, in commit order.
    pub feed_seq: Option<i64>,
    /// The submission of the same meter and day this one replaces.
    pub replaces_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::meter::Entity",
        from = "Column::MeterSerial",
        to = "super::meter::Column::Serial"
    )]
    Meter,
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id"
    )]
    Account,
}

impl ActiveModelBehavior for ActiveModel {}
