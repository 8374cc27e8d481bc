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

/// Shared so that a read can hold it across its `await`s; the lock orders a request's reads
/// if it runs several at once.
type Slot = Arc<Mutex<Option<Held>>>;

tokio::task_local! {
    static SLOT: Slot;
}

/// Runs `request`, its reads on one connection.
pub async fn reading_on_one_connection<F: Future>(request: F) -> F::Output {
    SLOT.scope(Slot::default(), request).await
}

/// Gives the request's connection back to the pool, before the request waits for another to
/// write on.
pub(super) async fn give_back() {
    if let Ok(slot) = SLOT.try_with(Arc::clone) {
        slot.lock().await.take();
    }
}

/// The reads of the running request, if it reads on one connection.
pub(super) struct RequestReads(Slot);

impl RequestReads {
    pub(super) fn of_this_request() -> Option<Self> {
        SLOT.try_with(Arc::clone).ok().map(Self)
    }

    /// The rows of `statement`, a `SELECT`.
    pub(super) async fn all(
        &self,
        pool: &DatabaseConnection,
        statement: Statement,
    ) -> Result<Vec<QueryResult>, DbErr> {
        let mut held = self.0.lock().await;
        let connection = match held.as_mut() {
            Some(connection) => connection,
            None => held.insert(take_from(pool).await?),
        };
        let values = SqlxValues(
            statement
                .values
                .unwrap_or_else(|| sea_orm::Values(Vec::new())),
        );
        let query = AssertSqlSafe(statement.sql.as_str());
        let rows = match connection {
            Held::Sqlite(connection) => sqlx::query_with(query, values)
                .fetch_all(&mut **connection)
                .await
                .map(|rows| rows.into_iter().map(QueryResult::from).collect()),
            Held::Postgres(connection) => sqlx::query_with(query, values)
                .fetch_all(&mut **connection)
                .await
                .map(|rows| rows.into_iter().map(QueryResult::from).collect()),
        };
        query_count::count_query();
        rows.map_err(|error| {
            // The connection may be the cause; the pool's ping, as it goes back, tells.
            held.take();
            DbErr::Query(RuntimeErr::SqlxError(error.into()))
        })
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
        _ => pool
            .get_sqlite_connection_pool()
            .acquire()
            .await
            .map(Held::Sqlite),
    };
    taken.map_err(|error| match error {
        sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
        sqlx::Error::PoolClosed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
        error => DbErr::Conn(RuntimeErr::SqlxError(error.into())),
    })
}
