//! The demo data (SPEC §7), written through the same store code as the billing import, in one
//! transaction, so that a failure leaves the database as empty as it was.
//!
//! The data is generated from fixed tables (dates, names, the price list); where the code says
//! `expect`, a failure is a mistake in those tables, which the demo's own test, filling a
//! whole database on both engines, would meet first. Request code never panics.
#![expect(
    clippy::expect_used,
    reason = "fixed demo tables; their test runs every path"
)]

mod files;
mod generate;
mod invoice_pdf;
mod places;
mod prices;
mod random;
mod reference;

use std::collections::HashMap;

use crate::store::StoreError;
use chrono::{NaiveDate, Utc};
use sha2::{Digest, Sha256};

use crate::auth::password::hash_password;
use crate::config::{Config, ConfigError};
use crate::store::accounts::{self, NewAccount};
use crate::store::notices::{self, NewNotice, NoticeArea};
use crate::store::{Db, billing};
use generate::generate;
use invoice_pdf::InvoiceDocument;

pub use files::{FilesError, RowCounts, write_files};
pub use generate::{
    ACCOUNT_PAYER, MANUAL_INVOICE, MANUAL_PAYER, MAX_PAYERS, OVERDUE_PAYER, ROLL_OVER_PAYER,
};

/// The demo account's e-mail and password (docs/demo.md gives them).
pub const ACCOUNT_EMAIL: &str = "mojca.kovacic@example.com";
pub const ACCOUNT_PASSWORD: &str = "Brezovica-Voda-2020";
const ACCOUNT_DISPLAY_NAME: &str = "Mojca Kovačič";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("database: {0}")]
    Database(#[from] StoreError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("password hashing: {0}")]
    Hashing(#[from] crate::auth::password::HashError),
    #[error(
        "setting consent: the demo account needs a consent version; set [consent] in eportal.toml"
    )]
    NoConsent,
}

/// Fills the database with the demo data unless it already holds payers; returns whether it did.
pub async fn fill_if_empty(db: &Db, config: &Config) -> Result<bool, DemoError> {
    let company = config.company()?;
    let consent = config.consent.as_ref().ok_or(DemoError::NoConsent)?;
    if billing::has_payers(db).await? {
        return Ok(false);
    }
    // The work that needs no database is done before the write lock is taken.
    let now = Utc::now();
    let today = now
        .with_timezone(&chrono_tz::Europe::Ljubljana)
        .date_naive();
    let data = generate(today);
    let payers: HashMap<&str, _> = data.payers.iter().map(|p| (p.code.as_str(), p)).collect();
    let points: HashMap<&str, _> = data.points.iter().map(|p| (p.code.as_str(), p)).collect();
    let pdfs: Vec<(String, Vec<u8>)> = data
        .invoices
        .iter()
        .filter(|invoice| invoice.with_pdf)
        .map(|invoice| {
            let record = &invoice.record;
            let pdf = invoice_pdf::render(&InvoiceDocument {
                company,
                payer: payers[record.payer_code.as_str()],
                point: record.point_code.as_deref().map(|code| points[code]),
                invoice: record,
                lines: &invoice.lines,
            });
            (record.number.clone(), pdf)
        })
        .collect();
    let account = NewAccount {
        payer_code: ACCOUNT_PAYER.to_owned(),
        email: ACCOUNT_EMAIL.to_owned(),
        password_hash: hash_password(ACCOUNT_PASSWORD, config.hash_cost())?,
        display_name: Some(ACCOUNT_DISPLAY_NAME.to_owned()),
        phone: None,
        consent_version: consent.version.clone(),
    };

    let txn = billing::begin_import(db).await?;
    // Another instance may have filled it meanwhile.
    if billing::has_payers(&txn).await? {
        return Ok(false);
    }
    billing::upsert_payers(&txn, &data.payers, now).await?;
    billing::upsert_prices(&txn, &data.prices, now).await?;
    billing::upsert_points(&txn, &data.points, now).await?;
    billing::upsert_meters(&txn, &data.meters, now).await?;
    billing::upsert_readings(&txn, &data.readings, now).await?;
    let (invoices, lines): (Vec<_>, Vec<_>) = data
        .invoices
        .into_iter()
        .map(|invoice| (invoice.record, invoice.lines))
        .unzip();
    billing::upsert_invoices(&txn, &invoices, now).await?;
    billing::upsert_invoice_lines(&txn, &lines.concat(), now).await?;
    for (number, pdf) in pdfs {
        let sha256 = hex::encode(Sha256::digest(&pdf));
        billing::upsert_invoice_pdf(&txn, &number, pdf, sha256, now).await?;
    }
    billing::replace_open_items(&txn, &data.open_items).await?;
    accounts::insert_active_account(&txn, account, now).await?;
    notices::insert(&txn, flushing_notice(today), DEMO_PUBLISHER, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// Who published the demo's notice.
const DEMO_PUBLISHER: &str = "demo";

/// A notice of works for everyone, valid from yesterday for two weeks, so the home page shows
/// one.
fn flushing_notice(today: NaiveDate) -> NewNotice {
    NewNotice {
        title: "Izpiranje vodovodnega omrežja".to_owned(),
        body: "Ta in naslednji teden izpiramo vodovodno omrežje. Voda je lahko za kratek čas \
               motna ali ima nižji tlak; pred uporabo naj nekaj minut teče.\n\n\
               Za razumevanje se vam zahvaljujemo."
            .to_owned(),
        valid_from: today - chrono::Duration::days(1),
        valid_to: today + chrono::Duration::days(14),
        area: NoticeArea::Everyone,
        settlement: None,
        street: None,
        points: Vec::new(),
    }
}
