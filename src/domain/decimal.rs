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

/// Parses `-1234,56` or `1234.56` (surrounding spaces ignored) with at most `scale` decimals
/// as written, in units of 10^-scale: `1.234` is refused for cents rather than read as 1,23 €.
/// Digit by digit into an integer: the import parses millions of these, and going through
/// text and a `Decimal` took a tenth of its time.
pub fn parse_scaled(text: &str, scale: u32) -> Result<i64, DecimalError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DecimalError::Empty);
    }
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(unsigned) => (true, unsigned),
        None => (false, text),
    };
    let (whole, fraction) = match unsigned.split_once([',', '.']) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty()
        || !all_digits(whole)
        || fraction.is_some_and(|fraction| fraction.is_empty() || !all_digits(fraction))
    {
        return Err(DecimalError::NotANumber);
    }
    let fraction = fraction.unwrap_or_default();
    let padding = (scale as usize)
        .checked_sub(fraction.len())
        .ok_or(DecimalError::TooManyDecimals { max_scale: scale })?;
    // Summed as a negative number, whose range reaches one further: i64::MIN is a value.
    let digits = whole
        .bytes()
        .chain(fraction.bytes())
        .chain(std::iter::repeat_n(b'0', padding));
    let mut value: i64 = 0;
    for digit in digits {
        value = value
            .checked_mul(10)
            .and_then(|value| value.checked_sub(i64::from(digit - b'0')))
            .ok_or(DecimalError::OutOfRange)?;
    }
    if negative {
        Ok(value)
    } else {
        value.checked_neg().ok_or(DecimalError::OutOfRange)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    /// What `parse_scaled` did through `Decimal`, kept to compare with.
    fn through_decimal(text: &str, scale: u32) -> Result<i64, DecimalError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DecimalError::Empty);
        }
        let unsigned = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = unsigned.split_once([',', '.']).unwrap_or((unsigned, ""));
        let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        let has_fraction = unsigned.len() > whole.len();
        if whole.is_empty()
            || !all_digits(whole)
            || !all_digits(fraction)
            || (has_fraction && fraction.is_empty())
        {
            return Err(DecimalError::NotANumber);
        }
        if fraction.len() > scale as usize {
            return Err(DecimalError::TooManyDecimals { max_scale: scale });
        }
        let sign = if unsigned.len() < text.len() { "-" } else { "" };
        let value = Decimal::from_str_exact(&format!("{sign}{whole}.{fraction}0"))
            .map_err(|_| DecimalError::OutOfRange)?;
        to_scaled_integer(value, scale)
    }

    #[test]
    fn accepts_comma_point_sign_and_spaces() {
        assert_eq!(parse_scaled("1234,56", 2), Ok(123_456));
        assert_eq!(parse_scaled("1234.56", 2), Ok(123_456));
        assert_eq!(parse_scaled(" -12,5 ", 2), Ok(-1250));
        assert_eq!(parse_scaled("7", 0), Ok(7));
        assert_eq!(parse_scaled("007,10", 2), Ok(710));
        assert_eq!(parse_scaled("-0", 2), Ok(0));
        assert_eq!(parse_scaled("-0,00", 2), Ok(0));
    }

    #[test]
    fn refuses_what_is_not_a_plain_decimal() {
        assert_eq!(parse_scaled("", 2), Err(DecimalError::Empty));
        assert_eq!(parse_scaled("   ", 2), Err(DecimalError::Empty));
        for text in [
            "1.234,56", "1,234.56", "1 234", "12a", "1e3", "1E3", ",5", "5,", "-", "+5", "--5",
            "0x10", "NaN", "½", "-,5", "5,-1",
        ] {
            assert_eq!(
                parse_scaled(text, 4),
                Err(DecimalError::NotANumber),
                "{text}"
            );
        }
    }

    #[test]
    fn counts_decimals_as_written() {
        assert_eq!(
            parse_scaled("1,234", 2),
            Err(DecimalError::TooManyDecimals { max_scale: 2 })
        );
        assert_eq!(
            parse_scaled("1,50", 1),
            Err(DecimalError::TooManyDecimals { max_scale: 1 })
        );
        assert_eq!(
            parse_scaled("1,5", 0),
            Err(DecimalError::TooManyDecimals { max_scale: 0 })
        );
    }

    #[test]
    fn refuses_numbers_too_large() {
        assert_eq!(
            parse_scaled(&"9".repeat(40), 0),
            Err(DecimalError::OutOfRange)
        );
        assert_eq!(
            parse_scaled("99999999999999999999", 2),
            Err(DecimalError::OutOfRange)
        );
        assert_eq!(parse_scaled("92233720368547758,07", 2), Ok(i64::MAX));
        assert_eq!(
            parse_scaled("92233720368547758,08", 2),
            Err(DecimalError::OutOfRange)
        );
        assert_eq!(parse_scaled("-92233720368547758,08", 2), Ok(i64::MIN));
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
            let with_comma = parse_scaled(&format!("{sign}{whole},{fraction}"), 4);
            let with_point = parse_scaled(&format!("{sign}{whole}.{fraction}"), 4);
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
            prop_assert!(parse_scaled(&text, 4).is_err());
        }

        #[test]
        fn digit_by_digit_is_as_through_decimal(text in " ?-{0,2}[0-9]{0,21}([.,][0-9]{0,6})?[.,]?[0-9a]{0,1} ?", scale in 0u32..=5) {
            prop_assert_eq!(parse_scaled(&text, scale), through_decimal(&text, scale));
        }
    }
}
