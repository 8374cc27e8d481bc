//! The web layer's error: logs the cause, shows the user a plain page without internals.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::app::AppError;
use crate::app::import::ImportError;
use crate::auth::hasher::HasherError;
use crate::i18n::Lang;
use crate::web::kit::lang::lang_of;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Also what another payer's object answers, so its existence is not revealed.
    #[error("not found")]
    NotFound,
    #[error("database: {0}")]
    Database(#[from] crate::store::StoreError),
    #[error("{0}")]
    App(#[from] crate::app::AppError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("formatting: {0}")]
    Format(#[from] std::fmt::Error),
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("session: {0}")]
    Session(#[from] tower_sessions::session::Error),
    /// The session layer is missing around a route that needs it.
    #[error("no session: {0}")]
    NoSession(&'static str),
    #[error("password hashing: {0}")]
    Hashing(#[from] crate::auth::hasher::HasherError),
    #[error("captcha: {0}")]
    Captcha(#[from] crate::captcha::CaptchaError),
    #[error("exporting readings: {0}")]
    Export(#[from] crate::app::readings::ExportError),
    /// An upload that broke off or is too large: the client's doing.
    #[error("upload: {0}")]
    Upload(#[from] axum::extract::multipart::MultipartError),
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            // Another import held SQLite's write lock for the whole busy timeout: a moment later
            // it will have finished.
            WebError::App(AppError::Import(ImportError::Busy)) => {
                tracing::info!(error = %self, "busy");
                let page = Html(error_page(StatusCode::SERVICE_UNAVAILABLE));
                let retry = [(header::RETRY_AFTER, "30")];
                return (StatusCode::SERVICE_UNAVAILABLE, retry, page).into_response();
            }
            // More sign-ins at once than the hashing threads take: a moment later they will.
            WebError::Hashing(HasherError::Busy)
            | WebError::App(AppError::Hashing(HasherError::Busy)) => {
                tracing::warn!(error = %self, "busy");
                let page = Html(page_of(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Prav zdaj se prijavlja zelo veliko uporabnikov. Poskusite znova čez nekaj sekund.",
                    "Very many users are signing in right now. Please try again in a few seconds.",
                ));
                let retry = [(header::RETRY_AFTER, "5")];
                return (StatusCode::SERVICE_UNAVAILABLE, retry, page).into_response();
            }
            // The framework's refusal, which `refusals_as_pages` words for the user.
            WebError::Upload(error) => {
                tracing::info!(%error, "upload refused");
                return (error.status(), error.body_text()).into_response();
            }
            WebError::Database(_)
            | WebError::App(_)
            | WebError::Template(_)
            | WebError::Format(_)
            | WebError::Csv(_)
            | WebError::Json(_)
            | WebError::Session(_)
            | WebError::NoSession(_)
            | WebError::Hashing(_)
            | WebError::Captcha(_)
            | WebError::Export(_) => {
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
        StatusCode::SERVICE_UNAVAILABLE => (
            "Podatki se prav zdaj posodabljajo. Poskusite znova čez nekaj trenutkov.",
            "The data is being updated right now. Please try again in a few moments.",
        ),
        _ => (
            "Prišlo je do napake. Poskusite znova čez nekaj minut.",
            "Something went wrong. Please try again in a few minutes.",
        ),
    };
    page_of(status, sl, en)
}

fn page_of(status: StatusCode, sl: &str, en: &str) -> String {
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

/// A page that says why a request was refused and how to go on, in the user's language. Plain
/// HTML, so it renders whatever else is wrong.
pub fn refusal_page(lang: Lang, status: StatusCode, title_key: &str, text_key: &str) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} – ePortal</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head>\
         <body><main class=\"page-width main\" id=\"main\"><h1>{title}</h1><p>{text}</p>\
         <p><a href=\"/\">{back}</a></p></main></body></html>",
        code = lang.code(),
        title = lang.t(title_key),
        text = lang.t(text_key),
        back = lang.t("csrf-back"),
    );
    (status, Html(page)).into_response()
}

/// Marks a refusal a handler wrote itself in plain text (a CSV download's message), which
/// [`refusals_as_pages`] leaves as it is.
#[derive(Debug, Clone, Copy)]
pub struct OwnRefusal;

/// The framework's own refusals (a body too large, a form it cannot read, a repeated field, a
/// method the route does not take) come as English plain text or nothing; the user gets a page
/// in their language instead, with the same status.
pub async fn refusals_as_pages(request: Request, next: Next) -> Response {
    let lang = lang_of(request.headers());
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let own = response.extensions().get::<OwnRefusal>().is_some();
    // The API answers programs, in problem details of its own.
    let api = path.starts_with("/api/");
    if !status.is_client_error() || is_html || own || api {
        return response;
    }
    tracing::info!(%path, %status, "refused by the framework");
    let (title, text) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ("refused-too-large-title", "refused-too-large-text"),
        StatusCode::METHOD_NOT_ALLOWED => ("refused-method-title", "refused-method-text"),
        _ => ("refused-form-title", "refused-form-text"),
    };
    let mut page = refusal_page(lang, status, title, text);
    // What the layers inside said still holds: the methods allowed, a session's cookie.
    for name in [header::ALLOW, header::SET_COOKIE] {
        for value in response.headers().get_all(&name) {
            page.headers_mut().append(name.clone(), value.clone());
        }
    }
    page
}
