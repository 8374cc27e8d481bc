//! "Moj profil": the name the portal shows and a phone, and the download of one's data. (The
//! e-mail address and the password have use cases of their own.)

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{AppError, Origin, Services};
use crate::store::accounts::{self, Account};
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::begin_write;
use crate::store::personal_data;

/// The details a customer keeps in the portal; `None` clears one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub display_name: Option<String>,
    pub phone: Option<String>,
}

pub async fn save_details(
    services: &Services,
    origin: &Origin,
    account: &Account,
    details: Details,
) -> Result<(), AppError> {
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    accounts::update_profile(&txn, account.id, details.display_name, details.phone, now).await?;
    let event = Event::new(
        Actor::Customer(&account.payer_code),
        AuditAction::ProfileChanged,
    )
    .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(())
}

/// "Prenos mojih podatkov": everything the portal holds about the customer (the right of
/// access and portability), in a stable shape; never the password hash.
#[derive(Debug, Serialize)]
pub struct DataExport {
    pub exported_at: DateTime<Utc>,
    pub account: AccountData,
    pub payer: Option<PayerData>,
    pub points: Vec<PointData>,
    pub meters: Vec<MeterData>,
    pub readings: Vec<ReadingData>,
    pub invoices: Vec<InvoiceData>,
    pub consents: Vec<ConsentData>,
}

#[derive(Debug, Serialize)]
pub struct AccountData {
    pub user_name: String,
    pub email: Option<String>,
    pub email_confirmed_at: Option<DateTime<Utc>>,
    pub state: String,
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub consent_version: Option<String>,
    pub consent_given_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
pub struct PayerData {
    pub code: String,
    pub name: String,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub tax_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PointData {
    pub code: String,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub kind: Option<String>,
    pub active: bool,
}

#[derive(Debug, Serialize)]
pub struct MeterData {
    pub serial: String,
    pub point_code: String,
    pub medium: String,
    pub unit: String,
    pub installed_on: NaiveDate,
    pub removed_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize)]
pub struct ReadingData {
    pub meter_serial: String,
    pub read_on: NaiveDate,
    pub source: String,
    pub litres: i64,
}

#[derive(Debug, Serialize)]
pub struct InvoiceData {
    pub number: String,
    pub point_code: Option<String>,
    pub issue_date: NaiveDate,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub due_date: NaiveDate,
    pub net_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    pub reference: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ConsentData {
    pub version: String,
    pub action: String,
    pub at: DateTime<Utc>,
    pub client_addr: Option<String>,
}

/// The customer's data, and the download recorded in the audit trail.
pub async fn export_data(
    services: &Services,
    origin: &Origin,
    account: &Account,
) -> Result<DataExport, AppError> {
    let now = services.now();
    let data = personal_data::of_payer(&services.db, &account.payer_code, account.id).await?;
    let event = Event::new(
        Actor::Customer(&account.payer_code),
        AuditAction::DataDownloaded,
    )
    .from_addr(origin.addr());
    audit::record(&services.db, event, now).await?;
    Ok(DataExport {
        exported_at: now,
        account: AccountData {
            user_name: account.payer_code.clone(),
            email: account.email.clone(),
            email_confirmed_at: account.email_confirmed_at,
            state: account.state.as_str().to_owned(),
            display_name: account.display_name.clone(),
            phone: account.phone.clone(),
            consent_version: account.consent_version.clone(),
            consent_given_at: account.consent_given_at,
            created_at: account.created_at,
            last_sign_in_at: account.last_sign_in_at,
        },
        payer: data.payer.map(|payer| PayerData {
            code: payer.code,
            name: payer.name,
            street: payer.street,
            postal_code: payer.postal_code,
            city: payer.city,
            tax_number: payer.tax_number,
            email: payer.email,
            phone: payer.phone,
        }),
        points: data
            .points
            .into_iter()
            .map(|point| PointData {
                code: point.code,
                street: point.street,
                postal_code: point.postal_code,
                city: point.city,
                kind: point.kind,
                active: point.active,
            })
            .collect(),
        meters: data
            .meters
            .into_iter()
            .map(|meter| MeterData {
                serial: meter.serial,
                point_code: meter.point_code,
                medium: meter.medium,
                unit: meter.unit,
                installed_on: meter.installed_on,
                removed_on: meter.removed_on,
            })
            .collect(),
        readings: data
            .readings
            .into_iter()
            .map(|reading| ReadingData {
                meter_serial: reading.meter_serial,
                read_on: reading.read_on,
                source: reading.source,
                litres: reading.litres,
            })
            .collect(),
        invoices: data
            .invoices
            .into_iter()
            .map(|invoice| InvoiceData {
                number: invoice.number,
                point_code: invoice.point_code,
                issue_date: invoice.issue_date,
                period_from: invoice.period_from,
                period_to: invoice.period_to,
                due_date: invoice.due_date,
                net_cents: invoice.net_cents,
                vat_cents: invoice.vat_cents,
                total_cents: invoice.total_cents,
                reference: invoice.reference,
            })
            .collect(),
        consents: data
            .consents
            .into_iter()
            .map(|consent| ConsentData {
                version: consent.version,
                action: consent.action.as_str().to_owned(),
                at: consent.at,
                client_addr: consent.client_addr,
            })
            .collect(),
    })
}
