//! "Moj profil" (SPEC §3.14): the name the portal shows and a phone, the e-mail address
//! (changed only by the link sent to the new one) and the password, each a form of its own.
//! Beyond the manual: the last sign-ins, a download of one's data, and withdrawing consent.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::email::{self, LinkRequested};
use crate::app::notifications as notifications_app;
use crate::app::password::{self, CurrentPassword};
use crate::app::profile::{self, Details};
use crate::app::{Origin, consent};
use crate::domain::email::EmailAddress;
use crate::i18n::{Arg, format_date_time_sl};
use crate::store::accounts::ConsentDecision;
use crate::store::audit::{self, AuditAction};
use crate::store::notifications::{self, NotificationKind};
use crate::store::tokens::{self, Purpose};
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth;
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::FormErrors;
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::kit::password::password_errors;
use crate::web::portal::frame::{Portal, Tab};

/// The longest name and phone taken.
const MAX_NAME_CHARS: usize = 100;
const MAX_PHONE_CHARS: usize = 40;
/// How many sign-ins the page lists.
const SIGN_INS_SHOWN: u64 = 10;

/// What the page says was saved, by the form that saved it.
const SAVED: [&str; 4] = ["name", "email", "password", "notifications"];

/// One notification of "Obveščanje", ticked when the customer gets it.
struct NotificationChoice {
    value: &'static str,
    label: String,
    hint: String,
    chosen: bool,
}

/// One line of "Zadnje prijave".
struct SignInRow {
    when: String,
    client_addr: String,
}

#[derive(Template)]
#[template(path = "portal/profile.html")]
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
    notifications: Vec<NotificationChoice>,
    sign_ins: Vec<SignInRow>,
}

impl ProfilePage {
    async fn new(state: &AppState, frame: &Frame, portal: &Portal) -> Result<Self, WebError> {
        let account = &portal.account;
        let pending = tokens::outstanding(
            &state.app.db,
            account.id,
            Purpose::EmailChange,
            state.app.now(),
        )
        .await?
        .and_then(|token| token.new_email);
        let sign_ins = audit::latest_of_customer(
            &state.app.db,
            &account.payer_code,
            AuditAction::SignIn,
            SIGN_INS_SHOWN,
        )
        .await?
        .into_iter()
        .map(|event| SignInRow {
            when: format_date_time_sl(event.at),
            client_addr: event.client_addr.unwrap_or_default(),
        })
        .collect();
        let chosen = notifications::kinds_of(&state.app.db, account.id).await?;
        let notifications = NotificationKind::ALL
            .iter()
            .map(|&kind| NotificationChoice {
                value: kind.as_str(),
                label: frame
                    .lang
                    .t(&format!("notification-kind-{}", kind.as_str())),
                hint: frame
                    .lang
                    .t(&format!("notification-hint-{}", kind.as_str())),
                chosen: chosen.contains(&kind),
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
            notifications,
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

    let filled = |text: &str| (!text.is_empty()).then(|| text.to_owned());
    let details = Details {
        display_name: filled(display_name),
        phone: filled(phone),
    };
    profile::save_details(&state.app, &Origin::web(addr), &portal.account, details).await?;
    Ok(saved("name"))
}

fn too_long(lang: crate::i18n::Lang, max: usize) -> String {
    let max = i64::try_from(max).unwrap_or(i64::MAX);
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
    let account = &portal.account;
    let mut errors = FormErrors::default();
    match EmailAddress::parse(&form.new_email) {
        Err(problem) => errors.add("new_email", lang.t(problem.message_id())),
        Ok(new) if account.email.as_deref() == Some(new.as_str()) => {
            errors.add("new_email", lang.t("profile-email-same"));
        }
        Ok(new) => {
            let origin = Origin::web(addr);
            match email::request_confirmation(&state.app, &origin, account, &new, lang).await? {
                LinkRequested::Sent => return Ok(saved("email")),
                LinkRequested::TooMany => errors.add("new_email", lang.t("email-too-many")),
            }
        }
    }
    let mut page = ProfilePage::new(&state, &frame, &portal).await?;
    page.new_email = form.new_email.trim().to_owned();
    page.with_errors(errors)
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

pub async fn change_password(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    portal: Portal,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let account = &portal.account;
    let mut errors = FormErrors::default();
    if form.current_password.is_empty() {
        errors.add(
            "current_password",
            lang.t("profile-current-password-missing"),
        );
    } else {
        match password::check_current(&state.app, account, &form.current_password).await? {
            CurrentPassword::Right => {}
            CurrentPassword::Wrong => {
                errors.add("current_password", lang.t("profile-current-password-wrong"));
            }
            CurrentPassword::TooManyFailures => {
                errors.add("current_password", lang.t("profile-password-too-many"));
            }
        }
    }
    let (new, repeat) = (&form.new_password, &form.new_password_repeat);
    let rules = password_errors(&state, lang, account, new, repeat).await?;
    for (field, message) in rules.iter() {
        errors.add(field, message.clone());
    }
    if !errors.is_empty() {
        return ProfilePage::new(&state, &frame, &portal)
            .await?
            .with_errors(errors);
    }
    let origin = Origin::web(addr);
    let new_password = form.new_password;
    let at = password::change(&state.app, &origin, account, new_password, lang).await?;
    // Every session signed in until now ended, this one too: it signs in again.
    auth::sign_in(&frame.session, account.id, at).await?;
    Ok(saved("password"))
}

/// "Obveščanje": a `kind` field for each notification ticked.
pub async fn save_notifications(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    portal: Portal,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let wanted: Vec<NotificationKind> = fields
        .iter()
        .filter(|(name, _)| name == "kind")
        .filter_map(|(_, value)| {
            NotificationKind::ALL
                .iter()
                .copied()
                .find(|kind| kind.as_str() == value)
        })
        .collect();
    notifications_app::choose(&state.app, &Origin::web(addr), &portal.account, &wanted).await?;
    // The section is far down the page: the browser goes straight to its "saved".
    let to = "/profile?saved=notifications#profile-notifications-title";
    Ok(Redirect::to(to).into_response())
}

pub async fn withdraw_consent(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    portal: Portal,
) -> Result<Response, WebError> {
    let withdrawn = ConsentDecision::Withdrawn;
    consent::decide(&state.app, &Origin::web(addr), &portal.account, withdrawn).await?;
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
    let export = profile::export_data(&state.app, &Origin::web(addr), &portal.account).await?;
    let body = serde_json::to_string_pretty(&export)?;
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
