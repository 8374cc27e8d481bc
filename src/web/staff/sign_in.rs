//! Staff sign-in (SPEC §4): "Uporabniško ime" and "Geslo", then "Koda" from the authenticator
//! app, or at the first sign-in the enrolment of one, which ends with the recovery codes shown
//! once. Every failure gets the same words; repeated failures slow down, then need a CAPTCHA.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::{self, Pending, StaffMember};
use crate::app::Origin;
use crate::app::staff_sign_in::{self, CodeFor};
use crate::captcha;
use crate::domain::second_factor::TotpKey;
use crate::domain::throttle::SignInGuard;
use crate::domain::upn::text_qr_svg;
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{CaptchaAnswer, FormErrors};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

/// The recovery codes, left for the page that shows them once.
const RECOVERY_CODES: &str = "staff_recovery_codes";

#[derive(Template)]
#[template(path = "staff/sign_in.html")]
struct SignInPage {
    page: Chrome,
    errors: FormErrors,
    username: String,
    captcha_nonce: Option<String>,
    captcha_error: Option<String>,
}

pub async fn show(frame: Frame, member: Option<StaffMember>) -> Result<Response, WebError> {
    if member.is_some() {
        return Ok(Redirect::to("/staff/home").into_response());
    }
    Ok(render(&SignInPage {
        page: frame.chrome("staff-sign-in-title").for_staff(),
        errors: FormErrors::default(),
        username: String::new(),
        captcha_nonce: None,
        captcha_error: None,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(flatten)]
    captcha: CaptchaAnswer,
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<SignInForm>,
) -> Result<Response, WebError> {
    let origin = Origin::web(addr);
    let username = form.username.trim().to_owned();
    let guard = staff_sign_in::guard(&state.app, &origin, &username).await?;
    let mut page = SignInPage {
        page: frame.chrome("staff-sign-in-title").for_staff(),
        errors: FormErrors::default(),
        username: username.clone(),
        captcha_nonce: None,
        captcha_error: None,
    };
    if guard.needs_captcha() {
        let passed = !form.captcha.wants_new_picture()
            && form.captcha.verify(&state, &frame.session).await?;
        if !passed {
            if !form.captcha.wants_new_picture() {
                let message = frame.lang.t("sign-in-captcha-wrong");
                page.errors.add("captcha", message.clone());
                page.captcha_error = Some(message);
            }
            page.captcha_nonce = Some(captcha::issue(&frame.session).await?.nonce);
            return Ok(render(&page)?.into_response());
        }
    }
    if let SignInGuard::Delay(pause) = guard {
        state.app.clock.pause(pause).await;
    }
    let Some(user) =
        staff_sign_in::check_password(&state.app, &origin, &username, &form.password).await?
    else {
        page.errors.add("username", frame.lang.t("sign-in-failed"));
        let next = staff_sign_in::guard(&state.app, &origin, &username).await?;
        if next.needs_captcha() {
            page.captcha_nonce = Some(captcha::issue(&frame.session).await?.nonce);
        }
        return Ok(render(&page)?.into_response());
    };
    auth::password_passed(&frame.session, &user, state.app.now()).await?;
    let next = match user.totp_enrolled_at {
        Some(_) => "/staff/code",
        None => "/staff/enrol",
    };
    Ok(Redirect::to(next).into_response())
}

#[derive(Template)]
#[template(path = "staff/code.html")]
struct CodePage {
    page: Chrome,
    errors: FormErrors,
}

pub async fn code(frame: Frame, Pending { user }: Pending) -> Result<Response, WebError> {
    if user.totp_enrolled_at.is_none() {
        return Ok(Redirect::to("/staff/enrol").into_response());
    }
    Ok(render(&CodePage {
        page: frame.chrome("staff-code-title").for_staff(),
        errors: FormErrors::default(),
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// Guessing codes is throttled like passwords: slower and slower, and once a CAPTCHA would
/// be due the password must be given again (with it). `Some` answer when the guess is not
/// looked at.
async fn code_guard(
    state: &AppState,
    frame: &Frame,
    origin: &Origin,
    user: &crate::store::staff::StaffUser,
) -> Result<Option<Response>, WebError> {
    let guard = staff_sign_in::guard(&state.app, origin, &user.username).await?;
    if guard.needs_captcha() {
        frame.session.flush().await?;
        return Ok(Some(Redirect::to("/staff").into_response()));
    }
    if let SignInGuard::Delay(pause) = guard {
        state.app.clock.pause(pause).await;
    }
    Ok(None)
}

pub async fn submit_code(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Pending { user }: Pending,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    let origin = Origin::web(addr);
    if let Some(refused) = code_guard(&state, &frame, &origin, &user).await? {
        return Ok(refused);
    }
    let purpose = CodeFor::SignIn;
    if staff_sign_in::verify_code(&state.app, &origin, &user, &form.code, purpose).await? {
        auth::signed_in(&frame.session, &user, state.app.now()).await?;
        return Ok(Redirect::to("/staff/home").into_response());
    }
    let mut errors = FormErrors::default();
    errors.add("code", frame.lang.t("staff-code-wrong"));
    Ok(render(&CodePage {
        page: frame.chrome("staff-code-title").for_staff(),
        errors,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "staff/enrol.html")]
struct EnrolPage {
    page: Chrome,
    errors: FormErrors,
    qr_svg: String,
    secret: String,
}

impl EnrolPage {
    fn new(state: &AppState, frame: &Frame, username: &str, key: &TotpKey) -> Self {
        let issuer = format!("ePortal {}", state.app.site.company.short_name);
        let qr_svg = key
            .otpauth_url(username, &issuer)
            .and_then(|url| text_qr_svg(&url))
            .unwrap_or_default();
        Self {
            page: frame.chrome("staff-enrol-title").for_staff(),
            errors: FormErrors::default(),
            qr_svg,
            secret: key.base32_grouped(),
        }
    }
}

pub async fn enrol(
    State(state): State<AppState>,
    frame: Frame,
    Pending { user }: Pending,
) -> Result<Response, WebError> {
    if user.totp_enrolled_at.is_some() {
        return Ok(Redirect::to("/staff/code").into_response());
    }
    let key = staff_sign_in::begin_enrolment(&state.app, &user).await?;
    Ok(render(&EnrolPage::new(&state, &frame, &user.username, &key))?.into_response())
}

pub async fn submit_enrol(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Pending { user }: Pending,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    let origin = Origin::web(addr);
    if let Some(refused) = code_guard(&state, &frame, &origin, &user).await? {
        return Ok(refused);
    }
    let done = staff_sign_in::complete_enrolment(&state.app, &origin, &user, &form.code).await?;
    if let Some(codes) = done {
        auth::signed_in(&frame.session, &user, state.app.now()).await?;
        frame.session.insert(RECOVERY_CODES, codes).await?;
        return Ok(Redirect::to("/staff/recovery-codes").into_response());
    }
    let key = staff_sign_in::begin_enrolment(&state.app, &user).await?;
    let mut page = EnrolPage::new(&state, &frame, &user.username, &key);
    page.errors.add("code", frame.lang.t("staff-code-wrong"));
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "staff/recovery_codes.html")]
struct RecoveryCodesPage {
    page: Chrome,
    codes: Vec<String>,
}

/// The recovery codes, once: a reload leads on to the back office.
pub async fn recovery_codes(frame: Frame, member: StaffMember) -> Result<Response, WebError> {
    let Some(codes) = member.session.remove::<Vec<String>>(RECOVERY_CODES).await? else {
        return Ok(Redirect::to("/staff/home").into_response());
    };
    let page = frame
        .chrome("staff-recovery-codes-title")
        .for_staff_user(&member.user);
    Ok(render(&RecoveryCodesPage { page, codes })?.into_response())
}

pub async fn sign_out(
    State(state): State<AppState>,
    frame: Frame,
    member: Option<StaffMember>,
) -> Result<Response, WebError> {
    if let Some(member) = member {
        staff_sign_in::sign_out(&state.app, &member.user).await?;
    }
    frame.session.flush().await?;
    Ok(Redirect::to("/staff").into_response())
}

#[derive(Template)]
#[template(path = "staff/confirm.html")]
struct ConfirmPage {
    page: Chrome,
    errors: FormErrors,
    next: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only the back office's own pages, so the confirmation cannot send anyone elsewhere.
fn back_office_path(next: &str) -> &str {
    let local = next.starts_with("/staff/")
        && !next.contains("//")
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    if local { next } else { "/staff/home" }
}

pub async fn confirm(
    frame: Frame,
    member: StaffMember,
    axum::extract::Query(query): axum::extract::Query<NextQuery>,
) -> Result<Response, WebError> {
    let page = frame
        .chrome("staff-confirm-title")
        .for_staff_user(&member.user);
    Ok(render(&ConfirmPage {
        page,
        errors: FormErrors::default(),
        next: back_office_path(&query.next).to_owned(),
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

pub async fn submit_confirm(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    member: StaffMember,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, WebError> {
    let origin = Origin::web(addr);
    let next = back_office_path(&form.next).to_owned();
    if let Some(refused) = code_guard(&state, &frame, &origin, &member.user).await? {
        return Ok(refused);
    }
    let purpose = CodeFor::Confirmation;
    if staff_sign_in::verify_code(&state.app, &origin, &member.user, &form.code, purpose).await? {
        auth::confirmed(&frame.session, state.app.now()).await?;
        return Ok(Redirect::to(&next).into_response());
    }
    let mut errors = FormErrors::default();
    errors.add("code", frame.lang.t("staff-code-wrong"));
    let page = frame
        .chrome("staff-confirm-title")
        .for_staff_user(&member.user);
    Ok(render(&ConfirmPage { page, errors, next })?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_confirmation_leads_back_only_into_the_back_office() {
        assert_eq!(
            back_office_path("/staff/access-requests/7"),
            "/staff/access-requests/7"
        );
        for elsewhere in [
            "/home",
            "https://evil.example",
            "//evil.example",
            "/staff//x",
            "/staff/\t/x",
            "",
        ] {
            assert_eq!(back_office_path(elsewhere), "/staff/home", "{elsewhere}");
        }
    }
}
