//! The web layer, by audience: `public` (not signed in), `account` (what a signed-in account
//! owes first), `portal` (the customer's toolbar pages), `ops` (probes, metrics, demo mail);
//! `kit` is the page machinery they share; `router` merges them. Handlers parse, call a use
//! case or a store read, and render a compiled template.

pub(crate) mod account;
pub(crate) mod kit;
pub(crate) mod ops;
pub(crate) mod portal;
pub(crate) mod public;
mod router;
pub(crate) mod staff;

pub use kit::error::WebError;
pub use router::{metrics_router, route_paths, router};

use std::sync::Arc;

use crate::app::Services;
use crate::config::Config;

/// What every handler may use.
#[derive(Clone)]
pub struct AppState {
    /// The use cases' database, site settings and password hasher.
    pub app: Services,
    pub config: Arc<Config>,
    pub metrics: Arc<ops::metrics::Metrics>,
    pub upn_codes: Arc<portal::finance::UpnCodes>,
}

impl AppState {
    pub fn new(app: Services, config: Config) -> Self {
        Self {
            app,
            config: Arc::new(config),
            metrics: Arc::default(),
            upn_codes: Arc::default(),
        }
    }
}
