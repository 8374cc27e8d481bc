//! "Zahtevki za dostop": the requests, newest first, by status; one request with the payers
//! that match its tax number or point designation, and their points; "Izdaj kontrolno
//! številko" to the payer picked, or "Zavrni" with a reason.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::StaffMember;
use crate::app::{Origin, access_admin};
use crate::i18n::{Lang, format_date_time_sl};
use crate::store::access_requests::{self, AccessRequest, AccessRequestStatus};
use crate::store::payers::{self, Payer};
use crate::store::points::{self, PointSummary};
use crate::store::staff::StaffUser;
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{FormErrors, Paging, TextField, chosen_status, status_choices};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

/// The reason of a refusal, which the requester is sent.
const REASON: TextField = TextField {
    field: "reason",
    empty_key: "staff-access-reason-empty",
    max_chars: 2000,
    too_long_key: "contact-too-long",
};

fn status_words(request: &AccessRequest, lang: Lang) -> String {
    let status = lang.t(&format!("staff-access-status-{}", request.status.as_str()));
    match (&request.handled_by, request.handled_at) {
        (Some(who), Some(when)) => format!("{status} ({who}, {})", format_date_time_sl(when)),
        _ => status,
    }
}

struct Row {
    id: i64,
    received: String,
    name: String,
    point_code: String,
    status: String,
}

#[derive(Template)]
#[template(path = "staff/access_requests.html")]
struct ListPage {
    page: Chrome,
    rows: Vec<Row>,
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
    // Open ones unless another status or all ("") is asked for.
    let status = match query.status.as_deref() {
        None => Some(AccessRequestStatus::Open),
        Some(text) => chosen_status(AccessRequestStatus::ALL, AccessRequestStatus::as_str, text),
    };
    let page_no = query.page.unwrap_or(0);
    let (offset, limit) = Paging::window(page_no);
    let requests = access_requests::page(&state.app.db, status, offset, limit).await?;
    let (requests, paging) = Paging::of(page_no, requests);
    let rows = requests
        .iter()
        .map(|request| Row {
            id: request.id,
            received: format_date_time_sl(request.created_at),
            name: request.full_name.clone(),
            point_code: request.point_code.clone(),
            status: status_words(request, lang),
        })
        .collect();
    let filters = status_choices(
        lang,
        AccessRequestStatus::ALL,
        AccessRequestStatus::as_str,
        "staff-access-status-",
        status,
    );
    render(&ListPage {
        page: frame
            .chrome("staff-access-title")
            .for_staff_user(&member.user),
        rows,
        filters,
        status: status.map_or("", AccessRequestStatus::as_str),
        paging,
    })
}

#[derive(Template)]
#[template(path = "staff/access_request.html")]
struct RequestPage {
    page: Chrome,
    errors: FormErrors,
    request: AccessRequest,
    received: String,
    status: String,
    open: bool,
    matches: Vec<(Payer, Vec<PointSummary>)>,
    reason: String,
}

async fn request_page(
    state: &AppState,
    frame: &Frame,
    user: &StaffUser,
    request: AccessRequest,
) -> Result<RequestPage, WebError> {
    let db = &state.app.db;
    let mut matches = Vec::new();
    for payer in payers::matching(db, &request.tax_number, &request.point_code).await? {
        let points = points::of_payer(db, &payer.code).await?;
        matches.push((payer, points));
    }
    Ok(RequestPage {
        page: frame.chrome("staff-access-title").for_staff_user(user),
        errors: FormErrors::default(),
        received: format_date_time_sl(request.created_at),
        status: status_words(&request, frame.lang),
        open: request.status == AccessRequestStatus::Open,
        matches,
        reason: String::new(),
        request,
    })
}

async fn found(state: &AppState, id: i64) -> Result<AccessRequest, WebError> {
    access_requests::find(&state.app.db, id)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let request = found(&state, id).await?;
    render(&request_page(&state, &frame, &member.user, request).await?)
}

#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    payer: String,
}

pub async fn issue(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    member: StaffMember,
    Path(id): Path<i64>,
    Form(form): Form<IssueForm>,
) -> Result<Response, WebError> {
    let back = format!("/staff/access-requests/{id}");
    if let Some(confirm) = member.fresh_or_confirm(state.app.now(), &back).await? {
        return Ok(confirm);
    }
    let request = found(&state, id).await?;
    let payers = payers::matching(&state.app.db, &request.tax_number, &request.point_code).await?;
    // Only a payer the request matches: the form cannot be made to name another.
    let Some(payer) = payers.into_iter().find(|payer| payer.code == form.payer) else {
        let mut page = request_page(&state, &frame, &member.user, request).await?;
        page.errors
            .add("payer", frame.lang.t("staff-access-pick-payer"));
        return Ok(render(&page)?.into_response());
    };
    let origin = Origin::web(addr);
    access_admin::issue_control_number(&state.app, &origin, &member.user, &request, &payer).await?;
    Ok(Redirect::to(&format!("/staff/access-requests/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct RefuseForm {
    #[serde(default)]
    reason: String,
}

pub async fn refuse(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    member: StaffMember,
    Path(id): Path<i64>,
    Form(form): Form<RefuseForm>,
) -> Result<Response, WebError> {
    let request = found(&state, id).await?;
    let mut errors = FormErrors::default();
    let Some(reason) = REASON.check(&mut errors, frame.lang, &form.reason) else {
        let mut page = request_page(&state, &frame, &member.user, request).await?;
        page.errors = errors;
        page.reason = form.reason;
        return Ok(render(&page)?.into_response());
    };
    let origin = Origin::web(addr);
    access_admin::refuse(&state.app, &origin, &member.user, &request, &reason).await?;
    Ok(Redirect::to(&format!("/staff/access-requests/{id}")).into_response())
}
