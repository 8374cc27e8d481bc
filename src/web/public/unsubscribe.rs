//! The one-click unsubscribe of a notification e-mail (RFC 8058). Its link opens a page with a
//! button, so a mail scanner that fetches links changes nothing; a POST to the same address —
//! the button, or the reader's mail program answering `List-Unsubscribe-Post` — turns that
//! kind of mail off, without signing in: the link's secret is the authority. So this route
//! sits outside the form-token check (`web::router`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::app::Origin;
use crate::app::notifications::{self, Unsubscribed};
use crate::i18n::Arg;
use crate::store::notifications::NotificationKind;
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::client::ClientAddr;
use crate::web::kit::links::LinkToken;
use crate::web::kit::page::{Chrome, Frame, render};

/// What the page shows.
enum Shown {
    /// The button that unsubscribes from the kind's mail.
    Ask {
        question: String,
    },
    Done {
        message: String,
    },
    /// The link is unknown, or its kind was turned off already.
    Unknown,
}

#[derive(Template)]
#[template(path = "public/unsubscribe.html")]
struct UnsubscribePage {
    page: Chrome,
    token: String,
    state: Shown,
}

/// `key`'s sentence about the kind of mail.
fn about(frame: &Frame, key: &str, kind: NotificationKind) -> String {
    let kind_name = frame
        .lang
        .t(&format!("notification-kind-{}", kind.as_str()));
    frame.lang.t_with(key, &[("kind", Arg::Text(kind_name))])
}

fn page(frame: &Frame, token: String, state: Shown) -> Result<Response, WebError> {
    let status = match state {
        Shown::Unknown => StatusCode::NOT_FOUND,
        _ => StatusCode::OK,
    };
    let html = render(&UnsubscribePage {
        page: frame.chrome("unsubscribe-title"),
        token,
        state,
    })?;
    Ok((status, html).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<LinkToken>,
) -> Result<Response, WebError> {
    let shown = match notifications::link_kind(&state.app, &query.token).await? {
        Some(kind) => Shown::Ask {
            question: about(&frame, "unsubscribe-question", kind),
        },
        None => Shown::Unknown,
    };
    page(&frame, query.token, shown)
}

/// Whatever the body (a mail program sends `List-Unsubscribe=One-Click`, a browser nothing).
pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Query(query): Query<LinkToken>,
) -> Result<Response, WebError> {
    let shown =
        match notifications::unsubscribe(&state.app, &Origin::web(addr), &query.token).await? {
            Unsubscribed::Done(kind) => Shown::Done {
                message: about(&frame, "unsubscribe-done", kind),
            },
            Unsubscribed::NotSubscribed => Shown::Unknown,
        };
    page(&frame, String::new(), shown)
}
