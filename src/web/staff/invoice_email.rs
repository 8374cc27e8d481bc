//! "Račun po e-pošti": the payers who get their invoices by e-mail, so that billing stops
//! printing them; the whole list as CSV (the API gives the same: `api::notifications`).

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};

use super::auth::StaffMember;
use crate::app::Origin;
use crate::app::notifications as app_notifications;
use crate::domain::dates::local_date;
use crate::i18n::format_date_time_sl;
use crate::store::audit::Actor;
use crate::store::notifications::{self, InvoiceEmailPayer};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::download::spreadsheet_download;
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

/// Rows the page shows; the CSV has them all.
const SHOWN: u64 = 100;

struct Row {
    payer_code: String,
    name: String,
    email: String,
    since: String,
}

#[derive(Template)]
#[template(path = "staff/invoice_email.html")]
struct InvoiceEmailPage {
    page: Chrome,
    count: u64,
    rows: Vec<Row>,
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
) -> Result<Html<String>, WebError> {
    let db = &state.app.db;
    let payers = notifications::invoice_email_payers(db, Some(SHOWN)).await?;
    render(&InvoiceEmailPage {
        page: frame
            .chrome("staff-invoice-email-title")
            .for_staff_user(&member.user),
        count: notifications::count_invoice_email_payers(db).await?,
        rows: payers
            .into_iter()
            .map(|payer| Row {
                since: format_date_time_sl(payer.since),
                payer_code: payer.payer_code,
                name: payer.name,
                email: payer.email,
            })
            .collect(),
    })
}

/// The list as `placnik;ime;e_posta;od` for billing's printing run.
pub async fn export(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    member: StaffMember,
) -> Result<Response, WebError> {
    let actor = Actor::Staff(&member.user.username);
    let origin = Origin::web(addr);
    let payers = app_notifications::export_invoice_email_payers(&state.app, &origin, actor).await?;
    let rows = payers.into_iter().map(
        |InvoiceEmailPayer {
             payer_code,
             name,
             email,
             since,
         }| [payer_code, name, email, since.to_rfc3339()],
    );
    let today = local_date(state.app.now());
    spreadsheet_download(
        &format!("racun-po-e-posti-{today}.csv"),
        ["payer_code", "name", "email", "since"],
        rows,
    )
}
