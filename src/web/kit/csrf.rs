//! Cross-site request forgery: every state-changing request must come from our own pages —
//! its Origin (or, lacking one, Referer) is ours, and it carries the session's token, as the
//! form field `csrf_token` or, for file uploads, in the query string. Anything else gets 403
//! and changes nothing.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::auth::secret::new_token;
use crate::web::AppState;
use crate::web::kit::error::refusal_page;
use crate::web::kit::lang::lang_of;

const SESSION_KEY: &str = "csrf";
pub const FIELD: &str = "csrf_token";
/// The most a form may send: far more than any form's fields need, little enough that nobody
/// can make the server hold much. Routes that take uploads raise it for themselves.
pub const FORM_BODY_LIMIT: usize = 64 * 1024;

/// The session's token, made on first use.
pub async fn token(session: &Session) -> Result<String, tower_sessions::session::Error> {
    if let Some(token) = session.get::<String>(SESSION_KEY).await? {
        return Ok(token);
    }
    let token = new_token();
    session.insert(SESSION_KEY, &token).await?;
    Ok(token)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// `scheme://host[:port]` of a URL, as browsers send it in `Origin`.
fn origin_of(url: &url::Url) -> String {
    url.origin().ascii_serialization()
}

fn from_our_site(request: &Request, ours: &str) -> bool {
    let headers = request.headers();
    if let Some(origin) = headers.get(header::ORIGIN) {
        return origin.to_str().is_ok_and(|origin| origin == ours);
    }
    headers
        .get(header::REFERER)
        .and_then(|referer| referer.to_str().ok())
        .and_then(|referer| url::Url::parse(referer).ok())
        .is_some_and(|referer| origin_of(&referer) == ours)
}

fn field_value(encoded: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(encoded)
        .find(|(name, _)| name == FIELD)
        .map(|(_, value)| value.into_owned())
}

fn same(a: &str, b: &str) -> bool {
    // Constant time over the length, so timing does not reveal a prefix.
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub async fn protect(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    if is_safe(request.method()) {
        return next.run(request).await;
    }
    let lang = lang_of(request.headers());
    if !from_our_site(&request, &origin_of(&state.app.site.public_url.clone())) {
        tracing::warn!(path = %request.uri().path(), "refused a request from another site");
        return refusal(lang);
    }
    let expected = match session.get::<String>(SESSION_KEY).await {
        Ok(Some(token)) => token,
        Ok(None) => return refusal(lang),
        Err(error) => {
            tracing::error!(%error, "cannot read the session");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let from_query = request
        .uri()
        .query()
        .and_then(|query| field_value(query.as_bytes()));
    let (parts, body) = request.into_parts();
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    let (sent, body) = match from_query {
        Some(token) => (Some(token), body),
        None if is_form => match to_bytes(body, FORM_BODY_LIMIT).await {
            Ok(bytes) => (field_value(&bytes), Body::from(bytes)),
            Err(_) => {
                return refusal_page(
                    lang,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "refused-too-large-title",
                    "refused-too-large-text",
                );
            }
        },
        None => (None, body),
    };
    match sent {
        Some(sent) if same(&sent, &expected) => next.run(Request::from_parts(parts, body)).await,
        _ => {
            tracing::warn!(path = %parts.uri.path(), "refused a request without a valid form token");
            refusal(lang)
        }
    }
}

/// Most often an expired session behind an old page, so the page says how to go on.
fn refusal(lang: crate::i18n::Lang) -> Response {
    refusal_page(lang, StatusCode::FORBIDDEN, "csrf-title", "csrf-text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_a_form_body() {
        assert_eq!(
            field_value(b"a=1&csrf_token=abc%20d&b=2").as_deref(),
            Some("abc d")
        );
        assert_eq!(field_value(b"a=1"), None);
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abcdef", "abcdef"));
        assert!(!same("abcdef", "abcdeg"));
        assert!(!same("abc", "abcdef"));
    }
}
