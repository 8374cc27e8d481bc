//! Every route of the back office, walked for each kind of visitor: nobody, a signed-in
//! customer, an operator and an administrator. Nobody and the customer get the sign-in page
//! and nothing else; the operator is refused the administrators' pages; nobody gets a server
//! error; no form is taken without the staff session's token. A new route is walked without
//! being listed here.

use chrono::Utc;
use eportal::app::clock::Clock;
use eportal::store::entity::staff_user;
use sea_orm::EntityTrait;
use sea_orm::sea_query::Expr;

use crate::on_both_databases;
use crate::staff::signed_in_staff;
use crate::support::{Backend, PASSWORD, PAYER, TestApp, location};

on_both_databases!(every_staff_route_answers_each_kind_of_visitor_as_it_should);

/// What anyone may open: the sign-in page and its CAPTCHA.
const OPEN: [&str; 3] = ["/staff", "/staff/captcha/image", "/staff/captcha/audio"];
/// What only administrators may use (each path, and everything below it).
const ADMINISTRATORS: [&str; 3] = ["/staff/staff-users", "/staff/api-tokens", "/staff/import"];
/// Steps of signing in, which answer by where the sign-in stands rather than by role.
const SIGN_IN_STEPS: [&str; 5] = [
    "/staff/code",
    "/staff/enrol",
    "/staff/recovery-codes",
    "/staff/confirm",
    "/staff/sign-out",
];

fn staff_paths() -> Vec<String> {
    eportal::web::route_paths(false)
        .into_iter()
        .filter(|path| path.starts_with("/staff"))
        .map(|path| path.replace("{id}", "1"))
        .collect()
}

fn for_administrators(path: &str) -> bool {
    ADMINISTRATORS
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")))
}

/// The answer to GET, or where GET is not taken to a form POST with the session's token
/// (read from `form_page`).
async fn visit(app: &TestApp, form_page: &str, path: &str) -> reqwest::Response {
    let answer = app.get(path).await;
    if answer.status() != 405 {
        return answer;
    }
    app.post_form_from(form_page, path, &[]).await
}

async fn every_staff_route_answers_each_kind_of_visitor_as_it_should(backend: Backend) {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {}).await;
    let paths = staff_paths();
    assert!(paths.len() > 30, "{paths:?}");

    // Nobody, then a customer: the sign-in page, whatever the path.
    for visitor in ["nobody", "customer"] {
        if visitor == "customer" {
            app.seed_account(PAYER, "janez.novak@example.si", true)
                .await;
            assert_eq!(location(&app.sign_in(PAYER, PASSWORD).await), "/home");
        }
        for path in paths.iter().filter(|path| !OPEN.contains(&path.as_str())) {
            let answer = visit(&app, "/staff", path).await;
            assert_eq!(answer.status(), 303, "{visitor}: {path}");
            assert_eq!(location(&answer), "/staff", "{visitor}: {path}");
        }
    }

    // An operator: the administrators' pages are refused, the rest answers.
    signed_in_staff(&app, &clock).await;
    let walk = |role: &'static str| {
        let app = &app;
        let paths = &paths;
        async move {
            for path in paths
                .iter()
                .filter(|path| !SIGN_IN_STEPS.contains(&path.as_str()))
            {
                let answer = visit(app, "/staff/home", path).await;
                let status = answer.status();
                assert!(!status.is_server_error(), "{role}: {path}: {status}");
                if role == "operator" && for_administrators(path) {
                    assert_eq!(status, 403, "{role}: {path}");
                } else {
                    assert_ne!(status, 403, "{role}: {path}");
                    if status == 303 {
                        assert_ne!(location(&answer), "/staff", "{role}: {path}");
                    }
                }
            }
        }
    };
    walk("operator").await;
    staff_user::Entity::update_many()
        .col_expr(staff_user::Column::Role, Expr::value("admin"))
        .exec(&app.db)
        .await
        .unwrap();
    walk("administrator").await;

    // Signed in, but without the session's form token (or with another's): nothing.
    for path in &paths {
        for token in [None, Some("forged")] {
            let form: Vec<(&str, &str)> = token.map(|t| ("csrf_token", t)).into_iter().collect();
            let answer = app
                .client
                .post(app.url(path))
                .header("origin", format!("http://{}", app.address))
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 403, "POST {path} with {token:?}");
        }
    }
    assert_eq!(
        app.get("/staff/home").await.status(),
        200,
        "still signed in"
    );
}
