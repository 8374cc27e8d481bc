//! Who calls the API: the holder of a valid bearer token (SPEC §5.2), never a cookie.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use super::problem::ApiError;
use crate::domain::api_token::{ApiToken, Scope};
use crate::domain::throttle::ThrottleKey;
use crate::store::{api_tokens, throttles};
use crate::web::AppState;
use crate::web::kit::client::ClientAddr;

/// A request with a valid token; its use is recorded, and counted.
pub struct Client {
    /// The token's id, under which its idempotency keys are kept.
    pub id: i64,
    /// The token's name, for the audit trail.
    pub name: String,
    scopes: Vec<Scope>,
}

impl Client {
    /// Refuses (403) a token without `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(scope.as_str()))
        }
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split_once(' '))
            // The scheme's name is case-insensitive (RFC 9110 §11.1).
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .and_then(|(_, token)| ApiToken::parse(token.trim()))
            .ok_or(ApiError::Unauthorized)?;
        let Ok(ClientAddr(addr)) = ClientAddr::from_request_parts(parts, state).await;
        let now = state.app.now();
        let stored = api_tokens::authenticate(&state.app.db, &token, Some(&addr), now)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        // A window per calendar minute, so a steady client is never held back for long.
        let window = chrono::Duration::minutes(1);
        let (minute, second) = (
            now.timestamp().div_euclid(60),
            now.timestamp().rem_euclid(60),
        );
        let key = ThrottleKey::ApiToken(stored.id, minute);
        let share = state.config.api_requests_per_minute.get();
        if throttles::hit(&state.app.db, key, window, now).await? > share {
            let retry_after = u32::try_from(60 - second).unwrap_or(60);
            return Err(ApiError::TooMany { share, retry_after });
        }
        Ok(Client {
            id: stored.id,
            scopes: Scope::split(&stored.scopes),
            name: stored.name,
        })
    }
}
