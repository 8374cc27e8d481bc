//! The billing API (SPEC §5.2): JSON, bearer tokens, no session and no CSRF, described by an
//! OpenAPI 3.1 document generated from these handlers and served at `/api/openapi.json`.

pub mod auth;
pub mod billing;
mod kinds;
pub mod notifications;
pub mod problem;
pub mod readings;

use axum::Json;
use axum::routing::get;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, KnownFormat, ObjectBuilder, Ref, SchemaFormat, Type};
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

/// The answers every operation may give before its handler runs: the [`auth::Client`] extractor
/// refuses a request without a valid token (401) and one over the token's share (429).
struct ClientRefusals;

impl Modify for ClientRefusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let problem = || {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build()
        };
        let unauthorized = ResponseBuilder::new()
            .description("No token, or one that is unknown, expired or revoked")
            .header(
                "WWW-Authenticate",
                HeaderBuilder::new()
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                    .description(Some("`Bearer`"))
                    .build(),
            )
            .content("application/problem+json", problem())
            .build();
        let throttled = ResponseBuilder::new()
            .description(
                "More requests in this minute with this token than the server allows \
                 (`api_requests_per_minute`, 600 unless configured)",
            )
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(Some(
                        ObjectBuilder::new()
                            .schema_type(Type::Integer)
                            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
                            .minimum(Some(1)),
                    ))
                    .description(Some("Seconds to wait before the next request"))
                    .build(),
            )
            .content("application/problem+json", problem())
            .build();
        let operations = openapi.paths.paths.values_mut().flat_map(|item| {
            [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
        });
        for operation in operations {
            let responses = &mut operation.responses.responses;
            responses.insert("401".to_owned(), unauthorized.clone().into());
            responses.insert("429".to_owned(), throttled.clone().into());
        }
    }
}

/// The API's routes and the document that describes them, from the same handlers.
pub fn routes() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(billing::upsert))
        .routes(routes!(billing::invoice_pdf))
        .routes(routes!(notifications::invoice_email_payers))
        .routes(routes!(readings::feed))
        .routes(routes!(readings::verdict))
        .split_for_parts();
    kinds::describe_each_kind(&mut document);
    ClientRefusals.modify(&mut document);
    (router, document)
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
