//! For whoever runs the portal: liveness and readiness (no session, no cookies), Prometheus
//! metrics on their own listener, and the demo's list of sent mail.

pub mod demo_mail;
pub mod health;
pub mod metrics;

use axum::routing::get;

use super::router::Table;

/// Probes a load balancer or orchestrator calls: they take no session and set no cookie.
pub(super) fn probes(table: Table) -> Table {
    table
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
}

/// The demo's mail pages (`serve --demo` only), framed like the portal's pages.
pub(super) fn demo_pages(table: Table) -> Table {
    table
        .route("/demo/mail", get(demo_mail::list))
        .route("/demo/mail/{id}", get(demo_mail::show))
}
