//! "Sporočila" in the back office: a contact message marked handled, or answered by e-mail
//! (the answer kept with the message, which it also marks handled).

use super::{AppError, Origin, Services};
use crate::i18n::{Arg, Lang};
use crate::mail::{self, letter::Letter};
use crate::store::audit::{self, AuditAction, Event};
use crate::store::begin_write;
use crate::store::contact_messages::{self, ContactMessage};
use crate::store::staff::StaffUser;

/// Marks the message handled; false when someone did already.
pub async fn mark_handled(
    services: &Services,
    origin: &Origin,
    staff: &StaffUser,
    message: &ContactMessage,
) -> Result<bool, AppError> {
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    if !contact_messages::mark_handled(&txn, message.id, &staff.username, now).await? {
        return Ok(false);
    }
    let event = Event::staff(&staff.username, AuditAction::ContactMessageHandled)
        .subject(message.id.to_string())
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// Sends `text` to the message's sender, in the language they wrote in, keeps it with the
/// message and marks the message handled.
pub async fn reply(
    services: &Services,
    origin: &Origin,
    staff: &StaffUser,
    message: &ContactMessage,
    text: &str,
) -> Result<(), AppError> {
    let now = services.now();
    let lang = Lang::parse(&message.lang).unwrap_or_default();
    let company = &services.site.company;
    let letter = Letter::new(lang, "staff-reply-mail-subject")
        .paragraph(text.to_owned())
        .after(lang.t_with(
            "staff-reply-mail-quote",
            &[("message", Arg::from(message.message.as_str()))],
        ));
    let mail = letter.to(&message.email, company)?;
    let txn = begin_write(&services.db).await?;
    mail::enqueue(&txn, &services.site, mail, now).await?;
    contact_messages::add_reply(&txn, message.id, &staff.username, text, now).await?;
    contact_messages::mark_handled(&txn, message.id, &staff.username, now).await?;
    let event = Event::staff(&staff.username, AuditAction::ContactMessageAnswered)
        .subject(message.id.to_string())
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(())
}
