//! A request's reads on one connection. A query on the pool takes a connection and gives it
//! back, and sqlx pings every connection as it goes back (a hand-off to SQLite's connection
//! thread, a round trip to PostgreSQL), which cannot be turned off: a page of four queries paid
//! four pings. Within [`reading_on_one_connection`], the first read takes a connection and the
//! request's later reads use it too. It goes back when the request is done, or before the
//! request writes, so that a request never waits for a connection while it holds one.

use std::sync::Arc;

use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::{self, AssertSqlSafe, Postgres, Sqlite};
use sea_orm::{
    ConnAcquireErr, DatabaseConnection, DbBackend, DbErr, QueryResult, RuntimeErr, Statement,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Mutex;

use super::query_count;

/// The connection a request reads on, once it has read.
enum Held {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// Shared so that a read can hold it across its `await`s.
type Slot = Arc<Mutex<Option<Held>>>;

tokio::task_local! {
    static SLOT: Slot;
}

/// Runs `request`, its reads on one connection.
pub async fn reading_on_one_connection<F: Future>(request: F) -> F::Output {
    SLOT.scope(Slot::default(), request).await
}

/// Gives the request's connection back to the pool: before the request waits for another
/// connection, or for anything a connection of the pool may be waiting for.
pub(super) async fn give_back() {
    if let Ok(slot) = SLOT.try_with(Arc::clone) {
        slot.lock().await.take();
    }
}

/// The `rows` of the query `sql` with `values` on `connection`: written once for both engines,
/// whose connections, queries and rows are different types.
macro_rules! fetch {
    ($connection:expr, $sql:expr, $values:expr, $rows:expr) => {{
        let query = sqlx::query_with($sql, $values);
        match $rows {
            Rows::All => query
                .fetch_all(&mut **$connection)
                .await
                .map(|found| found.into_iter().map(QueryResult::from).collect()),
            Rows::First => query
                .fetch_optional(&mut **$connection)
                .await
                .map(|found| found.into_iter().map(QueryResult::from).collect()),
        }
    }};
}

/// The reads of the running request, if it reads on one connection.
pub(super) struct RequestReads(Slot);

/// How many of a query's rows a caller takes.
pub(super) enum Rows {
    All,
    /// The first, as SeaORM's `query_one` fetches it.
    First,
}

impl RequestReads {
    pub(super) fn of_this_request() -> Option<Self> {
        SLOT.try_with(Arc::clone).ok().map(Self)
    }

    /// The rows of `statement`, a `SELECT`, on the request's connection.
    pub(super) async fn query(
        &self,
        pool: &DatabaseConnection,
        statement: Statement,
        rows: Rows,
    ) -> Result<Vec<QueryResult>, DbErr> {
        // The lock orders the request's reads; the connection is out of the slot while it
        // answers, so a read cancelled half-way drops it, and the pool checks it, rather than
        // leave it to the next read.
        let mut held = self.0.lock().await;
        let mut connection = match held.take() {
            Some(connection) => connection,
            None => take_from(pool).await?,
        };
        let values = SqlxValues(
            statement
                .values
                .unwrap_or_else(|| sea_orm::Values(Vec::new())),
        );
        let sql = AssertSqlSafe(statement.sql.as_str());
        let found: Result<Vec<QueryResult>, sqlx::Error> = match &mut connection {
            Held::Sqlite(connection) => fetch!(connection, sql, values, rows),
            Held::Postgres(connection) => fetch!(connection, sql, values, rows),
        };
        query_count::count_query();
        match found {
            Ok(found) => {
                *held = Some(connection);
                Ok(found)
            }
            // The connection may be the cause: back to the pool, whose ping tells.
            Err(error) => Err(DbErr::Query(RuntimeErr::SqlxError(error.into()))),
        }
    }
}

/// A connection of the pool, with the errors SeaORM gives when it cannot take one.
async fn take_from(pool: &DatabaseConnection) -> Result<Held, DbErr> {
    let taken = match pool.get_database_backend() {
        DbBackend::Postgres => pool
            .get_postgres_connection_pool()
            .acquire()
            .await
            .map(Held::Postgres),
        DbBackend::Sqlite => pool
            .get_sqlite_connection_pool()
            .acquire()
            .await
            .map(Held::Sqlite),
        other => {
            return Err(DbErr::Custom(format!(
                "{other:?} is not a database the portal runs on"
            )));
        }
    };
    taken.map_err(|error| match error {
        sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
        sqlx::Error::PoolClosed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
        error => DbErr::Conn(RuntimeErr::SqlxError(error.into())),
    })
}
