//! Billing's data (SPEC §5.1 kinds) kept current through the API: each request applied whole
//! or not at all, by the same import code as the files.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::auth::Client;
use super::problem::{ApiError, ItemError, Problem};
use crate::app::import::{self as apply, Channel, ImportError, PdfProblem};
use crate::auth::secret::sha256_hex;
use crate::domain::api_token::Scope;
use crate::import::json::{ShapeError, index_of_line, table_of};
use crate::import::upload::PdfFile;
use crate::import::{Kind, LineError, ParseFailure, Source};
use crate::store::idempotency::{self, Claim};
use crate::web::AppState;

/// The most one request may carry.
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UpsertQuery {
    /// Check everything and answer what would change, storing nothing.
    #[serde(default)]
    dry_run: bool,
}

/// What a request changed (or, as a dry run, would change).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "items": 2, "inserted": 1, "updated": 1, "unchanged": 0, "deleted": 0, "dry_run": false }))]
pub struct Changes {
    pub items: usize,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Open items no longer in the complete set.
    pub deleted: usize,
    pub dry_run: bool,
}

fn shape_error(error: ShapeError) -> ItemError {
    let pointer = match &error.field {
        Some(field) => format!("/items/{}/{field}", error.index),
        None => format!("/items/{}", error.index),
    };
    ItemError {
        pointer,
        code: error.problem.code().to_owned(),
        detail: error.problem.to_string(),
    }
}

fn line_error(error: &LineError) -> ItemError {
    let index = index_of_line(error.line);
    let pointer = match &error.column {
        Some(column) => format!("/items/{index}/{column}"),
        None => format!("/items/{index}"),
    };
    ItemError {
        pointer,
        code: error
            .problem
            .message_id()
            .trim_start_matches("import-")
            .replace('-', "_"),
        detail: error.problem.to_string(),
    }
}

/// A body that could not be read: too large, or broken off.
fn body_refused(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge(BODY_LIMIT >> 20)
    } else {
        ApiError::Unprocessable(rejection.body_text())
    }
}

/// The longest `Idempotency-Key` taken.
const KEY_MAX_CHARS: usize = 255;

/// The request's `Idempotency-Key`, if it has one that is well formed.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|key| !key.is_empty() && key.len() <= KEY_MAX_CHARS)
        .map(|key| Some(key.to_owned()))
        .ok_or_else(|| {
            ApiError::Unprocessable(format!(
                "Idempotency-Key is 1 to {KEY_MAX_CHARS} visible ASCII characters"
            ))
        })
}

/// An answer given again, as it was first given.
fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let content_type = if status.is_success() {
        "application/json"
    } else {
        "application/problem+json"
    };
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// Upserts the items of a kind by their key; `open_items` replaces the complete set. The items'
/// fields are the file's column names (SPEC §5.1); numbers as JSON numbers or strings with a
/// decimal point, dates as `2026-01-31`. The whole request is stored, or nothing. With an
/// `Idempotency-Key`, a retry gets the first answer (the same key with another request: 422;
/// while the first runs: 409).
#[utoipa::path(
    put,
    path = "/api/v1/{kind}",
    tag = "billing",
    params(
        ("kind" = String, Path, description = "The kind of data (described path by path, see api::kinds)"),
        UpsertQuery,
        ("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 255, pattern = "^[!-~]([ -~]*[!-~])?$",
            description = "Makes a retry get the first answer instead of running again (kept a day); 1 to 255 visible ASCII characters")
    ),
    // The items' schema and example are each kind's own (api::kinds).
    request_body(content = Vec<Object>, description = "The items"),
    security(("bearer" = ["billing:write"])),
    responses(
        (status = 200, description = "Stored (or, as a dry run, checked)", body = Changes),
        (status = 403, description = "The token lacks billing:write", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with this Idempotency-Key is running, or another import held the database too long (SQLite): retry", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 64 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad items, each by its JSON pointer; nothing stored", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn upsert(
    State(state): State<AppState>,
    client: Client,
    Path(kind): Path<String>,
    query: Result<Query<UpsertQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    client.require(Scope::BillingWrite)?;
    let body = body.map_err(body_refused)?;
    let kind = Kind::parse(&kind).ok_or(ApiError::NotFound)?;
    let Query(query) = query.map_err(|rejection| ApiError::Unprocessable(rejection.body_text()))?;
    let key = idempotency_key(&headers)?;
    let db = &state.app.db;
    if let Some(key) = &key {
        let asked = format!("{}|{}|", kind.as_str(), query.dry_run);
        let hash = sha256_hex(&[asked.as_bytes(), &body].concat());
        match idempotency::claim(db, (client.id, key), &hash, state.app.now()).await? {
            Claim::Fresh => {}
            Claim::Answered { status, body } => return Ok(replay(status, body)),
            Claim::Running => {
                return Err(ApiError::Conflict(
                    "A request with this Idempotency-Key is still running.".to_owned(),
                ));
            }
            Claim::OtherRequest => {
                return Err(ApiError::Unprocessable(
                    "This Idempotency-Key was used for another request.".to_owned(),
                ));
            }
        }
    }
    let result = upsert_items(&state, &client, kind, query.dry_run, &body).await;
    if let Some(key) = &key {
        let kept = match &result {
            Ok(changes) => Some((200, serde_json::to_string(changes))),
            Err(ApiError::Internal(_)) => None,
            Err(error) => Some((
                error.problem().status,
                serde_json::to_string(&error.problem()),
            )),
        };
        match kept {
            Some((status, Ok(text))) => {
                idempotency::finish(db, (client.id, key), status, &text).await?;
            }
            _ => idempotency::release(db, (client.id, key)).await?,
        }
    }
    result.map(|changes| Json(changes).into_response())
}

/// The items of `body`, upserted (or checked, as a dry run).
async fn upsert_items(
    state: &AppState,
    client: &Client,
    kind: Kind,
    dry_run: bool,
    body: &[u8],
) -> Result<Changes, ApiError> {
    let items: Vec<Value> = serde_json::from_slice(body).map_err(|error| {
        ApiError::Unprocessable(format!("the body is not a JSON array: {error}"))
    })?;
    let table = table_of(kind, &items)
        .map_err(|errors| ApiError::BadItems(errors.into_iter().map(shape_error).collect()))?;
    let name = format!("api:{}:{}", client.name, kind.as_str());
    let file = apply::FileImport {
        kind,
        name: &name,
        source: Source::Bytes(table.into()),
        channel: Channel::Api,
        dry_run,
    };
    match apply::import_file(&state.app.db, file).await {
        Ok(outcome) => Ok(Changes {
            items: outcome.rows,
            inserted: outcome.changes.inserted,
            updated: outcome.changes.updated,
            unchanged: outcome.changes.unchanged,
            deleted: outcome.changes.deleted,
            dry_run: outcome.dry_run,
        }),
        Err(ImportError::Rejected(ParseFailure::Lines(lines))) => {
            Err(ApiError::BadItems(lines.iter().map(line_error).collect()))
        }
        Err(ImportError::Rejected(ParseFailure::File(file))) => {
            Err(ApiError::Unprocessable(file.to_string()))
        }
        Err(error @ ImportError::Busy) => Err(ApiError::Conflict(error.to_string())),
        Err(error) => Err(ApiError::Internal(error.to_string())),
    }
}

/// Stores an invoice's PDF (SPEC §5.1 "invoice PDFs"), which the customer then sees with the
/// invoice; the same PDF again changes nothing.
#[utoipa::path(
    put,
    path = "/api/v1/invoices/{number}/pdf",
    tag = "billing",
    params(("number" = String, Path, description = "The invoice's number")),
    request_body(content = String, content_type = "application/pdf", description = "The PDF's bytes, at most 20 MiB"),
    security(("bearer" = ["billing:write"])),
    responses(
        (status = 200, description = "Stored (or unchanged)", body = Changes),
        (status = 403, description = "The token lacks billing:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another import held the database too long (SQLite): retry", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 20 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a PDF", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn invoice_pdf(
    State(state): State<AppState>,
    client: Client,
    Path(number): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Changes>, ApiError> {
    client.require(Scope::BillingWrite)?;
    // No invoice number holds a control character (and the databases would refuse a NUL).
    if number.chars().any(char::is_control) {
        return Err(ApiError::NotFound);
    }
    let body = body.map_err(body_refused)?;
    let pdf = PdfFile {
        name: format!("{number}.pdf"),
        number,
        bytes: body.to_vec(),
    };
    let now = state.app.now();
    match apply::import_invoice_pdf(&state.app.db, pdf, Channel::Api, now).await {
        Ok(outcome) => Ok(Json(Changes {
            items: outcome.rows,
            inserted: outcome.changes.inserted,
            updated: outcome.changes.updated,
            unchanged: outcome.changes.unchanged,
            deleted: 0,
            dry_run: false,
        })),
        Err(ImportError::PdfsRejected(problems)) => Err(match problems.first() {
            Some(PdfProblem::UnknownInvoice { .. }) => ApiError::NotFound,
            Some(PdfProblem::TooLarge { max_mib, .. }) => {
                ApiError::TooLarge(usize::try_from(*max_mib).unwrap_or(usize::MAX))
            }
            _ => ApiError::Unprocessable("the body is not a PDF".to_owned()),
        }),
        Err(error @ ImportError::Busy) => Err(ApiError::Conflict(error.to_string())),
        Err(error) => Err(ApiError::Internal(error.to_string())),
    }
}
