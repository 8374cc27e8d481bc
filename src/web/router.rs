//! Every route of the application, in one place.

use axum::Router;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use super::{AppState, assets, demo_mail, headers, health, lang, metrics, sign_in};

pub fn router(state: AppState) -> Router {
    let mut router = Router::new()
        .route("/", get(sign_in::show))
        .route("/lang/{code}", get(lang::switch))
        .route("/static/{name}", get(assets::serve))
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(metrics::show));
    if state.config.demo {
        router = router
            .route("/demo/mail", get(demo_mail::list))
            .route("/demo/mail/{id}", get(demo_mail::show));
    }
    let https = state.config.is_https();
    let metrics = state.metrics.clone();
    router
        .route_layer(axum::middleware::from_fn_with_state(
            metrics,
            metrics::track,
        ))
        .fallback(super::error::not_found)
        .with_state(state)
        .layer(axum::middleware::from_fn(move |request, next| {
            headers::add_security_headers(https, request, next)
        }))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}
