//! The customers' submitted readings for billing (SPEC §5.2): billing's verdicts.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::Client;
use super::problem::{ApiError, Problem};
use crate::app::Origin;
use crate::app::readings::{self, Decided};
use crate::domain::api_token::Scope;
use crate::domain::billing::{ReasonCode, Verdict};
use crate::web::AppState;
use crate::web::kit::client::ClientAddr;

/// Accepted or rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerdictStatus {
    Accepted,
    Rejected,
}

/// Why a reading was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerdictReasonCode {
    LessThanPrevious,
    GreaterThanSubsequent,
    Implausible,
    MeterRemoved,
    Duplicate,
    Other,
}

impl From<VerdictReasonCode> for ReasonCode {
    fn from(code: VerdictReasonCode) -> Self {
        match code {
            VerdictReasonCode::LessThanPrevious => ReasonCode::LessThanPrevious,
            VerdictReasonCode::GreaterThanSubsequent => ReasonCode::GreaterThanSubsequent,
            VerdictReasonCode::Implausible => ReasonCode::Implausible,
            VerdictReasonCode::MeterRemoved => ReasonCode::MeterRemoved,
            VerdictReasonCode::Duplicate => ReasonCode::Duplicate,
            VerdictReasonCode::Other => ReasonCode::Other,
        }
    }
}

/// Billing's verdict on a submitted reading. A rejection needs a reason code and the words the
/// customer is told (at most 500 characters).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(example = json!({
    "status": "rejected",
    "reason_code": "less_than_previous",
    "reason": "The reading is lower than the one we read on 31. 1. 2026."
}))]
pub struct VerdictBody {
    pub status: VerdictStatus,
    pub reason_code: Option<VerdictReasonCode>,
    pub reason: Option<String>,
}

/// The longest reason taken.
const REASON_MAX_CHARS: usize = 500;

impl VerdictBody {
    fn verdict(self) -> Result<Verdict, ApiError> {
        match self.status {
            VerdictStatus::Accepted => Ok(Verdict::Accepted),
            VerdictStatus::Rejected => {
                let code = self.reason_code.ok_or_else(|| {
                    ApiError::Unprocessable("a rejection needs a reason_code".to_owned())
                })?;
                let reason = self.reason.unwrap_or_default().trim().to_owned();
                if reason.is_empty() || reason.chars().count() > REASON_MAX_CHARS {
                    return Err(ApiError::Unprocessable(format!(
                        "a rejection needs a reason of 1 to {REASON_MAX_CHARS} characters"
                    )));
                }
                Ok(Verdict::Rejected {
                    code: code.into(),
                    reason,
                })
            }
        }
    }
}

/// Records billing's verdict on a submitted reading; the customer sees it and is e-mailed a
/// rejection. The same verdict again changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/submitted-readings/{id}/verdict",
    tag = "readings",
    params(("id" = i64, Path, description = "The submitted reading's id")),
    request_body = VerdictBody,
    security(("bearer" = ["readings:write"])),
    responses(
        (status = 204, description = "Recorded, or it was this verdict already"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks readings:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reading", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The reading has another verdict", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The verdict is not well formed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn verdict(
    State(state): State<AppState>,
    client: Client,
    ClientAddr(addr): ClientAddr,
    Path(id): Path<i64>,
    body: Result<Json<VerdictBody>, axum::extract::rejection::JsonRejection>,
) -> Result<StatusCode, ApiError> {
    client.require(Scope::ReadingsWrite)?;
    let Json(body) = body.map_err(|rejection| ApiError::Unprocessable(rejection.body_text()))?;
    let verdict = body.verdict()?;
    let origin = Origin::web(addr);
    match readings::decide(&state.app, &origin, &client.name, id, &verdict).await? {
        Decided::Recorded | Decided::AlreadySo => Ok(StatusCode::NO_CONTENT),
        Decided::Conflict => Err(ApiError::Conflict(
            "The reading has another verdict already.".to_owned(),
        )),
        Decided::NotFound => Err(ApiError::NotFound),
    }
}
