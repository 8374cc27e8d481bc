//! "Uvoz" (administrators): billing files and invoice PDFs uploaded, their dry run shown (what
//! is new, changed, unchanged per file, and every bad line), then "Uveljavi" applies exactly
//! the files previewed, bound by their digest; the history of imports.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Duration;
use serde::Deserialize;

use super::auth::{Administrator, StaffMember};
use crate::app::import::{self as apply, FileReport, Refusal, UploadReport, UploadRun};
use crate::auth::secret::sha256_hex;
use crate::i18n::{Arg, Lang, format_date_time_sl};
use crate::import::upload::{self, Unplaced};
use crate::store::begin_write;
use crate::store::import_uploads::{self, ImportRunRow, UploadedFile};
use crate::web::kit::form::{Flash, FormErrors, PageQuery, Paging};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

const HOME: &str = "/staff/import";
/// The most one upload may hold: a utility's full set of files and a month of PDFs.
pub const UPLOAD_LIMIT: usize = 256 * 1024 * 1024;
/// Uploads nobody applied or discarded are forgotten after a day.
const UPLOAD_KEPT_HOURS: i64 = 24;

/// What the last "Uveljavi" did, shown once on the page.
const NOTICE: Flash = Flash("staff_import_notice");

fn kind_label(lang: Lang, kind: &str) -> String {
    lang.t(&format!("staff-import-kind-{kind}"))
}

fn count(n: usize) -> Arg {
    Arg::from(i64::try_from(n).unwrap_or(i64::MAX))
}

struct HistoryRow {
    applied_at: String,
    by: String,
    kind: String,
    file_name: String,
    rows: i32,
    inserted: i32,
    updated: i32,
    unchanged: i32,
    deleted: i32,
}

fn history_row(lang: Lang, run: ImportRunRow) -> HistoryRow {
    let by = run
        .imported_by
        .unwrap_or_else(|| lang.t(&format!("staff-import-origin-{}", run.origin)));
    HistoryRow {
        applied_at: format_date_time_sl(run.applied_at),
        by,
        kind: kind_label(lang, &run.kind),
        file_name: run.file_name,
        rows: run.rows,
        inserted: run.inserted,
        updated: run.updated,
        unchanged: run.unchanged,
        deleted: run.deleted,
    }
}

#[derive(Template)]
#[template(path = "staff/import.html")]
struct ImportPage {
    page: Chrome,
    errors: FormErrors,
    notice: Option<String>,
    history: Vec<HistoryRow>,
    paging: Paging,
}

async fn import_page(
    state: &AppState,
    frame: &Frame,
    member: &StaffMember,
    page_no: u64,
) -> Result<ImportPage, WebError> {
    let (offset, limit) = Paging::window(page_no);
    let runs = import_uploads::history(&state.app.db, offset, limit).await?;
    let (runs, paging) = Paging::of(page_no, runs);
    Ok(ImportPage {
        page: frame
            .chrome("staff-import-title")
            .for_staff_user(&member.user),
        errors: FormErrors::default(),
        notice: NOTICE.take(&frame.session).await?,
        history: runs
            .into_iter()
            .map(|run| history_row(frame.lang, run))
            .collect(),
        paging,
    })
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    Administrator(member): Administrator,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, WebError> {
    render(&import_page(&state, &frame, &member, query.page.unwrap_or(0)).await?)
}

/// Keeps the uploaded files and leads to their dry run.
pub async fn upload(
    State(state): State<AppState>,
    frame: Frame,
    Administrator(member): Administrator,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let mut files = Vec::new();
    while let Some(field) = multipart.next_field().await? {
        if field.name() != Some("files") {
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let content = field.bytes().await?.to_vec();
        if !file_name.is_empty() || !content.is_empty() {
            files.push(UploadedFile { file_name, content });
        }
    }
    if files.is_empty() {
        let mut page = import_page(&state, &frame, &member, 0).await?;
        page.errors
            .add("files", frame.lang.t("staff-import-files-missing"));
        return Ok(render(&page)?.into_response());
    }
    let now = state.app.now();
    let txn = begin_write(&state.app.db).await?;
    import_uploads::delete_older(&txn, now - Duration::hours(UPLOAD_KEPT_HOURS)).await?;
    let id = import_uploads::insert(&txn, &member.user.username, files, now).await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!("{HOME}/{id}")).into_response())
}

/// One line of a file's report.
struct FileRow {
    name: String,
    kind: String,
    /// What would change (or did), when the file is good.
    summary: String,
    /// Each problem, when it is not.
    problems: Vec<String>,
}

fn file_row(lang: Lang, report: &FileReport) -> FileRow {
    let (summary, problems) = match &report.result {
        Ok((rows, changes)) => {
            let summary = lang.t_with(
                "staff-import-changes",
                &[
                    ("rows", count(*rows)),
                    ("inserted", count(changes.inserted)),
                    ("updated", count(changes.updated)),
                    ("unchanged", count(changes.unchanged)),
                    ("deleted", count(changes.deleted)),
                ],
            );
            (summary, Vec::new())
        }
        Err(Refusal::File(failure)) => (String::new(), crate::import::describe(lang, failure)),
        Err(Refusal::Pdfs(problems)) => (
            String::new(),
            problems
                .iter()
                .map(|problem| problem.describe(lang))
                .collect(),
        ),
    };
    FileRow {
        name: report.name.clone(),
        kind: kind_label(lang, report.kind),
        summary,
        problems,
    }
}

#[derive(Template)]
#[template(path = "staff/import_preview.html")]
struct PreviewPage {
    page: Chrome,
    id: i64,
    uploaded: String,
    files: Vec<FileRow>,
    /// Files that are neither billing files nor PDFs, with why.
    unplaced: Vec<(String, String)>,
    /// Every file can be applied.
    clean: bool,
    /// Binds "Uveljavi" to exactly these files.
    digest: String,
}

/// The digest of an upload's files, in order: what "Uveljavi" must have seen.
fn digest(files: &[UploadedFile]) -> String {
    let each: Vec<String> = files
        .iter()
        .map(|file| {
            format!(
                "{}:{}",
                sha256_hex(file.file_name.as_bytes()),
                sha256_hex(&file.content)
            )
        })
        .collect();
    sha256_hex(each.join("\n").as_bytes())
}

fn placed_of(files: &[UploadedFile]) -> upload::Placed {
    upload::place(
        files
            .iter()
            .map(|file| (file.file_name.clone(), file.content.clone()))
            .collect(),
    )
}

fn unplaced_words(lang: Lang, why: Unplaced) -> String {
    lang.t(match why {
        Unplaced::UnknownName => "staff-import-unplaced-name",
        Unplaced::BrokenZip => "staff-import-unplaced-broken-zip",
        Unplaced::ZipTooLarge => "staff-import-unplaced-zip-too-large",
    })
}

async fn preview_page(
    state: &AppState,
    frame: &Frame,
    member: &StaffMember,
    id: i64,
) -> Result<PreviewPage, WebError> {
    let lang = frame.lang;
    let db = &state.app.db;
    let upload = import_uploads::find(db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let files = import_uploads::files(db, id).await?;
    let placed = placed_of(&files);
    let (run, now) = (UploadRun::DryRun, state.app.now());
    let report = apply::import_upload(db, &member.user, &placed, run, now).await?;
    let mut page = frame
        .chrome("staff-import-preview-title")
        .for_staff_user(&member.user);
    page.title = lang.t_with("staff-import-preview-title", &[("number", Arg::from(id))]);
    Ok(PreviewPage {
        page,
        id,
        uploaded: lang.t_with(
            "staff-import-uploaded",
            &[
                ("who", Arg::from(upload.uploaded_by.as_str())),
                ("when", Arg::from(format_date_time_sl(upload.created_at))),
            ],
        ),
        files: report
            .files
            .iter()
            .map(|file| file_row(lang, file))
            .collect(),
        clean: report.is_clean() && placed.unplaced.is_empty() && !report.files.is_empty(),
        unplaced: placed
            .unplaced
            .into_iter()
            .map(|(name, why)| (name, unplaced_words(lang, why)))
            .collect(),
        digest: digest(&files),
    })
}

/// The dry run of an upload.
pub async fn preview(
    State(state): State<AppState>,
    frame: Frame,
    Administrator(member): Administrator,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    render(&preview_page(&state, &frame, &member, id).await?)
}

#[derive(Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    digest: String,
}

/// "Uveljavi": the files previewed, if they are still exactly those, stored whole (after a
/// fresh code).
pub async fn apply(
    State(state): State<AppState>,
    frame: Frame,
    Administrator(member): Administrator,
    Path(id): Path<i64>,
    Form(form): Form<ApplyForm>,
) -> Result<Response, WebError> {
    let here = format!("{HOME}/{id}");
    if let Some(confirm) = member.fresh_or_confirm(state.app.now(), &here).await? {
        return Ok(confirm);
    }
    let db = &state.app.db;
    import_uploads::find(db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let files = import_uploads::files(db, id).await?;
    let placed = placed_of(&files);
    if digest(&files) != form.digest || !placed.unplaced.is_empty() {
        // Not what was previewed: the preview again, as it is now.
        return Ok(Redirect::to(&here).into_response());
    }
    let run = UploadRun::Apply { upload_id: id };
    let report = apply::import_upload(db, &member.user, &placed, run, state.app.now()).await?;
    if !report.applied {
        // Refused now, or applied by a press a moment ago: the preview says which.
        return Ok(Redirect::to(&here).into_response());
    }
    let words = applied_words(frame.lang, &report);
    NOTICE.redirect(&frame.session, words, HOME).await
}

fn applied_words(lang: Lang, report: &UploadReport) -> String {
    let files: Vec<String> = report
        .files
        .iter()
        .map(|file| format!("{} ({})", file.name, file_row(lang, file).summary))
        .collect();
    lang.t_with(
        "staff-import-applied",
        &[("files", Arg::from(files.join("; ")))],
    )
}

/// "Zavrzi": the upload is forgotten.
pub async fn discard(
    State(state): State<AppState>,
    _admin: Administrator,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    import_uploads::delete(&state.app.db, id).await?;
    Ok(Redirect::to(HOME).into_response())
}
