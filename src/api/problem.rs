//! The API's errors as RFC 9457 problem details (`application/problem+json`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// A problem detail: what went wrong, for a program (`type`, `status`) and a person (`title`,
/// `detail`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "https://eportal.example/problems/conflict",
    "title": "Conflict",
    "status": 409,
    "detail": "The reading has another verdict already."
}))]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Each bad item of a request, when there are any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ItemError>,
}

/// What is wrong with one item (or one of its fields) of a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({ "pointer": "/items/17/due_date", "code": "bad_date", "detail": "“31.2.2026” is not a valid date (31.01.2020 or 2020-01-31)" }))]
pub struct ItemError {
    /// A JSON pointer into the request (`/items/<index>/<field>`).
    pub pointer: String,
    /// What kind of problem, for programs.
    pub code: String,
    pub detail: String,
}

/// Why an API request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No token, or one that is malformed, unknown, expired or revoked.
    #[error("a valid bearer token is required")]
    Unauthorized,
    #[error("the token lacks the scope {0}")]
    Forbidden(&'static str),
    #[error("not found")]
    NotFound,
    /// Over the token's share of this calendar minute; the next begins in `retry_after` seconds.
    #[error("more than {share} requests a minute with this token; wait {retry_after} seconds")]
    TooMany { share: u32, retry_after: u32 },
    #[error("the body is larger than the {0} MiB a request may carry")]
    TooLarge(usize),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unprocessable(String),
    /// Items that cannot be stored, each by its pointer; nothing was stored.
    #[error("{} items or fields cannot be stored; nothing was stored", .0.len())]
    BadItems(Vec<ItemError>),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<crate::app::AppError> for ApiError {
    fn from(error: crate::app::AppError) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(error: crate::store::StoreError) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unprocessable(_) | ApiError::BadItems(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn slug(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::TooMany { .. } => "too_many_requests",
            ApiError::TooLarge(_) => "too_large",
            ApiError::Conflict(_) => "conflict",
            ApiError::Unprocessable(_) => "unprocessable",
            ApiError::BadItems(_) => "bad_items",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl ApiError {
    /// The problem detail this error answers with.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let errors = match &self {
            ApiError::BadItems(errors) => errors.clone(),
            _ => Vec::new(),
        };
        let detail = match &self {
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "API request failed");
                "Something went wrong on our side; try again later.".to_owned()
            }
            other => other.to_string(),
        };
        Problem {
            kind: format!("https://eportal.example/problems/{}", self.slug()),
            title: status.canonical_reason().unwrap_or_default().to_owned(),
            status: status.as_u16(),
            detail,
            errors,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (status, axum::Json(self.problem())).into_response();
        let retry_after = match self {
            ApiError::TooMany { retry_after, .. } => Some(retry_after),
            _ => None,
        };
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
