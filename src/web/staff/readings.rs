//! "Oddani odčitki": the readings customers submitted, searched by day, point and status;
//! "Izvozi za obračun" hands those not yet exported to billing as a batch kept for download;
//! "Uvozi povratne podatke" takes billing's verdicts back.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::StaffMember;
use crate::app::Origin;
use crate::app::readings::{self, VerdictsApplied};
use crate::domain::dates;
use crate::domain::quantity::Volume;
use crate::i18n::{Arg, Lang, format_date_time_sl};
use crate::store::Order;
use crate::store::submitted_readings::{
    self, ExportBatch, NEWEST_FIRST, ReadingColumn, StaffFilter, StaffRow, SubmissionStatus,
};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::download::csv_download;
use crate::web::kit::form::{
    DateRange, Flash, FormErrors, PageQuery, Paging, chosen_status, search_query, status_choices,
};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::kit::table::{HeaderCell, Sortable, order_of};
use crate::web::{AppState, WebError};

/// The largest feedback file taken: billing's verdicts on some hundred thousand readings.
pub const VERDICT_FILE_LIMIT: usize = 16 * 1024 * 1024;

/// What the last export or feedback file did, shown once on the list.
const NOTICE: Flash = Flash("staff_readings_notice");

/// The search as the form sends it; every part may be empty.
#[derive(Debug, Default, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    point: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
    page: Option<u64>,
}

impl SearchForm {
    fn filter(&self, lang: Lang) -> Result<StaffFilter, FormErrors> {
        let mut errors = FormErrors::default();
        let range = DateRange {
            from: &self.from,
            to: &self.to,
        };
        let Some((from, to)) = range.check(&mut errors, lang) else {
            return Err(errors);
        };
        let point = self.point.trim();
        Ok(StaffFilter {
            from,
            to,
            point_code: (!point.is_empty()).then(|| point.to_owned()),
            status: chosen_status(
                SubmissionStatus::ALL,
                SubmissionStatus::as_str,
                &self.status,
            ),
            ..StaffFilter::default()
        })
    }

    /// The search as a query string ending in `&`, for the heads that order the list.
    fn query(&self) -> String {
        search_query(&[
            ("from", &self.from),
            ("to", &self.to),
            ("point", &self.point),
            ("status", &self.status),
        ])
    }

    /// The search in its order, as a query string ending in `&`, for the next page.
    fn ordered_query(&self) -> String {
        format!(
            "{}{}",
            self.query(),
            search_query(&[("sort", &self.sort), ("dir", &self.dir)])
        )
    }

    fn order(&self) -> Order<ReadingColumn> {
        order_of(&self.sort, &self.dir, NEWEST_FIRST)
    }
}

impl Sortable for ReadingColumn {
    const COLUMNS: &'static [Self] = ReadingColumn::ALL;

    fn name(self) -> &'static str {
        match self {
            ReadingColumn::SubmittedAt => "submitted",
            ReadingColumn::Payer => "payer",
            ReadingColumn::Point => "point",
            ReadingColumn::ReadOn => "date",
            ReadingColumn::Status => "status",
        }
    }
}

/// The head of a table of readings; on the list, `sorting` (its order and search) makes the
/// columns it may be ordered by links.
pub fn columns(lang: Lang, sorting: Option<(Order<ReadingColumn>, &str)>) -> Vec<HeaderCell> {
    let cell = |key: &str, column: Option<ReadingColumn>| match (column, sorting) {
        (Some(column), Some((order, query))) => {
            HeaderCell::sorting(lang, key, column, order, ("/staff/readings", query))
        }
        _ => HeaderCell::plain(lang, key),
    };
    vec![
        cell(
            "staff-readings-submitted-at",
            Some(ReadingColumn::SubmittedAt),
        ),
        cell("staff-readings-payer", Some(ReadingColumn::Payer)),
        cell("staff-readings-point", Some(ReadingColumn::Point)),
        cell("staff-readings-meter", None),
        cell("staff-readings-date", Some(ReadingColumn::ReadOn)),
        cell("staff-readings-value", None).numeric(),
        cell("staff-readings-status", Some(ReadingColumn::Status)),
        cell("staff-readings-batch", None),
    ]
}

/// A reading as a row of the back office's tables.
pub struct Row {
    pub payer_code: String,
    pub point_code: String,
    pub meter_serial: String,
    pub read_on: String,
    pub value: String,
    pub status: String,
    pub reason: String,
    pub submitted_at: String,
    pub export_id: Option<i64>,
}

fn status_label(lang: Lang, status: SubmissionStatus) -> String {
    lang.t(&format!("reading-entry-status-{}", status.as_str()))
}

/// The rows of `readings`, in the staff member's language.
pub fn rows(lang: Lang, readings: Vec<StaffRow>) -> Vec<Row> {
    readings
        .into_iter()
        .map(|reading| Row {
            value: Volume::from_litres(reading.litres).format_sl(),
            read_on: dates::format_sl(reading.read_on),
            status: status_label(lang, reading.status),
            reason: reading.reason.unwrap_or_default(),
            submitted_at: format_date_time_sl(reading.submitted_at),
            payer_code: reading.payer_code,
            point_code: reading.point_code,
            meter_serial: reading.meter_serial,
            export_id: reading.export_id,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "staff/readings.html")]
struct ListPage {
    page: Chrome,
    errors: FormErrors,
    form: SearchForm,
    statuses: Vec<(&'static str, String, bool)>,
    columns: Vec<HeaderCell>,
    rows: Vec<Row>,
    query: String,
    paging: Paging,
    notice: Option<String>,
    /// How many readings wait for the next export, in words.
    not_exported: String,
    /// Each problem of a refused feedback file.
    file_problems: Vec<String>,
}

async fn list_page(
    state: &AppState,
    frame: &Frame,
    member: &StaffMember,
    form: SearchForm,
) -> Result<ListPage, WebError> {
    let lang = frame.lang;
    let page_no = form.page.unwrap_or(0);
    let (errors, readings, paging) = match form.filter(lang) {
        Ok(filter) => {
            let (offset, limit) = Paging::window(page_no);
            let (db, order) = (&state.app.db, form.order());
            let readings = submitted_readings::page(db, &filter, order, offset, limit).await?;
            let (readings, paging) = Paging::of(page_no, readings);
            (FormErrors::default(), readings, paging)
        }
        Err(errors) => (errors, Vec::new(), Paging::of(0, Vec::<()>::new()).1),
    };
    let chosen = chosen_status(
        SubmissionStatus::ALL,
        SubmissionStatus::as_str,
        &form.status,
    );
    Ok(ListPage {
        page: frame
            .chrome("staff-readings-title")
            .for_staff_user(&member.user),
        errors,
        statuses: status_choices(
            lang,
            SubmissionStatus::ALL,
            SubmissionStatus::as_str,
            "reading-entry-status-",
            chosen,
        ),
        columns: columns(lang, Some((form.order(), &form.query()))),
        rows: rows(lang, readings),
        query: form.ordered_query(),
        paging,
        notice: NOTICE.take(&frame.session).await?,
        not_exported: lang.t_with(
            "staff-readings-not-exported",
            &[(
                "count",
                Arg::from(count(
                    submitted_readings::count_not_exported(&state.app.db).await?,
                )),
            )],
        ),
        file_problems: Vec::new(),
        form,
    })
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Query(form): Query<SearchForm>,
) -> Result<Html<String>, WebError> {
    render(&list_page(&state, &frame, &member, form).await?)
}

/// "Izvozi za obračun": the batch's page, or back to the list when nothing waited.
pub async fn export(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    member: StaffMember,
) -> Result<Response, WebError> {
    let origin = Origin::web(addr);
    // The file is kept with the batch, to be downloaded from its page.
    let by = (Some(&member.user), &origin);
    let exported = readings::export(&state.app.db, by, |_| Ok(()), state.app.now()).await?;
    match exported.batch {
        Some(batch) => {
            Ok(Redirect::to(&format!("/staff/readings/exports/{batch}")).into_response())
        }
        None => {
            let words = frame.lang.t("staff-readings-nothing-to-export");
            NOTICE
                .redirect(&frame.session, words, "/staff/readings")
                .await
        }
    }
}

/// The uploaded feedback file: its name and bytes; `None` when none was chosen.
async fn uploaded_file(mut multipart: Multipart) -> Result<Option<(String, Vec<u8>)>, WebError> {
    while let Some(field) = multipart.next_field().await? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await?;
        if name.is_empty() && bytes.is_empty() {
            return Ok(None);
        }
        return Ok(Some((name, bytes.to_vec())));
    }
    Ok(None)
}

/// "Uvozi povratne podatke": every verdict recorded, or nothing and each problem shown.
pub async fn verdicts(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    member: StaffMember,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let refused = |key: &str, problems: Vec<String>| {
        let mut errors = FormErrors::default();
        errors.add("file", lang.t(key));
        (errors, problems)
    };
    let (errors, problems) = match uploaded_file(multipart).await? {
        None => refused("staff-readings-file-missing", Vec::new()),
        Some((name, bytes)) => {
            let origin = Origin::web(addr);
            match readings::apply_verdicts(&state.app, &origin, &member.user, &name, &bytes).await?
            {
                VerdictsApplied::Applied { accepted, rejected } => {
                    let words = lang.t_with(
                        "staff-readings-verdicts-applied",
                        &[
                            ("accepted", Arg::from(count(accepted))),
                            ("rejected", Arg::from(count(rejected))),
                        ],
                    );
                    return NOTICE
                        .redirect(&frame.session, words, "/staff/readings")
                        .await;
                }
                VerdictsApplied::Refused(failure) => refused(
                    "staff-readings-file-refused",
                    crate::import::describe(lang, &failure),
                ),
            }
        }
    };
    let mut page = list_page(&state, &frame, &member, SearchForm::default()).await?;
    page.errors = errors;
    page.file_problems = problems;
    Ok(render(&page)?.into_response())
}

/// A count for a message's plural.
fn count(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

struct BatchRow {
    id: i64,
    created_at: String,
    exported_by: String,
    reading_count: i64,
}

fn batch_row(lang: Lang, batch: ExportBatch) -> BatchRow {
    BatchRow {
        id: batch.id,
        created_at: format_date_time_sl(batch.created_at),
        exported_by: batch
            .exported_by
            .unwrap_or_else(|| lang.t("staff-readings-command-line")),
        reading_count: batch.reading_count,
    }
}

#[derive(Template)]
#[template(path = "staff/reading_exports.html")]
struct BatchesPage {
    page: Chrome,
    batches: Vec<BatchRow>,
    paging: Paging,
}

pub async fn batches(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, WebError> {
    let page_no = query.page.unwrap_or(0);
    let (offset, limit) = Paging::window(page_no);
    let batches = submitted_readings::export_batches(&state.app.db, offset, limit).await?;
    let (batches, paging) = Paging::of(page_no, batches);
    render(&BatchesPage {
        page: frame
            .chrome("staff-readings-exports-title")
            .for_staff_user(&member.user),
        batches: batches
            .into_iter()
            .map(|batch| batch_row(frame.lang, batch))
            .collect(),
        paging,
    })
}

#[derive(Template)]
#[template(path = "staff/reading_export.html")]
struct BatchPage {
    page: Chrome,
    batch: BatchRow,
    columns: Vec<HeaderCell>,
    rows: Vec<Row>,
    paging: Paging,
}

pub async fn batch(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Path(id): Path<i64>,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, WebError> {
    let db = &state.app.db;
    let batch = submitted_readings::export_batch(db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let page_no = query.page.unwrap_or(0);
    let (offset, limit) = Paging::window(page_no);
    let filter = StaffFilter {
        export_id: Some(id),
        ..StaffFilter::default()
    };
    let readings = submitted_readings::page(db, &filter, NEWEST_FIRST, offset, limit).await?;
    let (readings, paging) = Paging::of(page_no, readings);
    let mut page = frame
        .chrome("staff-readings-export-title")
        .for_staff_user(&member.user);
    page.title = frame
        .lang
        .t_with("staff-readings-export-title", &[("number", Arg::from(id))]);
    render(&BatchPage {
        page,
        batch: batch_row(frame.lang, batch),
        columns: columns(frame.lang, None),
        rows: rows(frame.lang, readings),
        paging,
    })
}

/// The batch's file, exactly as billing got it.
pub async fn batch_file(
    State(state): State<AppState>,
    _member: StaffMember,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let file = submitted_readings::export_file(&state.app.db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(csv_download(&format!("odcitki-izvoz-{id}.csv"), file))
}
