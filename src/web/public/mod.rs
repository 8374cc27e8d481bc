//! Pages for people who are not signed in: sign-in, registration and activation, password
//! recovery, the access request, confirming an e-mail address, the CAPTCHA, static files.

pub mod access_request;
pub mod activation;
pub mod assets;
pub mod captcha;
pub mod email_confirm;
pub mod password_forgot;
pub mod password_reset;
pub mod register;
pub mod sign_in;
pub mod unsubscribe;

use axum::routing::{get, post};

use super::kit::lang;
use super::router::Table;

pub(super) fn routes(table: Table) -> Table {
    table
        .route("/", get(sign_in::show).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/register", get(register::show).post(register::submit))
        .route("/register/sent", get(register::sent))
        .route(
            "/activate",
            get(activation::show).post(activation::activate),
        )
        .route("/activate/resend", post(activation::resend))
        .route("/activate/resent", get(activation::resent))
        .route(
            "/access-request",
            get(access_request::show).post(access_request::submit),
        )
        .route("/access-request/sent", get(access_request::sent))
        .route(
            "/password/forgot",
            get(password_forgot::show).post(password_forgot::submit),
        )
        .route("/password/forgot/sent", get(password_forgot::sent))
        .route(
            "/password/reset",
            get(password_reset::show).post(password_reset::submit),
        )
        .route(
            "/email/confirm",
            get(email_confirm::show).post(email_confirm::submit),
        )
        .route("/lang/{code}", get(lang::switch))
        .route("/static/{name}", get(assets::serve))
        .route("/captcha/image", get(captcha::image))
        .route("/captcha/audio", get(captcha::audio))
}

/// Links in e-mails that act by their secret alone, without the form token: a mail program's
/// one-click unsubscribe (RFC 8058) posts from outside any page of ours.
pub(super) fn mail_links(table: Table) -> Table {
    table.route(
        "/unsubscribe",
        get(unsubscribe::show).post(unsubscribe::submit),
    )
}
