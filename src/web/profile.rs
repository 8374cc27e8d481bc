//! "Moj profil" (SPEC §3.14): the name the portal shows and a phone, the e-mail address
//! (changed only by the link sent to the new one) and the password, each a form of its own.
//! Beyond the manual: the last sign-ins, a download of one's data, and withdrawing consent.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::json;

use super::auth;
use super::client::ClientAddr;
use super::email;
use super::email_confirm;
use super::form::FormErrors;
use super::page::{Chrome, Frame, render};
use super::password_reset::{changed_letter, password_errors};
use super::portal::{Portal, Tab};
use super::{AppState, WebError};
use crate::domain::email::EmailAddress;
use crate::i18n::{Arg, format_date_time_sl};
use crate::mail;
use crate::store::audit::{self, Actor, Event};
use crate::store::personal_data::{self, PersonalData};
use crate::store::tokens::{self, Purpose};
use crate::store::{accounts, begin_write, throttles};

/// The longest name and phone taken.
const MAX_NAME_CHARS: usize = 100;
const MAX_PHONE_CHARS: usize = 40;
/// Wrong current passwords one account may type per [`PASSWORD_WINDOW_HOURS`].
const PASSWORD_FAILURES: u32 = 5;
const PASSWORD_WINDOW_HOURS: i64 = 1;
/// How many sign-ins the page lists.
const SIGN_INS_SHOWN: u64 = 10;

/// What the page says was saved, by the form that saved it.
const SAVED: [&str; 3] = ["name", "email", "password"];

/// One line of "Zadnje prijave".
struct SignInRow {
    when: String,
    client_addr: String,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    page: Chrome,
    errors: FormErrors,
    /// The form whose change was saved ("" when none).
    saved: &'static str,
    payer_code: String,
    /// Says that an empty name brings back the payer's.
    display_name_hint: String,
    display_name: String,
    phone: String,
    current_email: String,
    new_email: String,
    /// The new address a link went to that still works, if any.
    pending_email: Option<String>,
    sign_ins: Vec<SignInRow>,
}

impl ProfilePage {
    async fn new(state: &AppState, frame: &Frame, portal: &Portal) -> Result<Self, WebError> {
        let account = &portal.account;
        let pending = tokens::outstanding(&state.db, account.id, Purpose::EmailChange, Utc::now())
            .await?
            .and_then(|token| token.new_email);
        let sign_ins =
            audit::latest_of_customer(&state.db, &account.payer_code, "sign_in", SIGN_INS_SHOWN)
                .await?
                .into_iter()
                .map(|event| SignInRow {
                    when: format_date_time_sl(event.at),
                    client_addr: event.client_addr.unwrap_or_default(),
                })
                .collect();
        Ok(Self {
            page: portal.chrome(frame, "profile-title", Some(Tab::Profile)),
            errors: FormErrors::default(),
            saved: "",
            payer_code: portal.payer.code.clone(),
            display_name_hint: frame.lang.t_with(
                "profile-display-name-hint",
                &[("name", Arg::from(portal.payer.name.as_str()))],
            ),
            display_name: account.display_name.clone().unwrap_or_default(),
            phone: account.phone.clone().unwrap_or_default(),
            current_email: account.email.clone().unwrap_or_default(),
            new_email: String::new(),
            pending_email: pending,
            sign_ins,
        })
    }

    fn with_errors(mut self, errors: FormErrors) -> Result<Response, WebError> {
        self.errors = errors;
        Ok(render(&self)?.into_response())
    }
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    portal: Portal,
    Query(query): Query<SavedQuery>,
) -> Result<Html<String>, WebError> {
    let mut page = ProfilePage::new(&state, &frame, &portal).await?;
    page.saved = query
        .saved
        .and_then(|saved| SAVED.into_iter().find(|known| *known == saved))
        .unwrap_or_default();
    render(&page)
}

fn saved(form: &str) -> Response {
    Redirect::to(&format!("/profile?saved={form}")).into_response()
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    phone: String,
}

/// Digits and what people write between them: `+386 (1) 363-30-20`, `01/363 30 20`.
fn plausible_phone(phone: &str) -> bool {
    phone.chars().any(|c| c.is_ascii_digit())
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +()/-.".contains(c))
}

pub async fn save_name(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    portal: Portal,
    Form(form): Form<NameForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let display_name = form.display_name.trim();
    let phone = form.phone.trim();
    let mut errors = FormErrors::default();
    if display_name.chars().count() > MAX_NAME_CHARS {
        errors.add("display_name", too_long(lang, MAX_NAME_CHARS));
    }
    if phone.chars().count() > MAX_PHONE_CHARS {
        errors.add("phone", too_long(lang, MAX_PHONE_CHARS));
    } else if !phone.is_empty() && !plausible_phone(phone) {
        errors.add("phone", lang.t("profile-phone-invalid"));
    }
    if !errors.is_empty() {
        let mut page = ProfilePage::new(&state, &frame, &portal).await?;
        page.display_name = display_name.to_owned();
        page.phone = phone.to_owned();
        return page.with_errors(errors);
    }

    let now = Utc::now();
    let filled = |text: &str| (!text.is_empty()).then(|| text.to_owned());
    let txn = begin_write(&state.db).await?;
    accounts::update_profile(
        &txn,
        portal.account.id,
        filled(display_name),
        filled(phone),
        now,
    )
    .await?;
    let event =
        Event::new(Actor::Customer(&portal.payer.code), "profile_changed").from_addr(Some(&addr));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(saved("name"))
}

fn too_long(lang: crate::i18n::Lang, max: usize) -> String {
    let max = i64::try_from(max).expect("a small number");
    lang.t_with("profile-too-long", &[("max", Arg::Number(max))])
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    new_email: String,
}

pub async fn change_email(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    portal: Portal,
    Form(form): Form<EmailForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let now = Utc::now();
    let account = &portal.account;
    let throttle = email::account_key(account);
    let window = Duration::hours(email::WINDOW_HOURS);
    let mut errors = FormErrors::default();
    let new_email = match EmailAddress::parse(&form.new_email) {
        Err(problem) => {
            errors.add("new_email", lang.t(problem.message_id()));
            None
        }
        Ok(new) if account.email.as_deref() == Some(new.as_str()) => {
            errors.add("new_email", lang.t("profile-email-same"));
            None
        }
        Ok(_)
            if throttles::hits(&state.db, &throttle, window, now).await?
                >= email::LINKS_PER_ACCOUNT =>
        {
            errors.add("new_email", lang.t("email-too-many"));
            None
        }
        Ok(new) => Some(new),
    };
    let Some(new_email) = new_email else {
        let mut page = ProfilePage::new(&state, &frame, &portal).await?;
        page.new_email = form.new_email.trim().to_owned();
        return page.with_errors(errors);
    };

    let txn = begin_write(&state.db).await?;
    throttles::hit(&txn, &throttle, window, now).await?;
    email_confirm::send_link(&txn, &state, lang, account, &new_email, now).await?;
    let event = Event::new(
        Actor::Customer(&account.payer_code),
        "email_confirmation_sent",
    )
    .from_addr(Some(&addr));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(saved("email"))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_repeat: String,
}

fn password_key(account_id: i64) -> String {
    format!("profile-password:account:{account_id}")
}

pub async fn change_password(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    portal: Portal,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let account = &portal.account;
    let throttle = password_key(account.id);
    let window = Duration::hours(PASSWORD_WINDOW_HOURS);
    let mut errors = FormErrors::default();
    if form.current_password.is_empty() {
        errors.add(
            "current_password",
            lang.t("profile-current-password-missing"),
        );
    } else if throttles::hits(&state.db, &throttle, window, Utc::now()).await? >= PASSWORD_FAILURES
    {
        errors.add("current_password", lang.t("profile-password-too-many"));
    } else if !state
        .hasher
        .verify(form.current_password.clone(), account.password_hash.clone())
        .await?
    {
        throttles::hit(&state.db, &throttle, window, Utc::now()).await?;
        errors.add("current_password", lang.t("profile-current-password-wrong"));
    }
    let rules = password_errors(
        &state,
        lang,
        account,
        &form.new_password,
        &form.new_password_repeat,
    )
    .await?;
    for (field, message) in rules.iter() {
        errors.add(field, message.clone());
    }
    if !errors.is_empty() {
        return ProfilePage::new(&state, &frame, &portal)
            .await?
            .with_errors(errors);
    }

    let hash = state.hasher.hash(form.new_password).await?;
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    // Voids every session signed in until now, this one too; it signs in again below.
    accounts::replace_password(&txn, account.id, hash, now).await?;
    throttles::clear(&txn, &throttle).await?;
    if let Some(email) = &account.email {
        let mail = changed_letter(&state, lang, &account.payer_code, now)?
            .paragraph(lang.t("profile-password-mail-sessions"))
            .to(email, state.config.company()?)?;
        mail::enqueue(&txn, &state.config, mail, now).await?;
    }
    let event =
        Event::new(Actor::Customer(&account.payer_code), "password_changed").from_addr(Some(&addr));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    auth::sign_in(&frame.session, account.id, now).await?;
    Ok(saved("password"))
}

pub async fn withdraw_consent(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    portal: Portal,
) -> Result<Response, WebError> {
    let account = &portal.account;
    let now = Utc::now();
    let version = account.consent_version.clone().unwrap_or_default();
    let txn = begin_write(&state.db).await?;
    accounts::record_consent(
        &txn,
        account.id,
        &version,
        accounts::CONSENT_WITHDRAWN,
        Some(&addr),
        now,
    )
    .await?;
    let event = Event::new(Actor::Customer(&account.payer_code), "consent_withdrawn")
        .subject(version.clone())
        .from_addr(Some(&addr));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    auth::sign_out(&frame.session).await?;
    Ok(Redirect::to("/?notice=consent-required").into_response())
}

/// "Prenos mojih podatkov": the account (without its password), the payer, its points,
/// meters and readings, invoices and consent history, as a JSON file.
pub async fn download_data(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    portal: Portal,
) -> Result<Response, WebError> {
    let now = Utc::now();
    let data = personal_data::of_payer(&state.db, &portal.payer.code, portal.account.id).await?;
    let body = format!("{:#}", export(&portal, &data, now));
    let event =
        Event::new(Actor::Customer(&portal.payer.code), "data_downloaded").from_addr(Some(&addr));
    audit::record(&state.db, event, now).await?;
    let disposition = format!(
        "attachment; filename=\"eportal-{}.json\"",
        portal.payer.code
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

fn export(portal: &Portal, data: &PersonalData, now: DateTime<Utc>) -> serde_json::Value {
    let account = &portal.account;
    json!({
        "exported_at": now,
        "account": {
            "user_name": account.payer_code,
            "email": account.email,
            "email_confirmed_at": account.email_confirmed_at,
            "state": account.state,
            "display_name": account.display_name,
            "phone": account.phone,
            "consent_version": account.consent_version,
            "consent_given_at": account.consent_given_at,
            "created_at": account.created_at,
            "last_sign_in_at": account.last_sign_in_at,
        },
        "payer": data.payer.as_ref().map(|payer| json!({
            "code": payer.code,
            "name": payer.name,
            "street": payer.street,
            "postal_code": payer.postal_code,
            "city": payer.city,
            "tax_number": payer.tax_number,
            "email": payer.email,
            "phone": payer.phone,
        })),
        "points": data.points.iter().map(|point| json!({
            "code": point.code,
            "street": point.street,
            "postal_code": point.postal_code,
            "city": point.city,
            "kind": point.kind,
            "active": point.active,
        })).collect::<Vec<_>>(),
        "meters": data.meters.iter().map(|meter| json!({
            "serial": meter.serial,
            "point_code": meter.point_code,
            "medium": meter.medium,
            "unit": meter.unit,
            "installed_on": meter.installed_on,
            "removed_on": meter.removed_on,
        })).collect::<Vec<_>>(),
        "readings": data.readings.iter().map(|reading| json!({
            "meter_serial": reading.meter_serial,
            "read_on": reading.read_on,
            "source": reading.source,
            "litres": reading.litres,
        })).collect::<Vec<_>>(),
        "invoices": data.invoices.iter().map(|invoice| json!({
            "number": invoice.number,
            "point_code": invoice.point_code,
            "issue_date": invoice.issue_date,
            "period_from": invoice.period_from,
            "period_to": invoice.period_to,
            "due_date": invoice.due_date,
            "net_cents": invoice.net_cents,
            "vat_cents": invoice.vat_cents,
            "total_cents": invoice.total_cents,
            "reference": invoice.reference,
        })).collect::<Vec<_>>(),
        "consents": data.consents.iter().map(|consent| json!({
            "version": consent.version,
            "action": consent.action,
            "at": consent.at,
            "client_addr": consent.client_addr,
        })).collect::<Vec<_>>(),
    })
}
