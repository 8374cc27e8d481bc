//! "Pošta": outgoing mail with its status, attempts, last error and Message-ID; a message's
//! text; a failed one sent again.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::StaffMember;
use crate::app::Origin;
use crate::i18n::format_date_time_sl;
use crate::store::outbox::{self, OutboxMessage, OutboxStatus};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{Paging, chosen_status, status_choices};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

/// What a message's status is now: a queued message that a worker holds is being sent.
fn status_key(message: &OutboxMessage, now: chrono::DateTime<chrono::Utc>) -> &'static str {
    match message.status {
        OutboxStatus::Queued if message.claimed_until.is_some_and(|until| until > now) => {
            "mail-status-sending"
        }
        OutboxStatus::Queued => "mail-status-queued",
        OutboxStatus::Sent => "mail-status-sent",
        OutboxStatus::Failed => "mail-status-failed",
    }
}

struct Row {
    id: i64,
    created: String,
    to: String,
    subject: String,
    status: String,
    attempts: i32,
    last_error: String,
}

#[derive(Template)]
#[template(path = "staff/mail_list.html")]
struct ListPage {
    page: Chrome,
    rows: Vec<Row>,
    /// The filter's choices, as (value, label, chosen).
    filters: Vec<(&'static str, String, bool)>,
    status: &'static str,
    paging: Paging,
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    page: Option<u64>,
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    let lang = frame.lang;
    let now = state.app.now();
    let status = chosen_status(
        OutboxStatus::ALL,
        OutboxStatus::as_str,
        query.status.as_deref().unwrap_or_default(),
    );
    let page_no = query.page.unwrap_or(0);
    let (offset, limit) = Paging::window(page_no);
    let messages = outbox::page(&state.app.db, status, offset, limit).await?;
    let (messages, paging) = Paging::of(page_no, messages);
    let rows = messages
        .iter()
        .map(|message| Row {
            id: message.id,
            created: format_date_time_sl(message.created_at),
            to: message.to_addr.clone(),
            subject: message.subject.clone(),
            status: lang.t(status_key(message, now)),
            attempts: message.attempts,
            last_error: message.last_error.clone().unwrap_or_default(),
        })
        .collect();
    render(&ListPage {
        page: frame
            .chrome("staff-mail-title")
            .for_staff_user(&member.user),
        rows,
        filters: status_choices(
            lang,
            OutboxStatus::ALL,
            OutboxStatus::as_str,
            "mail-status-",
            status,
        ),
        status: status.map_or("", OutboxStatus::as_str),
        paging,
    })
}

#[derive(Template)]
#[template(path = "staff/mail_message.html")]
struct MessagePage {
    page: Chrome,
    message: OutboxMessage,
    created: String,
    sent: String,
    status: String,
    failed: bool,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let message = outbox::find(&state.app.db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let mut page = frame
        .chrome("staff-mail-title")
        .for_staff_user(&member.user);
    page.title.clone_from(&message.subject);
    render(&MessagePage {
        created: format_date_time_sl(message.created_at),
        sent: message.sent_at.map(format_date_time_sl).unwrap_or_default(),
        status: frame.lang.t(status_key(&message, state.app.now())),
        failed: message.status == OutboxStatus::Failed,
        page,
        message,
    })
}

/// "Pošlji znova": the worker takes the message again with its attempts counted afresh.
pub async fn retry(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    member: StaffMember,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    crate::app::outbox::retry(&state.app, &Origin::web(addr), &member.user, id).await?;
    Ok(Redirect::to(&format!("/staff/mail/{id}")).into_response())
}
