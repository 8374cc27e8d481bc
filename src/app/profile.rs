//! "Moj profil": the name the portal shows and a phone, and the download of one's data. (The
//! e-mail address and the password have use cases of their own.)

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{AppError, Origin, Services};
use crate::store::accounts::{self, Account, AccountState};
use crate::store::audit::{self, AuditAction, Event};
use crate::store::begin_write;
use crate::store::personal_data::{self, PersonalData};

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
    let event =
        Event::customer(&account.payer_code, AuditAction::ProfileChanged).from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(())
}

/// "Prenos mojih podatkov": everything the portal holds about the customer (the right of
/// access and portability): the account without its password, and the payer's rows as the
/// portal keeps them.
#[derive(Debug, Serialize)]
pub struct DataExport {
    pub exported_at: DateTime<Utc>,
    pub account: AccountData,
    #[serde(flatten)]
    pub payers_data: PersonalData,
}

/// The account, never its password hash.
#[derive(Debug, Serialize)]
pub struct AccountData {
    pub user_name: String,
    pub email: Option<String>,
    pub email_confirmed_at: Option<DateTime<Utc>>,
    pub state: AccountState,
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub consent_version: Option<String>,
    pub consent_given_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

/// The customer's data, and the download recorded in the audit trail.
pub async fn export_data(
    services: &Services,
    origin: &Origin,
    account: &Account,
) -> Result<DataExport, AppError> {
    let now = services.now();
    let payers_data =
        personal_data::of_payer(&services.db, &account.payer_code, account.id).await?;
    let event =
        Event::customer(&account.payer_code, AuditAction::DataDownloaded).from_addr(origin.addr());
    audit::record(&services.db, event, now).await?;
    Ok(DataExport {
        exported_at: now,
        account: AccountData {
            user_name: account.payer_code.clone(),
            email: account.email.clone(),
            email_confirmed_at: account.email_confirmed_at,
            state: account.state,
            display_name: account.display_name.clone(),
            phone: account.phone.clone(),
            consent_version: account.consent_version.clone(),
            consent_given_at: account.consent_given_at,
            created_at: account.created_at,
            last_sign_in_at: account.last_sign_in_at,
        },
        payers_data,
    })
}
