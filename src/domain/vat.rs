//! VAT rates (DDV) and the VAT on amounts and prices.

use super::decimal::{DecimalError, parse_scaled};
use super::money::{Cents, UnitPrice};
use super::number_format::{NBSP, format_scaled};

/// A VAT rate in hundredths of a percent (basis points): 9,5 % is 950, 22 % is 2200.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VatRate(i32);

impl VatRate {
    /// 100 %.
    const FULL: i32 = 10_000;

    /// `9,5`, `9.5`, `22`, `22 %` or `9,5%`: a percentage from 0 to 100 with at most 2
    /// decimals.
    pub fn parse(text: &str) -> Result<Self, DecimalError> {
        let text = text.trim();
        let number = text.strip_suffix('%').unwrap_or(text);
        let basis_points = parse_scaled(number, 2)?;
        i32::try_from(basis_points)
            .map_err(|_| DecimalError::OutOfRange)
            .and_then(Self::from_basis_points)
    }

    pub fn from_basis_points(basis_points: i32) -> Result<Self, DecimalError> {
        if (0..=Self::FULL).contains(&basis_points) {
            Ok(VatRate(basis_points))
        } else {
            Err(DecimalError::OutOfRange)
        }
    }

    pub fn as_basis_points(self) -> i32 {
        self.0
    }

    /// `9,5 %`, `22 %`.
    pub fn format_sl(self) -> String {
        format!("{}{NBSP}%", format_scaled(i64::from(self.0), 2, 0))
    }

    /// The VAT on a net amount, to the cent, half a cent rounded away from zero.
    pub fn vat_on(self, net: Cents) -> Cents {
        Cents(self.share_of(net.0))
    }

    /// `amount` × rate, rounded half away from zero; never larger than `amount`.
    fn share_of(self, amount: i64) -> i64 {
        let product = i128::from(amount) * i128::from(self.0);
        let full = i128::from(Self::FULL);
        let mut share = product / full;
        if (product % full).abs() * 2 >= full {
            share += product.signum();
        }
        // A share of an i64 at most 100 % fits an i64.
        i64::try_from(share).unwrap_or(i64::MAX)
    }
}

impl UnitPrice {
    /// The price including VAT (for the price list), rounded half away from zero to
    /// 1/10,000 €.
    pub fn with_vat(self, rate: VatRate) -> UnitPrice {
        UnitPrice(self.0 + rate.share_of(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_usual_spellings() {
        for (text, basis_points) in [
            ("9.5", 950),
            ("9,5", 950),
            ("22", 2200),
            ("22 %", 2200),
            ("9,5%", 950),
            (" 0 ", 0),
            ("100", 10000),
            ("8,75", 875),
        ] {
            assert_eq!(
                VatRate::parse(text).map(VatRate::as_basis_points),
                Ok(basis_points),
                "{text}"
            );
        }
    }

    #[test]
    fn refuses_what_is_not_a_rate() {
        assert_eq!(VatRate::parse("100,01"), Err(DecimalError::OutOfRange));
        assert_eq!(VatRate::parse("-1"), Err(DecimalError::OutOfRange));
        assert_eq!(VatRate::parse("99999999999"), Err(DecimalError::OutOfRange));
        assert_eq!(
            VatRate::parse("9,555"),
            Err(DecimalError::TooManyDecimals { max_scale: 2 })
        );
        assert_eq!(VatRate::parse("%"), Err(DecimalError::Empty));
        assert_eq!(VatRate::parse("DDV"), Err(DecimalError::NotANumber));
        assert_eq!(VatRate::parse("22 %%"), Err(DecimalError::NotANumber));
    }

    #[test]
    fn formats_slovenian_style() {
        assert_eq!(VatRate(950).format_sl(), "9,5\u{a0}%");
        assert_eq!(VatRate(2200).format_sl(), "22\u{a0}%");
        assert_eq!(VatRate(875).format_sl(), "8,75\u{a0}%");
    }

    #[test]
    fn vat_rounds_half_away_from_zero() {
        let rate = VatRate(2200);
        assert_eq!(rate.vat_on(Cents(10000)), Cents(2200));
        // 0,25 € × 22 % = 0,055 € → 0,06 €
        assert_eq!(rate.vat_on(Cents(25)), Cents(6));
        assert_eq!(rate.vat_on(Cents(-25)), Cents(-6));
        // 0,24 € × 22 % = 0,0528 € → 0,05 €
        assert_eq!(rate.vat_on(Cents(24)), Cents(5));
        // 1,00 € × 9,5 % = 0,095 € → 0,10 €
        assert_eq!(VatRate(950).vat_on(Cents(100)), Cents(10));
        assert_eq!(VatRate(0).vat_on(Cents(12345)), Cents(0));
    }

    #[test]
    fn price_with_vat() {
        assert_eq!(UnitPrice(6543).with_vat(VatRate(950)), UnitPrice(7165));
        assert_eq!(UnitPrice(10000).with_vat(VatRate(2200)), UnitPrice(12200));
        // 0,0005 € × 1,095 = 0,00054750 → 0,0005
        assert_eq!(UnitPrice(5).with_vat(VatRate(950)), UnitPrice(5));
    }

    proptest! {
        #[test]
        fn format_parses_back(basis_points in 0i32..=10000) {
            let rate = VatRate::from_basis_points(basis_points).unwrap();
            prop_assert_eq!(VatRate::parse(&rate.format_sl()), Ok(rate));
            prop_assert_eq!(VatRate::parse(&rate.format_sl().replace(',', ".")), Ok(rate));
        }

        #[test]
        fn vat_is_within_half_a_cent(net in -1_000_000_000_000i64..1_000_000_000_000, basis_points in 0i32..=10000) {
            let rate = VatRate(basis_points);
            let vat = rate.vat_on(Cents(net));
            let exact = i128::from(net) * i128::from(basis_points);
            let error = i128::from(vat.0) * 10000 - exact;
            prop_assert!(error.abs() <= 5000);
            prop_assert_eq!(rate.vat_on(Cents(-net)), Cents(-vat.0));
        }

        #[test]
        fn price_with_vat_is_within_half_a_unit(price in 0i64..1_000_000_000_000, basis_points in 0i32..=10000) {
            let gross = UnitPrice(price).with_vat(VatRate(basis_points));
            let exact = i128::from(price) * i128::from(10000 + basis_points);
            prop_assert!((i128::from(gross.0) * 10000 - exact).abs() <= 5000);
        }
    }
}
