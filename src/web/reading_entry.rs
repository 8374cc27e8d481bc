//! "Vnos števnega stanja" (SPEC §3.11): the customer reads a meter of the chosen point and
//! submits it; a reading far above the usual consumption is stored only once confirmed. Below
//! the form, the customer's submissions and what became of them.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;

use super::client::ClientAddr;
use super::form::FormErrors;
use super::page::{Chrome, Frame, render};
use super::portal::{Portal, Tab};
use super::readings::source_key;
use super::{AppState, WebError};
use crate::domain::billing::{MeterRecord, ReadingRecord, ReadingSource};
use crate::domain::consumption::{Dial, Plausibility, intervals, usual_daily};
use crate::domain::dates;
use crate::domain::money::Cents;
use crate::domain::quantity::Volume;
use crate::domain::reading_check::{ReadingProblem, SubmissionContext, Verdict, check_submission};
use crate::i18n::{Arg, Lang};
use crate::mail::{self, letter::Letter};
use crate::store::audit::{self, Actor, Event};
use crate::store::submitted_readings::{self, NewSubmission, Submission};
use crate::store::{begin_write, prices, readings, services};

fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Ljubljana)
        .date_naive()
}

/// The form as typed; every field optional, so a bad one gets a message, not a 400.
#[derive(Debug, Default, Deserialize)]
pub struct ReadingForm {
    #[serde(default)]
    meter: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    confirmed: String,
}

/// A date as the date input sends it (`2024-03-10`) or as people write it (`10. 3. 2024`).
fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| dates::parse_date(&text.replace(' ', "")).ok())
}

/// A meter of the point the customer may read: one that is still installed.
struct MeterChoice {
    serial: String,
    label: String,
}

/// One line of "Oddani odčitki".
struct SubmissionRow {
    date: String,
    meter: String,
    value: String,
    status: String,
    href: String,
}

#[derive(Template)]
#[template(path = "reading_entry.html")]
struct EntryPage {
    page: Chrome,
    errors: FormErrors,
    /// The point the page is about: code and address.
    point: String,
    /// Empty where the point has no meter: then there is no form.
    meters: Vec<MeterChoice>,
    meter: String,
    date: String,
    value: String,
    /// The last reading the submission is compared with, in words.
    last_reading: Option<String>,
    /// A newer estimate than the last reading, in words.
    newer_estimate: Option<String>,
    usual_daily: Option<String>,
    /// The reading window, if one is set ("" otherwise).
    date_hint: String,
    /// The confirmation step: why, and what to check.
    confirm: Option<String>,
    leak_hint: String,
    submissions: Vec<SubmissionRow>,
}

/// What the page knows of the chosen point.
struct PointData {
    meters: Vec<MeterRecord>,
    readings: Vec<ReadingRecord>,
}

impl PointData {
    async fn load(state: &AppState, portal: &Portal) -> Result<Self, WebError> {
        let Some(point) = portal.point.as_ref().filter(|point| point.has_meter) else {
            return Ok(PointData {
                meters: Vec::new(),
                readings: Vec::new(),
            });
        };
        let payer = &portal.payer.code;
        let meters = readings::meters_of_point(&state.db, payer, &point.code)
            .await?
            .into_iter()
            .filter(|meter| meter.removed_on.is_none())
            .collect();
        let readings = readings::readings_of_point(&state.db, payer, &point.code).await?;
        Ok(PointData { meters, readings })
    }

    fn meter(&self, serial: &str) -> Option<&MeterRecord> {
        self.meters.iter().find(|meter| meter.serial == serial)
    }

    /// The meter's latest reading that is not an estimate: an estimate may overshoot, and a
    /// true reading below it is no mistake.
    fn last_reading(&self, serial: &str, up_to: Option<NaiveDate>) -> Option<&ReadingRecord> {
        self.readings
            .iter()
            .filter(|reading| reading.meter_serial == serial)
            .filter(|reading| reading.source != ReadingSource::Estimate)
            .filter(|reading| up_to.is_none_or(|day| reading.read_on <= day))
            .max_by_key(|reading| reading.read_on)
    }

    fn newer_estimate(&self, serial: &str) -> Option<&ReadingRecord> {
        let last = self
            .last_reading(serial, None)
            .map(|reading| reading.read_on);
        self.readings
            .iter()
            .filter(|reading| reading.meter_serial == serial)
            .filter(|reading| reading.source == ReadingSource::Estimate)
            .filter(|reading| last.is_none_or(|last| reading.read_on > last))
            .max_by_key(|reading| reading.read_on)
    }

    /// The point's usual daily consumption; with several meters at once, the meter's own.
    fn usual_daily(&self, serial: &str) -> Option<Volume> {
        let all = intervals(&self.meters, &self.readings, &Plausibility::default()).intervals;
        if self.meters.len() > 1 {
            usual_daily(all.iter().filter(|interval| interval.meter == serial))
        } else {
            usual_daily(&all)
        }
    }
}

fn reading_words(reading: &ReadingRecord, lang: Lang) -> String {
    lang.t_with(
        "reading-entry-last-value",
        &[
            ("value", Arg::Text(reading.value.format_sl())),
            ("date", Arg::Text(dates::format_sl(reading.read_on))),
            ("source", Arg::Text(lang.t(source_key(reading.source)))),
        ],
    )
}

fn status_words(submission: &Submission, lang: Lang) -> String {
    let status = match submission.status.as_str() {
        submitted_readings::SUBMITTED => "reading-entry-status-submitted",
        submitted_readings::EXPORTED => "reading-entry-status-exported",
        "accepted" => "reading-entry-status-accepted",
        _ => "reading-entry-status-rejected",
    };
    match submission
        .reason
        .as_deref()
        .filter(|reason| !reason.is_empty())
    {
        Some(reason) => format!("{} ({reason})", lang.t(status)),
        None => lang.t(status),
    }
}

impl EntryPage {
    async fn new(
        state: &AppState,
        frame: &Frame,
        portal: &Portal,
        data: &PointData,
    ) -> Result<Self, WebError> {
        let lang = frame.lang;
        let submissions = submitted_readings::of_account(&state.db, portal.account.id)
            .await?
            .into_iter()
            .map(|submission| SubmissionRow {
                date: dates::format_sl(submission.read_on),
                meter: submission.meter_serial.clone(),
                value: Volume::from_litres(submission.litres).format_sl(),
                status: status_words(&submission, lang),
                href: format!("/readings/submitted/{}", submission.id),
            })
            .collect();
        let date_hint = state.config.reading_window()?.map(|window| {
            lang.t_with(
                "reading-entry-window",
                &[
                    ("from_day", Arg::Number(window.from_day().into())),
                    ("to_day", Arg::Number(window.to_day().into())),
                ],
            )
        });
        let mut page = EntryPage {
            page: portal.chrome(frame, "reading-entry-title", Some(Tab::NewReading)),
            errors: FormErrors::default(),
            point: portal
                .point
                .as_ref()
                .map(|point| match &point.street {
                    Some(street) => format!("{} – {street}", point.code),
                    None => point.code.clone(),
                })
                .unwrap_or_default(),
            meters: data
                .meters
                .iter()
                .map(|meter| MeterChoice {
                    serial: meter.serial.clone(),
                    label: lang.t_with(
                        "reading-entry-meter-label",
                        &[
                            ("serial", Arg::from(meter.serial.as_str())),
                            ("installed", Arg::Text(dates::format_sl(meter.installed_on))),
                        ],
                    ),
                })
                .collect(),
            meter: data
                .meters
                .first()
                .map(|meter| meter.serial.clone())
                .unwrap_or_default(),
            date: today().format("%Y-%m-%d").to_string(),
            value: String::new(),
            last_reading: None,
            newer_estimate: None,
            usual_daily: None,
            date_hint: date_hint.unwrap_or_default(),
            confirm: None,
            leak_hint: lang.t(crate::domain::reading_check::HighConsumption::LEAK_HINT_ID),
            submissions,
        };
        page.describe_meter(data, lang);
        Ok(page)
    }

    /// What the page says of the chosen meter's history.
    fn describe_meter(&mut self, data: &PointData, lang: Lang) {
        self.last_reading = data
            .last_reading(&self.meter, None)
            .map(|reading| reading_words(reading, lang));
        self.newer_estimate = data
            .newer_estimate(&self.meter)
            .map(|reading| reading_words(reading, lang));
        self.usual_daily = data.usual_daily(&self.meter).map(|usual| usual.format_sl());
    }
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    portal: Portal,
) -> Result<Html<String>, WebError> {
    let data = PointData::load(&state, &portal).await?;
    render(&EntryPage::new(&state, &frame, &portal, &data).await?)
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    portal: Portal,
    Form(form): Form<ReadingForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let data = PointData::load(&state, &portal).await?;
    let mut page = EntryPage::new(&state, &frame, &portal, &data).await?;
    if data.meters.is_empty() {
        return Ok(render(&page)?.into_response());
    }
    page.date = form.date.trim().to_owned();
    page.value = form.value.trim().to_owned();
    let mut errors = FormErrors::default();
    let meter = match data.meter(form.meter.trim()).or_else(|| {
        // A single meter needs no choice.
        (data.meters.len() == 1).then(|| &data.meters[0])
    }) {
        Some(meter) => {
            page.meter = meter.serial.clone();
            Some(meter)
        }
        None => {
            errors.add("meter", lang.t("reading-entry-meter-missing"));
            None
        }
    };
    page.describe_meter(&data, lang);
    let date = parse_date(&form.date);
    if date.is_none() {
        errors.add("date", lang.t("reading-entry-date-invalid"));
    }
    let (Some(meter), Some(date)) = (meter, date) else {
        page.errors = errors;
        return Ok(render(&page)?.into_response());
    };

    let today = today();
    let context = SubmissionContext {
        today,
        dial: Dial::of(meter),
        last_reading: data
            .last_reading(&meter.serial, None)
            .map(|reading| (reading.read_on, reading.value)),
        usual_daily: data.usual_daily(&meter.serial),
        window: state.config.reading_window()?,
        plausibility: Plausibility::default(),
    };
    let since_last = match check_submission(&context, date, &form.value) {
        Err(problems) => {
            for problem in problems {
                errors.add(field_of(&problem), message(&problem, lang));
            }
            page.errors = errors;
            return Ok(render(&page)?.into_response());
        }
        Ok(Verdict::NeedsConfirmation(high)) if form.confirmed != "1" => {
            page.confirm = Some(lang.t_with(high.message_id(), &args(high.args())));
            return Ok(render(&page)?.into_response());
        }
        Ok(Verdict::NeedsConfirmation(high)) => Some(high.since_last),
        Ok(Verdict::Ok { since_last }) => since_last,
    };
    let value = crate::domain::reading_check::parse_reading(&form.value, context.dial)
        .expect("checked above");

    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    let id = submitted_readings::save(
        &txn,
        NewSubmission {
            account_id: portal.account.id,
            meter_serial: &meter.serial,
            read_on: date,
            litres: value.litres(),
            client_addr: Some(&addr),
        },
        now,
    )
    .await?;
    if let Some(email) = &portal.account.email {
        // Keeps a path the portal may be published under.
        let mut url = state.config.public_url();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}/readings/submitted/{id}"));
        let mut letter = Letter::new(lang, "reading-entry-mail-subject").paragraph(lang.t_with(
            "reading-entry-mail-reading",
            &[
                ("value", Arg::Text(value.format_sl())),
                ("date", Arg::Text(dates::format_sl(date))),
                ("meter", Arg::from(meter.serial.as_str())),
            ],
        ));
        if let Some(since_last) = since_last {
            letter = letter.paragraph(since_last_words(
                since_last.consumption,
                since_last.last_date,
                lang,
            ));
        }
        let mail = letter
            .action("reading-entry-mail-action", url.to_string())
            .after(lang.t("reading-entry-mail-after"))
            .to(email, state.config.company()?)?;
        mail::enqueue(&txn, &state.config, mail, now).await?;
    }
    let event = Event::new(Actor::Customer(&portal.payer.code), "reading_submitted")
        .subject(format!("{} {date}", meter.serial))
        .from_addr(Some(&addr));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!("/readings/submitted/{id}")).into_response())
}

/// The field a problem is shown beside.
fn field_of(problem: &ReadingProblem) -> &'static str {
    match problem {
        ReadingProblem::InFuture
        | ReadingProblem::BeforeLastReading { .. }
        | ReadingProblem::OutsideWindow { .. } => "date",
        _ => "value",
    }
}

fn args(args: Vec<(&'static str, String)>) -> Vec<(&'static str, Arg)> {
    args.into_iter()
        .map(|(name, value)| (name, Arg::Text(value)))
        .collect()
}

fn message(problem: &ReadingProblem, lang: Lang) -> String {
    lang.t_with(problem.message_id(), &args(problem.args()))
}

fn since_last_words(consumption: Volume, last_date: NaiveDate, lang: Lang) -> String {
    lang.t_with(
        "reading-entry-since-last",
        &[
            ("consumption", Arg::Text(consumption.format_sl())),
            ("last_date", Arg::Text(dates::format_sl(last_date))),
        ],
    )
}

#[derive(Template)]
#[template(path = "reading_submitted.html")]
struct SubmittedPage {
    page: Chrome,
    date: String,
    meter: String,
    value: String,
    status: String,
    since_last: Option<String>,
    cost: Option<String>,
}

/// The estimated cost of `consumption` at the point's per-m³ prices of `day`, VAT included.
async fn estimated_cost(
    state: &AppState,
    point_code: &str,
    consumption: Volume,
    day: NaiveDate,
) -> Result<Option<Cents>, WebError> {
    let billed = services::billed_at(&state.db, point_code).await?;
    let per_m3: i128 = prices::on(&state.db, day)
        .await?
        .into_iter()
        .filter(|listed| matches!(listed.unit.as_str(), "m3" | "m³"))
        .filter(|listed| billed.iter().any(|service| service.code == listed.code))
        .filter_map(|listed| listed.current)
        .map(|price| i128::from(price.price.with_vat(price.vat_rate).0))
        .sum();
    if per_m3 == 0 {
        return Ok(None);
    }
    // Litres × 1/10,000 € per m³ is 1/10,000,000 €: to cents, half up.
    let scale = 100_000;
    let cents = (i128::from(consumption.litres()) * per_m3 + scale / 2) / scale;
    Ok(Some(Cents(i64::try_from(cents).unwrap_or(i64::MAX))))
}

pub async fn submitted(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    portal: Portal,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let lang = frame.lang;
    let found = match id.parse::<i64>() {
        Ok(number) => {
            submitted_readings::of_account_by_id(&state.db, portal.account.id, number).await?
        }
        Err(_) => None,
    };
    let Some(submission) = found else {
        let event = Event::new(Actor::Customer(&portal.payer.code), "foreign_object")
            .subject(format!("submitted reading {id}"))
            .from_addr(Some(&addr));
        audit::record(&state.db, event, Utc::now()).await?;
        return Err(WebError::NotFound);
    };
    let meters =
        readings::meters_of_point(&state.db, &portal.payer.code, &submission.point_code).await?;
    let point_readings =
        readings::readings_of_point(&state.db, &portal.payer.code, &submission.point_code).await?;
    let data = PointData {
        meters,
        readings: point_readings,
    };
    let value = Volume::from_litres(submission.litres);
    let consumption = data
        .last_reading(&submission.meter_serial, Some(submission.read_on))
        .and_then(|last| {
            let meter = data.meter(&submission.meter_serial)?;
            let litres = if value >= last.value {
                Volume::from_litres(value.litres() - last.value.litres())
            } else {
                Dial::of(meter).roll_over(last.value, value)?
            };
            Some((litres, last.read_on))
        });
    let cost = match consumption {
        Some((consumption, _)) => {
            estimated_cost(&state, &submission.point_code, consumption, today()).await?
        }
        None => None,
    };
    render(&SubmittedPage {
        page: portal.chrome(&frame, "reading-submitted-title", Some(Tab::NewReading)),
        date: dates::format_sl(submission.read_on),
        meter: submission.meter_serial.clone(),
        value: value.format_sl(),
        status: status_words(&submission, lang),
        since_last: consumption
            .map(|(consumption, last_date)| since_last_words(consumption, last_date, lang)),
        cost: cost.map(|cost| {
            lang.t_with(
                "reading-submitted-cost",
                &[("cost", Arg::Text(cost.format_sl()))],
            )
        }),
    })
}
