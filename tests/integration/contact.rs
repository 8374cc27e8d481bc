//! "Stik z nami" (SPEC §3.13).

use eportal::store::entity::{audit_event, contact_message};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::on_both_databases;
use crate::support::{Backend, PASSWORD, PAYER, TestApp, location};

on_both_databases!(
    a_signed_in_customer_writes_without_captcha_from_a_filled_in_form,
    anyone_else_needs_the_captcha,
    bad_input_keeps_the_text_and_stores_nothing,
);

const CAPTCHA: &str = "test-captcha";
const EMAIL: &str = "janez.novak@example.si";
const MESSAGE: &str = "Pozdravljeni,\nštevec v jašku je zamrznil.\nJanez";

async fn spawn(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |config| {
        config.test_captcha = Some(CAPTCHA.to_owned().into());
    })
    .await
}

async fn stored(app: &TestApp) -> Vec<contact_message::Model> {
    contact_message::Entity::find().all(&app.db).await.unwrap()
}

fn company_address(app: &TestApp) -> String {
    app.config.company().unwrap().contact_email.to_string()
}

async fn a_signed_in_customer_writes_without_captcha_from_a_filled_in_form(backend: Backend) {
    let app = spawn(backend).await;
    let account = app.seed_account(PAYER, EMAIL, true).await;
    assert_eq!(app.sign_in(PAYER, PASSWORD).await.status(), 303);

    let form = app.get("/contact").await.text().await.unwrap();
    for label in [
        "URADNE URE",
        "TELEFON",
        "E-MAIL",
        "SPLETNE STRANI",
        r#"<label class="field__label" for="name">Ime in Priimek</label>"#,
        r#"<label class="field__label" for="email">Naslov elektronske pošte</label>"#,
        r#"<label class="field__label" for="message">Sporočilo</label>"#,
        r#"<button class="button" type="submit">Pošlji</button>"#,
    ] {
        assert!(form.contains(label), "{label} on the page");
    }
    let company = app.config.company().unwrap();
    assert!(form.contains(&company.phone));
    assert!(form.contains(&company.street));
    for hours in company.office_hours.values() {
        assert!(form.contains(hours.as_str()), "office hours {hours}");
    }
    assert!(form.contains(r#"class="toolbar"#), "the portal's frame");
    assert!(
        form.contains(r#"value="NOVAK JANEZ""#),
        "the name filled in: {form}"
    );
    assert!(
        form.contains(&format!(r#"value="{EMAIL}""#)),
        "the address filled in"
    );
    assert!(
        !form.contains(r#"name="captcha""#),
        "no CAPTCHA when signed in"
    );

    let sent = app
        .post_form(
            "/contact",
            &[
                ("name", "NOVAK JANEZ"),
                ("email", EMAIL),
                ("message", MESSAGE),
            ],
        )
        .await;
    assert_eq!(sent.status(), 303, "answered with a redirect");
    assert_eq!(location(&sent), "/contact/sent");
    let sent = app.get("/contact/sent").await.text().await.unwrap();
    assert!(sent.contains("Hvala za vaše sporočilo"), "{sent}");
    assert!(sent.contains(EMAIL), "where the copy went: {sent}");
    let again = app.get("/contact/sent").await;
    assert_eq!(
        location(&again),
        "/contact",
        "the result shows once; a reload leads back to the form"
    );
    assert_eq!(stored(&app).await.len(), 1, "and sends nothing again");

    let messages = stored(&app).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].account_id, Some(account));
    assert_eq!(messages[0].email, EMAIL);
    assert_eq!(messages[0].message, MESSAGE);
    assert_eq!(messages[0].lang, "sl");

    let to_company = app.mail_to(&company_address(&app)).await;
    assert_eq!(to_company.len(), 1);
    assert!(to_company[0].body_text.contains("zamrznil"));
    assert!(to_company[0].body_text.contains(EMAIL), "the reply address");
    assert!(to_company[0].body_text.contains(PAYER), "who wrote");
    let copy = app.mail_to(EMAIL).await;
    assert_eq!(copy.len(), 1);
    assert!(copy[0].body_text.contains("zamrznil"));

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("contact_message"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor.as_deref(), Some(PAYER));
    assert!(
        events[0]
            .details
            .as_deref()
            .is_none_or(|d| !d.contains("zamrznil")),
        "the message stays out of the audit trail"
    );
}

async fn anyone_else_needs_the_captcha(backend: Backend) {
    let app = spawn(backend).await;
    let form = app.get("/contact").await.text().await.unwrap();
    assert!(form.contains(r#"name="captcha""#));
    assert!(!form.contains(r#"class="toolbar"#));
    assert!(form.contains("URADNE URE"));

    let fields = |captcha: &'static str| {
        vec![
            ("name", "Maja Zupan"),
            ("email", "Maja.Zupan@Example.si"),
            ("message", MESSAGE),
            ("captcha", captcha),
        ]
    };
    let refused = app.post_form("/contact", &fields("wrong")).await;
    assert_eq!(refused.status(), 200);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("Znaki iz slike se ne ujemajo"));
    assert!(refused.contains("zamrznil"), "the message is kept");
    assert!(stored(&app).await.is_empty());
    assert!(app.mail_to(&company_address(&app)).await.is_empty());

    let sent = app.post_form("/contact", &fields(CAPTCHA)).await;
    assert_eq!(location(&sent), "/contact/sent");
    assert!(
        app.get("/contact/sent")
            .await
            .text()
            .await
            .unwrap()
            .contains("Hvala za vaše sporočilo")
    );
    let messages = stored(&app).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].account_id, None);
    assert_eq!(messages[0].email, "maja.zupan@example.si");
    assert_eq!(app.mail_to(&company_address(&app)).await.len(), 1);
    assert_eq!(app.mail_to("maja.zupan@example.si").await.len(), 1);
}

async fn bad_input_keeps_the_text_and_stores_nothing(backend: Backend) {
    let app = spawn(backend).await;
    let long = "a".repeat(5001);
    for (name, email, message, error) in [
        ("", "maja@example.si", MESSAGE, "Vpišite ime in priimek."),
        ("Maja", "maja@", MESSAGE, "Elektronski naslov ni pravilen."),
        ("Maja", "maja@example.si", "   ", "Vpišite sporočilo."),
        (
            "Maja",
            "maja@example.si",
            long.as_str(),
            "Besedilo je predolgo.",
        ),
    ] {
        let page = app
            .post_form(
                "/contact",
                &[
                    ("name", name),
                    ("email", email),
                    ("message", message),
                    ("captcha", CAPTCHA),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(error), "{error}");
        assert!(page.contains("error-summary"));
        if message == MESSAGE {
            assert!(page.contains("zamrznil"), "the message is kept");
        }
        if !name.is_empty() {
            assert!(
                page.contains(&format!(r#"value="{name}""#)),
                "the name is kept"
            );
        }
        if !email.is_empty() {
            assert!(page.contains(&format!(r#"value="{email}""#)));
        }
    }
    assert!(stored(&app).await.is_empty());
    assert!(app.mail_to(&company_address(&app)).await.is_empty());
}
