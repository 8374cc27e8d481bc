//! Consumption (SPEC §2, §3.9): from a point's meter readings to the consumption between
//! consecutive readings of each meter, spread evenly over the days between them and summed
//! per calendar month, quarter or year.
//!
//! The conventions:
//! - A reading counts as taken at the end of its day, so the interval between readings on
//!   `from` and `to` covers the days after `from` up to and including `to`: a reading on
//!   31 January closes January, and on an exchange day the old meter has the day.
//! - Of several readings of one meter on one day, one counts, by source: removal, then
//!   installation (what a meter exchange is measured by), the utility's reader, the customer,
//!   an estimate.
//! - Consumption is never computed across meters: an exchange ends one meter with its removal
//!   reading and starts the next with its installation reading.
//! - A value below the previous one is a roll-over of the dial only where [`Plausibility`]
//!   allows the consumption that implies; otherwise it is an [`Anomaly`] and its days are
//!   left uncovered rather than given an invented consumption.
//! - Litres stay whole: day `k` of an `n`-day interval of `c` litres gets
//!   `⌊c·k/n⌋ − ⌊c·(k−1)/n⌋`, so the parts always add up to the whole and the odd litres fall
//!   on the later days.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use chrono::{Datelike, Days, Months, NaiveDate};

use super::billing::{MeterRecord, ReadingRecord, ReadingSource};
use super::quantity::Volume;

/// The dial of a meter: integer digits (which set where it rolls over) and decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dial {
    pub digits: u8,
    pub decimals: u8,
}

impl Dial {
    pub fn of(meter: &MeterRecord) -> Self {
        Dial {
            digits: meter.digits,
            decimals: meter.decimals,
        }
    }

    /// 10^digits m³, the first value the dial cannot show (unbounded, in effect, for dials of
    /// more than 15 digits, which no meter has).
    pub fn capacity(self) -> Volume {
        Volume::from_litres(
            10_i64
                .checked_pow(u32::from(self.digits) + 3)
                .unwrap_or(i64::MAX),
        )
    }

    /// The smallest step the dial shows: a litre with 3 decimals, a cubic metre with none.
    pub fn resolution(self) -> Volume {
        Volume::from_litres(10_i64.pow(3 - u32::from(self.decimals.min(3))))
    }

    /// The largest value the dial shows, e.g. 9 999,999 m³ on four digits and three decimals.
    pub fn max_value(self) -> Volume {
        Volume::from_litres(self.capacity().litres() - self.resolution().litres())
    }

    /// The consumption from `previous` to a smaller `value`, had the dial passed its end in
    /// between: 10^digits m³ − previous + value. `None` where the value did not fall or the dial
    /// cannot have shown `previous`.
    pub fn roll_over(self, previous: Volume, value: Volume) -> Option<Volume> {
        let capacity = self.capacity().litres();
        (value < previous && previous.litres() < capacity)
            .then(|| Volume::from_litres(capacity - previous.litres() + value.litres()))
    }
}

/// When a consumption is believable: a roll-over is accepted, and a customer's reading goes
/// through without asking, only up to this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plausibility {
    /// Up to this many times the usual daily consumption (SPEC §3.11: 3 by default).
    pub factor: u32,
    /// Per day, where the usual consumption is unknown (no history yet).
    pub daily_cap_without_history: Volume,
}

impl Default for Plausibility {
    fn default() -> Self {
        Plausibility {
            factor: 3,
            // Some twenty times what a household on a DN 20 connection uses in a day.
            daily_cap_without_history: Volume::from_litres(10_000),
        }
    }
}

impl Plausibility {
    /// Whether `consumption` over `days` days is believable: at most `factor` × `usual_daily`
    /// a day, or the cap without a usual figure. A reading on the day of the previous one
    /// counts as one day.
    pub fn allows(&self, consumption: Volume, days: i64, usual_daily: Option<Volume>) -> bool {
        let daily_limit = match usual_daily {
            Some(usual) => i128::from(usual.litres()) * i128::from(self.factor),
            None => i128::from(self.daily_cap_without_history.litres()),
        };
        i128::from(consumption.litres()) <= daily_limit * i128::from(days.max(1))
    }
}

/// The consumption of one meter between two consecutive readings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    pub meter: String,
    /// The day of the earlier reading, which belongs to the interval before.
    pub from: NaiveDate,
    /// The day of the later reading, the last day covered.
    pub to: NaiveDate,
    pub consumption: Volume,
    /// The dial passed its end in between.
    pub rolled_over: bool,
}

impl Interval {
    /// The days covered: those after `from` up to `to`.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days()
    }

    /// The days covered among `days`, if any.
    fn overlap(&self, days: &RangeInclusive<NaiveDate>) -> Option<RangeInclusive<NaiveDate>> {
        let first = (*days.start()).max(self.from + Days::new(1));
        let last = (*days.end()).min(self.to);
        (first <= last).then_some(first..=last)
    }

    /// The litres used from the start of the interval to the end of the day `day_index` days
    /// after `from`.
    fn litres_through(&self, day_index: i64) -> i128 {
        i128::from(self.consumption.litres()) * i128::from(day_index) / i128::from(self.days())
    }

    /// The part of the consumption on `covered`, days of the interval.
    fn part(&self, covered: &RangeInclusive<NaiveDate>) -> i128 {
        let index = |day: NaiveDate| (day - self.from).num_days();
        self.litres_through(index(*covered.end()))
            - self.litres_through(index(*covered.start()) - 1)
    }
}

/// Something in the readings that yields no consumption, for the readings page to point out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anomaly {
    /// The value fell, and a roll-over would mean an implausible consumption (or the dial
    /// cannot have shown the previous value): a misreading or an unrecorded exchange.
    Fall {
        meter: String,
        from: NaiveDate,
        to: NaiveDate,
        previous: Volume,
        value: Volume,
    },
    /// A reading dated before its meter was installed or after it was removed.
    OutsideMeterLife { meter: String, read_on: NaiveDate },
}

impl Anomaly {
    fn sort_key(&self) -> (NaiveDate, &str) {
        match self {
            Anomaly::Fall { meter, from, .. } => (*from, meter),
            Anomaly::OutsideMeterLife { meter, read_on } => (*read_on, meter),
        }
    }
}

/// What a point's readings yield: intervals ordered by their start, anomalies by date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadingIntervals {
    pub intervals: Vec<Interval>,
    pub anomalies: Vec<Anomaly>,
}

/// The rank of a reading's source among one meter's readings on one day: the lowest counts.
pub fn precedence(source: ReadingSource) -> u8 {
    match source {
        ReadingSource::Removal => 0,
        ReadingSource::Install => 1,
        ReadingSource::Reader => 2,
        ReadingSource::Customer => 3,
        ReadingSource::Estimate => 4,
    }
}

/// The intervals between consecutive readings of each of `meters` (a point's), with the
/// anomalies among them. Readings of other meters are ignored; a roll-over is judged against
/// the usual daily consumption of the intervals that end before it starts (all the point's
/// meters, since the household stays when the meter changes).
pub fn intervals(
    meters: &[MeterRecord],
    readings: &[ReadingRecord],
    plausibility: &Plausibility,
) -> ReadingIntervals {
    let mut anomalies = Vec::new();
    // Ordered by meter and day, so that neighbours of one meter are consecutive readings.
    let mut counted: BTreeMap<(&str, NaiveDate), (&ReadingRecord, Dial)> = BTreeMap::new();
    for reading in readings {
        let Some(meter) = meters.iter().find(|m| m.serial == reading.meter_serial) else {
            continue;
        };
        let in_life = meter.installed_on <= reading.read_on
            && meter
                .removed_on
                .is_none_or(|removed| reading.read_on <= removed);
        if !in_life {
            anomalies.push(Anomaly::OutsideMeterLife {
                meter: meter.serial.clone(),
                read_on: reading.read_on,
            });
            continue;
        }
        counted
            .entry((meter.serial.as_str(), reading.read_on))
            .and_modify(|(kept, _)| {
                if precedence(reading.source) < precedence(kept.source) {
                    *kept = reading;
                }
            })
            .or_insert((reading, Dial::of(meter)));
    }

    let mut steps: Vec<_> = counted
        .values()
        .zip(counted.values().skip(1))
        .filter(|((earlier, _), (later, _))| earlier.meter_serial == later.meter_serial)
        .map(|((earlier, dial), (later, _))| (*earlier, *later, *dial))
        .collect();
    // By start, so that every interval a roll-over is judged against is already known.
    steps
        .sort_by_key(|(earlier, later, _)| (earlier.read_on, later.read_on, &earlier.meter_serial));

    let mut intervals: Vec<Interval> = Vec::with_capacity(steps.len());
    for (earlier, later, dial) in steps {
        let interval = |consumption, rolled_over| Interval {
            meter: earlier.meter_serial.clone(),
            from: earlier.read_on,
            to: later.read_on,
            consumption,
            rolled_over,
        };
        if later.value >= earlier.value {
            let consumption = Volume::from_litres(later.value.litres() - earlier.value.litres());
            intervals.push(interval(consumption, false));
            continue;
        }
        let usual = usual_daily(intervals.iter().filter(|i| i.to <= earlier.read_on));
        let days = (later.read_on - earlier.read_on).num_days();
        match dial.roll_over(earlier.value, later.value) {
            Some(consumption) if plausibility.allows(consumption, days, usual) => {
                intervals.push(interval(consumption, true));
            }
            _ => anomalies.push(Anomaly::Fall {
                meter: earlier.meter_serial.clone(),
                from: earlier.read_on,
                to: later.read_on,
                previous: earlier.value,
                value: later.value,
            }),
        }
    }
    anomalies.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    ReadingIntervals {
        intervals,
        anomalies,
    }
}

/// The consumption on `days` (summed over meters) and how many of those days any interval
/// covers.
fn spread<'a>(
    intervals: impl IntoIterator<Item = &'a Interval>,
    days: &RangeInclusive<NaiveDate>,
) -> (i128, u32) {
    let day_count = (*days.end() - *days.start()).num_days() + 1;
    let mut covered = vec![false; usize::try_from(day_count).unwrap_or(0)];
    let mut litres = 0;
    for interval in intervals {
        if let Some(overlap) = interval.overlap(days) {
            litres += interval.part(&overlap);
            // The overlap lies inside `days`, so the difference is never negative.
            let index = |day: NaiveDate| (day - *days.start()).num_days().unsigned_abs() as usize;
            covered[index(*overlap.start())..=index(*overlap.end())].fill(true);
        }
    }
    let covered_days = covered.iter().filter(|&&day| day).count();
    (litres, u32::try_from(covered_days).unwrap_or(u32::MAX))
}

fn volume(litres: i128) -> Volume {
    Volume::from_litres(i64::try_from(litres).unwrap_or(i64::MAX))
}

/// How far back the usual daily consumption looks.
pub const USUAL_DAYS: u64 = 365;

/// The usual daily consumption of a point: what its intervals used in the 365 days up to the
/// latest reading, over the days of those that they cover, to the nearest litre. `None`
/// without intervals.
pub fn usual_daily<'a>(intervals: impl IntoIterator<Item = &'a Interval>) -> Option<Volume> {
    let intervals: Vec<&Interval> = intervals.into_iter().collect();
    let last = intervals.iter().map(|interval| interval.to).max()?;
    let (litres, covered_days) = spread(intervals, &(last - Days::new(USUAL_DAYS - 1)..=last));
    let covered_days = i128::from(covered_days);
    (covered_days > 0).then(|| volume((2 * litres + covered_days) / (2 * covered_days)))
}

/// The length of the periods consumption is summed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Month,
    Quarter,
    Year,
}

impl Period {
    pub fn months(self) -> u32 {
        match self {
            Period::Month => 1,
            Period::Quarter => 3,
            Period::Year => 12,
        }
    }
}

/// One calendar month, quarter or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarPeriod {
    period: Period,
    first_day: NaiveDate,
}

/// The first day of the month of `day`.
pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.day0()))
}

impl CalendarPeriod {
    pub fn containing(period: Period, day: NaiveDate) -> Self {
        let month0 = day.month0() / period.months() * period.months();
        CalendarPeriod {
            period,
            first_day: first_of_month(day) - Months::new(day.month0() - month0),
        }
    }

    pub fn period(self) -> Period {
        self.period
    }

    pub fn first_day(self) -> NaiveDate {
        self.first_day
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day - Days::new(1)
    }

    pub fn days(self) -> u32 {
        u32::try_from((self.next().first_day - self.first_day).num_days()).unwrap_or(u32::MAX)
    }

    pub fn next(self) -> Self {
        CalendarPeriod {
            period: self.period,
            first_day: self.first_day + Months::new(self.period.months()),
        }
    }

    pub fn year(self) -> i32 {
        self.first_day.year()
    }

    /// The month of the first day, 1 to 12.
    pub fn month(self) -> u32 {
        self.first_day.month()
    }

    /// The quarter of the first day, 1 to 4.
    pub fn quarter(self) -> u32 {
        self.first_day.month0() / 3 + 1
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodConsumption {
    pub period: CalendarPeriod,
    /// `None` where no interval covers a day of the period: unknown, unlike a zero.
    pub consumption: Option<Volume>,
    /// Fewer than the period's days make the figure partial (the current month, a gap).
    pub covered_days: u32,
}

/// The consumption of every calendar period that has a day in `range`, each over the whole
/// period. For a range that holds all the readings, the figures add up exactly to the
/// intervals' consumption.
pub fn per_period(
    intervals: &[Interval],
    period: Period,
    range: RangeInclusive<NaiveDate>,
) -> Vec<PeriodConsumption> {
    let mut result = Vec::new();
    if range.is_empty() {
        return result;
    }
    let mut current = CalendarPeriod::containing(period, *range.start());
    while current.first_day() <= *range.end() {
        let (litres, covered_days) = spread(intervals, &(current.first_day()..=current.last_day()));
        result.push(PeriodConsumption {
            period: current,
            consumption: (covered_days > 0).then(|| volume(litres)),
            covered_days,
        });
        current = current.next();
    }
    result
}

/// How many months the graph shows unless the user chooses otherwise (SPEC §3.9).
const DEFAULT_RANGE_MONTHS: u32 = 36;

/// The range the graph shows unless the user chooses another: the last three years as whole
/// periods, ending with the one that holds `today`.
pub fn default_range(period: Period, today: NaiveDate) -> RangeInclusive<NaiveDate> {
    let current = CalendarPeriod::containing(period, today);
    let first =
        current.first_day() + Months::new(period.months()) - Months::new(DEFAULT_RANGE_MONTHS);
    first..=today
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn m3(m3: i64) -> Volume {
        Volume::from_litres(m3 * 1000)
    }

    fn meter(serial: &str, digits: u8, installed_on: NaiveDate) -> MeterRecord {
        MeterRecord {
            serial: serial.into(),
            point_code: "P1".into(),
            medium: "cold_water".into(),
            unit: "m3".into(),
            digits,
            decimals: 3,
            dn: Some(20),
            installed_on,
            removed_on: None,
        }
    }

    fn reading(
        serial: &str,
        read_on: NaiveDate,
        value: Volume,
        source: ReadingSource,
    ) -> ReadingRecord {
        ReadingRecord {
            meter_serial: serial.into(),
            read_on,
            value,
            source,
        }
    }

    fn interval(from: NaiveDate, to: NaiveDate, consumption: Volume) -> Interval {
        Interval {
            meter: "A".into(),
            from,
            to,
            consumption,
            rolled_over: false,
        }
    }

    fn of_one_meter(digits: u8, readings: &[(NaiveDate, Volume)]) -> ReadingIntervals {
        let records: Vec<_> = readings
            .iter()
            .map(|(day, value)| reading("A", *day, *value, ReadingSource::Reader))
            .collect();
        intervals(
            &[meter("A", digits, date(2000, 1, 1))],
            &records,
            &Plausibility::default(),
        )
    }

    fn figures(periods: &[PeriodConsumption]) -> Vec<Option<Volume>> {
        periods.iter().map(|period| period.consumption).collect()
    }

    #[test]
    fn the_dial() {
        let dial = Dial {
            digits: 4,
            decimals: 3,
        };
        assert_eq!(dial.capacity(), m3(10_000));
        assert_eq!(dial.max_value(), Volume::from_litres(9_999_999));
        assert_eq!(dial.resolution(), Volume::from_litres(1));
        let whole = Dial {
            digits: 5,
            decimals: 0,
        };
        assert_eq!(whole.resolution(), m3(1));
        assert_eq!(whole.max_value(), m3(99_999));
        assert_eq!(
            Dial {
                digits: 40,
                decimals: 3
            }
            .capacity(),
            Volume::from_litres(i64::MAX)
        );
    }

    #[test]
    fn a_roll_over_counts_from_the_dial_end() {
        let dial = Dial {
            digits: 4,
            decimals: 3,
        };
        assert_eq!(dial.roll_over(m3(9_950), m3(30)), Some(m3(80)));
        assert_eq!(dial.roll_over(m3(9_950), m3(9_950)), None);
        assert_eq!(dial.roll_over(m3(30), m3(9_950)), None);
        // A previous value the dial cannot show explains nothing.
        assert_eq!(dial.roll_over(m3(12_000), m3(30)), None);
    }

    #[test]
    fn plausibility_against_the_usual_or_the_cap() {
        let rule = Plausibility::default();
        let usual = Some(Volume::from_litres(400));
        assert!(rule.allows(Volume::from_litres(1200 * 30), 30, usual));
        assert!(!rule.allows(Volume::from_litres(1200 * 30 + 1), 30, usual));
        // The same day as the previous reading counts as one day.
        assert!(rule.allows(Volume::from_litres(1200), 0, usual));
        assert!(!rule.allows(Volume::from_litres(1201), 0, usual));
        assert!(rule.allows(m3(300), 30, None));
        assert!(!rule.allows(Volume::from_litres(300_001), 30, None));
        assert!(!rule.allows(Volume::from_litres(1), 30, Some(Volume::default())));
    }

    #[test]
    fn spreads_evenly_across_a_month_boundary() {
        let result = of_one_meter(
            5,
            &[(date(2023, 1, 15), m3(100)), (date(2023, 2, 15), m3(131))],
        );
        assert_eq!(
            result.intervals,
            [interval(date(2023, 1, 15), date(2023, 2, 15), m3(31))]
        );
        let months = per_period(
            &result.intervals,
            Period::Month,
            date(2023, 1, 1)..=date(2023, 3, 31),
        );
        // 16 to 31 January, 1 to 15 February.
        assert_eq!(figures(&months), [Some(m3(16)), Some(m3(15)), None]);
        assert_eq!(
            months.iter().map(|m| m.covered_days).collect::<Vec<_>>(),
            [16, 15, 0]
        );
        assert_eq!(months[0].period.days(), 31);
    }

    #[test]
    fn the_odd_litres_fall_on_the_later_days() {
        let intervals = [interval(
            date(2023, 1, 29),
            date(2023, 2, 1),
            Volume::from_litres(10),
        )];
        let days: Vec<_> = (0..3)
            .map(|offset| {
                let day = date(2023, 1, 30) + Days::new(offset);
                spread(&intervals, &(day..=day)).0
            })
            .collect();
        assert_eq!(days, [3, 3, 4]);
        let months = per_period(
            &intervals,
            Period::Month,
            date(2023, 1, 1)..=date(2023, 2, 28),
        );
        assert_eq!(
            figures(&months),
            [Some(Volume::from_litres(6)), Some(Volume::from_litres(4))]
        );
    }

    #[test]
    fn leap_years_have_their_29th_of_february() {
        let result = of_one_meter(
            5,
            &[(date(2024, 2, 15), m3(0)), (date(2024, 3, 15), m3(29))],
        );
        let months = per_period(
            &result.intervals,
            Period::Month,
            date(2024, 2, 1)..=date(2024, 3, 1),
        );
        assert_eq!(figures(&months), [Some(m3(14)), Some(m3(15))]);
        assert_eq!(months[0].period.days(), 29);

        let around = of_one_meter(5, &[(date(2024, 2, 28), m3(0)), (date(2024, 3, 1), m3(2))]);
        let months = per_period(
            &around.intervals,
            Period::Month,
            date(2024, 2, 1)..=date(2024, 3, 1),
        );
        assert_eq!(figures(&months), [Some(m3(1)), Some(m3(1))]);

        let year = of_one_meter(
            5,
            &[(date(2023, 12, 31), m3(0)), (date(2024, 12, 31), m3(366))],
        );
        let years = per_period(
            &year.intervals,
            Period::Year,
            date(2023, 1, 1)..=date(2024, 12, 31),
        );
        assert_eq!(figures(&years), [None, Some(m3(366))]);
        assert_eq!(years[1].covered_days, 366);
    }

    #[test]
    fn sums_per_quarter_and_year() {
        let result = of_one_meter(
            5,
            &[
                (date(2023, 12, 31), m3(1_000)),
                (date(2024, 3, 31), m3(1_030)),
                (date(2024, 6, 30), m3(1_070)),
                (date(2024, 12, 31), m3(1_150)),
            ],
        );
        let quarters = per_period(
            &result.intervals,
            Period::Quarter,
            date(2024, 1, 1)..=date(2025, 1, 1),
        );
        let q3 = quarters[2].period;
        assert_eq!((q3.year(), q3.quarter(), q3.month()), (2024, 3, 7));
        // 92 of the 184 days from July to December are in the third quarter.
        assert_eq!(
            figures(&quarters),
            [Some(m3(30)), Some(m3(40)), Some(m3(40)), Some(m3(40)), None]
        );
        let years = per_period(
            &result.intervals,
            Period::Year,
            date(2024, 6, 1)..=date(2024, 6, 1),
        );
        assert_eq!(figures(&years), [Some(m3(150))]);
        assert_eq!(years[0].period.first_day(), date(2024, 1, 1));
    }

    #[test]
    fn unknown_is_not_zero() {
        let result = of_one_meter(
            5,
            &[(date(2023, 3, 31), m3(10)), (date(2023, 4, 30), m3(10))],
        );
        let months = per_period(
            &result.intervals,
            Period::Month,
            date(2023, 3, 1)..=date(2023, 5, 31),
        );
        assert_eq!(figures(&months), [None, Some(m3(0)), None]);
        assert!(
            per_period(
                &result.intervals,
                Period::Month,
                date(2023, 5, 1)..=date(2023, 4, 1)
            )
            .is_empty()
        );
    }

    #[test]
    fn a_meter_exchange_ends_one_meter_and_starts_the_next() {
        let exchanged_on = date(2022, 9, 14);
        let old = MeterRecord {
            removed_on: Some(exchanged_on),
            ..meter("OLD", 5, date(2011, 5, 10))
        };
        let new = meter("NEW", 5, exchanged_on);
        let readings = [
            reading("OLD", date(2011, 5, 10), m3(0), ReadingSource::Install),
            reading("OLD", date(2022, 6, 30), m3(1_900), ReadingSource::Reader),
            reading("OLD", exchanged_on, m3(1_940), ReadingSource::Removal),
            reading(
                "NEW",
                exchanged_on,
                Volume::from_litres(500),
                ReadingSource::Install,
            ),
            reading(
                "NEW",
                date(2022, 12, 31),
                Volume::from_litres(50_500),
                ReadingSource::Reader,
            ),
        ];
        let result = intervals(&[old, new], &readings, &Plausibility::default());
        assert!(result.anomalies.is_empty());
        let found: Vec<_> = result
            .intervals
            .iter()
            .map(|i| (i.meter.as_str(), i.from, i.to, i.consumption))
            .collect();
        assert_eq!(
            found,
            [
                ("OLD", date(2011, 5, 10), date(2022, 6, 30), m3(1_900)),
                ("OLD", date(2022, 6, 30), exchanged_on, m3(40)),
                ("NEW", exchanged_on, date(2022, 12, 31), m3(50)),
            ]
        );
        let september = per_period(
            &result.intervals,
            Period::Month,
            date(2022, 9, 1)..=date(2022, 9, 30),
        );
        // 14 of the old meter's 76 days and 16 of the new one's 108 days.
        let old_part = 40_000 * 76 / 76 - 40_000 * 62 / 76;
        let new_part = 50_000 * 16 / 108;
        assert_eq!(
            figures(&september),
            [Some(Volume::from_litres(old_part + new_part))]
        );
        assert_eq!(september[0].covered_days, 30);
    }

    #[test]
    fn a_four_digit_dial_rolls_over() {
        let result = of_one_meter(
            4,
            &[
                (date(2023, 1, 1), m3(9_600)),
                (date(2023, 7, 1), m3(9_950)),
                (date(2023, 9, 1), m3(30)),
            ],
        );
        assert!(result.anomalies.is_empty());
        let last = &result.intervals[1];
        assert_eq!((last.consumption, last.rolled_over), (m3(80), true));
        assert!(!result.intervals[0].rolled_over);

        // Without history, the cap decides: 80 m³ in 62 days is below 10 m³ a day.
        let alone = of_one_meter(
            4,
            &[(date(2023, 7, 1), m3(9_950)), (date(2023, 9, 1), m3(30))],
        );
        assert_eq!(alone.intervals[0].consumption, m3(80));
    }

    #[test]
    fn an_implausible_roll_over_is_an_anomaly() {
        // About 2 m³ a month, then a fall that would mean 99 900 m³ on a five-digit dial.
        let result = of_one_meter(
            5,
            &[
                (date(2023, 1, 31), m3(1_000)),
                (date(2023, 2, 28), m3(1_002)),
                (date(2023, 3, 31), m3(1_004)),
                (date(2023, 4, 30), m3(904)),
                (date(2023, 5, 31), m3(906)),
            ],
        );
        assert_eq!(
            result.anomalies,
            [Anomaly::Fall {
                meter: "A".into(),
                from: date(2023, 3, 31),
                to: date(2023, 4, 30),
                previous: m3(1_004),
                value: m3(904),
            }]
        );
        assert_eq!(result.intervals.len(), 3);
        let months = per_period(
            &result.intervals,
            Period::Month,
            date(2023, 3, 1)..=date(2023, 5, 31),
        );
        assert_eq!(figures(&months), [Some(m3(2)), None, Some(m3(2))]);

        // Against the usual, a roll-over three times as fast as before is the most allowed.
        let usual_then_fast = |to_value| {
            of_one_meter(
                4,
                &[
                    (date(2023, 1, 1), m3(9_500)),
                    (date(2023, 1, 11), m3(9_800)),
                    (date(2023, 1, 21), to_value),
                ],
            )
        };
        assert_eq!(usual_then_fast(m3(700)).intervals[1].consumption, m3(900));
        assert_eq!(
            usual_then_fast(Volume::from_litres(700_001))
                .anomalies
                .len(),
            1
        );

        // Without history: 80 m³ in a day is more than the cap.
        let alone = of_one_meter(
            4,
            &[(date(2023, 7, 1), m3(9_950)), (date(2023, 7, 2), m3(30))],
        );
        assert!(alone.intervals.is_empty());
        assert_eq!(alone.anomalies.len(), 1);
    }

    #[test]
    fn an_estimate_above_the_next_reading_is_an_anomaly() {
        let records = [
            reading("A", date(2023, 1, 31), m3(1_000), ReadingSource::Reader),
            reading("A", date(2023, 4, 30), m3(1_060), ReadingSource::Estimate),
            reading("A", date(2023, 7, 31), m3(1_050), ReadingSource::Reader),
        ];
        let result = intervals(
            &[meter("A", 5, date(2020, 1, 1))],
            &records,
            &Plausibility::default(),
        );
        assert_eq!(result.intervals.len(), 1);
        assert!(matches!(result.anomalies[..], [Anomaly::Fall { .. }]));
    }

    #[test]
    fn of_one_day_one_reading_counts_by_source() {
        let a = meter("A", 5, date(2023, 1, 1));
        let day = date(2023, 2, 1);
        let start = reading("A", date(2023, 1, 1), m3(0), ReadingSource::Install);
        let with = |others: &[(ReadingSource, i64)]| {
            let mut records = vec![start.clone()];
            records.extend(
                others
                    .iter()
                    .map(|(source, value)| reading("A", day, m3(*value), *source)),
            );
            intervals(std::slice::from_ref(&a), &records, &Plausibility::default()).intervals[0]
                .consumption
        };
        use ReadingSource::*;
        assert_eq!(with(&[(Estimate, 9), (Reader, 5), (Customer, 7)]), m3(5));
        assert_eq!(with(&[(Customer, 7), (Estimate, 9)]), m3(7));
        assert_eq!(with(&[(Reader, 5), (Removal, 6)]), m3(6));
        assert_eq!(with(&[(Install, 4), (Reader, 5)]), m3(4));
        assert_eq!(with(&[(Install, 4), (Removal, 6)]), m3(6));
    }

    #[test]
    fn readings_outside_the_meter_life_and_of_other_meters() {
        let a = MeterRecord {
            removed_on: Some(date(2023, 6, 30)),
            ..meter("A", 5, date(2023, 1, 1))
        };
        let records = [
            reading("A", date(2022, 12, 31), m3(0), ReadingSource::Reader),
            reading("A", date(2023, 1, 1), m3(0), ReadingSource::Install),
            reading("A", date(2023, 6, 30), m3(60), ReadingSource::Removal),
            reading("A", date(2023, 7, 1), m3(61), ReadingSource::Reader),
            reading("B", date(2023, 3, 1), m3(5), ReadingSource::Reader),
        ];
        let result = intervals(&[a], &records, &Plausibility::default());
        assert_eq!(result.intervals.len(), 1);
        assert_eq!(
            result.anomalies,
            [
                Anomaly::OutsideMeterLife {
                    meter: "A".into(),
                    read_on: date(2022, 12, 31)
                },
                Anomaly::OutsideMeterLife {
                    meter: "A".into(),
                    read_on: date(2023, 7, 1)
                },
            ]
        );
    }

    #[test]
    fn the_usual_daily_consumption() {
        assert_eq!(usual_daily(&[]), None);
        // Short history: all of it.
        let short = [interval(
            date(2023, 1, 1),
            date(2023, 1, 4),
            Volume::from_litres(1_000),
        )];
        assert_eq!(usual_daily(&short), Some(Volume::from_litres(333)));
        // Only the last 365 days count: 2022 drops out of a window that starts on 1 January 2023.
        let long = [
            interval(date(2021, 12, 31), date(2022, 12, 31), m3(3_650)),
            interval(date(2022, 12, 31), date(2023, 12, 31), m3(146)),
        ];
        assert_eq!(usual_daily(&long), Some(Volume::from_litres(400)));
        // A gap counts for nothing; two meters at once add up.
        let gap_and_two = [
            interval(date(2023, 1, 1), date(2023, 1, 11), m3(5)),
            interval(date(2023, 6, 1), date(2023, 6, 11), m3(3)),
            Interval {
                meter: "B".into(),
                ..interval(date(2023, 6, 1), date(2023, 6, 11), m3(2))
            },
        ];
        assert_eq!(usual_daily(&gap_and_two), Some(Volume::from_litres(500)));
    }

    #[test]
    fn calendar_periods() {
        let day = date(2024, 8, 17);
        let month = CalendarPeriod::containing(Period::Month, day);
        assert_eq!(
            (month.first_day(), month.last_day(), month.days()),
            (date(2024, 8, 1), date(2024, 8, 31), 31)
        );
        let quarter = CalendarPeriod::containing(Period::Quarter, day);
        assert_eq!(
            (quarter.first_day(), quarter.last_day(), quarter.quarter()),
            (date(2024, 7, 1), date(2024, 9, 30), 3)
        );
        let year = CalendarPeriod::containing(Period::Year, day);
        assert_eq!(
            (year.first_day(), year.last_day(), year.days(), year.year()),
            (date(2024, 1, 1), date(2024, 12, 31), 366, 2024)
        );
        assert_eq!(year.next().first_day(), date(2025, 1, 1));
        assert_eq!(
            CalendarPeriod::containing(Period::Quarter, date(2023, 12, 31))
                .next()
                .first_day(),
            date(2024, 1, 1)
        );
    }

    #[test]
    fn the_default_range_is_three_years_of_whole_periods() {
        let today = date(2024, 5, 10);
        for (period, count, first) in [
            (Period::Month, 36, date(2021, 6, 1)),
            (Period::Quarter, 12, date(2021, 7, 1)),
            (Period::Year, 3, date(2022, 1, 1)),
        ] {
            let range = default_range(period, today);
            assert_eq!(range, first..=today);
            assert_eq!(per_period(&[], period, range).len(), count, "{period:?}");
        }
    }

    /// A meter's readings: a start and steps of (days later, litres more).
    fn rising_readings() -> impl Strategy<Value = Vec<(NaiveDate, Volume)>> {
        (
            0u64..4000,
            prop::collection::vec((1u64..400, 0i64..2_000_000), 1..20),
        )
            .prop_map(|(start, steps)| {
                let mut day = date(2012, 1, 1) + Days::new(start);
                let mut litres = 0;
                let mut readings = vec![(day, Volume::from_litres(litres))];
                for (days, more) in steps {
                    day = day + Days::new(days);
                    litres += more;
                    readings.push((day, Volume::from_litres(litres)));
                }
                readings
            })
    }

    fn any_period() -> impl Strategy<Value = Period> {
        prop_oneof![
            Just(Period::Month),
            Just(Period::Quarter),
            Just(Period::Year)
        ]
    }

    proptest! {
        #[test]
        fn the_periods_add_up_to_the_intervals(readings in rising_readings(), period in any_period()) {
            let result = of_one_meter(5, &readings);
            prop_assert!(result.anomalies.is_empty());
            prop_assert_eq!(result.intervals.len(), readings.len() - 1);
            let (first, last) = (readings[0], readings[readings.len() - 1]);
            let periods = per_period(&result.intervals, period, first.0..=last.0);
            let total: i64 = periods.iter().filter_map(|p| p.consumption).map(Volume::litres).sum();
            prop_assert_eq!(total, last.1.litres() - first.1.litres());
            let covered: i64 = periods.iter().map(|p| i64::from(p.covered_days)).sum();
            prop_assert_eq!(covered, (last.0 - first.0).num_days());
            for p in &periods {
                prop_assert_eq!(p.consumption.is_none(), p.covered_days == 0);
                prop_assert!(p.covered_days <= p.period.days());
            }
        }

        #[test]
        fn each_month_gets_its_share_to_the_litre(readings in rising_readings()) {
            let result = of_one_meter(5, &readings);
            for interval in &result.intervals {
                let months = per_period(std::slice::from_ref(interval), Period::Month, interval.from..=interval.to);
                for month in months.iter().filter(|m| m.covered_days > 0) {
                    let exact = i128::from(interval.consumption.litres()) * i128::from(month.covered_days);
                    let part = i128::from(month.consumption.unwrap().litres()) * i128::from(interval.days());
                    prop_assert!((part - exact).abs() < i128::from(interval.days()));
                }
            }
        }

        #[test]
        fn lesser_sources_on_the_same_day_change_nothing(
            readings in rising_readings(),
            others in prop::collection::vec((any::<prop::sample::Index>(), 0i64..10_000_000, prop_oneof![Just(ReadingSource::Customer), Just(ReadingSource::Estimate)]), 0..10),
        ) {
            let a = meter("A", 5, date(2000, 1, 1));
            let mut records: Vec<_> = readings.iter().map(|(day, value)| reading("A", *day, *value, ReadingSource::Reader)).collect();
            let plain = intervals(std::slice::from_ref(&a), &records, &Plausibility::default());
            for (index, litres, source) in others {
                let day = index.get(&readings).0;
                records.insert(0, reading("A", day, Volume::from_litres(litres), source));
            }
            prop_assert_eq!(intervals(&[a], &records, &Plausibility::default()), plain);
        }

        #[test]
        fn nothing_is_counted_across_an_exchange(old in rising_readings(), new in rising_readings(), gap in 0u64..100) {
            let removed_on = old[old.len() - 1].0;
            let installed_on = removed_on + Days::new(gap);
            let shift = installed_on - new[0].0;
            let new: Vec<_> = new.iter().map(|(day, value)| (*day + shift, *value)).collect();
            let meters = [
                MeterRecord { removed_on: Some(removed_on), ..meter("OLD", 5, old[0].0) },
                meter("NEW", 5, installed_on),
            ];
            let records: Vec<_> = old.iter().map(|(day, value)| reading("OLD", *day, *value, ReadingSource::Reader))
                .chain(new.iter().map(|(day, value)| reading("NEW", *day, Volume::from_litres(value.litres() + 500), ReadingSource::Reader)))
                .collect();
            let result = intervals(&meters, &records, &Plausibility::default());
            prop_assert!(result.anomalies.is_empty());
            prop_assert_eq!(result.intervals.len(), old.len() + new.len() - 2);
            for (serial, readings) in [("OLD", &old), ("NEW", &new)] {
                let of_meter: Vec<_> = result.intervals.iter().filter(|i| i.meter == serial).collect();
                prop_assert!(of_meter.iter().all(|i| readings[0].0 <= i.from && i.to <= readings[readings.len() - 1].0));
                let total: i64 = of_meter.iter().map(|i| i.consumption.litres()).sum();
                prop_assert_eq!(total, readings[readings.len() - 1].1.litres() - readings[0].1.litres());
            }
        }
    }
}
