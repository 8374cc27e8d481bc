//! The first page after sign-in: a greeting and the toolbar.

use askama::Template;
use axum::response::Html;

use super::WebError;
use super::page::{Chrome, Frame, render};
use super::portal::Portal;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Chrome,
    name: String,
    payer_code: String,
}

pub async fn show(frame: Frame, portal: Portal) -> Result<Html<String>, WebError> {
    render(&HomePage {
        page: portal.chrome(&frame, "home-title", None),
        name: portal.user_name(),
        payer_code: portal.payer.code.clone(),
    })
}
