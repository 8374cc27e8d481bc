//! "Odjemno mesto" (/point), "Cenik" (/prices) and the home page's cards, on the demo data.

use chrono::{Duration, Utc};
use eportal::demo::{ACCOUNT_PASSWORD, ACCOUNT_PAYER, MANUAL_PAYER};
use eportal::domain::billing::PriceRecord;
use eportal::domain::dates::format_sl;
use eportal::domain::money::UnitPrice;
use eportal::domain::vat::VatRate;
use eportal::store::entity::audit_event;
use eportal::store::points::{self, PointSummary};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::on_both_databases;
use crate::support::{Backend, TestApp};

on_both_databases!(
    the_point_page_shows_the_first_point_its_meters_services_and_payer,
    choosing_each_point_shows_it_and_a_point_without_a_meter_says_so,
    choosing_another_payers_point_is_not_found_and_audited,
    the_price_list_shows_todays_prices_with_vat_the_points_first,
    a_future_price_is_announced_not_current,
    the_pages_need_a_signed_in_customer,
    each_meters_last_reading_is_of_its_newest_day_and_last_source,
);

/// The demo, signed in as its payer with an account; the payer's points.
async fn demo_signed_in(backend: Backend) -> (TestApp, Vec<PointSummary>) {
    let app = TestApp::spawn_demo(backend).await;
    let response = app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await;
    assert_eq!(response.status(), 303);
    let points = points::of_payer(&app.db, ACCOUNT_PAYER).await.unwrap();
    assert_eq!(points.len(), 3, "the demo payer has three points");
    (app, points)
}

/// The house at LIPOVA ULICA 12: two meters (one exchanged) and a rented container.
fn house(points: &[PointSummary]) -> &PointSummary {
    points
        .iter()
        .find(|point| point.street.as_deref() == Some("LIPOVA ULICA 12"))
        .expect("the demo payer's house")
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

async fn choose(app: &TestApp, code: &str) -> reqwest::Response {
    app.post_form_from(
        "/home",
        "/point/choose",
        &[("point", code), ("back", "/point")],
    )
    .await
}

/// The part of `html` between two markers (the first after `from`).
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from}"));
    let rest = &html[start..];
    let end = rest
        .find(to)
        .unwrap_or_else(|| panic!("no {to} after {from}"));
    &rest[..end]
}

async fn the_point_page_shows_the_first_point_its_meters_services_and_payer(backend: Backend) {
    let (app, points) = demo_signed_in(backend).await;
    // Without a choice, the first of the payer's points.
    let first = &points[0];
    let html = page(&app, "/point").await;
    assert!(html.contains("Oznaka odjemnega mesta"));
    assert!(html.contains(&format!("<dd>{}</dd>", first.code)));
    assert!(html.contains("Aktivno"));
    assert!(html.contains(r#"aria-current="page">Odjemno mesto"#));
    let meters = eportal::store::meters::at_point(&app.db, &first.code)
        .await
        .unwrap();
    for listed in &meters {
        assert!(html.contains(&listed.meter.serial));
    }
    let services = eportal::store::services::billed_at(&app.db, &first.code)
        .await
        .unwrap();
    assert!(!services.is_empty());
    let listed = between(&html, "Storitve, ki se obračunavajo", "</table>");
    for service in &services {
        assert!(listed.contains(&format!(
            "<td>{}</td><td>{}</td>",
            service.code, service.name
        )));
    }

    // The house: both meters, the one exchanged on 14. 9. 2022 after its successor, each with
    // its last reading and where it came from.
    let house = house(&points);
    choose(&app, &house.code).await;
    let html = page(&app, "/point").await;
    assert!(html.contains(&format!("<dd>{}</dd>", house.code)));
    assert!(html.contains("LIPOVA ULICA 12, 1351 VNANJE GORICE"));
    let meters = eportal::store::meters::at_point(&app.db, &house.code)
        .await
        .unwrap();
    assert_eq!(meters.len(), 2);
    let meter_table = between(&html, "<h2>Števci</h2>", "</table>");
    for listed in &meters {
        assert!(meter_table.contains(&listed.meter.serial));
        let last = listed.last_reading.as_ref().expect("a reading");
        assert!(meter_table.contains(&last.value.format_sl()));
        assert!(meter_table.contains(&format_sl(last.read_on)));
    }
    assert!(
        meters[0].meter.removed_on.is_none(),
        "the meter in place first"
    );
    assert!(meter_table.find(&meters[0].meter.serial) < meter_table.find(&meters[1].meter.serial));
    assert!(meter_table.contains("14. 9. 2022"));
    assert!(meter_table.contains("DN 20"));
    assert!(meter_table.contains("hladna voda"));
    assert!(meter_table.contains("5 + 3"));
    assert!(
        meter_table.contains("ob odstranitvi števca")
            || meter_table.contains("odčital popisovalec"),
        "the source in words"
    );

    // The services billed there, with their names; the container rent among them.
    let services = between(&html, "Storitve, ki se obračunavajo", "</table>");
    assert!(services.contains("<td>VOD</td><td>Vodarina</td>"));
    assert!(services.contains("<td>NZB</td><td>Najem zabojnika</td>"));

    // The payer as billing knows them, the tax number shown only by its last three digits.
    let payer = eportal::store::payers::find(&app.db, ACCOUNT_PAYER)
        .await
        .unwrap()
        .unwrap();
    let payer_part = between(&html, "Podatki o plačniku", "</dl>");
    assert!(payer_part.contains(ACCOUNT_PAYER));
    assert!(payer_part.contains("KOVAČIČ MOJCA"));
    let tax_number = payer.tax_number.expect("a tax number");
    assert!(!html.contains(&tax_number));
    assert!(payer_part.contains(&format!("•••••{}", &tax_number[tax_number.len() - 3..])));
}

async fn choosing_each_point_shows_it_and_a_point_without_a_meter_says_so(backend: Backend) {
    let (app, points) = demo_signed_in(backend).await;
    for point in &points {
        let response = choose(&app, &point.code).await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/point");
        let html = page(&app, "/point").await;
        assert!(
            html.contains(&format!("<dd>{}</dd>", point.code)),
            "{}",
            point.code
        );
        assert!(html.contains(point.street.as_deref().unwrap()));
        let no_meter = "To odjemno mesto nima števca";
        let toolbar = between(&html, r#"<nav class="toolbar""#, "</nav>");
        if point.has_meter {
            assert!(!html.contains(no_meter), "{}", point.code);
            assert!(toolbar.contains(r#"href="/readings/new""#));
        } else {
            assert!(html.contains(no_meter));
            assert!(point.street.as_deref().unwrap().contains("RAKITNA 87"));
            assert!(!toolbar.contains(r#"href="/readings/new""#));
            assert!(toolbar.contains(
                r#"aria-disabled="true">Vnos števnega stanja<span class="toolbar__reason">Odjemno mesto nima števca."#
            ));
            let services = between(&html, "Storitve, ki se obračunavajo", "</table>");
            assert!(services.contains("ZKO"), "waste collection is billed");
            assert!(!services.contains("VOD"), "no water");
            // The home page's card says why, too.
            let home = page(&app, "/home").await;
            let card = between(&home, r#"<li class="card card--disabled">"#, "</li>");
            assert!(card.contains("Vnos števnega stanja"));
            assert!(card.contains("Odjemno mesto nima števca."));
            assert!(home.contains(&point.code));
        }
    }
}

async fn choosing_another_payers_point_is_not_found_and_audited(backend: Backend) {
    let (app, points) = demo_signed_in(backend).await;
    choose(&app, &points[1].code).await;
    let foreign = points::of_payer(&app.db, MANUAL_PAYER).await.unwrap();
    let foreign = &foreign[0].code;

    let response = choose(&app, foreign).await;
    assert_eq!(response.status(), 404);
    let unknown = choose(&app, "no-such-point").await;
    assert_eq!(
        unknown.status(),
        404,
        "the same as a point that does not exist"
    );

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("foreign_object"))
        .all(&app.db)
        .await
        .unwrap();
    let event = events
        .iter()
        .find(|event| event.subject.as_deref() == Some(format!("point {foreign}").as_str()))
        .expect("an audit event for the other payer's point");
    assert_eq!(event.actor.as_deref(), Some(ACCOUNT_PAYER));

    let html = page(&app, "/point").await;
    assert!(
        html.contains(&format!("<dd>{}</dd>", points[1].code)),
        "the choice before stays"
    );
    assert!(!html.contains(foreign.as_str()));
}

async fn the_price_list_shows_todays_prices_with_vat_the_points_first(backend: Backend) {
    let (app, points) = demo_signed_in(backend).await;
    let house = house(&points);
    choose(&app, &house.code).await;
    let html = page(&app, "/prices").await;
    assert!(html.contains(r#"aria-current="page">Cenik"#));
    // Vodarina: 0,6843 € from 1. 1. 2023 (not 0,5781 € of 2019); with 9,5 % VAT 0,7493 €.
    assert!(html.contains("0,6843\u{a0}€"));
    assert!(!html.contains("0,5781"));
    assert!(html.contains("9,5\u{a0}%"));
    assert!(html.contains("0,7493\u{a0}€"));
    assert!(html.contains("1. 1. 2023"));
    assert!(!html.contains("1. 1. 2019"));
    // Container rent at 22 %: 2,2500 € → 2,7450 €.
    assert!(html.contains("2,2500\u{a0}€"));
    assert!(html.contains("22\u{a0}%"));
    assert!(html.contains("2,7450\u{a0}€"));

    // The house's services come first; the full list after them.
    let at_point = html.find("Storitve na odjemnem mestu").unwrap();
    let all = html.find("Vse storitve").unwrap();
    assert!(at_point < all);
    let first = between(&html, "Storitve na odjemnem mestu", "Vse storitve");
    assert!(first.contains(&house.code));
    assert!(first.contains("Vodarina") && first.contains("Najem zabojnika"));
    assert!(!first.contains("OMV25"), "only what is billed at the point");
    assert!(html[all..].contains("OMV25"));

    // The cottage without a meter: waste only.
    let cottage = points.iter().find(|point| !point.has_meter).unwrap();
    choose(&app, &cottage.code).await;
    let html = page(&app, "/prices").await;
    let first = between(&html, "Storitve na odjemnem mestu", "Vse storitve");
    assert!(first.contains("ZKO"));
    assert!(!first.contains("Vodarina"));
}

async fn a_future_price_is_announced_not_current(backend: Backend) {
    let (app, _) = demo_signed_in(backend).await;
    let from = Utc::now().date_naive() + Duration::days(40);
    eportal::store::billing::upsert_prices(
        &app.db,
        &[PriceRecord {
            service_code: "VOD".to_owned(),
            name: "Vodarina".to_owned(),
            unit: "m³".to_owned(),
            price: UnitPrice::parse("0,7777").unwrap(),
            vat_rate: VatRate::parse("9,5").unwrap(),
            valid_from: from,
        }],
        Utc::now(),
    )
    .await
    .unwrap();
    let html = page(&app, "/prices").await;
    let row = between(&html, "<td>VOD</td>", "</tr>");
    assert!(row.contains("0,6843\u{a0}€"), "today's price stays current");
    assert!(row.contains("1. 1. 2023"));
    assert!(row.contains(&format!(
        "Nova cena velja od {}: 0,7777\u{a0}€ brez DDV (0,8516\u{a0}€ z DDV).",
        format_sl(from)
    )));
    assert!(!html.contains(&format!(
        "<td class=\"num nowrap\">{}</td>",
        format_sl(from)
    )));
}

async fn the_pages_need_a_signed_in_customer(backend: Backend) {
    let app = TestApp::spawn_demo(backend).await;
    for path in ["/point", "/prices", "/home"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(response.headers()["location"], "/", "{path}");
    }
}

/// A point's meters with their last readings, read in one query: of two readings on a meter's
/// newest day the one the sources' order puts last (the removal), none for a meter never read.
async fn each_meters_last_reading_is_of_its_newest_day_and_last_source(backend: Backend) {
    use eportal::domain::billing::ReadingSource;
    use eportal::domain::quantity::Volume;
    use eportal::store::entity::{meter, reading};
    use eportal::store::meters::{LastReading, at_point};
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

    let (app, points) = demo_signed_in(backend).await;
    let house = house(&points);
    let existing = meter::Entity::find()
        .filter(meter::Column::PointCode.eq(&house.code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    for serial in ["T-READ", "T-NEVER"] {
        let mut added = existing.clone().into_active_model();
        added.serial = Set(serial.to_owned());
        added.removed_on = Set(None);
        added.insert(&app.db).await.unwrap();
    }
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let readings = [
        (day - Duration::days(30), ReadingSource::Reader, 1_000),
        (day, ReadingSource::Removal, 2_500),
        (day, ReadingSource::Reader, 2_000),
    ];
    for (read_on, source, litres) in readings {
        reading::ActiveModel {
            meter_serial: Set("T-READ".to_owned()),
            read_on: Set(read_on),
            source: Set(source.as_str().to_owned()),
            litres: Set(litres),
            updated_at: Set(Utc::now()),
        }
        .insert(&app.db)
        .await
        .unwrap();
    }

    let meters = at_point(&app.db, &house.code).await.unwrap();
    assert_eq!(meters.len(), 4, "the house's two and the two added");
    let last_of = |serial: &str| {
        meters
            .iter()
            .find(|at| at.meter.serial == serial)
            .unwrap()
            .last_reading
            .clone()
    };
    assert_eq!(
        last_of("T-READ"),
        Some(LastReading {
            read_on: day,
            value: Volume::from_litres(2_500),
            source: Some(ReadingSource::Removal),
        })
    );
    assert_eq!(last_of("T-NEVER"), None);
    assert!(last_of(&existing.serial).is_some());
}
