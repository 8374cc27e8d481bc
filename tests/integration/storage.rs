//! The database: pragmas, constraints and migrations on both engines.

use std::num::NonZeroU32;

use chrono::Utc;
use eportal::store;
use eportal::store::Db;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::on_both_databases;
use crate::support::{Backend, TestDatabase};

on_both_databases!(
    the_statistics_of_a_grown_table_are_taken_again,
    migrations_run_twice_without_harm,
    foreign_keys_are_enforced,
    sqlite_runs_with_durable_settings,
    an_unknown_stored_state_is_an_error,
    waiting_writers_leave_the_connections_to_readers,
    connections_the_server_ended_are_opened_again,
    a_requests_reads_share_a_connection_given_back_before_it_writes,
);

/// A request's reads hold one connection between them, and it goes back to the pool before the
/// request writes: with a pool of one, the request and a writer elsewhere still write, and
/// others read once it is done.
async fn a_requests_reads_share_a_connection_given_back_before_it_writes(backend: Backend) {
    use eportal::store::audit::{self, Actor, AuditAction, Event};
    use std::time::Duration;

    let database = TestDatabase::new(backend).await;
    let db = database.connect_at_most(NonZeroU32::new(1)).await;
    let read = |db: Db| async move {
        let select = Statement::from_string(db.get_database_backend(), "SELECT 1");
        tokio::time::timeout(Duration::from_millis(500), db.query_all_raw(select)).await
    };
    store::reading_on_one_connection(async {
        read(db.clone()).await.unwrap().unwrap();
        let elsewhere = tokio::spawn(read(db.clone())).await.unwrap();
        assert!(elsewhere.is_err(), "the request held its connection");
        read(db.clone())
            .await
            .expect("the request's second read on its connection")
            .unwrap();
        // A writer elsewhere waits for the connection the request holds (on SQLite with the
        // turn to write taken), as the request begins to write.
        let writer = tokio::spawn({
            let db = db.clone();
            async move { store::begin_write(&db).await?.commit().await }
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        let transaction = tokio::time::timeout(Duration::from_secs(3), store::begin_write(&db));
        let transaction = transaction
            .await
            .expect("the request began to write after the writer");
        transaction.unwrap().commit().await.unwrap();
        writer.await.unwrap().unwrap();
        read(db.clone()).await.unwrap().unwrap();
        let event = Event::new(Actor::Anonymous(None), AuditAction::SignInFailed);
        let write = tokio::time::timeout(
            Duration::from_secs(3),
            audit::record(&db, event, Utc::now()),
        );
        write
            .await
            .expect("the write got the connection the reads held")
            .unwrap();
        read(db.clone()).await.unwrap().unwrap();
    })
    .await;
    tokio::spawn(read(db.clone()))
        .await
        .unwrap()
        .expect("the connection went back when the request was done")
        .unwrap();
}

/// PostgreSQL ending the pool's connections while the portal is quiet (a restart, an
/// administrator) costs no request: an idle connection is tried before it is used.
async fn connections_the_server_ended_are_opened_again(backend: Backend) {
    use std::time::Duration;

    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    if backend != Backend::Postgres {
        return;
    }
    store::ping(&db).await.unwrap();
    let other = database.connect().await;
    let ended = other
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        ))
        .await
        .unwrap();
    assert!(!ended.is_empty(), "the pool's connection was ended");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for _ in 0..3 {
        store::ping(&db)
            .await
            .expect("a query after the server ended the connections");
    }
}

/// Writers waiting for another's write hold no connection meanwhile: with a write transaction
/// open and more writers waiting than the pool has connections (SQLite's busy handler held
/// one each, in a sign-in storm every one), a page still reads at once.
async fn waiting_writers_leave_the_connections_to_readers(backend: Backend) {
    use eportal::store::audit::{self, Actor, AuditAction, Event};
    use std::time::Duration;

    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let held = store::begin_write(&db).await.unwrap();
    let writers: Vec<_> = (0..20)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                let event = Event::new(Actor::Anonymous(None), AuditAction::SignInFailed);
                audit::record(&db, event, Utc::now()).await
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let read = tokio::time::timeout(Duration::from_secs(3), store::ping(&db)).await;
    assert!(
        matches!(read, Ok(Ok(()))),
        "a read waited for the writers: {read:?}"
    );
    held.commit().await.unwrap();
    for writer in writers {
        writer.await.unwrap().expect("every writer got its turn");
    }
}

/// A state the code does not know (written by a newer version, or by hand) is refused when
/// read, never taken for some default such as "locked".
async fn an_unknown_stored_state_is_an_error(backend: Backend) {
    let app = crate::support::TestApp::spawn(backend).await;
    let id = app.seed_account("123456", "janez@example.si", true).await;
    let backend = app.db.get_database_backend();
    app.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                DbBackend::Postgres => "UPDATE accounts SET state = 'frozen' WHERE id = $1",
                _ => "UPDATE accounts SET state = 'frozen' WHERE id = ?",
            },
            [id.into()],
        ))
        .await
        .unwrap();
    assert!(store::accounts::find(&app.db, id).await.is_err());
    assert_eq!(
        app.sign_in("123456", crate::support::PASSWORD)
            .await
            .status(),
        500,
        "a server error, logged, not a silent refusal"
    );
}

async fn migrations_run_twice_without_harm(backend: Backend) {
    // From nothing, not from a template: the migrations themselves run here.
    let database = TestDatabase::empty(backend).await;
    let db = database.connect().await;
    store::migrate(&db)
        .await
        .expect("a second migration changes nothing");
    let ping = store::ping(&db).await;
    assert!(ping.is_ok());
}

/// Tables the portal writes row by row keep their foreign keys on both engines; the billing
/// tables the staged import writes in bulk are checked by the import (m0014,
/// `import::every_reference_of_a_staged_file_is_checked`).
async fn foreign_keys_are_enforced(backend: Backend) {
    use eportal::domain::billing::OpenItemRecord;
    use eportal::domain::money::Cents;
    use eportal::domain::payer_code::PayerCode;

    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    let orphan = OpenItemRecord {
        payer_code: PayerCode::parse("999999").unwrap(),
        document_number: "2026000001".into(),
        document_date: day,
        due_date: day,
        amount: Cents(100),
        open_amount: Cents(100),
    };
    let refused = store::billing::replace_open_items(&db, &[orphan]).await;
    assert!(
        refused.is_err(),
        "an open item of an unknown payer must be refused by the database"
    );
}

async fn sqlite_runs_with_durable_settings(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    if backend != Backend::Sqlite {
        assert_eq!(db.get_database_backend(), DbBackend::Postgres);
        return;
    }
    let pragma = |name: &str| {
        let db = db.clone();
        let sql = format!("PRAGMA {name}");
        async move {
            let row = db
                .query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
                .await
                .unwrap()
                .unwrap();
            row.try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                .unwrap()
        }
    };
    assert_eq!(pragma("journal_mode").await, "wal");
    assert_eq!(pragma("synchronous").await, "2", "FULL");
    assert_eq!(pragma("foreign_keys").await, "1");
    assert_eq!(pragma("busy_timeout").await, "10000");
}

/// SQLite's planner believed what the first import's statistics said of a table the portal
/// fills itself (`accounts`: one row) and scanned it on every page once it held thousands.
async fn the_statistics_of_a_grown_table_are_taken_again(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    store::migrate(&db).await.unwrap();
    let rows_per_statistics = |db: store::Db| async move {
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_accounts_email'",
            ))
            .await
            .unwrap();
        row.map(|row| row.try_get_by_index::<String>(0).unwrap())
    };
    let many = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) ";
    let now = Utc::now().to_rfc3339();
    if backend == Backend::Postgres {
        // Autovacuum's: nothing to do, and nothing fails.
        store::billing::refresh_grown_statistics(&db).await.unwrap();
        return;
    }
    db.execute_unprepared("ANALYZE").await.unwrap();
    assert_eq!(
        rows_per_statistics(db.clone()).await,
        None,
        "an empty table has none"
    );
    db.execute_unprepared(&format!(
        "{many} INSERT INTO payers (code, name, updated_at) SELECT printf('%06d', i), 'P', '{now}' FROM n"
    ))
    .await
    .unwrap();
    db.execute_unprepared(&format!(
        "INSERT INTO accounts (payer_code, email, state, created_at, updated_at, lang) \
         SELECT code, code || '@example.si', 'active', '{now}', '{now}', 'sl' FROM payers WHERE code = '000001'"
    ))
    .await
    .unwrap();
    db.execute_unprepared("ANALYZE accounts").await.unwrap();
    assert_eq!(
        rows_per_statistics(db.clone()).await.as_deref(),
        Some("1 1")
    );
    db.execute_unprepared(&format!(
        "INSERT INTO accounts (payer_code, email, state, created_at, updated_at, lang) \
         SELECT code, code || '@example.si', 'active', '{now}', '{now}', 'sl' FROM payers WHERE code <> '000001'"
    ))
    .await
    .unwrap();
    store::billing::refresh_grown_statistics(&db).await.unwrap();
    let stat = rows_per_statistics(db.clone()).await.unwrap();
    assert!(stat.starts_with("3000 "), "{stat}");
}
