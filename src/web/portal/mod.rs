//! The customer portal: the manual's toolbar pages for a signed-in, consented customer.

pub mod chart;
pub mod contact;
pub mod finance;
pub mod frame;
pub mod home;
pub mod point;
pub mod prices;
pub mod profile;
pub mod reading_entry;
pub mod readings;

use axum::routing::{get, post};

use super::router::Table;

pub(super) fn routes(table: Table) -> Table {
    table
        .route("/home", get(home::show))
        .route("/readings", get(readings::show))
        .route("/readings.csv", get(readings::csv))
        .route(
            "/readings/new",
            get(reading_entry::show).post(reading_entry::submit),
        )
        .route("/readings/submitted/{id}", get(reading_entry::submitted))
        .route("/point", get(point::show))
        .route("/point/choose", post(frame::choose_point))
        .route("/prices", get(prices::show))
        .route("/finance/invoices", get(finance::list))
        .route("/finance/invoices/{number}", get(finance::show))
        .route("/finance/invoices/{number}/pdf", get(finance::pdf))
        .route("/finance/open-items", get(finance::open_items))
        .route("/contact", get(contact::show).post(contact::submit))
        .route("/contact/sent", get(contact::sent))
        .route("/profile", get(profile::show))
        .route("/profile/name", post(profile::save_name))
        .route("/profile/email", post(profile::change_email))
        .route("/profile/password", post(profile::change_password))
        .route("/profile/notifications", post(profile::save_notifications))
        .route("/profile/consent/withdraw", post(profile::withdraw_consent))
        .route("/profile/data.json", get(profile::download_data))
}
