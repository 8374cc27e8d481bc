//! Starts the real application on port 0 against a fresh database: a SQLite file in a temporary
//! folder, or a PostgreSQL database of its own that is dropped afterwards.

pub mod smtp;

use std::net::SocketAddr;
use std::path::PathBuf;

use eportal::config::{Config, DatabaseUrl};
use eportal::startup::Application;
use eportal::store::{self, Db};
use sea_orm::{ConnectionTrait, Database};
use tokio::sync::oneshot;

/// Runs each named `async fn(Backend)` as two tests, `<name>::sqlite` and `<name>::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::support::Backend::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::support::Backend::Postgres).await
                }
            }
        )+
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The server that may create and drop test databases.
fn postgres_admin_url() -> String {
    std::env::var("EPORTAL_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A database that exists for one test.
pub struct TestDatabase {
    pub url: DatabaseUrl,
    pub dir: tempfile::TempDir,
    postgres_name: Option<String>,
}

impl TestDatabase {
    pub async fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("eportal.db").display());
                Self {
                    url: DatabaseUrl::new(url),
                    dir,
                    postgres_name: None,
                }
            }
            Backend::Postgres => {
                let name = format!("eportal_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(postgres_admin_url())
                    .await
                    .expect("PostgreSQL for the tests (set EPORTAL_TEST_DATABASE_URL)");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create the test database");
                admin.close().await.ok();
                let mut url = url::Url::parse(&postgres_admin_url()).expect("a URL");
                url.set_path(&name);
                Self {
                    url: DatabaseUrl::new(url.to_string()),
                    dir,
                    postgres_name: Some(name),
                }
            }
        }
    }

    pub async fn connect(&self) -> Db {
        let db = store::connect(&self.url)
            .await
            .expect("connect to the test database");
        store::migrate(&db)
            .await
            .expect("migrate the test database");
        db
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.postgres_name.take() else {
            return;
        };
        // Drop runs outside async code, so a thread of its own does the async work.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let admin = Database::connect(postgres_admin_url()).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await?;
                admin.close().await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop a test database: {dropped:?}");
        }
    }
}

/// The base configuration of every test: the demo company, a fresh database, port 0, mail
/// into the test's folder.
pub fn test_config(database: &TestDatabase) -> Config {
    let mut config = Config::demo().expect("the demo configuration");
    config.database_url = database.url.clone();
    config.listen = "127.0.0.1:0".parse().expect("an address");
    config.mail_dir = database.dir.path().join("mail");
    config.demo = false;
    config
}

pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub db: Db,
    pub mail_dir: PathBuf,
    pub config: Config,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    /// Kept so the database lives exactly as long as the app.
    _database: TestDatabase,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        let database = TestDatabase::new(backend).await;
        let mut config = test_config(&database);
        adjust(&mut config);
        let mail_dir = config.mail_dir.clone();
        let app = Application::build(config.clone())
            .await
            .expect("the application starts");
        let address = app.address();
        let db = app.db().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("an HTTP client");
        Self {
            address,
            client,
            db,
            mail_dir,
            config,
            stop: Some(stop),
            server: Some(server),
            _database: database,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("a response")
    }

    /// Stops the server as SIGTERM would and waits until it has finished.
    pub async fn shut_down(mut self) -> anyhow::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.server.take() {
            Some(server) => server.await?,
            None => Ok(()),
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
