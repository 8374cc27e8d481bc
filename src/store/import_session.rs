//! Billing files staged on a connection of their own: each file's rows are loaded into a
//! table of the import's own (temporary on SQLite, unlogged on PostgreSQL), checked and
//! compared with the stored rows there, where the portal never waits on them, and only what
//! differs is written, in one short transaction. (An upload's files are compared in its
//! transaction, each after the files before it are written.)

use std::hash::BuildHasher;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt};
use sea_orm::sqlx::AssertSqlSafe;
use sea_orm::sqlx::pool::{Pool, PoolConnection, PoolOptions};
use sea_orm::sqlx::postgres::{PgCopyIn, PgPoolCopyExt};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ColumnType, ConnectionTrait, DatabaseConnection, DbBackend,
    DbErr, EntityTrait, IdenStatic, Iterable, PrimaryKeyToColumn, QueryResult, SqlErr,
    SqlxPostgresConnector, SqlxSqliteConnector, Statement, Value,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::{Semaphore, SemaphorePermit};

use super::billing::{Changes, IMPORT_LOCK};
use super::{Db, Tx, WriteTurns, begin_write_on};
use crate::domain::dates;
use crate::import::Reference;

/// A connection of an import's own. Its temporary tables live as long as it does; closing
/// it drops them, and PostgreSQL's lock with them.
///
/// PostgreSQL stages a file's rows, and keeps those that differ, in unlogged tables instead,
/// named with the connection's process id: the server compares and checks them in parallel,
/// which it never does with a temporary table (the invoice lines' comparison took 4.2 s
/// alone, 1.8 s with two workers). Closing the session drops its stages; the next import
/// drops those of a session that ended without closing.
pub struct ImportSession {
    connection: DatabaseConnection,
    /// PostgreSQL's process id of the connection, in the names of its stage tables.
    process: Option<i32>,
    /// The turn to write of the pool the session was opened from: the import's transaction
    /// takes it, so the portal's writers wait for the import without holding a connection.
    turns: WriteTurns,
    /// Stages made so far, which number their tables (an upload may hold two files of a kind).
    stages: AtomicUsize,
    _slot: SemaphorePermit<'static>,
}

/// Import connections open at once in this process, beyond the pool: a burst of API upserts
/// queues here instead of taking all the database server's connections.
static IMPORT_SESSIONS: Semaphore = Semaphore::const_new(4);

impl ImportSession {
    /// A connection with `db`'s settings, once one of the process's import slots is free.
    pub async fn open(db: &Db) -> Result<ImportSession, DbErr> {
        // An import (a preview's too) may wait here for others, holding no connection of the
        // pool meanwhile.
        super::request_reads::give_back().await;
        let slot = IMPORT_SESSIONS
            .acquire()
            .await
            .map_err(|error| DbErr::Custom(error.to_string()))?;
        let pool = &db.pool;
        let connection = match db.get_database_backend() {
            DbBackend::Postgres => SqlxPostgresConnector::from_sqlx_postgres_pool(
                one_connection((*pool.get_postgres_connection_pool().connect_options()).clone())
                    .await?,
            ),
            // The stage checks a file's references at once, before anything is written
            // (m0014): SQLite need not look each one up again as it writes the row.
            _ => SqlxSqliteConnector::from_sqlx_sqlite_pool(
                one_connection(
                    (*pool.get_sqlite_connection_pool().connect_options())
                        .clone()
                        .foreign_keys(false),
                )
                .await?,
            ),
        };
        let process = match connection.get_database_backend() {
            DbBackend::Postgres => Some(start_postgres_session(&connection).await?),
            _ => None,
        };
        Ok(ImportSession {
            connection,
            process,
            turns: db.turns.clone(),
            stages: AtomicUsize::new(0),
            _slot: slot,
        })
    }

    /// Before an import that will write compares its rows: on PostgreSQL, waits until no
    /// other import holds the import lock (released when this connection closes), so two
    /// imports do not compare against the same rows. SQLite lets one writer in at a time,
    /// and [`Stage::apply`] compares again if another import was applied meanwhile.
    pub async fn wait_for_other_imports(&self) -> Result<(), DbErr> {
        if self.backend() == DbBackend::Postgres {
            self.connection
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT pg_advisory_lock($1)",
                    [IMPORT_LOCK.into()],
                ))
                .await?;
        }
        Ok(())
    }

    /// The kind of table a stage and its changed rows are: PostgreSQL's unlogged ones, which
    /// its parallel workers can read (temporary ones they cannot; the invoice lines' check
    /// for unknown invoices took 1.9 s in a temporary table, 0.9 s in an unlogged one).
    fn table_kind(&self) -> &'static str {
        if self.process.is_some() {
            "UNLOGGED"
        } else {
            "TEMPORARY"
        }
    }

    fn backend(&self) -> DbBackend {
        self.connection.get_database_backend()
    }

    /// The transaction the difference is applied in.
    pub async fn begin_write(&self) -> Result<Tx, DbErr> {
        begin_write_on(&self.connection, &self.turns).await
    }

    /// Closes the connection, dropping its stages and releasing its lock.
    pub async fn close(self) {
        if let Some(process) = self.process
            && let Err(error) = drop_stages(&self.connection, StagesOf::Process(process)).await
        {
            tracing::warn!(%error, "dropping an import's stage tables failed");
        }
        if let Err(error) = self.connection.close().await {
            tracing::warn!(%error, "closing an import's connection failed");
        }
    }

    /// An empty table of the session's own (`table_kind`) for the rows of one file to be
    /// stored in `E`'s table; the file has `lines` lines or fewer.
    pub async fn stage<E: Staged>(&self, lines: u64) -> Result<Stage<'_, E>, DbErr> {
        let number = self.stages.fetch_add(1, Ordering::Relaxed);
        let entity = E::default().table_name();
        let (table, changed) = match self.process {
            Some(process) => (
                format!("{STAGE_PREFIX}{process}_{entity}_{number}"),
                format!("{STAGE_PREFIX}{process}_changed_{entity}_{number}"),
            ),
            None => (
                format!("stage_{entity}_{number}"),
                format!("changed_{entity}_{number}"),
            ),
        };
        let stage = Stage {
            session: self,
            number,
            table,
            changed,
            rows: 0,
            keys: KeysSeen::new(lines),
            copy: None,
            inserts: None,
            compared_at: None,
            changed_is_view: AtomicBool::new(false),
            entity: PhantomData,
        };
        let columns = column_list::<E>(Some("t"));
        // A row's members arrive with it as a JSON array, spread out once all are in.
        let members = if E::MEMBERS.is_some() {
            ", CAST(NULL AS TEXT) AS members"
        } else {
            ""
        };
        self.run(&format!(
            "CREATE {kind} TABLE {} AS SELECT CAST(0 AS BIGINT) AS line, {columns}{members} \
             FROM {} t WHERE 1 = 0",
            stage.table,
            quoted(entity),
            kind = self.table_kind(),
        ))
        .await?;
        Ok(stage)
    }

    async fn run(&self, sql: &str) -> Result<(), DbErr> {
        self.connection.execute_unprepared(sql).await.map(|_| ())
    }

    async fn query(&self, sql: String) -> Result<Vec<QueryResult>, DbErr> {
        self.connection
            .query_all_raw(Statement::from_string(self.backend(), sql))
            .await
    }
}

/// The column of a billing table that says when a row was last written.
const UPDATED_AT: &str = "updated_at";

/// A billing table that files are imported into: every column but the time a row was last
/// written is the file's, and the primary key is the file's key. Its rows are staged from
/// active models, whose values can be taken rather than copied.
pub trait Staged: EntityTrait<ActiveModel: From<<Self as EntityTrait>::Model>> + Default {
    /// The columns that name a row of another table, which must exist.
    const REFERENCES: &'static [Mention];
    /// The rows of another table that belong to each row, given with it.
    const MEMBERS: Option<Members> = None;
}

/// Rows of another table that belong to a row and are replaced with it: a point's services.
/// Each is a pair of the owner's key and a member's key.
#[derive(Clone, Copy)]
pub struct Members {
    pub table: &'static str,
    pub owner: &'static str,
    pub member: &'static str,
    /// The file's column that lists them, and what they name.
    pub mention: Mention,
}

/// A row of a file to stage: the line it is on, the row, and its members if its table has
/// them.
pub struct StagedRow<M> {
    pub line: u64,
    pub model: M,
    pub members: Vec<String>,
}

/// A column that names a row of another table.
#[derive(Clone, Copy)]
pub struct Mention {
    pub column: &'static str,
    pub what: Reference,
    pub table: &'static str,
    pub key: &'static str,
}

/// A key that the file has more than once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub line: u64,
    pub first_line: u64,
    /// The key's values, dates as people write them, joined by " / ".
    pub key: String,
}

/// A row that names something the database does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub line: u64,
    pub column: &'static str,
    pub what: Reference,
    pub key: String,
}

/// Problems reported per file: enough for anyone to see what is wrong, and bounded.
pub const MAX_PROBLEMS: u64 = 10_000;

/// The rows of one file, staged in a table of the import's connection.
pub struct Stage<'s, E: Staged> {
    session: &'s ImportSession,
    /// Which of the session's stages: its tables' names end in it.
    number: usize,
    table: String,
    changed: String,
    rows: usize,
    keys: KeysSeen,
    /// PostgreSQL's bulk load into the table, open while rows arrive.
    copy: Option<PgCopyIn<PoolConnection<sea_orm::sqlx::Postgres>>>,
    /// SQLite's connection for the multi-row INSERTs, held while rows arrive: the pool pings a
    /// connection as it hands it out and as it takes it back, a round trip to its thread each,
    /// and a batch would wait for them rather than be written while the next is prepared.
    inserts: Option<PoolConnection<sea_orm::sqlx::Sqlite>>,
    /// The import history's newest run when the rows were compared.
    compared_at: Option<i64>,
    /// Whether the new and changed rows are a view of the staged ones: all of them, when
    /// the table was empty.
    changed_is_view: AtomicBool,
    entity: PhantomData<E>,
}

impl<E: Staged> Stage<'_, E> {
    /// The temporary table of the members the file gives.
    fn staged_members(&self, members: Members) -> String {
        format!("stage_{}_{}", members.table, self.number)
    }

    /// The temporary table of the owners whose members changed.
    fn changed_members(&self, members: Members) -> String {
        format!("changed_{}_{}", members.table, self.number)
    }

    /// Stages the rows of `batches`, each with the line of the file it came from. Each batch
    /// is prepared (its values taken out of its rows, its keys noted) while the one before it
    /// is written: the writing is PostgreSQL's, or the SQLite connection's thread's, once the
    /// batch is handed over.
    pub async fn insert_all(
        &mut self,
        batches: impl Stream<Item = Vec<StagedRow<E::Model>>>,
    ) -> Result<(), DbErr> {
        let Stage {
            session,
            table,
            rows,
            keys,
            copy,
            inserts,
            ..
        } = self;
        let session: &ImportSession = session;
        let backend = session.backend();
        let mut batches = std::pin::pin!(batches);
        let mut to_write = None;
        loop {
            let preparing = async {
                match batches.next().await {
                    Some(batch) => prepare_batch::<E>(backend, keys, batch).map(Some),
                    None => Ok(None),
                }
            };
            let (written, prepared) = match to_write.take() {
                Some(batch) => {
                    tokio::join!(
                        write_batch::<E>(session, table, copy, inserts, batch),
                        preparing
                    )
                }
                None => (Ok(()), preparing.await),
            };
            written?;
            match prepared? {
                Some(batch) => {
                    *rows += batch.rows;
                    to_write = Some(batch);
                }
                None => return Ok(()),
            }
        }
    }

    /// Rows staged.
    pub fn staged_rows(&self) -> usize {
        self.rows
    }

    /// Ends a loading that will not be finished (the file was refused half-way), so that the
    /// connection stays usable.
    pub async fn abandon(&mut self) -> Result<(), DbErr> {
        self.inserts = None;
        if let Some(copy) = self.copy.take() {
            copy.abort("the file was refused")
                .await
                .map_err(execution_error)?;
        }
        Ok(())
    }

    /// Ends the loading once every row is in.
    pub async fn loaded(&mut self) -> Result<(), DbErr> {
        // SQLite's held connection goes back to the session's pool.
        self.inserts = None;
        if let Some(mut copy) = self.copy.take() {
            copy.send(COPY_BINARY_TRAILER)
                .await
                .map_err(execution_error)?;
            copy.finish().await.map_err(execution_error)?;
        }
        let Some(members) = E::MEMBERS else {
            return Ok(());
        };
        let owner = key_columns::<E>().join(", ");
        let spread = match self.session.backend() {
            DbBackend::Postgres => "json_array_elements_text(CAST(s.members AS json)) AS j(value)",
            _ => "json_each(s.members) AS j",
        };
        self.session
            .run(&format!(
                "CREATE TEMPORARY TABLE {staged_members} AS \
                 SELECT s.line, s.{owner} AS owner, CAST(j.value AS TEXT) AS member \
                 FROM {stage} s, {spread}",
                staged_members = self.staged_members(members),
                stage = self.table,
            ))
            .await
    }

    /// The lines whose key an earlier line already had (the first [`MAX_PROBLEMS`]).
    pub async fn duplicates(&self) -> Result<Vec<Duplicate>, DbErr> {
        let table = &self.table;
        if self.session.backend() == DbBackend::Postgres {
            // Autovacuum has not analysed the stage yet, if it ever would before the import
            // ends; the comparison is planned on these figures.
            self.session.run(&format!("ANALYZE {table}")).await?;
        }
        // The usual file has each key once: the keys' filter tells, or one pass over the
        // rows, and only a file with a key twice is searched for each line that repeats one.
        let looked_up = self.keys.maybe_twice.as_ref().map(Vec::len);
        tracing::debug!(table, ?looked_up, "import: keys the filter may have seen");
        let unique = match &self.keys.maybe_twice {
            Some(keys) if keys.is_empty() => true,
            Some(keys) => !self.any_twice(keys).await?,
            None => self.each_key_once().await?,
        };
        if unique {
            return Ok(Vec::new());
        }
        let key = key_columns::<E>();
        let join = key
            .iter()
            .map(|column| format!("s.{column} = f.{column}"))
            .collect::<Vec<_>>()
            .join(" AND ");
        let texts = key
            .iter()
            .map(|column| format!("CAST(s.{column} AS TEXT)"))
            .collect::<Vec<_>>()
            .join(", ");
        let key = key.join(", ");
        let sql = format!(
            "SELECT s.line, f.first_line, {texts} FROM {table} s \
             JOIN (SELECT {key}, MIN(line) AS first_line FROM {table} GROUP BY {key} \
                   HAVING COUNT(*) > 1) f ON {join} \
             WHERE s.line > f.first_line ORDER BY s.line LIMIT {MAX_PROBLEMS}",
            table = self.table,
        );
        let mut duplicates = Vec::new();
        for row in self.session.query(sql).await? {
            let parts = E::PrimaryKey::iter()
                .enumerate()
                .map(|(index, key)| {
                    let part: String = row.try_get_by_index(index + 2)?;
                    Ok(match key.into_column().def().get_column_type() {
                        ColumnType::Date => readable_date(part),
                        _ => part,
                    })
                })
                .collect::<Result<Vec<_>, DbErr>>()?;
            duplicates.push(Duplicate {
                line: line_of(&row, 0)?,
                first_line: line_of(&row, 1)?,
                key: parts.join(" / "),
            });
        }
        Ok(duplicates)
    }

    /// Whether the staged rows have each key once, in one pass over them all.
    async fn each_key_once(&self) -> Result<bool, DbErr> {
        let key = key_columns::<E>().join(", ");
        let table = &self.table;
        match self.session.backend() {
            // A hash join needs no index.
            DbBackend::Postgres => {
                let repeated =
                    format!("SELECT 1 FROM {table} GROUP BY {key} HAVING COUNT(*) > 1 LIMIT 1");
                Ok(self.session.query(repeated).await?.is_empty())
            }
            // Building a unique index stops at the first key twice.
            _ => match self
                .session
                .run(&format!(
                    "CREATE UNIQUE INDEX {table}_key ON {table} ({key})"
                ))
                .await
            {
                Ok(()) => Ok(true),
                Err(error)
                    if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
                {
                    Ok(false)
                }
                Err(error) => Err(error),
            },
        }
    }

    /// Whether any of `keys` is staged more than once.
    async fn any_twice(&self, keys: &[Vec<Value>]) -> Result<bool, DbErr> {
        let backend = self.session.backend();
        let key = key_columns::<E>().join(", ");
        let mut values = Vec::new();
        let mut rows = Vec::with_capacity(keys.len());
        for key_values in keys {
            let row = key_values
                .iter()
                .map(|value| {
                    values.push(value.clone());
                    placeholder(backend, values.len())
                })
                .collect::<Vec<_>>()
                .join(", ");
            rows.push(format!("({row})"));
        }
        let sql = format!(
            "SELECT 1 FROM {table} WHERE ({key}) IN (VALUES {rows}) \
             GROUP BY {key} HAVING COUNT(*) > 1 LIMIT 1",
            table = self.table,
            rows = rows.join(", "),
        );
        let repeated = self
            .session
            .connection
            .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        Ok(repeated.is_some())
    }

    /// Compares the staged rows with the stored ones and keeps those that are new or differ
    /// in a table of their own: what [`Stage::apply`] writes.
    pub async fn compare(&mut self) -> Result<Changes, DbErr> {
        let session = self.session;
        self.compare_then_keep(&session.connection).await
    }

    /// [`Stage::compare`] in `txn`, which may hold earlier files of the same upload.
    pub async fn compare_in(&mut self, txn: &Tx) -> Result<Changes, DbErr> {
        self.compare_then_keep(txn).await
    }

    async fn compare_then_keep<C: ConnectionTrait>(&mut self, conn: &C) -> Result<Changes, DbErr> {
        let generation = newest_run(conn, E::default().table_name()).await?;
        let changes = self.compare_on(conn).await?;
        self.compared_at = Some(generation);
        Ok(changes)
    }

    async fn compare_on<C: ConnectionTrait>(&self, conn: &C) -> Result<Changes, DbErr> {
        let backend = conn.get_database_backend();
        let key = key_columns::<E>();
        let join = key
            .iter()
            .map(|column| format!("t.{column} = s.{column}"))
            .collect::<Vec<_>>()
            .join(" AND ");
        let differs = value_columns::<E>()
            .iter()
            .map(|column| match backend {
                DbBackend::Postgres => format!(" OR t.{column} IS DISTINCT FROM s.{column}"),
                _ => format!(" OR t.{column} IS NOT s.{column}"),
            })
            .collect::<String>();
        let absent = format!("t.{} IS NULL", key[0]);
        let target = quoted(E::default().table_name());
        let was_view = self.changed_is_view.swap(false, Ordering::Relaxed);
        conn.execute_unprepared(&format!(
            "DROP {} IF EXISTS {}",
            if was_view { "VIEW" } else { "TABLE" },
            self.changed
        ))
        .await?;
        let target_is_empty = conn
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT 1 FROM {target} LIMIT 1"),
            ))
            .await?
            .is_none();
        let (changed, inserted) = if target_is_empty {
            // A table's first file: every row is new. Copying millions of them into a table
            // of their own took seconds; the view reads them where they are staged.
            conn.execute_unprepared(&format!(
                "CREATE TEMPORARY VIEW {changed} AS SELECT line, {columns}, 1 AS is_new \
                 FROM {stage}",
                changed = self.changed,
                columns = column_list::<E>(None),
                stage = self.table,
            ))
            .await?;
            self.changed_is_view.store(true, Ordering::Relaxed);
            (self.rows, self.rows)
        } else {
            conn.execute_unprepared(&format!(
                "CREATE {kind} TABLE {changed} AS \
                 SELECT s.line, {columns}, CASE WHEN {absent} THEN 1 ELSE 0 END AS is_new \
                 FROM {stage} s LEFT JOIN {target} t ON {join} WHERE {absent}{differs}",
                kind = self.session.table_kind(),
                changed = self.changed,
                columns = column_list::<E>(Some("s")),
                stage = self.table,
            ))
            .await?;
            let counts = conn
                .query_one_raw(Statement::from_string(
                    backend,
                    format!(
                        "SELECT CAST(COUNT(*) AS BIGINT), \
                         CAST(COALESCE(SUM(is_new), 0) AS BIGINT) FROM {}",
                        self.changed
                    ),
                ))
                .await?
                .ok_or_else(|| DbErr::RecordNotFound("counts".into()))?;
            (count_of(&counts, 0)?, count_of(&counts, 1)?)
        };
        // Rows the same but for their members are changed too.
        let members_only = match E::MEMBERS {
            Some(members) => self.compare_members(conn, members).await?,
            None => 0,
        };
        Ok(Changes {
            inserted,
            updated: changed - inserted + members_only,
            unchanged: self.rows - changed - members_only,
            deleted: 0,
        })
    }

    /// Keeps the owners whose members differ from the stored ones; how many of them are
    /// otherwise unchanged.
    async fn compare_members<C: ConnectionTrait>(
        &self,
        conn: &C,
        members: Members,
    ) -> Result<usize, DbErr> {
        let staged = self.staged_members(members);
        let changed = self.changed_members(members);
        let owner_key = key_columns::<E>().join(", ");
        let stored = format!(
            "SELECT m.{owner} AS owner, m.{member} AS member FROM {table} m \
             JOIN {stage} s ON s.{owner_key} = m.{owner}",
            owner = quoted(members.owner),
            member = quoted(members.member),
            table = quoted(members.table),
            stage = self.table,
        );
        conn.execute_unprepared(&format!("DROP TABLE IF EXISTS {changed}"))
            .await?;
        conn.execute_unprepared(&format!(
            "CREATE TEMPORARY TABLE {changed} AS \
             SELECT owner FROM (SELECT owner, member FROM {staged} EXCEPT {stored}) added \
             UNION \
             SELECT owner FROM ({stored} EXCEPT SELECT owner, member FROM {staged}) removed"
        ))
        .await?;
        let count = conn
            .query_one_raw(Statement::from_string(
                conn.get_database_backend(),
                format!(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM {changed} \
                     WHERE owner NOT IN (SELECT {owner_key} FROM {rows})",
                    rows = self.changed,
                ),
            ))
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("counts".into()))?;
        count_of(&count, 0)
    }

    /// The new or changed rows that name a row of another table the database lacks (the
    /// first [`MAX_PROBLEMS`]). Unchanged rows are stored, so what they name exists.
    pub async fn unknown_references(&self) -> Result<Vec<Unknown>, DbErr> {
        self.unknown_references_on(&self.session.connection).await
    }

    /// [`Stage::unknown_references`] in `txn`, which may hold earlier files of the same upload.
    pub async fn unknown_references_in(&self, txn: &Tx) -> Result<Vec<Unknown>, DbErr> {
        self.unknown_references_on(txn).await
    }

    async fn unknown_references_on<C: ConnectionTrait>(
        &self,
        conn: &C,
    ) -> Result<Vec<Unknown>, DbErr> {
        let mut unknown = Vec::new();
        for mention in E::REFERENCES {
            let column = quoted(mention.column);
            unknown.extend(
                self.unknown_in(conn, &self.changed, &column, *mention)
                    .await?,
            );
        }
        if let Some(members) = E::MEMBERS {
            let staged = self.staged_members(members);
            unknown.extend(
                self.unknown_in(conn, &staged, "member", members.mention)
                    .await?,
            );
        }
        // By line, each line's columns in the order of the file's kind.
        unknown.sort_by_key(|unknown| unknown.line);
        unknown.truncate(MAX_PROBLEMS as usize);
        Ok(unknown)
    }

    /// The lines of the staged `rows` whose `column` names nothing in `mention`'s table.
    async fn unknown_in<C: ConnectionTrait>(
        &self,
        conn: &C,
        rows: &str,
        column: &str,
        mention: Mention,
    ) -> Result<Vec<Unknown>, DbErr> {
        let sql = format!(
            "SELECT c.line, CAST(c.{column} AS TEXT) FROM {rows} c \
             WHERE c.{column} IS NOT NULL AND NOT EXISTS \
             (SELECT 1 FROM {table} r WHERE r.{key} = c.{column}) \
             ORDER BY c.line LIMIT {MAX_PROBLEMS}",
            table = quoted(mention.table),
            key = quoted(mention.key),
        );
        let mut unknown = Vec::new();
        let found = conn
            .query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
            .await?;
        for row in found {
            unknown.push(Unknown {
                line: line_of(&row, 0)?,
                column: mention.column,
                what: mention.what,
                key: row.try_get_by_index(1)?,
            });
        }
        Ok(unknown)
    }

    /// Writes the new and changed rows in `txn`, the import's write transaction. When another
    /// import was applied since [`Stage::compare`], compares again first, in `txn`, so the
    /// counts are exact; returns them.
    pub async fn apply(
        &self,
        txn: &Tx,
        compared: Changes,
        now: DateTime<Utc>,
    ) -> Result<Changes, DbErr> {
        let newest = newest_run(txn, E::default().table_name()).await?;
        let changes = if self.compared_at == Some(newest) {
            compared
        } else {
            self.compare_on(txn).await?
        };
        if changes.inserted + changes.updated == 0 {
            return Ok(changes);
        }
        let updates = value_columns::<E>()
            .iter()
            .chain([&quoted(UPDATED_AT)])
            .map(|column| format!("{column} = excluded.{column}"))
            .collect::<Vec<_>>()
            .join(", ");
        let insert = format!(
            "INSERT INTO {target} ({columns}, {updated_at}) SELECT {columns}, {placeholder} \
             FROM {changed}",
            target = quoted(E::default().table_name()),
            columns = column_list::<E>(None),
            updated_at = quoted(UPDATED_AT),
            placeholder = placeholder(txn.get_database_backend(), 1),
            changed = self.changed,
        );
        let backend = txn.get_database_backend();
        // The new rows plainly: no other import writes between the comparison and here (the
        // import lock, or SQLite's one writer and the comparison above), and PostgreSQL
        // spent 60 % longer on an upsert's trial insertion of each row.
        if changes.inserted > 0 {
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                format!("{insert} WHERE is_new = 1"),
                [Value::from(now)],
            ))
            .await?;
        }
        if changes.updated > 0 {
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                format!(
                    "{insert} WHERE is_new = 0 ON CONFLICT ({key}) DO UPDATE SET {updates}",
                    key = key_columns::<E>().join(", "),
                ),
                [Value::from(now)],
            ))
            .await?;
        }
        if let Some(members) = E::MEMBERS {
            // After the rows, which the members' table refers to.
            let changed = self.changed_members(members);
            txn.execute_unprepared(&format!(
                "DELETE FROM {table} WHERE {owner} IN (SELECT owner FROM {changed})",
                table = quoted(members.table),
                owner = quoted(members.owner),
            ))
            .await?;
            txn.execute_unprepared(&format!(
                "INSERT INTO {table} ({owner}, {member}) SELECT owner, member FROM {staged} \
                 WHERE owner IN (SELECT owner FROM {changed})",
                table = quoted(members.table),
                owner = quoted(members.owner),
                member = quoted(members.member),
                staged = self.staged_members(members),
            ))
            .await?;
        }
        Ok(changes)
    }
}

/// The keys of a file's rows as they are staged, in a Bloom filter of bounded size. When the
/// filter has seen none of them before, each is there once, and the database need not go
/// through every staged row to find a key twice; the keys it may have seen (a key twice, or a
/// false alarm) are looked up alone (docs/decisions.md, "Keys twice").
struct KeysSeen {
    filter: SplitBlockFilter,
    /// The keys the filter may have seen before, up to [`MAX_KEYS_TO_LOOK_UP`]; `None` past
    /// that, and the database goes through every row.
    maybe_twice: Option<Vec<Vec<Value>>>,
}

/// Keys looked up alone at most: up to 24,000 values bound to one statement (SQLite takes
/// 32,766).
const MAX_KEYS_TO_LOOK_UP: usize = 8_000;

impl KeysSeen {
    /// A filter for the keys of up to `lines` rows: 32 bits a row (a handful of false alarms
    /// in millions of rows), 16 MiB at most.
    fn new(lines: u64) -> KeysSeen {
        const MIN_BITS: u64 = 1 << 10;
        const MAX_BITS: u64 = 1 << 27;
        let bits = lines.saturating_mul(32).clamp(MIN_BITS, MAX_BITS);
        KeysSeen {
            filter: SplitBlockFilter::with_bits(bits),
            maybe_twice: Some(Vec::new()),
        }
    }

    fn add(&mut self, key: &[Value]) {
        let hash = foldhash::fast::FixedState::with_seed(0).hash_one(key);
        if !self.filter.insert(hash) {
            return;
        }
        if let Some(keys) = &mut self.maybe_twice {
            if keys.len() < MAX_KEYS_TO_LOOK_UP {
                keys.push(key.to_vec());
            } else {
                self.maybe_twice = None;
            }
        }
    }
}

/// A split-block Bloom filter, Parquet's layout: a key sets one bit in each of the eight
/// words of one 32-byte block, so it costs one cache miss where a classic filter's costs one
/// a bit (fastbloom's two misses a key were a tenth of the import's own time). The crate
/// `sbbf-rs-safe` has this layout, but its SSE path tests a block's first half after setting it.
struct SplitBlockFilter {
    blocks: Vec<Block>,
}

#[derive(Clone, Copy)]
#[repr(align(32))]
struct Block([u32; 8]);

impl SplitBlockFilter {
    /// Odd constants that spread a hash's low 32 bits over the eight words (Parquet's).
    const SALT: [u32; 8] = [
        0x47b6_137b,
        0x4497_4d91,
        0x8824_ad5b,
        0xa2b7_289d,
        0x7054_95c7,
        0x2df1_424b,
        0x9efc_4947,
        0x5c6b_fb31,
    ];

    fn with_bits(bits: u64) -> SplitBlockFilter {
        let blocks = usize::try_from(bits / 256).unwrap_or(usize::MAX).max(1);
        SplitBlockFilter {
            blocks: vec![Block([0; 8]); blocks],
        }
    }

    /// Adds the key of `hash`; whether it may have been added before.
    fn insert(&mut self, hash: u64) -> bool {
        // The high 32 bits pick the block (Lemire's reduction), the low 32 its eight bits.
        let blocks = self.blocks.len() as u64;
        let index = usize::try_from(((hash >> 32) * blocks) >> 32).unwrap_or_default();
        let Block(words) = &mut self.blocks[index];
        let key = hash as u32;
        let mut seen = true;
        for (word, salt) in words.iter_mut().zip(Self::SALT) {
            let bit = 1 << (key.wrapping_mul(salt) >> 27);
            seen &= *word & bit != 0;
            *word |= bit;
        }
        seen
    }
}

/// A batch of rows prepared for a stage's table: PostgreSQL's binary COPY data, or the
/// values of SQLite's multi-row INSERT.
struct Batch {
    rows: usize,
    form: BatchForm,
}

enum BatchForm {
    CopyData(Vec<u8>),
    Values(Vec<Value>),
}

/// `batch` prepared for a stage of `E`'s rows on `backend`, its keys added to `keys`. The
/// values are taken out of the rows, not copied: a file brings millions of strings.
fn prepare_batch<E: Staged>(
    backend: DbBackend,
    keys: &mut KeysSeen,
    batch: Vec<StagedRow<E::Model>>,
) -> Result<Batch, DbErr> {
    let columns = file_columns::<E>();
    let key_width = E::PrimaryKey::iter().count();
    let rows = batch.len();
    let mut form = match backend {
        // Room for a row of invoice lines' size: the buffer grows for larger ones.
        DbBackend::Postgres => BatchForm::CopyData(Vec::with_capacity(rows * 128)),
        _ => BatchForm::Values(Vec::with_capacity(rows * (columns.len() + 2))),
    };
    let mut row_values = Vec::with_capacity(columns.len() + 2);
    for row in batch {
        row_values.push(Value::BigInt(Some(
            i64::try_from(row.line).unwrap_or(i64::MAX),
        )));
        let mut model = E::ActiveModel::from(row.model);
        for column in &columns {
            let value = model.take(*column).into_value().ok_or_else(|| {
                DbErr::Custom(format!("a staged row lacks its {}", column.as_str()))
            })?;
            row_values.push(value);
        }
        // The key's columns come first, after the line.
        keys.add(&row_values[1..=key_width]);
        if E::MEMBERS.is_some() {
            row_values.push(Value::String(Some(
                serde_json::Value::from(row.members).to_string(),
            )));
        }
        match &mut form {
            BatchForm::CopyData(copy) => {
                let fields = i16::try_from(row_values.len())
                    .map_err(|_| DbErr::Custom("a staged row of too many fields".into()))?;
                copy.extend_from_slice(&fields.to_be_bytes());
                for value in row_values.drain(..) {
                    copy_binary(copy, value)?;
                }
            }
            BatchForm::Values(values) => values.append(&mut row_values),
        }
    }
    Ok(Batch { rows, form })
}

/// Writes `batch` to the stage `table` of `session`: into PostgreSQL's COPY, opened on the
/// first batch (a multi-row INSERT loaded 22,000 rows a second, COPY several times as many),
/// or with one multi-row statement on SQLite's connection, taken on the first batch.
async fn write_batch<E: Staged>(
    session: &ImportSession,
    table: &str,
    copy: &mut Option<PgCopyIn<PoolConnection<sea_orm::sqlx::Postgres>>>,
    inserts: &mut Option<PoolConnection<sea_orm::sqlx::Sqlite>>,
    batch: Batch,
) -> Result<(), DbErr> {
    if batch.rows == 0 {
        return Ok(());
    }
    let pool = &session.connection;
    match batch.form {
        BatchForm::CopyData(data) => {
            let copy = match copy {
                Some(copy) => copy,
                None => {
                    let statement = format!(
                        "COPY {table} ({}) FROM STDIN WITH (FORMAT binary)",
                        staged_columns::<E>()
                    );
                    let pool = pool.get_postgres_connection_pool();
                    let opened = pool.copy_in_raw(&statement).await;
                    let copy = copy.insert(opened.map_err(execution_error)?);
                    copy.send(COPY_BINARY_HEADER)
                        .await
                        .map_err(execution_error)?;
                    copy
                }
            };
            copy.send(data).await.map_err(execution_error)?;
        }
        BatchForm::Values(values) => {
            let connection = match inserts {
                Some(connection) => connection,
                None => {
                    let taken = pool.get_sqlite_connection_pool().acquire().await;
                    inserts.insert(taken.map_err(execution_error)?)
                }
            };
            let width = values.len() / batch.rows;
            let row = format!("({})", vec!["?"; width].join(", "));
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES {}",
                staged_columns::<E>(),
                vec![row; batch.rows].join(", ")
            );
            let values = SqlxValues(sea_orm::Values(values));
            sea_orm::sqlx::query_with(AssertSqlSafe(sql), values)
                .execute(&mut **connection)
                .await
                .map_err(execution_error)?;
        }
    }
    Ok(())
}

/// The file's columns, those of the key first, each with `prefix.` if given.
fn column_list<E: Staged>(prefix: Option<&str>) -> String {
    file_columns::<E>()
        .iter()
        .map(|column| match prefix {
            Some(prefix) => format!("{prefix}.{}", quoted(column.as_str())),
            None => quoted(column.as_str()),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A stage table's columns, as its rows are given.
fn staged_columns<E: Staged>() -> String {
    let columns = column_list::<E>(None);
    let members = if E::MEMBERS.is_some() {
        ", members"
    } else {
        ""
    };
    format!("line, {columns}{members}")
}

/// The start of the names of PostgreSQL's stage tables, which go on with the process id.
const STAGE_PREFIX: &str = "import_stage_";

/// Readies an import's PostgreSQL connection: drops the stages of sessions that ended without
/// closing, and lets the comparisons run in parallel; the connection's process id.
async fn start_postgres_session(connection: &DatabaseConnection) -> Result<i32, DbErr> {
    let row = connection
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_backend_pid()",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("pg_backend_pid".into()))?;
    let process: i32 = row.try_get_by_index(0)?;
    drop_stages(connection, StagesOf::EndedSessions).await?;
    // A comparison's plan counts every staged row as one that differs, to be gathered from
    // the workers, and so does not go parallel at the default costs; few rows ever differ.
    connection
        .execute_unprepared("SET parallel_setup_cost = 100; SET parallel_tuple_cost = 0")
        .await?;
    Ok(process)
}

/// Whose stage tables to drop.
enum StagesOf {
    Process(i32),
    /// Every session's that is no longer connected (a process id in use by this session was
    /// a session's that ended: ids are reused).
    EndedSessions,
}

async fn drop_stages(connection: &DatabaseConnection, of: StagesOf) -> Result<(), DbErr> {
    let process = "split_part(c.relname, '_', 3)";
    let whose = match of {
        StagesOf::Process(id) => format!("{process} = '{id}'"),
        StagesOf::EndedSessions => format!(
            "{process} NOT IN (SELECT CAST(pid AS TEXT) FROM pg_stat_activity \
             WHERE pid <> pg_backend_pid())"
        ),
    };
    let tables = connection
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT c.relname FROM pg_class c \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = current_schema() AND c.relkind = 'r' \
                 AND c.relname LIKE '{}%' AND {whose}",
                STAGE_PREFIX.replace('_', "\\_")
            ),
        ))
        .await?;
    for table in tables {
        let name: String = table.try_get_by_index(0)?;
        // With the temporary views over it, made when its target table was empty.
        connection
            .execute_unprepared(&format!("DROP TABLE IF EXISTS {} CASCADE", quoted(&name)))
            .await?;
    }
    Ok(())
}

/// The `n`th (from 1) placeholder of a statement.
fn placeholder(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    }
}

/// The columns a file gives: the primary key's, then the others but the time of writing.
fn file_columns<E: Staged>() -> Vec<E::Column> {
    let key: Vec<E::Column> = E::PrimaryKey::iter()
        .map(PrimaryKeyToColumn::into_column)
        .collect();
    let others = E::Column::iter().filter(|column| {
        column.as_str() != UPDATED_AT && !key.iter().any(|k| k.as_str() == column.as_str())
    });
    let others: Vec<E::Column> = others.collect();
    key.into_iter().chain(others).collect()
}

/// The primary key's columns, quoted.
fn key_columns<E: Staged>() -> Vec<String> {
    E::PrimaryKey::iter()
        .map(|key| quoted(key.into_column().as_str()))
        .collect()
}

/// The columns a file gives that are not the key's, quoted.
fn value_columns<E: Staged>() -> Vec<String> {
    file_columns::<E>()
        .iter()
        .skip(E::PrimaryKey::iter().count())
        .map(|column| quoted(column.as_str()))
        .collect()
}

fn quoted(identifier: &str) -> String {
    format!("\"{identifier}\"")
}

/// The newest run of the import history that wrote `table` (billing's kinds are named
/// after the tables they write): another import wrote it when this changes.
async fn newest_run<C: ConnectionTrait>(conn: &C, table: &str) -> Result<i64, DbErr> {
    let placeholder = placeholder(conn.get_database_backend(), 1);
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            format!(
                "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM import_runs \
                 WHERE kind = {placeholder}"
            ),
            [Value::from(table)],
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("import_runs".into()))?;
    row.try_get_by_index(0)
}

/// A pool of one connection made with `options`, kept open for as long as the pool is.
async fn one_connection<DB: sea_orm::sqlx::Database>(
    options: <DB::Connection as sea_orm::sqlx::Connection>::Options,
) -> Result<Pool<DB>, DbErr> {
    PoolOptions::<DB>::new()
        .max_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await
        .map_err(|error| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(error.into())))
}

fn execution_error(error: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Exec(sea_orm::RuntimeErr::SqlxError(error.into()))
}

/// The start of PostgreSQL's binary COPY: its signature, no flags, no header extension.
const COPY_BINARY_HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";

/// The end of PostgreSQL's binary COPY: a field count of -1.
const COPY_BINARY_TRAILER: &[u8] = &(-1i16).to_be_bytes();

/// The days from 1 January 1970 to 1 January 2000, PostgreSQL's epoch for dates.
const POSTGRES_EPOCH_DAYS: i32 = 10_957;

/// `value` as a field of PostgreSQL's binary COPY, written into `copy`: its length, then its
/// bytes as the column's type receives them (the stage's columns are the stored table's,
/// whose types the entity's values match). The server parsed text for a third of its COPY's
/// time, and formatting the numbers as text showed in the import's own profile.
fn copy_binary(copy: &mut Vec<u8>, value: Value) -> Result<(), DbErr> {
    fn field(copy: &mut Vec<u8>, bytes: &[u8]) -> Result<(), DbErr> {
        let length = i32::try_from(bytes.len())
            .map_err(|_| DbErr::Custom("a staged value of 2 GiB or more".into()))?;
        copy.extend_from_slice(&length.to_be_bytes());
        copy.extend_from_slice(bytes);
        Ok(())
    }
    match value {
        Value::String(Some(string)) => field(copy, string.as_bytes())?,
        Value::BigInt(Some(number)) => field(copy, &number.to_be_bytes())?,
        Value::Int(Some(number)) => field(copy, &number.to_be_bytes())?,
        Value::SmallInt(Some(number)) => field(copy, &number.to_be_bytes())?,
        Value::Bool(Some(flag)) => field(copy, &[u8::from(flag)])?,
        Value::ChronoDate(Some(date)) => {
            let days = date.to_epoch_days() - POSTGRES_EPOCH_DAYS;
            field(copy, &days.to_be_bytes())?;
        }
        Value::String(None)
        | Value::BigInt(None)
        | Value::Int(None)
        | Value::SmallInt(None)
        | Value::Bool(None)
        | Value::ChronoDate(None) => copy.extend_from_slice(&(-1i32).to_be_bytes()),
        other => return Err(DbErr::Type(format!("no binary COPY for {other:?}"))),
    }
    Ok(())
}

fn line_of(row: &QueryResult, index: usize) -> Result<u64, DbErr> {
    let line: i64 = row.try_get_by_index(index)?;
    Ok(u64::try_from(line).unwrap_or_default())
}

fn count_of(row: &QueryResult, index: usize) -> Result<usize, DbErr> {
    let count: i64 = row.try_get_by_index(index)?;
    Ok(usize::try_from(count).unwrap_or_default())
}

/// A stored date as people write it.
fn readable_date(iso: String) -> String {
    chrono::NaiveDate::parse_from_str(&iso, "%Y-%m-%d").map_or(iso, dates::format_sl)
}

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use super::SplitBlockFilter;

    #[test]
    fn a_key_added_twice_is_seen_the_second_time() {
        let hasher = foldhash::fast::FixedState::with_seed(0);
        let mut filter = SplitBlockFilter::with_bits(1 << 16);
        for key in 0..1_000u64 {
            filter.insert(hasher.hash_one(key));
        }
        for key in 0..1_000u64 {
            assert!(filter.insert(hasher.hash_one(key)));
        }
    }

    #[test]
    fn new_keys_are_rarely_taken_for_seen_ones() {
        // 32 bits a key, as the import sizes it.
        let hasher = foldhash::fast::FixedState::with_seed(0);
        let keys = 100_000u64;
        let mut filter = SplitBlockFilter::with_bits(keys * 32);
        let false_alarms = (0..keys)
            .filter(|key| filter.insert(hasher.hash_one(key)))
            .count();
        assert!(false_alarms < 10, "{false_alarms} false alarms");
    }
}
