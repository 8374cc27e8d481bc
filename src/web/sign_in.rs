//! "Prijava": the sign-in page, the portal's front door.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::lang::UiLang;
use super::page::{Chrome, render};
use super::{AppState, WebError};

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    page: Chrome,
}

pub async fn show(
    State(state): State<AppState>,
    UiLang(lang): UiLang,
) -> Result<Html<String>, WebError> {
    render(&SignInPage {
        page: Chrome::new(lang, state.config.clone(), "/", "sign-in-title"),
    })
}
