//! Customer authentication.

pub mod hasher;
pub mod password;
pub mod secret;
