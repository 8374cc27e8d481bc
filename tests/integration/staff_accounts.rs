//! "Uporabniki" in the back office: customer accounts found by payer code, e-mail, point and
//! name; locked (its open session ends on its next request) and unlocked, its sessions ended,
//! links sent, and the account deleted (after a fresh code), each with its reason audited.

use chrono::Utc;
use eportal::app::clock::Clock;
use eportal::demo::{ACCOUNT_EMAIL, ACCOUNT_PASSWORD, ACCOUNT_PAYER};
use eportal::store::accounts::{self, AccountState};
use eportal::store::entity::{audit_event, consent, session};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::on_both_databases;
use crate::staff::{audited, now_code, signed_in_staff, staff_key};
use crate::support::{Backend, TestApp, location};

on_both_databases!(
    accounts_are_found_by_code_email_point_and_name,
    a_locked_account_loses_its_session_at_once_and_is_unlocked,
    links_are_sent_and_sessions_ended_with_a_reason,
    a_deleted_account_leaves_only_its_payer_code,
);

async fn demo_with_staff(backend: Backend) -> (TestApp, Clock, i64) {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_demo_with_clock(backend, clock.clone()).await;
    signed_in_staff(&app, &clock).await;
    let account = accounts::find_by_payer_code(&app.db, ACCOUNT_PAYER)
        .await
        .unwrap()
        .unwrap();
    (app, clock, account.id)
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.unwrap()
}

async fn act(app: &TestApp, id: i64, action: &str, reason: &str) -> reqwest::Response {
    let page = format!("/staff/accounts/{id}");
    app.post_form_from(
        &page,
        &format!("{page}/act"),
        &[("action", action), ("reason", reason)],
    )
    .await
}

async fn state_of(app: &TestApp, id: i64) -> AccountState {
    accounts::find(&app.db, id).await.unwrap().unwrap().state
}

/// The reason the newest audit event of `action` keeps.
async fn reason_of(app: &TestApp, action: &str) -> String {
    let event = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .order_by_desc(audit_event::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.actor.as_deref(), Some("ana.kos"));
    assert_eq!(event.subject.as_deref(), Some(ACCOUNT_PAYER));
    let details: serde_json::Value = serde_json::from_str(&event.details.unwrap()).unwrap();
    details["reason"].as_str().unwrap().to_owned()
}

async fn accounts_are_found_by_code_email_point_and_name(backend: Backend) {
    let (app, _, id) = demo_with_staff(backend).await;
    let link = format!(r#"href="/staff/accounts/{id}""#);
    let payer = eportal::store::payers::find(&app.db, ACCOUNT_PAYER)
        .await
        .unwrap()
        .unwrap();
    let points = eportal::store::points::of_payer(&app.db, ACCOUNT_PAYER)
        .await
        .unwrap();
    let surname = payer.name.split_whitespace().next().unwrap().to_lowercase();
    for q in [
        ACCOUNT_PAYER,
        ACCOUNT_EMAIL,
        &ACCOUNT_EMAIL.to_uppercase(),
        &points[0].code,
        &surname,
    ] {
        let query: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
        let found = page(&app, &format!("/staff/accounts?q={query}")).await;
        assert!(found.contains(&link), "{q}: {found}");
    }
    let none = page(&app, "/staff/accounts?q=%25_nobody").await;
    assert!(!none.contains(&link));
    assert!(none.contains("Ni uporabnikov"), "{none}");

    let shown = page(&app, &format!("/staff/accounts/{id}")).await;
    assert!(
        shown.contains(ACCOUNT_EMAIL) && shown.contains("aktiven"),
        "{shown}"
    );
    assert!(shown.contains("različica"), "the consent: {shown}");
    assert_eq!(app.get("/staff/accounts/999999").await.status(), 404);
}

async fn a_locked_account_loses_its_session_at_once_and_is_unlocked(backend: Backend) {
    let (app, _, id) = demo_with_staff(backend).await;
    let customer = app
        .another_browser_signed_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD)
        .await;
    let home = || async { customer.get(app.url("/home")).send().await.unwrap() };
    assert_eq!(home().await.status(), 200);
    let shown = page(&app, &format!("/staff/accounts/{id}")).await;
    assert!(shown.contains("seja velja do"), "an open session: {shown}");

    // Neither without a reason nor without an action.
    let refused = act(&app, id, "lock", "  ").await.text().await.unwrap();
    assert!(refused.contains("Vpišite razlog."), "{refused}");
    let refused = act(&app, id, "", "Klic stranke")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        refused.contains("Izberite, kaj želite narediti."),
        "{refused}"
    );
    assert_eq!(state_of(&app, id).await, AccountState::Active);

    let locked = act(&app, id, "lock", "Sum zlorabe, klic 29. 11.").await;
    assert_eq!(location(&locked), format!("/staff/accounts/{id}"));
    assert_eq!(state_of(&app, id).await, AccountState::Locked);
    assert_eq!(location(&home().await), "/", "the open session ended");
    assert_eq!(
        reason_of(&app, "account_locked").await,
        "Sum zlorabe, klic 29. 11."
    );
    let shown = page(&app, &format!("/staff/accounts/{id}")).await;
    assert!(
        shown.contains("opravljeno") && shown.contains("zaklenjen"),
        "{shown}"
    );
    // Locked: it cannot be locked again, only unlocked.
    assert!(!shown.contains(r#"value="lock""#) && shown.contains(r#"value="unlock""#));
    let signed_in = app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await;
    assert_eq!(
        signed_in.status(),
        200,
        "the sign-in form again, with the refusal"
    );

    let again = act(&app, id, "lock", "Še enkrat")
        .await
        .text()
        .await
        .unwrap();
    assert!(again.contains("Izberite, kaj želite narediti."), "{again}");
    let unlocked = act(&app, id, "unlock", "Stranka se je izkazala").await;
    assert_eq!(location(&unlocked), format!("/staff/accounts/{id}"));
    assert_eq!(state_of(&app, id).await, AccountState::Active);
    assert_eq!(audited(&app, "account_unlocked").await, 1);
}

async fn links_are_sent_and_sessions_ended_with_a_reason(backend: Backend) {
    let (app, _, id) = demo_with_staff(backend).await;
    let sent = act(&app, id, "send_password_reset", "Stranka je pozabila geslo").await;
    assert_eq!(location(&sent), format!("/staff/accounts/{id}"));
    let link = app
        .newest_link(ACCOUNT_EMAIL, "/password/reset?token=")
        .await;
    assert_eq!(app.get(&link).await.status(), 200);
    assert_eq!(
        reason_of(&app, "password_reset_requested").await,
        "Stranka je pozabila geslo"
    );

    let customer = app
        .another_browser_signed_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD)
        .await;
    let ended = act(&app, id, "end_sessions", "Izgubljen telefon").await;
    assert_eq!(location(&ended), format!("/staff/accounts/{id}"));
    let home = customer.get(app.url("/home")).send().await.unwrap();
    assert_eq!(location(&home), "/");
    let left = session::Entity::find()
        .filter(session::Column::AccountId.eq(id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
    assert_eq!(
        reason_of(&app, "account_sessions_ended").await,
        "Izgubljen telefon"
    );

    // A pending account gets its activation link again; an active one is not offered it.
    let active = page(&app, &format!("/staff/accounts/{id}")).await;
    assert!(!active.contains(r#"value="resend_activation""#));
    app.seed_payer("777001", "ZUPAN MARKO").await;
    let txn = eportal::store::begin_write(&app.db).await.unwrap();
    let pending = accounts::register_pending(
        &txn,
        "777001",
        "marko.zupan@example.si",
        "not a hash",
        eportal::i18n::Lang::En,
        Utc::now(),
    )
    .await
    .unwrap()
    .unwrap();
    txn.commit().await.unwrap();
    // The list in either order of payer code: its head's link turns it round.
    let down = page(&app, "/staff/accounts?sort=payer&dir=desc").await;
    let (new, old) = (
        down.find("777001").unwrap(),
        down.find(ACCOUNT_PAYER).unwrap(),
    );
    assert!(new < old, "descending");
    assert!(down.contains(r#"aria-sort="descending""#), "{down}");
    assert!(
        down.contains(r#"href="/staff/accounts?q=&#38;sort=payer&#38;dir=asc""#),
        "{down}"
    );
    let up = page(&app, "/staff/accounts").await;
    assert!(
        up.find(ACCOUNT_PAYER).unwrap() < up.find("777001").unwrap(),
        "ascending"
    );
    let resent = act(&app, pending, "resend_activation", "Ni prejel pošte").await;
    assert_eq!(location(&resent), format!("/staff/accounts/{pending}"));
    let mail = app.mail_to("marko.zupan@example.si").await;
    assert!(mail.last().unwrap().body_text.contains("/activate?token="));
    assert_eq!(
        mail.last().unwrap().subject,
        "Activate your ePortal user name"
    );
}

async fn a_deleted_account_leaves_only_its_payer_code(backend: Backend) {
    let (app, clock, id) = demo_with_staff(backend).await;
    app.another_browser_signed_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD)
        .await;
    // A mistyped password under the e-mail address: an anonymous event naming it.
    let failed = app.sign_in(ACCOUNT_EMAIL, "Napacno-Geslo-1").await;
    assert_eq!(failed.status(), 200);
    let page_path = format!("/staff/accounts/{id}");
    let delete = |reason: &'static str| {
        let page_path = page_path.clone();
        let app = &app;
        async move {
            app.post_form_from(
                &page_path,
                &format!("{page_path}/act"),
                &[("action", "delete"), ("delete_reason", reason)],
            )
            .await
        }
    };
    let refused = delete("").await.text().await.unwrap();
    assert!(refused.contains("Vpišite razlog."), "{refused}");

    // Long after the last code: a fresh one first.
    clock.advance(std::time::Duration::from_secs(11 * 60));
    let asked = delete("Zahteva stranke za izbris").await;
    let confirm = format!("/staff/confirm?next=%2Fstaff%2Faccounts%2F{id}");
    assert_eq!(location(&asked), confirm);
    assert!(accounts::find(&app.db, id).await.unwrap().is_some());
    let code_now = now_code(&staff_key(&app).await, &clock);
    let fields = [("code", code_now.as_str()), ("next", page_path.as_str())];
    let confirmed = app
        .post_form_from(&confirm, "/staff/confirm", &fields)
        .await;
    assert_eq!(location(&confirmed), page_path);

    let deleted = delete("Zahteva stranke za izbris").await;
    assert_eq!(location(&deleted), "/staff/accounts");
    let list = page(&app, "/staff/accounts").await;
    assert!(
        list.contains(&format!("Račun uporabnika {ACCOUNT_PAYER} je izbrisan.")),
        "{list}"
    );
    assert!(accounts::find(&app.db, id).await.unwrap().is_none());
    let consents = consent::Entity::find()
        .filter(consent::Column::AccountId.eq(id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(consents, 0);
    let sessions = session::Entity::find()
        .filter(session::Column::AccountId.eq(id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    let own_events = audit_event::Entity::find()
        .filter(audit_event::Column::ActorKind.eq("customer"))
        .filter(audit_event::Column::Actor.eq(ACCOUNT_PAYER))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!own_events.is_empty(), "the sign-in is still recorded");
    assert!(
        own_events
            .iter()
            .all(|event| event.client_addr.is_none() && event.details.is_none()),
        "{own_events:?}"
    );
    let attempts = audit_event::Entity::find()
        .filter(audit_event::Column::Actor.eq(ACCOUNT_EMAIL))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!attempts.is_empty(), "the failed sign-in is still recorded");
    assert!(
        attempts.iter().all(|event| event.client_addr.is_none()),
        "{attempts:?}"
    );
    assert_eq!(
        reason_of(&app, "account_deleted").await,
        "Zahteva stranke za izbris"
    );
    let signed_in = app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await;
    assert_eq!(
        signed_in.status(),
        200,
        "the sign-in form again, with the refusal"
    );
    assert_eq!(app.get(&page_path).await.status(), 404);
}
