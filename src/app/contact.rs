//! "Stik z nami": a message from a customer or anyone else, kept for staff, mailed to the
//! company and copied to the sender.

use super::{AppError, Origin, Services};
use crate::domain::email::EmailAddress;
use crate::i18n::{Arg, Lang};
use crate::mail::{self, letter::Letter};
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::begin_write;
use crate::store::contact_messages::{self, NewContactMessage};

/// The signed-in customer who writes.
#[derive(Debug, Clone)]
pub struct Writer {
    pub account_id: i64,
    pub payer_code: String,
}

/// A message as checked by the form.
#[derive(Debug, Clone)]
pub struct Message {
    /// `None`: someone not signed in.
    pub writer: Option<Writer>,
    pub name: String,
    pub email: EmailAddress,
    pub text: String,
    /// The language the sender wrote in, for their copy.
    pub lang: Lang,
}

/// Stores the message and queues both e-mails; returns the message's id.
pub async fn send(services: &Services, origin: &Origin, message: Message) -> Result<i64, AppError> {
    let now = services.now();
    let company = &services.site.company;
    let payer_code = message
        .writer
        .as_ref()
        .map(|writer| writer.payer_code.clone());
    let new = NewContactMessage {
        account_id: message.writer.as_ref().map(|writer| writer.account_id),
        name: message.name,
        email: message.email.as_str().to_owned(),
        message: message.text,
        lang: message.lang,
    };
    let txn = begin_write(&services.db).await?;
    let to_company =
        to_company(&new, payer_code.as_deref()).to(company.contact_email.as_str(), company)?;
    mail::enqueue(&txn, &services.site, to_company, now).await?;
    let copy = copy_to_sender(&new).to(&new.email, company)?;
    mail::enqueue(&txn, &services.site, copy, now).await?;
    let id = contact_messages::insert(&txn, new, now).await?;
    let actor = payer_code
        .as_deref()
        .map_or(Actor::Anonymous(None), Actor::Customer);
    let event = Event::new(actor, AuditAction::ContactMessage)
        .subject(id.to_string())
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(id)
}

/// The message for the company's staff, in Slovenian. Mail goes out without a Reply-To, so
/// the sender's address is in the text.
fn to_company(new: &NewContactMessage, payer_code: Option<&str>) -> Letter {
    let lang = Lang::Sl;
    let from = [
        ("name", Arg::from(new.name.as_str())),
        ("email", Arg::from(new.email.as_str())),
    ];
    let who = match payer_code {
        Some(code) => lang.t_with("contact-mail-company-customer", &[("code", code.into())]),
        None => lang.t("contact-mail-company-anonymous"),
    };
    Letter::new(lang, "contact-mail-company-subject")
        .paragraph(lang.t_with("contact-mail-company-from", &from))
        .paragraph(who)
        .paragraph(lang.t_with(
            "contact-mail-company-lang",
            &[("lang", new.lang.code().into())],
        ))
        .paragraph(new.message.clone())
        .after(lang.t_with(
            "contact-mail-company-reply",
            &[("email", new.email.as_str().into())],
        ))
}

/// The sender's copy, in the language they wrote in.
fn copy_to_sender(new: &NewContactMessage) -> Letter {
    let lang = new.lang;
    Letter::new(lang, "contact-mail-copy-subject")
        .paragraph(lang.t("contact-mail-copy-received"))
        .paragraph(new.message.clone())
        .after(lang.t("contact-mail-copy-not-you"))
}
