//! Customer accounts (user name = payer code) and the history of their consents.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use super::entity::{account, consent};

pub const ACTIVE: &str = "active";
pub const CONSENT_GIVEN: &str = "given";

/// An account that is ready for use: e-mail confirmed and consent given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub payer_code: String,
    pub email: String,
    pub password_hash: String,
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub consent_version: String,
}

/// Stores an active account and the consent it was given with; returns the account's id.
pub async fn insert_active_account<C: ConnectionTrait>(
    conn: &C,
    new: NewAccount,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let stored = account::ActiveModel {
        payer_code: Set(new.payer_code),
        email: Set(Some(new.email)),
        email_confirmed_at: Set(Some(now)),
        password_hash: Set(Some(new.password_hash)),
        state: Set(ACTIVE.to_owned()),
        display_name: Set(new.display_name),
        phone: Set(new.phone),
        consent_version: Set(Some(new.consent_version.clone())),
        consent_given_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        last_sign_in_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    consent::ActiveModel {
        account_id: Set(stored.id),
        version: Set(new.consent_version),
        action: Set(CONSENT_GIVEN.to_owned()),
        client_addr: Set(None),
        at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(stored.id)
}
