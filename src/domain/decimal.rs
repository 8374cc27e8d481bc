//! Decimal numbers as billing files and forms write them: a decimal comma or point, no
//! thousands separators, no exponent.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    #[error("no number given")]
    Empty,
    #[error("not a number")]
    NotANumber,
    #[error("more than {max_scale} decimals")]
    TooManyDecimals { max_scale: u32 },
    #[error("number out of range")]
    OutOfRange,
    /// For values that cannot be negative, such as a meter reading.
    #[error("must not be negative")]
    Negative,
}

/// Parses `-1234,56` or `1234.56` (surrounding spaces ignored) with at most `max_scale`
/// decimals as written, so that `1.234` is refused for cents rather than read as 1,23 €.
pub fn parse_decimal(text: &str, max_scale: u32) -> Result<Decimal, DecimalError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DecimalError::Empty);
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once([',', '.']) {
        Some((whole, fraction)) => (whole, fraction),
        None => (unsigned, ""),
    };
    let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    let has_fraction = unsigned.len() > whole.len();
    if whole.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || (has_fraction && fraction.is_empty())
    {
        return Err(DecimalError::NotANumber);
    }
    if fraction.len() > max_scale as usize {
        return Err(DecimalError::TooManyDecimals { max_scale });
    }
    let sign = if unsigned.len() < text.len() { "-" } else { "" };
    let plain = if has_fraction {
        format!("{sign}{whole}.{fraction}")
    } else {
        format!("{sign}{whole}")
    };
    let mut value = Decimal::from_str_exact(&plain).map_err(|_| DecimalError::OutOfRange)?;
    // "-0" is zero, not a negative number.
    value.set_sign_positive(value.is_sign_positive() || value.is_zero());
    Ok(value)
}

/// `value` in units of 10^-scale (e.g. cents for scale 2), refusing anything not exact.
pub fn to_scaled_integer(value: Decimal, scale: u32) -> Result<i64, DecimalError> {
    let scaled = value
        .checked_mul(Decimal::from(10_i64.pow(scale)))
        .ok_or(DecimalError::OutOfRange)?;
    if !scaled.fract().is_zero() {
        return Err(DecimalError::TooManyDecimals { max_scale: scale });
    }
    scaled.to_i64().ok_or(DecimalError::OutOfRange)
}

/// Text with at most `scale` decimals, in units of 10^-scale.
pub fn parse_scaled(text: &str, scale: u32) -> Result<i64, DecimalError> {
    to_scaled_integer(parse_decimal(text, scale)?, scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn accepts_comma_point_sign_and_spaces() {
        assert_eq!(parse_decimal("1234,56", 2), Ok(dec("1234.56")));
        assert_eq!(parse_decimal("1234.56", 2), Ok(dec("1234.56")));
        assert_eq!(parse_decimal(" -12,5 ", 2), Ok(dec("-12.5")));
        assert_eq!(parse_decimal("7", 0), Ok(dec("7")));
        assert_eq!(parse_decimal("007,10", 2), Ok(dec("7.1")));
        assert_eq!(parse_decimal("-0", 2), Ok(Decimal::ZERO));
        assert!(parse_decimal("-0,00", 2).unwrap().is_sign_positive());
    }

    #[test]
    fn refuses_what_is_not_a_plain_decimal() {
        assert_eq!(parse_decimal("", 2), Err(DecimalError::Empty));
        assert_eq!(parse_decimal("   ", 2), Err(DecimalError::Empty));
        for text in [
            "1.234,56", "1,234.56", "1 234", "12a", "1e3", "1E3", ",5", "5,", "-", "+5", "--5",
            "0x10", "NaN", "½",
        ] {
            assert_eq!(
                parse_decimal(text, 4),
                Err(DecimalError::NotANumber),
                "{text}"
            );
        }
    }

    #[test]
    fn counts_decimals_as_written() {
        assert_eq!(
            parse_decimal("1,234", 2),
            Err(DecimalError::TooManyDecimals { max_scale: 2 })
        );
        assert_eq!(
            parse_decimal("1,50", 1),
            Err(DecimalError::TooManyDecimals { max_scale: 1 })
        );
        assert_eq!(
            parse_decimal("1,5", 0),
            Err(DecimalError::TooManyDecimals { max_scale: 0 })
        );
    }

    #[test]
    fn refuses_numbers_too_large() {
        assert_eq!(
            parse_decimal(&"9".repeat(40), 0),
            Err(DecimalError::OutOfRange)
        );
        assert_eq!(
            parse_scaled("99999999999999999999", 2),
            Err(DecimalError::OutOfRange)
        );
    }

    #[test]
    fn scales_exactly() {
        assert_eq!(parse_scaled("12,34", 2), Ok(1234));
        assert_eq!(parse_scaled("-0,5", 3), Ok(-500));
        assert_eq!(to_scaled_integer(dec("1.230"), 2), Ok(123));
        assert_eq!(
            to_scaled_integer(dec("1.235"), 2),
            Err(DecimalError::TooManyDecimals { max_scale: 2 })
        );
    }

    proptest! {
        #[test]
        fn comma_and_point_are_the_same(whole in 0u64..10_000_000_000, fraction in "[0-9]{1,4}", negative: bool) {
            let sign = if negative { "-" } else { "" };
            let with_comma = parse_decimal(&format!("{sign}{whole},{fraction}"), 4);
            let with_point = parse_decimal(&format!("{sign}{whole}.{fraction}"), 4);
            prop_assert!(with_comma.is_ok());
            prop_assert_eq!(with_comma, with_point);
        }

        #[test]
        fn scaled_round_trips(units: i64, scale in 0u32..=4) {
            let value = Decimal::new(units, scale);
            prop_assert_eq!(parse_scaled(&value.to_string(), scale), Ok(units));
        }

        #[test]
        fn letters_are_refused(text in "[0-9]{0,3}[a-zA-Z][0-9,.]{0,3}") {
            prop_assert!(parse_decimal(&text, 4).is_err());
        }
    }
}
