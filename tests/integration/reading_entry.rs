//! "Vnos števnega stanja" (SPEC §3.11): the checks refuse what cannot be, a reading far above
//! the usual one is stored only once confirmed, and a good one is stored, mailed and shown back
//! with its consumption and estimated cost.

use chrono::{Days, NaiveDate, Utc};
use eportal::demo::{ACCOUNT_EMAIL, ACCOUNT_PASSWORD, ACCOUNT_PAYER, MANUAL_PAYER};
use eportal::domain::billing::ReadingSource;
use eportal::domain::quantity::Volume;
use eportal::store::entity::{audit_event, submitted_reading};
use eportal::store::submitted_readings::{self, NewSubmission};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::on_both_databases;
use crate::support::{Backend, TestApp};

on_both_databases!(
    a_reading_below_the_last_is_refused,
    a_reading_in_the_future_is_refused,
    an_implausible_reading_is_stored_only_once_confirmed,
    a_good_reading_is_stored_mailed_and_shown_back,
    a_second_reading_of_the_day_replaces_the_first_until_exported,
    a_point_without_a_meter_has_no_form,
    another_accounts_reading_is_not_found,
    a_reading_outside_the_window_is_refused,
);

async fn signed_in_demo_payer(backend: Backend) -> TestApp {
    let app = TestApp::spawn_demo(backend).await;
    let response = app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await;
    assert_eq!(response.status(), 303);
    app
}

fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Ljubljana)
        .date_naive()
}

/// The house (the payer's first point): its active meter and that meter's last real reading.
async fn house_meter(app: &TestApp) -> (String, NaiveDate, Volume) {
    let points = eportal::store::points::of_payer(&app.db, ACCOUNT_PAYER)
        .await
        .unwrap();
    let house = &points[0];
    assert!(house.has_meter);
    let meters = eportal::store::readings::meters_of_point(&app.db, ACCOUNT_PAYER, &house.code)
        .await
        .unwrap();
    let meter = meters.iter().find(|m| m.removed_on.is_none()).unwrap();
    let readings = eportal::store::readings::readings_of_point(&app.db, ACCOUNT_PAYER, &house.code)
        .await
        .unwrap();
    let last = readings
        .iter()
        .filter(|r| r.meter_serial == meter.serial && r.source != ReadingSource::Estimate)
        .max_by_key(|r| r.read_on)
        .unwrap();
    assert!(
        last.read_on < today(),
        "the demo's last reading is weeks old"
    );
    (meter.serial.clone(), last.read_on, last.value)
}

/// `1234,567` as a customer types it.
fn typed(value: Volume) -> String {
    let litres = value.litres();
    format!("{},{:03}", litres / 1000, litres % 1000)
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

async fn submit(
    app: &TestApp,
    date: NaiveDate,
    value: Volume,
    confirmed: bool,
) -> reqwest::Response {
    let date = iso(date);
    let value = typed(value);
    let mut fields = vec![("date", date.as_str()), ("value", value.as_str())];
    if confirmed {
        fields.push(("confirmed", "1"));
    }
    app.post_form("/readings/new", &fields).await
}

async fn stored(app: &TestApp) -> Vec<submitted_reading::Model> {
    submitted_reading::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .expect("a redirect")
        .to_str()
        .unwrap()
        .to_owned()
}

async fn a_reading_below_the_last_is_refused(backend: Backend) {
    let app = signed_in_demo_payer(backend).await;
    let (_, _, last) = house_meter(&app).await;
    let response = submit(
        &app,
        today(),
        Volume::from_litres(last.litres() - 1000),
        false,
    )
    .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Števno stanje ne sme biti manjše od zadnjega odčitka"),
        "{html}"
    );
    assert!(html.contains("field--error"));
    assert!(stored(&app).await.is_empty());
}

async fn a_reading_in_the_future_is_refused(backend: Backend) {
    let app = signed_in_demo_payer(backend).await;
    let (_, _, last) = house_meter(&app).await;
    let tomorrow = today() + Days::new(1);
    let response = submit(
        &app,
        tomorrow,
        Volume::from_litres(last.litres() + 500),
        false,
    )
    .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Datum odčitka ne sme biti v prihodnosti."));
    assert!(stored(&app).await.is_empty());
}

async fn an_implausible_reading_is_stored_only_once_confirmed(backend: Backend) {
    let app = signed_in_demo_payer(backend).await;
    let (_, _, last) = house_meter(&app).await;
    let high = Volume::from_litres(last.litres() + 3_000_000);
    let response = submit(&app, today(), high, false).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Poraba je precej višja od običajne."),
        "{html}"
    );
    assert!(html.contains("morda kje pušča voda"));
    assert!(html.contains(r#"name="confirmed" value="1""#));
    assert!(html.contains("Potrjujem odčitek"));
    assert!(html.contains(&typed(high)), "the value is kept");
    assert!(stored(&app).await.is_empty());

    let response = submit(&app, today(), high, true).await;
    assert_eq!(response.status(), 303);
    let rows = stored(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].litres, high.litres());
}

async fn a_good_reading_is_stored_mailed_and_shown_back(backend: Backend) {
    let app = signed_in_demo_payer(backend).await;
    let (serial, last_date, last) = house_meter(&app).await;
    let value = Volume::from_litres(last.litres() + 500);
    let response = submit(&app, today(), value, false).await;
    assert_eq!(response.status(), 303);
    let rows = stored(&app).await;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        (
            row.meter_serial.as_str(),
            row.read_on,
            row.litres,
            row.status.as_str()
        ),
        (serial.as_str(), today(), value.litres(), "submitted")
    );
    assert_eq!(
        location(&response),
        format!("/readings/submitted/{}", row.id)
    );

    let html = app.get(&location(&response)).await.text().await.unwrap();
    assert!(html.contains(&value.format_sl()), "{html}");
    let consumption = format!(
        "Poraba od zadnjega odčitka ({}): 0,500",
        eportal::domain::dates::format_sl(last_date)
    );
    assert!(html.contains(&consumption), "{html}");
    assert!(
        html.contains(r#"id="cost""#) && html.contains("z DDV"),
        "{html}"
    );
    assert!(html.contains("ocena"));

    let mail = app.mail_to(ACCOUNT_EMAIL).await;
    let mail = mail
        .iter()
        .find(|m| m.subject == "Prejeli smo vaš odčitek")
        .expect("a confirmation mail");
    assert!(mail.body_text.contains(&value.format_sl()));
    assert!(mail.body_text.contains(&serial));
    assert!(mail.body_text.contains("0,500"));

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("reading_submitted"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);

    let list = app.get("/readings/new").await.text().await.unwrap();
    assert!(list.contains("submissions-table") && list.contains("oddano"));
}

async fn a_second_reading_of_the_day_replaces_the_first_until_exported(backend: Backend) {
    let app = signed_in_demo_payer(backend).await;
    let (_, _, last) = house_meter(&app).await;
    let first = Volume::from_litres(last.litres() + 300);
    let second = Volume::from_litres(last.litres() + 400);
    assert_eq!(submit(&app, today(), first, false).await.status(), 303);
    assert_eq!(submit(&app, today(), second, false).await.status(), 303);
    let rows = stored(&app).await;
    // The first is kept, marked replaced; the second names it.
    let replaced = rows.iter().find(|r| r.litres == first.litres()).unwrap();
    let current = rows.iter().find(|r| r.litres == second.litres()).unwrap();
    assert_eq!(replaced.status.as_str(), "replaced");
    assert_eq!(current.status.as_str(), "submitted");
    assert_eq!(current.replaces_id, Some(replaced.id));
    assert!(
        current.feed_seq > replaced.feed_seq,
        "in the feed again, later"
    );

    let (_, exported) = submitted_readings::take_for_export(&app.db, None, Utc::now())
        .await
        .unwrap();
    assert_eq!(exported.len(), 1);
    let third = Volume::from_litres(last.litres() + 450);
    assert_eq!(submit(&app, today(), third, false).await.status(), 303);
    let rows = stored(&app).await;
    assert_eq!(rows.len(), 3, "billing has the second: a new row");
    assert!(
        rows.iter()
            .any(|r| r.status.as_str() == "exported" && r.litres == second.litres())
    );
    assert!(
        rows.iter()
            .any(|r| r.status.as_str() == "submitted" && r.litres == third.litres())
    );
    let list = app.get("/readings/new").await.text().await.unwrap();
    assert!(list.contains("posredovano v obračun"));
}

async fn a_point_without_a_meter_has_no_form(backend: Backend) {
    let app = signed_in_demo_payer(backend).await;
    let points = eportal::store::points::of_payer(&app.db, ACCOUNT_PAYER)
        .await
        .unwrap();
    let waste_only = points.iter().find(|p| !p.has_meter).unwrap();
    let response = app
        .post_form_from(
            "/home",
            "/point/choose",
            &[
                ("point", waste_only.code.as_str()),
                ("back", "/readings/new"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let response = app.get("/readings/new").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Odjemno mesto nima števca."));
    assert!(!html.contains(r#"action="/readings/new""#));
    assert!(!html.contains(r#"name="value""#));
}

async fn another_accounts_reading_is_not_found(backend: Backend) {
    let app = signed_in_demo_payer(backend).await;
    let other = app
        .seed_account(MANUAL_PAYER, "janez@example.com", true)
        .await;
    let points = eportal::store::points::of_payer(&app.db, MANUAL_PAYER)
        .await
        .unwrap();
    let meters = eportal::store::readings::meters_of_point(&app.db, MANUAL_PAYER, &points[0].code)
        .await
        .unwrap();
    let id = submitted_readings::save(
        &app.db,
        NewSubmission {
            account_id: other,
            meter_serial: &meters[0].serial,
            read_on: today(),
            litres: 1_000_000,
            client_addr: None,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    let foreign = app.get(&format!("/readings/submitted/{id}")).await;
    assert_eq!(foreign.status(), 404);
    let missing = app.get("/readings/submitted/999999").await;
    assert_eq!(missing.status(), 404);
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("foreign_object"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 2);
    assert!(
        events
            .iter()
            .all(|e| e.actor.as_deref() == Some(ACCOUNT_PAYER))
    );
    let list = app.get("/readings/new").await.text().await.unwrap();
    assert!(!list.contains(&format!("/readings/submitted/{id}")));
}

async fn a_reading_outside_the_window_is_refused(backend: Backend) {
    use chrono::Datelike;
    // A window of two days that never holds today (e.g. the 26th and 27th on the 25th).
    let from = today().day() % 28 + 1;
    let window = eportal::domain::reading_check::ReadingWindow::new(from, from + 1);
    let app = TestApp::spawn_demo_with(backend, |config| config.reading_window = window).await;
    app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await;
    let (_, _, last) = house_meter(&app).await;
    let response = submit(
        &app,
        today(),
        Volume::from_litres(last.litres() + 500),
        false,
    )
    .await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(
        page.contains(&format!("Datum odčitka mora biti med {from}.")),
        "{page}"
    );
    assert!(stored(&app).await.is_empty(), "nothing stored");
}
