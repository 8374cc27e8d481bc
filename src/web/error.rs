//! The web layer's error: logs the cause, shows the user a plain page without internals.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Also what another payer's object answers, so its existence is not revealed.
    #[error("not found")]
    NotFound,
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("formatting: {0}")]
    Format(#[from] std::fmt::Error),
    #[error("session: {0}")]
    Session(String),
    #[error("password hashing: {0}")]
    Hashing(String),
    #[error("configuration: {0}")]
    Config(#[from] crate::config::ConfigError),
    #[error("captcha: {0}")]
    Captcha(#[from] crate::captcha::CaptchaError),
}

impl From<crate::auth::hasher::HasherError> for WebError {
    fn from(error: crate::auth::hasher::HasherError) -> Self {
        WebError::Hashing(error.to_string())
    }
}

impl From<tower_sessions::session::Error> for WebError {
    fn from(error: tower_sessions::session::Error) -> Self {
        WebError::Session(error.to_string())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Database(_)
            | WebError::Template(_)
            | WebError::Format(_)
            | WebError::Session(_)
            | WebError::Hashing(_)
            | WebError::Config(_)
            | WebError::Captcha(_) => {
                tracing::error!(error = %self, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (status, Html(error_page(status))).into_response()
    }
}

/// A minimal page in both languages: it must render even when templates or settings cannot.
fn error_page(status: StatusCode) -> String {
    let (sl, en) = match status {
        StatusCode::NOT_FOUND => ("Strani ni mogoče najti.", "Page not found."),
        _ => (
            "Prišlo je do napake. Poskusite znova čez nekaj minut.",
            "Something went wrong. Please try again in a few minutes.",
        ),
    };
    format!(
        "<!doctype html><html lang=\"sl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{code} – ePortal</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head>\
         <body><main class=\"page-width main\" id=\"main\"><h1>{sl}</h1>\
         <p lang=\"en\">{en}</p><p><a href=\"/\">ePortal</a></p></main></body></html>",
        code = status.as_u16()
    )
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}
