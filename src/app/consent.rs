//! The GDPR consent (SPEC §3.4): given or declined for the version of the text shown, or
//! withdrawn later in "Moj profil".

use super::{AppError, Origin, Services};
use crate::store::accounts::{self, Account, ConsentDecision};
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::begin_write;

/// Records the account's decision on the consent text in force. A withdrawal concerns the
/// version the account had consented to; the portal asks again at the next sign-in.
pub async fn decide(
    services: &Services,
    origin: &Origin,
    account: &Account,
    decision: ConsentDecision,
) -> Result<(), AppError> {
    let now = services.now();
    let version = match decision {
        ConsentDecision::Given | ConsentDecision::Declined => services.site.consent.version.clone(),
        ConsentDecision::Withdrawn => account.consent_version.clone().unwrap_or_default(),
    };
    let txn = begin_write(&services.db).await?;
    accounts::record_consent(&txn, account.id, &version, decision, origin.addr(), now).await?;
    let actor = Actor::Customer(&account.payer_code);
    let event = match decision {
        ConsentDecision::Given => Event::new(actor, AuditAction::ConsentGiven),
        ConsentDecision::Declined => Event::new(actor, AuditAction::ConsentDeclined),
        ConsentDecision::Withdrawn => {
            Event::new(actor, AuditAction::ConsentWithdrawn).subject(version.clone())
        }
    };
    let event = event
        .from_addr(origin.addr())
        .details(serde_json::json!({ "version": version }));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(())
}
