//! "Sporočila": the contact messages, those nobody has handled first; one read in full with
//! the answers sent; "Označi kot obravnavano"; "Odgovori" by e-mail.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::StaffMember;
use crate::app::{Origin, contact_admin};
use crate::i18n::{Arg, Lang, format_date_time_sl};
use crate::store::contact_messages::{self, ContactMessage, ContactReply};
use crate::store::staff::StaffUser;
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{FormErrors, PageQuery, Paging, TextField};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

/// An answer: at most as long as the messages themselves.
const REPLY: TextField = TextField {
    field: "reply",
    empty_key: "staff-messages-reply-empty",
    max_chars: 5000,
    too_long_key: "contact-too-long",
};

fn state_words(message: &ContactMessage, lang: Lang) -> String {
    match (&message.handled_by, message.handled_at) {
        (Some(who), Some(when)) => lang.t_with(
            "staff-messages-handled",
            &[
                ("who", Arg::from(who.as_str())),
                ("when", Arg::from(format_date_time_sl(when))),
            ],
        ),
        _ => lang.t("staff-messages-unhandled"),
    }
}

struct Row {
    id: i64,
    received: String,
    from: String,
    start: String,
    state: String,
    handled: bool,
}

#[derive(Template)]
#[template(path = "staff/messages.html")]
struct ListPage {
    page: Chrome,
    rows: Vec<Row>,
    paging: Paging,
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, WebError> {
    let lang = frame.lang;
    let page_no = query.page.unwrap_or(0);
    let (offset, limit) = Paging::window(page_no);
    let messages = contact_messages::page(&state.app.db, offset, limit).await?;
    let (messages, paging) = Paging::of(page_no, messages);
    let rows = messages
        .iter()
        .map(|message| Row {
            id: message.id,
            received: format_date_time_sl(message.created_at),
            from: format!("{} <{}>", message.name, message.email),
            start: message.message.chars().take(80).collect(),
            state: state_words(message, lang),
            handled: message.handled_at.is_some(),
        })
        .collect();
    render(&ListPage {
        page: frame
            .chrome("staff-messages-title")
            .for_staff_user(&member.user),
        rows,
        paging,
    })
}

#[derive(Template)]
#[template(path = "staff/message.html")]
struct MessagePage {
    page: Chrome,
    errors: FormErrors,
    message: ContactMessage,
    received: String,
    state: String,
    customer: Option<String>,
    replies: Vec<(String, String, String)>,
    reply: String,
}

async fn message_page(
    state: &AppState,
    frame: &Frame,
    user: &StaffUser,
    message: ContactMessage,
) -> Result<MessagePage, WebError> {
    let lang = frame.lang;
    let replies: Vec<ContactReply> = contact_messages::replies(&state.app.db, message.id).await?;
    let customer = match message.account_id {
        Some(id) => crate::store::accounts::find(&state.app.db, id)
            .await?
            .map(|account| {
                lang.t_with(
                    "staff-messages-customer",
                    &[("code", account.payer_code.as_str().into())],
                )
            }),
        None => None,
    };
    Ok(MessagePage {
        page: frame.chrome("staff-messages-title").for_staff_user(user),
        errors: FormErrors::default(),
        received: format_date_time_sl(message.created_at),
        state: state_words(&message, lang),
        customer,
        replies: replies
            .into_iter()
            .map(|reply| {
                (
                    format_date_time_sl(reply.created_at),
                    reply.staff_username,
                    reply.text,
                )
            })
            .collect(),
        reply: String::new(),
        message,
    })
}

async fn found(state: &AppState, id: i64) -> Result<ContactMessage, WebError> {
    contact_messages::find(&state.app.db, id)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let message = found(&state, id).await?;
    render(&message_page(&state, &frame, &member.user, message).await?)
}

pub async fn mark_handled(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    member: StaffMember,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let message = found(&state, id).await?;
    contact_admin::mark_handled(&state.app, &Origin::web(addr), &member.user, &message).await?;
    Ok(Redirect::to(&format!("/staff/messages/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    reply: String,
}

pub async fn reply(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    member: StaffMember,
    Path(id): Path<i64>,
    Form(form): Form<ReplyForm>,
) -> Result<Response, WebError> {
    let message = found(&state, id).await?;
    let mut errors = FormErrors::default();
    let Some(text) = REPLY.check(&mut errors, frame.lang, &form.reply) else {
        let mut page = message_page(&state, &frame, &member.user, message).await?;
        page.errors = errors;
        page.reply = form.reply;
        return Ok(render(&page)?.into_response());
    };
    let origin = Origin::web(addr);
    contact_admin::reply(&state.app, &origin, &member.user, &message, &text).await?;
    Ok(Redirect::to(&format!("/staff/messages/{id}")).into_response())
}
