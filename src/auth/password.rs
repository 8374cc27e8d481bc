//! Password hashes: argon2id with the OWASP minimum (m = 19 MiB, t = 2, p = 1), stored as PHC
//! strings so that a later change of parameters still verifies the hashes made before it.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .expect("the argon2 parameters are within their limits");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh random salt.
pub fn hash_password(password: &str) -> String {
    argon2()
        .hash_password(password.as_bytes())
        .expect("hashing with valid parameters and a random salt cannot fail")
        .to_string()
}

/// Whether `password` matches `hash`; a hash that cannot be read matches nothing. The
/// parameters come from the hash itself.
pub fn verify_password(password: &str, hash: &str) -> bool {
    argon2().verify_password(password.as_bytes(), hash).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("Brezovica-Voda-2020");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("Brezovica-Voda-2020", &hash));
        assert!(!verify_password("brezovica-voda-2020", &hash));
        assert!(!verify_password("", &hash));
    }

    #[test]
    fn each_hash_has_its_own_salt() {
        assert_ne!(hash_password("Šifra-Žaba-1"), hash_password("Šifra-Žaba-1"));
    }

    #[test]
    fn an_unreadable_hash_matches_nothing() {
        assert!(!verify_password("x", ""));
        assert!(!verify_password("x", "not a hash"));
        assert!(!verify_password("x", "$argon2id$v=19$m=19456,t=2,p=1$"));
    }
}
