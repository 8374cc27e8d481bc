//! The customers' submitted readings for billing (SPEC §5.2): the feed that hands each over
//! once, in commit order, and billing's verdicts.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::Client;
use super::problem::{ApiError, Problem};
use crate::app::Origin;
use crate::app::readings::{self, Decided};
use crate::domain::api_token::Scope;
use crate::domain::billing::{ReasonCode, Verdict};
use crate::domain::quantity::Volume;
use crate::store::submitted_readings::{self, FeedRow};
use crate::web::AppState;
use crate::web::kit::client::ClientAddr;

/// Accepted or rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerdictStatus {
    Accepted,
    Rejected,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(example = json!({
    "status": "rejected",
    "reason_code": "less_than_previous",
    "reason": "The reading is lower than the one we read on 31. 1. 2026."
}))]
pub struct VerdictBody {
    pub status: VerdictStatus,
    #[serde(default, deserialize_with = "reason_code")]
    #[schema(schema_with = reason_code_schema)]
    pub reason_code: Option<ReasonCode>,
    /// What the customer is told: 1 to 500 characters on one line.
    #[schema(max_length = 500, pattern = r"^[^\x00-\x1F\x7F]*$")]
    pub reason: Option<String>,
}

/// A reason code by its word (`less_than_previous`, …), as files and the database write it.
fn reason_code<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ReasonCode>, D::Error> {
    let Some(word) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    ReasonCode::ALL
        .into_iter()
        .find(|code| code.as_str() == word)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown reason code “{word}”")))
}

/// The reason codes in the document, from the domain's list.
fn reason_code_schema() -> utoipa::openapi::Object {
    let mut words: Vec<serde_json::Value> = ReasonCode::ALL
        .into_iter()
        .map(|code| code.as_str().into())
        .collect();
    words.push(serde_json::Value::Null);
    utoipa::openapi::ObjectBuilder::new()
        .description(Some("Why a reading was rejected (needed with `rejected`)."))
        .enum_values(Some(words))
        .build()
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
                if reason.is_empty()
                    || reason.chars().count() > REASON_MAX_CHARS
                    || reason.chars().any(char::is_control)
                {
                    return Err(ApiError::Unprocessable(format!(
                        "a rejection needs a reason of 1 to {REASON_MAX_CHARS} characters, \
                         on one line"
                    )));
                }
                Ok(Verdict::Rejected { code, reason })
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
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
    body: Result<Json<VerdictBody>, axum::extract::rejection::JsonRejection>,
) -> Result<StatusCode, ApiError> {
    client.require(Scope::ReadingsWrite)?;
    let Path(id) = id.map_err(|_| ApiError::NotFound)?;
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

/// Where a reader of the feed stands: opaque; pass back the `next_cursor` of the last answer.
struct Cursor(i64);

impl Cursor {
    fn parse(text: &str) -> Result<Self, ApiError> {
        let bad = || ApiError::Unprocessable("after is not a cursor this feed gave".to_owned());
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
        let place = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| text.strip_prefix("seq:"))
            .and_then(|place| place.parse::<i64>().ok())
            .filter(|place| *place >= 0)
            .ok_or_else(bad)?;
        Ok(Cursor(place))
    }

    fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("seq:{}", self.0))
    }
}

/// Which part of the feed to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The `next_cursor` of the previous answer; absent: from the beginning.
    after: Option<String>,
    /// How many submissions at most, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u64>,
}

/// A reading a customer submitted.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1234, "payer_code": "204518", "point_code": "0715910", "meter_serial": "ZN-15636593",
    "date": "2026-11-29", "value": "621.500", "submitted_at": "2026-11-29T11:32:05Z", "replaces": null
}))]
pub struct SubmittedReading {
    pub id: i64,
    pub payer_code: String,
    pub point_code: String,
    pub meter_serial: String,
    /// The day of the reading.
    pub date: NaiveDate,
    /// The meter's value in m³, with a decimal point.
    pub value: String,
    pub submitted_at: DateTime<Utc>,
    /// The id of the submission of the same meter and day this one replaces.
    pub replaces: Option<i64>,
}

impl From<FeedRow> for SubmittedReading {
    fn from(row: FeedRow) -> Self {
        Self {
            id: row.id,
            payer_code: row.payer_code,
            point_code: row.point_code,
            meter_serial: row.meter_serial,
            date: row.read_on,
            value: Volume::from_litres(row.litres).to_m3_decimal().to_string(),
            submitted_at: row.submitted_at,
            replaces: row.replaces_id,
        }
    }
}

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPage {
    pub items: Vec<SubmittedReading>,
    /// Where to go on from: pass it as `after` (also when `items` is empty).
    pub next_cursor: String,
}

/// The most submissions one answer holds.
const FEED_MAX: u64 = 1000;

/// The customers' submissions in the order they were committed, each once: follow
/// `next_cursor` and no submission is skipped, even when they commit out of order.
#[utoipa::path(
    get,
    path = "/api/v1/submitted-readings",
    tag = "readings",
    params(FeedQuery),
    security(("bearer" = ["readings:read"])),
    responses(
        (status = 200, description = "The next submissions", body = FeedPage, links(
            ("verdict_on_first" = (
                operation_id = "verdict",
                parameters(("id" = "$response.body#/items/0/id")),
                description = "Billing's verdict on the first submission of the page"
            ))
        )),
        (status = 403, description = "The token lacks readings:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A cursor or limit this feed does not know", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn feed(
    State(state): State<AppState>,
    client: Client,
    query: Result<Query<FeedQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<FeedPage>, ApiError> {
    client.require(Scope::ReadingsRead)?;
    let Query(query) = query.map_err(|rejection| ApiError::Unprocessable(rejection.body_text()))?;
    let after = match &query.after {
        Some(text) => Cursor::parse(text)?,
        None => Cursor(0),
    };
    let limit = query.limit.unwrap_or(100);
    if !(1..=FEED_MAX).contains(&limit) {
        return Err(ApiError::Unprocessable(format!(
            "limit is from 1 to {FEED_MAX}"
        )));
    }
    let rows = submitted_readings::feed(&state.app.db, after.0, limit).await?;
    let next = rows.last().map_or(after.0, |row| row.feed_seq);
    Ok(Json(FeedPage {
        items: rows.into_iter().map(SubmittedReading::from).collect(),
        next_cursor: Cursor(next).encode(),
    }))
}
