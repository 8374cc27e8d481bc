//! Meter values, consumption and invoice quantities in exact thousandths.

use rust_decimal::Decimal;

use super::decimal::{DecimalError, parse_scaled};
use super::money::{Cents, UnitPrice};
use super::number_format::{NBSP, format_scaled};

/// Whether a price list's unit is the cubic metre, as billing writes it (`m3` or `m³`).
pub fn is_cubic_metre(unit: &str) -> bool {
    matches!(unit.trim(), "m3" | "m³")
}

/// What `consumption` costs at `per_m3` (the sum of the prices per m³ of the point's services,
/// VAT included), to the cent, half up; `None` when nothing is charged per m³.
pub fn cost_of(consumption: Volume, per_m3: UnitPrice) -> Option<Cents> {
    if per_m3.0 == 0 {
        return None;
    }
    // Litres × 1/10,000 € per m³ is 1/10,000,000 €: to cents, half up.
    let scale = 100_000;
    let cents = (i128::from(consumption.litres()) * i128::from(per_m3.0) + scale / 2) / scale;
    Some(Cents(i64::try_from(cents).unwrap_or(i64::MAX)))
}

/// A meter value or a consumption in m³, held as whole litres (1 m³ = 1000 L).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Volume(i64);

impl Volume {
    pub fn from_litres(litres: i64) -> Self {
        Volume(litres)
    }

    pub fn litres(self) -> i64 {
        self.0
    }

    /// m³ with at most 3 decimals, not negative, e.g. `12,345`.
    pub fn parse(text: &str) -> Result<Self, DecimalError> {
        let litres = parse_scaled(text, 3)?;
        if litres < 0 {
            return Err(DecimalError::Negative);
        }
        Ok(Volume(litres))
    }

    pub fn to_m3_decimal(self) -> Decimal {
        Decimal::new(self.0, 3)
    }

    /// `1.200,000 m³`: always 3 decimals, since `1.200 m³` would read as either 1,2 or 1200.
    pub fn format_sl(self) -> String {
        format!("{}{NBSP}m³", format_scaled(self.0, 3, 3))
    }
}

/// The quantity of an invoice line in thousandths of its unit; negative on corrections.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quantity(pub i64);

impl Quantity {
    /// At most 3 decimals, e.g. `1,5` or `-3`.
    pub fn parse(text: &str) -> Result<Self, DecimalError> {
        parse_scaled(text, 3).map(Quantity)
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 3)
    }

    /// `1,5`, `3`, `1.234,25`: the unit stands in its own column.
    pub fn format_sl(self) -> String {
        format_scaled(self.0, 3, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cost_of_a_consumption_is_rounded_half_up_to_the_cent() {
        // 12,345 m³ at 1,2345 €/m³ = 15,2399 € → 15,24 €
        let cost = cost_of(Volume::from_litres(12_345), UnitPrice(12_345));
        assert_eq!(cost, Some(Cents(1524)));
        assert_eq!(cost_of(Volume::from_litres(1), UnitPrice(0)), None);
        assert!(is_cubic_metre("m3") && is_cubic_metre(" m³") && !is_cubic_metre("kos"));
    }
    use proptest::prelude::*;

    #[test]
    fn volume_parse_and_format() {
        assert_eq!(Volume::parse("12,345"), Ok(Volume::from_litres(12345)));
        assert_eq!(Volume::parse("1200"), Ok(Volume::from_litres(1_200_000)));
        assert_eq!(Volume::parse(" 0.5 "), Ok(Volume::from_litres(500)));
        assert_eq!(Volume::parse("-1"), Err(DecimalError::Negative));
        assert_eq!(
            Volume::parse("1,2345"),
            Err(DecimalError::TooManyDecimals { max_scale: 3 })
        );
        assert_eq!(Volume::from_litres(12345).format_sl(), "12,345\u{a0}m³");
        assert_eq!(
            Volume::from_litres(1_200_000).format_sl(),
            "1.200,000\u{a0}m³"
        );
        assert_eq!(Volume::from_litres(12345).litres(), 12345);
        assert_eq!(
            Volume::from_litres(12345).to_m3_decimal().to_string(),
            "12.345"
        );
    }

    #[test]
    fn quantity_parse_and_format() {
        assert_eq!(Quantity::parse("1,5"), Ok(Quantity(1500)));
        assert_eq!(Quantity::parse("-3"), Ok(Quantity(-3000)));
        assert_eq!(Quantity(1500).format_sl(), "1,5");
        assert_eq!(Quantity(3000).format_sl(), "3");
        assert_eq!(Quantity(-1_234_250).format_sl(), "-1.234,25");
        assert_eq!(Quantity(1).format_sl(), "0,001");
    }

    proptest! {
        #[test]
        fn volume_round_trips(litres in 0i64..=i64::MAX) {
            let volume = Volume::from_litres(litres);
            prop_assert_eq!(Volume::parse(&volume.to_m3_decimal().to_string()), Ok(volume));
            let formatted = volume.format_sl().trim_end_matches("m³").replace('.', "");
            prop_assert_eq!(Volume::parse(&formatted), Ok(volume));
        }

        #[test]
        fn volume_is_never_negative(litres in i64::MIN..0) {
            let text = Decimal::new(litres, 3).to_string();
            prop_assert_eq!(Volume::parse(&text), Err(DecimalError::Negative));
        }

        #[test]
        fn quantity_round_trips(thousandths: i64) {
            let quantity = Quantity(thousandths);
            prop_assert_eq!(Quantity::parse(&quantity.to_decimal().to_string()), Ok(quantity));
            prop_assert_eq!(Quantity::parse(&quantity.format_sl().replace('.', "")), Ok(quantity));
        }
    }
}
