//! Prometheus metrics at `/metrics`: requests by route and status, their durations and database
//! queries, and the state of the mail outbox.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::store::{self, outbox};
use crate::web::AppState;
use crate::web::WebError;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    /// The route pattern, not the path, so ids do not multiply the series.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutboxLabels {
    status: String,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RequestLabels, Histogram>,
    queries: Family<RequestLabels, Histogram>,
    outbox: Family<OutboxLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("eportal");
        let requests = Family::<RequestLabels, Counter>::default();
        let durations = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.001, 2.0, 14))
        });
        let queries = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, 20.0, 50.0])
        });
        let outbox = Family::<OutboxLabels, Gauge>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            durations.clone(),
        );
        registry.register(
            "db_queries_per_request",
            "Database queries run to answer an HTTP request, its session's included",
            queries.clone(),
        );
        registry.register(
            "outbox_messages",
            "Messages in the mail outbox by status",
            outbox.clone(),
        );
        Self {
            registry,
            requests,
            durations,
            queries,
            outbox,
        }
    }
}

/// Counts and times every request to a route (unmatched paths are not routes) and counts its
/// database queries. It wraps the session layers, so their loading and saving count too;
/// `mark_route` tells it the route, which is known only inside the router.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let metrics = &state.metrics;
    let started = Instant::now();
    let method = request.method().to_string();
    let (response, queries) = store::counting_queries(next.run(request)).await;
    let Some(route) = response.extensions().get::<MatchedPath>() else {
        return response;
    };
    let labels = RequestLabels {
        method,
        route: route.as_str().to_owned(),
        status: response.status().as_u16(),
    };
    metrics.requests.get_or_create(&labels).inc();
    metrics
        .durations
        .get_or_create(&labels)
        .observe(started.elapsed().as_secs_f64());
    metrics
        .queries
        .get_or_create(&labels)
        .observe(f64::from(queries));
    response
}

/// Hands the matched route to `track` on the response.
pub async fn mark_route(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}

pub async fn show(State(state): State<AppState>) -> Result<Response, WebError> {
    for (status, count) in outbox::count_by_status(&state.app.db).await? {
        state
            .metrics
            .outbox
            .get_or_create(&OutboxLabels {
                status: status.as_str().to_owned(),
            })
            .set(count);
    }
    let mut text = String::new();
    encode(&mut text, &state.metrics.registry)?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response())
}
