//! "Registracija za nove uporabnike" and activation (SPEC §3.1, §3.2).

use chrono::{Duration, NaiveDate, Utc};
use eportal::auth::secret::sha256_hex;
use eportal::domain::billing::InvoiceRecord;
use eportal::domain::money::Cents;
use eportal::domain::payer_code::PayerCode;
use eportal::store::accounts::AccountState;
use eportal::store::entity::{account_token, audit_event, control_number};
use eportal::store::{accounts, billing, control_numbers};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::on_both_databases;
use crate::support::{Backend, PASSWORD, PAYER, TestApp, link_in, location};

on_both_databases!(
    registers_then_activates_by_button_and_signs_in_to_the_consent_page,
    the_form_has_the_manuals_six_fields_and_the_invoice_sketch,
    unknown_payer_and_wrong_control_number_answer_alike,
    every_field_error_shows_at_once_and_keeps_what_was_typed,
    each_password_rule_is_refused_with_its_own_message,
    the_payers_name_counts_against_the_password_only_once_proven,
    a_wrong_missing_or_reused_captcha_is_refused_first,
    an_active_account_is_pointed_to_password_recovery,
    registering_again_while_pending_replaces_the_attempt,
    used_expired_and_tampered_links_say_so,
    an_expired_link_offers_a_new_one_that_works,
    a_staff_issued_control_number_works_once_and_not_after_expiry,
    registration_attempts_are_rate_limited_per_address,
    the_activation_mail_speaks_the_pages_language,
);

const CAPTCHA: &str = "test-captcha";
const INVOICE: &str = "202000876";
const EMAIL: &str = "janez.novak@example.si";

async fn spawn(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |config| {
        config.test_captcha = Some(CAPTCHA.to_owned().into());
    })
    .await
}

/// An invoice of `payer`, whose number is then a control number.
async fn seed_invoice(app: &TestApp, payer: &str, number: &str) {
    let day = NaiveDate::from_ymd_opt(2020, 1, 31).unwrap();
    let invoice = InvoiceRecord {
        number: number.to_owned(),
        payer_code: PayerCode::parse(payer).unwrap(),
        point_code: None,
        issue_date: day,
        period_from: None,
        period_to: None,
        due_date: day + Duration::days(15),
        net: Cents(1000),
        vat: Cents(95),
        total: Cents(1095),
        reference: None,
    };
    billing::upsert_invoices(&app.db, &[invoice], Utc::now())
        .await
        .unwrap();
}

/// The manual's payer with the manual's invoice.
async fn seed_payer_with_invoice(app: &TestApp) {
    app.seed_payer(PAYER, "NOVAK JANEZ").await;
    seed_invoice(app, PAYER, INVOICE).await;
}

/// The registration form as typed, with the CAPTCHA's test answer.
fn fields<'a>(
    username: &'a str,
    email: &'a str,
    number: &'a str,
    password: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("username", username),
        ("email", email),
        ("control_number", number),
        ("password", password),
        ("password_repeat", password),
        ("captcha", CAPTCHA),
    ]
}

/// Sends the form, following the redirect of a registration that went through.
async fn register(app: &TestApp, fields: &[(&str, &str)]) -> (u16, String) {
    let response = app
        .post_form_then("/register", "/register", fields, "/register/sent")
        .await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Asks for a new activation link from `page`, following the redirect when one was sent.
async fn ask_for_a_new_link(app: &TestApp, page: &str, token: &str) -> String {
    let fields = [("token", token)];
    app.post_form_then(page, "/activate/resend", &fields, "/activate/resent")
        .await
        .text()
        .await
        .unwrap()
}

/// The path and query of the activation link in the newest mail to `to`, and its token.
async fn activation_link(app: &TestApp, to: &str) -> (String, String) {
    let mail = app.mail_to(to).await.pop().expect("an activation mail");
    let link = link_in(&mail.body_text, &app.url("/activate?token="));
    let token = link.split("token=").nth(1).unwrap().to_owned();
    (format!("/activate?token={token}"), token)
}

async fn press_activate(app: &TestApp, link: &str, token: &str) -> reqwest::Response {
    app.post_form_from(link, "/activate", &[("token", token)])
        .await
}

async fn account(app: &TestApp, code: &str) -> Option<accounts::Account> {
    accounts::find_by_payer_code(&app.db, code).await.unwrap()
}

async fn audited(app: &TestApp, action: &str) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .all(&app.db)
        .await
        .unwrap()
}

/// A page without what differs on every response (the form token and the CAPTCHA's nonce)
/// and with the `typed` values kept in the form made alike.
fn normalized(html: &str, typed: &[&str]) -> String {
    let mut html = html.to_owned();
    for value in typed {
        html = html.replace(&format!(r#"value="{value}""#), r#"value="TYPED""#);
    }
    html.lines()
        .filter(|line| !line.contains("csrf_token"))
        .map(|line| {
            let mut line = line.to_owned();
            let mut from = 0;
            while let Some(at) = line[from..].find("?v=") {
                let start = from + at + 3;
                line.replace_range(start..(start + 16).min(line.len()), "NONCE");
                from = start;
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn registers_then_activates_by_button_and_signs_in_to_the_consent_page(backend: Backend) {
    let app = spawn(backend).await;
    seed_payer_with_invoice(&app).await;
    let (status, page) = register(
        &app,
        &fields(PAYER, " Janez.Novak@Example.SI ", INVOICE, PASSWORD),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<h1>Preverite elektronsko pošto</h1>"),
        "{page}"
    );
    assert!(page.contains(EMAIL), "says where the link went");
    assert!(!page.contains(PASSWORD));

    let pending = account(&app, PAYER).await.expect("an account");
    assert_eq!(pending.state, AccountState::Pending);
    assert_eq!(pending.email.as_deref(), Some(EMAIL), "trimmed, lower case");
    assert!(pending.email_confirmed_at.is_none());
    assert!(pending.consent_version.is_none());
    let registration = audited(&app, "registration").await;
    assert_eq!(registration.len(), 1);
    assert_eq!(registration[0].actor.as_deref(), Some(PAYER));
    assert!(!format!("{registration:?}").contains(PASSWORD));

    let mails = app.mail_to(EMAIL).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].subject,
        "Aktivacija uporabniškega imena za ePortal"
    );
    let (link, token) = activation_link(&app, EMAIL).await;
    assert!(
        mails[0].body_text.contains("48 ur"),
        "{}",
        mails[0].body_text
    );
    assert!(mails[0].body_html.as_deref().unwrap().contains(&token));

    // Only the token's digest is stored.
    let stored = account_token::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].token_hash, sha256_hex(token.as_bytes()));
    assert!(!format!("{stored:?}").contains(&token));
    assert!(stored[0].expires_at > Utc::now() + Duration::hours(47));

    // Not yet: the account waits.
    let early = app.sign_in(PAYER, PASSWORD).await.text().await.unwrap();
    assert!(early.contains("Vaš račun še ni aktiviran."), "{early}");

    // Opening the link (as a mail scanner would) shows a button and changes nothing.
    let shown = app.get(&link).await;
    assert_eq!(shown.status(), 200);
    let shown = shown.text().await.unwrap();
    assert!(shown.contains("Aktiviraj račun"), "{shown}");
    assert!(shown.contains(r#"action="/activate""#));
    assert_eq!(
        account(&app, PAYER).await.unwrap().state,
        AccountState::Pending
    );
    assert!(audited(&app, "activation").await.is_empty());

    let pressed = press_activate(&app, &link, &token).await;
    assert_eq!(pressed.status(), 303);
    assert_eq!(location(&pressed), "/?notice=activated");
    let active = account(&app, PAYER).await.unwrap();
    assert_eq!(active.state, AccountState::Active);
    assert!(active.email_confirmed_at.is_some());
    assert_eq!(audited(&app, "activation").await.len(), 1);
    let notice = app.get("/?notice=activated").await.text().await.unwrap();
    assert!(notice.contains("Vaš račun je aktiviran."));

    let signed_in = app.sign_in(PAYER, PASSWORD).await;
    assert_eq!(location(&signed_in), "/home");
    assert_eq!(location(&app.get("/home").await), "/consent");
}

async fn the_form_has_the_manuals_six_fields_and_the_invoice_sketch(backend: Backend) {
    let app = spawn(backend).await;
    let html = app.get("/register").await.text().await.unwrap();
    assert!(html.contains("<h1>Registracija za nove uporabnike</h1>"));
    for (id, label) in [
        ("username", "Uporabniško ime"),
        ("email", "Elektronski naslov"),
        ("control_number", "Kontrolna številka"),
        ("password", "Geslo"),
        ("password_repeat", "Ponovi geslo"),
        ("captcha", "Znak iz slike"),
    ] {
        let tag = format!(r#"<label class="field__label" for="{id}">{label}</label>"#);
        assert!(html.contains(&tag), "{tag}");
    }
    assert_eq!(html.matches(r#"<label class="field__label""#).count(), 6);
    for printed in [
        "Račun številka:",
        "202000876",
        "Datum računa:",
        "Brezovica, 31.01.2020",
        "Šifra uporabnika:",
        "NOVAK JANEZ",
        "Naslov uporabnika:",
        "STARA ULICA 1, BREZOVICA",
        "UPORABNIŠKO IME",
        "KONTROLNA ŠTEVILKA",
        "Javno komunalno podjetje Brezovica d.o.o.",
    ] {
        assert!(html.contains(printed), "{printed}");
    }
    assert!(html.contains(r#"role="img" aria-label="Skica računa."#));
    let sketch = html.split(r#"class="invoice-sketch""#).nth(1).unwrap();
    let sketch = sketch.split("</figure>").next().unwrap();
    assert!(!sketch.contains("<img"), "drawn, not a picture file");
    assert!(html.contains("Nimate računa ali ne najdete šifre plačnika?"));
    assert!(html.contains(r#"href="/access-request""#));
}

async fn unknown_payer_and_wrong_control_number_answer_alike(backend: Backend) {
    let app = spawn(backend).await;
    seed_payer_with_invoice(&app).await;
    app.seed_payer("654321", "KOVAČ ANA").await;
    let (wrong_status, wrong) = register(&app, &fields(PAYER, EMAIL, "202000877", PASSWORD)).await;
    let (unknown_status, unknown) =
        register(&app, &fields("999999", EMAIL, INVOICE, PASSWORD)).await;
    let (other_status, others) = register(&app, &fields("654321", EMAIL, INVOICE, PASSWORD)).await;
    assert_eq!(wrong_status, 200);
    assert_eq!(unknown_status, 200);
    assert_eq!(other_status, 200);
    let message = "Uporabniško ime in kontrolna številka se ne ujemata. Preverite ju na računu.";
    assert!(wrong.contains(message), "{wrong}");
    let wrong = normalized(&wrong, &[PAYER, "202000877"]);
    let unknown = normalized(&unknown, &["999999", INVOICE]);
    let others = normalized(&others, &["654321", INVOICE]);
    assert_eq!(wrong, unknown);
    assert_eq!(wrong, others, "another payer's invoice proves nothing");
    assert!(account(&app, PAYER).await.is_none());
    assert!(app.mail_to(EMAIL).await.is_empty());
}

async fn every_field_error_shows_at_once_and_keeps_what_was_typed(backend: Backend) {
    let app = spawn(backend).await;
    seed_payer_with_invoice(&app).await;
    let (_, empty) = register(&app, &[]).await;
    for message in [
        "Vpišite uporabniško ime",
        "Vpišite elektronski naslov.",
        "Vpišite kontrolno številko",
        "Vpišite geslo.",
        "Znaki iz slike se ne ujemajo.",
    ] {
        assert!(empty.contains(message), "{message}: {empty}");
    }
    assert!(empty.contains("error-summary"));

    let (_, page) = register(
        &app,
        &[
            ("username", "12a456"),
            ("email", "janez@gmail"),
            ("control_number", INVOICE),
            ("password", "Zelena-Hruska-7"),
            ("password_repeat", "Zelena-Hruska-8"),
            ("captcha", CAPTCHA),
        ],
    )
    .await;
    for message in [
        "Uporabniško ime je šifra plačnika in ima samo števke",
        "Elektronski naslov ni pravilen.",
        "Gesli se ne ujemata.",
    ] {
        assert!(page.contains(message), "{message}: {page}");
    }
    assert!(page.contains(r#"value="12a456""#));
    assert!(page.contains(r#"value="janez@gmail""#));
    assert!(page.contains(&format!(r#"value="{INVOICE}""#)));
    assert!(!page.contains("Zelena-Hruska"), "never the passwords");
    assert!(!page.contains(&format!(r#"value="{CAPTCHA}""#)));
    assert!(account(&app, PAYER).await.is_none());
}

async fn each_password_rule_is_refused_with_its_own_message(backend: Backend) {
    let app = spawn(backend).await;
    seed_payer_with_invoice(&app).await;
    let too_long = format!("Dolgo-{}", "x".repeat(130));
    for (password, messages) in [
        (
            "kratko",
            &[
                "Geslo mora imeti vsaj 8 znakov.",
                "Geslo mora vsebovati vsaj eno veliko črko!",
            ][..],
        ),
        (
            "zelena-hruska-7",
            &["Geslo mora vsebovati vsaj eno veliko črko!"],
        ),
        (
            "Geslo2024!",
            &["To geslo je med najpogosteje uporabljenimi"],
        ),
        (
            "Hruska-123456",
            &["Geslo ne sme biti sestavljeno iz vaše šifre plačnika"],
        ),
        (too_long.as_str(), &["Geslo ima lahko največ 128 znakov."]),
    ] {
        let (_, page) = register(&app, &fields(PAYER, EMAIL, INVOICE, password)).await;
        for message in messages {
            assert!(page.contains(message), "{password}: {message}: {page}");
        }
        let beside_the_field = page
            .split(r#"id="password-error""#)
            .nth(1)
            .and_then(|rest| rest.split("</ul>").next())
            .unwrap_or_else(|| panic!("{password}: no errors beside the field: {page}"));
        assert_eq!(
            beside_the_field.matches("<li>").count(),
            messages.len(),
            "{password}: one line each"
        );
        assert!(account(&app, PAYER).await.is_none(), "{password}");
    }
    assert!(app.mail_to(EMAIL).await.is_empty());
    assert!(audited(&app, "registration").await.is_empty());
}

async fn the_payers_name_counts_against_the_password_only_once_proven(backend: Backend) {
    let app = spawn(backend).await;
    seed_payer_with_invoice(&app).await;
    let personal = "Geslo ne sme biti sestavljeno iz vaše šifre plačnika";
    // An address without the name, so only the payer's name can make the password personal.
    let email = "jz@example.si";
    let (_, proven) = register(&app, &fields(PAYER, email, INVOICE, "Novak-Zelena-7")).await;
    assert!(proven.contains(personal), "{proven}");
    // With a wrong control number the name would give away that the payer exists.
    let (_, unproven) = register(&app, &fields(PAYER, email, "202000877", "Novak-Zelena-7")).await;
    assert!(!unproven.contains(personal), "{unproven}");
    assert!(unproven.contains("se ne ujemata"));
}

async fn a_wrong_missing_or_reused_captcha_is_refused_first(backend: Backend) {
    let app = spawn(backend).await;
    seed_payer_with_invoice(&app).await;
    let captcha_wrong = "Znaki iz slike se ne ujemajo.";
    for answer in ["napacno", "TEST-CAPTCHA", ""] {
        let mut typed = fields(PAYER, EMAIL, INVOICE, PASSWORD);
        typed.retain(|(name, _)| *name != "captcha");
        if !answer.is_empty() {
            typed.push(("captcha", answer));
        }
        let (_, page) = register(&app, &typed).await;
        assert!(page.contains(captcha_wrong), "{answer:?}: {page}");
        assert!(account(&app, PAYER).await.is_none(), "{answer:?}");
    }

    // While the CAPTCHA is wrong, nothing tells whether the payer and number belong together.
    let wrong_captcha = |username: &'static str, number: &'static str| {
        let mut typed = fields(username, EMAIL, number, PASSWORD);
        typed.retain(|(name, _)| *name != "captcha");
        typed.push(("captcha", "napacno"));
        typed
    };
    let (_, right_pair) = register(&app, &wrong_captcha(PAYER, INVOICE)).await;
    let (_, wrong_pair) = register(&app, &wrong_captcha("999999", "202000877")).await;
    assert_eq!(
        normalized(&right_pair, &[PAYER, INVOICE]),
        normalized(&wrong_pair, &["999999", "202000877"])
    );
    assert!(!wrong_pair.contains("se ne ujemata."));

    // A challenge answers once: the same form sent again without a new picture is refused.
    let token = app.form_token("/register").await;
    let mut typed = fields(PAYER, EMAIL, INVOICE, PASSWORD);
    typed.push(("csrf_token", &token));
    let send = || {
        app.client
            .post(app.url("/register"))
            .header("origin", format!("http://{}", app.address))
            .form(&typed)
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(crate::support::location(&first), "/register/sent");
    let replay = send().await.unwrap().text().await.unwrap();
    assert!(replay.contains(captcha_wrong), "{replay}");
    assert_eq!(app.mail_to(EMAIL).await.len(), 1, "the replay sent nothing");
}

async fn an_active_account_is_pointed_to_password_recovery(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_account(PAYER, EMAIL, true).await;
    seed_invoice(&app, PAYER, INVOICE).await;
    let before = account(&app, PAYER).await.unwrap();

    let (_, page) = register(
        &app,
        &fields(PAYER, "drug.naslov@example.si", INVOICE, "Modra-Sliva-42"),
    )
    .await;
    assert!(page.contains("<h1>Račun že obstaja</h1>"), "{page}");
    assert!(page.contains(r#"href="/password/forgot""#));
    assert_eq!(
        account(&app, PAYER).await.unwrap(),
        before,
        "nothing changed"
    );
    assert!(app.mail_to("drug.naslov@example.si").await.is_empty());

    // Without the control number, the account's existence stays unsaid.
    let (_, unproven) = register(
        &app,
        &fields(
            PAYER,
            "drug.naslov@example.si",
            "202000877",
            "Modra-Sliva-42",
        ),
    )
    .await;
    assert!(!unproven.contains("Račun že obstaja"));
    assert!(unproven.contains("se ne ujemata."));

    // A locked account alike.
    let mut locked: accounts::Account = before.clone();
    locked.state = AccountState::Locked;
    eportal::store::entity::account::Entity::update_many()
        .col_expr(
            eportal::store::entity::account::Column::State,
            Expr::value(AccountState::Locked.as_str()),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let (_, page) = register(
        &app,
        &fields(PAYER, "drug.naslov@example.si", INVOICE, "Modra-Sliva-42"),
    )
    .await;
    assert!(page.contains("<h1>Račun že obstaja</h1>"));
    assert_eq!(account(&app, PAYER).await.unwrap(), locked);
}

async fn registering_again_while_pending_replaces_the_attempt(backend: Backend) {
    let app = spawn(backend).await;
    seed_payer_with_invoice(&app).await;
    register(&app, &fields(PAYER, EMAIL, INVOICE, PASSWORD)).await;
    let (old_link, old_token) = activation_link(&app, EMAIL).await;
    let first = account(&app, PAYER).await.unwrap();

    let other = "janez@example.com";
    let (_, page) = register(&app, &fields(PAYER, other, INVOICE, "Modra-Sliva-42")).await;
    assert!(page.contains("Preverite elektronsko pošto"), "{page}");
    let second = account(&app, PAYER).await.unwrap();
    assert_eq!(second.id, first.id, "the same account, replaced");
    assert_eq!(second.email.as_deref(), Some(other));
    assert_ne!(second.password_hash, first.password_hash);
    assert_eq!(second.state, AccountState::Pending);

    // The old link is void.
    let shown = app.get(&old_link).await.text().await.unwrap();
    assert!(shown.contains("Povezava ni več veljavna."), "{shown}");
    assert!(shown.contains(r#"action="/activate/resend""#));
    let pressed = press_activate(&app, &old_link, &old_token).await;
    assert_eq!(pressed.status(), 200);
    assert_eq!(
        account(&app, PAYER).await.unwrap().state,
        AccountState::Pending
    );

    let (new_link, new_token) = activation_link(&app, other).await;
    let pressed = press_activate(&app, &new_link, &new_token).await;
    assert_eq!(location(&pressed), "/?notice=activated");
    assert_eq!(
        location(&app.sign_in(PAYER, "Modra-Sliva-42").await),
        "/home"
    );
}

async fn used_expired_and_tampered_links_say_so(backend: Backend) {
    let app = spawn(backend).await;
    seed_payer_with_invoice(&app).await;
    register(&app, &fields(PAYER, EMAIL, INVOICE, PASSWORD)).await;
    let (link, token) = activation_link(&app, EMAIL).await;

    let mut tampered = token.clone().into_bytes();
    tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    for path in [
        format!("/activate?token={tampered}"),
        "/activate?token=".to_owned(),
        "/activate".to_owned(),
    ] {
        let page = app.get(&path).await.text().await.unwrap();
        assert!(page.contains("Povezava ni veljavna."), "{path}: {page}");
        assert!(page.contains(r#"href="/register""#), "{path}");
    }
    let pressed = press_activate(&app, &link, &tampered).await;
    assert!(
        pressed
            .text()
            .await
            .unwrap()
            .contains("Povezava ni veljavna.")
    );

    account_token::Entity::update_many()
        .col_expr(
            account_token::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let expired = app.get(&link).await.text().await.unwrap();
    assert!(expired.contains("Povezava je potekla."), "{expired}");
    assert!(expired.contains("Pošlji novo povezavo"));
    assert!(
        !expired.contains(r#"action="/activate""#),
        "no activate button"
    );
    let pressed = press_activate(&app, &link, &token).await;
    assert!(
        pressed
            .text()
            .await
            .unwrap()
            .contains("Povezava je potekla.")
    );
    assert_eq!(
        account(&app, PAYER).await.unwrap().state,
        AccountState::Pending
    );

    // A used link: register afresh, activate, open it again.
    account_token::Entity::delete_many()
        .exec(&app.db)
        .await
        .unwrap();
    register(&app, &fields(PAYER, EMAIL, INVOICE, PASSWORD)).await;
    let (link, token) = activation_link(&app, EMAIL).await;
    assert_eq!(
        location(&press_activate(&app, &link, &token).await),
        "/?notice=activated"
    );
    let used = app.get(&link).await.text().await.unwrap();
    assert!(used.contains("Povezava je že bila uporabljena."), "{used}");
    let again = app
        .post_form_from("/register", "/activate", &[("token", &token)])
        .await;
    assert_eq!(again.status(), 200);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("Povezava je že bila uporabljena.")
    );
    assert_eq!(audited(&app, "activation").await.len(), 1, "once");
}

async fn an_expired_link_offers_a_new_one_that_works(backend: Backend) {
    let app = spawn(backend).await;
    seed_payer_with_invoice(&app).await;
    register(&app, &fields(PAYER, EMAIL, INVOICE, PASSWORD)).await;
    let (old_link, old_token) = activation_link(&app, EMAIL).await;
    account_token::Entity::update_many()
        .col_expr(
            account_token::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .exec(&app.db)
        .await
        .unwrap();

    let resent = ask_for_a_new_link(&app, &old_link, &old_token).await;
    assert!(resent.contains("Poslali smo novo povezavo."), "{resent}");
    assert!(!resent.contains(EMAIL), "the address stays unsaid");
    assert_eq!(app.mail_to(EMAIL).await.len(), 2);
    assert_eq!(audited(&app, "activation_resent").await.len(), 1);

    let (new_link, new_token) = activation_link(&app, EMAIL).await;
    assert_ne!(new_token, old_token);
    let pressed = press_activate(&app, &new_link, &new_token).await;
    assert_eq!(location(&pressed), "/?notice=activated");

    // A new link for an active account is not sent.
    let again = ask_for_a_new_link(&app, "/register", &old_token).await;
    assert!(
        again.contains("Povezava je že bila uporabljena."),
        "{again}"
    );
    assert_eq!(app.mail_to(EMAIL).await.len(), 2);

    // Asking again and again is limited.
    let app = spawn(backend).await;
    seed_payer_with_invoice(&app).await;
    register(&app, &fields(PAYER, EMAIL, INVOICE, PASSWORD)).await;
    let (_, mut token) = activation_link(&app, EMAIL).await;
    for _ in 0..5 {
        let page = ask_for_a_new_link(&app, "/register", &token).await;
        assert!(page.contains("Poslali smo novo povezavo."), "{page}");
        token = activation_link(&app, EMAIL).await.1;
    }
    let page = ask_for_a_new_link(&app, "/register", &token).await;
    assert!(
        page.contains("Novo povezavo ste v zadnji uri zahtevali"),
        "{page}"
    );
    assert_eq!(app.mail_to(EMAIL).await.len(), 6);
}

async fn a_staff_issued_control_number_works_once_and_not_after_expiry(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_payer(PAYER, "NOVAK JANEZ").await;
    app.seed_payer("654321", "KOVAČ ANA").await;
    let now = Utc::now();
    let week = Some(now + Duration::days(7));
    control_numbers::issue(&app.db, PAYER, "K7F3 9QX2", Some("operater"), week, now)
        .await
        .unwrap();
    let stored = control_number::Entity::find().all(&app.db).await.unwrap();
    assert!(!format!("{stored:?}").contains("K7F3"), "only its digest");

    let (_, page) = register(&app, &fields(PAYER, EMAIL, "k7f39qx2", PASSWORD)).await;
    assert!(page.contains("Preverite elektronsko pošto"), "{page}");
    let used = control_number::Entity::find().all(&app.db).await.unwrap();
    assert!(used[0].used_at.is_some());
    let event = &audited(&app, "registration").await[0];
    assert!(event.details.as_deref().unwrap().contains("control_number"));

    // Once only: registering again while pending needs another proof.
    let (_, again) = register(&app, &fields(PAYER, EMAIL, "K7F3 9QX2", PASSWORD)).await;
    assert!(again.contains("se ne ujemata."), "{again}");

    // Not after it expired.
    let yesterday = Some(now - Duration::days(1));
    control_numbers::issue(
        &app.db,
        "654321",
        "Z9Y8X7",
        None,
        yesterday,
        now - Duration::days(8),
    )
    .await
    .unwrap();
    let (_, expired) = register(
        &app,
        &fields("654321", "ana@example.si", "Z9Y8X7", "Modra-Sliva-42"),
    )
    .await;
    assert!(expired.contains("se ne ujemata."), "{expired}");
    assert!(account(&app, "654321").await.is_none());
}

async fn registration_attempts_are_rate_limited_per_address(backend: Backend) {
    let app = spawn(backend).await;
    seed_payer_with_invoice(&app).await;
    for attempt in 0..20 {
        let (_, page) = register(&app, &fields(PAYER, EMAIL, "1", PASSWORD)).await;
        assert!(page.contains("se ne ujemata."), "attempt {attempt}");
    }
    let (status, page) = register(&app, &fields(PAYER, EMAIL, INVOICE, PASSWORD)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("preveč poskusov registracije"),
        "the right data is not looked at now: {page}"
    );
    assert!(page.contains(&format!(r#"value="{INVOICE}""#)), "kept");
    assert!(account(&app, PAYER).await.is_none());
    assert!(app.mail_to(EMAIL).await.is_empty());
}

async fn the_activation_mail_speaks_the_pages_language(backend: Backend) {
    let app = spawn(backend).await;
    seed_payer_with_invoice(&app).await;
    app.get("/lang/en?next=/register").await;
    let (_, page) = register(&app, &fields(PAYER, EMAIL, INVOICE, PASSWORD)).await;
    assert!(page.contains("<h1>Check your e-mail</h1>"), "{page}");
    let mail = app.mail_to(EMAIL).await.pop().unwrap();
    assert_eq!(mail.subject, "Activate your ePortal user name");
    assert!(
        mail.body_text.contains("valid for 48 hours"),
        "{}",
        mail.body_text
    );
    let (link, _) = activation_link(&app, EMAIL).await;
    let shown = app.get(&link).await.text().await.unwrap();
    assert!(shown.contains("Activate account"), "{shown}");
}
