//! "Revizijska sled": the audit trail, searched by what happened, to or by whom and when, and
//! taken away as CSV.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, Response};
use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;

use super::auth::StaffMember;
use crate::app::{self, Origin};
use crate::domain::dates::{local_date, start_of_local_day};
use crate::i18n::{Lang, format_date_time_sl};
use crate::store::audit::{self, AuditAction, AuditEvent, AuditFilter, TrailCursor};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::download::{csv_download, spreadsheet_rows, spreadsheet_start};
use crate::web::kit::form::{DateRange, FormErrors, Paging, chosen_status, search_query};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

/// The search as the form sends it; every part may be empty.
#[derive(Debug, Default, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    who: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    page: Option<u64>,
}

impl SearchForm {
    /// The filter the form asks for, or what is wrong with its dates.
    fn filter(&self, lang: Lang) -> Result<AuditFilter, FormErrors> {
        let mut errors = FormErrors::default();
        let range = DateRange {
            from: &self.from,
            to: &self.to,
        };
        let Some((from, to)) = range.check(&mut errors, lang) else {
            return Err(errors);
        };
        let who = self.who.trim();
        Ok(AuditFilter {
            action: chosen_status(AuditAction::ALL, AuditAction::as_str, &self.action),
            who: (!who.is_empty()).then(|| who.to_owned()),
            from: from.map(start_of_local_day),
            until: to.and_then(|to| to.succ_opt()).map(start_of_local_day),
        })
    }

    /// The search as a query string ending in `&`, for the next page and the CSV link.
    fn query(&self) -> String {
        search_query(&[
            ("action", &self.action),
            ("who", &self.who),
            ("from", &self.from),
            ("to", &self.to),
        ])
    }
}

struct Row {
    at: String,
    actor: String,
    action: String,
    subject: String,
    client_addr: String,
    details: String,
}

fn action_label(lang: Lang, action: AuditAction) -> String {
    lang.t(&format!("audit-action-{}", action.as_str()))
}

/// Who did it, as the trail names them: "staff ana.kos", "customer 1000001", "system".
fn actor_label(lang: Lang, event: &AuditEvent) -> String {
    let kind = lang.t(&format!("staff-audit-actor-{}", event.actor_kind));
    match &event.actor {
        Some(name) => format!("{kind} {name}"),
        None => kind,
    }
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    page: Chrome,
    errors: FormErrors,
    form: SearchForm,
    /// The choices of action, as (value, label, chosen).
    actions: Vec<(&'static str, String, bool)>,
    rows: Vec<Row>,
    query: String,
    paging: Paging,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Query(form): Query<SearchForm>,
) -> Result<Html<String>, WebError> {
    let lang = frame.lang;
    let page_no = form.page.unwrap_or(0);
    let (errors, events, paging) = match form.filter(lang) {
        Ok(filter) => {
            let (offset, limit) = Paging::window(page_no);
            let events = audit::page(&state.app.db, &filter, offset, limit).await?;
            let (events, paging) = Paging::of(page_no, events);
            (FormErrors::default(), events, paging)
        }
        Err(errors) => (errors, Vec::new(), Paging::of(0, Vec::<()>::new()).1),
    };
    let rows = events
        .iter()
        .map(|event| Row {
            at: format_date_time_sl(event.at),
            actor: actor_label(lang, event),
            action: action_label(lang, event.action),
            subject: event.subject.clone().unwrap_or_default(),
            client_addr: event.client_addr.clone().unwrap_or_default(),
            details: event.details.clone().unwrap_or_default(),
        })
        .collect();
    let actions = AuditAction::ALL
        .iter()
        .copied()
        .map(|action| {
            let chosen = action.as_str() == form.action;
            (action.as_str(), action_label(lang, action), chosen)
        })
        .collect();
    render(&AuditPage {
        page: frame
            .chrome("staff-audit-title")
            .for_staff_user(&member.user),
        errors,
        actions,
        rows,
        query: form.query(),
        paging,
        form,
    })
}

/// The instant as the trail's file writes it: Slovenian local time with its offset.
fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Ljubljana)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Events read per query while the file is written.
const EXPORT_PAGE: u64 = 1000;

fn csv_row(event: &AuditEvent) -> [String; 7] {
    [
        local_time(event.at),
        event.actor_kind.clone(),
        event.actor.clone().unwrap_or_default(),
        event.action.as_str().to_owned(),
        event.subject.clone().unwrap_or_default(),
        event.client_addr.clone().unwrap_or_default(),
        event.details.clone().unwrap_or_default(),
    ]
}

/// The events the search finds, as a CSV file written while it is read, a page at a time, so
/// it has no cap; a search with bad dates shows the form again.
pub async fn export(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    ClientAddr(client_addr): ClientAddr,
    Query(form): Query<SearchForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let Ok(filter) = form.filter(lang) else {
        return show(State(state), frame, member, Query(form))
            .await
            .map(axum::response::IntoResponse::into_response);
    };
    let origin = Origin::web(client_addr);
    app::audit::export_trail(&state.app, &origin, &member.user, &filter).await?;
    let header = lang.t("staff-audit-csv-header");
    let start = spreadsheet_start(header.split(';'))?;
    let db = state.app.db.clone();
    let pages = futures::stream::try_unfold(Some(None), move |cursor| {
        let (db, filter) = (db.clone(), filter.clone());
        async move {
            let Some(cursor) = cursor else {
                return Ok::<_, WebError>(None);
            };
            let events = audit::page_after(&db, &filter, cursor, EXPORT_PAGE).await?;
            let chunk = spreadsheet_rows(events.iter().map(csv_row))?;
            let next =
                (events.len() as u64 == EXPORT_PAGE).then(|| events.last().map(TrailCursor::from));
            Ok(Some((chunk, next)))
        }
    });
    let body = futures::stream::once(async { Ok(start) }).chain(
        pages.inspect_err(|error| tracing::error!(%error, "writing the audit trail failed")),
    );
    let today = local_date(state.app.now());
    let file_name = format!("revizijska-sled-{today}.csv");
    Ok(csv_download(
        &file_name,
        axum::body::Body::from_stream(body),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_and_kind_of_actor_has_words_in_both_languages() {
        for lang in Lang::ALL {
            for &action in AuditAction::ALL {
                let key = format!("audit-action-{}", action.as_str());
                assert_ne!(action_label(lang, action), key, "{lang:?}");
            }
            for kind in ["anonymous", "customer", "staff", "api", "system"] {
                let key = format!("staff-audit-actor-{kind}");
                assert_ne!(lang.t(&key), key, "{lang:?}");
            }
        }
    }

    #[test]
    fn dates_of_the_search_are_days_in_slovenia_and_the_end_is_included() {
        let form = SearchForm {
            from: "01.03.2026".into(),
            to: "2026-03-31".into(),
            who: "  1000001 ".into(),
            action: "sign_in".into(),
            ..SearchForm::default()
        };
        let filter = form.filter(Lang::Sl).unwrap();
        assert_eq!(
            filter.from.unwrap().to_rfc3339(),
            "2026-02-28T23:00:00+00:00"
        );
        // Summer time has begun by then.
        assert_eq!(
            filter.until.unwrap().to_rfc3339(),
            "2026-03-31T22:00:00+00:00"
        );
        assert_eq!(filter.who.as_deref(), Some("1000001"));
        assert_eq!(filter.action, Some(AuditAction::SignIn));
        let unknown = SearchForm {
            action: "drop table".into(),
            ..SearchForm::default()
        };
        assert_eq!(unknown.filter(Lang::Sl).unwrap(), AuditFilter::default());
    }
}
