//! Settings: `eportal.toml` (or `--config FILE`), each overridable by `EPORTAL_<NAME>`
//! (nested ones as `EPORTAL_COMPANY__NAME`). Secrets never show in `Debug` or logs.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::domain::reading_check::ReadingWindow;

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
    pub log_format: LogFormat,
    /// Messages the worker tries before it gives up on one.
    pub mail_max_attempts: u32,
    /// Minutes without a request after which a session ends.
    pub session_idle_minutes: u32,
    /// Hours after sign-in after which a session ends however busy.
    pub session_absolute_hours: u32,
    /// Take the client's address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Password hashes computed at once; more wait, so a burst of sign-ins cannot starve
    /// the other requests of CPU.
    pub password_hash_concurrency: usize,
    /// Lists delivered mail at `/demo/mail`; set by `serve --demo`.
    #[serde(default)]
    pub demo: bool,
    pub company: Option<Company>,
    pub consent: Option<Consent>,
    /// The days of the month customers may date their readings, e.g. `25-5` for the 25th to
    /// the 5th of the next month; unset, any day.
    pub reading_window: Option<String>,
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
    pub email: String,
    pub web: Option<String>,
    /// Office hours per weekday, e.g. `monday = "8.00–10.00"`, as text in the company's words.
    #[serde(default)]
    pub office_hours: BTreeMap<Weekday, String>,
    /// Who receives submitted readings and contact messages.
    pub readings_email: String,
    pub contact_email: String,
    pub iban: String,
    pub bic: String,
    /// The UPN purpose code, e.g. `OTHR`.
    pub payment_purpose_code: String,
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
    password_hash_concurrency: 2,
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

/// One line per bad setting, naming it as the file and the environment spell it.
fn describe(errors: figment::Error) -> ConfigError {
    let lines: Vec<String> = errors
        .into_iter()
        .map(|error| {
            let key = error.path.join(".").to_lowercase();
            let source = error
                .metadata
                .as_ref()
                .map(|metadata| format!(" (from {})", metadata.name))
                .unwrap_or_default();
            format!("setting {key}{source}: {}", error.kind)
        })
        .collect();
    ConfigError::Invalid(lines.join("; "))
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
        Ok(figment.merge(Env::prefixed("EPORTAL_").split("__")))
    }

    fn from_figment(figment: Figment, demo: bool) -> Result<Self, ConfigError> {
        let mut config: Config = figment.extract().map_err(describe)?;
        config.demo = demo;
        config.reading_window()?;
        Ok(config)
    }

    /// The [`Self::reading_window`] setting, checked: two days of the month, `FROM-TO`.
    pub fn reading_window(&self) -> Result<Option<ReadingWindow>, ConfigError> {
        let Some(text) = &self.reading_window else {
            return Ok(None);
        };
        let window = text.split_once('-').and_then(|(from, to)| {
            ReadingWindow::new(from.trim().parse().ok()?, to.trim().parse().ok()?)
        });
        window.map(Some).ok_or_else(|| {
            ConfigError::Invalid(format!(
                "setting reading_window: {text:?} is not two days of the month such as 25-5"
            ))
        })
    }

    /// The company profile; a command that shows or mails anything needs one.
    pub fn company(&self) -> Result<&Company, ConfigError> {
        self.company
            .as_ref()
            .ok_or(ConfigError::MissingSection("[company]"))
    }

    /// The consent text; a command that serves pages needs one.
    pub fn consent(&self) -> Result<&Consent, ConfigError> {
        self.consent
            .as_ref()
            .ok_or(ConfigError::MissingSection("[consent]"))
    }

    pub fn public_url(&self) -> Url {
        self.public_url.clone().unwrap_or_else(|| {
            Url::parse(&format!("http://{}", self.listen)).expect("a socket address forms a URL")
        })
    }

    /// Whether cookies and HSTS may assume HTTPS.
    pub fn is_https(&self) -> bool {
        self.public_url().scheme() == "https"
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
        assert_eq!(config.public_url().as_str(), "http://127.0.0.1:8080/");
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
    fn the_reading_window_is_two_days_of_the_month() {
        let config = load_with(&[("reading_window", "25-5")], false).unwrap();
        assert_eq!(config.reading_window().unwrap(), ReadingWindow::new(25, 5));
        assert_eq!(
            load_with(&[], false).unwrap().reading_window().unwrap(),
            None
        );
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
    }
}
