//! The demo's view of outgoing mail, so that a visitor can follow activation links without a
//! mail server. Only routed with `serve --demo`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;

use crate::i18n::format_date_time_sl;
use crate::store::outbox::{self, OutboxMessage};
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::page::{Chrome, Frame, render};

#[derive(Template)]
#[template(path = "ops/demo_mail_list.html")]
struct MailList {
    page: Chrome,
    messages: Vec<MailRow>,
}

struct MailRow {
    id: i64,
    to: String,
    subject: String,
    created: String,
    status: String,
}

#[derive(Template)]
#[template(path = "ops/demo_mail_message.html")]
struct MailMessage {
    page: Chrome,
    message: OutboxMessage,
    created: String,
    links: Vec<String>,
}

/// The web links in a plain-text body, so the demo can make them clickable.
fn links_in(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|word| word.starts_with("https://") || word.starts_with("http://"))
        .map(|word| word.trim_end_matches(['.', ',', ')', '>']).to_owned())
        .collect()
}

pub async fn list(State(state): State<AppState>, frame: Frame) -> Result<Html<String>, WebError> {
    let lang = frame.lang;
    let messages = outbox::recent(&state.app.db, 200)
        .await?
        .into_iter()
        .map(|m| MailRow {
            id: m.id,
            created: format_date_time_sl(m.created_at),
            status: lang.t(&format!("mail-status-{}", m.status.as_str())),
            to: m.to_addr,
            subject: m.subject,
        })
        .collect();
    let page = frame.chrome("demo-mail-title");
    render(&MailList { page, messages })
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let message = outbox::find(&state.app.db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let mut page = frame.chrome("demo-mail-title");
    page.title = message.subject.clone();
    render(&MailMessage {
        created: format_date_time_sl(message.created_at),
        links: links_in(&message.body_text),
        page,
        message,
    })
}
