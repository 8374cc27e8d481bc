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
use crate::web::kit::form::FormErrors;
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

const PER_PAGE: u64 = 50;
/// The longest answer taken, as for the messages themselves.
const MAX_REPLY_CHARS: usize = 5000;

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
    newer: Option<u64>,
    older: Option<u64>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<u64>,
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, WebError> {
    let lang = frame.lang;
    let page_no = query.page.unwrap_or(0);
    let messages = contact_messages::page(&state.app.db, page_no * PER_PAGE, PER_PAGE + 1).await?;
    let older = (messages.len() as u64 > PER_PAGE).then_some(page_no + 1);
    let rows = messages
        .iter()
        .take(usize::try_from(PER_PAGE).unwrap_or(usize::MAX))
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
            .for_staff()
            .signed_in_as(member.user.username),
        rows,
        newer: page_no.checked_sub(1),
        older,
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
        page: frame
            .chrome("staff-messages-title")
            .for_staff()
            .signed_in_as(user.username.clone()),
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
    let text = form.reply.trim();
    let problem = if text.is_empty() {
        Some(frame.lang.t("staff-messages-reply-empty"))
    } else if text.chars().count() > MAX_REPLY_CHARS {
        let max = i64::try_from(MAX_REPLY_CHARS).unwrap_or(i64::MAX);
        Some(
            frame
                .lang
                .t_with("contact-too-long", &[("max", Arg::Number(max))]),
        )
    } else {
        None
    };
    if let Some(problem) = problem {
        let mut page = message_page(&state, &frame, &member.user, message).await?;
        page.errors.add("reply", problem);
        page.reply = form.reply;
        return Ok(render(&page)?.into_response());
    }
    let origin = Origin::web(addr);
    contact_admin::reply(&state.app, &origin, &member.user, &message, text).await?;
    Ok(Redirect::to(&format!("/staff/messages/{id}")).into_response())
}
