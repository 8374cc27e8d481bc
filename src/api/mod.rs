//! The billing API (SPEC §5.2): JSON, bearer tokens, no session and no CSRF, described by an
//! OpenAPI 3.1 document generated from these handlers and served at `/api/openapi.json`.

pub mod auth;
pub mod billing;
pub mod problem;
pub mod readings;

use axum::Json;
use axum::routing::get;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::web::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ePortal billing API",
        description = "Keeps ePortal current with the billing system and takes the customers' readings back. Every request carries `Authorization: Bearer <token>`; errors are RFC 9457 problem details."
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "billing", description = "Billing's data, kept current"),
        (name = "readings", description = "The customers' submitted readings")
    )
)]
struct ApiDoc;

/// The bearer scheme every operation names.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "An API token (`ept_…`) made in the back office or by `eportal token create`.",
            ))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The API's routes and the document that describes them, from the same handlers.
pub fn routes() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(billing::upsert))
        .routes(routes!(billing::invoice_pdf))
        .routes(routes!(readings::feed))
        .routes(routes!(readings::verdict))
        .split_for_parts()
}

/// The API's routes and `/api/openapi.json`; a request may carry up to
/// [`billing::BODY_LIMIT`].
pub fn router() -> axum::Router<AppState> {
    let (router, document) = routes();
    router
        .route(
            "/api/openapi.json",
            get(move || async move { Json(document) }),
        )
        .layer(axum::extract::DefaultBodyLimit::max(billing::BODY_LIMIT))
}
