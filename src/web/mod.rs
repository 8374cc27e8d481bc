//! The web layer: one router, handlers by resource, pages rendered from compiled templates.

mod access_request;
mod activation;
mod assets;
mod auth;
mod captcha;
mod chart;
mod client;
mod consent;
mod contact;
mod csrf;
mod demo_mail;
mod email;
mod email_confirm;
mod error;
mod finance;
mod form;
mod headers;
mod health;
mod home;

mod lang;
mod links;
mod metrics;
mod page;
mod portal;
mod prices;
mod reading_entry;
mod readings;

mod password_forgot;
mod password_reset;
mod point;
mod profile;
mod register;
mod router;
mod sign_in;

pub use error::WebError;
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
    pub metrics: Arc<metrics::Metrics>,
}

impl AppState {
    pub fn new(app: Services, config: Config) -> Self {
        Self {
            app,
            config: Arc::new(config),
            metrics: Arc::default(),
        }
    }
}
