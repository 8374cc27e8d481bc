//! "Vnos števnega stanja" (SPEC §3.11): the customer reads a meter of the chosen point and
//! submits it; a reading far above the usual consumption is stored only once confirmed. Below
//! the form, the customer's submissions and what became of them.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::app::Origin;
use crate::app::audit::{self, ObjectKind};
use crate::app::readings::{self as submissions, since_last_words};
use crate::domain::billing::{MeterRecord, ReadingRecord, ReadingSource};
use crate::domain::consumption::{Dial, Plausibility, intervals, usual_daily};
use crate::domain::dates;
use crate::domain::money::{Cents, UnitPrice};
use crate::domain::quantity::{Volume, cost_of, is_cubic_metre};
use crate::domain::reading_check::{
    ReadingProblem, SubmissionContext, Verdict, check_submission, parse_reading,
};
use crate::i18n::{Arg, Lang};
use crate::store::submitted_readings::{self, Submission, SubmissionStatus};
use crate::store::{prices, readings, services};
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::FormErrors;
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::portal::frame::{Portal, Tab};
use crate::web::portal::readings::source_key;

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
#[template(path = "portal/reading_entry.html")]
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
        let meters = readings::meters_of_point(&state.app.db, payer, &point.code)
            .await?
            .into_iter()
            .filter(|meter| meter.removed_on.is_none())
            .collect();
        let readings = readings::readings_of_point(&state.app.db, payer, &point.code).await?;
        Ok(PointData { meters, readings })
    }

    fn meter(&self, serial: &str) -> Option<&MeterRecord> {
        self.meters.iter().find(|meter| meter.serial == serial)
    }

    /// What a reading of `meter` submitted today is checked against.
    fn context(&self, state: &AppState, meter: &MeterRecord) -> SubmissionContext {
        SubmissionContext {
            today: state.app.today(),
            dial: Dial::of(meter),
            last_reading: self
                .last_reading(&meter.serial, None)
                .map(|reading| (reading.read_on, reading.value)),
            usual_daily: self.usual_daily(&meter.serial),
            window: state.config.reading_window,
            plausibility: Plausibility::default(),
        }
    }

    /// The meters and readings of one of the payer's points.
    async fn of_point(
        state: &AppState,
        payer_code: &str,
        point_code: &str,
    ) -> Result<Self, WebError> {
        let db = &state.app.db;
        Ok(Self {
            meters: readings::meters_of_point(db, payer_code, point_code).await?,
            readings: readings::readings_of_point(db, payer_code, point_code).await?,
        })
    }

    /// The consumption from billing's last reading before `read_on` to `value` (over a
    /// roll-over of the dial if need be), and that reading's date.
    fn since_last(
        &self,
        serial: &str,
        read_on: NaiveDate,
        value: Volume,
    ) -> Option<(Volume, NaiveDate)> {
        let last = self.last_reading(serial, Some(read_on))?;
        let meter = self.meter(serial)?;
        let litres = if value >= last.value {
            Volume::from_litres(value.litres() - last.value.litres())
        } else {
            Dial::of(meter).roll_over(last.value, value)?
        };
        Some((litres, last.read_on))
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
    let status = match submission.status {
        SubmissionStatus::Submitted => "reading-entry-status-submitted",
        SubmissionStatus::Exported => "reading-entry-status-exported",
        SubmissionStatus::Accepted => "reading-entry-status-accepted",
        SubmissionStatus::Rejected => "reading-entry-status-rejected",
        SubmissionStatus::Replaced => "reading-entry-status-replaced",
    };
    let code = submission
        .reason_code
        .as_deref()
        .map(|code| lang.t(&format!("reading-reason-{code}")));
    let reason = submission
        .reason
        .as_deref()
        .filter(|reason| !reason.is_empty());
    match (code, reason) {
        (Some(code), Some(reason)) => format!("{} ({code}: {reason})", lang.t(status)),
        (None, Some(reason)) => format!("{} ({reason})", lang.t(status)),
        (Some(code), None) => format!("{} ({code})", lang.t(status)),
        (None, None) => lang.t(status),
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
        let submissions = submitted_readings::of_account(&state.app.db, portal.account.id)
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
        let date_hint = state.config.reading_window.map(|window| {
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
            date: state.app.today().format("%Y-%m-%d").to_string(),
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
        self.usual_daily = data
            .usual_daily(&self.meter)
            .map(crate::domain::quantity::Volume::format_sl);
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
    let (meter, date, errors) = meter_and_date(&data, &form, lang);
    if let Some(meter) = meter {
        page.meter = meter.serial.clone();
    }
    page.describe_meter(&data, lang);
    let (Some(meter), Some(date)) = (meter, date) else {
        page.errors = errors;
        return Ok(render(&page)?.into_response());
    };
    let context = data.context(&state, meter);
    let checked = check_submission(&context, date, &form.value).and_then(|verdict| {
        parse_reading(&form.value, context.dial)
            .map(|value| (verdict, value))
            .map_err(|problem| vec![problem])
    });
    let (since_last, value) = match checked {
        Err(problems) => {
            for problem in problems {
                page.errors.add(field_of(&problem), message(&problem, lang));
            }
            return Ok(render(&page)?.into_response());
        }
        Ok((Verdict::NeedsConfirmation(high), _)) if form.confirmed != "1" => {
            page.confirm = Some(lang.t_with(high.message_id(), &args(high.args())));
            return Ok(render(&page)?.into_response());
        }
        Ok((Verdict::NeedsConfirmation(high), value)) => (Some(high.since_last), value),
        Ok((Verdict::Ok { since_last }, value)) => (since_last, value),
    };
    let submission = submissions::Submission {
        account_id: portal.account.id,
        payer_code: portal.payer.code.clone(),
        email: portal.account.email.clone(),
        meter_serial: meter.serial.clone(),
        read_on: date,
        value,
        since_last,
        lang,
    };
    let id = submissions::submit(&state.app, &Origin::web(addr), submission).await?;
    Ok(Redirect::to(&format!("/readings/submitted/{id}")).into_response())
}

/// The meter chosen (a single meter needs no choice) and the date typed, with what is wrong
/// with them.
fn meter_and_date<'a>(
    data: &'a PointData,
    form: &ReadingForm,
    lang: Lang,
) -> (Option<&'a MeterRecord>, Option<NaiveDate>, FormErrors) {
    let mut errors = FormErrors::default();
    let meter = data
        .meter(form.meter.trim())
        .or_else(|| (data.meters.len() == 1).then(|| &data.meters[0]));
    if meter.is_none() {
        errors.add("meter", lang.t("reading-entry-meter-missing"));
    }
    let date = parse_date(&form.date);
    if date.is_none() {
        errors.add("date", lang.t("reading-entry-date-invalid"));
    }
    (meter, date, errors)
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

#[derive(Template)]
#[template(path = "portal/reading_submitted.html")]
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
    let billed = services::billed_at(&state.app.db, point_code).await?;
    let per_m3: i64 = prices::on(&state.app.db, day)
        .await?
        .into_iter()
        .filter(|listed| is_cubic_metre(&listed.unit))
        .filter(|listed| billed.iter().any(|service| service.code == listed.code))
        .filter_map(|listed| listed.current)
        .map(|price| price.price.with_vat(price.vat_rate).0)
        .sum();
    Ok(cost_of(consumption, UnitPrice(per_m3)))
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
            submitted_readings::of_account_by_id(&state.app.db, portal.account.id, number).await?
        }
        Err(_) => None,
    };
    let Some(submission) = found else {
        let (origin, kind) = (Origin::web(addr), ObjectKind::SubmittedReading);
        audit::foreign_object(&state.app, &origin, &portal.account, kind, &id).await?;
        return Err(WebError::NotFound);
    };
    let data = PointData::of_point(&state, &portal.payer.code, &submission.point_code).await?;
    let value = Volume::from_litres(submission.litres);
    let consumption = data.since_last(&submission.meter_serial, submission.read_on, value);
    let cost = match consumption {
        Some((consumption, _)) => {
            estimated_cost(
                &state,
                &submission.point_code,
                consumption,
                state.app.today(),
            )
            .await?
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
