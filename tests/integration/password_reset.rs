//! "Pozabljeno geslo": the same answer whether or not the account exists, a link that works
//! once for an hour, a new password that ends every session and is announced by e-mail.

use chrono::{Duration, Utc};
use eportal::store::entity::{account_token, audit_event};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::on_both_databases;
use crate::support::{Backend, PASSWORD, PAYER, TestApp, link_in, location, token_of};

on_both_databases!(
    the_answer_is_the_same_whether_or_not_the_account_exists,
    the_link_sets_a_new_password_once_and_ends_every_session,
    expired_used_and_tampered_links_change_nothing,
    each_broken_password_rule_has_its_own_message,
    the_account_limit_stops_the_mails_but_not_the_answer,
    a_reset_lifts_the_sign_in_throttle,
    the_request_needs_the_characters_from_the_picture,
);

const EMAIL: &str = "janez.novak@example.si";
const NEW_PASSWORD: &str = "Modra-Sliva-42";
const CAPTCHA: &str = "test-captcha";
const SENT: &str = "Če račun obstaja, smo na njegov elektronski naslov poslali povezavo za novo geslo. Povezava velja eno uro.";

async fn spawn(backend: Backend) -> TestApp {
    let app = TestApp::spawn_with(backend, |config| {
        config.test_captcha = Some(CAPTCHA.to_owned().into());
    })
    .await;
    app.seed_account(PAYER, EMAIL, true).await;
    app
}

/// The page without what differs on every response (the form token).
fn without_token(html: &str) -> String {
    html.lines()
        .filter(|line| !line.contains("csrf_token"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asks for a link; a request that went through answers with a redirect (so a reload mails
/// nothing), which this follows.
async fn ask(app: &TestApp, username: &str) -> reqwest::Response {
    let fields = [("username", username), ("captcha", CAPTCHA)];
    let forgot = "/password/forgot";
    app.post_form_then(forgot, forgot, &fields, "/password/forgot/sent")
        .await
}

/// Sends the form of `link` as shown on its page.
async fn reset(app: &TestApp, link: &str, password: &str, repeat: &str) -> reqwest::Response {
    reset_from(app, link, link, password, repeat).await
}

/// Sends the form of `link` from `page`: a copy of the form kept open, say, while the link
/// itself no longer shows one.
async fn reset_from(
    app: &TestApp,
    page: &str,
    link: &str,
    password: &str,
    repeat: &str,
) -> reqwest::Response {
    app.post_form_from(
        page,
        "/password/reset",
        &[
            ("token", token_of(link)),
            ("new_password", password),
            ("new_password_repeat", repeat),
        ],
    )
    .await
}

async fn audit_events(app: &TestApp, action: &str) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .all(&app.db)
        .await
        .unwrap()
}

async fn the_answer_is_the_same_whether_or_not_the_account_exists(backend: Backend) {
    let app = spawn(backend).await;
    let form = app.get("/password/forgot").await.text().await.unwrap();
    assert!(form.contains("<h1>Pozabljeno geslo</h1>"), "{form}");
    assert!(form.contains(
        r#"<label class="field__label" for="username">Uporabniško ime ali elektronski naslov</label>"#
    ));
    assert!(
        form.contains(r#"name="captcha""#),
        "a CAPTCHA from the start"
    );
    let sign_in = app.get("/").await.text().await.unwrap();
    assert!(sign_in.contains(r#"<a href="/password/forgot">Pozabljeno geslo</a>"#));

    let mut pages = Vec::new();
    for username in [
        PAYER,
        "654321",
        EMAIL,
        "nihce@example.si",
        " Janez.Novak@Example.si ",
    ] {
        // The answer to the form itself is the same redirect for a known and an unknown name.
        let answer = app
            .post_form(
                "/password/forgot",
                &[("username", username), ("captcha", CAPTCHA)],
            )
            .await;
        assert_eq!(answer.status(), 303, "{username}");
        assert_eq!(location(&answer), "/password/forgot/sent", "{username}");
        let response = app.get("/password/forgot/sent").await;
        assert_eq!(response.status(), 200, "{username}");
        let page = without_token(&response.text().await.unwrap());
        assert!(page.contains(SENT), "{username}: {page}");
        assert!(
            !page.contains(username.trim()),
            "{username} is not repeated"
        );
        pages.push(page);
    }
    assert!(pages.iter().all(|page| *page == pages[0]), "one answer");

    let mail = app.mail_to(EMAIL).await;
    assert_eq!(mail.len(), 3, "by payer code, by e-mail twice");
    assert_eq!(mail[0].subject, "Novo geslo za ePortal");
    assert!(mail[0].body_text.contains(PAYER));
    assert!(mail[0].body_text.contains("Povezava velja eno uro"));
    let all = eportal::store::outbox::recent(&app.db, 100).await.unwrap();
    assert_eq!(all.len(), 3, "nothing for the unknown user names");

    let events = audit_events(&app, "password_reset_requested").await;
    assert_eq!(events.len(), 5);
    let links: Vec<String> = mail
        .iter()
        .map(|message| link_in(&message.body_text, &app.url("/password/reset?token=")))
        .collect();
    for event in &events {
        let details = event.details.clone().unwrap_or_default();
        assert!(
            links.iter().all(|link| !details.contains(token_of(link))),
            "no token in the audit trail: {details}"
        );
    }
}

async fn the_link_sets_a_new_password_once_and_ends_every_session(backend: Backend) {
    let app = spawn(backend).await;
    let other_device = app.another_browser_signed_in(PAYER, PASSWORD).await;
    let home = other_device.get(app.url("/home")).send().await.unwrap();
    assert_eq!(home.status(), 200);

    ask(&app, PAYER).await;
    let link = app.newest_link(EMAIL, "/password/reset?token=").await;
    let stored = account_token::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(
        stored[0].token_hash,
        token_of(&link),
        "only the hash is kept"
    );
    assert_eq!(
        stored[0].token_hash,
        eportal::auth::secret::sha256_hex(token_of(&link).as_bytes())
    );
    let expires = stored[0].expires_at - Utc::now();
    assert!(expires <= Duration::hours(1) && expires > Duration::minutes(55));

    let form = app.get(&link).await;
    assert_eq!(form.status(), 200);
    let form = form.text().await.unwrap();
    assert!(form.contains("<h1>Novo geslo</h1>"), "{form}");
    assert!(form.contains(r#"for="new_password">Novo geslo</label>"#));
    assert!(form.contains(r#"for="new_password_repeat">Ponovi novo geslo</label>"#));

    let done = reset(&app, &link, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), "/?notice=password-reset");
    let page = app
        .get("/?notice=password-reset")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Geslo je spremenjeno. Prijavite se z novim geslom."));

    let home = other_device.get(app.url("/home")).send().await.unwrap();
    assert_eq!(home.status(), 303, "the other device's session has ended");
    assert_eq!(location(&home), "/");

    let mail = app.mail_to(EMAIL).await;
    let notice = mail.last().unwrap();
    assert_eq!(notice.subject, "Vaše geslo je bilo spremenjeno");
    assert!(
        notice.body_text.contains("pokličite"),
        "{}",
        notice.body_text
    );
    assert!(
        notice.body_text.contains("01/363 30 20"),
        "{}",
        notice.body_text
    );
    assert!(!notice.body_text.contains(NEW_PASSWORD));

    let old = app.sign_in(PAYER, PASSWORD).await;
    assert_eq!(old.status(), 200, "the old password no longer opens");
    let new = app.sign_in(PAYER, NEW_PASSWORD).await;
    assert_eq!(location(&new), "/home");
    app.post_form("/sign-out", &[]).await;

    let again = app.get(&link).await.text().await.unwrap();
    assert!(again.contains("Povezava je že bila uporabljena"), "{again}");
    assert!(again.contains(r#"href="/password/forgot""#));
    let replay = reset_from(&app, "/", &link, "Rumena-Buca-99", "Rumena-Buca-99").await;
    assert_eq!(replay.status(), 200);
    assert!(
        replay
            .text()
            .await
            .unwrap()
            .contains("Povezava je že bila uporabljena")
    );
    assert_eq!(location(&app.sign_in(PAYER, NEW_PASSWORD).await), "/home");

    let events = audit_events(&app, "password_reset").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor.as_deref(), Some(PAYER));
}

async fn expired_used_and_tampered_links_change_nothing(backend: Backend) {
    let app = spawn(backend).await;
    ask(&app, PAYER).await;
    let first = app.newest_link(EMAIL, "/password/reset?token=").await;
    ask(&app, PAYER).await;
    let second = app.newest_link(EMAIL, "/password/reset?token=").await;

    let voided = app.get(&first).await.text().await.unwrap();
    assert!(voided.contains("ste medtem zahtevali novejšo"), "{voided}");

    let mut tampered = second.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    for link in [
        tampered.as_str(),
        "/password/reset?token=",
        "/password/reset",
    ] {
        let page = app.get(link).await.text().await.unwrap();
        assert!(page.contains("Povezava ni veljavna"), "{link}: {page}");
    }
    let refused = reset_from(&app, "/", &tampered, NEW_PASSWORD, NEW_PASSWORD).await;
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Povezava ni veljavna")
    );

    let stored = account_token::Entity::find()
        .filter(account_token::Column::UsedAt.is_null())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut expired = stored.into_active_model();
    expired.expires_at = Set(Utc::now() - Duration::minutes(1));
    expired.update(&app.db).await.unwrap();
    let page = app.get(&second).await.text().await.unwrap();
    assert!(page.contains("Povezava je potekla"), "{page}");
    let refused = reset_from(&app, "/", &second, NEW_PASSWORD, NEW_PASSWORD).await;
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Povezava je potekla")
    );

    assert_eq!(
        location(&app.sign_in(PAYER, PASSWORD).await),
        "/home",
        "the password is unchanged"
    );
    assert!(audit_events(&app, "password_reset").await.is_empty());
}

async fn each_broken_password_rule_has_its_own_message(backend: Backend) {
    let app = spawn(backend).await;
    ask(&app, PAYER).await;
    let link = app.newest_link(EMAIL, "/password/reset?token=").await;

    for (password, repeat, messages) in [
        ("", "", vec!["Vpišite novo geslo."]),
        (
            "kratko",
            "kratko",
            vec![
                "Geslo mora imeti vsaj 8 znakov.",
                "Geslo mora vsebovati vsaj eno veliko črko!",
            ],
        ),
        (
            "Geslo1234",
            "Geslo1234",
            vec!["To geslo je med najpogosteje uporabljenimi"],
        ),
        (
            "NovakJanez-123456",
            "NovakJanez-123456",
            vec!["Geslo ne sme biti sestavljeno iz vaše šifre plačnika"],
        ),
        (NEW_PASSWORD, "", vec!["Novo geslo vpišite še enkrat."]),
        (NEW_PASSWORD, "Modra-Sliva-43", vec!["Gesli se ne ujemata."]),
    ] {
        let response = reset(&app, &link, password, repeat).await;
        assert_eq!(response.status(), 200, "{password}");
        let page = response.text().await.unwrap();
        assert!(page.contains("Prišlo je do težave"), "{password}: {page}");
        for message in messages {
            assert!(
                page.matches(message).count() >= 2,
                "{password}: {message} in the summary and beside the field: {page}"
            );
        }
        if !password.is_empty() {
            assert!(!page.contains(password), "the password is not shown again");
        }
    }
    let done = reset(&app, &link, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(
        location(&done),
        "/?notice=password-reset",
        "the link still works after mistakes"
    );
}

async fn the_account_limit_stops_the_mails_but_not_the_answer(backend: Backend) {
    let app = spawn(backend).await;
    for round in 0..7 {
        let username = if round % 2 == 0 { PAYER } else { EMAIL };
        let page = ask(&app, username).await.text().await.unwrap();
        assert!(page.contains(SENT), "round {round}");
    }
    assert_eq!(
        app.mail_to(EMAIL).await.len(),
        5,
        "five an hour per account"
    );
    let events = audit_events(&app, "password_reset_requested").await;
    let held_back = events
        .iter()
        .filter(|event| {
            event
                .details
                .as_deref()
                .is_some_and(|details| details.contains(r#""held_back":["123456"]"#))
        })
        .count();
    assert_eq!(held_back, 2);
}

async fn a_reset_lifts_the_sign_in_throttle(backend: Backend) {
    let app = spawn(backend).await;
    for _ in 0..6 {
        app.sign_in(PAYER, "Napacno-Geslo-1").await;
    }
    let throttled = app.sign_in(PAYER, PASSWORD).await.text().await.unwrap();
    assert!(
        throttled.contains(r#"name="captcha""#),
        "a CAPTCHA is needed now"
    );

    ask(&app, PAYER).await;
    let link = app.newest_link(EMAIL, "/password/reset?token=").await;
    reset(&app, &link, NEW_PASSWORD, NEW_PASSWORD).await;
    let response = app.sign_in(PAYER, NEW_PASSWORD).await;
    assert_eq!(location(&response), "/home", "no CAPTCHA after the reset");
}

async fn the_request_needs_the_characters_from_the_picture(backend: Backend) {
    let app = spawn(backend).await;
    let response = app
        .post_form(
            "/password/forgot",
            &[("username", PAYER), ("captcha", "wrong")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains("Znaki iz slike se ne ujemajo."), "{page}");
    assert!(page.contains(r#"value="123456""#), "what was typed is kept");
    assert!(!page.contains(SENT));

    let page = app
        .post_form(
            "/password/forgot",
            &[("username", " "), ("captcha", CAPTCHA)],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Vpišite uporabniško ime ali elektronski naslov."),
        "{page}"
    );

    let page = app
        .post_form(
            "/password/forgot",
            &[("username", PAYER), ("captcha_new", "1")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("Prišlo je do težave"),
        "a new picture is no error"
    );
    assert!(page.contains(r#"value="123456""#));
    assert!(app.mail_to(EMAIL).await.is_empty());
}
