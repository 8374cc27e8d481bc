//! Meter readings that customers submit, until billing has taken them back.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationTrait, SelectModel, Set, Statement,
};

use super::entity::{account, meter, point, reading_export, submitted_reading};
use super::{BuiltOnce, Order};

pub use super::entity::states::SubmissionStatus;
pub use super::entity::submitted_reading::Model as SubmittedReading;

/// A submitted reading as billing takes it.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct ExportRow {
    pub id: i64,
    pub meter_serial: String,
    pub point_code: String,
    pub payer_code: String,
    pub read_on: NaiveDate,
    pub litres: i64,
    pub submitted_at: DateTime<Utc>,
}

/// A reading with its point and payer: the columns every list for billing starts from.
fn with_point_and_payer() -> sea_orm::Select<submitted_reading::Entity> {
    submitted_reading::Entity::find()
        .select_only()
        .column(submitted_reading::Column::Id)
        .column_as(point::Column::PayerCode, "payer_code")
        .column_as(meter::Column::PointCode, "point_code")
        .column(submitted_reading::Column::MeterSerial)
        .column(submitted_reading::Column::ReadOn)
        .column(submitted_reading::Column::Litres)
        .column(submitted_reading::Column::SubmittedAt)
        .join(
            JoinType::InnerJoin,
            submitted_reading::Relation::Meter.def(),
        )
        .join(JoinType::InnerJoin, meter::Relation::Point.def())
}

/// A reading with what its verdict's mail needs ([`AwaitingVerdict`]).
fn with_account(
    query: sea_orm::Select<submitted_reading::Entity>,
) -> sea_orm::Select<submitted_reading::Entity> {
    query
        .select_only()
        .column(submitted_reading::Column::Id)
        .column(submitted_reading::Column::AccountId)
        .column_as(account::Column::PayerCode, "payer_code")
        .column_as(account::Column::Email, "email")
        .column_as(account::Column::Lang, "lang")
        .column(submitted_reading::Column::MeterSerial)
        .column(submitted_reading::Column::ReadOn)
        .column(submitted_reading::Column::Litres)
        .join(
            JoinType::InnerJoin,
            submitted_reading::Relation::Account.def(),
        )
}

/// A batch without its file ([`ExportBatch`]).
fn batch_columns(
    query: sea_orm::Select<reading_export::Entity>,
) -> sea_orm::Select<reading_export::Entity> {
    query
        .select_only()
        .column(reading_export::Column::Id)
        .column(reading_export::Column::CreatedAt)
        .column(reading_export::Column::ExportedBy)
        .column(reading_export::Column::ReadingCount)
}

/// A batch of readings handed to billing, without its file.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct ExportBatch {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    /// The staff user who exported; `None` for the command line.
    pub exported_by: Option<String>,
    pub reading_count: i64,
}

/// Takes every reading not yet exported into a new batch, marking them exported, in the
/// caller's transaction; the batch's id and its readings, by id. The readings are claimed by
/// one `UPDATE`, so two exports at once never take the same reading.
pub async fn take_for_export<C: ConnectionTrait>(
    conn: &C,
    exported_by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(i64, Vec<ExportRow>), DbErr> {
    let batch = reading_export::ActiveModel {
        created_at: Set(now),
        exported_by: Set(exported_by.map(str::to_owned)),
        reading_count: Set(0),
        file: Set(String::new()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    submitted_reading::Entity::update_many()
        .col_expr(
            submitted_reading::Column::Status,
            Expr::value(SubmissionStatus::Exported.as_str()),
        )
        .col_expr(
            submitted_reading::Column::ExportedAt,
            Expr::value(Some(now)),
        )
        .col_expr(
            submitted_reading::Column::ExportId,
            Expr::value(Some(batch.id)),
        )
        .filter(submitted_reading::Column::Status.eq(SubmissionStatus::Submitted))
        .exec(conn)
        .await?;
    let rows = with_point_and_payer()
        .filter(submitted_reading::Column::ExportId.eq(batch.id))
        .order_by_asc(submitted_reading::Column::Id)
        .into_model()
        .all(conn)
        .await?;
    Ok((batch.id, rows))
}

/// Keeps the file of batch `id` as billing got it.
pub async fn keep_export_file<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    reading_count: usize,
    file: String,
) -> Result<(), DbErr> {
    reading_export::ActiveModel {
        id: Set(id),
        reading_count: Set(i64::try_from(reading_count).unwrap_or(i64::MAX)),
        file: Set(file),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// A page of the batches, newest first.
pub async fn export_batches<C: ConnectionTrait>(
    conn: &C,
    offset: u64,
    limit: u64,
) -> Result<Vec<ExportBatch>, DbErr> {
    batch_columns(reading_export::Entity::find())
        .order_by_desc(reading_export::Column::Id)
        .offset(offset)
        .limit(limit)
        .into_model()
        .all(conn)
        .await
}

/// Batch `id`, without its file.
pub async fn export_batch<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<ExportBatch>, DbErr> {
    batch_columns(reading_export::Entity::find_by_id(id))
        .into_model()
        .one(conn)
        .await
}

/// The file of batch `id`, as billing got it.
pub async fn export_file<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<String>, DbErr> {
    Ok(reading_export::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(|batch| batch.file))
}

/// A reading as the back office lists it: whose, where, and how far it got.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct StaffRow {
    pub id: i64,
    pub payer_code: String,
    pub point_code: String,
    pub meter_serial: String,
    pub read_on: NaiveDate,
    pub litres: i64,
    pub status: SubmissionStatus,
    pub reason: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub export_id: Option<i64>,
}

/// The columns the back office's list of readings may be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadingColumn {
    SubmittedAt,
    Payer,
    Point,
    ReadOn,
    Status,
}

impl ReadingColumn {
    pub const ALL: &'static [Self] = &[
        Self::SubmittedAt,
        Self::Payer,
        Self::Point,
        Self::ReadOn,
        Self::Status,
    ];
}

/// The latest submitted first.
pub const NEWEST_FIRST: Order<ReadingColumn> = Order {
    by: ReadingColumn::SubmittedAt,
    ascending: false,
};

/// What the back office looks for; every part may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffFilter {
    /// Readings taken on or after this day.
    pub from: Option<NaiveDate>,
    /// Readings taken on or before this day.
    pub to: Option<NaiveDate>,
    pub point_code: Option<String>,
    pub status: Option<SubmissionStatus>,
    /// Only the readings of this account.
    pub account_id: Option<i64>,
    /// Only the readings of this export batch.
    pub export_id: Option<i64>,
}

fn staff_query(filter: &StaffFilter) -> sea_orm::Select<submitted_reading::Entity> {
    let mut query = with_point_and_payer()
        .column(submitted_reading::Column::Status)
        .column(submitted_reading::Column::Reason)
        .column(submitted_reading::Column::ExportId);
    if let Some(from) = filter.from {
        query = query.filter(submitted_reading::Column::ReadOn.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(submitted_reading::Column::ReadOn.lte(to));
    }
    if let Some(point_code) = &filter.point_code {
        query = query.filter(meter::Column::PointCode.eq(point_code.as_str()));
    }
    if let Some(account_id) = filter.account_id {
        query = query.filter(submitted_reading::Column::AccountId.eq(account_id));
    }
    if let Some(export_id) = filter.export_id {
        query = query.filter(submitted_reading::Column::ExportId.eq(export_id));
    }
    if let Some(status) = filter.status {
        query = query.filter(submitted_reading::Column::Status.eq(status));
    }
    query
}

/// A page of the readings `filter` asks for, in `order` (the latest submitted first among
/// equals).
pub async fn page<C: ConnectionTrait>(
    conn: &C,
    filter: &StaffFilter,
    order: Order<ReadingColumn>,
    offset: u64,
    limit: u64,
) -> Result<Vec<StaffRow>, DbErr> {
    let direction = order.direction();
    let query = staff_query(filter);
    let query = match order.by {
        ReadingColumn::SubmittedAt => query,
        ReadingColumn::Payer => query.order_by(point::Column::PayerCode, direction.clone()),
        ReadingColumn::Point => query.order_by(meter::Column::PointCode, direction.clone()),
        ReadingColumn::ReadOn => {
            query.order_by(submitted_reading::Column::ReadOn, direction.clone())
        }
        ReadingColumn::Status => {
            query.order_by(submitted_reading::Column::Status, direction.clone())
        }
    };
    let newest_first = if order.by == ReadingColumn::SubmittedAt {
        direction
    } else {
        sea_orm::Order::Desc
    };
    query
        .order_by(submitted_reading::Column::SubmittedAt, newest_first.clone())
        .order_by(submitted_reading::Column::Id, newest_first)
        .offset(offset)
        .limit(limit)
        .into_model()
        .all(conn)
        .await
}

/// A reading billing has taken and not yet decided on, with what its verdict mail needs.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct AwaitingVerdict {
    pub id: i64,
    pub account_id: i64,
    pub payer_code: String,
    pub email: Option<String>,
    pub lang: String,
    pub meter_serial: String,
    pub read_on: NaiveDate,
    pub litres: i64,
}

/// The statuses of a reading billing may still decide on: taken by an export or by the API's
/// feed (which leaves it `Submitted`).
fn undecided() -> [SubmissionStatus; 2] {
    [SubmissionStatus::Submitted, SubmissionStatus::Exported]
}

/// The latest reading of `meter_serial` on `read_on` that billing has not decided on; `None`
/// when there is none.
pub async fn awaiting_verdict<C: ConnectionTrait>(
    conn: &C,
    meter_serial: &str,
    read_on: NaiveDate,
) -> Result<Option<AwaitingVerdict>, DbErr> {
    with_account(submitted_reading::Entity::find())
        .filter(submitted_reading::Column::MeterSerial.eq(meter_serial))
        .filter(submitted_reading::Column::ReadOn.eq(read_on))
        .filter(submitted_reading::Column::Status.is_in(undecided()))
        .order_by_desc(submitted_reading::Column::Id)
        .into_model()
        .one(conn)
        .await
}

/// Reading `id` with what its verdict needs, and the verdict it has (status, code, reason).
pub async fn for_verdict<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<(AwaitingVerdict, SubmittedReading)>, DbErr> {
    let Some(row) = submitted_reading::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let reading = with_account(submitted_reading::Entity::find_by_id(id))
        .into_model()
        .one(conn)
        .await?;
    Ok(reading.map(|reading| (reading, row)))
}

/// Billing's verdict on a reading: `Accepted`, or `Rejected` with the reason's code and words.
/// False when the reading was no longer waiting for one.
pub async fn decide<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    status: SubmissionStatus,
    reason: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let (code, words) = reason.unzip();
    let result = submitted_reading::Entity::update_many()
        .col_expr(
            submitted_reading::Column::Status,
            Expr::value(status.as_str()),
        )
        .col_expr(
            submitted_reading::Column::ReasonCode,
            Expr::value(code.map(str::to_owned)),
        )
        .col_expr(
            submitted_reading::Column::Reason,
            Expr::value(words.map(str::to_owned)),
        )
        .col_expr(
            submitted_reading::Column::FeedbackAt,
            Expr::value(Some(now)),
        )
        .filter(submitted_reading::Column::Id.eq(id))
        .filter(submitted_reading::Column::Status.is_in(undecided()))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// A customer's reading as the portal shows it back: with the point of its meter.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct Submission {
    pub id: i64,
    pub meter_serial: String,
    pub point_code: String,
    pub read_on: NaiveDate,
    pub litres: i64,
    pub status: SubmissionStatus,
    pub reason_code: Option<String>,
    pub reason: Option<String>,
    pub submitted_at: DateTime<Utc>,
}

/// A reading the customer confirmed, to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubmission<'a> {
    pub account_id: i64,
    pub meter_serial: &'a str,
    pub read_on: NaiveDate,
    pub litres: i64,
    pub client_addr: Option<&'a str>,
}

/// Stores `new`; a reading of the same meter and day that billing has not taken yet is
/// replaced (one reading a day counts, and the customer's latest word is the one meant): it is
/// kept, marked replaced, and the new row names it. The new row's id.
pub async fn save<C: ConnectionTrait>(
    conn: &C,
    new: NewSubmission<'_>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let pending = submitted_reading::Entity::find()
        .filter(submitted_reading::Column::MeterSerial.eq(new.meter_serial))
        .filter(submitted_reading::Column::ReadOn.eq(new.read_on))
        .filter(submitted_reading::Column::Status.eq(SubmissionStatus::Submitted))
        .one(conn)
        .await?;
    let mut replaces = None;
    if let Some(pending) = &pending {
        // Only if it is still pending: of two corrections at once, one replaces it and the
        // other (finding it replaced) stands on its own.
        let replaced = submitted_reading::Entity::update_many()
            .col_expr(
                submitted_reading::Column::Status,
                Expr::value(SubmissionStatus::Replaced.as_str()),
            )
            .filter(submitted_reading::Column::Id.eq(pending.id))
            .filter(submitted_reading::Column::Status.eq(SubmissionStatus::Submitted))
            .exec(conn)
            .await?;
        if replaced.rows_affected == 1 {
            replaces = Some(pending.id);
        }
    }
    let row = submitted_reading::ActiveModel {
        account_id: Set(new.account_id),
        meter_serial: Set(new.meter_serial.to_owned()),
        read_on: Set(new.read_on),
        litres: Set(new.litres),
        status: Set(SubmissionStatus::Submitted),
        client_addr: Set(new.client_addr.map(str::to_owned)),
        submitted_at: Set(now),
        replaces_id: Set(replaces),
        ..Default::default()
    };
    Ok(row.insert(conn).await?.id)
}

/// Gives submission `id` the next place in the feed. The counter's row stays locked until the
/// caller's transaction ends, so places are handed out in commit order: call it last, just
/// before committing.
pub async fn take_feed_place<C: ConnectionTrait>(conn: &C, id: i64) -> Result<i64, DbErr> {
    let backend = conn.get_database_backend();
    let next = conn
        .query_one_raw(Statement::from_string(
            backend,
            "UPDATE feed_counters SET value = value + 1 \
             WHERE name = 'submitted_readings' RETURNING value",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the feed's counter".to_owned()))?
        .try_get::<i64>("", "value")?;
    submitted_reading::Entity::update_many()
        .col_expr(submitted_reading::Column::FeedSeq, Expr::value(Some(next)))
        .filter(submitted_reading::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(next)
}

/// A submission as the feed gives it to billing.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct FeedRow {
    pub id: i64,
    pub feed_seq: i64,
    pub payer_code: String,
    pub point_code: String,
    pub meter_serial: String,
    pub read_on: NaiveDate,
    pub litres: i64,
    pub submitted_at: DateTime<Utc>,
    pub replaces_id: Option<i64>,
}

/// The next `limit` submissions after place `after` in the feed, in commit order.
pub async fn feed<C: ConnectionTrait>(
    conn: &C,
    after: i64,
    limit: u64,
) -> Result<Vec<FeedRow>, DbErr> {
    with_point_and_payer()
        .column(submitted_reading::Column::FeedSeq)
        .column(submitted_reading::Column::ReplacesId)
        .filter(submitted_reading::Column::FeedSeq.gt(after))
        .order_by_asc(submitted_reading::Column::FeedSeq)
        .limit(limit)
        .into_model()
        .all(conn)
        .await
}

/// The account's submissions with their points, newest first.
fn of_account_query(account_id: i64) -> sea_orm::Select<submitted_reading::Entity> {
    submitted_reading::Entity::find()
        .select_only()
        .column(submitted_reading::Column::Id)
        .column(submitted_reading::Column::MeterSerial)
        .column_as(meter::Column::PointCode, "point_code")
        .column(submitted_reading::Column::ReadOn)
        .column(submitted_reading::Column::Litres)
        .column(submitted_reading::Column::Status)
        .column(submitted_reading::Column::ReasonCode)
        .column(submitted_reading::Column::Reason)
        .column(submitted_reading::Column::SubmittedAt)
        .join(
            JoinType::InnerJoin,
            submitted_reading::Relation::Meter.def(),
        )
        .filter(submitted_reading::Column::AccountId.eq(account_id))
        .filter(submitted_reading::Column::Status.ne(SubmissionStatus::Replaced))
        .order_by_desc(submitted_reading::Column::SubmittedAt)
        .order_by_desc(submitted_reading::Column::Id)
}

/// The account's submissions, newest first.
pub async fn of_account<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
) -> Result<Vec<Submission>, DbErr> {
    static OF_ACCOUNT: BuiltOnce = BuiltOnce::new();
    let values = vec![account_id.into(), SubmissionStatus::Replaced.into()];
    OF_ACCOUNT
        .all::<SelectModel<Submission>, _>(conn, values, || {
            of_account_query(account_id).into_query()
        })
        .await
}

/// The account's submission `id`; `None` for another account's as for a missing one.
pub async fn of_account_by_id<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    id: i64,
) -> Result<Option<Submission>, DbErr> {
    of_account_query(account_id)
        .filter(submitted_reading::Column::Id.eq(id))
        .into_model()
        .one(conn)
        .await
}

/// Readings billing has not taken yet (for "Nadzorna plošča").
pub async fn count_not_exported<C: ConnectionTrait>(conn: &C) -> Result<u64, DbErr> {
    submitted_reading::Entity::find()
        .filter(submitted_reading::Column::Status.eq(SubmissionStatus::Submitted))
        .count(conn)
        .await
}
