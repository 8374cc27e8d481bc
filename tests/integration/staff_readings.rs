//! "Oddani odčitki" in the back office: readings found by day, point and status; exported to
//! billing as batches kept for download; billing's verdicts taken back whole or not at all,
//! a rejection mailed to the customer with its reason.

use chrono::{NaiveDate, Utc};
use eportal::app::clock::Clock;
use eportal::demo::{ACCOUNT_EMAIL, ACCOUNT_PASSWORD, ACCOUNT_PAYER};
use eportal::store::entity::submitted_reading;
use eportal::store::submitted_readings::{self, NewSubmission, SubmissionStatus};
use sea_orm::EntityTrait;

use crate::on_both_databases;
use crate::staff::{audited, signed_in_staff};
use crate::support::{Backend, TestApp, location};

on_both_databases!(
    readings_are_exported_in_batches_and_billing_verdicts_come_back,
    a_feedback_file_with_a_bad_line_changes_nothing,
);

/// A reading of the demo customer's house meter, stored as the portal stores one; its id,
/// meter and day.
async fn submitted(app: &TestApp, litres: i64) -> (i64, String, NaiveDate) {
    let (account_id, meter) = app.demo_house_meter().await;
    let day = eportal::domain::dates::local_date(Utc::now());
    let new = NewSubmission {
        account_id,
        meter_serial: &meter,
        read_on: day,
        litres,
        client_addr: None,
    };
    let id = submitted_readings::save(&app.db, new, Utc::now())
        .await
        .unwrap();
    (id, meter, day)
}

async fn status_of(app: &TestApp, id: i64) -> submitted_reading::Model {
    submitted_reading::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Uploads `file` as billing's feedback, as the page's form does.
async fn upload_verdicts(app: &TestApp, file: &str) -> reqwest::Response {
    let token = app.form_token("/staff/readings").await;
    let part = reqwest::multipart::Part::bytes(file.as_bytes().to_vec())
        .file_name("povratni.csv")
        .mime_str("text/csv")
        .unwrap();
    let form = reqwest::multipart::Form::new().part("file", part);
    app.client
        .post(app.url(&format!("/staff/readings/verdicts?csrf_token={token}")))
        .header("origin", format!("http://{}", app.address))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn text(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.unwrap()
}

async fn readings_are_exported_in_batches_and_billing_verdicts_come_back(backend: Backend) {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_demo_with_clock(backend, clock.clone()).await;
    let (id, meter, day) = submitted(&app, 123_456_789).await;
    signed_in_staff(&app, &clock).await;

    let list = text(&app, "/staff/readings").await;
    assert!(
        list.contains(&meter) && list.contains("123.456,789"),
        "{list}"
    );
    assert!(list.contains("Na izvoz čaka 1 odčitek."), "{list}");
    let exported_only = text(&app, "/staff/readings?status=exported").await;
    assert!(!exported_only.contains(&meter));
    let elsewhere = text(&app, "/staff/readings?point=NOWHERE").await;
    assert!(!elsewhere.contains(&meter));
    let far = text(&app, "/staff/readings?page=18446744073709551615").await;
    assert!(
        far.contains("Ni odčitkov, ki bi ustrezali iskanju."),
        "{far}"
    );
    let bad_day = text(&app, "/staff/readings?from=31.02.2026").await;
    assert!(
        bad_day.contains("Datum vpišite kot dan, mesec in leto"),
        "{bad_day}"
    );

    // "Izvozi za obračun": a batch with its file, kept for download.
    let exported = app
        .post_form_from("/staff/readings", "/staff/readings/export", &[])
        .await;
    let batch_page = location(&exported).to_owned();
    assert!(
        batch_page.starts_with("/staff/readings/exports/"),
        "{batch_page}"
    );
    assert_eq!(status_of(&app, id).await.status, SubmissionStatus::Exported);
    let batch = text(&app, &batch_page).await;
    assert!(
        batch.contains(&meter) && batch.contains("ana.kos"),
        "{batch}"
    );
    let file = app.get(&format!("{batch_page}/file")).await;
    assert_eq!(file.status(), 200);
    assert!(
        file.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment"),
    );
    let file = file.text().await.unwrap();
    let iso = day.format("%Y-%m-%d");
    assert!(
        file.starts_with("meter_serial;date;value;source;point_code;payer_code;submitted_at;id\n")
            && file.contains(&format!("{meter};{iso};123456.789;customer;")),
        "{file}"
    );
    assert!(
        text(&app, "/staff/readings/exports")
            .await
            .contains(&batch_page)
    );
    assert_eq!(audited(&app, "readings_exported").await, 1);

    // Nothing waits: no empty batch.
    let again = app
        .post_form_from("/staff/readings", "/staff/readings/export", &[])
        .await;
    assert_eq!(location(&again), "/staff/readings");
    let list = text(&app, "/staff/readings").await;
    assert!(
        list.contains("Ni odčitkov, ki bi čakali na izvoz"),
        "{list}"
    );
    assert_eq!(audited(&app, "readings_exported").await, 1);

    // Billing refuses it: the customer is told why, by e-mail and in the portal.
    let reason = "Stanje je nižje od zadnjega odčitka.";
    let feedback = format!("meter_serial;date;status;reason\n{meter};{iso};rejected;{reason}\n");
    let applied = upload_verdicts(&app, &feedback).await;
    assert_eq!(location(&applied), "/staff/readings");
    let list = text(&app, "/staff/readings").await;
    assert!(
        list.contains("sprejetih odčitkov 0, zavrnjenih 1"),
        "{list}"
    );
    let decided = status_of(&app, id).await;
    assert_eq!(decided.status, SubmissionStatus::Rejected);
    assert_eq!(decided.reason.as_deref(), Some(reason));
    let mail = app.mail_to(ACCOUNT_EMAIL).await;
    let rejection = mail.last().unwrap();
    assert_eq!(rejection.subject, "Vaš odčitek ni bil upoštevan");
    assert!(
        rejection.body_text.contains(reason),
        "{}",
        rejection.body_text
    );
    assert!(
        rejection
            .body_text
            .contains(&format!("/readings/submitted/{id}"))
    );
    assert_eq!(audited(&app, "reading_verdicts_applied").await, 1);

    let signed_in = app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await;
    assert_eq!(signed_in.status(), 303);
    let shown = text(&app, &format!("/readings/submitted/{id}")).await;
    assert!(
        shown.contains("zavrnjeno") && shown.contains(reason),
        "{shown}"
    );

    // The same verdict again: the reading is decided, so the line is bad.
    let twice = upload_verdicts(&app, &feedback).await;
    assert_eq!(twice.status(), 200);
    let page = twice.text().await.unwrap();
    assert!(page.contains("Vrstica 2: noben odčitek"), "{page}");
    assert_eq!(audited(&app, "reading_verdicts_applied").await, 1);

    // An upload without the form token changes nothing.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(feedback.into_bytes()).file_name("f.csv"),
    );
    let forged = app
        .client
        .post(app.url("/staff/readings/verdicts"))
        .header("origin", format!("http://{}", app.address))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
}

async fn a_feedback_file_with_a_bad_line_changes_nothing(backend: Backend) {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_demo_with_clock(backend, clock.clone()).await;
    let (id, meter, day) = submitted(&app, 5_000).await;
    signed_in_staff(&app, &clock).await;
    app.post_form_from("/staff/readings", "/staff/readings/export", &[])
        .await;
    let iso = day.format("%Y-%m-%d");

    let file = format!(
        "meter_serial;date;status;reason\n\
         {meter};{iso};accepted;\n\
         NO-SUCH-METER;{iso};accepted;\n\
         {meter};{iso};maybe;\n\
         {meter};2020-01-01;rejected;\n"
    );
    let refused = upload_verdicts(&app, &file).await;
    assert_eq!(refused.status(), 200);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Datoteke nismo uvozili"), "{page}");
    assert!(
        page.contains("Vrstica 4, stolpec status: »maybe« ni odločitev"),
        "{page}"
    );
    assert!(page.contains("Vrstica 5, stolpec reason: "), "{page}");
    assert_eq!(status_of(&app, id).await.status, SubmissionStatus::Exported);

    // Every line well formed, one about a reading billing never had: still nothing.
    let file = format!(
        "meter_serial,date,status,reason\n\
         {meter},{iso},accepted,\n\
         NO-SUCH-METER,{iso},accepted,\n"
    );
    let page = upload_verdicts(&app, &file).await.text().await.unwrap();
    assert!(page.contains("Vrstica 3: noben odčitek"), "{page}");
    assert_eq!(status_of(&app, id).await.status, SubmissionStatus::Exported);

    let empty = upload_verdicts(&app, "").await.text().await.unwrap();
    assert!(empty.contains("Datoteke nismo uvozili"), "{empty}");

    let file = format!("meter_serial;date;status;reason\n{meter};{iso};accepted;\n");
    let applied = upload_verdicts(&app, &file).await;
    assert_eq!(location(&applied), "/staff/readings");
    assert_eq!(status_of(&app, id).await.status, SubmissionStatus::Accepted);
}
