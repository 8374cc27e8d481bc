//! The checks of a meter reading a customer submits (SPEC §3.11). Each broken rule is a
//! problem with a message of its own (`locales/*/reading.ftl`); a believable reading that
//! implies far more consumption than usual passes only once the customer confirms it.

use chrono::{Datelike, Months, NaiveDate};

use super::consumption::{Dial, Plausibility};
use super::dates;
use super::decimal::DecimalError;
use super::quantity::Volume;

/// The days of the month on which readings may be dated, e.g. the 25th to the 5th.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingWindow {
    from_day: u32,
    to_day: u32,
}

impl ReadingWindow {
    /// Days of the month, 1 to 31; a `from_day` after `to_day` reaches into the next month.
    pub fn new(from_day: u32, to_day: u32) -> Option<Self> {
        let day = 1..=31;
        (day.contains(&from_day) && day.contains(&to_day))
            .then_some(ReadingWindow { from_day, to_day })
    }

    pub fn from_day(self) -> u32 {
        self.from_day
    }

    pub fn to_day(self) -> u32 {
        self.to_day
    }

    /// Whether the window reaches into the next month.
    pub fn wraps(self) -> bool {
        self.from_day > self.to_day
    }

    /// A `from_day` past the end of a short month stands for its last day, so that "the 30th
    /// to the 5th" opens on 28 February.
    pub fn contains(self, day: NaiveDate) -> bool {
        let first_of_month = super::consumption::first_of_month(day);
        let month_days = (first_of_month + Months::new(1) - first_of_month).num_days();
        let from_day = self
            .from_day
            .min(u32::try_from(month_days).unwrap_or(u32::MAX));
        if self.wraps() {
            day.day() >= from_day || day.day() <= self.to_day
        } else {
            from_day <= day.day() && day.day() <= self.to_day
        }
    }
}

/// The reminder of the reading window due on a day (SPEC §3.15): when the window opens, and
/// two days before it closes. A run that starts late (after a restart) sends the one due then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderDue {
    Opening { opened_on: NaiveDate },
    Closing { opened_on: NaiveDate },
}

impl ReminderDue {
    /// The window's first day, from which on a submission counts.
    pub fn opened_on(self) -> NaiveDate {
        match self {
            ReminderDue::Opening { opened_on } | ReminderDue::Closing { opened_on } => opened_on,
        }
    }

    /// What makes the reminder one of its own, e.g. `2026-11-25:closing`.
    pub fn occasion(self) -> String {
        match self {
            ReminderDue::Opening { opened_on } => format!("{opened_on}:opening"),
            ReminderDue::Closing { opened_on } => format!("{opened_on}:closing"),
        }
    }
}

/// How many days before its last the window's second reminder goes.
const CLOSING_REMINDER_DAYS: i64 = 2;

impl ReadingWindow {
    /// The first and the last day of the window `day` lies in; `None` outside one.
    pub fn around(self, day: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        if !self.contains(day) {
            return None;
        }
        let first_of_month = super::consumption::first_of_month(day);
        let opened_in = if self.wraps() && day.day() <= self.to_day {
            first_of_month - Months::new(1)
        } else {
            first_of_month
        };
        let closed_in = if self.wraps() {
            opened_in + Months::new(1)
        } else {
            opened_in
        };
        Some((
            day_of_month(opened_in, self.from_day),
            day_of_month(closed_in, self.to_day),
        ))
    }

    /// The reminder due on `today`, if the window is open: the closing one from two days
    /// before its last day (when that is after its first), else the opening one.
    pub fn reminder_due(self, today: NaiveDate) -> Option<ReminderDue> {
        let (opened_on, closes_on) = self.around(today)?;
        let closing_from = closes_on - chrono::Duration::days(CLOSING_REMINDER_DAYS);
        if closing_from > opened_on && today >= closing_from {
            Some(ReminderDue::Closing { opened_on })
        } else {
            Some(ReminderDue::Opening { opened_on })
        }
    }
}

/// Day `day` of the month beginning `first_of_month`, or its last day when it is shorter.
fn day_of_month(first_of_month: NaiveDate, day: u32) -> NaiveDate {
    let last = (first_of_month + Months::new(1))
        .pred_opt()
        .unwrap_or(first_of_month);
    first_of_month.with_day(day.min(last.day())).unwrap_or(last)
}

/// What the checks need to know besides the submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubmissionContext {
    pub today: NaiveDate,
    pub dial: Dial,
    /// The meter's latest reading, of any source, other than a submission this one replaces.
    pub last_reading: Option<(NaiveDate, Volume)>,
    /// The point's usual daily consumption (`consumption::usual_daily`); where several meters
    /// are active at once, the meter's own is the stricter.
    pub usual_daily: Option<Volume>,
    pub window: Option<ReadingWindow>,
    pub plausibility: Plausibility,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadingProblem {
    Missing,
    /// Negative numbers included: a dial shows none.
    NotANumber,
    /// More decimals than the dial shows.
    TooManyDecimals {
        decimals: u8,
    },
    /// At or past 10^digits m³.
    OutOfDialRange {
        max: Volume,
    },
    InFuture,
    BeforeLastReading {
        last_date: NaiveDate,
    },
    /// Below the last reading, and not a plausible roll-over.
    BelowLastReading {
        last_date: NaiveDate,
        last_value: Volume,
    },
    OutsideWindow {
        window: ReadingWindow,
    },
}

impl ReadingProblem {
    pub fn message_id(&self) -> &'static str {
        match self {
            ReadingProblem::Missing => "reading-missing",
            ReadingProblem::NotANumber => "reading-not-a-number",
            ReadingProblem::TooManyDecimals { .. } => "reading-too-many-decimals",
            ReadingProblem::OutOfDialRange { .. } => "reading-out-of-dial-range",
            ReadingProblem::InFuture => "reading-in-future",
            ReadingProblem::BeforeLastReading { .. } => "reading-before-last",
            ReadingProblem::BelowLastReading { .. } => "reading-below-last",
            ReadingProblem::OutsideWindow { .. } => "reading-outside-window",
        }
    }

    /// The arguments of [`Self::message_id`], formatted the Slovenian way in both languages.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            ReadingProblem::Missing | ReadingProblem::NotANumber | ReadingProblem::InFuture => {
                vec![]
            }
            ReadingProblem::TooManyDecimals { decimals } => {
                vec![("example", example_value(*decimals))]
            }
            ReadingProblem::OutOfDialRange { max } => vec![("max", max.format_sl())],
            ReadingProblem::BeforeLastReading { last_date } => {
                vec![("last_date", dates::format_sl(*last_date))]
            }
            ReadingProblem::BelowLastReading {
                last_date,
                last_value,
            } => vec![
                ("last_date", dates::format_sl(*last_date)),
                ("last_value", last_value.format_sl()),
            ],
            ReadingProblem::OutsideWindow { window } => vec![
                ("from_day", window.from_day.to_string()),
                ("to_day", window.to_day.to_string()),
                (
                    "wraps",
                    if window.wraps() { "yes" } else { "no" }.to_owned(),
                ),
            ],
        }
    }
}

/// A value written as a dial of `decimals` shows it, e.g. `1234,567` or `1234`.
fn example_value(decimals: u8) -> String {
    let example = "1234,567";
    match decimals.min(3) {
        0 => "1234".to_owned(),
        shown => example[..5 + usize::from(shown)].to_owned(),
    }
}

/// A value as the customer types it: m³ with a decimal comma or point, within the dial and with
/// no more decimals than it shows (trailing zeros are fine).
pub fn parse_reading(text: &str, dial: Dial) -> Result<Volume, ReadingProblem> {
    let too_many_decimals = ReadingProblem::TooManyDecimals {
        decimals: dial.decimals.min(3),
    };
    let value = Volume::parse(text).map_err(|error| match error {
        DecimalError::Empty => ReadingProblem::Missing,
        DecimalError::NotANumber | DecimalError::Negative => ReadingProblem::NotANumber,
        DecimalError::TooManyDecimals { .. } => too_many_decimals,
        DecimalError::OutOfRange => ReadingProblem::OutOfDialRange {
            max: dial.max_value(),
        },
    })?;
    if value >= dial.capacity() {
        return Err(ReadingProblem::OutOfDialRange {
            max: dial.max_value(),
        });
    }
    if value.litres() % dial.resolution().litres() != 0 {
        return Err(too_many_decimals);
    }
    Ok(value)
}

/// The consumption a submission implies since the last reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SinceLast {
    pub last_date: NaiveDate,
    pub consumption: Volume,
    /// 0 for a reading on the day of the last one.
    pub days: i64,
    pub rolled_over: bool,
}

impl SinceLast {
    /// Per day to the nearest litre, a reading on the day of the last one counting as one day.
    pub fn daily(&self) -> Volume {
        let days = i128::from(self.days.max(1));
        let litres = (2 * i128::from(self.consumption.litres()) + days) / (2 * days);
        // At most the consumption, which is an i64.
        Volume::from_litres(i64::try_from(litres).unwrap_or(i64::MAX))
    }
}

/// A believable submission that implies more than the plausible consumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HighConsumption {
    pub since_last: SinceLast,
    pub usual_daily: Option<Volume>,
    pub plausibility: Plausibility,
}

impl HighConsumption {
    /// Shown with the confirmation: what to check if the reading is right.
    pub const LEAK_HINT_ID: &'static str = "reading-leak-hint";

    pub fn message_id(&self) -> &'static str {
        match self.usual_daily {
            Some(_) => "reading-confirm-above-usual",
            None => "reading-confirm-high",
        }
    }

    /// The arguments of [`Self::message_id`].
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let mut args = vec![
            ("last_date", dates::format_sl(self.since_last.last_date)),
            ("consumption", self.since_last.consumption.format_sl()),
            ("daily", self.since_last.daily().format_sl()),
        ];
        match self.usual_daily {
            Some(usual) => {
                args.push(("usual", usual.format_sl()));
                args.push(("factor", self.plausibility.factor.to_string()));
            }
            None => args.push((
                "cap",
                self.plausibility.daily_cap_without_history.format_sl(),
            )),
        }
        args
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// `since_last` is `None` for a meter's first reading.
    Ok { since_last: Option<SinceLast> },
    /// Store it only once the customer confirms.
    NeedsConfirmation(HighConsumption),
}

/// Checks a reading of `value` (as typed) dated `date`; every problem found, in the order of
/// the form (date, then value). A reading on the day of the last one is allowed; a value
/// below the last is compared only for a date not before it.
pub fn check_submission(
    context: &SubmissionContext,
    date: NaiveDate,
    value: &str,
) -> Result<Verdict, Vec<ReadingProblem>> {
    let mut problems = Vec::new();
    if date > context.today {
        problems.push(ReadingProblem::InFuture);
    }
    let last = match context.last_reading {
        Some((last_date, _)) if date < last_date => {
            problems.push(ReadingProblem::BeforeLastReading { last_date });
            None
        }
        last => last,
    };
    if let Some(window) = context.window
        && !window.contains(date)
    {
        problems.push(ReadingProblem::OutsideWindow { window });
    }
    let since_last = match (parse_reading(value, context.dial), last) {
        (Err(problem), _) => {
            problems.push(problem);
            None
        }
        (Ok(_), None) => None,
        (Ok(value), Some((last_date, last_value))) => {
            let since_last = since_last(context, last_date, last_value, date, value);
            if since_last.is_none() {
                problems.push(ReadingProblem::BelowLastReading {
                    last_date,
                    last_value,
                });
            }
            since_last
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(match since_last {
        Some(since_last)
            if !context.plausibility.allows(
                since_last.consumption,
                since_last.days,
                context.usual_daily,
            ) =>
        {
            Verdict::NeedsConfirmation(HighConsumption {
                since_last,
                usual_daily: context.usual_daily,
                plausibility: context.plausibility,
            })
        }
        since_last => Verdict::Ok { since_last },
    })
}

/// The consumption from the last reading to `value`; `None` for a fall that is not a
/// plausible roll-over.
fn since_last(
    context: &SubmissionContext,
    last_date: NaiveDate,
    last_value: Volume,
    date: NaiveDate,
    value: Volume,
) -> Option<SinceLast> {
    let days = (date - last_date).num_days();
    let since_last = |consumption, rolled_over| SinceLast {
        last_date,
        consumption,
        days,
        rolled_over,
    };
    if value >= last_value {
        let consumption = Volume::from_litres(value.litres() - last_value.litres());
        return Some(since_last(consumption, false));
    }
    let consumption = context.dial.roll_over(last_value, value)?;
    context
        .plausibility
        .allows(consumption, days, context.usual_daily)
        .then(|| since_last(consumption, true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;
    use proptest::prelude::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn m3(m3: i64) -> Volume {
        Volume::from_litres(m3 * 1000)
    }

    fn litres(litres: i64) -> Volume {
        Volume::from_litres(litres)
    }

    const FIVE_DIGITS: Dial = Dial {
        digits: 5,
        decimals: 3,
    };

    /// 30 days since the last reading at 1 000 m³, usually 400 L a day: up to 36 m³ passes.
    fn context() -> SubmissionContext {
        SubmissionContext {
            today: date(2024, 3, 10),
            dial: FIVE_DIGITS,
            last_reading: Some((date(2024, 2, 9), m3(1_000))),
            usual_daily: Some(litres(400)),
            window: None,
            plausibility: Plausibility::default(),
        }
    }

    fn ok(
        consumption: Volume,
        days: i64,
        rolled_over: bool,
        last_date: NaiveDate,
    ) -> Result<Verdict, Vec<ReadingProblem>> {
        Ok(Verdict::Ok {
            since_last: Some(SinceLast {
                last_date,
                consumption,
                days,
                rolled_over,
            }),
        })
    }

    #[test]
    fn parses_what_customers_type() {
        let dial = FIVE_DIGITS;
        assert_eq!(parse_reading("1234,567", dial), Ok(litres(1_234_567)));
        assert_eq!(parse_reading("1234.567", dial), Ok(litres(1_234_567)));
        assert_eq!(parse_reading(" 12 ", dial), Ok(m3(12)));
        assert_eq!(parse_reading("0", dial), Ok(litres(0)));
        assert_eq!(parse_reading("99999,999", dial), Ok(litres(99_999_999)));
        assert_eq!(parse_reading("", dial), Err(ReadingProblem::Missing));
        assert_eq!(parse_reading("  ", dial), Err(ReadingProblem::Missing));
        for text in ["abc", "-1", "1.234,5", "1 234", "12,", ",5", "1e3"] {
            assert_eq!(
                parse_reading(text, dial),
                Err(ReadingProblem::NotANumber),
                "{text}"
            );
        }
        assert_eq!(
            parse_reading("1,2345", dial),
            Err(ReadingProblem::TooManyDecimals { decimals: 3 })
        );
        let max = ReadingProblem::OutOfDialRange {
            max: litres(99_999_999),
        };
        assert_eq!(parse_reading("100000", dial), Err(max));
        assert_eq!(parse_reading("99999999999999999999", dial), Err(max));
    }

    #[test]
    fn decimals_as_the_dial_shows_them() {
        let one_decimal = Dial {
            digits: 5,
            decimals: 1,
        };
        assert_eq!(parse_reading("12,5", one_decimal), Ok(litres(12_500)));
        assert_eq!(parse_reading("12,500", one_decimal), Ok(litres(12_500)));
        assert_eq!(
            parse_reading("12,25", one_decimal),
            Err(ReadingProblem::TooManyDecimals { decimals: 1 })
        );
        let whole = Dial {
            digits: 4,
            decimals: 0,
        };
        assert_eq!(parse_reading("12,0", whole), Ok(m3(12)));
        assert_eq!(
            parse_reading("12,5", whole),
            Err(ReadingProblem::TooManyDecimals { decimals: 0 })
        );
        assert_eq!(
            parse_reading("10000", whole),
            Err(ReadingProblem::OutOfDialRange { max: m3(9_999) })
        );
    }

    #[test]
    fn an_ordinary_reading_passes() {
        let context = context();
        assert_eq!(
            check_submission(&context, context.today, "1012,5"),
            ok(litres(12_500), 30, false, date(2024, 2, 9))
        );
        // The first reading of a meter has nothing to compare with.
        let first = SubmissionContext {
            last_reading: None,
            ..context
        };
        assert_eq!(
            check_submission(&first, context.today, "5"),
            Ok(Verdict::Ok { since_last: None })
        );
    }

    #[test]
    fn far_above_the_usual_asks_to_confirm() {
        let context = context();
        assert_eq!(
            check_submission(&context, context.today, "1036"),
            ok(m3(36), 30, false, date(2024, 2, 9))
        );
        let Ok(Verdict::NeedsConfirmation(high)) =
            check_submission(&context, context.today, "1036,001")
        else {
            panic!("not a confirmation");
        };
        assert_eq!(high.since_last.consumption, litres(36_001));
        assert_eq!(high.since_last.daily(), litres(1_200));
        assert_eq!(high.usual_daily, Some(litres(400)));
        assert_eq!(high.message_id(), "reading-confirm-above-usual");

        // Without history, more than 10 m³ a day.
        let new_point = SubmissionContext {
            usual_daily: None,
            ..context
        };
        assert!(matches!(
            check_submission(&new_point, context.today, "1300"),
            Ok(Verdict::Ok { .. })
        ));
        let Ok(Verdict::NeedsConfirmation(high)) =
            check_submission(&new_point, context.today, "1300,001")
        else {
            panic!("not a confirmation");
        };
        assert_eq!(high.message_id(), "reading-confirm-high");
    }

    #[test]
    fn the_day_of_the_last_reading_is_allowed() {
        let context = context();
        let last_date = date(2024, 2, 9);
        assert_eq!(
            check_submission(&context, last_date, "1000"),
            ok(litres(0), 0, false, last_date)
        );
        // As one day: 3 × 400 L.
        assert_eq!(
            check_submission(&context, last_date, "1001,2"),
            ok(litres(1_200), 0, false, last_date)
        );
        assert!(matches!(
            check_submission(&context, last_date, "1001,201"),
            Ok(Verdict::NeedsConfirmation(_))
        ));
    }

    #[test]
    fn not_in_the_future() {
        let context = context();
        assert!(check_submission(&context, context.today, "1001").is_ok());
        assert_eq!(
            check_submission(&context, context.today + Days::new(1), "1001"),
            Err(vec![ReadingProblem::InFuture])
        );
    }

    #[test]
    fn not_before_the_last_reading() {
        let context = context();
        let last_date = date(2024, 2, 9);
        // The value is not compared with a reading that is not earlier.
        assert_eq!(
            check_submission(&context, last_date - Days::new(1), "900"),
            Err(vec![ReadingProblem::BeforeLastReading { last_date }])
        );
    }

    #[test]
    fn not_below_the_last_reading() {
        let context = context();
        assert_eq!(
            check_submission(&context, context.today, "999,999"),
            Err(vec![ReadingProblem::BelowLastReading {
                last_date: date(2024, 2, 9),
                last_value: m3(1_000)
            }])
        );
    }

    #[test]
    fn unless_a_roll_over_is_plausible() {
        let four_digits = SubmissionContext {
            dial: Dial {
                digits: 4,
                decimals: 3,
            },
            last_reading: Some((date(2024, 2, 9), m3(9_990))),
            ..context()
        };
        let today = four_digits.today;
        assert_eq!(
            check_submission(&four_digits, today, "26"),
            ok(m3(36), 30, true, date(2024, 2, 9))
        );
        assert_eq!(
            check_submission(&four_digits, today, "26,001"),
            Err(vec![ReadingProblem::BelowLastReading {
                last_date: date(2024, 2, 9),
                last_value: m3(9_990)
            }])
        );
        // Without history, up to 10 m³ a day.
        let no_history = SubmissionContext {
            usual_daily: None,
            ..four_digits
        };
        assert_eq!(
            check_submission(&no_history, today, "290"),
            ok(m3(300), 30, true, date(2024, 2, 9))
        );
        assert!(check_submission(&no_history, today, "290,001").is_err());
    }

    #[test]
    fn every_problem_at_once_in_the_order_of_the_form() {
        let context = SubmissionContext {
            window: ReadingWindow::new(25, 5),
            ..context()
        };
        assert_eq!(
            check_submission(&context, date(2024, 3, 12), "tisoč"),
            Err(vec![
                ReadingProblem::InFuture,
                ReadingProblem::OutsideWindow {
                    window: ReadingWindow::new(25, 5).unwrap()
                },
                ReadingProblem::NotANumber,
            ])
        );
        assert_eq!(
            check_submission(&context, date(2024, 2, 8), "100000"),
            Err(vec![
                ReadingProblem::BeforeLastReading {
                    last_date: date(2024, 2, 9)
                },
                ReadingProblem::OutsideWindow {
                    window: ReadingWindow::new(25, 5).unwrap()
                },
                ReadingProblem::OutOfDialRange {
                    max: litres(99_999_999)
                },
            ])
        );
    }

    #[test]
    fn the_reading_window() {
        assert_eq!(ReadingWindow::new(0, 5), None);
        assert_eq!(ReadingWindow::new(25, 32), None);
        let first_ten = ReadingWindow::new(1, 10).unwrap();
        assert!(!first_ten.wraps());
        assert!(first_ten.contains(date(2024, 3, 1)) && first_ten.contains(date(2024, 3, 10)));
        assert!(!first_ten.contains(date(2024, 3, 11)) && !first_ten.contains(date(2024, 2, 29)));

        let month_end = ReadingWindow::new(25, 5).unwrap();
        assert!(month_end.wraps());
        for inside in [
            date(2024, 1, 25),
            date(2024, 1, 31),
            date(2024, 2, 1),
            date(2024, 2, 5),
            date(2023, 12, 31),
            date(2024, 1, 1),
        ] {
            assert!(month_end.contains(inside), "{inside}");
        }
        for outside in [date(2024, 1, 24), date(2024, 2, 6), date(2024, 2, 15)] {
            assert!(!month_end.contains(outside), "{outside}");
        }

        // A day past the end of a short month stands for its last day.
        let from_the_30th = ReadingWindow::new(30, 5).unwrap();
        assert!(from_the_30th.contains(date(2023, 2, 28)));
        assert!(!from_the_30th.contains(date(2023, 2, 27)));
        assert!(from_the_30th.contains(date(2024, 2, 29)));
        assert!(!from_the_30th.contains(date(2024, 2, 28)));
        let from_the_31st = ReadingWindow::new(31, 5).unwrap();
        assert!(from_the_31st.contains(date(2024, 4, 30)));
        assert!(!from_the_31st.contains(date(2024, 5, 30)));
        assert!(from_the_31st.contains(date(2024, 5, 31)));
    }

    #[test]
    fn the_window_around_a_day() {
        let month_end = ReadingWindow::new(25, 5).unwrap();
        assert_eq!(
            month_end.around(date(2024, 1, 27)),
            Some((date(2024, 1, 25), date(2024, 2, 5)))
        );
        assert_eq!(
            month_end.around(date(2024, 1, 3)),
            Some((date(2023, 12, 25), date(2024, 1, 5)))
        );
        assert_eq!(month_end.around(date(2024, 1, 10)), None);
        let from_the_30th = ReadingWindow::new(30, 5).unwrap();
        assert_eq!(
            from_the_30th.around(date(2023, 3, 2)),
            Some((date(2023, 2, 28), date(2023, 3, 5)))
        );
        let to_the_31st = ReadingWindow::new(20, 31).unwrap();
        assert_eq!(
            to_the_31st.around(date(2024, 2, 21)),
            Some((date(2024, 2, 20), date(2024, 2, 29)))
        );
    }

    #[test]
    fn the_reminder_due_on_a_day() {
        let month_end = ReadingWindow::new(25, 5).unwrap();
        let opened_on = date(2024, 1, 25);
        let opening = Some(ReminderDue::Opening { opened_on });
        let closing = Some(ReminderDue::Closing { opened_on });
        assert_eq!(month_end.reminder_due(date(2024, 1, 24)), None);
        assert_eq!(month_end.reminder_due(date(2024, 1, 25)), opening);
        assert_eq!(month_end.reminder_due(date(2024, 2, 2)), opening);
        assert_eq!(month_end.reminder_due(date(2024, 2, 3)), closing);
        assert_eq!(month_end.reminder_due(date(2024, 2, 5)), closing);
        assert_eq!(month_end.reminder_due(date(2024, 2, 6)), None);
        assert_eq!(
            ReminderDue::Closing { opened_on }.occasion(),
            "2024-01-25:closing"
        );
        assert_eq!(
            ReminderDue::Opening { opened_on }.occasion(),
            "2024-01-25:opening"
        );
        // Too short a window for a second reminder.
        let two_days = ReadingWindow::new(1, 2).unwrap();
        assert_eq!(
            two_days.reminder_due(date(2024, 3, 2)),
            Some(ReminderDue::Opening {
                opened_on: date(2024, 3, 1)
            })
        );
    }

    #[test]
    fn a_reading_outside_the_window() {
        let context = SubmissionContext {
            window: ReadingWindow::new(25, 5),
            ..context()
        };
        assert!(check_submission(&context, date(2024, 3, 5), "1001").is_ok());
        assert_eq!(
            check_submission(&context, date(2024, 3, 6), "1001"),
            Err(vec![ReadingProblem::OutsideWindow {
                window: ReadingWindow::new(25, 5).unwrap()
            }])
        );
    }

    #[test]
    fn the_examples_follow_the_dial() {
        assert_eq!(
            [0, 1, 2, 3, 4].map(example_value),
            ["1234", "1234,5", "1234,56", "1234,567", "1234,567"]
        );
    }

    mod messages {
        use fluent_templates::fluent_bundle::{FluentArgs, FluentBundle, FluentResource};

        use super::*;

        fn bundle(lang: &str) -> FluentBundle<FluentResource> {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("locales/{lang}/reading.ftl"));
            let resource = FluentResource::try_new(std::fs::read_to_string(path).unwrap())
                .expect("valid Fluent");
            let mut bundle = FluentBundle::new(vec![lang.parse().unwrap()]);
            bundle.set_use_isolating(false);
            bundle.add_resource(resource).unwrap();
            bundle
        }

        fn render(
            bundle: &FluentBundle<FluentResource>,
            id: &str,
            args: &[(&str, String)],
        ) -> String {
            let pattern = bundle
                .get_message(id)
                .and_then(|message| message.value())
                .unwrap_or_else(|| panic!("no message {id}"));
            let mut fluent_args = FluentArgs::new();
            for (name, value) in args {
                fluent_args.set(*name, value.clone());
            }
            let mut errors = vec![];
            let text = bundle
                .format_pattern(pattern, Some(&fluent_args), &mut errors)
                .into_owned();
            assert!(errors.is_empty(), "{id}: {errors:?}");
            text
        }

        fn one_of_each() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
            let problems = [
                ReadingProblem::Missing,
                ReadingProblem::NotANumber,
                ReadingProblem::TooManyDecimals { decimals: 1 },
                ReadingProblem::OutOfDialRange {
                    max: litres(99_999_999),
                },
                ReadingProblem::InFuture,
                ReadingProblem::BeforeLastReading {
                    last_date: date(2024, 2, 9),
                },
                ReadingProblem::BelowLastReading {
                    last_date: date(2024, 2, 9),
                    last_value: m3(1_000),
                },
                ReadingProblem::OutsideWindow {
                    window: ReadingWindow::new(25, 5).unwrap(),
                },
                ReadingProblem::OutsideWindow {
                    window: ReadingWindow::new(1, 10).unwrap(),
                },
            ];
            let since_last = SinceLast {
                last_date: date(2024, 2, 9),
                consumption: m3(40),
                days: 30,
                rolled_over: false,
            };
            let high = |usual_daily| HighConsumption {
                since_last,
                usual_daily,
                plausibility: Plausibility::default(),
            };
            let mut messages: Vec<_> = problems
                .iter()
                .map(|problem| (problem.message_id(), problem.args()))
                .collect();
            for high in [high(Some(litres(400))), high(None)] {
                messages.push((high.message_id(), high.args()));
            }
            messages.push((HighConsumption::LEAK_HINT_ID, vec![]));
            messages
        }

        #[test]
        fn every_message_renders_with_its_arguments() {
            for lang in ["sl", "en"] {
                let bundle = bundle(lang);
                for (id, args) in one_of_each() {
                    let text = render(&bundle, id, &args);
                    for (name, value) in args.iter().filter(|(name, _)| *name != "wraps") {
                        assert!(
                            text.contains(value.as_str()),
                            "{lang} {id}: no {name} in {text}"
                        );
                    }
                }
            }
        }

        #[test]
        fn in_slovenian() {
            let bundle = bundle("sl");
            let problem = ReadingProblem::BelowLastReading {
                last_date: date(2024, 2, 9),
                last_value: m3(1_000),
            };
            assert_eq!(
                render(&bundle, problem.message_id(), &problem.args()),
                "Števno stanje ne sme biti manjše od zadnjega odčitka (1.000,000\u{a0}m³ dne 9. 2. 2024)."
            );
            let window = ReadingProblem::OutsideWindow {
                window: ReadingWindow::new(25, 5).unwrap(),
            };
            assert_eq!(
                render(&bundle, window.message_id(), &window.args()),
                "Datum odčitka mora biti med 25. dnem v mesecu in 5. dnem naslednjega meseca."
            );
        }
    }

    /// A dial, a last reading on or before `today`, and a day from then to `today`.
    fn setting() -> impl Strategy<Value = (Dial, NaiveDate, NaiveDate, NaiveDate, Volume)> {
        (
            1u8..=6,
            0u8..=3,
            0u64..3000,
            0u64..400,
            0u64..400,
            0.0f64..1.0,
        )
            .prop_map(|(digits, decimals, start, since, after, share)| {
                let dial = Dial { digits, decimals };
                let last_date = date(2015, 1, 1) + Days::new(start);
                let day = last_date + Days::new(since);
                let today = day + Days::new(after);
                let steps = dial.capacity().litres() / dial.resolution().litres();
                let last =
                    Volume::from_litres((steps as f64 * share) as i64 * dial.resolution().litres());
                (dial, last_date, day, today, last)
            })
    }

    fn as_typed(value: Volume, comma: bool) -> String {
        let text = value.to_m3_decimal().to_string();
        if comma { text.replace('.', ",") } else { text }
    }

    proptest! {
        #[test]
        fn a_reading_at_or_above_the_last_passes(
            (dial, last_date, day, today, last) in setting(),
            share in 0.0f64..1.0,
            usual in prop::option::of(0i64..5_000),
            comma: bool,
        ) {
            let steps_left = (dial.max_value().litres() - last.litres()) / dial.resolution().litres();
            let value = Volume::from_litres(last.litres() + (steps_left as f64 * share) as i64 * dial.resolution().litres());
            let context = SubmissionContext {
                today,
                dial,
                last_reading: Some((last_date, last)),
                usual_daily: usual.map(Volume::from_litres),
                window: None,
                plausibility: Plausibility::default(),
            };
            let since_last = match check_submission(&context, day, &as_typed(value, comma)) {
                Ok(Verdict::Ok { since_last: Some(since_last) }) => {
                    prop_assert!(context.plausibility.allows(since_last.consumption, since_last.days, context.usual_daily));
                    since_last
                }
                Ok(Verdict::NeedsConfirmation(high)) => {
                    prop_assert!(!context.plausibility.allows(high.since_last.consumption, high.since_last.days, context.usual_daily));
                    high.since_last
                }
                other => return Err(TestCaseError::fail(format!("{other:?}"))),
            };
            prop_assert_eq!(since_last.consumption.litres(), value.litres() - last.litres());
            prop_assert_eq!(since_last.days, (day - last_date).num_days());
            prop_assert!(!since_last.rolled_over);
        }

        #[test]
        fn dates_out_of_order_are_refused_and_values_not_compared(
            (dial, last_date, day, today, last) in setting(),
            early in 1u64..100,
            late in 1u64..100,
            value in 0i64..1_000_000_000,
        ) {
            let context = SubmissionContext {
                today,
                dial,
                last_reading: Some((day, last)),
                usual_daily: None,
                window: None,
                plausibility: Plausibility::default(),
            };
            let value = as_typed(Volume::from_litres(value), true);
            let problems = check_submission(&context, last_date.min(day) - Days::new(early), &value).unwrap_err();
            let before_last = ReadingProblem::BeforeLastReading { last_date: day };
            let below_last = |p: &ReadingProblem| matches!(p, ReadingProblem::BelowLastReading { .. });
            prop_assert!(problems.contains(&before_last));
            prop_assert!(!problems.iter().any(below_last));
            let problems = check_submission(&context, today + Days::new(late), &value).unwrap_err();
            prop_assert_eq!(problems[0], ReadingProblem::InFuture);
        }

        #[test]
        fn past_the_dial_is_out_of_range((dial, _, day, today, _) in setting(), beyond in 0i64..1_000_000) {
            let context = SubmissionContext {
                today,
                dial,
                last_reading: None,
                usual_daily: None,
                window: None,
                plausibility: Plausibility::default(),
            };
            let value = Volume::from_litres(dial.capacity().litres() + beyond);
            prop_assert_eq!(
                check_submission(&context, day, &as_typed(value, false)),
                Err(vec![ReadingProblem::OutOfDialRange { max: dial.max_value() }])
            );
        }

        #[test]
        fn a_wrapping_window_is_the_rest_of_the_month(to_day in 1u32..27, length in 1u32..27, days in 0u64..5000) {
            // Within 28 days, so that no month is too short for either window.
            let from_day = (to_day + length + 1).min(28);
            prop_assume!(from_day > to_day + 1);
            let wrapping = ReadingWindow::new(from_day, to_day).unwrap();
            let rest = ReadingWindow::new(to_day + 1, from_day - 1).unwrap();
            let day = date(2015, 1, 1) + Days::new(days);
            prop_assert_eq!(wrapping.contains(day), !rest.contains(day));
        }
    }
}
