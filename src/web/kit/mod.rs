//! The page machinery every audience shares: the frame of a page, forms and their errors,
//! CSRF, security headers, the client's address, the language, errors and who is signed in.

pub mod auth;
pub mod client;
pub mod csrf;
pub mod download;
pub mod error;
pub mod form;
pub mod headers;
pub mod lang;
pub mod links;
pub mod page;
pub mod password;
pub mod session;
pub mod table;
