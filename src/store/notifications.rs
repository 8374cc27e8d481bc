//! Notifications (SPEC §3.15): which customers want which by e-mail, whom each occasion still
//! has to reach, and the record of each one queued — one per customer and occasion, written in
//! the transaction that queues the message, so that no occasion goes out twice, whichever
//! instance or run sends it.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    QueryTrait, SelectModel, Set, Statement, Value,
};

use super::BuiltOnce;
use super::entity::{
    invoice_mail_pending, notification_occasion, notification_send, notification_subscription,
};
use super::notices::{AREA_MATCH, Notice};

pub use super::entity::notification_subscription::Model as Subscription;
pub use super::entity::states::NotificationKind;

/// Who may get a notification at all: an active account (`a`) with a confirmed address whose
/// holder has consented, and who asked (`s`) for this kind (`$1`).
const MAY_GET: &str = "s.kind = $1 AND a.state = 'active' AND a.email IS NOT NULL \
     AND a.email_confirmed_at IS NOT NULL AND a.consent_given_at IS NOT NULL";

/// The subscriptions with their accounts.
const SUBSCRIBED: &str = "FROM notification_subscriptions s JOIN accounts a ON a.id = s.account_id";

/// The columns of a [`Recipient`] but its occasion.
const RECIPIENT_COLUMNS: &str =
    "SELECT a.id AS account_id, a.payer_code, a.email, a.lang, s.unsubscribe_token";

/// The kinds of notification the account gets by e-mail.
pub async fn kinds_of<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
) -> Result<Vec<NotificationKind>, DbErr> {
    static KINDS_OF: BuiltOnce = BuiltOnce::new();
    let query = || {
        notification_subscription::Entity::find()
            .filter(notification_subscription::Column::AccountId.eq(account_id))
            .into_query()
    };
    let subscriptions =
        KINDS_OF.all::<SelectModel<Subscription>, _>(conn, vec![account_id.into()], query);
    Ok(subscriptions
        .await?
        .into_iter()
        .map(|subscription| subscription.kind)
        .collect())
}

/// Turns `kind` on for the account, with `token` for its unsubscribe links; false when it was
/// on already.
pub async fn subscribe<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    kind: NotificationKind,
    token: String,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let row = notification_subscription::ActiveModel {
        account_id: Set(account_id),
        kind: Set(kind),
        unsubscribe_token: Set(token),
        created_at: Set(now),
    };
    let inserted = notification_subscription::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                notification_subscription::Column::AccountId,
                notification_subscription::Column::Kind,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(inserted == 1)
}

/// Turns `kind` off for the account; false when it was off.
pub async fn unsubscribe<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    kind: NotificationKind,
) -> Result<bool, DbErr> {
    let deleted = notification_subscription::Entity::delete_by_id((account_id, kind))
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected == 1)
}

/// The subscription an unsubscribe link names, with its account's payer code.
pub async fn by_token<C: ConnectionTrait>(
    conn: &C,
    token: &str,
) -> Result<Option<(Subscription, String)>, DbErr> {
    let Some(subscription) = notification_subscription::Entity::find()
        .filter(notification_subscription::Column::UnsubscribeToken.eq(token))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let payer_code = super::accounts::find(conn, subscription.account_id)
        .await?
        .map(|account| account.payer_code);
    Ok(payer_code.map(|payer_code| (subscription, payer_code)))
}

/// Records that `kind` on `occasion` was queued for the account; false when it was already,
/// and then the caller queues nothing.
pub async fn record_sent<C: ConnectionTrait>(
    conn: &C,
    kind: NotificationKind,
    occasion: &str,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let row = notification_send::ActiveModel {
        kind: Set(kind),
        occasion: Set(occasion.to_owned()),
        account_id: Set(account_id),
        sent_at: Set(now),
    };
    let inserted = notification_send::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                notification_send::Column::Kind,
                notification_send::Column::Occasion,
                notification_send::Column::AccountId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(inserted == 1)
}

/// When `occasion` was last sent to every customer it was for, if it was.
pub async fn finished_at<C: ConnectionTrait>(
    conn: &C,
    kind: NotificationKind,
    occasion: &str,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let found = notification_occasion::Entity::find_by_id((kind, occasion.to_owned()))
        .one(conn)
        .await?;
    Ok(found.map(|occasion| occasion.finished_at))
}

/// Records that `occasion` was sent to every customer it was for who had asked by `at`.
pub async fn finish<C: ConnectionTrait>(
    conn: &C,
    kind: NotificationKind,
    occasion: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = notification_occasion::ActiveModel {
        kind: Set(kind),
        occasion: Set(occasion.to_owned()),
        finished_at: Set(at),
    };
    notification_occasion::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                notification_occasion::Column::Kind,
                notification_occasion::Column::Occasion,
            ])
            .update_column(notification_occasion::Column::FinishedAt)
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// How many customers each of `occasions` was queued for (those with none are left out).
pub async fn count_sent<C: ConnectionTrait>(
    conn: &C,
    kind: NotificationKind,
    occasions: Vec<String>,
) -> Result<Vec<(String, i64)>, DbErr> {
    notification_send::Entity::find()
        .select_only()
        .column(notification_send::Column::Occasion)
        .column_as(notification_send::Column::AccountId.count(), "count")
        .filter(notification_send::Column::Kind.eq(kind))
        .filter(notification_send::Column::Occasion.is_in(occasions))
        .group_by(notification_send::Column::Occasion)
        .into_tuple()
        .all(conn)
        .await
}

/// A customer a notification still has to reach, on its occasion.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Recipient {
    pub account_id: i64,
    pub payer_code: String,
    pub email: String,
    pub lang: String,
    pub unsubscribe_token: String,
    /// The invoice's number, the reminder's window, the notice's id.
    pub occasion: String,
}

async fn recipients<C: ConnectionTrait>(
    conn: &C,
    sql: String,
    values: Vec<Value>,
) -> Result<Vec<Recipient>, DbErr> {
    let statement = Statement::from_sql_and_values(conn.get_database_backend(), sql, values);
    Recipient::find_by_statement(statement).all(conn).await
}

/// Notes that invoice `number`'s PDF arrived (or changed), if its payer's customer wants
/// invoices by e-mail: the scheduled run then looks at it (and at nothing else).
pub async fn note_invoice_pdf<C: ConnectionTrait>(
    conn: &C,
    number: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let sql = "INSERT INTO invoice_mail_pending (invoice_number, arrived_at) \
         SELECT i.number, $2 FROM invoices i WHERE i.number = $1 \
         AND EXISTS (SELECT 1 FROM accounts a \
             JOIN notification_subscriptions s ON s.account_id = a.id \
             WHERE a.payer_code = i.payer_code AND s.kind = $3) \
         ON CONFLICT (invoice_number) DO NOTHING";
    let values: Vec<Value> = vec![
        number.into(),
        now.into(),
        NotificationKind::InvoiceEmail.as_str().into(),
    ];
    conn.execute_raw(Statement::from_sql_and_values(
        conn.get_database_backend(),
        sql,
        values,
    ))
    .await?;
    Ok(())
}

/// Whether any invoice's PDF arrived for a customer who wants it by e-mail (most minutes,
/// none: the run then asks nothing more).
pub async fn has_pending<C: ConnectionTrait>(conn: &C) -> Result<bool, DbErr> {
    let one = invoice_mail_pending::Entity::find().one(conn).await?;
    Ok(one.is_some())
}

/// Up to `limit` (customer, invoice) pairs of the invoices whose PDF arrived for a customer
/// who wants them by e-mail, issued since `issued_since`, not sent to them yet.
pub async fn invoices_to_send<C: ConnectionTrait>(
    conn: &C,
    issued_since: NaiveDate,
    limit: u64,
) -> Result<Vec<Recipient>, DbErr> {
    let sql = format!(
        // From the (short) list of arrived PDFs outwards: `CROSS JOIN` keeps SQLite's planner,
        // which knows nothing of the list's size, from walking every account each minute.
        "{RECIPIENT_COLUMNS}, i.number AS occasion FROM invoice_mail_pending q \
         CROSS JOIN invoices i CROSS JOIN accounts a CROSS JOIN notification_subscriptions s \
         WHERE i.number = q.invoice_number AND a.payer_code = i.payer_code \
         AND s.account_id = a.id AND {MAY_GET} AND i.issue_date >= $3 \
         AND NOT EXISTS (SELECT 1 FROM notification_sends n \
             WHERE n.kind = s.kind AND n.occasion = i.number AND n.account_id = a.id) \
         ORDER BY q.invoice_number LIMIT $2"
    );
    let values = vec![
        NotificationKind::InvoiceEmail.as_str().into(),
        limit_value(limit),
        issued_since.into(),
    ];
    recipients(conn, sql, values).await
}

/// Takes the invoices mailed off the list of PDFs that arrived.
pub async fn forget_pending<C: ConnectionTrait>(conn: &C, mailed: &[String]) -> Result<(), DbErr> {
    invoice_mail_pending::Entity::delete_many()
        .filter(invoice_mail_pending::Column::InvoiceNumber.is_in(mailed.iter().cloned()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Forgets the invoices whose PDF arrived before `before` and that nobody could get since
/// (their customer's address unconfirmed, say, or the invoice too old to be news).
pub async fn forget_stale_pending<C: ConnectionTrait>(
    conn: &C,
    before: DateTime<Utc>,
) -> Result<(), DbErr> {
    invoice_mail_pending::Entity::delete_many()
        .filter(invoice_mail_pending::Column::ArrivedAt.lt(before))
        .exec(conn)
        .await?;
    Ok(())
}

/// Up to `limit` customers to remind of the reading window opened on `opened_on` (`occasion`
/// names the reminder): those with a meter in use on an active point who submitted no reading
/// dated in this window, and who asked after `asked_after` when the reminder went out before
/// (those reminded already are passed over by [`record_sent`]).
pub async fn reminders_to_send<C: ConnectionTrait>(
    conn: &C,
    occasion: &str,
    opened_on: NaiveDate,
    asked_after: Option<DateTime<Utc>>,
    page: Page,
) -> Result<Vec<Recipient>, DbErr> {
    let latecomers = if asked_after.is_some() {
        "AND s.created_at > $6"
    } else {
        ""
    };
    let sql = format!(
        "{RECIPIENT_COLUMNS}, CAST($2 AS TEXT) AS occasion {SUBSCRIBED} \
         WHERE {MAY_GET} AND a.id > $5 {latecomers} \
         AND EXISTS (SELECT 1 FROM points pt JOIN meters m ON m.point_code = pt.code \
             WHERE pt.payer_code = a.payer_code AND pt.active \
             AND (m.removed_on IS NULL OR m.removed_on > $3)) \
         AND NOT EXISTS (SELECT 1 FROM submitted_readings r \
             WHERE r.account_id = a.id AND r.read_on >= $3) \
         ORDER BY a.id LIMIT $4"
    );
    let mut values = vec![
        NotificationKind::ReadingReminder.as_str().into(),
        occasion.into(),
        opened_on.into(),
        limit_value(page.limit),
        page.after_account.into(),
    ];
    values.extend(asked_after.map(Value::from));
    recipients(conn, sql, values).await
}

/// Up to `limit` customers with an active point in the area of `notice` who asked for notices
/// before it was published. (Those it was sent to already are passed over by [`record_sent`]:
/// asking the database for them per account made PostgreSQL's planner, on a table whose
/// statistics lagged, scan every record of the occasion for every account.)
pub async fn notice_to_send<C: ConnectionTrait>(
    conn: &C,
    notice: &Notice,
    page: Page,
) -> Result<Vec<Recipient>, DbErr> {
    let sql = format!(
        "{RECIPIENT_COLUMNS}, CAST($2 AS TEXT) AS occasion {SUBSCRIBED} \
         WHERE {MAY_GET} AND a.id > $5 \
         AND EXISTS (SELECT 1 FROM notices n JOIN points pt ON pt.payer_code = a.payer_code \
             WHERE n.id = $3 AND s.created_at <= n.published_at AND pt.active AND {AREA_MATCH}) \
         ORDER BY a.id LIMIT $4"
    );
    let values = vec![
        NotificationKind::Notice.as_str().into(),
        notice.id.to_string().into(),
        notice.id.into(),
        limit_value(page.limit),
        page.after_account.into(),
    ];
    recipients(conn, sql, values).await
}

/// A batch of recipients: up to `limit` of the accounts after `after_account`, by id, so a
/// long send reads each account once rather than skipping those done again and again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub after_account: i64,
    pub limit: u64,
}

fn limit_value(limit: u64) -> Value {
    i64::try_from(limit).unwrap_or(i64::MAX).into()
}

/// A payer who gets invoices by e-mail, for billing, which then need not print them.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult, serde::Serialize, utoipa::ToSchema)]
pub struct InvoiceEmailPayer {
    /// The payer's code in billing.
    pub payer_code: String,
    pub name: String,
    /// Where the invoices go.
    pub email: String,
    /// Since when.
    pub since: DateTime<Utc>,
}

/// The payers who get invoices by e-mail, by payer code; the first `limit`, or all.
pub async fn invoice_email_payers<C: ConnectionTrait>(
    conn: &C,
    limit: Option<u64>,
) -> Result<Vec<InvoiceEmailPayer>, DbErr> {
    let limit = limit.map_or(String::new(), |limit| format!(" LIMIT {limit}"));
    let sql = format!(
        "SELECT a.payer_code, p.name, a.email, s.created_at AS since {SUBSCRIBED} \
         JOIN payers p ON p.code = a.payer_code WHERE {MAY_GET} ORDER BY a.payer_code{limit}"
    );
    let statement = Statement::from_sql_and_values(
        conn.get_database_backend(),
        sql,
        [NotificationKind::InvoiceEmail.as_str().into()],
    );
    InvoiceEmailPayer::find_by_statement(statement)
        .all(conn)
        .await
}

/// How many payers get invoices by e-mail.
pub async fn count_invoice_email_payers<C: ConnectionTrait>(conn: &C) -> Result<u64, DbErr> {
    let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) {SUBSCRIBED} WHERE {MAY_GET}");
    super::count(
        conn,
        sql,
        vec![NotificationKind::InvoiceEmail.as_str().into()],
    )
    .await
}
