//! Dates as billing files write them and as Slovenian readers expect them.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("not a date of the form 31.01.2020 or 2020-01-31")]
    Format,
    #[error("no such day in the calendar")]
    NoSuchDay,
}

/// The calendar day of `at` in Slovenia, where the company and its customers live.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&chrono_tz::Europe::Ljubljana).date_naive()
}

/// The first instant of a calendar day in Slovenia. (Clocks there change at 2:00 and 3:00,
/// never at midnight, so the day always begins.)
pub fn start_of_local_day(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(chrono::NaiveTime::MIN)
        .and_local_timezone(chrono_tz::Europe::Ljubljana)
        .earliest()
        .map_or_else(
            || date.and_time(chrono::NaiveTime::MIN).and_utc(),
            |at| at.to_utc(),
        )
}

/// `31.01.2020`, `31.1.2020` or `2020-01-31`, surrounding spaces ignored.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let text = text.trim();
    let (year, month, day) = if let Some((year, rest)) = text.split_once('-') {
        let (month, day) = rest.split_once('-').ok_or(DateError::Format)?;
        (
            number(year, 4..=4)?,
            number(month, 2..=2)?,
            number(day, 2..=2)?,
        )
    } else {
        let mut parts = text.split('.');
        let (Some(day), Some(month), Some(year), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DateError::Format);
        };
        (
            number(year, 4..=4)?,
            number(month, 1..=2)?,
            number(day, 1..=2)?,
        )
    };
    i32::try_from(year)
        .ok()
        .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
        .ok_or(DateError::NoSuchDay)
}

/// ASCII digits, as many as `digits` allows.
fn number(text: &str, digits: std::ops::RangeInclusive<usize>) -> Result<u32, DateError> {
    if digits.contains(&text.len()) && text.bytes().all(|byte| byte.is_ascii_digit()) {
        text.parse().map_err(|_| DateError::Format)
    } else {
        Err(DateError::Format)
    }
}

/// A month as a month input sends it (`2024-01`), as people write it (`1/2024`, `1. 2024`), or
/// any date of it: its first day.
pub fn parse_month(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let first_of = |year: i32, month: u32| NaiveDate::from_ymd_opt(year, month, 1);
    let numbers = |year: &str, month: &str| -> Option<(i32, u32)> {
        let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        (all_digits(year) && year.len() == 4 && all_digits(month) && month.len() <= 2)
            .then(|| Some((year.parse().ok()?, month.parse().ok()?)))
            .flatten()
    };
    if let Ok(date) = parse_date(&text.replace(' ', "")) {
        return first_of(date.year(), date.month());
    }
    let (year, month) = if let Some((year, month)) = text.split_once('-') {
        numbers(year, month)?
    } else if let Some((month, year)) = text.split_once('/') {
        numbers(year.trim(), month.trim())?
    } else if let Some((month, year)) = text.split_once('.') {
        numbers(year.trim(), month.trim())?
    } else {
        return None;
    };
    first_of(year, month)
}

/// `31. 1. 2020`.
pub fn format_sl(date: NaiveDate) -> String {
    format!("{}. {}. {}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_day_begins_at_local_midnight_in_winter_and_summer() {
        let winter = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        let summer = NaiveDate::from_ymd_opt(2026, 7, 15).unwrap();
        let clocks_change = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        assert_eq!(
            start_of_local_day(winter).to_rfc3339(),
            "2026-01-14T23:00:00+00:00"
        );
        assert_eq!(
            start_of_local_day(summer).to_rfc3339(),
            "2026-07-14T22:00:00+00:00"
        );
        assert_eq!(
            start_of_local_day(clocks_change).to_rfc3339(),
            "2026-03-28T23:00:00+00:00"
        );
    }

    #[test]
    fn months_are_read_as_inputs_send_them_and_as_people_write_them() {
        for text in [
            "2024-03",
            "3/2024",
            " 03/2024 ",
            "3. 2024",
            "15. 3. 2024",
            "2024-03-15",
        ] {
            assert_eq!(
                parse_month(text),
                NaiveDate::from_ymd_opt(2024, 3, 1),
                "{text}"
            );
        }
        for text in ["", "2024", "13/2024", "2024-3-", "marec", "3/24", "-1/2024"] {
            assert_eq!(parse_month(text), None, "{text}");
        }
    }
    use proptest::prelude::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(parse_date("31.01.2020"), Ok(date(2020, 1, 31)));
        assert_eq!(parse_date("31.1.2020"), Ok(date(2020, 1, 31)));
        assert_eq!(parse_date("1.1.2020"), Ok(date(2020, 1, 1)));
        assert_eq!(parse_date(" 2020-01-31 "), Ok(date(2020, 1, 31)));
    }

    #[test]
    fn refuses_other_forms() {
        for text in [
            "",
            "31.01.20",
            "31/01/2020",
            "2020-1-31",
            "31. 1. 2020",
            "31.01.2020.",
            "2020-01-31T00:00",
            "+2020-01-31",
            "31.+1.2020",
            "2020.01.31",
            "31-01-2020",
            "0031.01.2020",
            "x",
        ] {
            assert_eq!(parse_date(text), Err(DateError::Format), "{text}");
        }
    }

    #[test]
    fn refuses_days_not_in_the_calendar() {
        assert_eq!(parse_date("29.02.2021"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("2020-13-01"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("0.1.2020"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("29.2.2020"), Ok(date(2020, 2, 29)));
    }

    #[test]
    fn formats_slovenian_style() {
        assert_eq!(format_sl(date(2020, 1, 31)), "31. 1. 2020");
        assert_eq!(format_sl(date(2021, 12, 5)), "5. 12. 2021");
    }

    proptest! {
        #[test]
        fn all_forms_agree(days in 0i64..(366 * 200)) {
            let day = date(1900, 1, 1) + chrono::Days::new(days as u64);
            let padded = day.format("%d.%m.%Y").to_string();
            let unpadded = format!("{}.{}.{}", day.day(), day.month(), day.year());
            let iso = day.format("%Y-%m-%d").to_string();
            prop_assert_eq!(parse_date(&padded), Ok(day));
            prop_assert_eq!(parse_date(&unpadded), Ok(day));
            prop_assert_eq!(parse_date(&iso), Ok(day));
            prop_assert_eq!(parse_date(&format_sl(day).replace(' ', "")), Ok(day));
        }
    }
}
