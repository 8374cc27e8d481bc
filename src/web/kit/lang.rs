//! The interface language: Slovenian unless the user chose English (a cookie remembers it).

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::i18n::Lang;

const COOKIE: &str = "lang";

/// The language a request asks for, Slovenian unless its cookie says otherwise.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    from_cookie(headers).unwrap_or_default()
}

fn from_cookie(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| Lang::parse(value))
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only paths of this site, so the switch cannot send anyone elsewhere: no `//host`, no
/// backslash, and no white space or control character, which browsers drop (`/\t/evil`
/// would become `//evil`) or which would break the header.
fn local_path(next: Option<String>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path
                    .chars()
                    .any(|c| c == '\\' || c.is_whitespace() || c.is_control()) =>
        {
            path
        }
        _ => "/".to_owned(),
    }
}

pub async fn switch(Path(code): Path<String>, Query(query): Query<Next>) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    let cookie = format!(
        "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&local_path(query.next)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/cenik".into())), "/cenik");
        assert_eq!(local_path(Some("//evil.example".into())), "/");
        assert_eq!(local_path(Some("https://evil.example".into())), "/");
        assert_eq!(local_path(Some("/\\evil.example".into())), "/");
        assert_eq!(local_path(Some("/\t/evil.example".into())), "/");
        assert_eq!(local_path(Some("/ /evil.example".into())), "/");
        assert_eq!(local_path(Some("/home\n".into())), "/");
        assert_eq!(local_path(None), "/");
    }
}
