//! What a signed-in account owes before the portal opens: the GDPR consent (SPEC §3.4) and a
//! confirmed e-mail address (§3.5).

pub mod consent;
pub mod email;

use axum::routing::get;

use super::router::Table;

pub(super) fn routes(table: Table) -> Table {
    table
        .route("/consent", get(consent::show).post(consent::decide))
        .route("/email", get(email::show).post(email::submit))
}
