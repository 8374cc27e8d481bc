//! "Nadzorna plošča": what waits for staff.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::auth::StaffMember;
use crate::store::outbox::{self, OutboxStatus};
use crate::store::{access_requests, contact_messages, submitted_readings};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

#[derive(Template)]
#[template(path = "staff/home.html")]
struct HomePage {
    page: Chrome,
    open_requests: u64,
    unhandled_messages: u64,
    readings_to_export: u64,
    failed_mail: i64,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
) -> Result<Html<String>, WebError> {
    let db = &state.app.db;
    let failed_mail = outbox::count_by_status(db)
        .await?
        .into_iter()
        .filter(|(status, _)| *status == OutboxStatus::Failed)
        .map(|(_, count)| count)
        .sum();
    render(&HomePage {
        page: frame
            .chrome("staff-home-title")
            .for_staff_user(&member.user),
        open_requests: access_requests::count_open(db).await?,
        unhandled_messages: contact_messages::count_unhandled(db).await?,
        readings_to_export: submitted_readings::count_not_exported(db).await?,
        failed_mail,
    })
}
