//! The price list of the demo: the public services of a Slovenian communal utility at the
//! prices of 2019 and after the rise of 2023, without VAT.

use chrono::NaiveDate;

use crate::domain::billing::PriceRecord;
use crate::domain::money::UnitPrice;
use crate::domain::vat::VatRate;

pub const WATER: &str = "VOD";
pub const WATER_LEVY: &str = "VPV";
pub const SEWAGE: &str = "KAN";
pub const SEWAGE_NETWORK: &str = "OMK20";
pub const TREATMENT: &str = "CIS";
pub const TREATMENT_NETWORK: &str = "OMC20";
pub const POLLUTION_LEVY: &str = "OKD";
pub const MIXED_WASTE: &str = "ZKO";
pub const BIO_WASTE: &str = "ZBO";
pub const WASTE_TREATMENT: &str = "OMO";
pub const WASTE_DISPOSAL: &str = "ODO";
pub const CONTAINER_RENT: &str = "NZB";

pub struct Service {
    pub code: &'static str,
    pub name: &'static str,
    pub unit: &'static str,
    /// In basis points: 950 is 9,5 %.
    pub vat_bp: i32,
    /// In 1/10,000 €, valid from [`first_list`] and from [`price_rise`].
    pub prices: [i64; 2],
}

pub fn first_list() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 1, 1).expect("a date")
}

pub fn price_rise() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).expect("a date")
}

/// Water network fees follow the meter's size with the factors of the national methodology
/// (DN ≤ 20: 1, 20 < DN < 40: 3, DN 40: 10, DN 50: 15, DN 80: 50); sewage and treatment
/// network fees are billed as that many times the DN ≤ 20 fee.
#[rustfmt::skip]
pub const SERVICES: &[Service] = &[
    Service { code: WATER, name: "Vodarina", unit: "m³", vat_bp: 950, prices: [5781, 6843] },
    Service { code: "OMV20", name: "Omrežnina – vodovod DN ≤ 20", unit: "mesec", vat_bp: 950, prices: [49_132, 56_341] },
    Service { code: "OMV25", name: "Omrežnina – vodovod DN 25", unit: "mesec", vat_bp: 950, prices: [147_396, 169_023] },
    Service { code: "OMV32", name: "Omrežnina – vodovod DN 32", unit: "mesec", vat_bp: 950, prices: [147_396, 169_023] },
    Service { code: "OMV40", name: "Omrežnina – vodovod DN 40", unit: "mesec", vat_bp: 950, prices: [491_320, 563_410] },
    Service { code: "OMV50", name: "Omrežnina – vodovod DN 50", unit: "mesec", vat_bp: 950, prices: [736_980, 845_115] },
    Service { code: "OMV80", name: "Omrežnina – vodovod DN 80", unit: "mesec", vat_bp: 950, prices: [2_456_600, 2_817_050] },
    Service { code: WATER_LEVY, name: "Vodno povračilo", unit: "m³", vat_bp: 950, prices: [555, 555] },
    Service { code: SEWAGE, name: "Odvajanje odpadnih voda", unit: "m³", vat_bp: 950, prices: [4917, 5806] },
    Service { code: SEWAGE_NETWORK, name: "Omrežnina – kanalizacija DN ≤ 20", unit: "mesec", vat_bp: 950, prices: [36_120, 41_275] },
    Service { code: TREATMENT, name: "Čiščenje odpadnih voda", unit: "m³", vat_bp: 950, prices: [6327, 7384] },
    Service { code: TREATMENT_NETWORK, name: "Omrežnina – čiščenje DN ≤ 20", unit: "mesec", vat_bp: 950, prices: [28_415, 32_216] },
    Service { code: POLLUTION_LEVY, name: "Okoljska dajatev za onesnaževanje voda", unit: "m³", vat_bp: 950, prices: [528, 528] },
    Service { code: MIXED_WASTE, name: "Zbiranje komunalnih odpadkov", unit: "kg", vat_bp: 950, prices: [1732, 2046] },
    Service { code: BIO_WASTE, name: "Zbiranje bioloških odpadkov", unit: "kg", vat_bp: 950, prices: [1094, 1288] },
    Service { code: WASTE_TREATMENT, name: "Obdelava mešanih komunalnih odpadkov", unit: "kg", vat_bp: 950, prices: [1121, 1368] },
    Service { code: WASTE_DISPOSAL, name: "Odlaganje ostankov", unit: "kg", vat_bp: 950, prices: [613, 745] },
    Service { code: CONTAINER_RENT, name: "Najem zabojnika", unit: "mesec", vat_bp: 2200, prices: [19_500, 22_500] },
];

/// The water network fee's service for a meter size, and the factor of the sewage and
/// treatment network fees.
pub fn network_fee(dn: u16) -> (&'static str, i64) {
    match dn {
        0..=20 => ("OMV20", 1),
        21..=25 => ("OMV25", 3),
        26..=39 => ("OMV32", 3),
        40..=49 => ("OMV40", 10),
        50..=79 => ("OMV50", 15),
        _ => ("OMV80", 50),
    }
}

pub fn service(code: &str) -> &'static Service {
    SERVICES
        .iter()
        .find(|service| service.code == code)
        .expect("the demo bills only services of its price list")
}

impl Service {
    pub fn vat_rate(&self) -> VatRate {
        VatRate::from_basis_points(self.vat_bp).expect("a VAT rate of the price list")
    }

    /// The price valid on `date` (the demo bills nothing before the first list).
    pub fn price_on(&self, date: NaiveDate) -> UnitPrice {
        UnitPrice(if date < price_rise() {
            self.prices[0]
        } else {
            self.prices[1]
        })
    }
}

pub fn price_records() -> Vec<PriceRecord> {
    SERVICES
        .iter()
        .flat_map(|service| {
            [first_list(), price_rise()].map(|valid_from| PriceRecord {
                service_code: service.code.to_owned(),
                name: service.name.to_owned(),
                unit: service.unit.to_owned(),
                price: service.price_on(valid_from),
                vat_rate: service.vat_rate(),
                valid_from,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_fees_scale_with_the_meter_size() {
        let fee = |dn| {
            let (code, factor) = network_fee(dn);
            (service(code).prices[1] / service("OMV20").prices[1], factor)
        };
        assert_eq!(fee(20), (1, 1));
        assert_eq!(fee(25), (3, 3));
        assert_eq!(fee(32), (3, 3));
        assert_eq!(fee(40), (10, 10));
        assert_eq!(fee(50), (15, 15));
        assert_eq!(fee(80), (50, 50));
    }

    #[test]
    fn every_service_has_a_price_in_both_lists() {
        let records = price_records();
        assert_eq!(records.len(), 2 * SERVICES.len());
        let codes: std::collections::BTreeSet<_> = SERVICES.iter().map(|s| s.code).collect();
        assert_eq!(codes.len(), SERVICES.len());
        assert!(records.iter().any(|r| r.vat_rate.as_basis_points() == 2200));
    }
}
