//! The routes of every audience merged in one router, with the layers each group needs.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{MethodRouter, get};
use time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use super::kit::{auth, csrf, error, headers};
use super::ops::metrics;
use super::{AppState, account, ops, portal, public, staff};
use crate::config::Config;
use crate::store;
use crate::store::sessions::DbSessionStore;

/// Routes and the list of their paths, built together so the list cannot miss one.
pub(super) struct Table {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Table {
    fn new() -> Self {
        Self {
            router: Router::new(),
            paths: Vec::new(),
        }
    }

    pub(super) fn route(mut self, path: &'static str, handlers: MethodRouter<AppState>) -> Self {
        self.paths.push(path);
        self.router = self.router.route(path, handlers);
        self
    }
}

/// The pages, by audience: they share the session, the form token and the form size limit.
fn pages(demo: bool) -> Table {
    let table = portal::routes(account::routes(public::routes(Table::new())));
    if demo { ops::demo_pages(table) } else { table }
}

/// Every path the application answers (with `{…}` placeholders), for tests that must cover
/// all of them.
pub fn route_paths(demo: bool) -> Vec<&'static str> {
    let mut paths = pages(demo).paths;
    paths.extend(public::mail_links(Table::new()).paths);
    paths.extend(staff::routes(Table::new()).paths);
    paths.extend(ops::probes(Table::new()).paths);
    paths
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

/// Minutes without a request after which a staff session ends (SPEC §4).
pub(super) const STAFF_IDLE_MINUTES: i64 = 15;

/// The back office's cookie: sent only to `/staff`, never to other sites' requests, `Secure`
/// behind HTTPS (the `__Host-` prefix needs the path `/`, so `__Secure-`).
fn staff_session_layer(https: bool, store: DbSessionStore) -> SessionManagerLayer<DbSessionStore> {
    SessionManagerLayer::new(store)
        .with_name(if https {
            "__Secure-eportal_staff"
        } else {
            "eportal_staff"
        })
        .with_secure(https)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/staff")
        .with_expiry(Expiry::OnInactivity(Duration::minutes(STAFF_IDLE_MINUTES)))
}

pub fn router(state: AppState) -> Router {
    let https = state.app.site.is_https();
    let mark_route = axum::middleware::from_fn(metrics::mark_route);
    let store = DbSessionStore::new(state.app.db.clone());
    let pages = pages(state.config.demo)
        .router
        .route_layer(mark_route.clone())
        .fallback(error::not_found)
        .layer(DefaultBodyLimit::max(csrf::FORM_BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::protect,
        ))
        .layer(session_layer(&state.config, https, store))
        .layer(axum::middleware::from_fn(auth::remember_loaded_customer));
    // The session gives these pages their language; no form token, whose absence is the
    // point (`public::mail_links`).
    let mail_links = public::mail_links(Table::new())
        .router
        .route_layer(mark_route.clone())
        .layer(DefaultBodyLimit::max(csrf::FORM_BODY_LIMIT))
        .layer(session_layer(
            &state.config,
            https,
            DbSessionStore::new(state.app.db.clone()),
        ));
    // The back office has a session of its own, whose cookie goes only to `/staff`.
    let staff = staff::routes(Table::new())
        .router
        .route_layer(mark_route.clone())
        .layer(DefaultBodyLimit::max(csrf::FORM_BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::protect,
        ))
        .layer(staff_session_layer(
            https,
            DbSessionStore::new(state.app.db.clone()),
        ));
    // The API takes no cookie: no session, no CSRF; its own errors are problem details.
    let api = crate::api::router().route_layer(mark_route.clone());
    // The probes go around the session layers: a health check makes no session.
    let probes = ops::probes(Table::new()).router.route_layer(mark_route);
    probes
        .merge(pages)
        .merge(mail_links)
        .merge(staff)
        .merge(api)
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(axum::middleware::from_fn(reading_on_one_connection))
        .layer(axum::middleware::from_fn(error::refusals_as_pages))
        .layer(axum::middleware::from_fn(move |request, next| {
            headers::add_security_headers(https, request, next)
        }))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// A request that only looks reads on one connection (`store::reading_on_one_connection`).
/// Others take one for each statement: a form's sign-in, say, would hold its connection for as
/// long as the password's hash takes.
async fn reading_on_one_connection(request: Request, next: Next) -> Response {
    if request.method().is_safe() {
        store::reading_on_one_connection(next.run(request)).await
    } else {
        next.run(request).await
    }
}

/// `/metrics` alone, for the listener of `metrics_listen`: never on the public one, where it
/// would tell anyone the portal's traffic.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics::show))
        .fallback(error::not_found)
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
