//! "Registracija za nove uporabnike" (SPEC §3.1): the payer code, proven by a control number,
//! with an e-mail address and a password. The account then waits for activation by the link
//! mailed to that address (src/web/activation.rs).
//!
//! The CAPTCHA is checked before the database is asked anything, and an unknown payer and a
//! wrong control number get the same answer, so the form tells nobody which payers exist.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::Origin;
use crate::app::registration::{self, Registered, Registration};
use crate::captcha;
use crate::domain::password::PersonalData;
use crate::domain::payer_code::{PayerCode, PayerCodeError};
use crate::domain::throttle::ThrottleKey;
use crate::i18n::{Arg, Lang};
use crate::store::accounts::{self, Account, AccountState};
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth::{self, AuthRedirect, Customer};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{
    AnonymousForm, CaptchaAnswer, EmailMessages, Flash, FormErrors, Limit, check_anonymous_form,
};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::kit::password::NewPasswordForm;

/// Registration attempts one client address may make per hour: plenty for a household's
/// typos, too few to guess control numbers.
const ATTEMPTS_PER_ADDRESS: u32 = 20;

#[derive(Template)]
#[template(path = "public/register.html")]
struct RegisterPage {
    page: Chrome,
    errors: FormErrors,
    username: String,
    email: String,
    control_number: String,
    captcha_nonce: String,
    captcha_error: Option<String>,
    /// Why the form was not looked at (too many attempts).
    refusal: Option<String>,
}

impl RegisterPage {
    /// The form with a new CAPTCHA challenge: every showing needs one, and only a showing may
    /// make one, so that a form already sent cannot be sent again with the same answer.
    async fn new(frame: &Frame) -> Result<Self, WebError> {
        Ok(Self {
            page: frame.chrome("register-title"),
            errors: FormErrors::default(),
            username: String::new(),
            email: String::new(),
            control_number: String::new(),
            captcha_nonce: captcha::issue(&frame.session).await?.nonce,
            captcha_error: None,
            refusal: None,
        })
    }

    /// The form again with what was typed, except the passwords and the CAPTCHA.
    async fn again(frame: &Frame, form: &RegisterForm) -> Result<Self, WebError> {
        let mut page = Self::new(frame).await?;
        page.username = form.username.trim().to_owned();
        page.email = form.email.trim().to_owned();
        page.control_number = form.control_number.trim().to_owned();
        Ok(page)
    }
}

/// "Preverite elektronsko pošto": where the activation link went.
#[derive(Template)]
#[template(path = "public/register_sent.html")]
struct SentPage {
    page: Chrome,
    /// Where the link went.
    lead: String,
    /// How long it works.
    valid: String,
}

/// The payer already has an account: nothing to register, perhaps a password to recover.
#[derive(Template)]
#[template(path = "public/register_exists.html")]
struct ExistsPage {
    page: Chrome,
    text: String,
}

pub async fn show(frame: Frame, who: Result<Customer, AuthRedirect>) -> Result<Response, WebError> {
    if let Some(elsewhere) = auth::elsewhere_if_signed_in(who) {
        return Ok(elsewhere);
    }
    Ok(render(&RegisterPage::new(&frame).await?)?.into_response())
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    control_number: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_repeat: String,
    #[serde(flatten)]
    captcha: CaptchaAnswer,
}

/// Where the sent page finds the address the link went to.
const SENT_TO: Flash = Flash("register_sent_to");

const EMAIL: EmailMessages = EmailMessages {
    empty_key: "register-email-empty",
    invalid_key: "register-email-invalid",
};

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    who: Result<Customer, AuthRedirect>,
    Form(form): Form<RegisterForm>,
) -> Result<Response, WebError> {
    if let Some(elsewhere) = auth::elsewhere_if_signed_in(who) {
        return Ok(elsewhere);
    }
    let lang = frame.lang;
    let limit = Limit {
        key: ThrottleKey::RegisterAddress(&addr),
        per_hour: ATTEMPTS_PER_ADDRESS,
        refusal_key: "register-too-many",
    };
    let human = match check_anonymous_form(&state, &frame, limit, Some(&form.captcha)).await? {
        AnonymousForm::Again(refusal) => {
            return again(&frame, &form, |page| page.refusal = refusal).await;
        }
        AnonymousForm::Checked { human } => human,
    };
    let checked = checked(&state, &form, lang, human).await?;
    if let Some(account) = checked.existing {
        return exists(&frame, &account);
    }
    let Some(registration) = checked.registration else {
        let errors = checked.errors;
        let captcha_error = (!human).then(|| errors.get("captcha").to_owned());
        return again(&frame, &form, |page| {
            page.captcha_error = captcha_error;
            page.errors = errors;
        })
        .await;
    };
    let sent_to = registration.email.to_string();
    match registration::register(&state.app, &Origin::web(addr), registration).await? {
        Registered::LinkSent => {
            SENT_TO
                .redirect(&frame.session, sent_to, "/register/sent")
                .await
        }
        Registered::Exists(account) => exists(&frame, &account),
        Registered::ProofUsedUp => {
            let message = lang.t("register-no-match");
            again(&frame, &form, |page| page.errors.add("username", message)).await
        }
    }
}

/// "Preverite elektronsko pošto", reached by the redirect after registering, so a reload
/// registers nothing again.
pub async fn sent(frame: Frame, who: Result<Customer, AuthRedirect>) -> Result<Response, WebError> {
    if let Some(elsewhere) = auth::elsewhere_if_signed_in(who) {
        return Ok(elsewhere);
    }
    let Some(email) = SENT_TO.take(&frame.session).await? else {
        return Ok(Redirect::to("/register").into_response());
    };
    let lang = frame.lang;
    Ok(render(&SentPage {
        page: frame.chrome("register-sent-title"),
        lead: lang.t_with("register-sent-lead", &[("email", email.as_str().into())]),
        valid: lang.t_with(
            "register-sent-valid",
            &[("hours", Arg::Number(registration::LINK_VALID_HOURS))],
        ),
    })?
    .into_response())
}

/// The form again with what was typed (but the passwords and the CAPTCHA), adjusted by
/// `change`.
async fn again(
    frame: &Frame,
    form: &RegisterForm,
    change: impl FnOnce(&mut RegisterPage),
) -> Result<Response, WebError> {
    let mut page = RegisterPage::again(frame, form).await?;
    change(&mut page);
    Ok(render(&page)?.into_response())
}

/// What the form amounts to.
struct Checked {
    /// Every field right and the payer proven.
    registration: Option<Registration>,
    /// The proven payer has an account already, active or locked.
    existing: Option<Account>,
    errors: FormErrors,
}

async fn checked(
    state: &AppState,
    form: &RegisterForm,
    lang: Lang,
    human: bool,
) -> Result<Checked, WebError> {
    let payer_code = PayerCode::parse(&form.username);
    let number = form.control_number.trim();
    let proven = match (&payer_code, human && !number.is_empty()) {
        (Ok(code), true) => registration::prove(&state.app, code, number).await?,
        _ => None,
    };
    let mut errors = FormErrors::default();
    match &payer_code {
        Err(PayerCodeError::Empty) => errors.add("username", lang.t("register-username-empty")),
        Err(_) => errors.add("username", lang.t("register-username-invalid")),
        // Said only once the CAPTCHA is right and both are there, so nothing is learnt free.
        Ok(_) if human && !number.is_empty() && proven.is_none() => {
            errors.add("username", lang.t("register-no-match"));
        }
        Ok(_) => {}
    }
    let email = EMAIL.check(&mut errors, lang, &form.email);
    if number.is_empty() {
        errors.add("control_number", lang.t("register-control-number-empty"));
    }
    // The payer's name counts only once the registrant has shown they hold the payer's
    // papers; before that, a rule that knew the name would betray the payer.
    let personal = PersonalData {
        payer_code: form.username.trim(),
        name: proven.as_ref().map(|(payer, _)| payer.name.as_str()),
        email: Some(form.email.trim()),
    };
    let (password, repeat) = (&form.password, &form.password_repeat);
    NEW_PASSWORD.check(&mut errors, lang, password, repeat, &personal);
    if !human {
        errors.add("captcha", lang.t("register-captcha-wrong"));
    }
    let existing = match &proven {
        Some((payer, _)) => accounts::find_by_payer_code(&state.app.db, &payer.code)
            .await?
            .filter(|account| account.state != AccountState::Pending),
        None => None,
    };
    let registration = match (proven, email) {
        (Some((payer, proof)), Some(email)) if errors.is_empty() => Some(Registration {
            payer,
            proof,
            email,
            password: form.password.clone(),
            lang,
        }),
        _ => None,
    };
    Ok(Checked {
        registration,
        existing,
        errors,
    })
}

const NEW_PASSWORD: NewPasswordForm = NewPasswordForm {
    field: "password",
    repeat_field: "password_repeat",
    missing_key: "register-password-empty",
    repeat_missing_key: "register-password-repeat-empty",
    repeat_differs_key: "register-password-mismatch",
};

fn exists(frame: &Frame, account: &Account) -> Result<Response, WebError> {
    let username = [("username", account.payer_code.as_str().into())];
    Ok(render(&ExistsPage {
        page: frame.chrome("register-exists-title"),
        text: frame.lang.t_with("register-exists-text", &username),
    })?
    .into_response())
}
