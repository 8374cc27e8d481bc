//! "Stik z nami" (SPEC §3.13): the company's office hours and addresses, and a form whose
//! message is kept for staff, mailed to the company, and copied to the sender. Signed-in
//! customers see it in the portal's frame, filled in with their name and address; anyone
//! else answers a CAPTCHA.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use serde::Deserialize;

use super::auth::AuthRedirect;
use super::client::ClientAddr;
use super::form::FormErrors;
use super::page::{Chrome, Frame, render};
use super::portal::{Portal, Tab};
use super::{AppState, WebError};
use crate::captcha;
use crate::domain::email::{EmailAddress, EmailProblem};
use crate::i18n::{Arg, Lang};
use crate::mail::{self, letter::Letter};
use crate::store::audit::{self, Actor, Event};
use crate::store::contact_messages::{self, NewContactMessage};
use crate::store::{begin_write, throttles};

/// Messages one client address may send per [`WINDOW_HOURS`]; each mails the company and
/// its sender.
const MESSAGES_PER_ADDRESS: u32 = 10;
const WINDOW_HOURS: i64 = 1;
/// The longest name taken.
const MAX_NAME_CHARS: usize = 200;
/// The longest message taken.
const MAX_MESSAGE_CHARS: usize = 5000;

#[derive(Template)]
#[template(path = "contact.html")]
struct ContactPage {
    page: Chrome,
    errors: FormErrors,
    /// `name` would be taken by the input macro's own parameter of that name.
    sender_name: String,
    email: String,
    message: String,
    /// Set when the sender is not signed in: the nonce of the CAPTCHA's image.
    captcha_nonce: Option<String>,
    captcha_error: Option<String>,
    /// Why the form was not looked at (too many messages).
    refusal: Option<String>,
    message_hint: String,
}

#[derive(Template)]
#[template(path = "contact_sent.html")]
struct SentPage {
    page: Chrome,
    /// Where the copy went.
    lead: String,
}

/// Who is writing: a portal customer, or (`None`) someone not signed in. A signed-in account
/// that still owes consent or an address gives them first, as everywhere in the portal.
fn customer(who: Result<Portal, AuthRedirect>) -> Result<Option<Portal>, AuthRedirect> {
    match who {
        Ok(portal) => Ok(Some(portal)),
        Err(AuthRedirect::SignIn) => Ok(None),
        Err(elsewhere) => Err(elsewhere),
    }
}

fn chrome(frame: &Frame, portal: Option<&Portal>, title_key: &str) -> Chrome {
    match portal {
        Some(portal) => portal.chrome(frame, title_key, Some(Tab::Contact)),
        None => frame.chrome(title_key),
    }
}

impl ContactPage {
    /// The empty form: filled in for a customer, with a new CAPTCHA for anyone else.
    async fn new(frame: &Frame, portal: Option<&Portal>) -> Result<Self, WebError> {
        let captcha_nonce = match portal {
            Some(_) => None,
            None => Some(captcha::issue(&frame.session).await?.nonce),
        };
        Ok(Self {
            page: chrome(frame, portal, "contact-title"),
            errors: FormErrors::default(),
            sender_name: portal.map(Portal::user_name).unwrap_or_default(),
            email: portal
                .and_then(|portal| portal.account.email.clone())
                .unwrap_or_default(),
            message: String::new(),
            captcha_nonce,
            captcha_error: None,
            refusal: None,
            message_hint: frame.lang.t_with(
                "contact-message-hint",
                &[("max", max_arg(MAX_MESSAGE_CHARS))],
            ),
        })
    }

    /// The form again with what was typed.
    async fn again(
        frame: &Frame,
        portal: Option<&Portal>,
        form: &ContactForm,
    ) -> Result<Self, WebError> {
        let mut page = Self::new(frame, portal).await?;
        page.sender_name = form.name.trim().to_owned();
        page.email = form.email.trim().to_owned();
        page.message = form.message.clone();
        Ok(page)
    }
}

pub async fn show(frame: Frame, who: Result<Portal, AuthRedirect>) -> Result<Response, WebError> {
    let portal = match customer(who) {
        Ok(portal) => portal,
        Err(elsewhere) => return Ok(elsewhere.into_response()),
    };
    Ok(render(&ContactPage::new(&frame, portal.as_ref()).await?)?.into_response())
}

#[derive(Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    message: String,
    captcha: Option<String>,
    captcha_new: Option<String>,
}

fn address_key(addr: &str) -> String {
    format!("contact:address:{addr}")
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    who: Result<Portal, AuthRedirect>,
    Form(form): Form<ContactForm>,
) -> Result<Response, WebError> {
    let portal = match customer(who) {
        Ok(portal) => portal,
        Err(elsewhere) => return Ok(elsewhere.into_response()),
    };
    let portal = portal.as_ref();
    let lang = frame.lang;
    let now = Utc::now();
    if form.captcha_new.is_some() {
        return Ok(render(&ContactPage::again(&frame, portal, &form).await?)?.into_response());
    }
    if !throttles::admit(
        &state.db,
        &address_key(&addr),
        Duration::hours(WINDOW_HOURS),
        MESSAGES_PER_ADDRESS,
        now,
    )
    .await?
    {
        let mut page = ContactPage::again(&frame, portal, &form).await?;
        page.refusal = Some(lang.t("contact-too-many"));
        return Ok(render(&page)?.into_response());
    }

    let human = match portal {
        Some(_) => true,
        None => {
            let answer = form.captcha.as_deref().unwrap_or_default();
            captcha::verify(&frame.session, answer, state.config.test_captcha.as_ref()).await?
        }
    };
    let mut errors = FormErrors::default();
    let name = checked_name(&mut errors, lang, &form.name);
    let email = match EmailAddress::parse(&form.email) {
        Ok(email) => Some(email),
        Err(problem) => {
            let key = match problem {
                EmailProblem::Empty => "contact-email-empty",
                EmailProblem::Invalid => "contact-email-invalid",
            };
            errors.add("email", lang.t(key));
            None
        }
    };
    let message = checked_message(&mut errors, lang, &form.message);
    if !human {
        errors.add("captcha", lang.t("contact-captcha-wrong"));
    }
    let (Some(name), Some(email), Some(message), true) = (name, email, message, errors.is_empty())
    else {
        let mut page = ContactPage::again(&frame, portal, &form).await?;
        page.captcha_error = (!human).then(|| errors.get("captcha").to_owned());
        page.errors = errors;
        return Ok(render(&page)?.into_response());
    };

    let new = NewContactMessage {
        account_id: portal.map(|portal| portal.account.id),
        name,
        email: email.as_str().to_owned(),
        message,
        lang,
    };
    let company = state.config.company()?;
    let payer_code = portal.map(|portal| portal.payer.code.as_str());
    let txn = begin_write(&state.db).await?;
    let to_company = to_company(&new, payer_code).to(&company.contact_email, company)?;
    mail::enqueue(&txn, &state.config, to_company, now).await?;
    let copy = copy_to_sender(&new).to(&new.email, company)?;
    mail::enqueue(&txn, &state.config, copy, now).await?;
    let id = contact_messages::insert(&txn, new, now).await?;
    let actor = payer_code.map_or(Actor::Anonymous(None), Actor::Customer);
    let event = Event::new(actor, "contact_message")
        .subject(id.to_string())
        .from_addr(Some(&addr));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(render(&SentPage {
        page: chrome(&frame, portal, "contact-sent-title"),
        lead: lang.t_with("contact-sent-lead", &[("email", email.as_str().into())]),
    })?
    .into_response())
}

/// The trimmed name, or its error: empty or too long.
fn checked_name(errors: &mut FormErrors, lang: Lang, name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        errors.add("name", lang.t("contact-name-empty"));
        return None;
    }
    if name.chars().count() > MAX_NAME_CHARS {
        errors.add("name", too_long(lang, MAX_NAME_CHARS));
        return None;
    }
    Some(name.to_owned())
}

/// The message with its surrounding blank space trimmed, or its error: empty or too long.
fn checked_message(errors: &mut FormErrors, lang: Lang, message: &str) -> Option<String> {
    let message = message.trim();
    if message.is_empty() {
        errors.add("message", lang.t("contact-message-empty"));
        return None;
    }
    if message.chars().count() > MAX_MESSAGE_CHARS {
        errors.add("message", too_long(lang, MAX_MESSAGE_CHARS));
        return None;
    }
    Some(message.to_owned())
}

fn too_long(lang: Lang, max: usize) -> String {
    lang.t_with("contact-too-long", &[("max", max_arg(max))])
}

fn max_arg(max: usize) -> Arg {
    Arg::Number(i64::try_from(max).expect("a small number"))
}

/// The message for the company's staff, in Slovenian. Mail goes out without a Reply-To, so
/// the sender's address is in the text.
fn to_company(new: &NewContactMessage, payer_code: Option<&str>) -> Letter {
    let lang = Lang::Sl;
    let from = [
        ("name", Arg::from(new.name.as_str())),
        ("email", Arg::from(new.email.as_str())),
    ];
    let who = match payer_code {
        Some(code) => lang.t_with("contact-mail-company-customer", &[("code", code.into())]),
        None => lang.t("contact-mail-company-anonymous"),
    };
    Letter::new(lang, "contact-mail-company-subject")
        .paragraph(lang.t_with("contact-mail-company-from", &from))
        .paragraph(who)
        .paragraph(lang.t_with(
            "contact-mail-company-lang",
            &[("lang", new.lang.code().into())],
        ))
        .paragraph(new.message.clone())
        .after(lang.t_with(
            "contact-mail-company-reply",
            &[("email", new.email.as_str().into())],
        ))
}

/// The sender's copy, in the language they wrote in.
fn copy_to_sender(new: &NewContactMessage) -> Letter {
    let lang = new.lang;
    Letter::new(lang, "contact-mail-copy-subject")
        .paragraph(lang.t("contact-mail-copy-received"))
        .paragraph(new.message.clone())
        .after(lang.t("contact-mail-copy-not-you"))
}
