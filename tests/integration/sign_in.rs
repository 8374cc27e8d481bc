//! Sign-in, sessions, sign-out, throttling, consent and the CSRF guard.

use eportal::store::entity::audit_event;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use eportal::app::clock::Clock;

use crate::on_both_databases;
use crate::support::{Backend, PASSWORD, PAYER, TestApp, location};

on_both_databases!(
    signs_in_by_payer_code_or_email_on_a_new_session_id,
    unknown_user_and_wrong_password_look_the_same,
    sign_out_kills_the_session,
    failures_slow_down_then_need_a_captcha_and_release_on_success,
    every_page_before_consent_leads_to_consent,
    declining_consent_signs_out_with_the_manuals_sentence,
    a_new_consent_version_asks_again,
    no_state_changing_route_takes_a_request_without_token_or_from_another_site,
    the_session_cookie_is_locked_down,
    sessions_end_after_the_absolute_lifetime,
    sessions_end_when_idle,
    a_session_in_use_is_kept_alive_once_a_minute,
    a_burst_of_sign_ins_does_not_stall_other_pages,
    a_form_sent_while_its_sessions_were_voided_changes_nothing,
    a_right_password_renews_an_outdated_hash_and_keeps_the_sessions,
);

async fn signs_in_by_payer_code_or_email_on_a_new_session_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    app.form_token("/").await;
    let before = app.session_cookie().expect("a session for the form token");

    let response = app.sign_in(PAYER, PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/home");
    let after = app.session_cookie().unwrap();
    assert_ne!(before, after, "the session id changes at sign-in");
    let home = app.get("/home").await;
    assert_eq!(home.status(), 200);
    assert!(home.text().await.unwrap().contains("NOVAK JANEZ"));

    let app = TestApp::spawn(backend).await;
    app.seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    let response = app.sign_in("  Janez.Novak@Example.si ", PASSWORD).await;
    assert_eq!(
        location(&response),
        "/home",
        "by e-mail, case and spaces aside"
    );

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("sign_in"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor.as_deref(), Some(PAYER));
}

/// The page without what differs on every response (the form token).
fn without_token(html: &str) -> String {
    html.lines()
        .filter(|line| !line.contains("csrf_token"))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn unknown_user_and_wrong_password_look_the_same(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    let wrong = app.sign_in(PAYER, "Napacno-Geslo-1").await;
    let wrong_status = wrong.status();
    let wrong = without_token(&wrong.text().await.unwrap()).replace(PAYER, "USER");
    let unknown = app.sign_in("654321", "Napacno-Geslo-1").await;
    let unknown_status = unknown.status();
    let unknown = without_token(&unknown.text().await.unwrap()).replace("654321", "USER");
    assert_eq!(wrong_status, 200);
    assert_eq!(wrong_status, unknown_status);
    assert_eq!(wrong, unknown);
    assert!(wrong.contains("Uporabniško ime ali geslo ni pravilno."));
    assert!(wrong.contains(r#"value="USER""#), "the user name is kept");
    assert!(!wrong.contains("Napacno-Geslo-1"), "never the password");

    let failures = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("sign_in_failed"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(failures.len(), 2);
    assert!(failures.iter().all(|event| {
        event
            .details
            .as_deref()
            .is_none_or(|d| !d.contains("Napacno"))
    }));
}

async fn sign_out_kills_the_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    app.sign_in(PAYER, PASSWORD).await;
    let cookie = app.session_cookie().unwrap();
    let response = app.post_form("/sign-out", &[]).await;
    assert_eq!(location(&response), "/");
    assert_eq!(location(&app.get("/home").await), "/");

    // The old cookie, replayed by someone who copied it, opens nothing.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = replay
        .get(app.url("/home"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/");
}

async fn failures_slow_down_then_need_a_captcha_and_release_on_success(backend: Backend) {
    let clock = Clock::manual(chrono::Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |config| {
        config.test_captcha = Some("test-captcha".to_owned().into());
    })
    .await;
    app.seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    let mut paused = Vec::new();
    for _ in 0..6 {
        let before = clock.now();
        let page = app
            .sign_in(PAYER, "Napacno-Geslo-1")
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Uporabniško ime ali geslo ni pravilno."));
        paused.push((clock.now() - before).num_seconds());
    }
    assert_eq!(
        paused,
        [0, 0, 0, 1, 2, 4],
        "three free failures, then 1 s, 2 s, 4 s before each answer"
    );
    let before = clock.now();
    let page = app.sign_in(PAYER, PASSWORD).await;
    assert_eq!(
        page.status(),
        200,
        "the right password alone is not enough now"
    );
    let page = page.text().await.unwrap();
    assert!(page.contains(r#"name="captcha""#), "{page}");
    assert!(page.contains("Znaki iz slike se ne ujemajo."));
    assert_eq!(clock.now(), before, "at the CAPTCHA, no more waiting");

    let wrong_captcha = app
        .post_form(
            "/",
            &[
                ("username", PAYER),
                ("password", PASSWORD),
                ("captcha", "TEST-CAPTCHA"),
            ],
        )
        .await;
    assert_eq!(wrong_captcha.status(), 200, "the CAPTCHA is case-sensitive");
    let passed = app
        .post_form(
            "/",
            &[
                ("username", PAYER),
                ("password", PASSWORD),
                ("captcha", "test-captcha"),
            ],
        )
        .await;
    assert_eq!(location(&passed), "/home", "no lock-out: the owner gets in");

    app.post_form("/sign-out", &[]).await;
    let again = app.sign_in(PAYER, PASSWORD).await;
    assert_eq!(location(&again), "/home", "a success releases the throttle");
    let throttled = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("sign_in_throttled"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        throttled.len(),
        2,
        "once when it slowed down, once at the CAPTCHA"
    );
}

async fn every_page_before_consent_leads_to_consent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.seed_account(PAYER, "janez.novak@example.si", false)
        .await;
    let response = app.sign_in(PAYER, PASSWORD).await;
    assert_eq!(location(&response), "/home");
    for path in eportal::web::route_paths(false) {
        let path = path
            .replace("{code}", "sl")
            .replace("{name}", "site.css")
            .replace("{id}", "1");
        let response = app.get(&path).await;
        // Pages that a link in an e-mail opens work for whoever holds the link.
        let link_page =
            ["/password/reset", "/email/confirm", "/unsubscribe"].contains(&path.as_str());
        let portal_page = !["/", "/consent", "/healthz", "/readyz", "/metrics"]
            .contains(&path.as_str())
            && !link_page
            && !path.starts_with("/static/")
            && !path.starts_with("/captcha/")
            && !path.starts_with("/lang/")
            // The back office is no customer's: its own session and sign-in (tests/staff.rs).
            && !path.starts_with("/staff")
            && response.status() != 405;
        if portal_page {
            assert_eq!(response.status(), 303, "{path}");
            assert_eq!(location(&response), "/consent", "{path}");
        }
    }
    let consent = app.get("/consent").await.text().await.unwrap();
    assert!(consent.contains("Soglasje za obdelavo osebnih podatkov – GDPR"));
    let accepted = app
        .post_form(
            "/consent",
            &[("decision", "accept"), ("version", "2020-02")],
        )
        .await;
    assert_eq!(location(&accepted), "/home");
    assert_eq!(app.get("/home").await.status(), 200);
}

async fn declining_consent_signs_out_with_the_manuals_sentence(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.seed_account(PAYER, "janez.novak@example.si", false)
        .await;
    app.sign_in(PAYER, PASSWORD).await;
    let declined = app
        .post_form(
            "/consent",
            &[("decision", "decline"), ("version", "2020-02")],
        )
        .await;
    let to = location(&declined).to_owned();
    let page = app.get(&to).await.text().await.unwrap();
    assert!(
        page.contains("Uporaba portala brez tega Soglasja ni mogoča."),
        "{page}"
    );
    assert_eq!(location(&app.get("/home").await), "/", "signed out");
}

async fn a_new_consent_version_asks_again(backend: Backend) {
    let app = TestApp::spawn_with(backend, |config| {
        config.consent.as_mut().unwrap().version = "2026-11".to_owned();
    })
    .await;
    // Consented to an older text.
    app.seed_account(PAYER, "janez.novak@example.si", false)
        .await;
    app.sign_in(PAYER, PASSWORD).await;
    assert_eq!(location(&app.get("/home").await), "/consent");
    let stale = app
        .post_form(
            "/consent",
            &[("decision", "accept"), ("version", "2020-02")],
        )
        .await;
    assert_eq!(
        location(&stale),
        "/consent",
        "an older text read is not the current consent"
    );
    let accepted = app
        .post_form(
            "/consent",
            &[("decision", "accept"), ("version", "2026-11")],
        )
        .await;
    assert_eq!(location(&accepted), "/home");
}

async fn no_state_changing_route_takes_a_request_without_token_or_from_another_site(
    backend: Backend,
) {
    let app = TestApp::spawn_with(backend, |config| config.demo = true).await;
    app.seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    app.sign_in(PAYER, PASSWORD).await;
    let token = app.form_token("/home").await;
    let ours = format!("http://{}", app.address);
    for path in eportal::web::route_paths(true) {
        let path = path
            .replace("{code}", "sl")
            .replace("{name}", "site.css")
            .replace("{id}", "1");
        for (origin, token) in [
            (Some(ours.as_str()), None),
            (Some("https://evil.example"), Some(token.as_str())),
            (None, Some(token.as_str())),
            (Some(ours.as_str()), Some("forged")),
        ] {
            let mut request = app.client.post(app.url(&path));
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            let form: Vec<(&str, &str)> = token
                .map(|token| ("csrf_token", token))
                .into_iter()
                .collect();
            let response = request.form(&form).send().await.unwrap();
            // The probes sit outside the session and CSRF layers and take no POST at all; the
            // one-click unsubscribe takes a POST from any mail program, and without its
            // link's secret it is a link that unsubscribes nothing.
            let expected = match path.as_str() {
                "/healthz" | "/readyz" => 405,
                "/unsubscribe" => 404,
                _ => 403,
            };
            assert_eq!(
                response.status(),
                expected,
                "POST {path} from {origin:?} with {token:?}"
            );
        }
    }
    assert_eq!(
        app.get("/home").await.status(),
        200,
        "still signed in: nothing changed"
    );
}

async fn the_session_cookie_is_locked_down(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = app.get("/").await.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("eportal="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP in tests: {cookie}");

    let app = TestApp::spawn_with(backend, |config| {
        config.public_url = Some("https://eportal.example".parse().unwrap());
    })
    .await;
    let cookie = app.get("/").await.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("__Host-eportal="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
}

async fn sessions_end_after_the_absolute_lifetime(backend: Backend) {
    let app = TestApp::spawn_with(backend, |config| config.session_absolute_hours = 0).await;
    app.seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    assert_eq!(location(&app.sign_in(PAYER, PASSWORD).await), "/home");
    assert_eq!(
        location(&app.get("/home").await),
        "/",
        "a session older than its lifetime is over"
    );
}

async fn sessions_end_when_idle(backend: Backend) {
    let app = TestApp::spawn_with(backend, |config| config.session_idle_minutes = 0).await;
    app.seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    app.sign_in(PAYER, PASSWORD).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        location(&app.get("/home").await),
        "/",
        "an idle session is over"
    );
}

/// Reading pages changes nothing in a session, yet must move its idle time-out on: the session
/// is written again (its expiry and cookie renewed) once a minute of use, not on every page.
async fn a_session_in_use_is_kept_alive_once_a_minute(backend: Backend) {
    use eportal::store::entity::session;
    let clock = Clock::manual(chrono::Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {}).await;
    app.seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    assert_eq!(location(&app.sign_in(PAYER, PASSWORD).await), "/home");
    let expiry = || async {
        let sessions = session::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(sessions.len(), 1, "the signed-in session only");
        sessions[0].expires_at
    };
    let renews_cookie = |response: reqwest::Response| {
        assert_eq!(response.status(), 200);
        response.headers().contains_key(reqwest::header::SET_COOKIE)
    };
    let signed_in = expiry().await;
    assert!(!renews_cookie(app.get("/home").await), "just signed in");
    assert_eq!(expiry().await, signed_in, "nothing written");

    clock.advance(std::time::Duration::from_secs(61));
    // The expiry is the real clock's; let it move past the stored one's precision.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(renews_cookie(app.get("/home").await), "a minute later");
    let kept_alive = expiry().await;
    assert!(kept_alive > signed_in, "{kept_alive} after {signed_in}");
    assert!(!renews_cookie(app.get("/profile").await), "once a minute");
    assert_eq!(expiry().await, kept_alive);
}

async fn a_burst_of_sign_ins_does_not_stall_other_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    let token = app.form_token("/").await;
    let origin = format!("http://{}", app.address);
    let burst: Vec<_> = (0..12)
        .map(|n| {
            let request = app
                .client
                .post(app.url("/"))
                .header("origin", origin.clone())
                .form(&[
                    ("username", format!("99{n:04}")),
                    ("password", "Napacno-Geslo-1".into()),
                    ("csrf_token", token.clone()),
                ]);
            tokio::spawn(request.send())
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let started = std::time::Instant::now();
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/static/site.css").await.status(), 200);
    let waited = started.elapsed();
    for request in burst {
        assert_eq!(request.await.unwrap().unwrap().status(), 200);
    }
    assert!(
        waited < std::time::Duration::from_millis(500),
        "other pages waited {waited:?}"
    );
}

/// A form's body may arrive long after the form-token check read its session (and with it the
/// account): sessions voided meanwhile, as a password reset does, end this one too, and the
/// form changes nothing.
async fn a_form_sent_while_its_sessions_were_voided_changes_nothing(backend: Backend) {
    use eportal::store::entity::account;
    use futures::SinkExt;
    use sea_orm::sea_query::Expr;

    let app = TestApp::spawn(backend).await;
    app.seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    assert_eq!(location(&app.sign_in(PAYER, PASSWORD).await), "/home");
    let token = app.form_token("/profile").await;
    let (mut body, chunks) = futures::channel::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(2);
    let sending = tokio::spawn(
        app.client
            .post(app.url("/profile/name"))
            .header("origin", format!("http://{}", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(reqwest::Body::wrap_stream(chunks))
            .send(),
    );
    body.send(Ok(b"display_name=Vsiljivec&phone=".to_vec()))
        .await
        .unwrap();
    // The server has read the session by now and waits for the rest of the form.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    account::Entity::update_many()
        .col_expr(
            account::Column::SessionsValidAfter,
            Expr::value(chrono::Utc::now()),
        )
        .exec(&app.db)
        .await
        .unwrap();
    body.send(Ok(format!("&csrf_token={token}").into_bytes()))
        .await
        .unwrap();
    drop(body);
    let response = sending.await.unwrap().unwrap();
    assert_eq!(location(&response), "/", "signed out");
    let stored = account::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(stored.display_name, None, "the name is not saved");
}

/// A hash made with older parameters is made again with the current ones at the next right
/// sign-in; a wrong password changes nothing, and the sessions signed in before stay.
async fn a_right_password_renews_an_outdated_hash_and_keeps_the_sessions(backend: Backend) {
    use eportal::auth::password::{HashCost, hash_password};
    use eportal::store::entity::account;
    use sea_orm::sea_query::Expr;

    let app = TestApp::spawn(backend).await;
    let id = app
        .seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    let other = app.another_browser_signed_in(PAYER, PASSWORD).await;
    // The tests' server makes cheap hashes: production's count as the older parameters here.
    let outdated = hash_password(PASSWORD, HashCost::Production).unwrap();
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(outdated.clone()))
        .filter(account::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    let stored = || async {
        account::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .unwrap()
    };

    let wrong = app.sign_in(PAYER, "Napacno-Geslo-1").await;
    assert_eq!(wrong.status(), 200);
    assert_eq!(stored().await, outdated, "a wrong password renews nothing");

    assert_eq!(location(&app.sign_in(PAYER, PASSWORD).await), "/home");
    let renewed = stored().await;
    assert!(
        renewed.starts_with("$argon2id$v=19$m=8,t=1,p=1$"),
        "{renewed}"
    );
    let home = other.get(app.url("/home")).send().await.unwrap();
    assert_eq!(home.status(), 200, "the session from before stays");
    app.post_form("/sign-out", &[]).await;
    assert_eq!(location(&app.sign_in(PAYER, PASSWORD).await), "/home");
    assert_eq!(stored().await, renewed, "made again once");
}
