//! Confirming an e-mail address by a link sent to it: the first address at first sign-in
//! (SPEC §3.5) and a new one in "Moj profil". Confirming makes it the account's address and
//! tells the address it replaces.

use chrono::Duration;

use super::{AppError, Origin, Services};
use crate::domain::email::EmailAddress;
use crate::domain::throttle::ThrottleKey;
use crate::i18n::{Arg, Lang};
use crate::mail::{self, letter::Letter};
use crate::store::accounts::{self, Account};
use crate::store::audit::{self, AuditAction, Event};
use crate::store::tokens::{self, AccountToken, Purpose};
use crate::store::{begin_write, throttles};

/// How long a link to confirm an address works.
pub const LINK_VALID_HOURS: i64 = 48;
/// Links one account may be sent per [`WINDOW_HOURS`].
const LINKS_PER_ACCOUNT: u32 = 5;
const WINDOW_HOURS: i64 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRequested {
    Sent,
    TooMany,
}

/// Mails `new_email` a link that makes it the account's confirmed address; an earlier link of
/// the account stops working.
pub async fn request_confirmation(
    services: &Services,
    origin: &Origin,
    account: &Account,
    new_email: &EmailAddress,
    lang: Lang,
) -> Result<LinkRequested, AppError> {
    let now = services.now();
    let window = Duration::hours(WINDOW_HOURS);
    let key = ThrottleKey::EmailConfirmationAccount(account.id);
    // Counted in the transaction that sends, so two requests at once cannot both pass.
    let txn = begin_write(&services.db).await?;
    if throttles::hits(&txn, key, window, now).await? >= LINKS_PER_ACCOUNT {
        return Ok(LinkRequested::TooMany);
    }
    throttles::hit(&txn, key, window, now).await?;
    let valid_for = Duration::hours(LINK_VALID_HOURS);
    let token = tokens::issue(
        &txn,
        account.id,
        Purpose::EmailChange,
        Some(new_email.as_str()),
        valid_for,
        now,
    )
    .await?;
    let link = services.site.link_with_token("/email/confirm", &token);
    let code = [("code", Arg::from(account.payer_code.as_str()))];
    let letter = Letter::new(lang, "email-confirm-mail-subject")
        .paragraph(lang.t_with("email-confirm-mail-text", &code))
        .action("email-confirm-mail-action", link)
        .after(lang.t("email-confirm-mail-valid"))
        .after(lang.t("email-confirm-mail-not-you"));
    let mail = letter.to(new_email.as_str(), &services.site.company)?;
    mail::enqueue(&txn, &services.site, mail, now).await?;
    let event = Event::customer(&account.payer_code, AuditAction::EmailConfirmationSent)
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(LinkRequested::Sent)
}

/// Makes the address of a valid link the account's confirmed one, and tells the address it
/// replaces. False when the link was used meanwhile.
pub async fn confirm(
    services: &Services,
    origin: &Origin,
    token: &AccountToken,
    account: &Account,
    lang: Lang,
) -> Result<bool, AppError> {
    let now = services.now();
    let new_email = token.new_email.clone().unwrap_or_default();
    let txn = begin_write(&services.db).await?;
    if !tokens::consume(&txn, token.id, now).await? {
        return Ok(false);
    }
    accounts::confirm_email(&txn, account.id, &new_email, now).await?;
    let replaced = account
        .email
        .as_deref()
        .filter(|old| account.email_confirmed_at.is_some() && *old != new_email);
    if let Some(old) = replaced {
        let args = [
            ("code", Arg::from(account.payer_code.as_str())),
            ("email", Arg::from(new_email.as_str())),
        ];
        let phone = [("phone", Arg::from(services.site.company.phone.as_str()))];
        let mail = Letter::new(lang, "email-changed-mail-subject")
            .paragraph(lang.t_with("email-changed-mail-text", &args))
            .after(lang.t_with("mail-not-you-call", &phone))
            .to(old, &services.site.company)?;
        mail::enqueue(&txn, &services.site, mail, now).await?;
    }
    let event = Event::customer(&account.payer_code, AuditAction::EmailConfirmed)
        .from_addr(origin.addr())
        .details(serde_json::json!({ "replaced": replaced.is_some() }));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(true)
}
