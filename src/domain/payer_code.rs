//! The payer's code (šifra plačnika), which is also the user name in ePortal.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PayerCodeError {
    #[error("no payer code given")]
    Empty,
    #[error("a payer code has only digits")]
    NotDigits,
    #[error("a payer code has at most {} digits", PayerCode::MAX_DIGITS)]
    TooLong,
}

/// 1 to 12 digits. Leading zeros are part of the code, so it stays text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PayerCode(String);

impl PayerCode {
    pub const MAX_DIGITS: usize = 12;

    pub fn parse(text: &str) -> Result<Self, PayerCodeError> {
        let code = text.trim();
        if code.is_empty() {
            Err(PayerCodeError::Empty)
        } else if !code.bytes().all(|byte| byte.is_ascii_digit()) {
            Err(PayerCodeError::NotDigits)
        } else if code.len() > Self::MAX_DIGITS {
            Err(PayerCodeError::TooLong)
        } else {
            Ok(PayerCode(code.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<PayerCode> for String {
    fn from(code: PayerCode) -> String {
        code.0
    }
}

impl fmt::Display for PayerCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_digits_and_trims() {
        assert_eq!(PayerCode::parse(" 123456 ").unwrap().as_str(), "123456");
        assert_eq!(PayerCode::parse("007").unwrap().to_string(), "007");
        assert_eq!(
            PayerCode::parse("123456789012").unwrap().as_str(),
            "123456789012"
        );
    }

    #[test]
    fn refuses_other_text() {
        assert_eq!(PayerCode::parse("  "), Err(PayerCodeError::Empty));
        assert_eq!(PayerCode::parse("12 34"), Err(PayerCodeError::NotDigits));
        assert_eq!(PayerCode::parse("-12"), Err(PayerCodeError::NotDigits));
        assert_eq!(PayerCode::parse("١٢٣"), Err(PayerCodeError::NotDigits));
        assert_eq!(
            PayerCode::parse("1234567890123"),
            Err(PayerCodeError::TooLong)
        );
    }

    proptest! {
        #[test]
        fn any_up_to_twelve_digits_round_trip(code in "[0-9]{1,12}") {
            let parsed = PayerCode::parse(&code).unwrap();
            prop_assert_eq!(PayerCode::parse(&parsed.to_string()), Ok(parsed));
        }

        #[test]
        fn longer_codes_are_refused(code in "[0-9]{13,20}") {
            prop_assert_eq!(PayerCode::parse(&code), Err(PayerCodeError::TooLong));
        }
    }
}
