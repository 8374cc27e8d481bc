//! The demo data as billing records, built from a fixed seed and the given day with no I/O:
//! everything before that day comes out the same on every run, and the newest readings,
//! invoices and open items reach that day.

use std::collections::HashSet;

use chrono::{Datelike, Days, Months, NaiveDate};

use super::places::{self, Address, BUSINESSES, FIRST_NAMES, SURNAMES, Settlement};
use super::prices::{self, network_fee};
use super::random::Random;
use super::reference;
use crate::domain::billing::{
    InvoiceLineRecord, InvoiceRecord, MeterRecord, OpenItemRecord, PayerRecord, PointRecord,
    PriceRecord, ReadingRecord, ReadingSource,
};
use crate::domain::money::Cents;
use crate::domain::payer_code::PayerCode;
use crate::domain::quantity::{Quantity, Volume};
use crate::domain::tax_number::TaxNumber;

/// The payer of the manual's invoice; it has no account, so that a visitor can register.
pub const MANUAL_PAYER: &str = "123456";
pub const MANUAL_INVOICE: &str = "202000876";
/// Several points (one without a meter, one with a meter exchange) and the ready account.
pub const ACCOUNT_PAYER: &str = "204518";
pub const OVERDUE_PAYER: &str = "317042";
/// A business whose four-digit meter has rolled over.
pub const ROLL_OVER_PAYER: &str = "150773";

const PAYERS: usize = 50;
const SEED: u64 = 0x1B2E_2020_0087_6000;
const PAYMENT_DAYS: u64 = 18;
const PDFS_PER_PAYER: usize = 6;
/// Open invoices of the payer in arrears; the oldest of them is paid in part.
const OVERDUE_INVOICES: usize = 4;
const HOUSEHOLD: &str = "gospodinjstvo";
const BUSINESS: &str = "poslovni prostor";
/// Waste per person (or per unit of a business) and month, in grams.
const MIXED_WASTE_GRAMS: i64 = 10_500;
const BIO_WASTE_GRAMS: i64 = 5_500;
/// Share of mixed waste that ends on the landfill after treatment, in per cent.
const DISPOSED_PERCENT: i64 = 30;
/// How a year's water use spreads over the months (per 1200): more in summer.
const SEASON: [i64; 12] = [92, 88, 94, 98, 104, 112, 122, 118, 104, 96, 90, 82];

/// Random streams: one for who and where the payers are, one per point for its water use and
/// one per meter for its readings, so that a longer history never changes an earlier draw.
const IDENTITIES: u64 = 0;
const USAGE_STREAMS: u64 = 1 << 32;
const READING_STREAMS: u64 = 2 << 32;

pub struct DemoData {
    pub payers: Vec<PayerRecord>,
    pub prices: Vec<PriceRecord>,
    pub points: Vec<PointRecord>,
    pub meters: Vec<MeterRecord>,
    pub readings: Vec<ReadingRecord>,
    pub invoices: Vec<DemoInvoice>,
    pub open_items: Vec<OpenItemRecord>,
}

pub struct DemoInvoice {
    pub record: InvoiceRecord,
    pub lines: Vec<InvoiceLineRecord>,
    pub with_pdf: bool,
}

#[derive(Clone, Copy)]
enum Cadence {
    Monthly,
    Quarterly,
}

impl Cadence {
    fn months(self) -> u32 {
        match self {
            Cadence::Monthly => 1,
            Cadence::Quarterly => 3,
        }
    }
}

/// What the payer still owes.
#[derive(Clone, Copy)]
enum Owing {
    Nothing,
    /// The invoices of the latest billing run.
    Latest,
    /// Several invoices, most of them past due.
    Arrears,
}

struct PayerPlan {
    record: PayerRecord,
    cadence: Cadence,
    invoices_from: NaiveDate,
    owing: Owing,
    points: Vec<PointPlan>,
}

struct PointPlan {
    record: PointRecord,
    /// None for a point without water supply (waste collection only).
    water: Option<Water>,
    /// People of a household, or the equivalent of a business, for the waste.
    persons: i64,
    /// Rented waste containers.
    containers: i64,
}

struct Water {
    litres_per_year: i64,
    dn: u16,
    sewer: bool,
    /// Oldest first; all but the last removed.
    meters: Vec<MeterPlan>,
}

struct MeterPlan {
    serial: String,
    digits: u8,
    installed_on: NaiveDate,
    removed_on: Option<NaiveDate>,
    /// Readings by the utility's reader that must be there.
    fixed_readings: Vec<NaiveDate>,
}

/// How many payers, and how they are billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// The demo's payers, each with a story of its own (and a name no other has).
    Demo,
    /// A utility's worth of payers for measuring (`eportal demo --payers N`): the demo's own,
    /// then households, some with a second point, billed quarterly for the last three years.
    Utility { payers: usize },
}

impl Extent {
    fn payers(self) -> usize {
        match self {
            Extent::Demo => PAYERS,
            Extent::Utility { payers } => payers,
        }
    }
}

/// The most payers a generated utility may have: payer codes are six digits from 100000 to
/// 399999, drawn at random, so the drawing slows as they run out.
pub const MAX_PAYERS: usize = 250_000;

/// One payer's records.
pub struct PayerData {
    pub payer: PayerRecord,
    pub points: Vec<PointRecord>,
    pub meters: Vec<MeterRecord>,
    pub readings: Vec<ReadingRecord>,
    pub invoices: Vec<DemoInvoice>,
    pub open_items: Vec<OpenItemRecord>,
}

pub fn generate(today: NaiveDate) -> DemoData {
    let mut data = DemoData {
        payers: Vec::new(),
        prices: prices::price_records(),
        points: Vec::new(),
        meters: Vec::new(),
        readings: Vec::new(),
        invoices: Vec::new(),
        open_items: Vec::new(),
    };
    each_payer(today, Extent::Demo, |payer| {
        data.payers.push(payer.payer);
        data.points.extend(payer.points);
        data.meters.extend(payer.meters);
        data.readings.extend(payer.readings);
        data.invoices.extend(payer.invoices);
        data.open_items.extend(payer.open_items);
    });
    data
}

/// The payers' records one payer at a time, so that a utility's worth never has to be held
/// in memory at once.
pub fn each_payer(today: NaiveDate, extent: Extent, mut take: impl FnMut(PayerData)) {
    let mut unit: u64 = 0;
    let mut meter_index: u64 = 0;
    for plan in plans(today, extent) {
        let mut data = PayerData {
            payer: plan.record.clone(),
            points: Vec::new(),
            meters: Vec::new(),
            readings: Vec::new(),
            invoices: Vec::new(),
            open_items: Vec::new(),
        };
        for point in &plan.points {
            unit += 1;
            data.points.push(point.record.clone());
            let usage = point
                .water
                .as_ref()
                .map(|water| Usage::new(water.litres_per_year, unit, today));
            if let (Some(water), Some(usage)) = (&point.water, &usage) {
                for meter in &water.meters {
                    meter_index += 1;
                    data.meters
                        .push(meter_record(meter, &point.record.code, water.dn));
                    data.readings
                        .extend(readings(meter, usage, meter_index, today));
                }
            }
            data.invoices
                .extend(point_invoices(&plan, point, usage.as_ref(), unit, today));
        }
        data.invoices.sort_by(|a, b| {
            (a.record.issue_date, &a.record.number).cmp(&(b.record.issue_date, &b.record.number))
        });
        for invoice in data.invoices.iter_mut().rev().take(PDFS_PER_PAYER) {
            invoice.with_pdf = true;
        }
        for invoice in &mut data.invoices {
            invoice.with_pdf |= invoice.record.number == MANUAL_INVOICE;
        }
        data.open_items = open_items(plan.owing, &data.invoices);
        take(data);
    }
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a date of the demo")
}

/// Hands out names, codes and numbers that no other payer, point or meter has.
struct Identities {
    random: Random,
    taken: HashSet<String>,
}

impl Identities {
    fn unique(&mut self, make: impl Fn(&mut Random) -> String) -> String {
        loop {
            let candidate = make(&mut self.random);
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    fn payer_code(&mut self) -> PayerCode {
        let code = self.unique(|random| random.between(100_000, 399_999).to_string());
        PayerCode::parse(&code).expect("six digits")
    }

    fn point_code(&mut self) -> String {
        self.unique(|random| format!("{:07}", random.between(1_000, 999_999)))
    }

    fn serial(&mut self) -> String {
        self.unique(|random| format!("ZN-{}", random.between(10_000_000, 99_999_999)))
    }

    fn person(&mut self) -> String {
        self.unique(Self::any_person)
    }

    /// A name that others may share, as many do in a utility's hundred thousand payers.
    fn any_person(random: &mut Random) -> String {
        format!("{} {}", random.pick(SURNAMES), random.pick(FIRST_NAMES))
    }

    /// A household's water: how many live there and the meter that counts what they use.
    fn household_water(&mut self, settlement: &Settlement) -> (Water, i64) {
        let persons = self.random.between(1, 5);
        let litres_per_year = 25_000 * persons + self.random.between(20_000, 60_000);
        let meters = one_meter(self.serial(), 5, self.install_date());
        let water = Water {
            litres_per_year,
            dn: 20,
            sewer: settlement.sewer,
            meters,
        };
        (water, persons)
    }

    /// Seven random digits and the check digit that makes them valid (some have none).
    fn tax_number(&mut self) -> TaxNumber {
        loop {
            let first_seven =
                self.unique(|random| random.between(1_000_000, 9_999_999).to_string());
            if let Some(valid) =
                (0..10).find_map(|check| TaxNumber::parse(&format!("{first_seven}{check}")).ok())
            {
                return valid;
            }
        }
    }

    fn install_date(&mut self) -> NaiveDate {
        let day = self.random.between(0, 9 * 365);
        date(2010, 3, 1) + Days::new(day.unsigned_abs())
    }

    fn address(&mut self, settlement: &'static Settlement) -> Address {
        let street =
            (!settlement.streets.is_empty()).then(|| *self.random.pick(settlement.streets));
        let house = self.random.between(1, 120);
        settlement.address(street, house)
    }
}

fn payer(code: PayerCode, name: &str, address: &Address, tax_number: TaxNumber) -> PayerRecord {
    PayerRecord {
        code,
        name: name.to_owned(),
        street: Some(address.street.clone()),
        postal_code: Some(address.postal_code.to_owned()),
        city: Some(address.city.clone()),
        tax_number: Some(tax_number),
        email: None,
        phone: None,
    }
}

fn point(
    code: String,
    payer: &PayerRecord,
    address: &Address,
    kind: &str,
    water: Option<Water>,
    persons: i64,
    containers: i64,
) -> PointPlan {
    let mut services = Vec::new();
    if let Some(water) = &water {
        services.extend([prices::WATER, network_fee(water.dn).0, prices::WATER_LEVY]);
        if water.sewer {
            services.extend([
                prices::SEWAGE,
                prices::SEWAGE_NETWORK,
                prices::TREATMENT,
                prices::TREATMENT_NETWORK,
                prices::POLLUTION_LEVY,
            ]);
        }
    }
    if persons > 0 {
        services.extend([
            prices::MIXED_WASTE,
            prices::BIO_WASTE,
            prices::WASTE_TREATMENT,
            prices::WASTE_DISPOSAL,
        ]);
    }
    if containers > 0 {
        services.push(prices::CONTAINER_RENT);
    }
    PointPlan {
        record: PointRecord {
            code,
            payer_code: payer.code.clone(),
            street: Some(address.street.clone()),
            postal_code: Some(address.postal_code.to_owned()),
            city: Some(address.city.clone()),
            kind: Some(kind.to_owned()),
            services: services.into_iter().map(str::to_owned).collect(),
            active: true,
        },
        water,
        persons,
        containers,
    }
}

fn one_meter(serial: String, digits: u8, installed_on: NaiveDate) -> Vec<MeterPlan> {
    vec![MeterPlan {
        serial,
        digits,
        installed_on,
        removed_on: None,
        fixed_readings: Vec::new(),
    }]
}

/// Who the payers are, where, and what is billed to them.
fn plans(today: NaiveDate, extent: Extent) -> Vec<PayerPlan> {
    let fixed_codes = [MANUAL_PAYER, ACCOUNT_PAYER, OVERDUE_PAYER, ROLL_OVER_PAYER];
    let mut ids = Identities {
        random: Random::new(SEED, IDENTITIES),
        taken: fixed_codes
            .iter()
            .map(|code| (*code).to_owned())
            .chain(["KOVAČIČ MOJCA", "KOS MARKO"].map(str::to_owned))
            .collect(),
    };
    let code = |text: &str| PayerCode::parse(text).expect("a payer code of the demo");
    let from_2022 = date(2022, 1, 1);
    let mut plans = Vec::with_capacity(extent.payers());

    // The manual's payer: five and more years of readings, the manual's invoice among its own.
    let brezovica = places::settlement(places::BREZOVICA);
    let address = brezovica.address(Some("STARA ULICA"), 1);
    let record = payer(
        code(MANUAL_PAYER),
        "NOVAK JANEZ",
        &address,
        ids.tax_number(),
    );
    let mut meters = one_meter(ids.serial(), 5, date(2014, 4, 16));
    meters[0].fixed_readings = vec![date(2020, 1, 31), today - Days::new(26)];
    let water = Water {
        litres_per_year: 145_000,
        dn: 20,
        sewer: true,
        meters,
    };
    let home = point(
        ids.point_code(),
        &record,
        &address,
        HOUSEHOLD,
        Some(water),
        3,
        0,
    );
    plans.push(PayerPlan {
        record,
        cadence: Cadence::Monthly,
        invoices_from: date(2020, 1, 1),
        owing: Owing::Latest,
        points: vec![home],
    });

    // The account's payer: a house whose meter was exchanged, a flat let to tenants, and a
    // weekend house at Rakitna with waste collection only.
    let gorice = places::settlement(places::VNANJE_GORICE);
    let address = gorice.address(Some("LIPOVA ULICA"), 12);
    let record = payer(
        code(ACCOUNT_PAYER),
        "KOVAČIČ MOJCA",
        &address,
        ids.tax_number(),
    );
    let exchanged_on = date(2022, 9, 14);
    let meters = vec![
        MeterPlan {
            serial: ids.serial(),
            digits: 5,
            installed_on: date(2011, 5, 10),
            removed_on: Some(exchanged_on),
            fixed_readings: Vec::new(),
        },
        MeterPlan {
            serial: ids.serial(),
            digits: 5,
            installed_on: exchanged_on,
            removed_on: None,
            fixed_readings: Vec::new(),
        },
    ];
    let water = Water {
        litres_per_year: 172_000,
        dn: 20,
        sewer: true,
        meters,
    };
    let house = point(
        ids.point_code(),
        &record,
        &address,
        HOUSEHOLD,
        Some(water),
        4,
        1,
    );
    let flat_address = brezovica.address(Some("TRŽAŠKA CESTA"), 215);
    let meters = one_meter(ids.serial(), 5, date(2017, 3, 2));
    let water = Water {
        litres_per_year: 74_000,
        dn: 20,
        sewer: true,
        meters,
    };
    let flat = point(
        ids.point_code(),
        &record,
        &flat_address,
        HOUSEHOLD,
        Some(water),
        2,
        0,
    );
    let rakitna = places::settlement(places::RAKITNA);
    let cottage_address = rakitna.address(None, 87);
    let cottage = point(
        ids.point_code(),
        &record,
        &cottage_address,
        HOUSEHOLD,
        None,
        1,
        0,
    );
    plans.push(PayerPlan {
        record,
        cadence: Cadence::Monthly,
        invoices_from: from_2022,
        owing: Owing::Latest,
        points: vec![house, flat, cottage],
    });

    let plesivica = places::settlement("PLEŠIVICA");
    let address = plesivica.address(None, 33);
    let record = payer(code(OVERDUE_PAYER), "KOS MARKO", &address, ids.tax_number());
    let meters = one_meter(ids.serial(), 5, date(2013, 10, 7));
    let water = Water {
        litres_per_year: 118_000,
        dn: 20,
        sewer: true,
        meters,
    };
    let home = point(
        ids.point_code(),
        &record,
        &address,
        HOUSEHOLD,
        Some(water),
        2,
        0,
    );
    plans.push(PayerPlan {
        record,
        cadence: Cadence::Monthly,
        invoices_from: from_2022,
        owing: Owing::Arrears,
        points: vec![home],
    });

    // About 1 450 m³ a year takes a four-digit dial past 9 999 m³ some seven years after 2016.
    let jezero = places::settlement(places::JEZERO);
    let address = jezero.address(None, 14);
    let name = "OKREPČEVALNICA PRI JEZERU, ANA KOLAR S.P.";
    let record = payer(code(ROLL_OVER_PAYER), name, &address, ids.tax_number());
    let meters = one_meter(ids.serial(), 4, date(2016, 4, 12));
    let water = Water {
        litres_per_year: 1_450_000,
        dn: 25,
        sewer: true,
        meters,
    };
    let premises = point(
        ids.point_code(),
        &record,
        &address,
        BUSINESS,
        Some(water),
        6,
        2,
    );
    plans.push(PayerPlan {
        record,
        cadence: Cadence::Monthly,
        invoices_from: from_2022,
        owing: Owing::Nothing,
        points: vec![premises],
    });

    for &(name, settlement, m3_per_year, dn) in BUSINESSES {
        let settlement = places::settlement(settlement);
        let address = ids.address(settlement);
        let record = payer(ids.payer_code(), name, &address, ids.tax_number());
        let meters = one_meter(ids.serial(), 5, ids.install_date());
        let water = Water {
            litres_per_year: m3_per_year * 1000,
            dn,
            sewer: settlement.sewer,
            meters,
        };
        let premises = point(
            ids.point_code(),
            &record,
            &address,
            BUSINESS,
            Some(water),
            3,
            1,
        );
        plans.push(PayerPlan {
            record,
            cadence: Cadence::Monthly,
            invoices_from: from_2022,
            owing: Owing::Nothing,
            points: vec![premises],
        });
    }

    // A utility's payers are billed by the quarter, for the last three years.
    let this_quarter = date(today.year(), today.month0() / 3 * 3 + 1, 1);
    let three_years_ago = this_quarter - Months::new(36);
    while plans.len() < extent.payers() {
        let settlement = places::draw_settlement(&mut ids.random);
        let address = ids.address(settlement);
        let name = match extent {
            Extent::Demo => ids.person(),
            Extent::Utility { .. } => Identities::any_person(&mut ids.random),
        };
        let record = payer(ids.payer_code(), &name, &address, ids.tax_number());
        let (water, persons) = ids.household_water(settlement);
        let cadence = if ids.random.chance(35) {
            Cadence::Quarterly
        } else {
            Cadence::Monthly
        };
        let home = household(ids.point_code(), &record, &address, water, persons, extent);
        let mut plan = PayerPlan {
            record,
            cadence,
            invoices_from: from_2022,
            owing: Owing::Nothing,
            points: vec![home],
        };
        if let Extent::Utility { .. } = extent {
            plan.cadence = Cadence::Quarterly;
            plan.invoices_from = three_years_ago;
            if ids.random.chance(30) {
                plan.owing = Owing::Latest;
            }
            // Some also pay for a flat they let, elsewhere.
            if ids.random.chance(14) {
                let settlement = places::draw_settlement(&mut ids.random);
                let address = ids.address(settlement);
                let (water, persons) = ids.household_water(settlement);
                let code = ids.point_code();
                let flat = household(code, &plan.record, &address, water, persons, extent);
                plan.points.push(flat);
            }
        }
        plans.push(plan);
    }
    plans
}

/// A household's point. A generated utility is a water supplier (as many are): it bills the
/// water alone, three lines a quarter, while sewage and waste are other companies'.
fn household(
    code: String,
    payer: &PayerRecord,
    address: &Address,
    mut water: Water,
    persons: i64,
    extent: Extent,
) -> PointPlan {
    match extent {
        Extent::Demo => point(code, payer, address, HOUSEHOLD, Some(water), persons, 0),
        Extent::Utility { .. } => {
            water.sewer = false;
            point(code, payer, address, HOUSEHOLD, Some(water), 0, 0)
        }
    }
}

fn meter_record(meter: &MeterPlan, point_code: &str, dn: u16) -> MeterRecord {
    MeterRecord {
        serial: meter.serial.clone(),
        point_code: point_code.to_owned(),
        medium: "cold_water".to_owned(),
        unit: "m3".to_owned(),
        digits: meter.digits,
        decimals: 3,
        dn: Some(dn),
        installed_on: meter.installed_on,
        removed_on: meter.removed_on,
    }
}

/// A point's water use, month by month from January 2010, with the seasons and some noise.
struct Usage {
    /// Litres used before each month, and (last) before the month after the table.
    before_month: Vec<i64>,
}

impl Usage {
    const FROM_YEAR: i32 = 2010;

    fn new(litres_per_year: i64, unit: u64, today: NaiveDate) -> Self {
        let mut random = Random::new(SEED, USAGE_STREAMS + unit);
        let months = Self::month_index(today) + 2;
        let mut before_month = Vec::with_capacity(months + 1);
        let mut used = 0;
        before_month.push(used);
        for month in 0..months {
            let typical = litres_per_year * SEASON[month % 12] / 1200;
            used += typical * random.between(85, 115) / 100;
            before_month.push(used);
        }
        Usage { before_month }
    }

    fn month_index(date: NaiveDate) -> usize {
        let months =
            (date.year() - Self::FROM_YEAR) * 12 + i32::try_from(date.month0()).expect("a month");
        usize::try_from(months).expect("the demo starts in 2010")
    }

    /// Litres used before the start of `date`, spread evenly over the days of each month.
    fn before(&self, date: NaiveDate) -> i64 {
        let month = Self::month_index(date);
        let (start, end) = (self.before_month[month], self.before_month[month + 1]);
        let first = date.with_day(1).expect("a first day");
        let days = (first + Months::new(1) - first).num_days();
        start + (end - start) * i64::from(date.day0()) / days
    }

    /// Litres used from the start of `from` to the end of `to`.
    fn between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        self.before(to + Days::new(1)) - self.before(from)
    }
}

/// Readings every 3 to 12 months from installation to today (or removal), mostly by the
/// utility's reader (whole m³), some by the customer (to the litre) and some estimated (a
/// little below the truth, so the next real reading never falls).
fn readings(meter: &MeterPlan, usage: &Usage, index: u64, today: NaiveDate) -> Vec<ReadingRecord> {
    let mut random = Random::new(SEED, READING_STREAMS + index);
    let dial = 10_i64.pow(u32::from(meter.digits) + 3);
    let at_install = usage.before(meter.installed_on);
    let used_by = |date| usage.before(date) - at_install;
    let record = |read_on, litres: i64, source| ReadingRecord {
        meter_serial: meter.serial.clone(),
        read_on,
        value: Volume::from_litres(litres % dial),
        source,
    };
    let end = meter.removed_on.unwrap_or(today + Days::new(1));
    let near_fixed = |day: NaiveDate| {
        meter
            .fixed_readings
            .iter()
            .any(|fixed| (day - *fixed).num_days().abs() < 45)
    };

    let mut planned = Vec::new();
    let mut day = meter.installed_on;
    loop {
        // Drawn together, so that a later end only adds readings.
        day = day + Days::new(random.between(91, 365).unsigned_abs());
        let source = match random.between(1, 100) {
            1..=70 => ReadingSource::Reader,
            71..=88 => ReadingSource::Customer,
            _ => ReadingSource::Estimate,
        };
        if day >= end {
            break;
        }
        if !near_fixed(day) {
            planned.push((day, source));
        }
    }
    planned.extend(
        meter
            .fixed_readings
            .iter()
            .filter(|fixed| meter.installed_on < **fixed && **fixed < end)
            .map(|fixed| (*fixed, ReadingSource::Reader)),
    );
    planned.sort();

    let mut result = vec![record(meter.installed_on, 0, ReadingSource::Install)];
    let mut last = 0;
    for (day, source) in planned {
        let truth = used_by(day);
        let litres = match source {
            ReadingSource::Customer => truth,
            ReadingSource::Estimate => (last + (truth - last) * 9 / 10) / 1000 * 1000,
            _ => truth / 1000 * 1000,
        }
        .max(last);
        result.push(record(day, litres, source));
        last = litres;
    }
    if let Some(removed_on) = meter.removed_on {
        result.push(record(
            removed_on,
            used_by(removed_on),
            ReadingSource::Removal,
        ));
    }
    result
}

/// The invoices of one point, from the payer's first billing period to the last one that
/// has ended by today; each is issued on the last day of its period.
fn point_invoices(
    plan: &PayerPlan,
    point: &PointPlan,
    usage: Option<&Usage>,
    unit: u64,
    today: NaiveDate,
) -> Vec<DemoInvoice> {
    let months = plan.cadence.months();
    let mut invoices = Vec::new();
    let mut from = plan.invoices_from;
    loop {
        let next = from + Months::new(months);
        let to = next - Days::new(1);
        if to > today {
            return invoices;
        }
        // Numbers are year, month and billing unit, so each stays the same as history grows.
        let mut number = format!("{}{:02}{unit:03}", to.year(), to.month());
        let mut period_from = from;
        if plan.record.code.as_str() == MANUAL_PAYER && to == date(2020, 1, 31) {
            number = MANUAL_INVOICE.to_owned();
            period_from = to;
        }
        let lines = lines(&number, point, usage, from, to, i64::from(months));
        let net: Cents = lines.iter().map(|line| line.amount).sum();
        let vat: Cents = lines
            .iter()
            .map(|line| {
                line.vat_rate
                    .map_or(Cents::ZERO, |rate| rate.vat_on(line.amount))
            })
            .sum();
        invoices.push(DemoInvoice {
            record: InvoiceRecord {
                reference: Some(reference::si12(&number)),
                number,
                payer_code: plan.record.code.clone(),
                point_code: Some(point.record.code.clone()),
                issue_date: to,
                period_from: Some(period_from),
                period_to: Some(to),
                due_date: to + Days::new(PAYMENT_DAYS),
                net,
                vat,
                total: net + vat,
            },
            lines,
            with_pdf: false,
        });
        from = next;
    }
}

/// The lines of a point's invoice for `from..=to`, at the prices valid on `to`.
fn lines(
    number: &str,
    point: &PointPlan,
    usage: Option<&Usage>,
    from: NaiveDate,
    to: NaiveDate,
    months: i64,
) -> Vec<InvoiceLineRecord> {
    let mut lines = Lines {
        number,
        priced_on: to,
        lines: Vec::new(),
    };
    if let (Some(water), Some(usage)) = (&point.water, usage) {
        // A litre is a thousandth of a cubic metre, the unit of quantities.
        let litres = usage.between(from, to);
        let (network, factor) = network_fee(water.dn);
        lines.add(prices::WATER, litres);
        lines.add(network, months * 1000);
        lines.add(prices::WATER_LEVY, litres);
        if water.sewer {
            let with_factor = |line: &mut InvoiceLineRecord| {
                if factor > 1 {
                    line.description = format!("{}, faktor {factor}", line.description);
                }
            };
            lines.add(prices::SEWAGE, litres);
            with_factor(lines.add(prices::SEWAGE_NETWORK, months * factor * 1000));
            lines.add(prices::TREATMENT, litres);
            with_factor(lines.add(prices::TREATMENT_NETWORK, months * factor * 1000));
            lines.add(prices::POLLUTION_LEVY, litres);
        }
    }
    if point.persons > 0 {
        let mixed = point.persons * months * MIXED_WASTE_GRAMS;
        lines.add(prices::MIXED_WASTE, mixed);
        lines.add(prices::BIO_WASTE, point.persons * months * BIO_WASTE_GRAMS);
        lines.add(prices::WASTE_TREATMENT, mixed);
        lines.add(prices::WASTE_DISPOSAL, mixed * DISPOSED_PERCENT / 100);
    }
    if point.containers > 0 {
        lines.add(prices::CONTAINER_RENT, point.containers * months * 1000);
    }
    lines.lines
}

struct Lines<'a> {
    number: &'a str,
    priced_on: NaiveDate,
    lines: Vec<InvoiceLineRecord>,
}

impl Lines<'_> {
    /// `quantity` in thousandths of the service's unit.
    fn add(&mut self, code: &str, quantity: i64) -> &mut InvoiceLineRecord {
        let service = prices::service(code);
        let unit_price = service.price_on(self.priced_on);
        self.lines.push(InvoiceLineRecord {
            invoice_number: self.number.to_owned(),
            line_no: u32::try_from(self.lines.len() + 1).expect("a short invoice"),
            service_code: Some(code.to_owned()),
            description: service.name.to_owned(),
            quantity: Some(Quantity(quantity)),
            unit: Some(service.unit.to_owned()),
            unit_price: Some(unit_price),
            vat_rate: Some(service.vat_rate()),
            amount: amount(Quantity(quantity), unit_price.0),
        });
        self.lines.last_mut().expect("the line just added")
    }
}

/// Quantity (thousandths) × unit price (1/10,000 €) in cents, rounded half away from zero.
fn amount(quantity: Quantity, unit_price: i64) -> Cents {
    let product = i128::from(quantity.0) * i128::from(unit_price);
    let cents = (product.abs() + 50_000) / 100_000 * product.signum();
    Cents(i64::try_from(cents).expect("an invoice line fits"))
}

/// The payer's open items; `invoices` are in the order of issue.
fn open_items(owing: Owing, invoices: &[DemoInvoice]) -> Vec<OpenItemRecord> {
    let item = |invoice: &DemoInvoice, open_amount| OpenItemRecord {
        payer_code: invoice.record.payer_code.clone(),
        document_number: invoice.record.number.clone(),
        document_date: invoice.record.issue_date,
        due_date: invoice.record.due_date,
        amount: invoice.record.total,
        open_amount,
    };
    let Some(latest) = invoices.last().map(|invoice| invoice.record.issue_date) else {
        return Vec::new();
    };
    match owing {
        Owing::Nothing => Vec::new(),
        Owing::Latest => invoices
            .iter()
            .filter(|invoice| invoice.record.issue_date == latest)
            .map(|invoice| item(invoice, invoice.record.total))
            .collect(),
        Owing::Arrears => {
            let open = &invoices[invoices.len().saturating_sub(OVERDUE_INVOICES)..];
            open.iter()
                .enumerate()
                .map(|(index, invoice)| {
                    let total = invoice.record.total;
                    // The oldest was paid in part.
                    let open_amount = if index == 0 {
                        Cents(total.0 - total.0 / 2)
                    } else {
                        total
                    };
                    item(invoice, open_amount)
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        date(2026, 11, 24)
    }

    #[test]
    fn the_same_day_gives_the_same_data_and_a_later_day_only_adds() {
        let first = generate(today());
        let again = generate(today());
        assert_eq!(first.payers, again.payers);
        assert_eq!(first.readings, again.readings);
        let later = generate(today() + Days::new(200));
        assert_eq!(first.payers, later.payers);
        let numbers = |data: &DemoData| -> Vec<(String, Cents)> {
            data.invoices
                .iter()
                .map(|invoice| (invoice.record.number.clone(), invoice.record.total))
                .collect()
        };
        let later_numbers = numbers(&later);
        assert!(
            numbers(&first)
                .iter()
                .all(|invoice| later_numbers.contains(invoice))
        );
        assert!(later_numbers.len() > numbers(&first).len());
    }

    #[test]
    fn invoice_numbers_are_nine_digits_and_unique() {
        let data = generate(today());
        let numbers: HashSet<&str> = data
            .invoices
            .iter()
            .map(|invoice| invoice.record.number.as_str())
            .collect();
        assert_eq!(numbers.len(), data.invoices.len());
        assert!(
            numbers
                .iter()
                .all(|n| n.len() == 9 && n.bytes().all(|b| b.is_ascii_digit()))
        );
        assert!(numbers.contains(MANUAL_INVOICE));
    }

    #[test]
    fn readings_never_fall_except_on_a_roll_over() {
        let data = generate(today());
        let mut roll_overs = 0;
        for meter in &data.meters {
            let values: Vec<i64> = data
                .readings
                .iter()
                .filter(|reading| reading.meter_serial == meter.serial)
                .map(|reading| reading.value.litres())
                .collect();
            for pair in values.windows(2) {
                if pair[1] < pair[0] {
                    roll_overs += 1;
                    assert_eq!(meter.digits, 4, "{}", meter.serial);
                    assert!(10_000_000 - pair[0] + pair[1] < 2_000_000);
                }
            }
        }
        assert_eq!(roll_overs, 1);
    }

    #[test]
    fn amounts_round_half_away_from_zero() {
        // 1,5 × 0,0001 € = 0,00015 € → 0,00 €; 5 × 0,0001 € = 0,0005 € → 0,00 €
        assert_eq!(amount(Quantity(1500), 1), Cents(0));
        // 12,345 m³ × 0,6843 € = 8,4476835 € → 8,45 €
        assert_eq!(amount(Quantity(12_345), 6843), Cents(845));
        // exactly half a cent: 0,5 × 0,0100 € = 0,005 € → 0,01 €
        assert_eq!(amount(Quantity(500), 100), Cents(1));
        assert_eq!(amount(Quantity(-500), 100), Cents(-1));
    }
}
