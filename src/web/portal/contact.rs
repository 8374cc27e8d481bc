//! "Stik z nami" (SPEC §3.13): the company's office hours and addresses, and a form whose
//! message is kept for staff, mailed to the company, and copied to the sender. Signed-in
//! customers see it in the portal's frame, filled in with their name and address; anyone
//! else answers a CAPTCHA.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::{Origin, contact};
use crate::captcha;
use crate::domain::throttle::ThrottleKey;
use crate::i18n::{Arg, Lang};
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth::AuthRedirect;
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{
    AnonymousForm, CaptchaAnswer, EmailMessages, Flash, FormErrors, Limit, TextField,
    check_anonymous_form,
};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::portal::frame::{Portal, Tab};

/// Messages one client address may send per hour; each mails the company and its sender.
const MESSAGES_PER_ADDRESS: u32 = 10;
/// The longest message taken.
const MAX_MESSAGE_CHARS: usize = 5000;
const NAME: TextField = TextField {
    field: "name",
    empty_key: "contact-name-empty",
    max_chars: 200,
    too_long_key: "contact-too-long",
};
const MESSAGE: TextField = TextField {
    field: "message",
    empty_key: "contact-message-empty",
    max_chars: MAX_MESSAGE_CHARS,
    too_long_key: "contact-too-long",
};

#[derive(Template)]
#[template(path = "portal/contact.html")]
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
#[template(path = "portal/contact_sent.html")]
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
    #[serde(flatten)]
    captcha: CaptchaAnswer,
}

/// Where the sent page finds the address the copy went to.
const SENT_TO: Flash = Flash("contact_sent_to");

const EMAIL: EmailMessages = EmailMessages {
    empty_key: "contact-email-empty",
    invalid_key: "contact-email-invalid",
};

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
    let limit = Limit {
        key: ThrottleKey::ContactAddress(&addr),
        per_hour: MESSAGES_PER_ADDRESS,
        refusal_key: "contact-too-many",
    };
    // A signed-in customer answers no CAPTCHA.
    let captcha = portal.is_none().then_some(&form.captcha);
    let human = match check_anonymous_form(&state, &frame, limit, captcha).await? {
        AnonymousForm::Again(refusal) => {
            return again(&frame, portal, &form, |page| page.refusal = refusal).await;
        }
        AnonymousForm::Checked { human } => human,
    };
    let (message, errors) = checked(&form, portal, lang, human);
    let Some(message) = message else {
        let captcha_error = (!human).then(|| errors.get("captcha").to_owned());
        return again(&frame, portal, &form, |page| {
            page.captcha_error = captcha_error;
            page.errors = errors;
        })
        .await;
    };
    let sent_to = message.email.to_string();
    contact::send(&state.app, &Origin::web(addr), message).await?;
    SENT_TO
        .redirect(&frame.session, sent_to, "/contact/sent")
        .await
}

/// "Hvala za vaše sporočilo": where the copy went. Reached by the redirect after sending, so a
/// reload shows the page again without sending the message again.
pub async fn sent(frame: Frame, who: Result<Portal, AuthRedirect>) -> Result<Response, WebError> {
    let portal = match customer(who) {
        Ok(portal) => portal,
        Err(elsewhere) => return Ok(elsewhere.into_response()),
    };
    let Some(email) = SENT_TO.take(&frame.session).await? else {
        return Ok(Redirect::to("/contact").into_response());
    };
    Ok(render(&SentPage {
        page: chrome(&frame, portal.as_ref(), "contact-sent-title"),
        lead: frame
            .lang
            .t_with("contact-sent-lead", &[("email", email.as_str().into())]),
    })?
    .into_response())
}

/// The form again with what was typed, adjusted by `change`.
async fn again(
    frame: &Frame,
    portal: Option<&Portal>,
    form: &ContactForm,
    change: impl FnOnce(&mut ContactPage),
) -> Result<Response, WebError> {
    let mut page = ContactPage::again(frame, portal, form).await?;
    change(&mut page);
    Ok(render(&page)?.into_response())
}

/// The message if every field is right, and what is wrong with the fields.
fn checked(
    form: &ContactForm,
    portal: Option<&Portal>,
    lang: Lang,
    human: bool,
) -> (Option<contact::Message>, FormErrors) {
    let mut errors = FormErrors::default();
    let name = NAME.check(&mut errors, lang, &form.name);
    let email = EMAIL.check(&mut errors, lang, &form.email);
    let text = MESSAGE.check(&mut errors, lang, &form.message);
    if !human {
        errors.add("captcha", lang.t("contact-captcha-wrong"));
    }
    let message = match (name, email, text, errors.is_empty()) {
        (Some(name), Some(email), Some(text), true) => Some(contact::Message {
            writer: portal.map(|portal| contact::Writer {
                account_id: portal.account.id,
                payer_code: portal.payer.code.clone(),
            }),
            name,
            email,
            text,
            lang,
        }),
        _ => None,
    };
    (message, errors)
}

fn max_arg(max: usize) -> Arg {
    Arg::Number(i64::try_from(max).unwrap_or(i64::MAX))
}
