//! "Prijava": sign-in by payer code or e-mail, with failures counted per user name and per
//! client address (SPEC §3.3); sign-out.

use chrono::Duration;

use super::{AppError, Origin, Services};
use crate::auth::hasher::Verdict;
use crate::domain::throttle::{SignInGuard, ThrottleKey, WINDOW_MINUTES};
use crate::i18n::Lang;
use crate::store::accounts::{self, Account, AccountState};
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::{begin_write, throttles};

fn window() -> Duration {
    Duration::minutes(WINDOW_MINUTES)
}

/// How hard the next attempt with `username` from this client is.
pub async fn guard(
    services: &Services,
    origin: &Origin,
    username: &str,
) -> Result<SignInGuard, AppError> {
    let now = services.now();
    let db = &services.db;
    let by_name = throttles::hits(db, ThrottleKey::SignInUsername(username), window(), now).await?;
    let addr = origin.addr().unwrap_or_default();
    let by_address = throttles::hits(db, ThrottleKey::SignInAddress(addr), window(), now).await?;
    Ok(SignInGuard::after_failures(by_name.max(by_address)))
}

#[derive(Debug)]
pub enum SignedIn {
    /// The account may use the portal; the caller starts its session.
    Active(Box<Account>),
    /// The password was right but the account waits for activation.
    NotActivated,
    Locked,
    /// User name or password wrong; the guard for the next attempt.
    Failed(SignInGuard),
}

/// Checks the user name and password and records the outcome.
pub async fn sign_in(
    services: &Services,
    origin: &Origin,
    username: &str,
    password: &str,
    lang: Lang,
) -> Result<SignedIn, AppError> {
    let username = username.trim();
    let candidates = find_accounts(services, username).await?;
    let Some((account, renewed_hash)) = verify_any(services, candidates, password).await? else {
        return failed(services, origin, username).await;
    };
    let now = services.now();
    let addr = origin.addr().unwrap_or_default();
    let txn = begin_write(&services.db).await?;
    if let Some(renewed) = renewed_hash {
        accounts::renew_password_hash(&txn, &account, renewed).await?;
    }
    throttles::clear(&txn, ThrottleKey::SignInUsername(username)).await?;
    throttles::clear(&txn, ThrottleKey::SignInAddress(addr)).await?;
    if account.state != AccountState::Active {
        txn.commit().await?;
        return Ok(if account.state == AccountState::Pending {
            SignedIn::NotActivated
        } else {
            SignedIn::Locked
        });
    }
    accounts::record_sign_in(&txn, account.id, lang, now).await?;
    let event = Event::customer(&account.payer_code, AuditAction::SignIn).from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(SignedIn::Active(Box::new(account)))
}

/// The accounts a user name may mean: a payer code names one; an e-mail address may name
/// several (one person paying for several payers).
pub async fn find_accounts(services: &Services, username: &str) -> Result<Vec<Account>, AppError> {
    if username.contains('@') {
        return Ok(accounts::find_by_email(&services.db, username).await?);
    }
    Ok(accounts::find_by_payer_code(&services.db, username)
        .await?
        .into_iter()
        .collect())
}

/// The first account the password opens, with its hash made again if it was outdated; with
/// none, a dummy hash is verified so that the answer takes as long as for a real user name.
async fn verify_any(
    services: &Services,
    candidates: Vec<Account>,
    password: &str,
) -> Result<Option<(Account, Option<String>)>, AppError> {
    if candidates.is_empty() {
        services.hasher.verify(password.to_owned(), None).await?;
        return Ok(None);
    }
    for account in candidates {
        let hash = account.password_hash.clone();
        if hash.is_none() {
            continue;
        }
        if let Verdict::Right { renewed_hash } =
            services.hasher.verify(password.to_owned(), hash).await?
        {
            return Ok(Some((account, renewed_hash)));
        }
    }
    Ok(None)
}

async fn failed(
    services: &Services,
    origin: &Origin,
    username: &str,
) -> Result<SignedIn, AppError> {
    let now = services.now();
    let addr = origin.addr().unwrap_or_default();
    let txn = begin_write(&services.db).await?;
    let by_name =
        throttles::hit(&txn, ThrottleKey::SignInUsername(username), window(), now).await?;
    let by_address = throttles::hit(&txn, ThrottleKey::SignInAddress(addr), window(), now).await?;
    let event = Event::new(Actor::Anonymous(Some(username)), AuditAction::SignInFailed)
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    let failures = by_name.max(by_address);
    let guard = SignInGuard::after_failures(failures);
    let before = SignInGuard::after_failures(failures - 1);
    if std::mem::discriminant(&guard) != std::mem::discriminant(&before) {
        let details = serde_json::json!({ "failures": failures, "captcha": guard.needs_captcha() });
        let event = Event::new(
            Actor::Anonymous(Some(username)),
            AuditAction::SignInThrottled,
        )
        .from_addr(origin.addr())
        .details(details);
        audit::record(&txn, event, now).await?;
    }
    txn.commit().await?;
    Ok(SignedIn::Failed(guard))
}

/// Records the sign-out of a customer (the caller ends the session).
pub async fn sign_out(services: &Services, account: &Account) -> Result<(), AppError> {
    let event = Event::customer(&account.payer_code, AuditAction::SignOut);
    audit::record(&services.db, event, services.now()).await?;
    Ok(())
}
