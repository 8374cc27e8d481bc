//! The back office's sign-in: password, then a TOTP code (enrolled at the first sign-in) or a
//! recovery code, each good once; its own session, which nobody else's opens.

use chrono::Utc;
use eportal::app::clock::Clock;
use eportal::auth::password::{HashCost, hash_password};
use eportal::domain::second_factor::TotpKey;
use eportal::store::entity::audit_event;
use eportal::store::staff::{self, Role};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::on_both_databases;
use crate::support::{Backend, PASSWORD, PAYER, TestApp, location};

on_both_databases!(
    a_first_sign_in_enrols_then_each_code_and_recovery_code_works_once,
    nothing_under_staff_opens_without_both_factors,
    guessing_codes_slows_down_then_asks_for_the_password_again,
    a_failed_message_is_listed_read_and_sent_again,
    a_contact_message_is_answered_or_marked_handled,
    an_access_request_gets_a_control_number_that_registers_once_or_a_refusal,
    the_audit_trail_is_searched_and_taken_away_as_csv,
    a_long_audit_trail_is_taken_away_whole,
    only_administrators_see_and_disable_staff,
    a_right_password_renews_an_outdated_staff_hash,
);

pub(crate) const STAFF: &str = "ana.kos";
pub(crate) const STAFF_PASSWORD: &str = "Zaledni-Sistem-2026";

pub(crate) async fn add_staff(app: &TestApp, disabled: bool) {
    let hash = hash_password(STAFF_PASSWORD, HashCost::Test).unwrap();
    let id = staff::add(&app.db, STAFF, hash, Role::Operator, Utc::now())
        .await
        .unwrap()
        .unwrap();
    if disabled {
        use sea_orm::sea_query::Expr;
        eportal::store::entity::staff_user::Entity::update_many()
            .col_expr(
                eportal::store::entity::staff_user::Column::Disabled,
                Expr::value(true),
            )
            .filter(eportal::store::entity::staff_user::Column::Id.eq(id))
            .exec(&app.db)
            .await
            .unwrap();
    }
}

pub(crate) async fn password(app: &TestApp, password: &str) -> reqwest::Response {
    app.post_form_from(
        "/staff",
        "/staff",
        &[("username", STAFF), ("password", password)],
    )
    .await
}

pub(crate) async fn code(app: &TestApp, path: &str, code: &str) -> reqwest::Response {
    app.post_form_from(path, path, &[("code", code)]).await
}

pub(crate) fn now_code(key: &TotpKey, clock: &Clock) -> String {
    let seconds = u64::try_from(clock.now().timestamp()).unwrap();
    key.code_at(seconds).unwrap()
}

pub(crate) async fn audited(app: &TestApp, action: &str) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .count(&app.db)
        .await
        .unwrap()
}

async fn a_first_sign_in_enrols_then_each_code_and_recovery_code_works_once(backend: Backend) {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {}).await;
    add_staff(&app, false).await;

    let page = app.get("/staff").await.text().await.unwrap();
    assert!(
        page.contains("Zaledni sistem – samo za osebje podjetja"),
        "{page}"
    );
    for label in ["Uporabniško ime", "Geslo"] {
        assert!(page.contains(label), "{label}");
    }
    assert_eq!(
        location(&password(&app, STAFF_PASSWORD).await),
        "/staff/enrol"
    );
    assert_eq!(
        location(&app.get("/staff/home").await),
        "/staff",
        "not signed in yet"
    );

    // Enrolment: the key is on the page as text beside its QR code.
    let enrol = app.get("/staff/enrol").await.text().await.unwrap();
    assert!(enrol.contains("<svg"), "the QR code");
    let key = key_on(&enrol);
    let wrong = code(&app, "/staff/enrol", "000000").await;
    assert_eq!(wrong.status(), 200);
    assert!(wrong.text().await.unwrap().contains("Koda ni pravilna"));
    let enrolled = code(&app, "/staff/enrol", &now_code(&key, &clock)).await;
    assert_eq!(location(&enrolled), "/staff/recovery-codes");
    let shown = app.get("/staff/recovery-codes").await.text().await.unwrap();
    let recovery: Vec<String> = shown
        .split("<li>")
        .skip(1)
        .filter_map(|item| item.split("</li>").next())
        .filter(|item| item.len() == 11 && item.as_bytes()[5] == b'-')
        .map(str::to_owned)
        .collect();
    assert_eq!(recovery.len(), 10, "{shown}");
    assert_eq!(
        location(&app.get("/staff/recovery-codes").await),
        "/staff/home",
        "shown once"
    );
    let home = app.get("/staff/home").await.text().await.unwrap();
    assert!(home.contains("<h1>Nadzorna plošča</h1>"), "{home}");

    // The code of the same time step is spent.
    app.post_form_from("/staff/home", "/staff/sign-out", &[])
        .await;
    assert_eq!(location(&app.get("/staff/home").await), "/staff");
    assert_eq!(
        location(&password(&app, STAFF_PASSWORD).await),
        "/staff/code"
    );
    let again = code(&app, "/staff/code", &now_code(&key, &clock)).await;
    assert!(again.text().await.unwrap().contains("Koda ni pravilna"));
    clock.advance(std::time::Duration::from_secs(30));
    let next = code(&app, "/staff/code", &now_code(&key, &clock)).await;
    assert_eq!(location(&next), "/staff/home");

    // A recovery code works once, however it is typed.
    for (attempt, expected) in [
        (recovery[0].to_lowercase(), true),
        (recovery[0].clone(), false),
    ] {
        app.post_form_from("/staff/home", "/staff/sign-out", &[])
            .await;
        password(&app, STAFF_PASSWORD).await;
        let answer = code(&app, "/staff/code", &attempt).await;
        assert_eq!(answer.status() == 303, expected, "{attempt}");
    }
    assert_eq!(audited(&app, "staff_totp_enrolled").await, 1);
    assert_eq!(audited(&app, "staff_recovery_code_used").await, 1);
    assert_eq!(audited(&app, "staff_sign_in").await, 3);
    assert_eq!(audited(&app, "staff_code_refused").await, 3);
}

async fn nothing_under_staff_opens_without_both_factors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    add_staff(&app, true).await;
    // A customer's session is no staff session.
    app.seed_account(PAYER, "janez.novak@example.si", true)
        .await;
    assert_eq!(location(&app.sign_in(PAYER, PASSWORD).await), "/home");
    for path in [
        "/staff/home",
        "/staff/code",
        "/staff/enrol",
        "/staff/recovery-codes",
        "/staff/audit",
        "/staff/audit.csv",
    ] {
        assert_eq!(location(&app.get(path).await), "/staff", "{path}");
    }
    // A wrong password and a disabled user get the same words and nothing else.
    for attempt in ["Napacno-Geslo-1", STAFF_PASSWORD] {
        let answer = password(&app, attempt).await;
        assert_eq!(answer.status(), 200, "{attempt}");
        let page = answer.text().await.unwrap();
        assert!(
            page.contains("Uporabniško ime ali geslo ni pravilno."),
            "{page}"
        );
        assert_eq!(location(&app.get("/staff/code").await), "/staff");
    }
    assert_eq!(audited(&app, "staff_sign_in_failed").await, 2);
}

async fn guessing_codes_slows_down_then_asks_for_the_password_again(backend: Backend) {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {}).await;
    add_staff(&app, false).await;
    assert_eq!(
        location(&password(&app, STAFF_PASSWORD).await),
        "/staff/enrol"
    );
    let mut paused = Vec::new();
    for _ in 0..6 {
        let before = clock.now();
        let answer = code(&app, "/staff/enrol", "000000").await;
        assert_eq!(answer.status(), 200);
        paused.push((clock.now() - before).num_seconds());
    }
    assert_eq!(paused, [0, 0, 0, 1, 2, 4], "slower and slower");
    let answer = code(&app, "/staff/enrol", "000000").await;
    assert_eq!(
        location(&answer),
        "/staff",
        "the password again, now with a CAPTCHA"
    );
    assert_eq!(location(&app.get("/staff/enrol").await), "/staff");
    let page = app.get("/staff").await.text().await.unwrap();
    assert!(
        !page.contains(r#"name="captcha""#),
        "asked for once a password is sent"
    );
    let refused = password(&app, STAFF_PASSWORD).await;
    assert_eq!(
        refused.status(),
        200,
        "the right password alone is not enough now"
    );
    assert!(refused.text().await.unwrap().contains(r#"name="captcha""#));
}

/// A staff user signed in with both factors, on `app`'s client.
/// The key the enrolment page shows as text.
pub(crate) fn key_on(enrol_page: &str) -> TotpKey {
    let secret = enrol_page
        .split(r#"id="secret">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("the key is shown: {enrol_page}"))
        .replace(' ', "");
    TotpKey::parse_base32(&secret).unwrap()
}

pub(crate) async fn signed_in_staff(app: &TestApp, clock: &Clock) {
    add_staff(app, false).await;
    password(app, STAFF_PASSWORD).await;
    let enrol = app.get("/staff/enrol").await.text().await.unwrap();
    let key = key_on(&enrol);
    let enrolled = code(app, "/staff/enrol", &now_code(&key, clock)).await;
    assert_eq!(location(&enrolled), "/staff/recovery-codes");
}

async fn a_failed_message_is_listed_read_and_sent_again(backend: Backend) {
    use eportal::store::outbox::{self, OutboxStatus};

    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {}).await;
    let site = app.config.site(app.address).unwrap();
    let txn = eportal::store::begin_write(&app.db).await.unwrap();
    let mail = eportal::mail::OutgoingMail {
        to: "nobody@example.si".into(),
        subject: "Nedostavljivo".into(),
        text: "Besedilo <b>sporočila</b>.".into(),
        html: None,
        ..Default::default()
    };
    // Due tomorrow, so the app's own mail worker leaves it alone while the test fails it.
    let tomorrow = Utc::now() + chrono::Duration::days(1);
    let id = eportal::mail::enqueue(&txn, &site, mail, tomorrow)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let message = outbox::find(&app.db, id).await.unwrap().unwrap();
    outbox::mark_attempt_failed(&app.db, &message, "550 no such user", None)
        .await
        .unwrap();
    signed_in_staff(&app, &clock).await;

    let home = app.get("/staff/home").await.text().await.unwrap();
    assert!(
        home.contains(r#"<strong>1</strong> <a href="/staff/mail?status=failed">"#),
        "{home}"
    );
    let list = app
        .get("/staff/mail?status=failed")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("Nedostavljivo"), "{list}");
    assert!(list.contains("550 no such user"));
    let shown = app
        .get(&format!("/staff/mail/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        shown.contains("Besedilo &#60;b&#62;sporočila&#60;/b&#62;.")
            || shown.contains("Besedilo &lt;b&gt;sporočila&lt;/b&gt;."),
        "{shown}"
    );
    assert!(shown.contains(&message.message_id));
    assert_eq!(app.get("/staff/mail/999999").await.status(), 404);

    let page = format!("/staff/mail/{id}");
    let retried = app
        .post_form_from(&page, &format!("{page}/retry"), &[])
        .await;
    assert_eq!(location(&retried), page);
    let again = outbox::find(&app.db, id).await.unwrap().unwrap();
    // Handed back to the worker, which may have delivered it already (into the mail folder).
    assert!(
        matches!(again.status, OutboxStatus::Queued | OutboxStatus::Sent),
        "{:?}",
        again.status
    );
    assert_eq!(again.attempts, 0, "its attempts counted afresh");
    assert_eq!(audited(&app, "mail_retried").await, 1);
    // A message that is not failed is not sent again.
    let twice = app
        .post_form_from(&page, &format!("{page}/retry"), &[])
        .await;
    assert_eq!(location(&twice), page);
    assert_eq!(audited(&app, "mail_retried").await, 1);
}

async fn a_contact_message_is_answered_or_marked_handled(backend: Backend) {
    use eportal::i18n::Lang;
    use eportal::store::contact_messages::{self, NewContactMessage};

    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {}).await;
    let mut ids = Vec::new();
    for (name, email, lang) in [
        ("Maja Zupan", "maja@example.si", Lang::Sl),
        ("John Smith", "john@example.com", Lang::En),
    ] {
        let new = NewContactMessage {
            account_id: None,
            name: name.into(),
            email: email.into(),
            message: format!("Kdaj bo menjava števca? ({name})"),
            lang,
        };
        ids.push(
            contact_messages::insert(&app.db, new, Utc::now())
                .await
                .unwrap(),
        );
    }
    signed_in_staff(&app, &clock).await;
    let home = app.get("/staff/home").await.text().await.unwrap();
    assert!(
        home.contains(r#"<strong>2</strong> <a href="/staff/messages">"#),
        "{home}"
    );
    let list = app.get("/staff/messages").await.text().await.unwrap();
    assert!(
        list.contains("Maja Zupan &lt;maja@example.si&gt;")
            || list.contains("Maja Zupan &#60;maja@example.si&#62;"),
        "{list}"
    );

    // An empty answer is refused and sends nothing.
    let page = format!("/staff/messages/{}", ids[0]);
    let reply = format!("{page}/reply");
    let refused = app.post_form_from(&page, &reply, &[("reply", "  ")]).await;
    assert_eq!(refused.status(), 200);
    assert!(refused.text().await.unwrap().contains("Vpišite odgovor."));
    assert!(app.mail_to("maja@example.si").await.is_empty());

    let answered = app
        .post_form_from(&page, &reply, &[("reply", "Števec zamenjamo v torek.")])
        .await;
    assert_eq!(location(&answered), page);
    let mail = app.mail_to("maja@example.si").await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].subject, "Odgovor na vaše sporočilo");
    assert!(mail[0].body_text.contains("Števec zamenjamo v torek."));
    assert!(
        mail[0]
            .body_text
            .contains("Kdaj bo menjava števca? (Maja Zupan)")
    );
    let shown = app.get(&page).await.text().await.unwrap();
    assert!(shown.contains("obravnaval ana.kos"), "{shown}");
    assert!(
        shown.contains("Števec zamenjamo v torek."),
        "the answer is kept"
    );

    // The other is only marked handled; twice changes nothing more.
    let other = format!("/staff/messages/{}", ids[1]);
    for _ in 0..2 {
        let marked = app
            .post_form_from(&other, &format!("{other}/handled"), &[])
            .await;
        assert_eq!(location(&marked), other);
    }
    assert!(app.mail_to("john@example.com").await.is_empty());
    assert_eq!(audited(&app, "contact_message_answered").await, 1);
    assert_eq!(audited(&app, "contact_message_handled").await, 1);
    let home = app.get("/staff/home").await.text().await.unwrap();
    assert!(
        home.contains(r#"<strong>0</strong> <a href="/staff/messages">"#),
        "{home}"
    );
}

async fn an_access_request_gets_a_control_number_that_registers_once_or_a_refusal(
    backend: Backend,
) {
    use eportal::domain::billing::PayerRecord;
    use eportal::domain::payer_code::PayerCode;
    use eportal::i18n::Lang;
    use eportal::store::access_requests::{self, NewAccessRequest};

    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |config| {
        config.test_captcha = Some("test-captcha".to_owned().into());
    })
    .await;
    let payer = PayerRecord {
        code: PayerCode::parse("654321").unwrap(),
        name: "KOVAČ ANA".into(),
        street: None,
        postal_code: None,
        city: None,
        tax_number: Some(eportal::domain::tax_number::TaxNumber::parse("12345679").unwrap()),
        email: None,
        phone: None,
    };
    eportal::store::billing::upsert_payers(&app.db, &[payer], Utc::now())
        .await
        .unwrap();
    let mut ids = Vec::new();
    for email in ["ana@example.si", "neznanec@example.si"] {
        let new = NewAccessRequest {
            full_name: "Ana Kovač".into(),
            address: "Podpeč 12".into(),
            point_code: "OM-1".into(),
            tax_number: "12345679".into(),
            email: email.into(),
            lang: Lang::Sl,
            client_addr: None,
        };
        ids.push(
            access_requests::insert(&app.db, new, Utc::now())
                .await
                .unwrap(),
        );
    }
    signed_in_staff(&app, &clock).await;
    let list = app
        .get("/staff/access-requests")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("Ana Kovač"), "{list}");

    // The payer with the request's tax number is offered; only a matching one is taken.
    let page = format!("/staff/access-requests/{}", ids[0]);
    let shown = app.get(&page).await.text().await.unwrap();
    assert!(shown.contains("654321 – KOVAČ ANA"), "{shown}");
    let issue = format!("{page}/issue");
    let wrong = app
        .post_form_from(&page, &issue, &[("payer", "123456")])
        .await;
    assert!(wrong.text().await.unwrap().contains("Izberite plačnika."));
    assert!(app.mail_to("ana@example.si").await.is_empty());
    // Issuing is dangerous: more than ten minutes after the last code it asks for a new one.
    clock.advance(std::time::Duration::from_secs(11 * 60));
    let stale = app
        .post_form_from(&page, &issue, &[("payer", "654321")])
        .await;
    let confirm = format!(
        "/staff/confirm?next=%2Fstaff%2Faccess-requests%2F{}",
        ids[0]
    );
    assert_eq!(location(&stale), confirm);
    assert!(
        app.mail_to("ana@example.si").await.is_empty(),
        "nothing issued"
    );
    let confirm_page = app.get(&confirm).await.text().await.unwrap();
    assert!(confirm_page.contains("Potrdite s kodo"), "{confirm_page}");
    let key = staff_key(&app).await;
    let code_now = now_code(&key, &clock);
    let fields = [("code", code_now.as_str()), ("next", page.as_str())];
    let confirmed = app
        .post_form_from(&confirm, "/staff/confirm", &fields)
        .await;
    assert_eq!(location(&confirmed), page);
    assert_eq!(audited(&app, "staff_confirmed").await, 1);
    let issued = app
        .post_form_from(&page, &issue, &[("payer", "654321")])
        .await;
    assert_eq!(location(&issued), page);
    let mail = app.mail_to("ana@example.si").await;
    assert_eq!(mail.len(), 1);
    let text = &mail[0].body_text;
    let number = text
        .split("Kontrolna številka: ")
        .nth(1)
        .map(|rest| rest.chars().take(9).collect::<String>())
        .unwrap();
    assert!(text.contains("654321"), "{text}");
    assert!(
        app.get(&page)
            .await
            .text()
            .await
            .unwrap()
            .contains("rešen (ana.kos")
    );
    // Issued once: the request is closed.
    app.post_form_from(&page, &issue, &[("payer", "654321")])
        .await;
    assert_eq!(app.mail_to("ana@example.si").await.len(), 1);

    // The requester registers with what the mail gave them (the back office's session is no
    // customer's, so this browser is as good as theirs).
    let fields = [
        ("username", "654321"),
        ("email", "ana@example.si"),
        ("control_number", number.as_str()),
        ("password", "Rumena-Buca-99"),
        ("password_repeat", "Rumena-Buca-99"),
        ("captcha", "test-captcha"),
    ];
    let registered = app
        .post_form_then("/register", "/register", &fields, "/register/sent")
        .await;
    assert!(
        registered
            .text()
            .await
            .unwrap()
            .contains("Preverite elektronsko pošto")
    );

    // The other is refused with a reason, which goes to its sender.
    let other = format!("/staff/access-requests/{}", ids[1]);
    let refuse = format!("{other}/refuse");
    let empty = app
        .post_form_from(&other, &refuse, &[("reason", " ")])
        .await;
    assert!(empty.text().await.unwrap().contains("Vpišite razlog."));
    let refused = app
        .post_form_from(&other, &refuse, &[("reason", "Plačnika ne najdemo.")])
        .await;
    assert_eq!(location(&refused), other);
    let mail = app.mail_to("neznanec@example.si").await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].body_text.contains("Plačnika ne najdemo."));
    assert_eq!(audited(&app, "access_request_resolved").await, 1);
    assert_eq!(audited(&app, "access_request_refused").await, 1);
}

/// The staff user's TOTP key, as the enrolment stored it.
pub(crate) async fn staff_key(app: &TestApp) -> TotpKey {
    let user = staff::find_by_username(&app.db, STAFF)
        .await
        .unwrap()
        .unwrap();
    TotpKey::parse_base32(&user.totp_secret.unwrap()).unwrap()
}

async fn the_audit_trail_is_searched_and_taken_away_as_csv(backend: Backend) {
    use eportal::store::audit::{self, AuditAction, Event};

    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {}).await;
    let at = |text: &str| {
        chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    };
    for (action, when) in [
        (AuditAction::SignIn, "2026-01-15T10:00:00Z"),
        // 1 March in Ljubljana, though still 28 February in UTC.
        (AuditAction::ReadingSubmitted, "2026-02-28T23:30:00Z"),
    ] {
        let event = Event::customer("1000001", action).from_addr(Some("192.0.2.7"));
        audit::record(&app.db, event, at(when)).await.unwrap();
    }
    signed_in_staff(&app, &clock).await;

    let everything = app.get("/staff/audit").await.text().await.unwrap();
    assert!(everything.contains("osebje ana.kos"), "{everything}");
    assert!(everything.contains("nastavljena aplikacija za kode"));
    assert!(everything.contains("stranka 1000001"));

    let theirs = app
        .get("/staff/audit?who=1000001")
        .await
        .text()
        .await
        .unwrap();
    assert!(theirs.contains("stranka 1000001"), "{theirs}");
    assert!(theirs.contains("192.0.2.7"));
    assert!(!theirs.contains("osebje ana.kos"), "{theirs}");

    let march = app
        .get("/staff/audit?who=1000001&from=01.03.2026&to=2026-03-31")
        .await
        .text()
        .await
        .unwrap();
    assert!(march.contains("<td>oddan odčitek</td>"), "{march}");
    assert!(!march.contains("<td>prijava</td>"), "{march}");
    let sign_ins = app
        .get("/staff/audit?action=sign_in")
        .await
        .text()
        .await
        .unwrap();
    assert!(sign_ins.contains("<td>prijava</td>"), "{sign_ins}");
    assert!(!sign_ins.contains("<td>oddan odčitek</td>"));

    // A date that is none, or an end before the start, is said beside its field.
    for (query, words) in [
        ("from=31.02.2026", "Datum vpišite kot dan, mesec in leto"),
        ("from=02.03.2026&to=01.03.2026", "ne sme biti pred datumom"),
    ] {
        let refused = app.get(&format!("/staff/audit?{query}")).await;
        assert_eq!(refused.status(), 200, "{query}");
        let page = refused.text().await.unwrap();
        assert!(page.contains(words), "{query}: {page}");
        assert!(page.contains("error-summary"), "{query}");
        assert!(!page.contains("stranka 1000001"), "{query}");
        let export = app.get(&format!("/staff/audit.csv?{query}")).await;
        assert!(export.text().await.unwrap().contains(words), "{query}");
    }
    assert_eq!(audited(&app, "audit_exported").await, 0);

    let export = app.get("/staff/audit.csv?who=1000001").await;
    assert_eq!(export.status(), 200);
    assert_eq!(
        export.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    assert!(
        export.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"revizijska-sled-")
    );
    let file = export.text().await.unwrap();
    let lines: Vec<&str> = file.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines,
        [
            "cas;vrsta_izvajalca;izvajalec;dejanje;predmet;naslov_ip;podrobnosti",
            "2026-03-01T00:30:00+01:00;customer;1000001;reading_submitted;;192.0.2.7;",
            "2026-01-15T11:00:00+01:00;customer;1000001;sign_in;;192.0.2.7;",
        ]
    );
    assert_eq!(audited(&app, "audit_exported").await, 1);
}

async fn a_long_audit_trail_is_taken_away_whole(backend: Backend) {
    use eportal::store::audit::{self, AuditAction, Event};

    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {}).await;
    signed_in_staff(&app, &clock).await;
    // More than two pages of the export, many events sharing their instant.
    let txn = eportal::store::begin_write(&app.db).await.unwrap();
    let start = Utc::now() - chrono::Duration::days(1);
    for n in 0..2_500_i64 {
        let event = Event::customer("1000001", AuditAction::SignIn).subject(n.to_string());
        audit::record(&txn, event, start + chrono::Duration::seconds(n / 7))
            .await
            .unwrap();
    }
    txn.commit().await.unwrap();
    let file = app
        .get("/staff/audit.csv?who=1000001")
        .await
        .text()
        .await
        .unwrap();
    let subjects: Vec<i64> = file
        .lines()
        .skip(1)
        .map(|line| line.split(';').nth(4).unwrap().parse().unwrap())
        .collect();
    assert_eq!(subjects.len(), 2_500, "every event once");
    let mut sorted = subjects.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(subjects, sorted, "the newest first");
}

async fn only_administrators_see_and_disable_staff(backend: Backend) {
    use eportal::store::entity::staff_user;
    use sea_orm::sea_query::Expr;

    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {}).await;
    signed_in_staff(&app, &clock).await;
    let home = app.get("/staff/home").await.text().await.unwrap();
    assert!(!home.contains("/staff/staff-users"), "{home}");
    let other = hash_password(STAFF_PASSWORD, HashCost::Test).unwrap();
    let other = staff::add(&app.db, "bor.zupan", other, Role::Operator, Utc::now())
        .await
        .unwrap()
        .unwrap();
    let disable = format!("/staff/staff-users/{other}/disable");
    let enable = format!("/staff/staff-users/{other}/enable");
    let refused = app.post_form_from("/staff/home", &disable, &[]).await;
    assert_eq!(refused.status(), 403, "an operator disables nobody");
    assert_eq!(audited(&app, "staff_disabled").await, 0);
    let refused = app.get("/staff/staff-users").await;
    assert_eq!(refused.status(), 403);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Samo za skrbnike"), "{page}");
    assert!(!page.contains("<td>ana.kos</td>"));

    staff_user::Entity::update_many()
        .col_expr(staff_user::Column::Role, Expr::value("admin"))
        .exec(&app.db)
        .await
        .unwrap();
    let home = app.get("/staff/home").await.text().await.unwrap();
    assert!(
        home.contains(r#"<a href="/staff/staff-users">Osebje</a>"#),
        "{home}"
    );
    let list = app.get("/staff/staff-users").await;
    assert_eq!(list.status(), 200);
    let list = list.text().await.unwrap();
    assert!(
        list.contains("<tr><td>ana.kos</td><td>skrbnik</td><td>nastavljena</td>"),
        "{list}"
    );
    assert!(list.contains("<td>aktiven</td>"));
    assert!(list.contains(r#"Onemogoči<span class="visually-hidden"> bor.zupan</span>"#));
    assert!(
        !list.contains("Onemogoči<span class=\"visually-hidden\"> ana.kos"),
        "not oneself"
    );

    let disabled = app
        .post_form_from("/staff/staff-users", &disable, &[])
        .await;
    assert_eq!(location(&disabled), "/staff/staff-users");
    assert!(staff::find(&app.db, other).await.unwrap().unwrap().disabled);
    assert_eq!(audited(&app, "staff_disabled").await, 1);
    let list = app.get("/staff/staff-users").await.text().await.unwrap();
    assert!(
        list.contains(r#"Omogoči<span class="visually-hidden"> bor.zupan</span>"#),
        "{list}"
    );

    // Oneself, by a crafted form: refused with words, nothing changes.
    let me = staff::find_by_username(&app.db, STAFF)
        .await
        .unwrap()
        .unwrap();
    let own = format!("/staff/staff-users/{}/disable", me.id);
    let refused = app.post_form_from("/staff/staff-users", &own, &[]).await;
    assert_eq!(refused.status(), 200);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Sebe ne morete onemogočiti")
    );
    assert!(!staff::find(&app.db, me.id).await.unwrap().unwrap().disabled);

    // Ten minutes after the last code, the action asks for a fresh one first.
    clock.advance(std::time::Duration::from_secs(11 * 60));
    let stale = app.post_form_from("/staff/staff-users", &enable, &[]).await;
    assert_eq!(
        location(&stale),
        "/staff/confirm?next=%2Fstaff%2Fstaff-users"
    );
    assert!(staff::find(&app.db, other).await.unwrap().unwrap().disabled);
    assert_eq!(audited(&app, "staff_enabled").await, 0);
}

async fn a_right_password_renews_an_outdated_staff_hash(backend: Backend) {
    use eportal::store::entity::staff_user;

    let app = TestApp::spawn(backend).await;
    // The tests' server makes cheap hashes: production's count as the older parameters here.
    let outdated = hash_password(STAFF_PASSWORD, HashCost::Production).unwrap();
    staff::add(&app.db, STAFF, outdated.clone(), Role::Operator, Utc::now())
        .await
        .unwrap()
        .unwrap();
    let stored = || async {
        staff_user::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .password_hash
    };
    assert_eq!(password(&app, "Napacno-Geslo-1").await.status(), 200);
    assert_eq!(stored().await, outdated, "a wrong password renews nothing");
    assert_eq!(
        location(&password(&app, STAFF_PASSWORD).await),
        "/staff/enrol"
    );
    let renewed = stored().await;
    assert!(
        renewed.starts_with("$argon2id$v=19$m=8,t=1,p=1$"),
        "{renewed}"
    );
}
