//! The back office (SPEC §4), at `/staff`, with a session of its own.

pub mod access_requests;
pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod auth;
pub mod home;
pub mod import;
pub mod invoice_email;
pub mod mail;
pub mod messages;
pub mod notices;
pub mod readings;
pub mod sign_in;
pub mod staff_users;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use super::public::captcha;
use super::router::Table;

pub(super) fn routes(table: Table) -> Table {
    table
        .route("/staff", get(sign_in::show).post(sign_in::submit))
        .route("/staff/code", get(sign_in::code).post(sign_in::submit_code))
        .route(
            "/staff/enrol",
            get(sign_in::enrol).post(sign_in::submit_enrol),
        )
        .route("/staff/recovery-codes", get(sign_in::recovery_codes))
        .route(
            "/staff/confirm",
            get(sign_in::confirm).post(sign_in::submit_confirm),
        )
        .route("/staff/home", get(home::show))
        .route("/staff/access-requests", get(access_requests::list))
        .route("/staff/access-requests/{id}", get(access_requests::show))
        .route(
            "/staff/access-requests/{id}/issue",
            post(access_requests::issue),
        )
        .route(
            "/staff/access-requests/{id}/refuse",
            post(access_requests::refuse),
        )
        .route("/staff/messages", get(messages::list))
        .route("/staff/messages/{id}", get(messages::show))
        .route("/staff/messages/{id}/handled", post(messages::mark_handled))
        .route("/staff/messages/{id}/reply", post(messages::reply))
        .route("/staff/readings", get(readings::list))
        .route("/staff/readings/export", post(readings::export))
        .route(
            "/staff/readings/verdicts",
            post(readings::verdicts).layer(DefaultBodyLimit::max(readings::VERDICT_FILE_LIMIT)),
        )
        .route("/staff/readings/exports", get(readings::batches))
        .route("/staff/readings/exports/{id}", get(readings::batch))
        .route(
            "/staff/readings/exports/{id}/file",
            get(readings::batch_file),
        )
        .route("/staff/accounts", get(accounts::list))
        .route("/staff/accounts/{id}", get(accounts::show))
        .route("/staff/accounts/{id}/act", post(accounts::act))
        .route("/staff/audit", get(audit::show))
        .route("/staff/audit.csv", get(audit::export))
        .route(
            "/staff/staff-users",
            get(staff_users::list).post(staff_users::add),
        )
        .route(
            "/staff/staff-users/{id}/reset-second-factor",
            post(staff_users::reset_second_factor),
        )
        .route("/staff/staff-users/{id}/role", post(staff_users::set_role))
        .route(
            "/staff/staff-users/{id}/disable",
            post(staff_users::disable),
        )
        .route("/staff/staff-users/{id}/enable", post(staff_users::enable))
        .route(
            "/staff/api-tokens",
            get(api_tokens::list).post(api_tokens::create),
        )
        .route("/staff/api-tokens/{id}/revoke", post(api_tokens::revoke))
        .route(
            "/staff/import",
            get(import::show)
                .post(import::upload)
                .layer(DefaultBodyLimit::max(import::UPLOAD_LIMIT)),
        )
        .route("/staff/import/{id}", get(import::preview))
        .route("/staff/import/{id}/apply", post(import::apply))
        .route("/staff/import/{id}/discard", post(import::discard))
        .route("/staff/notices", get(notices::list).post(notices::publish))
        .route("/staff/invoice-email", get(invoice_email::list))
        .route("/staff/invoice-email.csv", get(invoice_email::export))
        .route("/staff/mail", get(mail::list))
        .route("/staff/mail/{id}", get(mail::show))
        .route("/staff/mail/{id}/retry", post(mail::retry))
        .route("/staff/sign-out", post(sign_in::sign_out))
        .route("/staff/captcha/image", get(captcha::image))
        .route("/staff/captcha/audio", get(captcha::audio))
}
