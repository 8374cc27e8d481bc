//! Liveness and readiness for load balancers and orchestrators.

use axum::extract::State;
use axum::http::StatusCode;

use crate::store;
use crate::web::AppState;

/// The process answers.
pub async fn live() -> &'static str {
    "ok"
}

/// The process can serve: the database answers.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match store::ping(&state.app.db).await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed: the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
