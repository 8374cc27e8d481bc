//! Password hashes: argon2id with one of OWASP's equally strong settings (m = 7 MiB, t = 5,
//! p = 1), stored as PHC strings so that a later change of parameters still verifies the hashes
//! made before it, and tells which of them to make again (docs/decisions.md).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// How much a new hash costs to make (and so to guess).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HashCost {
    /// OWASP's m = 7 MiB, t = 5, p = 1: as strong as its m = 19 MiB, t = 2 and as quick, but
    /// its memory stays out of most of the cache the pages share with it.
    #[default]
    Production,
    /// The least argon2 allows, for automated tests only (`test_cheap_password_hashes`):
    /// hashes that take microseconds, so a suite signing in hundreds of times stays fast.
    Test,
}

impl HashCost {
    fn params(self) -> Params {
        let (memory_kib, iterations) = match self {
            HashCost::Production => (7_168, 5),
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

/// A PHC string (`$argon2id$v=19$m=7168,t=5,p=1$…`) with a fresh random salt.
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

/// Whether `hash` was made otherwise than a new hash of `cost` would be, so that a password
/// found right should be hashed again and stored in its place.
pub fn is_outdated(hash: &str, cost: HashCost) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return true;
    };
    let wanted = cost.params();
    let same = parsed.algorithm.as_str() == Algorithm::Argon2id.as_str()
        && parsed.version == Some(Version::V0x13.into())
        && Params::try_from(&parsed).is_ok_and(|made| {
            (made.m_cost(), made.t_cost(), made.p_cost())
                == (wanted.m_cost(), wanted.t_cost(), wanted.p_cost())
        });
    !same
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
        assert!(hash.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{hash}");
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

    #[test]
    fn a_hash_is_outdated_when_made_otherwise_than_new_hashes_are() {
        let production = hash("Brezovica-Voda-2020");
        let cheap = hash_password("Brezovica-Voda-2020", HashCost::Test).unwrap();
        assert!(!is_outdated(&production, HashCost::Production));
        assert!(!is_outdated(&cheap, HashCost::Test));
        assert!(is_outdated(&cheap, HashCost::Production));
        assert!(is_outdated(&production, HashCost::Test));
        // The setting before this one: right, and to be made again.
        let before = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(19_456, 2, 1, None).unwrap(),
        )
        .hash_password(b"Brezovica-Voda-2020")
        .unwrap()
        .to_string();
        assert!(verify_password("Brezovica-Voda-2020", &before));
        assert!(is_outdated(&before, HashCost::Production));
        let argon2i = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            HashCost::Production.params(),
        )
        .hash_password(b"Brezovica-Voda-2020")
        .unwrap()
        .to_string();
        assert!(is_outdated(&argon2i, HashCost::Production));
    }
}
