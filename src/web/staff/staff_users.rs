//! "Osebje": the back office's own users, for administrators.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::auth::Administrator;
use crate::i18n::format_date_time_sl;
use crate::store::staff;
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

struct Row {
    username: String,
    role: String,
    second_factor: String,
    last_sign_in: String,
    state: String,
}

#[derive(Template)]
#[template(path = "staff/staff_users.html")]
struct StaffUsersPage {
    page: Chrome,
    rows: Vec<Row>,
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    Administrator(member): Administrator,
) -> Result<Html<String>, WebError> {
    let lang = frame.lang;
    let rows = staff::all(&state.app.db)
        .await?
        .into_iter()
        .map(|user| Row {
            role: lang.t(&format!("staff-role-{}", user.role.as_str())),
            second_factor: lang.t(if user.totp_enrolled_at.is_some() {
                "staff-users-enrolled"
            } else {
                "staff-users-not-enrolled"
            }),
            last_sign_in: user
                .last_sign_in_at
                .map(format_date_time_sl)
                .unwrap_or_default(),
            state: lang.t(if user.disabled {
                "staff-users-disabled"
            } else {
                "staff-users-active"
            }),
            username: user.username,
        })
        .collect();
    render(&StaffUsersPage {
        page: frame
            .chrome("staff-users-title")
            .for_staff_user(&member.user),
        rows,
    })
}
