//! An administrator's hand on the back office's users ("Osebje").

use super::{AppError, Origin, Services};
use crate::store::audit::{self, AuditAction, Event};
use crate::store::begin_write;
use crate::store::staff::{self, StaffUser};

/// What became of disabling or enabling a staff user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disabling {
    Done,
    /// No such user, or it was so already.
    Unchanged,
    /// Administrators do not disable themselves: nobody might be left to undo it.
    Yourself,
}

/// Disables a staff user (their sessions stop at their next request) or enables them again.
pub async fn set_disabled(
    services: &Services,
    origin: &Origin,
    admin: &StaffUser,
    id: i64,
    disabled: bool,
) -> Result<Disabling, AppError> {
    if id == admin.id && disabled {
        return Ok(Disabling::Yourself);
    }
    let txn = begin_write(&services.db).await?;
    let Some(target) = staff::find(&txn, id).await? else {
        return Ok(Disabling::Unchanged);
    };
    if !staff::set_disabled(&txn, id, disabled).await? {
        return Ok(Disabling::Unchanged);
    }
    let action = if disabled {
        AuditAction::StaffDisabled
    } else {
        AuditAction::StaffEnabled
    };
    let event = Event::staff(&admin.username, action)
        .subject(target.username)
        .from_addr(origin.addr());
    audit::record(&txn, event, services.now()).await?;
    txn.commit().await?;
    Ok(Disabling::Done)
}
