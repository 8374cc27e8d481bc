//! Money in exact integer minor units.

use std::iter::Sum;
use std::ops::{Add, Sub};

use rust_decimal::Decimal;

use super::decimal::{DecimalError, parse_scaled, to_scaled_integer};
use super::number_format::{NBSP, format_scaled};

/// An amount of euros in cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cents(pub i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// Euros with at most 2 decimals, e.g. `-1234,56`.
    pub fn parse(text: &str) -> Result<Self, DecimalError> {
        parse_scaled(text, 2).map(Cents)
    }

    pub fn from_decimal(euros: Decimal) -> Result<Self, DecimalError> {
        to_scaled_integer(euros, 2).map(Cents)
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// `1.234,56 €`.
    pub fn format_sl(self) -> String {
        format!("{}{NBSP}€", format_scaled(self.0, 2, 2))
    }
}

impl Add for Cents {
    type Output = Cents;
    fn add(self, other: Cents) -> Cents {
        Cents(self.0 + other.0)
    }
}

impl Sub for Cents {
    type Output = Cents;
    fn sub(self, other: Cents) -> Cents {
        Cents(self.0 - other.0)
    }
}

impl Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(amounts: I) -> Cents {
        amounts.fold(Cents::ZERO, Add::add)
    }
}

/// A price per unit in 1/10,000 of a euro, as price lists give 4 decimals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitPrice(pub i64);

impl UnitPrice {
    /// Euros with at most 4 decimals, e.g. `0,6543`.
    pub fn parse(text: &str) -> Result<Self, DecimalError> {
        parse_scaled(text, 4).map(UnitPrice)
    }

    pub fn from_decimal(euros: Decimal) -> Result<Self, DecimalError> {
        to_scaled_integer(euros, 4).map(UnitPrice)
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 4)
    }

    /// `1.234,5600 €`: always 4 decimals, as on the price list.
    pub fn format_sl(self) -> String {
        format!("{}{NBSP}€", format_scaled(self.0, 4, 4))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    #[test]
    fn cents_parse_and_format() {
        assert_eq!(Cents::parse("1234,56"), Ok(Cents(123456)));
        assert_eq!(Cents::parse("-12.5"), Ok(Cents(-1250)));
        assert_eq!(Cents::parse("0"), Ok(Cents(0)));
        assert_eq!(
            Cents::parse("1.234"),
            Err(DecimalError::TooManyDecimals { max_scale: 2 })
        );
        assert_eq!(Cents::parse("1.234,56"), Err(DecimalError::NotANumber));
        assert_eq!(Cents(123456).format_sl(), "1.234,56\u{a0}€");
        assert_eq!(Cents(-1250).format_sl(), "-12,50\u{a0}€");
        assert_eq!(Cents(7).format_sl(), "0,07\u{a0}€");
    }

    #[test]
    fn cents_arithmetic() {
        assert_eq!(Cents(150) + Cents(-50), Cents(100));
        assert_eq!(Cents(150) - Cents(200), Cents(-50));
        assert_eq!(
            [Cents(1), Cents(2), Cents(3)].into_iter().sum::<Cents>(),
            Cents(6)
        );
        assert_eq!(std::iter::empty::<Cents>().sum::<Cents>(), Cents::ZERO);
    }

    #[test]
    fn cents_from_decimal_is_exact() {
        let dec = |text| Decimal::from_str(text).unwrap();
        assert_eq!(Cents::from_decimal(dec("12.30")), Ok(Cents(1230)));
        assert_eq!(Cents::from_decimal(dec("12.300")), Ok(Cents(1230)));
        assert_eq!(
            Cents::from_decimal(dec("12.305")),
            Err(DecimalError::TooManyDecimals { max_scale: 2 })
        );
        assert_eq!(Cents(-1230).to_decimal(), dec("-12.30"));
    }

    #[test]
    fn unit_price_parse_and_format() {
        assert_eq!(UnitPrice::parse("0,6543"), Ok(UnitPrice(6543)));
        assert_eq!(UnitPrice::parse("12.5"), Ok(UnitPrice(125000)));
        assert_eq!(
            UnitPrice::parse("0,65432"),
            Err(DecimalError::TooManyDecimals { max_scale: 4 })
        );
        assert_eq!(UnitPrice(6543).format_sl(), "0,6543\u{a0}€");
        assert_eq!(UnitPrice(12_345_000).format_sl(), "1.234,5000\u{a0}€");
        assert_eq!(UnitPrice(-5).format_sl(), "-0,0005\u{a0}€");
    }

    /// The Slovenian form without its thousands dots is parseable again.
    fn unformat(text: &str) -> String {
        text.trim_end_matches('€').replace('.', "")
    }

    proptest! {
        #[test]
        fn cents_round_trip(cents: i64) {
            let amount = Cents(cents);
            prop_assert_eq!(Cents::parse(&amount.to_decimal().to_string()), Ok(amount));
            prop_assert_eq!(Cents::from_decimal(amount.to_decimal()), Ok(amount));
            prop_assert_eq!(Cents::parse(&unformat(&amount.format_sl())), Ok(amount));
        }

        #[test]
        fn unit_price_round_trip(units: i64) {
            let price = UnitPrice(units);
            prop_assert_eq!(UnitPrice::parse(&price.to_decimal().to_string()), Ok(price));
            prop_assert_eq!(UnitPrice::from_decimal(price.to_decimal()), Ok(price));
            prop_assert_eq!(UnitPrice::parse(&unformat(&price.format_sl())), Ok(price));
        }

        #[test]
        fn decimal_comma_equals_point(cents in -10_000_000_000i64..10_000_000_000) {
            let point = Cents(cents).to_decimal().to_string();
            prop_assert_eq!(Cents::parse(&point.replace('.', ",")), Cents::parse(&point));
        }
    }
}
