//! The picture and the sound of the session's current CAPTCHA ("Znak iz slike"). Forms show
//! them through `templates/captcha_field.html`; `?v=` in their URLs only defeats caches.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use super::WebError;
use crate::captcha::{self, CaptchaError, Challenge};

pub async fn image(session: Session) -> Response {
    serve(&session, "image/png", Challenge::image_png).await
}

pub async fn audio(session: Session) -> Response {
    serve(&session, "audio/wav", Challenge::audio_wav).await
}

async fn serve(
    session: &Session,
    content_type: &'static str,
    render: fn(&Challenge) -> Result<Vec<u8>, CaptchaError>,
) -> Response {
    let rendered = captcha::current(session)
        .await
        .and_then(|challenge| challenge.as_ref().map(render).transpose());
    match rendered {
        Ok(Some(body)) => (
            [
                (header::CONTENT_TYPE, content_type),
                // A stored copy would outlive the challenge and show a stale one.
                (header::CACHE_CONTROL, "no-store"),
            ],
            body,
        )
            .into_response(),
        Ok(None) => WebError::NotFound.into_response(),
        // Only the picture or the sound fails, inside a page that is fine: a status will do.
        Err(error) => {
            tracing::error!(%error, "CAPTCHA not rendered");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
