//! The Slovenian tax number (davčna številka).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TaxNumberError {
    #[error("a tax number has 8 digits, the first not 0")]
    Format,
    #[error("the check digit of the tax number does not match")]
    CheckDigit,
}

/// 8 digits, the first not 0, the last a mod-11 check digit over the first 7.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaxNumber(String);

impl TaxNumber {
    /// Also `SI 1234 5678` as written on invoices; the `SI` and spaces are dropped.
    pub fn parse(text: &str) -> Result<Self, TaxNumberError> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let digits = compact
            .strip_prefix("SI")
            .or_else(|| compact.strip_prefix("si"))
            .unwrap_or(&compact);
        let bytes = digits.as_bytes();
        if bytes.len() != 8 || !bytes.iter().all(u8::is_ascii_digit) || bytes[0] == b'0' {
            return Err(TaxNumberError::Format);
        }
        let first_seven: [u8; 7] = std::array::from_fn(|index| bytes[index] - b'0');
        if check_digit(first_seven) != Some(bytes[7] - b'0') {
            return Err(TaxNumberError::CheckDigit);
        }
        Ok(TaxNumber(digits.to_owned()))
    }

    /// The 8 digits, without `SI`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<TaxNumber> for String {
    fn from(number: TaxNumber) -> String {
        number.0
    }
}

/// k = 11 − (Σ digit × weight mod 11) with weights 8…2; 10 becomes 0, and for 11 there
/// is no valid tax number.
fn check_digit(digits: [u8; 7]) -> Option<u8> {
    let sum: u32 = digits
        .iter()
        .zip((2..=8).rev())
        .map(|(&digit, weight)| u32::from(digit) * weight)
        .sum();
    match 11 - sum % 11 {
        11 => None,
        10 => Some(0),
        k => Some(k as u8),
    }
}

impl fmt::Display for TaxNumber {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_valid_numbers_in_the_usual_spellings() {
        // 1·8 + 0·7 + 0·6 + 0·5 + 0·4 + 0·3 + 0·2 = 8; 11 − 8 = 3
        assert_eq!(TaxNumber::parse("10000003").unwrap().as_str(), "10000003");
        assert_eq!(TaxNumber::parse("SI10000003").unwrap().as_str(), "10000003");
        assert_eq!(
            TaxNumber::parse(" SI 1000 0003 ").unwrap().to_string(),
            "10000003"
        );
        assert_eq!(TaxNumber::parse("si10000003").unwrap().as_str(), "10000003");
        // 1·8 + 3·5 = 23 ≡ 1; k = 10 → 0
        assert_eq!(TaxNumber::parse("10030000").unwrap().as_str(), "10030000");
    }

    #[test]
    fn refuses_wrong_format() {
        for text in [
            "",
            "1000000",
            "100000034",
            "00000000",
            "1000000x",
            "SI",
            "S10000003",
            "DE10000003",
        ] {
            assert_eq!(
                TaxNumber::parse(text),
                Err(TaxNumberError::Format),
                "{text}"
            );
        }
    }

    #[test]
    fn refuses_wrong_check_digit() {
        assert_eq!(
            TaxNumber::parse("10000004"),
            Err(TaxNumberError::CheckDigit)
        );
        // 1·8 + 1·3 = 11 ≡ 0; k = 11: no check digit is valid
        for last in 0..=9 {
            assert_eq!(
                TaxNumber::parse(&format!("1000010{last}")),
                Err(TaxNumberError::CheckDigit)
            );
        }
    }

    fn with_check_digit(first_seven: &[u8]) -> Option<String> {
        let check = check_digit(first_seven.try_into().unwrap())?;
        Some(
            first_seven
                .iter()
                .chain([&check])
                .map(|digit| char::from(b'0' + digit))
                .collect(),
        )
    }

    proptest! {
        #[test]
        fn valid_check_digit_is_accepted(first in 1u8..=9, rest in proptest::collection::vec(0u8..=9, 6)) {
            let first_seven: Vec<u8> = std::iter::once(first).chain(rest).collect();
            if let Some(number) = with_check_digit(&first_seven) {
                let parsed = TaxNumber::parse(&number).unwrap();
                prop_assert_eq!(parsed.as_str(), number.as_str());
            }
        }

        #[test]
        fn changing_one_digit_is_refused(
            first in 1u8..=9,
            rest in proptest::collection::vec(0u8..=9, 6),
            position in 0usize..8,
            change in 1u8..=9,
        ) {
            let first_seven: Vec<u8> = std::iter::once(first).chain(rest).collect();
            // The weights are prime to 11, so any change to one digit changes the check.
            if let Some(number) = with_check_digit(&first_seven) {
                let mut changed = number.into_bytes();
                changed[position] = b'0' + (changed[position] - b'0' + change) % 10;
                prop_assert!(TaxNumber::parse(std::str::from_utf8(&changed).unwrap()).is_err());
            }
        }
    }
}
