//! Notices of works and outages ("Obvestila"): kept as published, shown to the customers of
//! their area while valid.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};

use super::entity::{notice, notice_point};

pub use super::entity::notice::Model as Notice;
pub use super::entity::states::NoticeArea;
use super::entity::states::NotificationKind;

/// Whether point `pt` lies in the area of notice `n`: a settlement is the points' `city`; a
/// street's points and a list of points are the notice's own (`notice_points`).
pub(super) const AREA_MATCH: &str = "(n.area = 'everyone' \
     OR (n.area = 'settlement' AND pt.city = n.settlement) \
     OR (n.area IN ('street', 'points') AND EXISTS (SELECT 1 FROM notice_points np \
         WHERE np.notice_id = n.id AND np.point_code = pt.code)))";

/// A notice as staff write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    pub title: String,
    pub body: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub area: NoticeArea,
    pub settlement: Option<String>,
    pub street: Option<String>,
    /// The points of an area of points, or of the street.
    pub points: Vec<String>,
}

/// Stores `notice`; its id.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    notice: NewNotice,
    published_by: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let stored = notice::ActiveModel {
        title: Set(notice.title),
        body: Set(notice.body),
        valid_from: Set(notice.valid_from),
        valid_to: Set(notice.valid_to),
        area: Set(notice.area),
        settlement: Set(notice.settlement),
        street: Set(notice.street),
        published_by: Set(published_by.to_owned()),
        published_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    if !notice.points.is_empty() {
        let rows = notice
            .points
            .into_iter()
            .map(|point_code| notice_point::ActiveModel {
                notice_id: Set(stored.id),
                point_code: Set(point_code),
            });
        notice_point::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(stored.id)
}

/// How many active points lie in the area of notice `id`.
pub async fn points_in_area<C: ConnectionTrait>(conn: &C, id: i64) -> Result<u64, DbErr> {
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM notices n JOIN points pt ON pt.active \
         WHERE n.id = $1 AND {AREA_MATCH}"
    );
    super::count(conn, sql, vec![id.into()]).await
}

/// The notices valid on `today` for a point of the payer, the newest first.
pub async fn valid_for_payer<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    today: NaiveDate,
) -> Result<Vec<Notice>, DbErr> {
    let sql = format!(
        "SELECT n.* FROM notices n WHERE n.valid_from <= $1 AND n.valid_to >= $1 \
         AND EXISTS (SELECT 1 FROM points pt WHERE pt.payer_code = $2 AND pt.active \
             AND {AREA_MATCH}) \
         ORDER BY n.valid_from DESC, n.id DESC"
    );
    let statement = Statement::from_sql_and_values(
        conn.get_database_backend(),
        sql,
        [today.into(), payer_code.into()],
    );
    Notice::find_by_statement(statement).all(conn).await
}

/// The notices still valid on `today` (or later) that may have someone left to mail: those
/// no look has finished with, and those whose last look began sooner than `stored_late` after
/// they were published (a subscription stamped before a notice may be stored only after the
/// look had read the subscriptions). Compared in Rust: SQL engines add to a time differently.
pub async fn to_mail<C: ConnectionTrait>(
    conn: &C,
    today: NaiveDate,
    stored_late: Duration,
) -> Result<Vec<Notice>, DbErr> {
    let statement = Statement::from_sql_and_values(
        conn.get_database_backend(),
        "SELECT n.*, o.finished_at AS last_look_began FROM notices n \
         LEFT JOIN notification_occasions o \
             ON o.kind = $2 AND o.occasion = CAST(n.id AS TEXT) \
         WHERE n.valid_to >= $1 ORDER BY n.id",
        [today.into(), NotificationKind::Notice.as_str().into()],
    );
    let mut notices = Vec::new();
    for row in conn.query_all_raw(statement).await? {
        let notice = Notice::from_query_result(&row, "")?;
        let last_look_began: Option<DateTime<Utc>> = row.try_get("", "last_look_began")?;
        if last_look_began.is_none_or(|began| began < notice.published_at + stored_late) {
            notices.push(notice);
        }
    }
    Ok(notices)
}

/// A page of notices, the newest first (for the back office).
pub async fn page<C: ConnectionTrait>(
    conn: &C,
    offset: u64,
    limit: u64,
) -> Result<Vec<Notice>, DbErr> {
    notice::Entity::find()
        .order_by_desc(notice::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
}

/// The points a notice of points names.
pub async fn points_of<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Vec<String>, DbErr> {
    notice_point::Entity::find()
        .select_only()
        .column(notice_point::Column::PointCode)
        .filter(notice_point::Column::NoticeId.eq(id))
        .order_by_asc(notice_point::Column::PointCode)
        .into_tuple()
        .all(conn)
        .await
}

/// The active points of a settlement with their streets (as billing writes them).
pub async fn points_of_settlement<C: ConnectionTrait>(
    conn: &C,
    settlement: &str,
) -> Result<Vec<(String, Option<String>)>, DbErr> {
    use super::entity::point;
    point::Entity::find()
        .select_only()
        .column(point::Column::Code)
        .column(point::Column::Street)
        .filter(point::Column::City.eq(settlement))
        .filter(point::Column::Active.eq(true))
        .order_by_asc(point::Column::Code)
        .into_tuple()
        .all(conn)
        .await
}

/// The settlements of the points, for the form's choice.
pub async fn settlements<C: ConnectionTrait>(conn: &C) -> Result<Vec<String>, DbErr> {
    use super::entity::point;
    point::Entity::find()
        .select_only()
        .column(point::Column::City)
        .filter(point::Column::City.is_not_null())
        .distinct()
        .order_by_asc(point::Column::City)
        .into_tuple()
        .all(conn)
        .await
}

/// Which of `codes` name no point.
pub async fn unknown_points<C: ConnectionTrait>(
    conn: &C,
    codes: &[String],
) -> Result<Vec<String>, DbErr> {
    use super::entity::point;
    let known: Vec<String> = point::Entity::find()
        .select_only()
        .column(point::Column::Code)
        .filter(point::Column::Code.is_in(codes.iter().cloned()))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(codes
        .iter()
        .filter(|code| !known.contains(code))
        .cloned()
        .collect())
}
