//! Events worth recording that change nothing else, and the audit trail taken away.

use super::{AppError, Origin, Services};
use crate::store::accounts::Account;
use crate::store::audit::{self, AuditAction, AuditFilter, Event};
use crate::store::staff::StaffUser;

/// The kinds of object a customer may ask for by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Point,
    Invoice,
    SubmittedReading,
}

impl ObjectKind {
    fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Point => "point",
            ObjectKind::Invoice => "invoice",
            ObjectKind::SubmittedReading => "submitted reading",
        }
    }
}

/// The longest id kept: whatever a request carried, so it is bounded.
const MAX_ID_CHARS: usize = 40;

/// A customer asked for an object by an id that is not theirs; the page answers as for a
/// missing one, and the attempt is written down as `<kind> <id>`.
pub async fn foreign_object(
    services: &Services,
    origin: &Origin,
    account: &Account,
    kind: ObjectKind,
    id: &str,
) -> Result<(), AppError> {
    let id: String = id.chars().take(MAX_ID_CHARS).collect();
    let event = Event::customer(&account.payer_code, AuditAction::ForeignObject)
        .subject(format!("{} {id}", kind.as_str()))
        .from_addr(origin.addr())
        .details(serde_json::json!({ "kind": kind.as_str() }));
    audit::record(&services.db, event, services.now()).await?;
    Ok(())
}

/// Records that a staff member takes the trail `filter` finds away as a file, with what they
/// searched for; the caller then reads the events page by page (`store::audit::page_after`).
pub async fn export_trail(
    services: &Services,
    origin: &Origin,
    staff: &StaffUser,
    filter: &AuditFilter,
) -> Result<(), AppError> {
    let event = Event::staff(&staff.username, AuditAction::AuditExported)
        .from_addr(origin.addr())
        .details(serde_json::json!({
            "action": filter.action.map(AuditAction::as_str),
            "who": filter.who,
            "from": filter.from,
            "until": filter.until,
        }));
    audit::record(&services.db, event, services.now()).await?;
    Ok(())
}
