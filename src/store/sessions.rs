//! Sessions in the database, for tower-sessions. The cookie's id is stored only as its SHA-256,
//! so a copy of the database does not hand out live sessions.
//!
//! Loading a customer's session reads its account, payer and the payer's points in the same
//! query: every page of a signed-in customer needs them next, and a query fewer is a round
//! trip fewer per page. They are kept for the request (see [`remembering_customers`]) until the
//! page takes them; requests that change something read the account again (`web::kit::auth`).

use std::cell::RefCell;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, IdenStatic,
    QueryFilter, QueryOrder, QueryTrait, SelectA, SelectB, SelectC, Set, Statement, Value,
};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::accounts::Account;
use super::entity::{account, payer, session};
use super::payers::Payer;
use super::points::{self, PointSummary};
use super::{BuiltOnce, Db};
use crate::auth::secret::sha256_hex;

/// The key under which a customer's session holds its account's id.
pub const ACCOUNT_ID_KEY: &str = "account_id";

/// An account with its payer (which the foreign key keeps, but a page must not fail on).
pub type AccountWithPayer = (Account, Option<Payer>);

/// The prefix of the points' columns in a session's load, after SeaORM's `A_` (the session),
/// `B_` (the account) and `C_` (the payer).
const POINT_PREFIX: &str = "D_";

/// What the session's load of a request read along, until the request takes it.
#[derive(Default)]
struct Loaded {
    account: Option<AccountWithPayer>,
    /// The payer's code and points.
    points: Option<(String, Vec<PointSummary>)>,
}

tokio::task_local! {
    static LOADED: RefCell<Loaded>;
}

/// Runs `request`, keeping what its session's load finds for [`take_loaded_account`] and
/// [`take_loaded_points`].
pub async fn remembering_customers<F: Future>(request: F) -> F::Output {
    LOADED.scope(RefCell::default(), request).await
}

/// The account `account_id` if this request's session load found it (with its payer), taken
/// so that a later look within the request reads the database again.
pub fn take_loaded_account(account_id: i64) -> Option<AccountWithPayer> {
    LOADED
        .try_with(|loaded| {
            let account = &mut loaded.borrow_mut().account;
            match account.as_ref() {
                Some((account_found, _)) if account_found.id == account_id => account.take(),
                _ => None,
            }
        })
        .ok()
        .flatten()
}

/// The points of payer `payer_code` (in the order to show) if this request's session load
/// found them, taken like [`take_loaded_account`].
pub fn take_loaded_points(payer_code: &str) -> Option<Vec<PointSummary>> {
    LOADED
        .try_with(|loaded| {
            let points = &mut loaded.borrow_mut().points;
            match points.as_ref() {
                Some((payer, _)) if payer == payer_code => points.take().map(|(_, found)| found),
                _ => None,
            }
        })
        .ok()
        .flatten()
}

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Removes expired sessions; run now and then.
    pub async fn delete_expired(&self, now: DateTime<Utc>) -> Result<u64, DbErr> {
        let deleted = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(now))
            .exec(&self.db)
            .await?;
        Ok(deleted.rows_affected)
    }
}

/// When each open session of the account expires (unless used), soonest first.
pub async fn of_account<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, DbErr> {
    Ok(session::Entity::find()
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::ExpiresAt.gt(now))
        .order_by_asc(session::Column::ExpiresAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|session| session.expires_at)
        .collect())
}

/// Ends every session of the account; how many there were.
pub async fn end_of_account<C: ConnectionTrait>(conn: &C, account_id: i64) -> Result<u64, DbErr> {
    let deleted = session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected)
}

fn key(id: &Id) -> String {
    sha256_hex(id.to_string().as_bytes())
}

fn to_chrono(at: OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or_default()
}

fn row_of(record: &Record) -> session_store::Result<session::ActiveModel> {
    let data = serde_json::to_vec(&record.data)
        .map_err(|error| session_store::Error::Encode(error.to_string()))?;
    let account_id = record
        .data
        .get(ACCOUNT_ID_KEY)
        .and_then(serde_json::Value::as_i64);
    Ok(session::ActiveModel {
        id: Set(key(&record.id)),
        data: Set(data),
        expires_at: Set(to_chrono(record.expiry_date)),
        account_id: Set(account_id),
    })
}

/// The query of a session's load: the session `key` unless expired at `now`, its account, the
/// account's payer and the payer's points, a row for each point or one; no `LIMIT` (see
/// `super::unique_row`).
fn load_query(key: String, now: DateTime<Utc>) -> SelectStatement {
    let mut query = session::Entity::find_by_id(key)
        .filter(session::Column::ExpiresAt.gt(now))
        .find_also_related(account::Entity)
        .and_also_related(payer::Entity)
        .into_query();
    points::join_summaries(&mut query, POINT_PREFIX);
    query
}

/// [`load_query`] as a statement; every request runs it.
fn load_statement(backend: DbBackend, key: String, now: DateTime<Utc>) -> Statement {
    static LOAD: BuiltOnce = BuiltOnce::new();
    let values = vec![Value::from(key.clone()), Value::from(now)];
    LOAD.statement(backend, values, || load_query(key, now))
}

/// The points in the rows of a session's load, in the order to show.
fn points_of(rows: &[sea_orm::QueryResult]) -> session_store::Result<Vec<PointSummary>> {
    let points = rows
        .iter()
        .filter_map(|row| PointSummary::from_query_result_optional(row, POINT_PREFIX).transpose())
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    Ok(points::in_order_to_show(points))
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh 128-bit id colliding is not a real risk, but a new one costs nothing.
        while session::Entity::find_by_id(key(&record.id))
            .one(&self.db)
            .await
            .map_err(backend)?
            .is_some()
        {
            record.id = Id::default();
        }
        let row = row_of(record)?;
        session::Entity::insert(row)
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    /// Writes an existing session back, and only an existing one: a request still running
    /// when its session was ended (signed out elsewhere, ended by staff) must not bring it
    /// back by saving what it loaded.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let row = row_of(record)?;
        session::Entity::update_many()
            .set(row)
            .filter(session::Column::Id.eq(key(&record.id)))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let statement = load_statement(self.db.get_database_backend(), key(id), Utc::now());
        let rows = self.db.query_all_raw(statement).await.map_err(backend)?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let row = session::Model::from_query_result(first, SelectA.as_str()).map_err(backend)?;
        let account =
            account::Model::from_query_result_optional(first, SelectB.as_str()).map_err(backend)?;
        let payer =
            payer::Model::from_query_result_optional(first, SelectC.as_str()).map_err(backend)?;
        if let Some(account) = account {
            let points = match &payer {
                Some(payer) => Some((payer.code.clone(), points_of(&rows)?)),
                None => None,
            };
            let _ = LOADED.try_with(|loaded| {
                *loaded.borrow_mut() = Loaded {
                    account: Some((account, payer)),
                    points,
                }
            });
        }
        let data = serde_json::from_slice(&row.data)
            .map_err(|error| session_store::Error::Decode(error.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(|error| session_store::Error::Decode(error.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(key(id))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use sea_orm::DbBackend;

    use super::{load_query, load_statement};

    #[test]
    fn a_load_built_once_is_the_load_built_anew() {
        let earlier = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
        let later = Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).unwrap();
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            for (key, now) in [("first", earlier), ("second", later)] {
                assert_eq!(
                    load_statement(backend, key.into(), now),
                    backend.build(&load_query(key.into(), now)),
                    "{backend:?}, {key}"
                );
            }
        }
    }
}
