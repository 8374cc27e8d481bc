//! How hard to make the next sign-in attempt after failures, per account and per client
//! address. Never a lock-out: at worst a CAPTCHA, which the real owner can always pass, so a
//! stranger who types wrong passwords for someone cannot keep them out.

use std::time::Duration;

/// Failures are forgotten this long after the last one.
pub const WINDOW_MINUTES: i64 = 15;

/// Failures that cost nothing: typos happen.
const FREE_FAILURES: u32 = 3;
/// From this many failures on, a CAPTCHA is required.
const CAPTCHA_AFTER: u32 = 6;

/// What a counter of attempts counts: one kind of attempt by one account, user name or client
/// address. Stored as text (see [`ThrottleKey::stored`]); no two keys share a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleKey<'a> {
    /// Failed sign-ins with a user name (payer code or e-mail, as typed).
    SignInUsername(&'a str),
    SignInAddress(&'a str),
    RegisterAddress(&'a str),
    ActivationResendAccount(i64),
    ActivationResendAddress(&'a str),
    AccessRequestAddress(&'a str),
    ContactAddress(&'a str),
    PasswordResetAccount(i64),
    PasswordResetAddress(&'a str),
    EmailConfirmationAccount(i64),
    /// Wrong current passwords given when changing it.
    PasswordChangeAccount(i64),
    /// Failed staff sign-ins (password or code) with a user name, and from an address.
    StaffSignInUsername(&'a str),
    StaffSignInAddress(&'a str),
    /// Requests of an API token in one minute (its number since 1970).
    ApiToken(i64, i64),
}

impl ThrottleKey<'_> {
    /// The key as the database keeps it; a user name counts however it is capitalised.
    pub fn stored(&self) -> String {
        match self {
            ThrottleKey::SignInUsername(name) => {
                format!("sign-in:account:{}", name.trim().to_lowercase())
            }
            ThrottleKey::SignInAddress(addr) => format!("sign-in:address:{addr}"),
            ThrottleKey::RegisterAddress(addr) => format!("register:address:{addr}"),
            ThrottleKey::ActivationResendAccount(id) => format!("activation-resend:account:{id}"),
            ThrottleKey::ActivationResendAddress(addr) => {
                format!("activation-resend:address:{addr}")
            }
            ThrottleKey::AccessRequestAddress(addr) => format!("access-request:address:{addr}"),
            ThrottleKey::ContactAddress(addr) => format!("contact:address:{addr}"),
            ThrottleKey::PasswordResetAccount(id) => format!("password-reset:account:{id}"),
            ThrottleKey::PasswordResetAddress(addr) => format!("password-reset:address:{addr}"),
            ThrottleKey::EmailConfirmationAccount(id) => {
                format!("email-confirmation:account:{id}")
            }
            ThrottleKey::PasswordChangeAccount(id) => format!("profile-password:account:{id}"),
            ThrottleKey::StaffSignInUsername(name) => {
                format!("staff-sign-in:account:{}", name.trim().to_lowercase())
            }
            ThrottleKey::StaffSignInAddress(addr) => format!("staff-sign-in:address:{addr}"),
            ThrottleKey::ApiToken(id, minute) => format!("api:token:{id}:{minute}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInGuard {
    Open,
    /// Answer only after this pause.
    Delay(Duration),
    /// Ask for a CAPTCHA first.
    Captcha,
}

impl SignInGuard {
    pub fn after_failures(failures: u32) -> Self {
        if failures >= CAPTCHA_AFTER {
            SignInGuard::Captcha
        } else if failures >= FREE_FAILURES {
            // 1 s, 2 s, 4 s.
            SignInGuard::Delay(Duration::from_secs(1 << (failures - FREE_FAILURES)))
        } else {
            SignInGuard::Open
        }
    }

    pub fn needs_captcha(self) -> bool {
        self == SignInGuard::Captcha
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn throttle_keys_are_distinct_and_ignore_the_case_of_user_names() {
        let keys = [
            ThrottleKey::SignInUsername("1"),
            ThrottleKey::SignInAddress("1"),
            ThrottleKey::RegisterAddress("1"),
            ThrottleKey::ActivationResendAccount(1),
            ThrottleKey::ActivationResendAddress("1"),
            ThrottleKey::AccessRequestAddress("1"),
            ThrottleKey::ContactAddress("1"),
            ThrottleKey::PasswordResetAccount(1),
            ThrottleKey::PasswordResetAddress("1"),
            ThrottleKey::EmailConfirmationAccount(1),
            ThrottleKey::PasswordChangeAccount(1),
            ThrottleKey::StaffSignInUsername("1"),
            ThrottleKey::StaffSignInAddress("1"),
        ];
        let stored: std::collections::HashSet<String> =
            keys.iter().map(ThrottleKey::stored).collect();
        assert_eq!(stored.len(), keys.len());
        assert_eq!(
            ThrottleKey::SignInUsername(" Janez@Example.SI ").stored(),
            ThrottleKey::SignInUsername("janez@example.si").stored()
        );
    }

    #[test]
    fn failures_first_slow_down_then_ask_for_a_captcha() {
        let guards: Vec<SignInGuard> = (0..8).map(SignInGuard::after_failures).collect();
        let secs = |s| SignInGuard::Delay(Duration::from_secs(s));
        assert_eq!(
            guards,
            [
                SignInGuard::Open,
                SignInGuard::Open,
                SignInGuard::Open,
                secs(1),
                secs(2),
                secs(4),
                SignInGuard::Captcha,
                SignInGuard::Captcha,
            ]
        );
    }

    proptest! {
        #[test]
        fn more_failures_never_make_it_easier(failures in 0u32..10_000) {
            let rank = |guard| match guard {
                SignInGuard::Open => 0,
                SignInGuard::Delay(delay) => delay.as_secs(),
                SignInGuard::Captcha => u64::MAX,
            };
            prop_assert!(rank(SignInGuard::after_failures(failures + 1)) >= rank(SignInGuard::after_failures(failures)));
        }
    }
}
