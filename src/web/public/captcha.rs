//! The picture and the sound of the session's current CAPTCHA ("Znak iz slike"). Forms show
//! them through `templates/captcha_field.html`; `?v=` in their URLs only defeats caches.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::captcha::{self, CaptchaError, Challenge};
use crate::web::WebError;

pub async fn image(session: Session) -> Result<Response, WebError> {
    serve(&session, "image/png", Challenge::image_png).await
}

pub async fn audio(session: Session) -> Result<Response, WebError> {
    serve(&session, "audio/wav", Challenge::audio_wav).await
}

async fn serve(
    session: &Session,
    content_type: &'static str,
    render: fn(&Challenge) -> Result<Vec<u8>, CaptchaError>,
) -> Result<Response, WebError> {
    let challenge = captcha::current(session).await?.ok_or(WebError::NotFound)?;
    let headers = [
        (header::CONTENT_TYPE, content_type),
        // A stored copy would outlive the challenge and show a stale one.
        (header::CACHE_CONTROL, "no-store"),
    ];
    Ok((headers, render(&challenge)?).into_response())
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::{Body, to_bytes};
    use axum::http::{Request, StatusCode, header};
    use axum::routing::get;
    use tower::ServiceExt;
    use tower_sessions::SessionManagerLayer;

    use super::*;

    async fn get_with(app: &Router, path: &str, cookie: Option<&str>) -> Response {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        app.clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn serves_the_current_challenge_and_nothing_else() {
        let (store, _dir) = captcha::test_session_store().await;
        let app = Router::new()
            .route(
                "/issue",
                get(
                    |session: Session| async move { captcha::issue(&session).await.unwrap().nonce },
                ),
            )
            .route("/captcha/image", get(image))
            .route("/captcha/audio", get(audio))
            .layer(SessionManagerLayer::new(store).with_secure(false));

        let none = get_with(&app, "/captcha/image", None).await;
        assert_eq!(none.status(), StatusCode::NOT_FOUND);

        let issued = get_with(&app, "/issue", None).await;
        let set_cookie = issued.headers()[header::SET_COOKIE].to_str().unwrap();
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        for (path, content_type, magic) in [
            ("/captcha/image?v=1", "image/png", &b"\x89PNG"[..]),
            ("/captcha/audio?v=1", "audio/wav", &b"RIFF"[..]),
        ] {
            let response = get_with(&app, path, Some(&cookie)).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(response.headers()[header::CONTENT_TYPE], content_type);
            assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
            let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
            assert!(body.starts_with(magic), "{path}");
        }
    }
}
