//! The back office's hand on outgoing mail ("Pošta").

use super::{AppError, Origin, Services};
use crate::store::audit::{self, AuditAction, Event};
use crate::store::staff::StaffUser;
use crate::store::{begin_write, outbox};

/// Queues a failed message again for the worker; false when it was not failed.
pub async fn retry(
    services: &Services,
    origin: &Origin,
    staff: &StaffUser,
    id: i64,
) -> Result<bool, AppError> {
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    if !outbox::requeue(&txn, id, now).await? {
        return Ok(false);
    }
    let event = Event::staff(&staff.username, AuditAction::MailRetried)
        .subject(id.to_string())
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(true)
}
