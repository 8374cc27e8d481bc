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

/// What every handler may use, behind one `Arc`: axum clones the state for each extractor of
/// each request, and cloning (and dropping) a dozen reference counts that both cores touch took
/// 4 % of a page's CPU.
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

pub struct SharedState {
    /// The use cases' database, site settings and password hasher.
    pub app: Services,
    pub config: Config,
    pub metrics: ops::metrics::Metrics,
    pub upn_codes: portal::finance::UpnCodes,
}

impl AppState {
    pub fn new(app: Services, config: Config) -> Self {
        Self(Arc::new(SharedState {
            app,
            config,
            metrics: ops::metrics::Metrics::default(),
            upn_codes: portal::finance::UpnCodes::default(),
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}
