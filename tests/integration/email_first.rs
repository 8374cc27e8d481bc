//! "Ob prvi prijavi morate vnesti elektronski naslov.": an account without a confirmed
//! address enters one after consent and confirms it by the link sent to it.

use chrono::{Duration, Utc};
use eportal::store::entity::{account, account_token, audit_event};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::on_both_databases;
use crate::support::{Backend, PASSWORD, PAYER, TestApp, location, token_of};

on_both_databases!(
    an_account_without_an_address_enters_and_confirms_one_after_consent,
    sending_again_voids_the_earlier_link_and_is_limited,
    replacing_a_confirmed_address_tells_the_old_one,
    expired_used_and_unknown_confirmation_links_change_nothing,
);

const EMAIL: &str = "janez.novak@example.si";

/// An active account as staff would make it: no confirmed address (and none at all).
async fn seed_account_without_email(app: &TestApp, consented: bool) -> account::Model {
    let id = app.seed_account(PAYER, "", consented).await;
    let stored = account::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut unconfirmed = stored.into_active_model();
    unconfirmed.email = Set(None);
    unconfirmed.email_confirmed_at = Set(None);
    unconfirmed.update(&app.db).await.unwrap()
}

async fn stored_account(app: &TestApp) -> account::Model {
    account::Entity::find()
        .filter(account::Column::PayerCode.eq(PAYER))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Presses the button on the page of `link`.
async fn confirm(app: &TestApp, link: &str) -> reqwest::Response {
    confirm_from(app, link, link).await
}

/// Sends the form of `link` from `page`: a copy of the form kept open, say, while the link
/// itself no longer shows one.
async fn confirm_from(app: &TestApp, page: &str, link: &str) -> reqwest::Response {
    app.post_form_from(page, "/email/confirm", &[("token", token_of(link))])
        .await
}

async fn an_account_without_an_address_enters_and_confirms_one_after_consent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    seed_account_without_email(&app, false).await;
    assert_eq!(location(&app.sign_in(PAYER, PASSWORD).await), "/home");
    assert_eq!(location(&app.get("/home").await), "/consent");
    assert_eq!(
        location(&app.get("/email").await),
        "/consent",
        "consent first"
    );
    let accepted = app
        .post_form(
            "/consent",
            &[("decision", "accept"), ("version", "2020-02")],
        )
        .await;
    assert_eq!(location(&accepted), "/home");
    assert_eq!(location(&app.get("/home").await), "/email");

    let page = app.get("/email").await.text().await.unwrap();
    assert!(
        page.contains("Ob prvi prijavi morate vnesti elektronski naslov."),
        "{page}"
    );
    assert!(page.contains(r#"for="email">Elektronski naslov</label>"#));
    assert!(page.contains(">Potrdi</button>"));

    let wrong = app.post_form("/email", &[("email", "janez@example")]).await;
    assert_eq!(wrong.status(), 200);
    let wrong = wrong.text().await.unwrap();
    assert!(wrong.contains("Elektronski naslov ni pravilen."), "{wrong}");
    assert!(wrong.contains(r#"value="janez@example""#), "kept as typed");
    let empty = app.post_form("/email", &[("email", "")]).await;
    assert!(
        empty
            .text()
            .await
            .unwrap()
            .contains("Vpišite elektronski naslov.")
    );
    assert!(
        eportal::store::outbox::recent(&app.db, 10)
            .await
            .unwrap()
            .is_empty()
    );

    let sent = app
        .post_form("/email", &[("email", " Janez.Novak@Example.si ")])
        .await;
    assert_eq!(location(&sent), "/email");
    let page = app.get("/email").await.text().await.unwrap();
    assert!(
        page.contains(
            "Poslali smo povezavo na janez.novak@example.si; kliknite jo, da potrdite naslov."
        ),
        "{page}"
    );
    let mail = app.mail_to(EMAIL).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].subject, "Potrdite elektronski naslov za ePortal");
    let link = app.newest_link(EMAIL, "/email/confirm?token=").await;
    assert_eq!(location(&app.get("/home").await), "/email", "not yet");

    let shown = app.get(&link).await;
    assert_eq!(shown.status(), 200);
    let shown = shown.text().await.unwrap();
    assert!(
        shown.contains("Potrdi elektronski naslov</button>"),
        "{shown}"
    );
    assert!(shown.contains(EMAIL));
    let untouched = stored_account(&app).await;
    assert_eq!(
        untouched.email_confirmed_at, None,
        "opening the link changes nothing"
    );
    assert_eq!(untouched.email, None);
    let token = account_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(token.used_at, None);

    let confirmed = confirm(&app, &link).await;
    assert_eq!(
        location(&confirmed),
        "/home",
        "the account's own session goes on"
    );
    assert_eq!(app.get("/home").await.status(), 200);
    let stored = stored_account(&app).await;
    assert_eq!(stored.email.as_deref(), Some(EMAIL));
    assert!(stored.email_confirmed_at.is_some());
    assert_eq!(location(&app.get("/email").await), "/home", "nothing owed");
    assert_eq!(
        app.mail_to(EMAIL).await.len(),
        1,
        "no notice: no old address"
    );

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("email_confirmed"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor.as_deref(), Some(PAYER));

    let again = app.get(&link).await.text().await.unwrap();
    assert!(again.contains("Povezava je že bila uporabljena"), "{again}");
}

async fn sending_again_voids_the_earlier_link_and_is_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    seed_account_without_email(&app, true).await;
    app.sign_in(PAYER, PASSWORD).await;
    app.post_form("/email", &[("email", "janez@example.si")])
        .await;
    let typo = app
        .newest_link("janez@example.si", "/email/confirm?token=")
        .await;
    let page = app.get("/email").await.text().await.unwrap();
    assert!(page.contains("Niste prejeli sporočila?"), "{page}");
    assert!(
        page.contains(r#"value="janez@example.si""#),
        "ready to correct"
    );

    app.post_form("/email", &[("email", EMAIL)]).await;
    let right = app.newest_link(EMAIL, "/email/confirm?token=").await;
    let voided = app.get(&typo).await.text().await.unwrap();
    assert!(voided.contains("ste medtem zahtevali novejšo"), "{voided}");
    assert!(app.get(&right).await.text().await.unwrap().contains(EMAIL));

    for _ in 0..3 {
        let response = app.post_form("/email", &[("email", EMAIL)]).await;
        assert_eq!(location(&response), "/email");
    }
    let refused = app.post_form("/email", &[("email", EMAIL)]).await;
    assert_eq!(refused.status(), 200);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("V zadnji uri smo vam poslali že več povezav.")
    );
    assert_eq!(app.mail_to(EMAIL).await.len(), 4);
}

async fn replacing_a_confirmed_address_tells_the_old_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = app.seed_account(PAYER, "stari@example.si", true).await;
    let token = eportal::store::tokens::issue(
        &app.db,
        id,
        eportal::store::tokens::Purpose::EmailChange,
        Some(EMAIL),
        Duration::hours(48),
        Utc::now(),
    )
    .await
    .unwrap();
    let link = format!("/email/confirm?token={token}");

    // Followed in a browser where nobody is signed in.
    let confirmed = confirm(&app, &link).await;
    assert_eq!(location(&confirmed), "/?notice=email-confirmed");
    let page = app
        .get("/?notice=email-confirmed")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Elektronski naslov je potrjen."));
    assert_eq!(
        location(&app.get("/home").await),
        "/",
        "nobody was signed in"
    );

    assert_eq!(stored_account(&app).await.email.as_deref(), Some(EMAIL));
    let notice = app.mail_to("stari@example.si").await;
    assert_eq!(notice.len(), 1);
    assert_eq!(
        notice[0].subject,
        "Vaš elektronski naslov na ePortalu je bil spremenjen"
    );
    assert!(
        notice[0].body_text.contains(EMAIL),
        "{}",
        notice[0].body_text
    );
    assert!(notice[0].body_text.contains("pokličite"));
    assert_eq!(location(&app.sign_in(EMAIL, PASSWORD).await), "/home");
}

async fn expired_used_and_unknown_confirmation_links_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    seed_account_without_email(&app, true).await;
    app.sign_in(PAYER, PASSWORD).await;
    app.post_form("/email", &[("email", EMAIL)]).await;
    let link = app.newest_link(EMAIL, "/email/confirm?token=").await;

    for unknown in ["/email/confirm?token=abc", "/email/confirm"] {
        let page = app.get(unknown).await.text().await.unwrap();
        assert!(page.contains("Povezava ni veljavna"), "{unknown}: {page}");
    }
    let refused = confirm_from(&app, "/email", "/email/confirm?token=abc").await;
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Povezava ni veljavna")
    );

    let stored = account_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut expired = stored.into_active_model();
    expired.expires_at = Set(Utc::now() - Duration::minutes(1));
    expired.update(&app.db).await.unwrap();
    let page = app.get(&link).await.text().await.unwrap();
    assert!(page.contains("Povezava je potekla"), "{page}");
    let refused = confirm_from(&app, "/email", &link).await;
    assert_eq!(refused.status(), 200);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Povezava je potekla")
    );

    assert_eq!(stored_account(&app).await.email_confirmed_at, None);
    assert_eq!(location(&app.get("/home").await), "/email");
    let page = app.get("/email").await.text().await.unwrap();
    assert!(
        page.contains("Ob prvi prijavi morate vnesti elektronski naslov."),
        "an expired link is no longer waited for: {page}"
    );
}
