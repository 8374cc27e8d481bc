//! Object-level authorisation: signed in as one payer, every route that takes an id answers
//! another payer's id exactly as a non-existent one (404) and leaves an audit event.

use eportal::demo::{ACCOUNT_PASSWORD, ACCOUNT_PAYER, MANUAL_INVOICE, MANUAL_PAYER};
use eportal::store::entity::{audit_event, point};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::on_both_databases;
use crate::support::{Backend, TestApp};

on_both_databases!(another_payers_ids_answer_like_missing_ones_on_every_route);

/// Placeholders that name public things, not a payer's objects.
const PUBLIC: [&str; 3] = ["{code}", "{name}", "{id}"];

async fn another_payers_ids_answer_like_missing_ones_on_every_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    eportal::demo::fill_if_empty(&app.db, &app.config)
        .await
        .unwrap();
    assert_eq!(
        app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await.status(),
        303
    );

    let foreign_point = point::Entity::find()
        .filter(point::Column::PayerCode.eq(MANUAL_PAYER))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .code;
    let mut checked = 0;
    for path in eportal::web::route_paths(false) {
        if !path.contains('{') || PUBLIC.iter().any(|public| path.contains(public)) {
            continue;
        }
        let (foreign, missing) = match path {
            p if p.contains("{number}") => (
                p.replace("{number}", MANUAL_INVOICE),
                p.replace("{number}", "999999999"),
            ),
            other => panic!("{other}: a route with an id needs a case in this test"),
        };
        let foreign_response = app.get(&foreign).await;
        let missing_response = app.get(&missing).await;
        assert_eq!(foreign_response.status(), 404, "{foreign}");
        assert_eq!(missing_response.status(), 404, "{missing}");
        let strip = |html: String, id: &str| html.replace(id, "ID");
        assert_eq!(
            strip(foreign_response.text().await.unwrap(), MANUAL_INVOICE),
            strip(missing_response.text().await.unwrap(), "999999999"),
            "{path}: another payer's object must look like a missing one"
        );
        checked += 1;
    }
    assert!(checked >= 2, "the invoice page and its PDF are covered");

    // Choosing a point is the one id a form sends.
    let response = app
        .post_form_from("/home", "/point/choose", &[("point", &foreign_point)])
        .await;
    assert_eq!(response.status(), 404);

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("foreign_object"))
        .filter(audit_event::Column::Actor.eq(ACCOUNT_PAYER))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(
        events,
        checked + 1,
        "each foreign request leaves an audit event"
    );
}
