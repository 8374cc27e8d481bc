//! Every route of the application, in one place.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post};
use time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use super::{
    AppState, access_request, activation, assets, captcha, consent, contact, csrf, demo_mail,
    email, email_confirm, error, finance, headers, health, home, lang, metrics, password_forgot,
    password_reset, point, portal, prices, profile, reading_entry, readings, register, sign_in,
};

use crate::config::Config;
use crate::store::sessions::DbSessionStore;

/// The routes and the list of their paths, built together so the list cannot miss one.
struct Table {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Table {
    fn route(mut self, path: &'static str, handlers: MethodRouter<AppState>) -> Self {
        self.paths.push(path);
        self.router = self.router.route(path, handlers);
        self
    }
}

fn table(demo: bool) -> Table {
    let table = Table {
        router: Router::new(),
        paths: Vec::new(),
    }
    .route("/", get(sign_in::show).post(sign_in::submit))
    .route("/sign-out", post(sign_in::sign_out))
    .route("/consent", get(consent::show).post(consent::decide))
    .route("/register", get(register::show).post(register::submit))
    .route("/register/sent", get(register::sent))
    .route(
        "/activate",
        get(activation::show).post(activation::activate),
    )
    .route("/activate/resend", post(activation::resend))
    .route(
        "/access-request",
        get(access_request::show).post(access_request::submit),
    )
    .route("/access-request/sent", get(access_request::sent))
    .route(
        "/password/forgot",
        get(password_forgot::show).post(password_forgot::submit),
    )
    .route(
        "/password/reset",
        get(password_reset::show).post(password_reset::submit),
    )
    .route("/email", get(email::show).post(email::submit))
    .route(
        "/email/confirm",
        get(email_confirm::show).post(email_confirm::submit),
    )
    .route("/home", get(home::show))
    .route("/readings", get(readings::show))
    .route("/readings.csv", get(readings::csv))
    .route(
        "/readings/new",
        get(reading_entry::show).post(reading_entry::submit),
    )
    .route("/readings/submitted/{id}", get(reading_entry::submitted))
    .route("/point", get(point::show))
    .route("/point/choose", post(portal::choose_point))
    .route("/prices", get(prices::show))
    .route("/finance/invoices", get(finance::list))
    .route("/finance/invoices/{number}", get(finance::show))
    .route("/finance/invoices/{number}/pdf", get(finance::pdf))
    .route("/finance/open-items", get(finance::open_items))
    .route("/contact", get(contact::show).post(contact::submit))
    .route("/contact/sent", get(contact::sent))
    .route("/profile", get(profile::show))
    .route("/profile/name", post(profile::save_name))
    .route("/profile/email", post(profile::change_email))
    .route("/profile/password", post(profile::change_password))
    .route("/profile/consent/withdraw", post(profile::withdraw_consent))
    .route("/profile/data.json", get(profile::download_data))
    .route("/lang/{code}", get(lang::switch))
    .route("/static/{name}", get(assets::serve))
    .route("/captcha/image", get(captcha::image))
    .route("/captcha/audio", get(captcha::audio))
    .route("/healthz", get(health::live))
    .route("/readyz", get(health::ready));
    if demo {
        table
            .route("/demo/mail", get(demo_mail::list))
            .route("/demo/mail/{id}", get(demo_mail::show))
    } else {
        table
    }
}

/// Every path the application answers (with `{…}` placeholders), for tests that must cover
/// all of them.
pub fn route_paths(demo: bool) -> Vec<&'static str> {
    table(demo).paths
}

/// The session cookie: `__Host-` prefixed and `Secure` behind HTTPS, never readable by
/// scripts, sent on top-level navigation from other sites (links in e-mails) but not on their
/// form posts.
fn session_layer(
    config: &Config,
    https: bool,
    store: DbSessionStore,
) -> SessionManagerLayer<DbSessionStore> {
    SessionManagerLayer::new(store)
        .with_name(if https { "__Host-eportal" } else { "eportal" })
        .with_secure(https)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(Duration::minutes(i64::from(
            config.session_idle_minutes,
        ))))
}

pub fn router(state: AppState) -> Router {
    let https = state.app.site.is_https();
    let metrics = state.metrics.clone();
    let sessions = session_layer(
        &state.config,
        https,
        DbSessionStore::new(state.app.db.clone()),
    );
    table(state.config.demo)
        .router
        .route_layer(axum::middleware::from_fn_with_state(
            metrics,
            metrics::track,
        ))
        .fallback(super::error::not_found)
        .layer(DefaultBodyLimit::max(csrf::FORM_BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::protect,
        ))
        .layer(sessions)
        .with_state(state)
        .layer(axum::middleware::from_fn(error::refusals_as_pages))
        .layer(axum::middleware::from_fn(move |request, next| {
            headers::add_security_headers(https, request, next)
        }))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// `/metrics` alone, for the listener of `metrics_listen`: never on the public one, where it
/// would tell anyone the portal's traffic.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics::show))
        .fallback(super::error::not_found)
        .with_state(state)
}

/// The span of a request: its method, path and id, never its query string, which carries the
/// tokens of e-mailed links.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|id| id.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), id)
}
