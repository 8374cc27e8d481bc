//! "Obvestila": staff publish a notice of works or an outage to an area; customers with a
//! point there see it on their home page while it is valid, and those who asked get it by
//! e-mail (queued by the scheduled run, `app::notifications`).

use super::{AppError, Origin, Services};
use crate::domain::address::{is_on_street, street_name};
use crate::store::audit::{self, AuditAction, Event};
use crate::store::begin_write;
use crate::store::notices::{self, NewNotice, NoticeArea};
use crate::store::staff::StaffUser;

/// What publishing a notice came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    Done(i64),
    /// No active point lies in the area: a settlement or street misspelt, say.
    NoPointInArea,
    /// Points the notice lists that billing does not know.
    UnknownPoints(Vec<String>),
}

pub async fn publish(
    services: &Services,
    origin: &Origin,
    staff: &StaffUser,
    notice: NewNotice,
) -> Result<Published, AppError> {
    let now = services.now();
    let mut notice = notice;
    let txn = begin_write(&services.db).await?;
    let unknown = notices::unknown_points(&txn, &notice.points).await?;
    if !unknown.is_empty() {
        return Ok(Published::UnknownPoints(unknown));
    }
    if let (NoticeArea::Street, Some(settlement), Some(typed)) =
        (notice.area, &notice.settlement, &notice.street)
    {
        // The street's points, found in Rust: SQL engines disagree on the case of Č, Š, Ž.
        let on_street: Vec<(String, Option<String>)> =
            notices::points_of_settlement(&txn, settlement)
                .await?
                .into_iter()
                .filter(|(_, street)| street.as_deref().is_some_and(|s| is_on_street(s, typed)))
                .collect();
        let Some((_, Some(first))) = on_street.first() else {
            return Ok(Published::NoPointInArea);
        };
        notice.street = Some(street_name(first).to_owned());
        notice.points = on_street.into_iter().map(|(code, _)| code).collect();
    }
    let area = notice.area;
    let id = notices::insert(&txn, notice, &staff.username, now).await?;
    if notices::points_in_area(&txn, id).await? == 0 {
        // Dropping the transaction takes the notice back.
        return Ok(Published::NoPointInArea);
    }
    let event = Event::staff(&staff.username, AuditAction::NoticePublished)
        .subject(id.to_string())
        .details(serde_json::json!({ "area": area.as_str() }))
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(Published::Done(id))
}
