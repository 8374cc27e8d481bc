//! The billing API's bearer tokens (SPEC §5.2): `ept_`, 30 random base62 characters (178
//! bits) and 6 characters of checksum, so a scanner can tell a leaked token from noise without
//! asking the server (as GitHub's and Stripe's tokens do); and what a token may do.

use std::fmt;

/// The prefix every token starts with.
pub const PREFIX: &str = "ept_";
const RANDOM_CHARS: usize = 30;
const CHECKSUM_CHARS: usize = 6;
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A token as the holder has it. Shown once; the server keeps only its SHA-256.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(String);

impl fmt::Debug for ApiToken {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "ApiToken({}…)", self.shown_prefix())
    }
}

/// The CRC-32 of the random part in six base62 characters.
fn checksum(random: &str) -> String {
    let mut value = u64::from(crc32fast::hash(random.as_bytes()));
    let mut chars = [b'0'; CHECKSUM_CHARS];
    for slot in chars.iter_mut().rev() {
        *slot = BASE62[usize::try_from(value % 62).unwrap_or_default()];
        value /= 62;
    }
    chars.iter().map(|&byte| char::from(byte)).collect()
}

impl ApiToken {
    /// A new token from the thread's generator (ChaCha, seeded by the operating system).
    pub fn generate() -> Self {
        use rand::distr::{Alphanumeric, Distribution};
        let random: String = Alphanumeric
            .sample_iter(rand::rng())
            .take(RANDOM_CHARS)
            .map(char::from)
            .collect();
        let checksum = checksum(&random);
        Self(format!("{PREFIX}{random}{checksum}"))
    }

    /// A token in the right form with a checksum that fits; `None` for anything else, which
    /// then needs no database lookup.
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.strip_prefix(PREFIX)?;
        if rest.len() != RANDOM_CHARS + CHECKSUM_CHARS
            || !rest.bytes().all(|byte| byte.is_ascii_alphanumeric())
        {
            return None;
        }
        let (random, sum) = rest.split_at(RANDOM_CHARS);
        (checksum(random) == sum).then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The start staff see in lists to tell tokens apart: the prefix and four characters.
    pub fn shown_prefix(&self) -> &str {
        &self.0[..PREFIX.len() + 4]
    }
}

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Upsert billing's data (`PUT /api/v1/<kind>`).
    BillingWrite,
    /// Read the customers' submitted readings.
    ReadingsRead,
    /// Post verdicts on submitted readings.
    ReadingsWrite,
}

impl Scope {
    pub const ALL: [Scope; 3] = [
        Scope::BillingWrite,
        Scope::ReadingsRead,
        Scope::ReadingsWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::BillingWrite => "billing:write",
            Scope::ReadingsRead => "readings:read",
            Scope::ReadingsWrite => "readings:write",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == text)
    }

    /// Scopes as stored: their names, space-separated, in a fixed order.
    pub fn join(scopes: &[Scope]) -> String {
        let mut scopes = scopes.to_vec();
        scopes.sort_unstable();
        scopes.dedup();
        scopes
            .iter()
            .map(|scope| scope.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The scopes of a stored list; a name no longer known grants nothing.
    pub fn split(text: &str) -> Vec<Scope> {
        text.split_whitespace().filter_map(Scope::parse).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_new_token_has_its_form_and_passes_its_own_check() {
        let token = ApiToken::generate();
        assert_eq!(token.as_str().len(), 4 + 30 + 6);
        assert!(token.as_str().starts_with("ept_"));
        assert_eq!(ApiToken::parse(token.as_str()), Some(token.clone()));
        assert_ne!(ApiToken::generate(), token);
        assert!(!format!("{token:?}").contains(&token.as_str()[8..]));
    }

    #[test]
    fn the_checksum_is_crc32_in_base62() {
        // CRC-32 of "" is 0.
        assert_eq!(checksum(""), "000000");
        // CRC-32 of "123456789" is 0xCBF43926 = 3421780262 = 62-digits 3,45,26,12,37,34,0…
        let sum = checksum("123456789");
        let value = sum.bytes().fold(0_u64, |acc, byte| {
            acc * 62 + BASE62.iter().position(|&c| c == byte).unwrap() as u64
        });
        assert_eq!(value, 0xCBF4_3926);
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let token = ApiToken::generate();
        let text = token.as_str();
        for bad in [
            "",
            "ept_",
            &text[4..],
            &format!("ghp_{}", &text[4..]),
            &text[..text.len() - 1],
            &format!("{text}0"),
            &format!("ept_{}-{}", &text[4..20], &text[21..]),
        ] {
            assert_eq!(ApiToken::parse(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn changing_one_character_breaks_the_checksum(index in 4_usize..40, replacement in "[0-9A-Za-z]") {
            let token = ApiToken::generate();
            let mut text = token.as_str().to_owned();
            let original = &text[index..=index];
            prop_assume!(original != replacement);
            text.replace_range(index..=index, &replacement);
            prop_assert_eq!(ApiToken::parse(&text), None);
        }
    }

    #[test]
    fn scopes_are_stored_in_order_once_and_read_back() {
        let stored = Scope::join(&[
            Scope::ReadingsRead,
            Scope::BillingWrite,
            Scope::ReadingsRead,
        ]);
        assert_eq!(stored, "billing:write readings:read");
        assert_eq!(
            Scope::split(&stored),
            [Scope::BillingWrite, Scope::ReadingsRead]
        );
        assert_eq!(Scope::split("admin billing:write"), [Scope::BillingWrite]);
    }
}
