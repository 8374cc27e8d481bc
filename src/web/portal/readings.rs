//! "Odčitki in poraba" (SPEC §3.9): the chosen point's readings with the consumption since the
//! previous one, and its consumption per month, quarter or year over a chosen range as a chart,
//! a table and a CSV download, all three from the same figures.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::domain::billing::ReadingSource;
use crate::domain::consumption::{
    Anomaly, CalendarPeriod, Interval, Period, PeriodConsumption, Plausibility, default_range,
    intervals, per_period, precedence,
};
use crate::domain::dates;
use crate::domain::number_format::format_scaled;
use crate::domain::quantity::Volume;
use crate::i18n::{Arg, Lang};
use crate::store::readings;
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::download::spreadsheet_download;
use crate::web::kit::error::OwnRefusal;
use crate::web::kit::form::FormErrors;
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::portal::chart::{Bar, BarChart, Layout};
use crate::web::portal::frame::{Portal, Tab};

/// The longest range the page draws, so that a request cannot ask for thousands of bars.
const MAX_RANGE_YEARS: i32 = 50;

/// The form's fields as typed; every one optional, so a bad one gets a message, not a 400.
#[derive(Debug, Default, Deserialize)]
pub struct RangeQuery {
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// What the user chose, checked.
struct Choice {
    period: Period,
    range: RangeInclusive<NaiveDate>,
}

fn period_value(period: Period) -> &'static str {
    match period {
        Period::Month => "month",
        Period::Quarter => "quarter",
        Period::Year => "year",
    }
}

fn parse_period(text: &str) -> Option<Period> {
    [Period::Month, Period::Quarter, Period::Year]
        .into_iter()
        .find(|period| period_value(*period) == text.trim())
}

fn last_of_month(first: NaiveDate) -> NaiveDate {
    CalendarPeriod::containing(Period::Month, first).last_day()
}

fn month_value(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// The fields as the form shows them again, and what is wrong with them.
struct Typed {
    period: String,
    from: String,
    to: String,
    errors: FormErrors,
}

/// Checks the query; empty fields take the defaults (SPEC §3.9: the last three years).
fn choose(query: &RangeQuery, today: NaiveDate, lang: Lang) -> (Typed, Option<Choice>) {
    let mut errors = FormErrors::default();
    fn given(field: &Option<String>) -> Option<&str> {
        field
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
    }
    let period = match given(&query.period) {
        None => Some(Period::Month),
        Some(text) => parse_period(text),
    };
    if period.is_none() {
        errors.add("period", lang.t("readings-error-period"));
    }
    let defaults = default_range(period.unwrap_or(Period::Month), today);
    let mut month = |field: &'static str, text: Option<&str>, default: NaiveDate| match text {
        None => Some(CalendarPeriod::containing(Period::Month, default).first_day()),
        Some(text) => {
            let month =
                dates::parse_month(text).filter(|month| (1900..=2100).contains(&month.year()));
            if month.is_none() {
                errors.add(field, lang.t(&format!("readings-error-{field}")));
            }
            month
        }
    };
    let from = month("from", given(&query.from), *defaults.start());
    let to = month("to", given(&query.to), *defaults.end());
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            errors.add("to", lang.t("readings-error-order"));
        } else if to.year() - from.year() >= MAX_RANGE_YEARS {
            errors.add(
                "to",
                lang.t_with(
                    "readings-error-too-long",
                    &[("years", Arg::Number(MAX_RANGE_YEARS.into()))],
                ),
            );
        }
    }
    let typed = Typed {
        period: period.map_or_else(
            || given(&query.period).unwrap_or_default().to_owned(),
            |period| period_value(period).to_owned(),
        ),
        from: given(&query.from)
            .map_or_else(|| from.map(month_value).unwrap_or_default(), str::to_owned),
        to: given(&query.to).map_or_else(|| to.map(month_value).unwrap_or_default(), str::to_owned),
        errors,
    };
    let choice = match (typed.errors.is_empty(), period, from, to) {
        (true, Some(period), Some(from), Some(to)) => Some(Choice {
            period,
            range: from..=last_of_month(to),
        }),
        _ => None,
    };
    (typed, choice)
}

/// `1.234,567`: the unit stands in the column's heading.
fn m3(volume: Volume) -> String {
    format_scaled(volume.litres(), 3, 3)
}

/// `1234,567`: no thousands dots, which spreadsheets would misread.
fn m3_for_csv(volume: Volume) -> String {
    let litres = volume.litres();
    let sign = if litres < 0 { "-" } else { "" };
    let litres = litres.unsigned_abs();
    format!("{sign}{},{:03}", litres / 1000, litres % 1000)
}

pub(super) fn source_key(source: ReadingSource) -> &'static str {
    match source {
        ReadingSource::Reader => "readings-source-reader",
        ReadingSource::Estimate => "readings-source-estimate",
        ReadingSource::Customer => "readings-source-customer",
        ReadingSource::Install => "readings-source-install",
        ReadingSource::Removal => "readings-source-removal",
    }
}

/// A period as the chart, the table and the CSV name it: `1/2024`, `1. čet. 2024`, `2024`.
fn period_label(period: CalendarPeriod, lang: Lang) -> String {
    match period.period() {
        Period::Month => format!("{}/{}", period.month(), period.year()),
        Period::Quarter => lang.t_with(
            "readings-quarter",
            &[
                ("quarter", Arg::Number(period.quarter().into())),
                ("year", Arg::Text(period.year().to_string())),
            ],
        ),
        Period::Year => period.year().to_string(),
    }
}

/// One row of the readings table.
pub struct ReadingRow {
    pub date: String,
    pub meter: String,
    pub value: String,
    pub source: String,
    /// Empty where there is no consumption to show (a meter's first reading, an anomaly).
    pub consumption: String,
    pub rolled_over: bool,
    /// Why the reading yields no consumption, if something is wrong with it.
    pub anomaly: Option<String>,
}

/// One row of the consumption table.
pub struct PeriodRow {
    pub label: String,
    /// `None` where no reading covers the period.
    pub consumption: Option<String>,
    /// "12 of 31 days" for a period only partly covered.
    pub partial: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/readings.html")]
struct ReadingsPage {
    page: Chrome,
    /// The point the page is about: code and address.
    point: String,
    has_meters: bool,
    rows: Vec<ReadingRow>,
    period: String,
    from: String,
    to: String,
    errors: FormErrors,
    period_options: Vec<(&'static str, String)>,
    periods: Vec<PeriodRow>,
    chart: String,
    csv_href: String,
}

/// The point's meters' readings and what they yield.
struct PointReadings {
    readings: Vec<crate::domain::billing::ReadingRecord>,
    has_meters: bool,
    intervals: crate::domain::consumption::ReadingIntervals,
}

async fn load(state: &AppState, portal: &Portal) -> Result<(String, PointReadings), WebError> {
    let Some(point) = &portal.point else {
        return Ok((
            String::new(),
            PointReadings {
                readings: Vec::new(),
                has_meters: false,
                intervals: Default::default(),
            },
        ));
    };
    let meters = readings::meters_of_point(&state.app.db, &portal.payer.code, &point.code).await?;
    let readings =
        readings::readings_of_point(&state.app.db, &portal.payer.code, &point.code).await?;
    let intervals = intervals(&meters, &readings, &Plausibility::default());
    Ok((
        point.code.clone(),
        PointReadings {
            readings,
            has_meters: !meters.is_empty(),
            intervals,
        },
    ))
}

fn reading_rows(data: &PointReadings, lang: Lang) -> Vec<ReadingRow> {
    let by_end: HashMap<(&str, NaiveDate), &Interval> = data
        .intervals
        .intervals
        .iter()
        .map(|interval| ((interval.meter.as_str(), interval.to), interval))
        .collect();
    // Of one meter's readings on one day only one counts (the domain's precedence): the
    // consumption belongs to that one.
    let mut counted: HashMap<(&str, NaiveDate), ReadingSource> = HashMap::new();
    for reading in &data.readings {
        counted
            .entry((reading.meter_serial.as_str(), reading.read_on))
            .and_modify(|kept| {
                if precedence(reading.source) < precedence(*kept) {
                    *kept = reading.source;
                }
            })
            .or_insert(reading.source);
    }
    let anomaly_of = |meter: &str, day: NaiveDate| {
        data.intervals
            .anomalies
            .iter()
            .find_map(|anomaly| match anomaly {
                Anomaly::Fall {
                    meter: fallen, to, ..
                } if fallen == meter && *to == day => Some(lang.t("readings-anomaly-fall")),
                Anomaly::OutsideMeterLife {
                    meter: outside,
                    read_on,
                } if outside == meter && *read_on == day => {
                    Some(lang.t("readings-anomaly-outside-life"))
                }
                _ => None,
            })
    };
    let mut ordered: Vec<_> = data.readings.iter().collect();
    // Newest first; on an exchange day the installation above the removal, as it came after.
    ordered.sort_by_key(|reading| {
        (
            std::cmp::Reverse(reading.read_on),
            std::cmp::Reverse(precedence(reading.source)),
        )
    });
    ordered
        .into_iter()
        .map(|reading| {
            let key = (reading.meter_serial.as_str(), reading.read_on);
            let counts = counted.get(&key) == Some(&reading.source);
            let interval = by_end.get(&key).filter(|_| counts);
            ReadingRow {
                date: dates::format_sl(reading.read_on),
                meter: reading.meter_serial.clone(),
                value: m3(reading.value),
                source: lang.t(source_key(reading.source)),
                consumption: interval.map(|i| m3(i.consumption)).unwrap_or_default(),
                rolled_over: interval.is_some_and(|i| i.rolled_over),
                anomaly: if counts {
                    anomaly_of(&reading.meter_serial, reading.read_on)
                } else {
                    Some(lang.t("readings-not-counted"))
                },
            }
        })
        .collect()
}

fn period_rows(figures: &[PeriodConsumption], lang: Lang) -> Vec<PeriodRow> {
    figures
        .iter()
        .map(|figure| PeriodRow {
            label: period_label(figure.period, lang),
            consumption: figure.consumption.map(m3),
            partial: (figure.consumption.is_some() && figure.covered_days < figure.period.days())
                .then(|| {
                    lang.t_with(
                        "readings-partial",
                        &[
                            ("covered", Arg::Number(figure.covered_days.into())),
                            ("days", Arg::Number(figure.period.days().into())),
                        ],
                    )
                }),
        })
        .collect()
}

fn period_title_key(period: Period) -> &'static str {
    match period {
        Period::Month => "readings-chart-title-month",
        Period::Quarter => "readings-chart-title-quarter",
        Period::Year => "readings-chart-title-year",
    }
}

fn chart(figures: &[PeriodConsumption], period: Period, lang: Lang) -> BarChart {
    let label = |figure: &PeriodConsumption| period_label(figure.period, lang);
    let total: i64 = figures
        .iter()
        .filter_map(|figure| figure.consumption)
        .map(Volume::litres)
        .sum();
    let highest = figures
        .iter()
        .filter(|figure| figure.consumption.is_some())
        .max_by_key(|figure| figure.consumption);
    let missing = figures.iter().filter(|f| f.consumption.is_none()).count();
    let partial = figures
        .iter()
        .filter(|f| f.consumption.is_some() && f.covered_days < f.period.days())
        .count();
    let count = |n: usize| Arg::Number(i64::try_from(n).unwrap_or(i64::MAX));
    let mut sentences = vec![lang.t_with(
        "readings-chart-description",
        &[
            (
                "from",
                Arg::Text(figures.first().map(label).unwrap_or_default()),
            ),
            (
                "to",
                Arg::Text(figures.last().map(label).unwrap_or_default()),
            ),
            ("total", Arg::Text(Volume::from_litres(total).format_sl())),
        ],
    )];
    if let Some((figure, highest)) = highest.and_then(|figure| Some((figure, figure.consumption?)))
    {
        sentences.push(lang.t_with(
            "readings-chart-highest",
            &[
                ("highest", Arg::Text(highest.format_sl())),
                ("period", Arg::Text(label(figure))),
            ],
        ));
    }
    if missing > 0 {
        sentences.push(lang.t_with("readings-chart-missing", &[("missing", count(missing))]));
    }
    if partial > 0 {
        sentences.push(lang.t_with("readings-chart-partial", &[("partial", count(partial))]));
    }
    sentences.push(lang.t("readings-chart-see-table"));
    let description = sentences.join(" ");
    BarChart {
        id: "consumption-chart".to_owned(),
        title: lang.t(period_title_key(period)),
        description,
        unit: "m³".to_owned(),
        bars: figures
            .iter()
            .map(|figure| Bar {
                label: label(figure),
                value: figure.consumption,
                partial: figure.consumption.is_some() && figure.covered_days < figure.period.days(),
                tooltip: format!(
                    "{}: {}",
                    label(figure),
                    figure
                        .consumption
                        .map(Volume::format_sl)
                        .unwrap_or_else(|| lang.t("readings-no-data"))
                ),
            })
            .collect(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    portal: Portal,
    Query(query): Query<RangeQuery>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let (_, data) = load(&state, &portal).await?;
    let (mut typed, choice) = choose(&query, state.app.today(), lang);
    if !data.has_meters {
        // Without a meter there is nothing to choose, so nothing to refuse.
        typed.errors = FormErrors::default();
    }
    let (periods, chart_svg, csv_href) = match (&choice, data.has_meters) {
        (Some(choice), true) => {
            let figures = per_period(
                &data.intervals.intervals,
                choice.period,
                choice.range.clone(),
            );
            let csv_href = format!(
                "/readings.csv?period={}&from={}&to={}",
                period_value(choice.period),
                month_value(*choice.range.start()),
                month_value(*choice.range.end()),
            );
            (
                period_rows(&figures, lang),
                {
                    let chart = chart(&figures, choice.period, lang);
                    Layout::ALL.map(|layout| chart.to_svg(layout)).concat()
                },
                csv_href,
            )
        }
        _ => (Vec::new(), String::new(), String::new()),
    };
    let status = if typed.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = ReadingsPage {
        page: portal.chrome(&frame, "readings-title", Some(Tab::Readings)),
        point: point_label(&portal),
        has_meters: data.has_meters,
        rows: reading_rows(&data, lang),
        period: typed.period,
        from: typed.from,
        to: typed.to,
        errors: typed.errors,
        period_options: period_options(lang),
        periods,
        chart: chart_svg,
        csv_href,
    };
    Ok((status, render(&page)?).into_response())
}

/// "OM-1, Stara ulica 1, Brezovica": the chosen point as the page names it.
fn point_label(portal: &Portal) -> String {
    let Some(point) = portal.point.as_ref() else {
        return String::new();
    };
    [
        Some(&point.code),
        point.street.as_ref(),
        point.city.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .collect::<Vec<_>>()
    .join(", ")
}

/// The periods to choose from, as (form value, label).
fn period_options(lang: Lang) -> Vec<(&'static str, String)> {
    [Period::Month, Period::Quarter, Period::Year]
        .into_iter()
        .map(|period| {
            let value = period_value(period);
            (value, lang.t(&format!("readings-period-{value}")))
        })
        .collect()
}

/// The consumption table as CSV (`;` and decimal commas, as Slovenian spreadsheets expect).
pub async fn csv(
    State(state): State<AppState>,
    frame: Frame,
    portal: Portal,
    Query(query): Query<RangeQuery>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let (typed, choice) = choose(&query, state.app.today(), lang);
    let Some(choice) = choice else {
        let messages: Vec<&str> = typed.errors.iter().map(|(_, m)| m.as_str()).collect();
        return Ok((
            StatusCode::BAD_REQUEST,
            Extension(OwnRefusal),
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            messages.join("\n"),
        )
            .into_response());
    };
    let (point_code, data) = load(&state, &portal).await?;
    let figures = if data.has_meters {
        per_period(
            &data.intervals.intervals,
            choice.period,
            choice.range.clone(),
        )
    } else {
        Vec::new()
    };
    let header = lang.t("readings-csv-header");
    let rows = figures.iter().map(|figure| {
        [
            period_label(figure.period, lang),
            figure.consumption.map(m3_for_csv).unwrap_or_default(),
            figure.covered_days.to_string(),
            figure.period.days().to_string(),
        ]
    });
    let file_name = format!(
        "poraba-{}-{}.csv",
        point_code.replace(|c: char| !c.is_ascii_alphanumeric(), ""),
        period_value(choice.period)
    );
    spreadsheet_download(&file_name, header.split(';'), rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn readings_show_rollovers_falls_and_the_reading_that_counts() {
        use crate::domain::billing::{MeterRecord, ReadingRecord};
        let meter = MeterRecord {
            serial: "M1".into(),
            point_code: "P1".into(),
            medium: "cold_water".into(),
            unit: "m3".into(),
            digits: 4,
            decimals: 3,
            dn: Some(20),
            installed_on: date(2020, 1, 1),
            removed_on: None,
        };
        let read = |read_on, litres, source| ReadingRecord {
            meter_serial: "M1".into(),
            read_on,
            value: Volume::from_litres(litres),
            source,
        };
        let readings = vec![
            read(date(2020, 1, 1), 9_990_000, ReadingSource::Install),
            // Past 9 999,999 to 5 m³: 15 m³ in a month.
            read(date(2020, 2, 1), 5_000, ReadingSource::Reader),
            // Far below and far too much for a roll-over: a misreading.
            read(date(2020, 3, 1), 1_000, ReadingSource::Customer),
            // The reader's reading counts over an estimate of the same day.
            read(date(2020, 4, 1), 20_000, ReadingSource::Estimate),
            read(date(2020, 4, 1), 21_000, ReadingSource::Reader),
        ];
        let data = PointReadings {
            intervals: intervals(&[meter], &readings, &Plausibility::default()),
            readings,
            has_meters: true,
        };
        let rows = reading_rows(&data, Lang::Sl);
        let cells: Vec<(&str, &str, &str, bool, bool)> = rows
            .iter()
            .map(|row| {
                (
                    row.date.as_str(),
                    row.source.as_str(),
                    row.consumption.as_str(),
                    row.rolled_over,
                    row.anomaly.is_some(),
                )
            })
            .collect();
        assert_eq!(
            cells,
            [
                ("1. 4. 2020", "ocena", "", false, true),
                (
                    "1. 4. 2020",
                    "odčitek komunalnega podjetja",
                    "20,000",
                    false,
                    false
                ),
                ("1. 3. 2020", "sporočil odjemalec", "", false, true),
                (
                    "1. 2. 2020",
                    "odčitek komunalnega podjetja",
                    "15,000",
                    true,
                    false
                ),
                ("1. 1. 2020", "montaža števca", "", false, false),
            ]
        );
        assert_eq!(
            rows[2].anomaly.as_deref(),
            Some(Lang::Sl.t("readings-anomaly-fall").as_str())
        );
    }

    fn query(period: &str, from: &str, to: &str) -> RangeQuery {
        RangeQuery {
            period: Some(period.to_owned()),
            from: Some(from.to_owned()),
            to: Some(to.to_owned()),
        }
    }

    #[test]
    fn empty_fields_take_the_last_three_years() {
        let today = date(2024, 5, 20);
        let (typed, choice) = choose(&RangeQuery::default(), today, Lang::Sl);
        let choice = choice.unwrap();
        assert_eq!(choice.period, Period::Month);
        assert_eq!(choice.range, date(2021, 6, 1)..=date(2024, 5, 31));
        assert_eq!(
            (typed.from.as_str(), typed.to.as_str()),
            ("2021-06", "2024-05")
        );

        let (_, choice) = choose(&query("year", "", ""), today, Lang::Sl);
        assert_eq!(choice.unwrap().range, date(2022, 1, 1)..=date(2024, 5, 31));
    }

    #[test]
    fn bad_fields_are_named_and_kept_as_typed() {
        let today = date(2024, 5, 20);
        let (typed, choice) = choose(&query("week", "x", "2024-01"), today, Lang::Sl);
        assert!(choice.is_none());
        assert!(!typed.errors.get("period").is_empty());
        assert!(!typed.errors.get("from").is_empty());
        assert_eq!(typed.from, "x");
        let (typed, choice) = choose(&query("month", "2024-02", "2024-01"), today, Lang::En);
        assert!(choice.is_none());
        assert!(!typed.errors.get("to").is_empty());
        let (_, choice) = choose(&query("month", "1900-01", "2024-01"), today, Lang::En);
        assert!(choice.is_none(), "too long a range");
    }

    #[test]
    fn csv_numbers_have_a_decimal_comma_and_no_thousands_dots() {
        assert_eq!(m3_for_csv(Volume::from_litres(1_337_590)), "1337,590");
        assert_eq!(m3_for_csv(Volume::from_litres(5)), "0,005");
        assert_eq!(m3(Volume::from_litres(1_337_590)), "1.337,590");
    }
}
