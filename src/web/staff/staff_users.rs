//! "Osebje": the back office's own users, for administrators; one is disabled or enabled.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::auth::{Administrator, StaffMember};
use crate::app::Origin;
use crate::app::staff_admin::{self, Disabling};
use crate::i18n::format_date_time_sl;
use crate::store::staff;
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::FormErrors;
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

const LIST: &str = "/staff/staff-users";

struct Row {
    id: i64,
    username: String,
    role: String,
    second_factor: String,
    last_sign_in: String,
    state: String,
    disabled: bool,
    /// The administrator looking: they cannot disable themselves.
    is_viewer: bool,
}

#[derive(Template)]
#[template(path = "staff/staff_users.html")]
struct StaffUsersPage {
    page: Chrome,
    errors: FormErrors,
    rows: Vec<Row>,
}

async fn page(
    state: &AppState,
    frame: &Frame,
    member: &StaffMember,
    errors: FormErrors,
) -> Result<Html<String>, WebError> {
    let lang = frame.lang;
    let rows = staff::all(&state.app.db)
        .await?
        .into_iter()
        .map(|user| Row {
            id: user.id,
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
            disabled: user.disabled,
            is_viewer: user.id == member.user.id,
            username: user.username,
        })
        .collect();
    render(&StaffUsersPage {
        page: frame
            .chrome("staff-users-title")
            .for_staff_user(&member.user),
        errors,
        rows,
    })
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    Administrator(member): Administrator,
) -> Result<Html<String>, WebError> {
    page(&state, &frame, &member, FormErrors::default()).await
}

async fn set_disabled(
    state: AppState,
    frame: Frame,
    addr: String,
    member: StaffMember,
    id: i64,
    disabled: bool,
) -> Result<Response, WebError> {
    if let Some(confirm) = member.fresh_or_confirm(state.app.now(), LIST).await? {
        return Ok(confirm);
    }
    let origin = Origin::web(addr);
    match staff_admin::set_disabled(&state.app, &origin, &member.user, id, disabled).await? {
        Disabling::Done | Disabling::Unchanged => Ok(Redirect::to(LIST).into_response()),
        Disabling::Yourself => {
            let mut errors = FormErrors::default();
            errors.add("staff-users", frame.lang.t("staff-users-yourself"));
            Ok(page(&state, &frame, &member, errors).await?.into_response())
        }
    }
}

/// "Onemogoči": the user's sessions end at their next request and they cannot sign in.
pub async fn disable(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Administrator(member): Administrator,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    set_disabled(state, frame, addr, member, id, true).await
}

/// "Omogoči": the user may sign in again.
pub async fn enable(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Administrator(member): Administrator,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    set_disabled(state, frame, addr, member, id, false).await
}
