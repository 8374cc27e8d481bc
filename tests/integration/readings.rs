//! "Odčitki in poraba" (SPEC §3.9): the readings with the consumption since the previous one,
//! and the consumption per period as a chart, a table and a CSV with the same figures as the
//! domain computes from the database.

use chrono::NaiveDate;
use eportal::demo::{ACCOUNT_PASSWORD, ACCOUNT_PAYER, ROLL_OVER_PAYER};
use eportal::domain::billing::{MeterRecord, ReadingRecord, ReadingSource};
use eportal::domain::consumption::{Period, Plausibility, intervals, per_period};
use eportal::domain::quantity::Volume;
use eportal::store::entity::{meter, point, reading};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::on_both_databases;
use crate::support::{Backend, PASSWORD, TestApp};

on_both_databases!(
    a_meter_exchange_ends_one_meter_and_starts_the_next,
    table_csv_and_domain_agree_for_every_period,
    the_chart_is_drawn_and_described,
    a_roll_over_yields_the_consumption_past_zero,
    a_point_without_a_meter_has_no_readings,
    bad_choices_get_a_message_not_an_error,
    readings_need_a_signed_in_customer,
);

async fn demo_app(backend: Backend) -> TestApp {
    TestApp::spawn_demo(backend).await
}

async fn signed_in_demo_payer(backend: Backend) -> TestApp {
    let app = demo_app(backend).await;
    let response = app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await;
    assert_eq!(response.status(), 303);
    app
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// The text of an element's content, tags dropped, spaces collapsed.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for character in html.chars() {
        match character {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(character),
            _ => {}
        }
    }
    text.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The body rows of the table `id`, each as its cells' text.
fn rows(html: &str, id: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("table {id}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<t")
                .skip(1)
                .filter(|cell| cell.starts_with('d') || cell.starts_with('h'))
                .map(|cell| {
                    let content = &cell[cell.find('>').unwrap() + 1..];
                    let end = content.find("</td>").or(content.find("</th>")).unwrap();
                    text_of(&content[..end])
                })
                .collect()
        })
        .collect()
}

/// Litres from `1.234,567` (the page) or `1234,567` (the CSV); `None` for no figure.
fn litres(text: &str) -> Option<i64> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (!digits.is_empty() && text.contains(',')).then(|| digits.parse().unwrap())
}

/// The point's meters and readings straight from the tables, not through the page's store code.
async fn records_of(app: &TestApp, point_code: &str) -> (Vec<MeterRecord>, Vec<ReadingRecord>) {
    let meters: Vec<MeterRecord> = meter::Entity::find()
        .filter(meter::Column::PointCode.eq(point_code))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| MeterRecord {
            serial: m.serial,
            point_code: m.point_code,
            medium: m.medium,
            unit: m.unit,
            digits: m.digits.try_into().unwrap(),
            decimals: m.decimals.try_into().unwrap(),
            dn: m.dn.map(|dn| dn.try_into().unwrap()),
            installed_on: m.installed_on,
            removed_on: m.removed_on,
        })
        .collect();
    let serials: Vec<String> = meters.iter().map(|m| m.serial.clone()).collect();
    let readings = reading::Entity::find()
        .filter(reading::Column::MeterSerial.is_in(serials))
        .order_by_asc(reading::Column::ReadOn)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| ReadingRecord {
            meter_serial: r.meter_serial,
            read_on: r.read_on,
            value: Volume::from_litres(r.litres),
            source: ReadingSource::parse(&r.source).unwrap(),
        })
        .collect();
    (meters, readings)
}

/// The demo payer's point whose meter was exchanged (the house), chosen in the toolbar.
async fn exchange_point(app: &TestApp) -> String {
    let points = eportal::store::points::of_payer(&app.db, ACCOUNT_PAYER)
        .await
        .unwrap();
    let mut found = None;
    for point in points {
        let (meters, _) = records_of(app, &point.code).await;
        if meters.iter().any(|m| m.removed_on.is_some()) {
            found = Some(point.code);
        }
    }
    let point_code = found.expect("a point with a meter exchange");
    app.choose_point(&point_code).await;
    point_code
}

async fn a_meter_exchange_ends_one_meter_and_starts_the_next(backend: Backend) {
    let app = signed_in_demo_payer(backend).await;
    let point_code = exchange_point(&app).await;
    let (meters, _) = records_of(&app, &point_code).await;
    let old = meters.iter().find(|m| m.removed_on.is_some()).unwrap();
    let exchanged_on = old.removed_on.unwrap();
    let new = meters
        .iter()
        .find(|m| m.installed_on == exchanged_on && m.serial != old.serial)
        .expect("the new meter");
    let day = format!(
        "{}. {}. {}",
        chrono::Datelike::day(&exchanged_on),
        chrono::Datelike::month(&exchanged_on),
        chrono::Datelike::year(&exchanged_on)
    );

    let html = page(&app, "/readings").await;
    assert!(html.contains("<h1>Odčitki in poraba</h1>"));
    let table = rows(&html, "readings-table");
    let on_the_day: Vec<&Vec<String>> = table.iter().filter(|row| row[0] == day).collect();
    assert_eq!(on_the_day.len(), 2, "{on_the_day:?}");
    let install = on_the_day[0];
    let removal = on_the_day[1];
    assert_eq!(install[1], new.serial);
    assert_eq!(install[3], "montaža števca");
    assert_eq!(install[4], "—", "no consumption across meters");
    assert_eq!(removal[1], old.serial);
    assert_eq!(removal[3], "demontaža števca");
    assert!(
        litres(&removal[4]).is_some(),
        "the old meter's last interval: {removal:?}"
    );
    // The new meter's next reading counts from the installation reading.
    let after: Vec<&Vec<String>> = table
        .iter()
        .filter(|row| row[1] == new.serial && row[3] != "montaža števca")
        .collect();
    let next = after.last().expect("a reading after the installation");
    let value = |row: &Vec<String>| litres(&row[2]).unwrap();
    assert_eq!(litres(&next[4]), Some(value(next) - value(install)));
    // Every source is said in words.
    for row in &table {
        assert!(
            [
                "odčitek komunalnega podjetja",
                "ocena",
                "sporočil odjemalec",
                "montaža števca",
                "demontaža števca"
            ]
            .contains(&row[3].as_str()),
            "{row:?}"
        );
    }
}

async fn table_csv_and_domain_agree_for_every_period(backend: Backend) {
    let app = signed_in_demo_payer(backend).await;
    let point_code = exchange_point(&app).await;
    let (meters, readings) = records_of(&app, &point_code).await;
    let expected_intervals = intervals(&meters, &readings, &Plausibility::default());
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();

    for (period, name, periods) in [
        (Period::Month, "month", 36),
        (Period::Quarter, "quarter", 12),
        (Period::Year, "year", 3),
    ] {
        let query = format!("period={name}&from=2021-01&to=2023-12");
        let expected: Vec<Option<i64>> = per_period(
            &expected_intervals.intervals,
            period,
            date(2021, 1, 1)..=date(2023, 12, 31),
        )
        .iter()
        .map(|figure| figure.consumption.map(Volume::litres))
        .collect();
        assert_eq!(expected.len(), periods);
        assert!(
            expected.iter().all(Option::is_some),
            "the demo covers 2021–23"
        );

        let html = page(&app, &format!("/readings?{query}")).await;
        let table: Vec<Option<i64>> = rows(&html, "consumption-table")
            .iter()
            .map(|row| litres(&row[1]))
            .collect();
        assert_eq!(table, expected, "{name}: the table");

        let response = app.get(&format!("/readings.csv?{query}")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            response.headers()["content-disposition"],
            format!("attachment; filename=\"poraba-{point_code}-{name}.csv\"").as_str()
        );
        let csv = response.text().await.unwrap();
        let mut lines = csv.trim_start_matches('\u{feff}').lines();
        assert_eq!(
            lines.next(),
            Some("Obdobje;Poraba (m³);Dni s podatki;Dni v obdobju")
        );
        let from_csv: Vec<Option<i64>> = lines
            .map(|line| {
                let fields: Vec<&str> = line.split(';').collect();
                assert_eq!(fields.len(), 4, "{line}");
                assert!(!fields[1].contains('.'), "no thousands dots: {line}");
                litres(fields[1])
            })
            .collect();
        assert_eq!(from_csv, expected, "{name}: the CSV");
    }

    let html = page(&app, "/readings?period=quarter&from=2022-01&to=2022-12").await;
    let labels: Vec<String> = rows(&html, "consumption-table")
        .into_iter()
        .map(|row| row[0].clone())
        .collect();
    assert_eq!(
        labels,
        [
            "1. čet. 2022",
            "2. čet. 2022",
            "3. čet. 2022",
            "4. čet. 2022"
        ]
    );
    let html = page(&app, "/readings?period=month&from=1%2F2022&to=3%2F2022").await;
    let labels: Vec<String> = rows(&html, "consumption-table")
        .into_iter()
        .map(|row| row[0].clone())
        .collect();
    assert_eq!(labels, ["1/2022", "2/2022", "3/2022"]);
}

async fn the_chart_is_drawn_and_described(backend: Backend) {
    let app = signed_in_demo_payer(backend).await;
    exchange_point(&app).await;
    let html = page(&app, "/readings?period=year&from=2021-01&to=2023-12").await;
    let svg = &html[html
        .find(r#"<svg class="chart chart--narrow""#)
        .expect("a chart")..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains(
        r#"aria-labelledby="consumption-chart-narrow-title consumption-chart-narrow-desc""#
    ));
    assert!(svg.contains("Poraba vode po letih v m³</title>"));
    assert!(svg.contains("Stolpčni graf porabe od 2021 do 2023, skupaj"));
    assert_eq!(svg.matches(r#"class="chart__bar""#).count(), 3);
    assert_eq!(
        html.matches(r#"<svg class="chart chart--"#).count(),
        2,
        "one drawing for narrow screens, one for wide"
    );
    for year in ["2021", "2022", "2023"] {
        assert!(svg.contains(&format!(">{year}</text>")), "{year}");
    }
    assert!(!html.contains("<script"), "drawn without JavaScript");
    // The default: the last three years by month, the current one partly covered.
    let html = page(&app, "/readings").await;
    let periods = rows(&html, "consumption-table");
    assert_eq!(periods.len(), 36);
    assert!(html.contains(r#"href="/readings.csv?period=month&#38;from="#));

    // English words, Slovenian numbers.
    app.get("/lang/en").await;
    let html = page(&app, "/readings?period=quarter&from=2022-01&to=2022-03").await;
    assert!(html.contains("Readings and consumption"));
    assert!(html.contains(">Q1 2022<"));
}

async fn a_roll_over_yields_the_consumption_past_zero(backend: Backend) {
    let app = demo_app(backend).await;
    app.seed_account(ROLL_OVER_PAYER, "okrepcevalnica@example.si", true)
        .await;
    app.sign_in(ROLL_OVER_PAYER, PASSWORD).await;
    let html = page(&app, "/readings").await;
    let table = rows(&html, "readings-table");
    // 10 000 m³ − 8 700,410 m³ + 38,000 m³ on the four-digit dial.
    let rolled = table
        .iter()
        .find(|row| row[0] == "29. 3. 2023")
        .expect("the reading after the roll-over");
    assert_eq!(rolled[2], "38,000");
    assert_eq!(rolled[4], "1.337,590 števec je šel čez ničlo");
    let before = table.iter().find(|row| row[0] == "4. 5. 2022").unwrap();
    assert_eq!(before[2], "8.700,410");

    let html = page(&app, "/readings?period=year&from=2022-01&to=2023-12").await;
    let years = rows(&html, "consumption-table");
    let total: i64 = years.iter().filter_map(|row| litres(&row[1])).sum();
    assert!(total >= 1_337_590, "the roll-over's consumption is counted");
}

async fn a_point_without_a_meter_has_no_readings(backend: Backend) {
    let app = signed_in_demo_payer(backend).await;
    let points = eportal::store::points::of_payer(&app.db, ACCOUNT_PAYER)
        .await
        .unwrap();
    let waste_only = points.iter().find(|p| !p.has_meter).unwrap();
    let meters = meter::Entity::find()
        .filter(meter::Column::PointCode.eq(&waste_only.code))
        .all(&app.db)
        .await
        .unwrap();
    assert!(meters.is_empty());
    app.choose_point(&waste_only.code).await;
    let html = page(&app, "/readings").await;
    assert!(html.contains("Na tem odjemnem mestu ni vodomera"));
    assert!(!html.contains(r#"<svg class="chart"#));
    assert!(!html.contains("readings-table"));
    // Nothing to choose there, so nothing to refuse.
    let response = app.get("/readings?period=week").await;
    assert_eq!(response.status(), 200);
    // The point is the payer's: a sanity check of the data the test relies on.
    let owner = point::Entity::find_by_id(waste_only.code.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(owner.payer_code, ACCOUNT_PAYER);
}

async fn bad_choices_get_a_message_not_an_error(backend: Backend) {
    let app = signed_in_demo_payer(backend).await;
    exchange_point(&app).await;
    for (query, message) in [
        ("period=week", "Izberite, ali želite porabo po mesecih"),
        ("from=marec", "Začetni mesec vpišite kot leto in mesec"),
        ("to=2024-13", "Končni mesec vpišite kot leto in mesec"),
        (
            "from=2024-05&to=2024-01",
            "Končni mesec ne sme biti pred začetnim",
        ),
        ("from=1900-01&to=2024-01", "največ 50 let"),
    ] {
        let response = app.get(&format!("/readings?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        let html = response.text().await.unwrap();
        assert!(html.contains("error-summary"), "{query}");
        assert!(html.contains(message), "{query}");
        assert!(!html.contains(r#"<svg class="chart"#), "{query}");

        let response = app.get(&format!("/readings.csv?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        assert!(response.text().await.unwrap().contains(message), "{query}");
    }
    // What was typed stays in the form.
    let html = app.get("/readings?from=marec").await.text().await.unwrap();
    assert!(html.contains(r#"value="marec""#));
}

async fn readings_need_a_signed_in_customer(backend: Backend) {
    let app = demo_app(backend).await;
    for path in ["/readings", "/readings.csv?period=year"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(response.headers()["location"], "/", "{path}");
    }
}
