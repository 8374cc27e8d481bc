//! Staff sign-in (SPEC §4): user name and password, then a TOTP code — or, once, a recovery
//! code. A staff user without TOTP enrols at the first sign-in: the app is shown a new key, a
//! code from it confirms it, and ten recovery codes are shown once. Failures are counted per
//! user name and per address as for customers: first slower, then refused for the window.

use chrono::Duration;

use super::{AppError, Origin, Services};
use crate::auth::hasher::Verdict;
use crate::auth::secret::sha256_hex;
use crate::domain::second_factor::{
    RECOVERY_CODE_CHARS, RECOVERY_CODES, TotpKey, normalized_recovery_code, recovery_code,
};
use crate::domain::throttle::{SignInGuard, ThrottleKey, WINDOW_MINUTES};
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::staff::{self, StaffUser};
use crate::store::{begin_write, throttles};

fn window() -> Duration {
    Duration::minutes(WINDOW_MINUTES)
}

/// How hard the next attempt with `username` from this address is.
pub async fn guard(
    services: &Services,
    origin: &Origin,
    username: &str,
) -> Result<SignInGuard, AppError> {
    let now = services.now();
    let addr = origin.addr().unwrap_or_default();
    let by_name = ThrottleKey::StaffSignInUsername(username);
    let by_address = ThrottleKey::StaffSignInAddress(addr);
    let failures = throttles::hits(&services.db, by_name, window(), now)
        .await?
        .max(throttles::hits(&services.db, by_address, window(), now).await?);
    Ok(SignInGuard::after_failures(failures))
}

/// The staff user whose password this is, if it is and the user may sign in.
pub async fn check_password(
    services: &Services,
    origin: &Origin,
    username: &str,
    password: &str,
) -> Result<Option<StaffUser>, AppError> {
    let username = username.trim();
    let found = staff::find_by_username(&services.db, username).await?;
    let hash = found.as_ref().map(|user| user.password_hash.clone());
    // Without a user a dummy hash is checked, so the answer takes as long.
    let verdict = services.hasher.verify(password.to_owned(), hash).await?;
    match (found, verdict) {
        (Some(user), Verdict::Right { renewed_hash }) if !user.disabled => {
            if let Some(renewed) = renewed_hash {
                staff::renew_password_hash(&services.db, &user, renewed).await?;
            }
            Ok(Some(user))
        }
        _ => {
            failed(services, origin, username, AuditAction::StaffSignInFailed).await?;
            Ok(None)
        }
    }
}

/// What the second factor is for: signing in, or confirming a dangerous action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeFor {
    SignIn,
    /// A signed-in user proves again that it is them (SPEC §4: a fresh code within 10
    /// minutes before issuing control numbers, applying imports, managing staff …).
    Confirmation,
}

/// Takes a code from the app or a recovery code; false when it is wrong or was used already.
pub async fn verify_code(
    services: &Services,
    origin: &Origin,
    user: &StaffUser,
    code: &str,
    purpose: CodeFor,
) -> Result<bool, AppError> {
    let key = user.totp_secret.as_deref().and_then(TotpKey::parse_base32);
    let (Some(key), Some(_)) = (key, user.totp_enrolled_at) else {
        return Ok(false);
    };
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    let step = key.check(code, unix_seconds(services));
    let accepted = match step {
        Some(step) => staff::accept_step(&txn, user.id, to_i64(step)).await?,
        None => {
            let digest = sha256_hex(normalized_recovery_code(code).as_bytes());
            let used = staff::use_recovery_code(&txn, user.id, &digest, now).await?;
            if used {
                let event = Event::staff(&user.username, AuditAction::StaffRecoveryCodeUsed)
                    .from_addr(origin.addr());
                audit::record(&txn, event, now).await?;
            }
            used
        }
    };
    if !accepted {
        drop(txn);
        let refused = AuditAction::StaffCodeRefused;
        failed(services, origin, &user.username, refused).await?;
        return Ok(false);
    }
    match purpose {
        CodeFor::SignIn => signed_in(&txn, services, origin, user).await?,
        CodeFor::Confirmation => {
            let event =
                Event::staff(&user.username, AuditAction::StaffConfirmed).from_addr(origin.addr());
            audit::record(&txn, event, now).await?;
        }
    }
    txn.commit().await?;
    Ok(true)
}

/// A new key for a staff user who has none in force yet, kept until a code confirms it.
pub async fn begin_enrolment(services: &Services, user: &StaffUser) -> Result<TotpKey, AppError> {
    // An enrolment begun and not finished goes on with the key the app may already hold.
    if user.totp_enrolled_at.is_none()
        && let Some(key) = user.totp_secret.as_deref().and_then(TotpKey::parse_base32)
    {
        return Ok(key);
    }
    let key = TotpKey::from_bytes(rand::random());
    staff::set_pending_secret(&services.db, user.id, &key.base32()).await?;
    Ok(key)
}

/// Confirms the enrolment with a code from the app: the key is in force, the user is signed
/// in, and the recovery codes are returned to be shown once (only their digests are kept).
/// `None` when the code is wrong.
pub async fn complete_enrolment(
    services: &Services,
    origin: &Origin,
    user: &StaffUser,
    code: &str,
) -> Result<Option<Vec<String>>, AppError> {
    let key = user.totp_secret.as_deref().and_then(TotpKey::parse_base32);
    let (Some(key), None) = (key, user.totp_enrolled_at) else {
        return Ok(None);
    };
    let Some(step) = key.check(code, unix_seconds(services)) else {
        failed(
            services,
            origin,
            &user.username,
            AuditAction::StaffCodeRefused,
        )
        .await?;
        return Ok(None);
    };
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| recovery_code(rand::random::<[u8; RECOVERY_CODE_CHARS]>()))
        .collect();
    let digests = codes
        .iter()
        .map(|code| sha256_hex(normalized_recovery_code(code).as_bytes()))
        .collect();
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    if !staff::accept_step(&txn, user.id, to_i64(step)).await? {
        return Ok(None);
    }
    staff::complete_enrolment(&txn, user.id, digests, now).await?;
    let event =
        Event::staff(&user.username, AuditAction::StaffTotpEnrolled).from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    signed_in(&txn, services, origin, user).await?;
    txn.commit().await?;
    Ok(Some(codes))
}

pub async fn sign_out(services: &Services, user: &StaffUser) -> Result<(), AppError> {
    let event = Event::staff(&user.username, AuditAction::StaffSignOut);
    audit::record(&services.db, event, services.now()).await?;
    Ok(())
}

async fn signed_in(
    txn: &crate::store::Tx,
    services: &Services,
    origin: &Origin,
    user: &StaffUser,
) -> Result<(), AppError> {
    let now = services.now();
    let addr = origin.addr().unwrap_or_default();
    throttles::clear(txn, ThrottleKey::StaffSignInUsername(&user.username)).await?;
    throttles::clear(txn, ThrottleKey::StaffSignInAddress(addr)).await?;
    staff::record_sign_in(txn, user.id, now).await?;
    let event = Event::staff(&user.username, AuditAction::StaffSignIn).from_addr(origin.addr());
    audit::record(txn, event, now).await?;
    Ok(())
}

async fn failed(
    services: &Services,
    origin: &Origin,
    username: &str,
    action: AuditAction,
) -> Result<(), AppError> {
    let now = services.now();
    let addr = origin.addr().unwrap_or_default();
    let txn = begin_write(&services.db).await?;
    throttles::hit(
        &txn,
        ThrottleKey::StaffSignInUsername(username),
        window(),
        now,
    )
    .await?;
    throttles::hit(&txn, ThrottleKey::StaffSignInAddress(addr), window(), now).await?;
    let event = Event::new(Actor::Anonymous(Some(username)), action).from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(())
}

fn unix_seconds(services: &Services) -> u64 {
    u64::try_from(services.now().timestamp()).unwrap_or(0)
}

fn to_i64(step: u64) -> i64 {
    i64::try_from(step).unwrap_or(i64::MAX)
}
