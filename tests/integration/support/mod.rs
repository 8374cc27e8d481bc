//! Starts the real application on port 0 against a fresh database: a SQLite file in a temporary
//! folder, or a PostgreSQL database of its own that is dropped afterwards.

pub mod smtp;
pub mod template;

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;

use eportal::app::clock::Clock;
use eportal::config::{Config, DatabaseUrl};
use eportal::startup::Application;
use eportal::store::{self, Db};
use sea_orm::{ConnectionTrait, Database};
use tokio::sync::oneshot;

use template::Contents;

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
pub(crate) fn postgres_admin_url() -> String {
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
    /// A database with the schema and nothing in it.
    pub async fn new(backend: Backend) -> Self {
        Self::create(backend, Some(Contents::Schema)).await
    }

    /// A database with nothing in it, not even the schema.
    pub async fn empty(backend: Backend) -> Self {
        Self::create(backend, None).await
    }

    /// A database with the demo data of today, as `eportal demo` leaves it.
    pub async fn with_demo(backend: Backend) -> Self {
        Self::create(backend, Some(Contents::Demo)).await
    }

    async fn create(backend: Backend, contents: Option<Contents>) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (url, postgres_name) = match backend {
            Backend::Sqlite => {
                let file = dir.path().join("eportal.db");
                if let Some(contents) = contents {
                    std::fs::copy(template::sqlite(contents).await, &file)
                        .expect("copy the template database");
                }
                (format!("sqlite://{}", file.display()), None)
            }
            Backend::Postgres => {
                let template = match contents {
                    Some(contents) => Some(template::postgres(contents).await),
                    None => None,
                };
                let name = format!("eportal_test_{}", uuid::Uuid::new_v4().simple());
                create_postgres_database(&name, template).await;
                (postgres_url_of(&name), Some(name))
            }
        };
        Self {
            url: DatabaseUrl::new(url),
            dir,
            postgres_name,
        }
    }

    pub async fn connect(&self) -> Db {
        self.connect_at_most(None).await
    }

    /// A pool of at most `max_connections`, or of the engine's default.
    pub async fn connect_at_most(&self, max_connections: Option<NonZeroU32>) -> Db {
        let db = store::connect_at_most(&self.url, max_connections)
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

/// Creates the PostgreSQL database `name`, a copy of `template` if one is named.
async fn create_postgres_database(name: &str, template: Option<&str>) {
    let admin = Database::connect(postgres_admin_url())
        .await
        .expect("PostgreSQL for the tests (set EPORTAL_TEST_DATABASE_URL)");
    let copy = template.map_or_else(String::new, |template| format!(" TEMPLATE {template}"));
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}{copy}"))
        .await
        .expect("create the test database");
    admin.close().await.ok();
}

fn postgres_url_of(name: &str) -> String {
    let mut url = url::Url::parse(&postgres_admin_url()).expect("a URL");
    url.set_path(name);
    url.to_string()
}

/// The base configuration of every test: the demo company, a fresh database, port 0, mail
/// into the test's folder.
pub fn test_config(database: &TestDatabase) -> Config {
    let mut config = Config::demo().expect("the demo configuration");
    config.database_url = database.url.clone();
    config.listen = "127.0.0.1:0".parse().expect("an address");
    config.mail_dir = database.dir.path().join("mail");
    config.demo = false;
    // Production's parameters are asserted by a unit test (auth::password); here they would
    // only make every sign-in slow.
    config.test_cheap_password_hashes = true;
    config
}

pub struct TestApp {
    pub address: SocketAddr,
    pub metrics_address: Option<SocketAddr>,
    pub client: reqwest::Client,
    cookies: std::sync::Arc<reqwest::cookie::Jar>,
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

    /// The app on a database with today's demo data (copied from a template, not filled).
    pub async fn spawn_demo(backend: Backend) -> Self {
        Self::spawn_demo_with(backend, |_| {}).await
    }

    pub async fn spawn_demo_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        Self::spawn_on(TestDatabase::with_demo(backend).await, adjust).await
    }

    /// The app on a database with today's demo data, going by `clock`.
    pub async fn spawn_demo_with_clock(backend: Backend, clock: Clock) -> Self {
        Self::spawn_on_with_clock(TestDatabase::with_demo(backend).await, |_| {}, clock).await
    }

    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        Self::spawn_on(TestDatabase::new(backend).await, adjust).await
    }

    /// The app going by `clock` (a manual one: pauses take no time).
    pub async fn spawn_with_clock(
        backend: Backend,
        clock: Clock,
        adjust: impl FnOnce(&mut Config),
    ) -> Self {
        let database = TestDatabase::new(backend).await;
        Self::spawn_on_with_clock(database, adjust, clock).await
    }

    async fn spawn_on(database: TestDatabase, adjust: impl FnOnce(&mut Config)) -> Self {
        Self::spawn_on_with_clock(database, adjust, Clock::System).await
    }

    async fn spawn_on_with_clock(
        database: TestDatabase,
        adjust: impl FnOnce(&mut Config),
        clock: Clock,
    ) -> Self {
        let mut config = test_config(&database);
        adjust(&mut config);
        let mail_dir = config.mail_dir.clone();
        let app = Application::build_with_clock(config.clone(), clock)
            .await
            .expect("the application starts");
        let address = app.address();
        let metrics_address = app.metrics_address();
        let db = app.db().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        let cookies = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(cookies.clone())
            .build()
            .expect("an HTTP client");
        Self {
            address,
            metrics_address,
            client,
            cookies,
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

/// The payer of the tests' accounts; every test database gets it from [`TestApp::seed_payer`].
pub const PAYER: &str = "123456";
pub const PASSWORD: &str = "Zelena-Hruska-7";

impl TestApp {
    /// The form token of the session the client holds, read from a page with a form.
    pub async fn form_token(&self, path: &str) -> String {
        let html = self.get(path).await.text().await.unwrap();
        token_in(&html).unwrap_or_else(|| panic!("no form token on {path}: {html}"))
    }

    /// Posts a form as a browser on our own page would: with the Origin and the form token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.post_form_from(path_of_form(path), path, fields).await
    }

    /// Posts a form shown on `page` to `path`, for forms on pages that only a link opens
    /// (`/password/reset?token=…`).
    pub async fn post_form_from(
        &self,
        page: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.form_token(page).await;
        let mut fields: Vec<(&str, &str)> = fields.to_vec();
        fields.push(("csrf_token", &token));
        self.client
            .post(self.url(path))
            .header("origin", format!("http://{}", self.address))
            .form(&fields)
            .send()
            .await
            .expect("a response")
    }

    /// Posts a form shown on `page` to `path`; a form that stored something answers with a
    /// redirect to its `result` page (Post/Redirect/Get), which this checks and follows. Any
    /// other answer (the form again, with errors) comes back as it is.
    pub async fn post_form_then(
        &self,
        page: &str,
        path: &str,
        fields: &[(&str, &str)],
        result: &str,
    ) -> reqwest::Response {
        let response = self.post_form_from(page, path, fields).await;
        if response.status() != 303 {
            return response;
        }
        assert_eq!(location(&response), result, "POST {path} redirects");
        self.get(result).await
    }

    /// The demo customer's account and the meter now at their house: (account id, serial).
    pub async fn demo_house_meter(&self) -> (i64, String) {
        use eportal::demo::ACCOUNT_PAYER;
        let account = eportal::store::accounts::find_by_payer_code(&self.db, ACCOUNT_PAYER)
            .await
            .unwrap()
            .unwrap();
        let points = eportal::store::points::of_payer(&self.db, ACCOUNT_PAYER)
            .await
            .unwrap();
        let meters =
            eportal::store::readings::meters_of_point(&self.db, ACCOUNT_PAYER, &points[0].code)
                .await
                .unwrap();
        let meter = meters.iter().find(|m| m.removed_on.is_none()).unwrap();
        (account.id, meter.serial.clone())
    }

    /// A payer (and its point) for accounts to belong to.
    pub async fn seed_payer(&self, code: &str, name: &str) {
        use eportal::domain::billing::PayerRecord;
        use eportal::domain::payer_code::PayerCode;
        let payer = PayerRecord {
            code: PayerCode::parse(code).unwrap(),
            name: name.to_owned(),
            street: Some("STARA ULICA 1".to_owned()),
            postal_code: Some("1351".to_owned()),
            city: Some("BREZOVICA".to_owned()),
            tax_number: None,
            email: None,
            phone: None,
        };
        store::billing::upsert_payers(&self.db, &[payer], chrono::Utc::now())
            .await
            .unwrap();
    }

    /// An active account with the current consent unless `consented` is false.
    pub async fn seed_account(&self, code: &str, email: &str, consented: bool) -> i64 {
        use eportal::store::accounts::{NewAccount, insert_active_account};
        self.seed_payer(code, "NOVAK JANEZ").await;
        let consent = self.config.consent.as_ref().unwrap().version.clone();
        let account = NewAccount {
            payer_code: code.to_owned(),
            email: email.to_owned(),
            password_hash: eportal::auth::password::hash_password(
                PASSWORD,
                eportal::auth::password::HashCost::Test,
            )
            .unwrap(),
            display_name: None,
            phone: None,
            consent_version: if consented {
                consent
            } else {
                "an older text".to_owned()
            },
        };
        insert_active_account(&self.db, account, chrono::Utc::now())
            .await
            .unwrap()
    }

    /// A second browser (its own cookies) signed in as `username`, e.g. another device whose
    /// session a password change must end.
    pub async fn another_browser_signed_in(
        &self,
        username: &str,
        password: &str,
    ) -> reqwest::Client {
        let browser = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        let html = browser
            .get(self.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = token_in(&html).expect("a form token on the sign-in page");
        let response = browser
            .post(self.url("/"))
            .header("origin", format!("http://{}", self.address))
            .form(&[
                ("username", username),
                ("password", password),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["location"], "/home");
        browser
    }

    /// Signs in through the sign-in form; returns the response to the form.
    /// Chooses the payer's point `code` in the toolbar, as the user would.
    pub async fn choose_point(&self, code: &str) {
        let fields = [("point", code), ("back", "/home")];
        let response = self.post_form_from("/home", "/point/choose", &fields).await;
        assert_eq!(response.status(), 303, "point {code} chosen");
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> reqwest::Response {
        self.post_form("/", &[("username", username), ("password", password)])
            .await
    }

    /// The use cases as this instance runs them, going by `clock`.
    pub fn services(&self, clock: Clock) -> eportal::app::Services {
        self.services_on(self.db.clone(), clock)
    }

    /// The use cases on `db` (e.g. a second pool, as another instance would have).
    pub fn services_on(&self, db: Db, clock: Clock) -> eportal::app::Services {
        let site = self.config.site(self.address).unwrap();
        let hasher =
            eportal::auth::hasher::Hasher::new(1, eportal::auth::password::HashCost::Test).unwrap();
        eportal::app::Services::new(db, site, hasher, clock)
    }

    /// A pool of connections of its own to the app's database.
    pub async fn another_pool(&self) -> Db {
        store::connect(&self.config.database_url).await.unwrap()
    }

    /// Messages queued for `to`, oldest first.
    pub async fn mail_to(&self, to: &str) -> Vec<eportal::store::outbox::OutboxMessage> {
        let mut messages: Vec<_> = eportal::store::outbox::recent(&self.db, 1000)
            .await
            .unwrap()
            .into_iter()
            .filter(|message| message.to_addr == to)
            .collect();
        messages.reverse();
        messages
    }

    /// The path and query of the newest link to `path` (e.g. `/password/reset?token=`) mailed
    /// to `to`.
    pub async fn newest_link(&self, to: &str, path: &str) -> String {
        let mail = self.mail_to(to).await;
        let text = &mail.last().expect("a message").body_text;
        let link = link_in(text, &self.url(path));
        link.strip_prefix(&self.url("")).unwrap().to_owned()
    }

    /// The session cookie the client holds.
    pub fn session_cookie(&self) -> Option<String> {
        use reqwest::cookie::CookieStore;
        self.cookies
            .cookies(&self.url("/").parse().unwrap())
            .and_then(|header| {
                header
                    .to_str()
                    .ok()?
                    .split("; ")
                    .find(|pair| pair.starts_with("eportal="))
                    .map(str::to_owned)
            })
    }
}

/// The form token in a page's HTML.
pub fn token_in(html: &str) -> Option<String> {
    let marker = r#"name="csrf_token" value=""#;
    let start = html.find(marker)? + marker.len();
    html[start..].split('"').next().map(str::to_owned)
}

/// Forms post to themselves except where a page's form posts elsewhere.
fn path_of_form(path: &str) -> &str {
    match path {
        "/sign-out" => "/home",
        other => other.split('?').next().unwrap_or(other),
    }
}

/// The first link in `text` that starts with `prefix` (e.g. the public URL and a path).
pub fn link_in(text: &str, prefix: &str) -> String {
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no link {prefix} in {text}"));
    text[start..].split_whitespace().next().unwrap().to_owned()
}

/// Where a redirect points.
pub fn location(response: &reqwest::Response) -> &str {
    response.headers()["location"].to_str().unwrap()
}

/// The token of a link.
pub fn token_of(link: &str) -> &str {
    link.split("token=").nth(1).unwrap()
}
