//! Billing's data (SPEC §5.1 kinds) kept current through the API: each request applied whole
//! or not at all, by the same import code as the files.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::auth::Client;
use super::problem::{ApiError, ItemError, Problem};
use crate::app::import::{self as apply, Channel, ImportError};
use crate::domain::api_token::Scope;
use crate::import::json::{ShapeError, index_of_line, table_of};
use crate::import::{Kind, LineError, ParseFailure};
use crate::web::AppState;

/// The most one request may carry.
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// A kind of billing data (SPEC §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BillingKind {
    Payers,
    Prices,
    Points,
    Meters,
    Readings,
    Invoices,
    InvoiceLines,
    OpenItems,
}

impl From<BillingKind> for Kind {
    fn from(kind: BillingKind) -> Self {
        match kind {
            BillingKind::Payers => Kind::Payers,
            BillingKind::Prices => Kind::Prices,
            BillingKind::Points => Kind::Points,
            BillingKind::Meters => Kind::Meters,
            BillingKind::Readings => Kind::Readings,
            BillingKind::Invoices => Kind::Invoices,
            BillingKind::InvoiceLines => Kind::InvoiceLines,
            BillingKind::OpenItems => Kind::OpenItems,
        }
    }
}

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

/// Upserts the items of a kind by their key; `open_items` replaces the complete set. The items'
/// fields are the file's column names (SPEC §5.1); numbers as JSON numbers or strings with a
/// decimal point, dates as `2026-01-31`. The whole request is stored, or nothing.
#[utoipa::path(
    put,
    path = "/api/v1/{kind}",
    tag = "billing",
    params(("kind" = BillingKind, Path, description = "The kind of data"), UpsertQuery),
    request_body(content = Vec<Object>, description = "The items", example = json!([
        { "payer_code": "700101", "name": "ŽAGAR MARIJA", "street": "Tržaška cesta 12", "postal_code": "1360", "city": "Vrhnika", "tax_number": "10000003" }
    ])),
    security(("bearer" = ["billing:write"])),
    responses(
        (status = 200, description = "Stored (or, as a dry run, checked)", body = Changes),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks billing:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such kind", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 64 MiB"),
        (status = 422, description = "Bad items, each by its JSON pointer; nothing stored", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn upsert(
    State(state): State<AppState>,
    client: Client,
    kind: Result<Path<BillingKind>, axum::extract::rejection::PathRejection>,
    query: Result<Query<UpsertQuery>, axum::extract::rejection::QueryRejection>,
    body: Result<Json<Vec<Value>>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Changes>, ApiError> {
    client.require(Scope::BillingWrite)?;
    let Path(kind) = kind.map_err(|_| ApiError::NotFound)?;
    let Query(query) = query.map_err(|rejection| ApiError::Unprocessable(rejection.body_text()))?;
    let Json(items) = body.map_err(|rejection| ApiError::Unprocessable(rejection.body_text()))?;
    let kind = Kind::from(kind);
    let table = table_of(kind, &items)
        .map_err(|errors| ApiError::BadItems(errors.into_iter().map(shape_error).collect()))?;
    let name = format!("api:{}:{}", client.name, kind.as_str());
    match apply::import_file(
        &state.app.db,
        kind,
        &name,
        &table,
        Channel::Api,
        query.dry_run,
    )
    .await
    {
        Ok(outcome) => Ok(Json(Changes {
            items: outcome.rows,
            inserted: outcome.changes.inserted,
            updated: outcome.changes.updated,
            unchanged: outcome.changes.unchanged,
            deleted: outcome.changes.deleted,
            dry_run: outcome.dry_run,
        })),
        Err(ImportError::Rejected(ParseFailure::Lines(lines))) => {
            Err(ApiError::BadItems(lines.iter().map(line_error).collect()))
        }
        Err(ImportError::Rejected(ParseFailure::File(file))) => {
            Err(ApiError::Unprocessable(file.to_string()))
        }
        Err(error) => Err(ApiError::Internal(error.to_string())),
    }
}
