//! Static files, compiled into the binary.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::web::WebError;

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "site.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../static/site.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../../static/favicon.svg"),
    ),
];

pub async fn serve(Path(name): Path<String>) -> Result<Response, WebError> {
    let (_, content_type, body) = FILES
        .iter()
        .find(|(file, _, _)| *file == name)
        .ok_or(WebError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, *content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        *body,
    )
        .into_response())
}
