//! The client's address, for throttling and the audit trail.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::web::AppState;

/// The address of the client: the peer, or behind a trusted proxy the address the proxy
/// appended last to `X-Forwarded-For` (earlier entries are the client's own word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.config.trust_forwarded_for
            && let Some(forwarded) = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .map(str::trim)
                .rfind(|value| !value.is_empty())
        {
            return Ok(ClientAddr(forwarded.to_owned()));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(
                || "unknown".to_owned(),
                |ConnectInfo(addr)| addr.ip().to_string(),
            );
        Ok(ClientAddr(peer))
    }
}
