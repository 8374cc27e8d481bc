//! The first page after sign-in.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::auth::Customer;
use super::consent::display_name;
use super::page::{Chrome, Frame, render};
use super::{AppState, WebError};
use crate::store::payers;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Chrome,
    name: String,
    payer_code: String,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    Customer { account, .. }: Customer,
) -> Result<Html<String>, WebError> {
    let payer = payers::find(&state.db, &account.payer_code).await?;
    let name = account
        .display_name
        .clone()
        .or(payer.map(|payer| payer.name))
        .unwrap_or_else(|| account.payer_code.clone());
    let page = frame
        .chrome("home-title")
        .signed_in_as(display_name(&account));
    render(&HomePage {
        page,
        name,
        payer_code: account.payer_code,
    })
}
