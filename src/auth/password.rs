//! Password hashes: argon2id with the OWASP minimum (m = 19 MiB, t = 2, p = 1), stored as PHC
//! strings so that a later change of parameters still verifies the hashes made before it.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// How much a new hash costs to make (and so to guess).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HashCost {
    /// The OWASP minimum for argon2id: m = 19 MiB, t = 2, p = 1.
    #[default]
    Production,
    /// The least argon2 allows, for automated tests only (`test_cheap_password_hashes`):
    /// hashes that take microseconds, so a suite signing in hundreds of times stays fast.
    Test,
}

impl HashCost {
    fn params(self) -> Params {
        let (memory_kib, iterations) = match self {
            HashCost::Production => (19_456, 2),
            HashCost::Test => (8, 1),
        };
        // Both sets are within argon2's limits; its default is the production set.
        Params::new(memory_kib, iterations, 1, None).unwrap_or_default()
    }
}

fn argon2(cost: HashCost) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, cost.params())
}

pub type HashError = argon2::password_hash::Error;

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh random salt.
pub fn hash_password(password: &str, cost: HashCost) -> Result<String, HashError> {
    Ok(argon2(cost).hash_password(password.as_bytes())?.to_string())
}

/// Whether `password` matches `hash`; a hash that cannot be read matches nothing. The
/// parameters come from the hash itself.
pub fn verify_password(password: &str, hash: &str) -> bool {
    argon2(HashCost::Production)
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(password: &str) -> String {
        hash_password(password, HashCost::Production).unwrap()
    }

    #[test]
    fn a_hash_verifies_its_password_only_with_the_production_parameters() {
        let hash = hash("Brezovica-Voda-2020");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("Brezovica-Voda-2020", &hash));
        assert!(!verify_password("brezovica-voda-2020", &hash));
        assert!(!verify_password("", &hash));
    }

    #[test]
    fn cheap_test_hashes_verify_too() {
        let hash = hash_password("Brezovica-Voda-2020", HashCost::Test).unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{hash}");
        assert!(verify_password("Brezovica-Voda-2020", &hash));
        assert!(!verify_password("brezovica-voda-2020", &hash));
    }

    #[test]
    fn each_hash_has_its_own_salt() {
        assert_ne!(hash("Šifra-Žaba-1"), hash("Šifra-Žaba-1"));
    }

    #[test]
    fn an_unreadable_hash_matches_nothing() {
        assert!(!verify_password("x", ""));
        assert!(!verify_password("x", "not a hash"));
        assert!(!verify_password("x", "$argon2id$v=19$m=19456,t=2,p=1$"));
    }
}
