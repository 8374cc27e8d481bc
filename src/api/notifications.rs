//! The payers who get their invoices by e-mail ("Račun po e-pošti"), so that billing need not
//! print theirs; the back office offers the same list as CSV.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Client;
use super::problem::{ApiError, Problem};
use crate::app::Origin;
use crate::app::notifications;
use crate::domain::api_token::Scope;
use crate::store::audit::Actor;
use crate::store::notifications::InvoiceEmailPayer;
use crate::web::AppState;
use crate::web::kit::client::ClientAddr;

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "items": [{
        "payer_code": "204518",
        "name": "KOVAČIČ MOJCA",
        "email": "mojca.kovacic@example.com",
        "since": "2026-11-30T08:15:00Z"
    }]
}))]
pub struct InvoiceEmailPayers {
    /// Every such payer, by payer code.
    pub items: Vec<InvoiceEmailPayer>,
}

#[utoipa::path(
    get,
    path = "/api/v1/invoice-email-payers",
    tag = "billing",
    security(("bearer" = ["billing:write"])),
    responses(
        (status = 200, description = "The payers who get their invoices by e-mail", body = InvoiceEmailPayers),
        (status = 403, description = "The token lacks billing:write", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn invoice_email_payers(
    State(state): State<AppState>,
    client: Client,
    ClientAddr(addr): ClientAddr,
) -> Result<Json<InvoiceEmailPayers>, ApiError> {
    client.require(Scope::BillingWrite)?;
    let origin = Origin::web(addr);
    let actor = Actor::Api(&client.name);
    let items = notifications::export_invoice_email_payers(&state.app, &origin, actor).await?;
    Ok(Json(InvoiceEmailPayers { items }))
}
