//! "Registracija za nove uporabnike" (SPEC §3.1): the payer code, proven by a control number,
//! with an e-mail address and a password. The account then waits for activation by the link
//! mailed to that address (src/web/activation.rs).
//!
//! The CAPTCHA is checked before the database is asked anything, and an unknown payer and a
//! wrong control number get the same answer, so the form tells nobody which payers exist.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use super::activation::{self, LINK_VALID_HOURS};
use super::auth::{self, AuthRedirect, Customer};
use super::client::ClientAddr;
use super::form::FormErrors;
use super::page::{Chrome, Frame, render};
use super::{AppState, WebError};
use crate::captcha;
use crate::domain::email::{EmailAddress, EmailProblem};
use crate::domain::password::{PersonalData, check_password};
use crate::domain::payer_code::{PayerCode, PayerCodeError};
use crate::i18n::{Arg, Lang};
use crate::store::accounts::{self, Account};
use crate::store::audit::{self, Actor, Event};
use crate::store::control_numbers::{self, ControlNumber};
use crate::store::payers::{self, Payer};
use crate::store::{Db, begin_write, invoices, throttles};

/// Registration attempts one client address may make per [`WINDOW_HOURS`]: plenty for a
/// household's typos, too few to guess control numbers.
const ATTEMPTS_PER_ADDRESS: u32 = 20;
const WINDOW_HOURS: i64 = 1;

#[derive(Template)]
#[template(path = "register.html")]
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
#[template(path = "register_sent.html")]
struct SentPage {
    page: Chrome,
    /// Where the link went.
    lead: String,
    /// How long it works.
    valid: String,
}

/// The payer already has an account: nothing to register, perhaps a password to recover.
#[derive(Template)]
#[template(path = "register_exists.html")]
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
    captcha: Option<String>,
    captcha_new: Option<String>,
}

fn address_key(addr: &str) -> String {
    format!("register:address:{addr}")
}

/// What proves that the registrant holds the payer's papers.
enum Proof {
    /// The number of one of the payer's invoices.
    Invoice,
    /// A control number staff issued, used up by the registration.
    Issued(ControlNumber),
}

impl Proof {
    fn word(&self) -> &'static str {
        match self {
            Proof::Invoice => "invoice",
            Proof::Issued(_) => "control_number",
        }
    }
}

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
    let now = Utc::now();
    if form.captcha_new.is_some() {
        return Ok(render(&RegisterPage::again(&frame, &form).await?)?.into_response());
    }

    let window = Duration::hours(WINDOW_HOURS);
    if !throttles::admit(
        &state.db,
        &address_key(&addr),
        window,
        ATTEMPTS_PER_ADDRESS,
        now,
    )
    .await?
    {
        let mut page = RegisterPage::again(&frame, &form).await?;
        page.refusal = Some(lang.t("register-too-many"));
        return Ok(render(&page)?.into_response());
    }

    // First the CAPTCHA: while it is wrong, the database is not asked about the payer.
    let answer = form.captcha.as_deref().unwrap_or_default();
    let human = captcha::verify(&frame.session, answer, state.config.test_captcha.as_ref()).await?;

    let payer_code = PayerCode::parse(&form.username);
    let email = EmailAddress::parse(&form.email);
    let number = form.control_number.trim();
    let proven = match (&payer_code, human && !number.is_empty()) {
        (Ok(code), true) => prove(&state.db, code, number, now).await?,
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
    if let Err(problem) = &email {
        let key = match problem {
            EmailProblem::Empty => "register-email-empty",
            EmailProblem::Invalid => "register-email-invalid",
        };
        errors.add("email", lang.t(key));
    }
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
    password_errors(&mut errors, lang, &form, &personal);
    if !human {
        errors.add("captcha", lang.t("register-captcha-wrong"));
    }

    if let Some((payer, _)) = &proven
        && let Some(account) = accounts::find_by_payer_code(&state.db, &payer.code).await?
        && account.state != accounts::PENDING
    {
        return exists(&frame, &account);
    }
    let (Some((payer, proof)), Ok(email), true) = (proven, email, errors.is_empty()) else {
        let mut page = RegisterPage::again(&frame, &form).await?;
        page.captcha_error = (!human).then(|| errors.get("captcha").to_owned());
        page.errors = errors;
        return Ok(render(&page)?.into_response());
    };

    let password_hash = state.hasher.hash(form.password.clone()).await?;
    let txn = begin_write(&state.db).await?;
    let proof_holds = match &proof {
        Proof::Invoice => true,
        Proof::Issued(issued) => control_numbers::use_up(&txn, issued.id, now).await?,
    };
    if !proof_holds {
        // Someone registered with the same staff-issued number a moment ago.
        txn.rollback().await?;
        let mut page = RegisterPage::again(&frame, &form).await?;
        page.errors.add("username", lang.t("register-no-match"));
        return Ok(render(&page)?.into_response());
    }
    let pending = accounts::find_by_payer_code(&txn, &payer.code).await?;
    let Some(account_id) =
        accounts::register_pending(&txn, &payer.code, email.as_str(), &password_hash, now).await?
    else {
        txn.rollback().await?;
        let account = accounts::find_by_payer_code(&state.db, &payer.code).await?;
        return match account {
            Some(account) => exists(&frame, &account),
            None => Err(WebError::NotFound),
        };
    };
    activation::send_link(
        &txn,
        &state.config,
        account_id,
        &payer.code,
        email.as_str(),
        lang,
        now,
    )
    .await?;
    let event = Event::new(Actor::Customer(&payer.code), "registration")
        .subject(payer.code.clone())
        .from_addr(Some(&addr))
        .details(serde_json::json!({
            "proof": proof.word(),
            "replaced_pending": pending.is_some(),
        }));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;

    Ok(render(&SentPage {
        page: frame.chrome("register-sent-title"),
        lead: lang.t_with("register-sent-lead", &[("email", email.as_str().into())]),
        valid: lang.t_with(
            "register-sent-valid",
            &[("hours", Arg::Number(LINK_VALID_HOURS))],
        ),
    })?
    .into_response())
}

/// The payer named by `code`, if `number` is one of its control numbers. All the look-ups run
/// whatever each finds, so an unknown payer takes as long as a wrong number.
async fn prove(
    db: &Db,
    code: &PayerCode,
    number: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Payer, Proof)>, WebError> {
    let payer = payers::find(db, code.as_str()).await?;
    let invoice = invoices::is_payers_invoice(db, code.as_str(), number).await?;
    let issued = control_numbers::find_usable(db, code.as_str(), number, now).await?;
    let proof = match (invoice, issued) {
        (true, _) => Some(Proof::Invoice),
        (false, Some(issued)) => Some(Proof::Issued(issued)),
        (false, None) => None,
    };
    Ok(payer.zip(proof))
}

/// The password's problems, each its own message, then whether the repetition matches.
fn password_errors(
    errors: &mut FormErrors,
    lang: Lang,
    form: &RegisterForm,
    personal: &PersonalData,
) {
    if form.password.is_empty() {
        errors.add("password", lang.t("register-password-empty"));
    } else {
        for problem in check_password(&form.password, personal) {
            let args: Vec<(&'static str, Arg)> = problem
                .args()
                .into_iter()
                .map(|(name, value)| (name, Arg::Number(value)))
                .collect();
            errors.add("password", lang.t_with(problem.message_id(), &args));
        }
    }
    if form.password_repeat.is_empty() {
        if !form.password.is_empty() {
            errors.add("password_repeat", lang.t("register-password-repeat-empty"));
        }
    } else if form.password_repeat != form.password {
        errors.add("password_repeat", lang.t("register-password-mismatch"));
    }
}

fn exists(frame: &Frame, account: &Account) -> Result<Response, WebError> {
    let username = [("username", account.payer_code.as_str().into())];
    Ok(render(&ExistsPage {
        page: frame.chrome("register-exists-title"),
        text: frame.lang.t_with("register-exists-text", &username),
    })?
    .into_response())
}
