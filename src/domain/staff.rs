//! Rules for the back office's users: their user names and passwords.

use std::fmt;

/// Staff reach every customer's data, so their passwords are longer than customers'.
pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// A staff user name: 3 to 32 of a–z, 0–9, `.`, `_`, `-` (typed in any case, kept in lower
/// case), so it reads the same in logs, the audit trail and URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUsername(String);

/// Why a text is not a staff user name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a staff user name has 3 to 32 of a–z, 0–9, '.', '_', '-'")]
pub struct NotAUsername;

impl StaffUsername {
    pub fn parse(text: &str) -> Result<Self, NotAUsername> {
        let name = text.trim().to_lowercase();
        let valid = (3..=32).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if valid {
            Ok(Self(name))
        } else {
            Err(NotAUsername)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StaffUsername {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// Whether `password` is long enough (and not absurdly long) for a staff user.
pub fn password_length_ok(password: &str) -> bool {
    (PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&password.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn user_names() {
        assert_eq!(
            StaffUsername::parse(" Ana.Kos ").unwrap().as_str(),
            "ana.kos"
        );
        for bad in ["", "ab", "ana kos", "ana@kos", "čebelar", &"a".repeat(33)] {
            assert_eq!(StaffUsername::parse(bad), Err(NotAUsername), "{bad}");
        }
    }

    #[test]
    fn password_lengths() {
        assert!(!password_length_ok("kratko-geslo"[..11].as_ref()));
        assert!(password_length_ok("Zaledni-Sistem-2026"));
        assert!(password_length_ok("čččččččččččč"), "characters, not bytes");
        assert!(!password_length_ok(&"x".repeat(129)));
    }

    proptest! {
        #[test]
        fn a_parsed_name_parses_to_itself(text in "[A-Za-z0-9._-]{3,32}") {
            let name = StaffUsername::parse(&text).unwrap();
            prop_assert_eq!(StaffUsername::parse(name.as_str()), Ok(name.clone()));
        }
    }
}
