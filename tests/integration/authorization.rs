//! Object-level authorisation: signed in as one payer, every route that takes an id answers
//! another payer's id exactly as a non-existent one (404) and leaves an audit event.

use eportal::demo::{ACCOUNT_PASSWORD, ACCOUNT_PAYER, MANUAL_INVOICE, MANUAL_PAYER, OVERDUE_PAYER};
use eportal::store::entity::{audit_event, point};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::on_both_databases;
use crate::support::{Backend, TestApp};

on_both_databases!(another_payers_ids_answer_like_missing_ones_on_every_route);

/// What a route's placeholder stands for: something anyone may ask for, or a payer's object,
/// with the id of another payer's one and an id nobody has. A placeholder missing here fails
/// the test, so a new route with an id cannot go unchecked.
enum Placeholder {
    Public,
    Owned { foreign: String, missing: String },
}

struct Ids {
    invoice: String,
    submission: String,
}

fn placeholder(name: &str, foreign: &Ids) -> Placeholder {
    let owned = |foreign: &str, missing: &str| Placeholder::Owned {
        foreign: foreign.to_owned(),
        missing: missing.to_owned(),
    };
    match name {
        // a language code and a static file's name
        "{code}" | "{name}" => Placeholder::Public,
        "{number}" => owned(&foreign.invoice, "999999999"),
        "{id}" => owned(&foreign.submission, "999999999"),
        other => panic!("{other}: a placeholder needs a row in this test's table"),
    }
}

fn placeholders(path: &str) -> Vec<&str> {
    path.match_indices('{')
        .filter_map(|(start, _)| {
            path[start..]
                .find('}')
                .map(|end| &path[start..=start + end])
        })
        .collect()
}

/// A reading another payer's account submitted: the id the customer must not see.
async fn another_accounts_submission(app: &TestApp) -> String {
    use eportal::store::accounts::{NewAccount, insert_active_account};
    use eportal::store::entity::meter;
    use eportal::store::submitted_readings::{self, NewSubmission};

    let consent = app.config.consent.as_ref().unwrap().version.clone();
    let txn = eportal::store::begin_write(&app.db).await.unwrap();
    let account_id = insert_active_account(
        &txn,
        NewAccount {
            payer_code: OVERDUE_PAYER.to_owned(),
            email: "kos.marko@example.si".to_owned(),
            password_hash: "$argon2id$v=19$m=8,t=1,p=1$none".to_owned(),
            display_name: None,
            phone: None,
            consent_version: consent,
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let points: Vec<String> = point::Entity::find()
        .filter(point::Column::PayerCode.eq(OVERDUE_PAYER))
        .all(&txn)
        .await
        .unwrap()
        .into_iter()
        .map(|point| point.code)
        .collect();
    let meter = meter::Entity::find()
        .filter(meter::Column::PointCode.is_in(points))
        .one(&txn)
        .await
        .unwrap()
        .expect("the overdue payer has a meter");
    let id = submitted_readings::save(
        &txn,
        NewSubmission {
            account_id,
            meter_serial: &meter.serial,
            read_on: chrono::Utc::now().date_naive(),
            litres: 1,
            client_addr: None,
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    id.to_string()
}

async fn another_payers_ids_answer_like_missing_ones_on_every_route(backend: Backend) {
    let app = TestApp::spawn_demo(backend).await;
    let foreign = Ids {
        invoice: MANUAL_INVOICE.to_owned(),
        submission: another_accounts_submission(&app).await,
    };
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
    let mut checked = Vec::new();
    for path in eportal::web::route_paths(false) {
        // The back office's ids are for staff, whom a customer's session never is
        // (tests/integration/staff.rs).
        if path.starts_with("/staff") {
            continue;
        }
        let (mut foreign_path, mut missing_path) = (path.to_owned(), path.to_owned());
        let mut owned = Vec::new();
        for name in placeholders(path) {
            if let Placeholder::Owned {
                foreign: id,
                missing,
            } = placeholder(name, &foreign)
            {
                foreign_path = foreign_path.replace(name, &id);
                missing_path = missing_path.replace(name, &missing);
                owned.push((id, missing));
            }
        }
        if owned.is_empty() {
            continue;
        }
        let foreign_response = app.get(&foreign_path).await;
        let missing_response = app.get(&missing_path).await;
        assert_eq!(foreign_response.status(), 404, "{foreign_path}");
        assert_eq!(missing_response.status(), 404, "{missing_path}");
        // The answer never names the id, so the two must be the same to the byte.
        assert_eq!(
            foreign_response.text().await.unwrap(),
            missing_response.text().await.unwrap(),
            "{path}: another payer's object must look like a missing one"
        );
        checked.push(path);
    }
    for path in [
        "/finance/invoices/{number}",
        "/finance/invoices/{number}/pdf",
        "/readings/submitted/{id}",
    ] {
        assert!(checked.contains(&path), "{path} is covered");
    }

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
    // The invoice routes record a foreign number only when it exists; the reading route
    // records every id it refuses. So: each foreign request, plus the missing reading id.
    assert_eq!(
        events,
        checked.len() as u64 + 1 + 1,
        "each foreign request leaves an audit event"
    );
}
