//! The only place that touches the database: connection, migrations, one file per aggregate.

use std::num::NonZeroU32;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnAcquireErr, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult, SqliteTransactionMode,
    Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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
mod request_reads;
pub mod scheduler;
pub mod services;
pub mod sessions;
pub mod staff;
pub mod submitted_readings;
pub mod throttles;
pub mod tokens;

pub use query_count::counting_queries;
pub use request_reads::reading_on_one_connection;
use request_reads::{RequestReads, Rows};

/// The database: a pool of connections and, on SQLite, the turn to write.
#[derive(Debug, Clone)]
pub struct Db {
    pool: DatabaseConnection,
    turns: WriteTurns,
}

impl Db {
    fn new(pool: DatabaseConnection) -> Self {
        let turns = WriteTurns::for_backend(pool.get_database_backend());
        Self { pool, turns }
    }

    /// Closes the pool's connections.
    pub async fn close(self) -> Result<(), DbErr> {
        self.pool.close().await
    }
}

/// Reads go to the request's connection (`request_reads`) or else straight to the pool; on
/// SQLite, a statement that may write waits its turn.
#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DbBackend {
        self.pool.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        let _turn = self.turn_for(&stmt.sql).await?;
        self.pool.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        let _turn = self.turn_for(sql).await?;
        self.pool.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        if only_reads(&stmt.sql)
            && let Some(reads) = RequestReads::of_this_request()
        {
            let first = reads.query(&self.pool, stmt, Rows::First).await?;
            return Ok(first.into_iter().next());
        }
        let _turn = self.turn_for(&stmt.sql).await?;
        self.pool.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        if only_reads(&stmt.sql)
            && let Some(reads) = RequestReads::of_this_request()
        {
            return reads.query(&self.pool, stmt, Rows::All).await;
        }
        let _turn = self.turn_for(&stmt.sql).await?;
        self.pool.query_all_raw(stmt).await
    }
}

impl Db {
    /// The turn for a statement that may write, none for one that only reads; either goes to
    /// a connection of the pool, so the request's reading connection goes back first.
    async fn turn_for(&self, sql: &str) -> Result<Turn, DbErr> {
        request_reads::give_back().await;
        if only_reads(sql) {
            return Ok(None);
        }
        self.turns.take().await
    }
}

/// How long a writer waits for SQLite's write lock, and for its turn to take it.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The turn to write on SQLite, which lets one writer in at a time. A writer that finds the
/// write lock taken sleeps in SQLite's busy handler, in steps growing to 100 ms, and holds a
/// connection of the pool meanwhile: a burst of writers (a sign-in storm) could hold every
/// connection while pages waited for one. The writers of this process wait here instead,
/// without a connection, and each goes in as soon as the one before it is done. PostgreSQL
/// locks rows, not the database: there every writer goes straight in.
#[derive(Debug, Clone)]
struct WriteTurns(Option<Arc<Semaphore>>);

/// A writer's turn, held until it is dropped.
type Turn = Option<OwnedSemaphorePermit>;

impl WriteTurns {
    fn for_backend(backend: DbBackend) -> Self {
        Self((backend == DbBackend::Sqlite).then(|| Arc::new(Semaphore::new(1))))
    }

    /// The turn; after [`BUSY_TIMEOUT`], the error [`is_busy`] knows.
    async fn take(&self) -> Result<Turn, DbErr> {
        let Some(turns) = &self.0 else {
            return Ok(None);
        };
        match tokio::time::timeout(BUSY_TIMEOUT, turns.clone().acquire_owned()).await {
            Ok(Ok(turn)) => Ok(Some(turn)),
            Ok(Err(_)) => Err(DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed)),
            Err(_) => Err(DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)),
        }
    }
}

/// Whether a statement only reads: a `SELECT`, which may run on the request's reading
/// connection. Anything else (a `WITH` may end in a write, a `PRAGMA` may write) waits its
/// turn, which costs a read only a wait.
fn only_reads(sql: &str) -> bool {
    sql.trim_start()
        .get(..6)
        .is_some_and(|keyword| keyword.eq_ignore_ascii_case("select"))
}

/// Log filter directives that keep the database libraries to warnings.
pub const QUIET_LOGS: &str = "sqlx=warn,sea_orm=warn";

/// A database failure: the name the rest of the code knows it by.
pub type StoreError = DbErr;
/// A write transaction, begun by [`begin_write`]; a use case commits it or drops it (which
/// rolls it back). On SQLite it holds the turn to write until then.
pub struct Tx {
    txn: DatabaseTransaction,
    /// Declared after `txn`, so it is dropped after it: the next writer goes in only once this
    /// transaction has ended.
    _turn: Turn,
}

impl Tx {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Tx {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }
}

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

/// The SQL of a query whose shape never changes, built by SeaORM once per backend; each use
/// binds its own values to it. Building a page's statements (columns, joins, quoting) took
/// a tenth of its CPU, more than SQLite spent running them.
pub(crate) struct BuiltOnce {
    sqlite: OnceLock<String>,
    postgres: OnceLock<String>,
}

impl BuiltOnce {
    pub(crate) const fn new() -> Self {
        Self {
            sqlite: OnceLock::new(),
            postgres: OnceLock::new(),
        }
    }

    /// The statement of `query` with `values`, which must be the values `query` binds, in
    /// its order (checked when the SQL is built, in debug builds).
    pub(crate) fn statement(
        &self,
        backend: DbBackend,
        values: Vec<sea_orm::Value>,
        query: impl FnOnce() -> sea_orm::sea_query::SelectStatement,
    ) -> Statement {
        let cell = match backend {
            DbBackend::Postgres => &self.postgres,
            DbBackend::Sqlite => &self.sqlite,
            // Not a backend the portal runs on: built each time, as SeaORM would.
            _ => return backend.build(&query()),
        };
        let sql = cell.get_or_init(|| {
            let built = backend.build(&query());
            debug_assert_eq!(
                built.values.as_ref().map(|values| &values.0),
                Some(&values),
                "the values a built-once query binds"
            );
            built.sql
        });
        Statement::from_sql_and_values(backend, sql.clone(), values)
    }

    /// The rows of `query` with `values` (as for [`BuiltOnce::statement`]), each decoded by
    /// `S`: `SelectModel<M>` for a model, `SelectTwoModel<M, N>` for a model and another.
    pub(crate) async fn all<S: sea_orm::SelectorTrait, C: ConnectionTrait>(
        &self,
        conn: &C,
        values: Vec<sea_orm::Value>,
        query: impl FnOnce() -> sea_orm::sea_query::SelectStatement,
    ) -> Result<Vec<S::Item>, DbErr> {
        let statement = self.statement(conn.get_database_backend(), values, query);
        conn.query_all_raw(statement)
            .await?
            .into_iter()
            .map(S::from_raw_query_result)
            .collect()
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

/// Connections a pool keeps at most, by engine, unless `database_max_connections` says
/// otherwise: on SQLite each is a thread of its own; on PostgreSQL each is a process of the
/// server, which instances share (docs/performance.md).
pub(crate) fn default_max_connections(url: &DatabaseUrl) -> u32 {
    if url.is_sqlite() { 8 } else { 16 }
}

/// Opens the pool with the engine's default size.
pub async fn connect(url: &DatabaseUrl) -> Result<Db, DbErr> {
    connect_at_most(url, None).await
}

/// Opens the pool, of `max_connections` or else the engine's default. SQLite gets WAL,
/// `synchronous=FULL` (no acknowledged write is lost on power failure), foreign keys and a
/// busy timeout on every connection.
pub async fn connect_at_most(
    url: &DatabaseUrl,
    max_connections: Option<NonZeroU32>,
) -> Result<Db, DbErr> {
    let max_connections =
        max_connections.map_or_else(|| default_max_connections(url), NonZeroU32::get);
    let mut options = ConnectOptions::new(url.expose().to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if url.is_sqlite() {
        // A file's connection cannot drop; sqlx's ping on each checkout would be one more
        // hand-off to the connection's thread per query.
        options.test_before_acquire(false);
        options
            .max_connections(max_connections)
            .map_sqlx_sqlite_opts(|opts| {
                opts.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(BUSY_TIMEOUT)
            });
    } else {
        // A connection is pinged before use only after a second unused: under load none is,
        // and the ping was a round trip more per query; a connection the server or a firewall
        // cut while the portal was quiet is still found and replaced before a page uses it.
        options
            .max_connections(max_connections)
            .test_before_acquire_if_idle_for(Duration::from_secs(1));
    }
    let mut pool = Database::connect(options).await?;
    pool.set_metric_callback(query_count::count);
    Ok(Db::new(pool))
}

/// Brings the schema up to date; safe to run from several instances at once on PostgreSQL
/// only when they start one after another, so `serve` runs it before it listens.
pub async fn migrate(db: &Db) -> Result<(), DbErr> {
    migration::Migrator::up(&db.pool, None).await
}

/// Whether `error` is SQLite's "database is locked": another writer held the write lock (or
/// the turn to take it, or every connection) for longer than the busy timeout.
pub fn is_busy(error: &DbErr) -> bool {
    if matches!(error, DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)) {
        return true;
    }
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

/// Starts a transaction that will write. On SQLite it waits for its turn and takes the write
/// lock at once, so two writers queue instead of failing when a read lock would be upgraded.
pub async fn begin_write(db: &Db) -> Result<Tx, DbErr> {
    begin_write_on(&db.pool, &db.turns).await
}

/// [`begin_write`] on a connection of its own (an import's), in the turn of the pool's writers,
/// for which the request's reading connection goes back.
async fn begin_write_on(connection: &DatabaseConnection, turns: &WriteTurns) -> Result<Tx, DbErr> {
    request_reads::give_back().await;
    let turn = turns.take().await?;
    let txn = connection
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    Ok(Tx { txn, _turn: turn })
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

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use super::{DatabaseUrl, connect, connect_at_most, only_reads};

    fn max_connections(db: &super::Db) -> u32 {
        let pool = db.pool.get_sqlite_connection_pool();
        pool.options().get_max_connections()
    }

    #[tokio::test]
    async fn the_pool_is_as_large_as_set_or_else_the_engines_default() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::new(format!("sqlite://{}", dir.path().join("pool.db").display()));
        assert_eq!(max_connections(&connect(&url).await.unwrap()), 8);
        let three = NonZeroU32::new(3);
        assert_eq!(
            max_connections(&connect_at_most(&url, three).await.unwrap()),
            3
        );
    }

    #[test]
    fn only_a_select_goes_in_without_a_turn() {
        assert!(only_reads("SELECT 1"));
        assert!(only_reads("  select \"id\" FROM \"sessions\""));
        assert!(!only_reads("INSERT INTO audit_events VALUES (1)"));
        assert!(!only_reads(
            "UPDATE counters SET value = value + 1 RETURNING value"
        ));
        assert!(!only_reads(
            "WITH gone AS (DELETE FROM sessions RETURNING id) SELECT 1"
        ));
        assert!(!only_reads("PRAGMA optimize"));
        assert!(!only_reads("SEL"));
        assert!(!only_reads(""));
    }
}
