//! Settings: `eportal.toml` (or `--config FILE`), each overridable by `EPORTAL_<NAME>`
//! (nested ones as `EPORTAL_COMPANY__NAME`). Secrets never show in `Debug` or logs.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

use figment::providers::{Format, Serialized, Toml};
use figment::value::{Dict, Map, Value};
use figment::{Figment, Metadata, Profile, Provider};
use iban::Iban;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize};
use url::Url;

use crate::auth::password::HashCost;
use crate::domain::email::EmailAddress;
use crate::domain::money::Cents;
use crate::domain::reading_check::ReadingWindow;
use crate::domain::upn::{Bic, PurposeCode, Reference, UpnPayment};
use crate::i18n::Lang;

/// The company profile of the demo (the manual's utility): data, not code, and used only by
/// `serve --demo` and `demo` when no company is configured.
const DEMO_SETTINGS: &str = include_str!("../config/demo.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub listen: SocketAddr,
    /// The base of links in e-mails; defaults to `http://<listen>`.
    pub public_url: Option<Url>,
    pub smtp_url: Option<SmtpUrl>,
    pub mail_dir: PathBuf,
    /// The sender of every e-mail; defaults to the company's e-mail address.
    pub mail_from: Option<String>,
    /// For automated tests only: the answer to every CAPTCHA.
    pub test_captcha: Option<SecretString>,
    /// For automated tests only: new password hashes with argon2's least parameters.
    pub test_cheap_password_hashes: bool,
    pub log_format: LogFormat,
    /// Messages the worker tries before it gives up on one.
    pub mail_max_attempts: u32,
    /// Minutes without a request after which a session ends.
    pub session_idle_minutes: u32,
    /// Hours after sign-in after which a session ends however busy.
    pub session_absolute_hours: u32,
    /// Take the client's address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Password hashes computed at once, on threads of lower priority than pages'; more
    /// wait, so a burst of sign-ins cannot starve the other requests of CPU.
    pub password_hash_concurrency: usize,
    /// Requests one API token may make in a calendar minute; more are answered 429.
    pub api_requests_per_minute: NonZeroU32,
    /// The language of what no user chooses one for: the command line's import reports.
    pub language: Lang,
    /// Lists delivered mail at `/demo/mail`; set by `serve --demo`.
    #[serde(default)]
    pub demo: bool,
    pub company: Option<Company>,
    pub consent: Option<Consent>,
    /// The days of the month customers may date their readings, e.g. `25-5` for the 25th to
    /// the 5th of the next month; unset, any day.
    #[serde(default, deserialize_with = "reading_window")]
    pub reading_window: Option<ReadingWindow>,
    /// Where `/metrics` is served, apart from the pages; unset, nowhere.
    pub metrics_listen: Option<SocketAddr>,
    /// Seconds between two looks for notifications due (new invoices, reminders, notices).
    pub notification_interval_seconds: NonZeroU32,
    /// Connections the server keeps to the database at most; unset, the engine's default
    /// ([`crate::store::default_max_connections`]). Several instances on one PostgreSQL
    /// server share its `max_connections` between them.
    pub database_max_connections: Option<NonZeroU32>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The company profile (SPEC §2).
#[derive(Debug, Clone, Deserialize)]
pub struct Company {
    pub name: String,
    pub short_name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub phone: String,
    pub fax: Option<String>,
    #[serde(deserialize_with = "email")]
    pub email: EmailAddress,
    pub web: Option<String>,
    /// Office hours per weekday, e.g. `monday = "8.00–10.00"`, as text in the company's words.
    #[serde(default)]
    pub office_hours: BTreeMap<Weekday, String>,
    /// Who receives submitted readings and contact messages.
    #[serde(deserialize_with = "email")]
    pub readings_email: EmailAddress,
    #[serde(deserialize_with = "email")]
    pub contact_email: EmailAddress,
    #[serde(deserialize_with = "iban")]
    pub iban: Iban,
    #[serde(deserialize_with = "bic")]
    pub bic: Bic,
    /// The UPN purpose code, e.g. `OTHR`.
    #[serde(deserialize_with = "purpose_code")]
    pub payment_purpose_code: PurposeCode,
}

/// What a bill asks the payer to pay, for its UPN QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    pub amount: Cents,
    pub reference: Reference,
    pub purpose: String,
    pub due_date: Option<chrono::NaiveDate>,
}

impl Company {
    /// The payment of `bill` to the company by the payer named and addressed so.
    pub fn upn_payment(&self, payer: &PayerAddress<'_>, bill: Bill) -> UpnPayment {
        UpnPayment {
            payer_name: payer.name.to_owned(),
            payer_street: payer.street.unwrap_or_default().to_owned(),
            payer_city: [payer.postal_code, payer.city]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
            amount: bill.amount,
            purpose_code: self.payment_purpose_code.clone(),
            purpose: bill.purpose,
            due_date: bill.due_date,
            recipient_iban: self.iban,
            recipient_reference: bill.reference,
            recipient_name: self.short_name.clone(),
            recipient_street: self.street.clone(),
            recipient_city: format!("{} {}", self.postal_code, self.city),
        }
    }
}

/// Whom a UPN names as the payer.
#[derive(Debug, Clone, Copy)]
pub struct PayerAddress<'a> {
    pub name: &'a str,
    pub street: Option<&'a str>,
    pub postal_code: Option<&'a str>,
    pub city: Option<&'a str>,
}

/// Reads a text setting with `parse`, turning its refusal into the setting's error.
fn parsed<'de, D, T, E>(
    deserializer: D,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    E: fmt::Display,
{
    let text = String::deserialize(deserializer)?;
    parse(&text).map_err(|error| serde::de::Error::custom(format!("{text:?}: {error}")))
}

fn email<'de, D: Deserializer<'de>>(deserializer: D) -> Result<EmailAddress, D::Error> {
    parsed(deserializer, |text| {
        EmailAddress::parse(text).map_err(|_| "not an e-mail address")
    })
}

fn iban<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Iban, D::Error> {
    parsed(deserializer, |text| {
        text.parse::<Iban>()
            .map_err(|error| format!("not a valid IBAN ({error})"))
    })
}

fn bic<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Bic, D::Error> {
    parsed(deserializer, Bic::parse)
}

fn purpose_code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<PurposeCode, D::Error> {
    parsed(deserializer, PurposeCode::parse)
}

/// Two days of the month, `FROM-TO`.
fn reading_window<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ReadingWindow>, D::Error> {
    let Some(text) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    parsed(serde::de::value::StrDeserializer::new(&text), |text| {
        text.split_once('-')
            .and_then(|(from, to)| {
                ReadingWindow::new(from.trim().parse().ok()?, to.trim().parse().ok()?)
            })
            .ok_or("not two days of the month such as 25-5")
    })
    .map(Some)
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// The GDPR consent text and its version; a new version asks every user again.
#[derive(Debug, Clone, Deserialize)]
pub struct Consent {
    pub version: String,
    pub text_sl: String,
    pub text_en: String,
}

/// Read when present; `--config` names another file, which must then exist.
const DEFAULT_FILE: &str = "eportal.toml";

/// Defaults of every setting that has one (SPEC §7).
#[derive(Serialize)]
struct Defaults {
    database_url: &'static str,
    listen: &'static str,
    mail_dir: &'static str,
    log_format: LogFormat,
    mail_max_attempts: u32,
    session_idle_minutes: u32,
    session_absolute_hours: u32,
    trust_forwarded_for: bool,
    password_hash_concurrency: usize,
    api_requests_per_minute: u32,
    language: Lang,
    test_cheap_password_hashes: bool,
    notification_interval_seconds: u32,
}

const DEFAULTS: Defaults = Defaults {
    database_url: "sqlite://eportal.db",
    listen: "127.0.0.1:8080",
    mail_dir: "./mail",
    log_format: LogFormat::Text,
    mail_max_attempts: 8,
    session_idle_minutes: 30,
    session_absolute_hours: 12,
    trust_forwarded_for: false,
    password_hash_concurrency: 1,
    // A nightly run of many requests, not a flood.
    api_requests_per_minute: 600,
    language: Lang::Sl,
    test_cheap_password_hashes: false,
    notification_interval_seconds: 60,
};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Invalid(String),
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error(
        "setting company: {0} is required; set [company] in eportal.toml (see docs/configuration.md)"
    )]
    MissingSection(&'static str),
}

/// One line per bad setting, naming it as the file spells it, and where it came from.
fn describe(errors: figment::Error) -> ConfigError {
    let lines: Vec<String> = errors
        .into_iter()
        .map(|error| {
            let key = error.path.join(".").to_lowercase();
            let source = error
                .metadata
                .as_ref()
                .map(|metadata| {
                    let profile = error.profile.clone().unwrap_or_default();
                    format!(" (from {})", metadata.interpolate(&profile, &error.path))
                })
                .unwrap_or_default();
            format!("setting {key}: {}{source}", error.kind)
        })
        .collect();
    ConfigError::Invalid(lines.join("; "))
}

/// The `EPORTAL_*` environment, every value as text: `EPORTAL_COMPANY__PHONE=013633020` stays
/// "013633020" (figment's own provider would read a number and drop the 0). Numbers and
/// switches are read from their text when extracted.
struct Environment(Vec<(String, String)>);

const ENV_PREFIX: &str = "EPORTAL_";

impl Environment {
    fn of_process() -> Self {
        Self(std::env::vars().collect())
    }
}

impl Provider for Environment {
    fn metadata(&self) -> Metadata {
        Metadata::named("environment variable")
            .interpolater(|_, keys| format!("{ENV_PREFIX}{}", keys.join("__").to_uppercase()))
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        let mut dict = Dict::new();
        for (name, value) in &self.0 {
            let Some(key) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            let key = key.to_lowercase().replace("__", ".");
            if let Value::Dict(_, nested) = figment::util::nest(&key, Value::from(value.clone())) {
                dict = merge_dicts(dict, nested);
            }
        }
        Ok(Profile::Default.collect(dict))
    }
}

fn merge_dicts(mut into: Dict, from: Dict) -> Dict {
    for (key, value) in from {
        let merged = match (into.remove(&key), value) {
            (Some(Value::Dict(tag, old)), Value::Dict(_, new)) => {
                Value::Dict(tag, merge_dicts(old, new))
            }
            (_, value) => value,
        };
        into.insert(key, merged);
    }
    into
}

impl Config {
    /// Reads the defaults, then the file (`eportal.toml` if present, or the named one, which
    /// must exist), then the environment. `demo` adds the demo company beneath the file.
    pub fn load(file: Option<&Path>, demo: bool) -> Result<Self, ConfigError> {
        Self::from_figment(Self::figment(file, demo)?, demo)
    }

    /// The demo configuration alone, without file or environment: a known base that tools and
    /// tests adjust in code.
    pub fn demo() -> Result<Self, ConfigError> {
        let figment =
            Figment::from(Serialized::defaults(DEFAULTS)).merge(Toml::string(DEMO_SETTINGS));
        Self::from_figment(figment, true)
    }

    fn figment(file: Option<&Path>, demo: bool) -> Result<Figment, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(DEFAULTS));
        if demo {
            figment = figment.merge(Toml::string(DEMO_SETTINGS));
        }
        match file {
            Some(path) if !path.exists() => return Err(ConfigError::MissingFile(path.into())),
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new(DEFAULT_FILE).exists() => {
                figment = figment.merge(Toml::file_exact(DEFAULT_FILE));
            }
            None => {}
        }
        Ok(figment.merge(Environment::of_process()))
    }

    fn from_figment(figment: Figment, demo: bool) -> Result<Self, ConfigError> {
        // Lossy: numbers and switches may come as text, as the environment has them.
        let mut config: Config = figment.extract_lossy().map_err(describe)?;
        config.demo = demo;
        Ok(config)
    }

    /// What new password hashes cost: production's, unless a test asked for cheap ones.
    pub fn hash_cost(&self) -> HashCost {
        if self.test_cheap_password_hashes {
            HashCost::Test
        } else {
            HashCost::Production
        }
    }

    /// The company profile; a command that shows or mails anything needs one.
    pub fn company(&self) -> Result<&Company, ConfigError> {
        self.company
            .as_ref()
            .ok_or(ConfigError::MissingSection("[company]"))
    }

    /// Everything pages and mail need, checked: what `serve` builds before it listens.
    /// `bound` is the address actually listened on, the base of links when no `public_url`
    /// is set.
    pub fn site(&self, bound: SocketAddr) -> Result<Site, ConfigError> {
        let company = self.company()?.clone();
        let consent = self
            .consent
            .clone()
            .ok_or(ConfigError::MissingSection("[consent]"))?;
        let public_url = match &self.public_url {
            Some(url) => url.clone(),
            None => Url::parse(&format!("http://{bound}"))
                .map_err(|error| ConfigError::Invalid(format!("setting listen: {error}")))?,
        };
        Ok(Site {
            company,
            consent,
            public_url,
        })
    }
}

/// The settings pages and mail use, validated once at start (see [`Config::site`]).
#[derive(Debug, Clone)]
pub struct Site {
    pub company: Company,
    pub consent: Consent,
    /// The base of links in e-mails and the origin forms must come from.
    pub public_url: Url,
}

impl Site {
    /// Whether cookies and HSTS may assume HTTPS.
    pub fn is_https(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// `<public_url><path>?token=<token>`, the link an e-mail carries, keeping a path the
    /// portal may be published under.
    pub fn link_with_token(&self, path: &str, token: &str) -> String {
        let mut url = self.url_of(path);
        url.query_pairs_mut().clear().append_pair("token", token);
        url.into()
    }

    /// `<public_url><path>`, a link to a page of the portal.
    pub fn link(&self, path: &str) -> String {
        self.url_of(path).into()
    }

    fn url_of(&self, path: &str) -> Url {
        let mut url = self.public_url.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}{path}"));
        url
    }

    /// The host that names the portal in Message-IDs.
    pub fn host(&self) -> &str {
        self.public_url.host_str().unwrap_or("eportal.invalid")
    }
}

/// A database URL whose password never shows in `Debug` or `Display`.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct DatabaseUrl(SecretString);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(SecretString::from(url.into()))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    pub fn is_sqlite(&self) -> bool {
        self.expose().starts_with("sqlite:")
    }
}

fn redact_password(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Only fails for URLs that cannot have a password, which this one has.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "[unparsable URL]".to_owned(),
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_password(self.expose()))
    }
}

/// An SMTP URL (`smtp://user:pass@host:port`, `smtps://…`) with its password hidden.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct SmtpUrl(SecretString);

impl SmtpUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(SecretString::from(url.into()))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_password(self.expose()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_with(pairs: &[(&str, &str)], demo: bool) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(DEFAULTS));
        if demo {
            figment = figment.merge(Toml::string(DEMO_SETTINGS));
        }
        for (key, value) in pairs {
            figment = figment.merge((*key, *value));
        }
        Config::from_figment(figment, demo)
    }

    #[test]
    fn defaults_follow_the_operating_contract() {
        let config = load_with(&[], false).unwrap();
        assert_eq!(config.database_url.expose(), "sqlite://eportal.db");
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.mail_dir, PathBuf::from("./mail"));
        assert!(config.smtp_url.is_none());
        assert!(config.metrics_listen.is_none());
        assert!(config.company().is_err());
    }

    #[test]
    fn passwords_never_show_in_debug_output() {
        let config = load_with(
            &[
                ("database_url", "postgres://app:s3cret@db.example/eportal"),
                ("smtp_url", "smtp://mailer:hunter2@mail.example:587"),
                ("test_captcha", "answer42"),
            ],
            false,
        )
        .unwrap();
        let debug = format!("{config:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(!debug.contains("answer42"), "{debug}");
        assert!(debug.contains("postgres://app:***@db.example/eportal"));
    }

    #[test]
    fn a_bad_setting_names_the_setting() {
        let error = load_with(&[("listen", "not an address")], false).unwrap_err();
        assert!(error.to_string().contains("listen"), "{error}");
    }

    #[test]
    fn the_database_pool_is_the_engines_unless_set() {
        assert_eq!(
            load_with(&[], false).unwrap().database_max_connections,
            None
        );
        let config = load_with(&[("database_max_connections", "4")], false).unwrap();
        assert_eq!(config.database_max_connections, NonZeroU32::new(4));
        for bad in ["0", "-1", "many"] {
            let error = load_with(&[("database_max_connections", bad)], false).unwrap_err();
            assert!(
                error.to_string().contains("database_max_connections"),
                "{error}"
            );
        }
    }

    #[test]
    fn the_reading_window_is_two_days_of_the_month() {
        let config = load_with(&[("reading_window", "25-5")], false).unwrap();
        assert_eq!(config.reading_window, ReadingWindow::new(25, 5));
        assert_eq!(load_with(&[], false).unwrap().reading_window, None);
        for bad in ["25", "0-5", "25-32", "a-b"] {
            let error = load_with(&[("reading_window", bad)], false).unwrap_err();
            assert!(error.to_string().contains("reading_window"), "{error}");
        }
    }

    #[test]
    fn the_demo_company_is_the_manuals() {
        let config = load_with(&[], true).unwrap();
        let company = config.company().unwrap();
        assert_eq!(company.short_name, "JKP Brezovica d.o.o.");
        assert_eq!(company.phone, "01/363 30 20");
        assert_eq!(company.office_hours.len(), 3);
        assert!(config.consent.is_some());
        let bound: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        let site = config.site(bound).unwrap();
        assert_eq!(site.public_url.as_str(), "http://127.0.0.1:4000/");
    }

    #[test]
    fn links_keep_the_published_path_and_encode_the_token() {
        let mut config = load_with(&[], true).unwrap();
        let bound: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        config.public_url = Some("https://example.si/eportal/".parse().unwrap());
        assert_eq!(
            config
                .site(bound)
                .unwrap()
                .link_with_token("/password/reset", "a+b/c"),
            "https://example.si/eportal/password/reset?token=a%2Bb%2Fc"
        );
        config.public_url = Some("https://eportal.example.si".parse().unwrap());
        assert_eq!(
            config
                .site(bound)
                .unwrap()
                .link_with_token("/email/confirm", "abc"),
            "https://eportal.example.si/email/confirm?token=abc"
        );
    }

    #[test]
    fn payment_data_is_checked_when_read() {
        for (key, value) in [
            ("company.iban", "SI56 2633 0001 2039 087"),
            ("company.bic", "LJBA"),
            ("company.payment_purpose_code", "othr"),
            ("company.contact_email", "nobody"),
        ] {
            let error = load_with(&[(key, value)], true).unwrap_err().to_string();
            assert!(error.starts_with(&format!("setting {key}: ")), "{error}");
            assert!(error.contains(value), "{error}");
        }
    }

    #[test]
    fn text_from_the_environment_stays_text() {
        let figment = Figment::from(Serialized::defaults(DEFAULTS))
            .merge(Toml::string(DEMO_SETTINGS))
            .merge(Serialized::default("company.phone", "013633020"))
            .merge(Serialized::default("consent.version", "2020"))
            .merge(Serialized::default("session_idle_minutes", "45"))
            .merge(Serialized::default("trust_forwarded_for", "true"));
        let config = Config::from_figment(figment, true).unwrap();
        assert_eq!(config.company().unwrap().phone, "013633020");
        assert_eq!(config.consent.unwrap().version, "2020");
        assert_eq!(config.session_idle_minutes, 45);
        assert!(config.trust_forwarded_for);
    }

    #[test]
    fn environment_values_are_read_as_written() {
        let environment = Environment(vec![
            ("EPORTAL_COMPANY__PHONE".to_owned(), "013633020".to_owned()),
            ("EPORTAL_LISTEN".to_owned(), "127.0.0.1:9000".to_owned()),
            ("HOME".to_owned(), "/root".to_owned()),
        ]);
        let data = environment.data().unwrap();
        let dict = &data[&Profile::Default];
        let Some(Value::Dict(_, company)) = dict.get("company") else {
            panic!("{dict:?}");
        };
        assert_eq!(
            company.get("phone").and_then(Value::as_str),
            Some("013633020")
        );
        assert_eq!(
            dict.get("listen").and_then(Value::as_str),
            Some("127.0.0.1:9000")
        );
        assert!(!dict.contains_key("home"), "only EPORTAL_ variables");
        let metadata = environment.metadata();
        assert_eq!(
            metadata.interpolate(&Profile::Default, &["company", "phone"]),
            "EPORTAL_COMPANY__PHONE"
        );
    }
}
