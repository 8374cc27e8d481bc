//! Databases made once per schema and copied for each test, instead of migrating (and filling
//! the demo into) every test's database: PostgreSQL copies with `CREATE DATABASE … TEMPLATE`,
//! SQLite by copying the file. A template is named by a hash of the migrations (and, for the
//! demo, of the day, since the demo data follows the calendar), so a later run reuses it and a
//! changed schema gets a new one.

use std::path::{Path, PathBuf};

use eportal::config::{Config, DatabaseUrl};
use eportal::store;
use sea_orm::{ConnectionTrait, Database};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use super::postgres_admin_url;

/// What a template holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents {
    /// The schema, migrated.
    Schema,
    /// The schema and the demo data of today.
    Demo,
}

static SQLITE_SCHEMA: OnceCell<PathBuf> = OnceCell::const_new();
static SQLITE_DEMO: OnceCell<PathBuf> = OnceCell::const_new();
static POSTGRES_SCHEMA: OnceCell<String> = OnceCell::const_new();
static POSTGRES_DEMO: OnceCell<String> = OnceCell::const_new();

impl Contents {
    fn word(self) -> &'static str {
        match self {
            Contents::Schema => "schema",
            Contents::Demo => "demo",
        }
    }
}

/// Every file below `dir`, in a stable order.
fn files_below(dir: &Path, into: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a source folder")
        .map(|entry| entry.expect("a source file").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_below(&path, into);
        } else {
            into.push(path);
        }
    }
}

/// A hash of everything a template depends on: the code that writes the database (the
/// migrations and the store) and, for the demo, the code that makes the data, its company and
/// the day in Slovenia that it follows.
fn fingerprint(contents: Contents) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_below(&root.join("src/store"), &mut files);
    if contents == Contents::Demo {
        files_below(&root.join("src/demo"), &mut files);
        files.push(root.join("config/demo.toml"));
    }
    let mut hash = Sha256::new();
    for file in files {
        hash.update(std::fs::read(&file).expect("a source file"));
    }
    if contents == Contents::Demo {
        let today = eportal::domain::dates::local_date(chrono::Utc::now());
        hash.update(today.to_string());
    }
    let digest = hash.finalize();
    digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

async fn fill(url: DatabaseUrl, contents: Contents) {
    let db = store::connect(&url).await.expect("connect to the template");
    store::migrate(&db).await.expect("migrate the template");
    if contents == Contents::Demo {
        let mut config = Config::demo().expect("the demo configuration");
        config.test_cheap_password_hashes = true;
        eportal::demo::fill_if_empty(&db, &config)
            .await
            .expect("fill the demo into the template");
    }
    if url.is_sqlite() {
        // Everything into the main file, which is what gets copied.
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .expect("checkpoint the template");
    }
    db.close().await.expect("close the template");
}

/// The SQLite template's file, made on first use.
pub async fn sqlite(contents: Contents) -> &'static Path {
    let cell = match contents {
        Contents::Schema => &SQLITE_SCHEMA,
        Contents::Demo => &SQLITE_DEMO,
    };
    cell.get_or_init(|| async move {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let prefix = format!("template-{}-", contents.word());
        let path = dir.join(format!("{prefix}{}.db", fingerprint(contents)));
        if !path.exists() {
            // Yesterday's demo or an older schema: never used again.
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    std::fs::remove_file(entry.path()).ok();
                }
            }
            // Made aside and renamed, so no run ever copies half a template.
            let partial = dir.join(format!(
                "template-{}.partial",
                uuid::Uuid::new_v4().simple()
            ));
            fill(
                DatabaseUrl::new(format!("sqlite://{}", partial.display())),
                contents,
            )
            .await;
            std::fs::rename(&partial, &path).expect("keep the template");
        }
        path
    })
    .await
}

/// The PostgreSQL template's name, made on first use.
pub async fn postgres(contents: Contents) -> &'static str {
    let cell = match contents {
        Contents::Schema => &POSTGRES_SCHEMA,
        Contents::Demo => &POSTGRES_DEMO,
    };
    cell.get_or_init(|| async move {
        let prefix = format!("eportal_template_{}_", contents.word());
        let name = format!("{prefix}{}", fingerprint(contents));
        let admin = Database::connect(postgres_admin_url())
            .await
            .expect("PostgreSQL for the tests (set EPORTAL_TEST_DATABASE_URL)");
        let exists = admin
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
            ))
            .await
            .expect("ask for the template")
            .is_some();
        if !exists {
            // Yesterday's demo or an older schema: never used again.
            let stale = admin
                .query_all_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    format!("SELECT datname FROM pg_database WHERE datname LIKE '{prefix}%'"),
                ))
                .await
                .expect("list the templates");
            for row in stale {
                if let Ok(old) = row.try_get::<String>("", "datname") {
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {old}"))
                        .await
                        .ok();
                }
            }
            // Made under a name of its own and renamed, so no run copies half a template.
            let partial = format!("eportal_template_partial_{}", uuid::Uuid::new_v4().simple());
            admin
                .execute_unprepared(&format!("CREATE DATABASE {partial}"))
                .await
                .expect("create the template");
            let mut url = url::Url::parse(&postgres_admin_url()).expect("a URL");
            url.set_path(&partial);
            fill(DatabaseUrl::new(url.to_string()), contents).await;
            let renamed = admin
                .execute_unprepared(&format!("ALTER DATABASE {partial} RENAME TO {name}"))
                .await;
            if renamed.is_err() {
                // Another run made the same template meanwhile.
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {partial} WITH (FORCE)"))
                    .await
                    .ok();
            }
        }
        admin.close().await.ok();
        name
    })
    .await
}
