//! "Obvestila": notices of works and outages, published to an area (everyone, a settlement,
//! a street in a settlement, or listed points) and kept; the list shows each with how many
//! customers it was e-mailed to.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::auth::StaffMember;
use crate::app::Origin;
use crate::app::notices::{self, Published};
use crate::domain::dates::format_sl;
use crate::i18n::{Arg, Lang, format_date_time_sl};
use crate::store::notices::{self as stored, NewNotice, Notice, NoticeArea};
use crate::store::notifications::{self, NotificationKind};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{FormErrors, Paging, TextField, typed_date};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

const TITLE: TextField = TextField {
    field: "title",
    empty_key: "staff-notice-title-missing",
    max_chars: 120,
    too_long_key: "profile-too-long",
};
const BODY: TextField = TextField {
    field: "body",
    empty_key: "staff-notice-body-missing",
    max_chars: 4000,
    too_long_key: "profile-too-long",
};
/// The most points one notice lists.
const MAX_POINTS: usize = 500;

struct Row {
    title: String,
    valid: String,
    area: String,
    published: String,
    mailed: i64,
}

/// The form as typed.
#[derive(Debug, Default, Deserialize)]
pub struct NoticeForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    settlement: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    points: String,
}

#[derive(Template)]
#[template(path = "staff/notices.html")]
struct NoticesPage {
    page: Chrome,
    errors: FormErrors,
    published: bool,
    rows: Vec<Row>,
    paging: Paging,
    form: NoticeForm,
    /// The area's choices, as (value, label, chosen).
    areas: Vec<(&'static str, String, bool)>,
    settlements: Vec<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<u64>,
    published: Option<String>,
}

fn area_label(lang: Lang, notice: &Notice, points: &[String]) -> String {
    let kind = lang.t(&format!("staff-notice-area-{}", notice.area.as_str()));
    let place = match notice.area {
        NoticeArea::Everyone => String::new(),
        NoticeArea::Settlement => notice.settlement.clone().unwrap_or_default(),
        NoticeArea::Street => format!(
            "{}, {}",
            notice.street.as_deref().unwrap_or_default(),
            notice.settlement.as_deref().unwrap_or_default()
        ),
        NoticeArea::Points => points.join(", "),
    };
    if place.is_empty() {
        kind
    } else {
        format!("{kind}: {place}")
    }
}

fn area_choices(lang: Lang, chosen: &str) -> Vec<(&'static str, String, bool)> {
    NoticeArea::ALL
        .iter()
        .map(|area| {
            let value = area.as_str();
            (
                value,
                lang.t(&format!("staff-notice-area-{value}")),
                value == chosen,
            )
        })
        .collect()
}

async fn notices_page(
    state: &AppState,
    frame: &Frame,
    member: &StaffMember,
    page_no: u64,
) -> Result<NoticesPage, WebError> {
    let db = &state.app.db;
    let (offset, limit) = Paging::window(page_no);
    let (notices, paging) = Paging::of(page_no, stored::page(db, offset, limit).await?);
    let occasions = notices.iter().map(|notice| notice.id.to_string()).collect();
    let mailed: HashMap<String, i64> =
        notifications::count_sent(db, NotificationKind::Notice, occasions)
            .await?
            .into_iter()
            .collect();
    let mut rows = Vec::with_capacity(notices.len());
    for notice in notices {
        let points = match notice.area {
            NoticeArea::Points => stored::points_of(db, notice.id).await?,
            _ => Vec::new(),
        };
        rows.push(Row {
            valid: format!(
                "{} – {}",
                format_sl(notice.valid_from),
                format_sl(notice.valid_to)
            ),
            area: area_label(frame.lang, &notice, &points),
            published: format!(
                "{} ({})",
                format_date_time_sl(notice.published_at),
                notice.published_by
            ),
            mailed: mailed.get(&notice.id.to_string()).copied().unwrap_or(0),
            title: notice.title,
        });
    }
    Ok(NoticesPage {
        page: frame
            .chrome("staff-notices-title")
            .for_staff_user(&member.user),
        errors: FormErrors::default(),
        published: false,
        rows,
        paging,
        form: NoticeForm {
            area: NoticeArea::Everyone.as_str().to_owned(),
            ..NoticeForm::default()
        },
        areas: area_choices(frame.lang, NoticeArea::Everyone.as_str()),
        settlements: stored::settlements(db).await?,
    })
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    let mut page = notices_page(&state, &frame, &member, query.page.unwrap_or(0)).await?;
    page.published = query.published.is_some();
    render(&page)
}

/// The notice the form describes, or what is wrong with it.
fn notice_of(form: &NoticeForm, lang: Lang, today: NaiveDate) -> Result<NewNotice, FormErrors> {
    let mut errors = FormErrors::default();
    let title = TITLE.check(&mut errors, lang, &form.title);
    // Browsers send a text area's lines with CRLF; paragraphs are split at empty lines.
    let body = BODY.check(&mut errors, lang, &form.body.replace("\r\n", "\n"));
    let mut day = |field: &'static str, text: &str| match typed_date(text) {
        Ok(day) => Some(day),
        Err(_) => {
            errors.add(field, lang.t("staff-notice-date-invalid"));
            None
        }
    };
    let valid_from = day("valid_from", &form.valid_from);
    let valid_to = day("valid_to", &form.valid_to);
    if let (Some(from), Some(to)) = (valid_from, valid_to)
        && to < from
    {
        errors.add("valid_to", lang.t("staff-notice-dates-order"));
    } else if valid_to.is_some_and(|to| to < today) {
        errors.add("valid_to", lang.t("staff-notice-expired"));
    }
    let area = NoticeArea::ALL
        .iter()
        .copied()
        .find(|area| area.as_str() == form.area);
    let filled = |text: &str| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
    let (settlement, street) = (filled(&form.settlement), filled(&form.street));
    let mut points: Vec<String> = form
        .points
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
        .collect();
    points.sort();
    points.dedup();
    match area {
        None => errors.add("area", lang.t("staff-notice-area-missing")),
        Some(NoticeArea::Settlement | NoticeArea::Street) if settlement.is_none() => {
            errors.add("settlement", lang.t("staff-notice-settlement-missing"));
        }
        _ => {}
    }
    if area == Some(NoticeArea::Street) && street.is_none() {
        errors.add("street", lang.t("staff-notice-street-missing"));
    }
    if area == Some(NoticeArea::Points) {
        if points.is_empty() {
            errors.add("points", lang.t("staff-notice-points-missing"));
        } else if points.len() > MAX_POINTS {
            let max = Arg::Number(i64::try_from(MAX_POINTS).unwrap_or(i64::MAX));
            errors.add(
                "points",
                lang.t_with("staff-notice-points-too-many", &[("max", max)]),
            );
        }
    }
    match (title, body, valid_from, valid_to, area) {
        (Some(title), Some(body), Some(valid_from), Some(valid_to), Some(area))
            if errors.is_empty() =>
        {
            let keeps = |kinds: &[NoticeArea]| kinds.contains(&area);
            Ok(NewNotice {
                title,
                body,
                valid_from,
                valid_to,
                area,
                settlement: settlement
                    .filter(|_| keeps(&[NoticeArea::Settlement, NoticeArea::Street])),
                street: street.filter(|_| keeps(&[NoticeArea::Street])),
                points: if keeps(&[NoticeArea::Points]) {
                    points
                } else {
                    Vec::new()
                },
            })
        }
        _ => Err(errors),
    }
}

pub async fn publish(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    member: StaffMember,
    Form(form): Form<NoticeForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let errors = match notice_of(&form, lang, state.app.today()) {
        Err(errors) => errors,
        Ok(notice) => {
            let origin = Origin::web(addr);
            let mut errors = FormErrors::default();
            match notices::publish(&state.app, &origin, &member.user, notice).await? {
                Published::Done(_) => {
                    return Ok(Redirect::to("/staff/notices?published=1").into_response());
                }
                Published::NoPointInArea => {
                    errors.add("area", lang.t("staff-notice-no-points"));
                }
                Published::UnknownPoints(unknown) => errors.add(
                    "points",
                    lang.t_with(
                        "staff-notice-points-unknown",
                        &[("points", Arg::Text(unknown.join(", ")))],
                    ),
                ),
            }
            errors
        }
    };
    let mut page = notices_page(&state, &frame, &member, 0).await?;
    page.errors = errors;
    page.areas = area_choices(lang, &form.area);
    page.form = form;
    Ok(render(&page)?.into_response())
}
