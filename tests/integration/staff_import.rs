//! "Uvoz": an administrator uploads another utility's whole set of files and its PDFs in a zip,
//! sees the dry run (nothing stored), applies exactly what was previewed (after a fresh code),
//! and finds it in the history; bad lines and unknown files block "Uveljavi"; operators are
//! refused.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Utc;
use eportal::app::clock::Clock;
use eportal::import::Kind;
use eportal::store::entity::{invoice_pdf, payer, staff_user};
use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::on_both_databases;
use crate::staff::{audited, now_code, signed_in_staff, staff_key};
use crate::support::{Backend, TestApp, location};

on_both_databases!(
    a_whole_set_of_files_is_previewed_then_applied_once,
    bad_lines_and_unknown_files_block_the_import,
    two_files_of_a_kind_apply_in_upload_order,
);

const HOME: &str = "/staff/import";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/komunala-vrhnika")
}

/// Every billing file of the fixtures, in an order billing would not import them in.
fn billing_files() -> Vec<(String, Vec<u8>)> {
    Kind::ALL
        .iter()
        .rev()
        .map(|kind| {
            let name = format!("{}.csv", kind.as_str());
            (name.clone(), std::fs::read(fixtures().join(&name)).unwrap())
        })
        .collect()
}

fn pdf_zip() -> (String, Vec<u8>) {
    let pdf = std::fs::read(fixtures().join("pdfs/2025000101.pdf")).unwrap();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer
        .start_file(
            "racuni/2025000101.pdf",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
    writer.write_all(&pdf).unwrap();
    (
        "racuni.zip".to_owned(),
        writer.finish().unwrap().into_inner(),
    )
}

async fn admin_app(backend: Backend) -> (TestApp, Clock) {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {}).await;
    signed_in_staff(&app, &clock).await;
    (app, clock)
}

async fn make_admin(app: &TestApp) {
    staff_user::Entity::update_many()
        .col_expr(staff_user::Column::Role, Expr::value("admin"))
        .exec(&app.db)
        .await
        .unwrap();
}

/// Uploads `files` as the page's form does; the answer.
async fn upload(app: &TestApp, files: Vec<(String, Vec<u8>)>) -> reqwest::Response {
    let token = app.form_token(HOME).await;
    let mut form = reqwest::multipart::Form::new();
    for (name, bytes) in files {
        form = form.part(
            "files",
            reqwest::multipart::Part::bytes(bytes).file_name(name),
        );
    }
    app.client
        .post(app.url(&format!("{HOME}?csrf_token={token}")))
        .header("origin", format!("http://{}", app.address))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn digest_in(page: &str) -> Option<String> {
    let marker = r#"name="digest" value=""#;
    let start = page.find(marker)? + marker.len();
    page[start..].split('"').next().map(str::to_owned)
}

async fn payers(app: &TestApp) -> u64 {
    payer::Entity::find().count(&app.db).await.unwrap()
}

async fn a_whole_set_of_files_is_previewed_then_applied_once(backend: Backend) {
    let (app, clock) = admin_app(backend).await;
    assert_eq!(app.get(HOME).await.status(), 403, "operators are refused");
    make_admin(&app).await;

    // A browser sends an empty part when no file is chosen.
    let nothing = upload(&app, vec![(String::new(), Vec::new())]).await;
    let nothing = nothing.text().await.unwrap();
    assert!(nothing.contains("Izberite vsaj eno datoteko."), "{nothing}");

    let mut files = billing_files();
    files.push(pdf_zip());
    let uploaded = upload(&app, files).await;
    let preview_path = location(&uploaded).to_owned();
    assert!(preview_path.starts_with("/staff/import/"), "{preview_path}");
    let preview = app.get(&preview_path).await.text().await.unwrap();
    assert!(preview.contains("Vse datoteke so brez napak."), "{preview}");
    assert!(
        preview.contains("vrstic 3: novih 3"),
        "the payers: {preview}"
    );
    assert!(preview.contains("PDF računov"), "{preview}");
    assert_eq!(payers(&app).await, 0, "a dry run stores nothing");
    let digest = digest_in(&preview).expect("Uveljavi is offered");

    // Not what was previewed: nothing happens but the preview again.
    let apply = format!("{preview_path}/apply");
    let forged = app
        .post_form_from(&preview_path, &apply, &[("digest", "0000")])
        .await;
    assert_eq!(location(&forged), preview_path);
    assert_eq!(payers(&app).await, 0);

    // Applying is dangerous: long after the last code, a fresh one first.
    clock.advance(std::time::Duration::from_secs(11 * 60));
    let stale = app
        .post_form_from(&preview_path, &apply, &[("digest", &digest)])
        .await;
    let confirm = location(&stale).to_owned();
    assert!(confirm.starts_with("/staff/confirm?next="), "{confirm}");
    assert_eq!(payers(&app).await, 0);
    let code_now = now_code(&staff_key(&app).await, &clock);
    let fields = [("code", code_now.as_str()), ("next", preview_path.as_str())];
    app.post_form_from(&confirm, "/staff/confirm", &fields)
        .await;

    let applied = app
        .post_form_from(&preview_path, &apply, &[("digest", &digest)])
        .await;
    assert_eq!(location(&applied), HOME);
    assert_eq!(payers(&app).await, 3);
    assert_eq!(invoice_pdf::Entity::find().count(&app.db).await.unwrap(), 1);
    assert_eq!(
        audited(&app, "import_applied").await,
        9,
        "eight files and the PDFs"
    );
    let home = app.get(HOME).await.text().await.unwrap();
    assert!(home.contains("Uvoz je uveljavljen"), "{home}");
    assert!(
        home.contains("invoice_lines.csv") && home.contains("ana.kos"),
        "{home}"
    );
    // Applied once: the upload is gone.
    assert_eq!(app.get(&preview_path).await.status(), 404);
    let twice = app
        .post_form_from(HOME, &apply, &[("digest", &digest)])
        .await;
    assert_eq!(twice.status(), 404);
}

async fn bad_lines_and_unknown_files_block_the_import(backend: Backend) {
    let (app, _) = admin_app(backend).await;
    make_admin(&app).await;
    let bad = "payer_code;name\n1234567890123;PREDOLGA ŠIFRA\n700900;\n";
    let files = vec![
        ("payers-popravek.csv".to_owned(), bad.as_bytes().to_vec()),
        ("navodila.docx".to_owned(), b"?".to_vec()),
        (
            "points.csv".to_owned(),
            b"point_code;payer_code\nOM-1;999999\n".to_vec(),
        ),
    ];
    let uploaded = upload(&app, files).await;
    let preview_path = location(&uploaded).to_owned();
    let preview = app.get(&preview_path).await.text().await.unwrap();
    assert!(preview.contains("Ničesar ne moremo shraniti"), "{preview}");
    assert!(
        preview.contains("Vrstica 2, stolpec payer_code: "),
        "{preview}"
    );
    assert!(preview.contains("Vrstica 3, stolpec name: "), "{preview}");
    assert!(preview.contains("plačnik »999999« ne obstaja"), "{preview}");
    assert!(preview.contains("Ne vemo, kam sodi"), "{preview}");
    assert_eq!(digest_in(&preview), None, "no Uveljavi");

    let discarded = app
        .post_form_from(&preview_path, &format!("{preview_path}/discard"), &[])
        .await;
    assert_eq!(location(&discarded), HOME);
    assert_eq!(app.get(&preview_path).await.status(), 404);
    assert_eq!(payers(&app).await, 0);
}

/// A correction uploaded with the full file: each is staged apart and applied in order, the
/// second compared with what the first wrote.
async fn two_files_of_a_kind_apply_in_upload_order(backend: Backend) {
    let (app, _) = admin_app(backend).await;
    make_admin(&app).await;
    let files = vec![
        (
            "payers.csv".to_owned(),
            b"payer_code;name\n700900;ANA\n700901;BOR\n".to_vec(),
        ),
        (
            "payers-popravek.csv".to_owned(),
            b"payer_code;name\n700900;ANA NOVAK\n".to_vec(),
        ),
    ];
    let uploaded = upload(&app, files).await;
    let preview_path = location(&uploaded).to_owned();
    let preview = app.get(&preview_path).await.text().await.unwrap();
    assert!(preview.contains("vrstic 2: novih 2,"), "{preview}");
    assert!(
        preview.contains("vrstic 1: novih 0, spremenjenih 1,"),
        "{preview}"
    );
    assert_eq!(payers(&app).await, 0, "a dry run stores nothing");

    let digest = digest_in(&preview).expect("Uveljavi is offered");
    let apply = format!("{preview_path}/apply");
    let applied = app
        .post_form_from(&preview_path, &apply, &[("digest", &digest)])
        .await;
    assert_eq!(location(&applied), HOME);
    let ana = payer::Entity::find_by_id("700900")
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ana.name, "ANA NOVAK");
    assert_eq!(payers(&app).await, 2);
}

/// On SQLite, a preview that cannot get the write lock within the busy timeout (another import
/// holds it) answers a page that says to try again in a moment, not the error page.
#[tokio::test]
async fn a_preview_while_the_database_is_held_says_to_try_again() {
    let (app, _) = admin_app(Backend::Sqlite).await;
    make_admin(&app).await;
    let files = vec![(
        "payers.csv".to_owned(),
        b"payer_code;name\n700900;A\n".to_vec(),
    )];
    let uploaded = upload(&app, files).await;
    let preview_path = location(&uploaded).to_owned();
    let held = eportal::store::begin_write(&app.db).await.unwrap();
    let busy = app.get(&preview_path).await;
    assert_eq!(busy.status(), 503);
    assert!(busy.headers().contains_key("retry-after"));
    let page = busy.text().await.unwrap();
    assert!(
        page.contains("Poskusite znova čez nekaj trenutkov"),
        "{page}"
    );
    held.rollback().await.unwrap();
    assert_eq!(app.get(&preview_path).await.status(), 200);
}
