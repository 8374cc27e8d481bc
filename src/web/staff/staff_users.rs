//! "Osebje": the back office's own users, for administrators: a new one added (their first
//! password shown once), one disabled or enabled, their second factor reset, their role
//! changed. Each needs a code given in the last minutes.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::{Administrator, StaffMember};
use crate::app::Origin;
use crate::app::staff_admin::{self, Added, Changed, NewStaffUser, StaffChange};
use crate::domain::staff::StaffUsername;
use crate::i18n::{Lang, format_date_time_sl};
use crate::store::staff::{self, Role};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{FormErrors, chosen_status};
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
    enrolled: bool,
    administrator: bool,
    /// The administrator looking: they cannot disable themselves.
    is_viewer: bool,
}

#[derive(Template)]
#[template(path = "staff/staff_users.html")]
struct StaffUsersPage {
    page: Chrome,
    errors: FormErrors,
    rows: Vec<Row>,
    /// The roles to choose for a new user, as (value, label, chosen).
    roles: Vec<(&'static str, String, bool)>,
    new_username: String,
    /// The user just added and their first password, shown this once.
    added: Option<(String, String)>,
}

fn role_choices(lang: Lang, chosen: Option<Role>) -> Vec<(&'static str, String, bool)> {
    Role::ALL
        .iter()
        .map(|&role| {
            let label = lang.t(&format!("staff-role-{}", role.as_str()));
            (role.as_str(), label, Some(role) == chosen)
        })
        .collect()
}

async fn page(
    state: &AppState,
    frame: &Frame,
    member: &StaffMember,
    errors: FormErrors,
) -> Result<Html<String>, WebError> {
    render(&users_page(state, frame, member, errors).await?)
}

async fn users_page(
    state: &AppState,
    frame: &Frame,
    member: &StaffMember,
    errors: FormErrors,
) -> Result<StaffUsersPage, WebError> {
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
            enrolled: user.totp_enrolled_at.is_some(),
            administrator: user.role == Role::Admin,
            is_viewer: user.id == member.user.id,
            username: user.username,
        })
        .collect();
    Ok(StaffUsersPage {
        page: frame
            .chrome("staff-users-title")
            .for_staff_user(&member.user),
        errors,
        rows,
        roles: role_choices(lang, None),
        new_username: String::new(),
        added: None,
    })
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    Administrator(member): Administrator,
) -> Result<Html<String>, WebError> {
    page(&state, &frame, &member, FormErrors::default()).await
}

/// Makes `change` to user `id` (after a fresh code): the list again, or why not.
async fn make(
    state: &AppState,
    frame: &Frame,
    addr: String,
    member: &StaffMember,
    id: i64,
    change: StaffChange,
) -> Result<Response, WebError> {
    if let Some(confirm) = member.fresh_or_confirm(state.app.now(), LIST).await? {
        return Ok(confirm);
    }
    let origin = Origin::web(addr);
    match staff_admin::change(&state.app, &origin, &member.user, id, change).await? {
        Changed::Done | Changed::Unchanged => Ok(Redirect::to(LIST).into_response()),
        Changed::Yourself => {
            let mut errors = FormErrors::default();
            errors.add("staff-users", frame.lang.t("staff-users-yourself"));
            Ok(page(state, frame, member, errors).await?.into_response())
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
    make(&state, &frame, addr, &member, id, StaffChange::Disable).await
}

/// "Omogoči": the user may sign in again.
pub async fn enable(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Administrator(member): Administrator,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    make(&state, &frame, addr, &member, id, StaffChange::Enable).await
}

/// "Ponastavi aplikacijo za kode": the user enrols anew at their next sign-in; their sessions
/// end.
pub async fn reset_second_factor(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Administrator(member): Administrator,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let change = StaffChange::ResetSecondFactor;
    make(&state, &frame, addr, &member, id, change).await
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// "Vloga": the user's role, in force from their next request.
pub async fn set_role(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Administrator(member): Administrator,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> Result<Response, WebError> {
    let Some(role) = chosen_status(Role::ALL, Role::as_str, &form.role) else {
        return Ok(Redirect::to(LIST).into_response());
    };
    make(
        &state,
        &frame,
        addr,
        &member,
        id,
        StaffChange::SetRole(role),
    )
    .await
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
}

/// "Dodaj": a new staff user with a strong first password, shown this once.
pub async fn add(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Administrator(member): Administrator,
    Form(form): Form<AddForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let mut errors = FormErrors::default();
    let username = StaffUsername::parse(&form.username)
        .inspect_err(|_| errors.add("username", lang.t("staff-users-username-invalid")))
        .ok();
    let role = chosen_status(Role::ALL, Role::as_str, &form.role);
    if role.is_none() {
        errors.add("role", lang.t("staff-users-role-missing"));
    }
    let (Some(username), Some(role)) = (username, role) else {
        let mut page = users_page(&state, &frame, &member, errors).await?;
        page.new_username = form.username;
        page.roles = role_choices(lang, role);
        return Ok(render(&page)?.into_response());
    };
    if let Some(confirm) = member.fresh_or_confirm(state.app.now(), LIST).await? {
        return Ok(confirm);
    }
    let password = staff_admin::first_password();
    let new = NewStaffUser {
        username: username.clone(),
        role,
        password: password.clone(),
    };
    let origin = Origin::web(addr);
    let services = (&state.app.db, &state.app.hasher);
    let added =
        staff_admin::add(services, &origin, Some(&member.user), new, state.app.now()).await?;
    match added {
        Added::Done(_) => {
            let mut page = users_page(&state, &frame, &member, FormErrors::default()).await?;
            page.added = Some((username.to_string(), password));
            Ok(render(&page)?.into_response())
        }
        Added::Taken => {
            let mut errors = FormErrors::default();
            errors.add("username", lang.t("staff-users-username-taken"));
            let mut page = users_page(&state, &frame, &member, errors).await?;
            page.new_username = form.username;
            page.roles = role_choices(lang, Some(role));
            Ok(render(&page)?.into_response())
        }
    }
}
