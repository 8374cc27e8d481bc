//! "Zahtevek za uporabo ePortala" (SPEC §3.6).

use eportal::store::entity::{access_request, audit_event};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::on_both_databases;
use crate::support::{Backend, TestApp};

on_both_databases!(
    a_request_is_stored_acknowledged_and_audited,
    every_field_is_checked_and_the_tax_number_by_its_check_digit,
    requests_are_rate_limited_per_address,
);

const CAPTCHA: &str = "test-captcha";
const EMAIL: &str = "maja.zupan@example.si";
/// 1·8 + 2·7 + … + 7·2 = 112; 11 − 112 mod 11 = 9.
const TAX_NUMBER: &str = "12345679";

async fn spawn(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |config| {
        config.test_captcha = Some(CAPTCHA.to_owned().into());
    })
    .await
}

fn fields<'a>(tax_number: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("full_name", " Maja Zupan "),
        ("address", "Podpeč 12, 1352 Preserje"),
        ("point_code", "OM-104233"),
        ("tax_number", tax_number),
        ("email", email),
        ("captcha", CAPTCHA),
    ]
}

async fn send(app: &TestApp, fields: &[(&str, &str)]) -> String {
    let response = app
        .post_form_then(
            "/access-request",
            "/access-request",
            fields,
            "/access-request/sent",
        )
        .await;
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

async fn stored(app: &TestApp) -> Vec<access_request::Model> {
    access_request::Entity::find().all(&app.db).await.unwrap()
}

async fn a_request_is_stored_acknowledged_and_audited(backend: Backend) {
    let app = spawn(backend).await;
    let form = app.get("/access-request").await.text().await.unwrap();
    assert!(form.contains("<h1>Zahtevek za uporabo ePortala</h1>"));
    for (id, label) in [
        ("full_name", "Ime in priimek"),
        ("address", "Naslov"),
        ("point_code", "Oznaka odjemnega mesta"),
        ("tax_number", "Davčna številka"),
        ("email", "Elektronski naslov"),
        ("captcha", "Znak iz slike"),
    ] {
        let tag = format!(r#"<label class="field__label" for="{id}">{label}</label>"#);
        assert!(form.contains(&tag), "{tag}");
    }
    assert!(
        form.contains("ne najdete šifre plačnika"),
        "the manual's reasons"
    );

    let page = send(&app, &fields("SI 1234 5679", " Maja.Zupan@Example.si")).await;
    assert!(page.contains("Hvala, zahtevek smo prejeli"), "{page}");
    assert!(page.contains(EMAIL));

    let requests = stored(&app).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.full_name, "Maja Zupan");
    assert_eq!(request.address, "Podpeč 12, 1352 Preserje");
    assert_eq!(request.point_code, "OM-104233");
    assert_eq!(request.tax_number, TAX_NUMBER, "the 8 digits");
    assert_eq!(request.email, EMAIL);
    assert_eq!(request.lang, "sl");
    assert_eq!(request.status.as_str(), "open");
    assert!(request.payer_code.is_none() && request.handled_at.is_none());
    assert!(request.client_addr.is_some());

    let mails = app.mail_to(EMAIL).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].subject,
        "Prejeli smo vaš zahtevek za uporabo ePortala"
    );
    for sent in [
        "Ime in priimek: Maja Zupan",
        "Naslov: Podpeč 12, 1352 Preserje",
        "Oznaka odjemnega mesta: OM-104233",
        "Davčna številka: 12345679",
        "uporabniško ime in kontrolno številko",
    ] {
        assert!(
            mails[0].body_text.contains(sent),
            "{sent}: {}",
            mails[0].body_text
        );
    }
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("access_request"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(events, 1);
}

async fn every_field_is_checked_and_the_tax_number_by_its_check_digit(backend: Backend) {
    let app = spawn(backend).await;
    let empty = send(&app, &[]).await;
    for message in [
        "Vpišite ime in priimek.",
        "Vpišite naslov.",
        "Vpišite oznako odjemnega mesta.",
        "Vpišite davčno številko.",
        "Vpišite elektronski naslov, na katerega vam odgovorimo.",
        "Znaki iz slike se ne ujemajo.",
    ] {
        assert!(empty.contains(message), "{message}: {empty}");
    }

    let wrong_digit = send(&app, &fields("12345678", EMAIL)).await;
    assert!(
        wrong_digit.contains("kontrolna števka se ne ujema"),
        "{wrong_digit}"
    );
    assert!(wrong_digit.contains(r#"value="12345678""#), "kept as typed");
    assert!(wrong_digit.contains(r#"value="Maja Zupan""#));
    let short = send(&app, &fields("1234567", EMAIL)).await;
    assert!(short.contains("Davčna številka ima 8 števk"), "{short}");
    let bad_email = send(&app, &fields(TAX_NUMBER, "maja@zupan")).await;
    assert!(bad_email.contains("Elektronski naslov ni pravilen."));
    let mut no_captcha = fields(TAX_NUMBER, EMAIL);
    no_captcha.retain(|(name, _)| *name != "captcha");
    no_captcha.push(("captcha", "TEST-CAPTCHA"));
    let refused = send(&app, &no_captcha).await;
    assert!(refused.contains("Znaki iz slike se ne ujemajo."));

    assert!(stored(&app).await.is_empty(), "nothing stored");
    assert!(app.mail_to(EMAIL).await.is_empty(), "nothing mailed");
}

async fn requests_are_rate_limited_per_address(backend: Backend) {
    let app = spawn(backend).await;
    for _ in 0..10 {
        let page = send(&app, &fields(TAX_NUMBER, EMAIL)).await;
        assert!(page.contains("Hvala, zahtevek smo prejeli"));
    }
    let page = send(&app, &fields(TAX_NUMBER, EMAIL)).await;
    assert!(page.contains("poslanih preveč zahtevkov"), "{page}");
    assert_eq!(stored(&app).await.len(), 10);
    assert_eq!(app.mail_to(EMAIL).await.len(), 10);
}
