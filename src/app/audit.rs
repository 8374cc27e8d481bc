//! Events worth recording that change nothing else, and the audit trail taken away.

use super::{AppError, Origin, Services};
use crate::store::accounts::Account;
use crate::store::audit::{self, AuditAction, AuditEvent, AuditFilter, Event};
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

/// The most events one export holds: a wider search is to be narrowed (by dates) first.
pub const EXPORT_LIMIT: u64 = 100_000;

/// The events `filter` finds, newest first, for a file a staff member takes away; that they
/// took it, and what they searched for, is itself recorded.
pub async fn export_trail(
    services: &Services,
    origin: &Origin,
    staff: &StaffUser,
    filter: &AuditFilter,
) -> Result<Vec<AuditEvent>, AppError> {
    let events = audit::page(&services.db, filter, 0, EXPORT_LIMIT).await?;
    let event = Event::staff(&staff.username, AuditAction::AuditExported)
        .from_addr(origin.addr())
        .details(serde_json::json!({
            "events": events.len(),
            "action": filter.action.map(AuditAction::as_str),
            "who": filter.who,
            "from": filter.from,
            "until": filter.until,
        }));
    audit::record(&services.db, event, services.now()).await?;
    Ok(events)
}
