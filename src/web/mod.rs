//! The web layer: one router, handlers by resource, pages rendered from compiled templates.

mod assets;
mod demo_mail;
mod error;
mod headers;
mod health;
mod lang;
mod metrics;
mod page;
mod router;
mod sign_in;

pub use error::WebError;
pub use router::router;

use std::sync::Arc;

use crate::config::Config;
use crate::store::Db;

/// What every handler may use.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub metrics: Arc<metrics::Metrics>,
}

impl AppState {
    pub fn new(db: Db, config: Config) -> Self {
        Self {
            db,
            config: Arc::new(config),
            metrics: Arc::default(),
        }
    }
}
