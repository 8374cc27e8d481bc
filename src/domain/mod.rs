//! The rules of the domain, with no I/O.

pub mod address;
pub mod api_token;
pub mod billing;
pub mod consumption;
pub mod dates;
pub mod decimal;
pub mod email;
pub mod money;
pub(crate) mod number_format;
pub mod password;
pub mod payer_code;
pub mod quantity;
pub mod reading_check;
pub mod second_factor;
pub mod staff;
pub mod tax_number;
pub mod throttle;
pub mod upn;
pub mod vat;

pub use number_format::NBSP;
