//! Passwords: a reset by a link mailed to the account's confirmed address ("Ste pozabili
//! geslo?"), and a change in "Moj profil" that needs the current one. Either replaces the hash,
//! ends every session signed in before it and tells the account's address.

use chrono::{DateTime, Duration, Utc};

use super::{AppError, Origin, Services};
use crate::auth::hasher::Verdict;
use crate::domain::throttle::ThrottleKey;
use crate::i18n::{Arg, Lang, format_date_time_sl};
use crate::mail::{self, letter::Letter};
use crate::store::accounts::{self, Account, AccountState};
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::tokens::{self, AccountToken, Purpose};
use crate::store::{Tx, begin_write, throttles};

/// How long a reset link works.
pub const LINK_VALID_HOURS: i64 = 1;
/// Links one account may be mailed per [`WINDOW_HOURS`]; requests one client address may make.
const MAILS_PER_ACCOUNT: u32 = 5;
const REQUESTS_PER_ADDRESS: u32 = 20;
const WINDOW_HOURS: i64 = 1;
/// Wrong current passwords an account may give per [`WINDOW_HOURS`] when changing it.
const CHANGE_FAILURES: u32 = 5;

fn window() -> Duration {
    Duration::hours(WINDOW_HOURS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetRequested {
    /// Links went to every active account the name means, as far as their limits allow; the
    /// answer is the same whether there were any.
    Handled,
    /// This client asked too often.
    TooMany,
}

/// Mails a reset link to each active account with a confirmed address that `username` names,
/// unless it has had enough for now.
pub async fn request_reset(
    services: &Services,
    origin: &Origin,
    username: &str,
    lang: Lang,
) -> Result<ResetRequested, AppError> {
    let now = services.now();
    let by_address = ThrottleKey::PasswordResetAddress(origin.addr().unwrap_or_default());
    let candidates = super::sign_in::find_accounts(services, username).await?;
    // Counted in the transaction that mails, so two requests at once cannot both pass.
    let txn = begin_write(&services.db).await?;
    if throttles::hits(&txn, by_address, window(), now).await? >= REQUESTS_PER_ADDRESS {
        return Ok(ResetRequested::TooMany);
    }
    throttles::hit(&txn, by_address, window(), now).await?;
    let mut mailed = Vec::new();
    let mut held_back = Vec::new();
    for account in candidates {
        let (Some(email), Some(_)) = (&account.email, account.email_confirmed_at) else {
            continue;
        };
        if account.state != AccountState::Active {
            continue;
        }
        let by_account = ThrottleKey::PasswordResetAccount(account.id);
        if throttles::hit(&txn, by_account, window(), now).await? > MAILS_PER_ACCOUNT {
            held_back.push(account.payer_code.clone());
            continue;
        }
        mail_reset_link(&txn, services, &account, email, lang).await?;
        mailed.push(account.payer_code.clone());
    }
    let details = serde_json::json!({ "mailed": mailed, "held_back": held_back });
    let event = Event::new(
        Actor::Anonymous(Some(username)),
        AuditAction::PasswordResetRequested,
    )
    .from_addr(origin.addr())
    .details(details);
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(ResetRequested::Handled)
}

/// Makes a reset link for the account and queues the e-mail with it to `email` in `txn`.
pub(super) async fn mail_reset_link(
    txn: &Tx,
    services: &Services,
    account: &Account,
    email: &str,
    lang: Lang,
) -> Result<(), AppError> {
    let now = services.now();
    let valid_for = Duration::hours(LINK_VALID_HOURS);
    let token = tokens::issue(
        txn,
        account.id,
        Purpose::PasswordReset,
        None,
        valid_for,
        now,
    )
    .await?;
    let link = services.site.link_with_token("/password/reset", &token);
    let mail = reset_letter(lang, &account.payer_code, link).to(email, &services.site.company)?;
    mail::enqueue(txn, &services.site, mail, now).await?;
    Ok(())
}

fn reset_letter(lang: Lang, payer_code: &str, link: String) -> Letter {
    let code = [("code", Arg::from(payer_code))];
    Letter::new(lang, "password-forgot-mail-subject")
        .paragraph(lang.t_with("password-forgot-mail-text", &code))
        .action("password-forgot-mail-action", link)
        .after(lang.t("password-forgot-mail-valid"))
        .after(lang.t("password-forgot-mail-not-you"))
}

/// Sets the new password of a valid reset link's account. False when the link was used
/// meanwhile.
pub async fn reset(
    services: &Services,
    origin: &Origin,
    token: &AccountToken,
    account: &Account,
    new_password: String,
    lang: Lang,
) -> Result<bool, AppError> {
    let hash = services.hasher.hash(new_password).await?;
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    if !tokens::consume(&txn, token.id, now).await? {
        return Ok(false);
    }
    accounts::replace_password(&txn, account.id, hash, now).await?;
    // The reset proves the mailbox, as a sign-in proves the password: the failures before it
    // no longer count against the account or this client.
    let addr = origin.addr().unwrap_or_default();
    throttles::clear(&txn, ThrottleKey::SignInUsername(&account.payer_code)).await?;
    throttles::clear(&txn, ThrottleKey::SignInAddress(addr)).await?;
    if let Some(email) = &account.email {
        throttles::clear(&txn, ThrottleKey::SignInUsername(email)).await?;
        let mail = changed_letter(services, lang, &account.payer_code, now)
            .paragraph(lang.t("password-reset-mail-sessions"))
            .to(email, &services.site.company)?;
        mail::enqueue(&txn, &services.site, mail, now).await?;
    }
    let event =
        Event::customer(&account.payer_code, AuditAction::PasswordReset).from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(true)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrentPassword {
    Right,
    Wrong,
    /// Too many wrong ones lately: not even checked.
    TooManyFailures,
}

/// Checks the current password before a change, counting the wrong ones.
pub async fn check_current(
    services: &Services,
    account: &Account,
    password: &str,
) -> Result<CurrentPassword, AppError> {
    let key = ThrottleKey::PasswordChangeAccount(account.id);
    if throttles::hits(&services.db, key, window(), services.now()).await? >= CHANGE_FAILURES {
        return Ok(CurrentPassword::TooManyFailures);
    }
    let hash = account.password_hash.clone();
    if let Verdict::Right { renewed_hash } =
        services.hasher.verify(password.to_owned(), hash).await?
    {
        if let Some(renewed) = renewed_hash {
            accounts::renew_password_hash(&services.db, account, renewed).await?;
        }
        return Ok(CurrentPassword::Right);
    }
    let txn = begin_write(&services.db).await?;
    throttles::hit(&txn, key, window(), services.now()).await?;
    txn.commit().await?;
    Ok(CurrentPassword::Wrong)
}

/// Replaces the password of a signed-in account whose current one [`check_current`] found
/// right. Every session signed in until now ends; returns the moment, for the caller's own
/// session to sign in again.
pub async fn change(
    services: &Services,
    origin: &Origin,
    account: &Account,
    new_password: String,
    lang: Lang,
) -> Result<DateTime<Utc>, AppError> {
    let hash = services.hasher.hash(new_password).await?;
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    accounts::replace_password(&txn, account.id, hash, now).await?;
    throttles::clear(&txn, ThrottleKey::PasswordChangeAccount(account.id)).await?;
    if let Some(email) = &account.email {
        let mail = changed_letter(services, lang, &account.payer_code, now)
            .paragraph(lang.t("profile-password-mail-sessions"))
            .to(email, &services.site.company)?;
        mail::enqueue(&txn, &services.site, mail, now).await?;
    }
    let event =
        Event::customer(&account.payer_code, AuditAction::PasswordChanged).from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(now)
}

/// The notice that the account's password changed, to its address; the caller says what
/// became of the sessions.
fn changed_letter(services: &Services, lang: Lang, payer_code: &str, now: DateTime<Utc>) -> Letter {
    let args = [
        ("code", Arg::from(payer_code)),
        ("when", Arg::from(format_date_time_sl(now))),
    ];
    let phone = [("phone", Arg::from(services.site.company.phone.as_str()))];
    Letter::new(lang, "password-reset-mail-subject")
        .paragraph(lang.t_with("password-reset-mail-text", &args))
        .after(lang.t_with("mail-not-you-call", &phone))
}
