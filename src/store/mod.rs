//! The only place that touches the database: connection, migrations, one file per aggregate.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::config::DatabaseUrl;

pub mod access_requests;
pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod billing;
pub mod contact_messages;
pub mod control_numbers;
pub mod entity;
pub mod idempotency;
pub mod import_session;
pub mod import_uploads;
pub mod invoices;
pub mod meters;
pub mod migration;
pub mod notices;
pub mod notifications;
pub mod open_items;
pub mod outbox;
pub mod payers;
pub mod personal_data;
pub mod points;
pub mod prices;
mod query_count;
pub mod readings;
pub mod scheduler;
pub mod services;
pub mod sessions;
pub mod staff;
pub mod submitted_readings;
pub mod throttles;
pub mod tokens;

pub use query_count::counting_queries;

pub type Db = DatabaseConnection;
/// Log filter directives that keep the database libraries to warnings.
pub const QUIET_LOGS: &str = "sqlx=warn,sea_orm=warn";

/// A database failure: the name the rest of the code knows it by.
pub type StoreError = DbErr;
/// A write transaction, begun by [`begin_write`]; a use case commits it or drops it.
pub type Tx = DatabaseTransaction;

/// The order of a list: by which of its columns (`K`), which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order<K> {
    pub by: K,
    pub ascending: bool,
}

impl<K> Order<K> {
    fn direction(&self) -> sea_orm::Order {
        if self.ascending {
            sea_orm::Order::Asc
        } else {
            sea_orm::Order::Desc
        }
    }
}

/// The row of a lookup by a unique key, for the queries of every request. SeaORM's `one()`
/// adds `LIMIT ?`, and SQLite plans a statement whose limit is a bound value again on every
/// run (found with a debugger on `sqlite3Reprepare`: 14 % of a page's CPU); a unique key needs
/// no limit, so these run `all()` and take the row.
pub(crate) fn unique_row<T>(rows: Vec<T>) -> Option<T> {
    debug_assert!(rows.len() <= 1, "a lookup by a unique key");
    rows.into_iter().next()
}

/// Opens the pool. SQLite gets WAL, `synchronous=FULL` (no acknowledged write is lost on power
/// failure), foreign keys and a busy timeout on every connection.
pub async fn connect(url: &DatabaseUrl) -> Result<Db, DbErr> {
    let mut options = ConnectOptions::new(url.expose().to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if url.is_sqlite() {
        options.max_connections(8).map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    } else {
        options.max_connections(16);
    }
    let mut db = Database::connect(options).await?;
    db.set_metric_callback(query_count::count);
    Ok(db)
}

/// Brings the schema up to date; safe to run from several instances at once on PostgreSQL
/// only when they start one after another, so `serve` runs it before it listens.
pub async fn migrate(db: &Db) -> Result<(), DbErr> {
    migration::Migrator::up(db, None).await
}

/// Whether `error` is SQLite's "database is locked": another writer held the write lock for
/// longer than the busy timeout.
pub fn is_busy(error: &DbErr) -> bool {
    let (DbErr::Conn(sea_orm::RuntimeErr::SqlxError(sqlx_error))
    | DbErr::Exec(sea_orm::RuntimeErr::SqlxError(sqlx_error))
    | DbErr::Query(sea_orm::RuntimeErr::SqlxError(sqlx_error))) = error
    else {
        return false;
    };
    sqlx_error
        .as_database_error()
        .and_then(sea_orm::sqlx::error::DatabaseError::code)
        .and_then(|code| code.parse::<i32>().ok())
        // The primary result code is the low byte of an extended one; 5 is SQLITE_BUSY.
        .is_some_and(|code| code & 0xff == 5)
}

/// Starts a transaction that will write. On SQLite it takes the write lock at once, so two
/// writers queue on the busy timeout instead of failing when a read lock would be upgraded.
pub async fn begin_write(db: &Db) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// The number a `SELECT CAST(COUNT(*) AS BIGINT) …` query counts, with `$n` placeholders.
pub(crate) async fn count<C: ConnectionTrait>(
    conn: &C,
    sql: String,
    values: Vec<sea_orm::Value>,
) -> Result<u64, DbErr> {
    let statement =
        sea_orm::Statement::from_sql_and_values(conn.get_database_backend(), sql, values);
    let row = conn.query_one_raw(statement).await?;
    let count: i64 = match row {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Answers whether the database takes queries (for `/readyz`).
pub async fn ping(db: &Db) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}
