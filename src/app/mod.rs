//! Use cases: every operation that changes data, one function each. A use case takes typed
//! input that its caller has parsed, opens its own write transaction, records its audit event
//! and queues its mail in that transaction, and returns a typed outcome. The portal's pages,
//! the back office, the API and the CLI all call these; none of them writes on its own.

pub mod access_admin;
pub mod access_request;
pub mod account_admin;
pub mod api_tokens;
pub mod audit;
pub mod clock;
pub mod consent;
pub mod contact;
pub mod contact_admin;
pub mod email;
pub mod import;
pub mod notices;
pub mod notifications;
pub mod outbox;
pub mod password;
pub mod profile;
pub mod readings;
pub mod registration;
pub mod sign_in;
pub mod staff_admin;
pub mod staff_sign_in;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use self::clock::Clock;

use crate::auth::hasher::{Hasher, HasherError};
use crate::config::Site;
use crate::store::{Db, StoreError};

/// What every use case may use.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    /// The company, consent and public address, validated at start.
    pub site: Arc<Site>,
    pub hasher: Hasher,
    pub clock: Clock,
}

impl Services {
    pub fn new(db: Db, site: Site, hasher: Hasher, clock: Clock) -> Self {
        Self {
            db,
            site: Arc::new(site),
            hasher,
            clock,
        }
    }

    /// The time a use case acts at.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today in Slovenia.
    pub fn today(&self) -> NaiveDate {
        crate::domain::dates::local_date(self.now())
    }
}

/// Why a use case could not run: never the user's fault (that is its outcome), always
/// something to log and look into.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("rendering a letter: {0}")]
    Letter(#[from] askama::Error),
    #[error("password hashing: {0}")]
    Hashing(#[from] HasherError),
    /// An import that failed for a reason no file caused (the database).
    #[error("import: {0}")]
    Import(#[from] import::ImportError),
    /// An account whose payer billing no longer has, which the foreign key should prevent.
    #[error("account {0} has no payer")]
    PayerMissing(String),
}

/// Who asked, from where: what the audit trail records beside each event.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The client's address, as the web layer determined it; `None` from the command line.
    pub client_addr: Option<String>,
}

impl Origin {
    pub fn web(client_addr: impl Into<String>) -> Self {
        Self {
            client_addr: Some(client_addr.into()),
        }
    }

    pub fn addr(&self) -> Option<&str> {
        self.client_addr.as_deref()
    }
}
