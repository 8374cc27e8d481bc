//! Customer authentication.

pub mod password;
