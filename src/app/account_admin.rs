//! "Uporabniki" in the back office: what staff may do to a customer's account, each with the
//! reason the audit trail keeps.

use super::{AppError, Origin, Services, password, registration};
use crate::i18n::Lang;
use crate::store::accounts::{self, Account, AccountState};
use crate::store::audit::{self, AuditAction, Event};
use crate::store::staff::StaffUser;
use crate::store::{begin_write, sessions};

/// What staff may do to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountAction {
    /// A new activation link to a pending account's address.
    ResendActivation,
    /// A password-reset link to an active account's confirmed address.
    SendPasswordReset,
    /// Signing in refused; its sessions end at once.
    Lock,
    Unlock,
    /// Every open session ends; the customer signs in again.
    EndSessions,
    /// The portal's own data of the person goes: the account, consents, sessions, links.
    Delete,
}

impl AccountAction {
    pub const ALL: [AccountAction; 6] = [
        AccountAction::ResendActivation,
        AccountAction::SendPasswordReset,
        AccountAction::Lock,
        AccountAction::Unlock,
        AccountAction::EndSessions,
        AccountAction::Delete,
    ];

    /// The name in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountAction::ResendActivation => "resend_activation",
            AccountAction::SendPasswordReset => "send_password_reset",
            AccountAction::Lock => "lock",
            AccountAction::Unlock => "unlock",
            AccountAction::EndSessions => "end_sessions",
            AccountAction::Delete => "delete",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_str() == text)
    }

    /// Whether the action means anything for `account` as it is.
    pub fn applies_to(self, account: &Account) -> bool {
        match self {
            AccountAction::ResendActivation => {
                account.state == AccountState::Pending && account.email.is_some()
            }
            AccountAction::SendPasswordReset => {
                account.state == AccountState::Active
                    && account.email.is_some()
                    && account.email_confirmed_at.is_some()
            }
            AccountAction::Lock => account.state == AccountState::Active,
            AccountAction::Unlock => account.state == AccountState::Locked,
            AccountAction::EndSessions | AccountAction::Delete => true,
        }
    }

    fn audit_action(self) -> AuditAction {
        match self {
            AccountAction::ResendActivation => AuditAction::ActivationResent,
            AccountAction::SendPasswordReset => AuditAction::PasswordResetRequested,
            AccountAction::Lock => AuditAction::AccountLocked,
            AccountAction::Unlock => AuditAction::AccountUnlocked,
            AccountAction::EndSessions => AuditAction::AccountSessionsEnded,
            AccountAction::Delete => AuditAction::AccountDeleted,
        }
    }
}

/// Whether the action was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acted {
    Done,
    /// The account is not (or no longer) in a state the action applies to; nothing changed.
    NotApplicable,
}

/// Takes `action` on `account` for `reason`, in one transaction with its audit event (which
/// names the staff user, the payer code and the reason) and its mail (in the customer's
/// language).
pub async fn act(
    services: &Services,
    origin: &Origin,
    staff: &StaffUser,
    account: &Account,
    action: AccountAction,
    reason: &str,
) -> Result<Acted, AppError> {
    if !action.applies_to(account) {
        return Ok(Acted::NotApplicable);
    }
    let now = services.now();
    let lang = Lang::parse(&account.lang).unwrap_or_default();
    let txn = begin_write(&services.db).await?;
    let mut details = serde_json::json!({ "reason": reason });
    let done = match action {
        AccountAction::ResendActivation => {
            let email = account.email.as_deref().unwrap_or_default();
            registration::send_link(&txn, services, account.id, &account.payer_code, email, lang)
                .await?;
            true
        }
        AccountAction::SendPasswordReset => {
            let email = account.email.as_deref().unwrap_or_default();
            password::mail_reset_link(&txn, services, account, email, lang).await?;
            true
        }
        AccountAction::Lock => {
            let locked = accounts::change_state(
                &txn,
                account.id,
                AccountState::Active,
                AccountState::Locked,
                now,
            )
            .await?;
            details["sessions_ended"] = sessions::end_of_account(&txn, account.id).await?.into();
            locked
        }
        AccountAction::Unlock => {
            accounts::change_state(
                &txn,
                account.id,
                AccountState::Locked,
                AccountState::Active,
                now,
            )
            .await?
        }
        AccountAction::EndSessions => {
            accounts::void_sessions(&txn, account.id, now).await?;
            details["sessions_ended"] = sessions::end_of_account(&txn, account.id).await?.into();
            true
        }
        AccountAction::Delete => {
            sessions::end_of_account(&txn, account.id).await?;
            let mut names = vec![account.payer_code.as_str()];
            names.extend(account.email.as_deref());
            audit::forget_customer(&txn, &account.payer_code, &names).await?;
            accounts::delete(&txn, account.id).await?
        }
    };
    if !done {
        return Ok(Acted::NotApplicable);
    }
    let event = Event::staff(&staff.username, action.audit_action())
        .subject(account.payer_code.clone())
        .from_addr(origin.addr())
        .details(details);
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(Acted::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for action in AccountAction::ALL {
            assert_eq!(AccountAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AccountAction::parse("drop"), None);
    }
}
