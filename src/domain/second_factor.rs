//! The staff's second factor (SPEC §4): TOTP as RFC 6238 has it (HMAC-SHA-1, 6 digits, 30 s
//! steps, one step either way for a clock that drifts) and single-use recovery codes. No I/O:
//! the caller brings the time and the randomness.

use totp_rs::{Builder, Secret, Totp};

/// The shared secret of a staff user's authenticator app: 160 bits.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpKey(Vec<u8>);

/// A secret is never printed by accident.
impl std::fmt::Debug for TotpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpKey(…)")
    }
}

impl TotpKey {
    pub const BYTES: usize = 20;

    pub fn from_bytes(bytes: [u8; Self::BYTES]) -> Self {
        Self(bytes.to_vec())
    }

    /// The key as stored and shown (RFC 4648 base32, no padding).
    pub fn parse_base32(text: &str) -> Option<Self> {
        let bytes = Secret::try_from_base32(text.trim()).ok()?;
        (bytes.as_bytes().len() == Self::BYTES).then(|| Self(bytes.as_bytes().to_vec()))
    }

    pub fn base32(&self) -> String {
        Secret::from(self.0.as_slice()).to_base32()
    }

    /// The base32 key in groups of four, as people type it into an app.
    pub fn base32_grouped(&self) -> String {
        let base32 = self.base32();
        base32
            .as_bytes()
            .chunks(4)
            .map(|group| String::from_utf8_lossy(group).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn totp(&self, account: &str, issuer: &str) -> Option<Totp> {
        // Neither may hold a colon in an otpauth URL; names here never need one.
        let clean = |text: &str| text.replace(':', " ");
        Builder::new()
            .with_secret(self.0.as_slice())
            .with_account_name(clean(account))
            .with_issuer(Some(clean(issuer)))
            .build()
            .ok()
    }

    /// The time step `code` belongs to at `unix_seconds`, if it is right; the caller accepts
    /// each step once.
    pub fn check(&self, code: &str, unix_seconds: u64) -> Option<u64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        self.totp("", "")?.check(&code, unix_seconds)
    }

    /// The code an authenticator app shows at `unix_seconds`.
    pub fn code_at(&self, unix_seconds: u64) -> Option<String> {
        Some(self.totp("", "")?.generate(unix_seconds).to_string())
    }

    /// `otpauth://totp/…`: what the QR code of the enrolment page carries.
    pub fn otpauth_url(&self, account: &str, issuer: &str) -> Option<String> {
        self.totp(account, issuer)?.to_url().ok()
    }
}

/// The letters and digits of a recovery code: no 0/O, 1/I/L, so one read aloud or typed from
/// paper comes out right.
pub const RECOVERY_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Ten characters of a 31-letter alphabet: about 50 bits, single use.
pub const RECOVERY_CODE_CHARS: usize = 10;
/// How many codes an enrolment hands out.
pub const RECOVERY_CODES: usize = 10;

/// A recovery code as shown, `ABCDE-FGHJK`, from ten indexes into the alphabet.
pub fn recovery_code(indexes: [u8; RECOVERY_CODE_CHARS]) -> String {
    let letters: String = indexes
        .iter()
        .map(|index| char::from(RECOVERY_ALPHABET[usize::from(*index) % RECOVERY_ALPHABET.len()]))
        .collect();
    let (first, second) = letters.split_at(RECOVERY_CODE_CHARS / 2);
    format!("{first}-{second}")
}

/// A recovery code as typed, the way it is compared: capitals, no dash or space.
pub fn normalized_recovery_code(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 key "12345678901234567890".
    fn rfc_key() -> TotpKey {
        TotpKey::from_bytes(*b"12345678901234567890")
    }

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // The RFC's 8-digit values, of which a 6-digit app shows the last six.
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(rfc_key().check(code, time), Some(time / 30), "{time}");
        }
        assert_eq!(rfc_key().code_at(59).as_deref(), Some("287082"));
        assert_eq!(rfc_key().check("287083", 59), None);
        assert_eq!(rfc_key().check("", 59), None);
    }

    #[test]
    fn a_code_is_taken_one_step_either_way() {
        let key = rfc_key();
        assert_eq!(key.check("287082", 59 + 30), Some(1));
        assert_eq!(key.check("287082", 59 + 60), None);
    }

    #[test]
    fn the_key_goes_through_base32() {
        let key = rfc_key();
        assert_eq!(key.base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(TotpKey::parse_base32(&key.base32()), Some(key.clone()));
        assert_eq!(TotpKey::parse_base32("GEZDGNBV"), None, "too short");
        assert_eq!(key.base32_grouped().split(' ').count(), 8);
        let url = key.otpauth_url("ana.kos", "ePortal JKP Brezovica").unwrap();
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(
            url.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "{url}"
        );
        assert!(!format!("{key:?}").contains("GEZ"));
    }

    #[test]
    fn recovery_codes_read_well_and_compare_as_typed() {
        let code = recovery_code([0, 1, 2, 3, 4, 5, 6, 7, 8, 30]);
        assert_eq!(code, "ABCDE-FGHJ9");
        assert_eq!(normalized_recovery_code(" abcde fghj9 "), "ABCDEFGHJ9");
        assert_eq!(normalized_recovery_code(&code), "ABCDEFGHJ9");
    }
}
