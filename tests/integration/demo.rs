//! The demo data as it lands in a fresh database.

use std::collections::{BTreeMap, HashSet};

use chrono::{Days, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use eportal::auth::password::verify_password;
use eportal::auth::secret::sha256_hex;
use eportal::config::Config;
use eportal::demo::{
    ACCOUNT_EMAIL, ACCOUNT_PASSWORD, ACCOUNT_PAYER, MANUAL_INVOICE, MANUAL_PAYER, OVERDUE_PAYER,
    fill_if_empty,
};
use eportal::domain::money::Cents;
use eportal::domain::vat::VatRate;
use eportal::store::Db;
use eportal::store::entity::{
    account, consent, invoice, invoice_line, invoice_pdf, meter, open_item, payer, point, reading,
};

fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Ljubljana)
        .date_naive()
}

use crate::on_both_databases;
use crate::support::{Backend, TestDatabase};

on_both_databases!(fills_an_empty_database_once_with_what_spec_7_asks);

async fn fills_an_empty_database_once_with_what_spec_7_asks(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let config = Config::demo().unwrap();

    assert!(fill_if_empty(&db, &config).await.unwrap());

    the_manuals_payer_is_there_without_an_account(&db).await;
    about_fifty_payers(&db).await;
    the_demo_account_is_ready(&db, &config).await;
    a_point_has_no_meter(&db).await;
    a_payer_is_in_arrears(&db).await;
    a_meter_rolled_over_and_one_was_exchanged(&db).await;
    invoices_add_up(&db).await;

    assert!(!fill_if_empty(&db, &config).await.unwrap());
    assert_eq!(payer::Entity::find().count(&db).await.unwrap(), 50);
}

async fn the_manuals_payer_is_there_without_an_account(db: &Db) {
    let novak = payer::Entity::find_by_id(MANUAL_PAYER)
        .one(db)
        .await
        .unwrap()
        .expect("the manual's payer");
    assert_eq!(novak.name, "NOVAK JANEZ");
    assert_eq!(novak.street.as_deref(), Some("STARA ULICA 1"));
    assert_eq!(novak.city.as_deref(), Some("BREZOVICA"));

    let manual = invoice::Entity::find_by_id(MANUAL_INVOICE)
        .one(db)
        .await
        .unwrap()
        .expect("the manual's invoice");
    let january_31 = NaiveDate::from_ymd_opt(2020, 1, 31).unwrap();
    assert_eq!(manual.payer_code, MANUAL_PAYER);
    assert_eq!(manual.issue_date, january_31);
    assert_eq!(manual.period_from, Some(january_31));
    assert_eq!(manual.period_to, Some(january_31));
    let pdf = invoice_pdf::Entity::find_by_id(MANUAL_INVOICE)
        .one(db)
        .await
        .unwrap()
        .expect("the manual invoice's PDF");
    assert!(pdf.content.starts_with(b"%PDF-"));
    assert_eq!(pdf.sha256, sha256_hex(&pdf.content));

    let accounts = account::Entity::find()
        .filter(account::Column::PayerCode.eq(MANUAL_PAYER))
        .count(db)
        .await
        .unwrap();
    assert_eq!(accounts, 0);

    let points = point::Entity::find()
        .filter(point::Column::PayerCode.eq(MANUAL_PAYER))
        .all(db)
        .await
        .unwrap();
    let meters = meter::Entity::find()
        .filter(meter::Column::PointCode.eq(points[0].code.clone()))
        .all(db)
        .await
        .unwrap();
    let readings = reading::Entity::find()
        .filter(reading::Column::MeterSerial.eq(meters[0].serial.clone()))
        .order_by_asc(reading::Column::ReadOn)
        .all(db)
        .await
        .unwrap();
    let (first, last) = (readings[0].read_on, readings.last().unwrap().read_on);
    assert!(first <= today() - Days::new(5 * 366), "{first}");
    assert!(last >= today() - Days::new(60) && last <= today(), "{last}");
    let open = open_item::Entity::find()
        .filter(open_item::Column::PayerCode.eq(MANUAL_PAYER))
        .count(db)
        .await
        .unwrap();
    assert!(open >= 1);
}

async fn about_fifty_payers(db: &Db) {
    let payers = payer::Entity::find().all(db).await.unwrap();
    assert_eq!(payers.len(), 50);
    assert!(payers.iter().all(|payer| payer.tax_number.is_some()));
}

async fn the_demo_account_is_ready(db: &Db, config: &Config) {
    let stored = account::Entity::find()
        .filter(account::Column::PayerCode.eq(ACCOUNT_PAYER))
        .one(db)
        .await
        .unwrap()
        .expect("the demo account");
    let version = &config.consent.as_ref().unwrap().version;
    assert_eq!(stored.state.as_str(), "active");
    assert_eq!(stored.email.as_deref(), Some(ACCOUNT_EMAIL));
    assert!(stored.email_confirmed_at.is_some());
    assert_eq!(stored.consent_version.as_ref(), Some(version));
    assert!(stored.consent_given_at.is_some());
    assert!(verify_password(
        ACCOUNT_PASSWORD,
        stored.password_hash.as_deref().unwrap()
    ));
    let consents = consent::Entity::find()
        .filter(consent::Column::AccountId.eq(stored.id))
        .all(db)
        .await
        .unwrap();
    assert_eq!(consents.len(), 1);
    assert_eq!(
        (&consents[0].version, consents[0].action.as_str()),
        (version, "given")
    );

    let points = point::Entity::find()
        .filter(point::Column::PayerCode.eq(ACCOUNT_PAYER))
        .count(db)
        .await
        .unwrap();
    assert!(points >= 3);
}

async fn a_point_has_no_meter(db: &Db) {
    let metered: HashSet<String> = meter::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|meter| meter.point_code)
        .collect();
    let unmetered: Vec<point::Model> = point::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|point| !metered.contains(&point.code))
        .collect();
    assert_eq!(unmetered.len(), 1);
    assert_eq!(unmetered[0].payer_code, ACCOUNT_PAYER);
}

async fn a_payer_is_in_arrears(db: &Db) {
    let items = open_item::Entity::find()
        .filter(open_item::Column::PayerCode.eq(OVERDUE_PAYER))
        .all(db)
        .await
        .unwrap();
    let overdue = items.iter().filter(|item| item.due_date < today()).count();
    assert!(overdue >= 3, "{items:?}");
    assert!(
        items
            .iter()
            .any(|item| 0 < item.open_cents && item.open_cents < item.amount_cents)
    );
    let payers_with_open_items: HashSet<String> = open_item::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|item| item.payer_code)
        .collect();
    assert!(
        payers_with_open_items.len() <= 5,
        "{payers_with_open_items:?}"
    );
}

async fn a_meter_rolled_over_and_one_was_exchanged(db: &Db) {
    let meters = meter::Entity::find().all(db).await.unwrap();
    let readings = reading::Entity::find()
        .order_by_asc(reading::Column::ReadOn)
        .all(db)
        .await
        .unwrap();
    let mut by_meter: BTreeMap<&str, Vec<&reading::Model>> = BTreeMap::new();
    for reading in &readings {
        by_meter
            .entry(&reading.meter_serial)
            .or_default()
            .push(reading);
    }
    let rolled_over: Vec<&meter::Model> = meters
        .iter()
        .filter(|meter| {
            by_meter[meter.serial.as_str()]
                .windows(2)
                .any(|pair| pair[1].litres < pair[0].litres)
        })
        .collect();
    assert_eq!(rolled_over.len(), 1);
    assert_eq!(rolled_over[0].digits, 4);

    let removed: Vec<&meter::Model> = meters.iter().filter(|m| m.removed_on.is_some()).collect();
    assert_eq!(removed.len(), 1);
    let old = removed[0];
    let day = old.removed_on.unwrap();
    let new = meters
        .iter()
        .find(|m| m.point_code == old.point_code && m.installed_on == day)
        .expect("the meter installed in its place");
    let removal = by_meter[old.serial.as_str()].last().unwrap();
    assert_eq!((removal.read_on, removal.source.as_str()), (day, "removal"));
    let install = by_meter[new.serial.as_str()][0];
    assert_eq!(
        (install.read_on, install.source.as_str(), install.litres),
        (day, "install", 0)
    );
}

async fn invoices_add_up(db: &Db) {
    let invoices = invoice::Entity::find().all(db).await.unwrap();
    let mut lines: BTreeMap<String, Vec<invoice_line::Model>> = BTreeMap::new();
    for line in invoice_line::Entity::find().all(db).await.unwrap() {
        lines
            .entry(line.invoice_number.clone())
            .or_default()
            .push(line);
    }
    let mut rates = HashSet::new();
    for invoice in &invoices {
        let lines = &lines[&invoice.number];
        let net: i64 = lines.iter().map(|line| line.amount_cents).sum();
        let vat: i64 = lines
            .iter()
            .map(|line| {
                let rate = VatRate::from_basis_points(line.vat_rate_bp.unwrap()).unwrap();
                rates.insert(line.vat_rate_bp.unwrap());
                rate.vat_on(Cents(line.amount_cents)).0
            })
            .sum();
        assert_eq!(
            (invoice.net_cents, invoice.vat_cents, invoice.total_cents),
            (net, vat, net + vat),
            "{}",
            invoice.number
        );
        let reference = invoice.reference.as_deref().unwrap();
        assert!(reference.starts_with(&format!("SI12 {}", invoice.number)));
        assert_eq!(invoice.due_date, invoice.issue_date + Days::new(18));
    }
    assert_eq!(rates, HashSet::from([950, 2200]));
    let newest = invoices
        .iter()
        .map(|invoice| invoice.issue_date)
        .max()
        .unwrap();
    assert!(newest > today() - Days::new(100));
}
