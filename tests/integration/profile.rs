//! "Moj profil" (SPEC §3.14) and what goes beyond the manual: withdrawing consent, the data
//! download and the last sign-ins.

use eportal::store::entity::{account, audit_event, consent, invoice};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::on_both_databases;
use crate::support::{Backend, PASSWORD, PAYER, TestApp, link_in, location};

on_both_databases!(
    the_page_has_the_manuals_three_forms,
    name_and_phone_are_saved_and_shown_in_the_header,
    a_new_address_changes_nothing_until_its_link_is_followed,
    a_password_change_needs_the_current_one_and_ends_other_sessions_only,
    withdrawing_consent_signs_out_with_the_manuals_sentence,
    the_data_download_has_the_payers_invoices_and_no_password,
    the_last_sign_ins_are_listed,
    guessing_the_current_password_stops_after_five_tries,
);

const EMAIL: &str = "janez.novak@example.si";
const NEW_EMAIL: &str = "janez@novak.si";
const NEW_PASSWORD: &str = "Modra-Sliva-42";

async fn signed_in(backend: Backend) -> TestApp {
    let app = TestApp::spawn(backend).await;
    app.seed_account(PAYER, EMAIL, true).await;
    assert_eq!(location(&app.sign_in(PAYER, PASSWORD).await), "/home");
    app
}

async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form_from("/profile", path, fields).await
}

async fn profile(app: &TestApp) -> String {
    let response = app.get("/profile").await;
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

async fn stored_account(app: &TestApp) -> account::Model {
    account::Entity::find()
        .filter(account::Column::PayerCode.eq(PAYER))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn audit_events(app: &TestApp, action: &str) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .all(&app.db)
        .await
        .unwrap()
}

fn label(id: &str, text: &str) -> String {
    format!(r#"<label class="field__label" for="{id}">{text}</label>"#)
}

async fn the_page_has_the_manuals_three_forms(backend: Backend) {
    let app = signed_in(backend).await;
    let page = profile(&app).await;
    for text in [
        "<h1>Moj profil</h1>".to_owned(),
        "Sprememba naziva uporabnika (velja samo za ePortal)".to_owned(),
        label("display_name", "Naziv uporabnika"),
        label("phone", "Telefon"),
        "Sprememba elektronskega naslova".to_owned(),
        "Trenutni elektronski naslov".to_owned(),
        label("new_email", "Nov elektronski naslov"),
        r#"<button class="button" type="submit">Potrdi</button>"#.to_owned(),
        "Zamenjava gesla".to_owned(),
        label("current_password", "Obstoječe geslo"),
        label("new_password", "Novo geslo"),
        label("new_password_repeat", "Ponovi novo geslo"),
        r#"<button class="button" type="submit">Shrani</button>"#.to_owned(),
        "Preklic soglasja".to_owned(),
        "Prenos mojih podatkov".to_owned(),
        "Zadnje prijave".to_owned(),
        "Obveščanje".to_owned(),
    ] {
        assert!(page.contains(&text), "{text} on the page");
    }
    // The name's, the password's and the notifications' forms.
    assert_eq!(page.matches(">Shrani</button>").count(), 3);
    assert!(page.contains(&format!("<dd>{EMAIL}</dd>")));
    assert!(page.contains(r#"aria-current="page""#) && page.contains("Moj profil"));
}

async fn name_and_phone_are_saved_and_shown_in_the_header(backend: Backend) {
    let app = signed_in(backend).await;
    let refused = post(
        &app,
        "/profile/name",
        &[("display_name", "Janez"), ("phone", "pokliči me")],
    )
    .await;
    assert_eq!(refused.status(), 200);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("Telefonska številka ni pravilna."));
    assert!(
        refused.contains(r#"value="pokliči me""#),
        "the typed text stays"
    );
    assert_eq!(stored_account(&app).await.display_name, None);

    let saved = post(
        &app,
        "/profile/name",
        &[
            ("display_name", "  Janez Novak ml. "),
            ("phone", "041 123 456"),
        ],
    )
    .await;
    assert_eq!(location(&saved), "/profile?saved=name");
    let account = stored_account(&app).await;
    assert_eq!(account.display_name.as_deref(), Some("Janez Novak ml."));
    assert_eq!(account.phone.as_deref(), Some("041 123 456"));
    let page = app.get("/profile?saved=name").await.text().await.unwrap();
    assert!(page.contains("Naziv uporabnika in telefon sta shranjena."));
    assert!(page.contains(r#"site-header__user"><span class="visually-hidden">Prijavljeni ste kot </span>Janez Novak ml.</span>"#));
    assert!(page.contains(r#"value="041 123 456""#));
    assert_eq!(audit_events(&app, "profile_changed").await.len(), 1);

    post(
        &app,
        "/profile/name",
        &[("display_name", " "), ("phone", "")],
    )
    .await;
    let account = stored_account(&app).await;
    assert_eq!((account.display_name, account.phone), (None, None));
    let home = app.get("/home").await.text().await.unwrap();
    assert!(
        home.contains("</span>NOVAK JANEZ</span>"),
        "the payer's name again"
    );
}

async fn a_new_address_changes_nothing_until_its_link_is_followed(backend: Backend) {
    let app = signed_in(backend).await;
    let refused = post(&app, "/profile/email", &[("new_email", "janez@")]).await;
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Elektronski naslov ni pravilen.")
    );
    let same = post(&app, "/profile/email", &[("new_email", EMAIL)]).await;
    assert!(
        same.text()
            .await
            .unwrap()
            .contains("To je že vaš trenutni elektronski naslov.")
    );

    let sent = post(&app, "/profile/email", &[("new_email", " Janez@Novak.si ")]).await;
    assert_eq!(location(&sent), "/profile?saved=email");
    let account = stored_account(&app).await;
    assert_eq!(account.email.as_deref(), Some(EMAIL), "nothing changes yet");
    let page = app.get("/profile?saved=email").await.text().await.unwrap();
    assert!(
        page.contains(&format!("<dd>{NEW_EMAIL}</dd>")),
        "the waiting address"
    );
    assert!(page.contains("Na nov elektronski naslov smo poslali povezavo."));
    assert!(
        app.mail_to(EMAIL).await.is_empty(),
        "the old address hears nothing yet"
    );

    let mail = app.mail_to(NEW_EMAIL).await;
    assert_eq!(mail.len(), 1);
    let link = link_in(&mail[0].body_text, &app.url("/email/confirm?token="));
    let link = link.strip_prefix(&app.url("")).unwrap().to_owned();
    let token = link.split("token=").nth(1).unwrap();
    let confirmed = app
        .post_form_from(&link, "/email/confirm", &[("token", token)])
        .await;
    assert_eq!(location(&confirmed), "/home");
    assert_eq!(stored_account(&app).await.email.as_deref(), Some(NEW_EMAIL));
    let told = app.mail_to(EMAIL).await;
    assert_eq!(told.len(), 1, "the old address is told");
    assert!(told[0].body_text.contains(NEW_EMAIL));
}

async fn a_password_change_needs_the_current_one_and_ends_other_sessions_only(backend: Backend) {
    let app = signed_in(backend).await;
    let other = app.another_browser_signed_in(PAYER, PASSWORD).await;
    let change = |current: &'static str, new: &'static str, repeat: &'static str| {
        let app = &app;
        async move {
            post(
                app,
                "/profile/password",
                &[
                    ("current_password", current),
                    ("new_password", new),
                    ("new_password_repeat", repeat),
                ],
            )
            .await
        }
    };

    let wrong = change("Napacno-Geslo-1", NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(wrong.status(), 200);
    let wrong = wrong.text().await.unwrap();
    assert!(wrong.contains("Obstoječe geslo ni pravilno."));
    assert!(
        !wrong.contains("Napacno-Geslo-1"),
        "no password in the page"
    );
    let missing = change("", NEW_PASSWORD, NEW_PASSWORD)
        .await
        .text()
        .await
        .unwrap();
    assert!(missing.contains("Vpišite obstoječe geslo."));
    let weak = change(PASSWORD, "kratko", "kratko")
        .await
        .text()
        .await
        .unwrap();
    assert!(weak.contains("error-summary"));
    assert!(
        weak.contains(r#"id="new_password-error""#),
        "the rules are enforced"
    );
    let differs = change(PASSWORD, NEW_PASSWORD, "Modra-Sliva-43")
        .await
        .text()
        .await
        .unwrap();
    assert!(differs.contains("Gesli se ne ujemata."));
    let hash_before = stored_account(&app).await.password_hash;

    let changed = change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(location(&changed), "/profile?saved=password");
    assert_ne!(stored_account(&app).await.password_hash, hash_before);
    let page = app.get("/profile?saved=password").await;
    assert_eq!(page.status(), 200, "this session goes on");
    assert!(page.text().await.unwrap().contains("Geslo je zamenjano."));
    let ended = other.get(app.url("/profile")).send().await.unwrap();
    assert_eq!(location(&ended), "/", "the other session has ended");

    let notice = app.mail_to(EMAIL).await;
    assert_eq!(notice.len(), 1);
    assert!(notice[0].subject.contains("geslo"));
    assert!(!notice[0].body_text.contains(NEW_PASSWORD));
    let events = audit_events(&app, "password_changed").await;
    assert_eq!(events.len(), 1);
    assert!(
        !events[0]
            .details
            .clone()
            .unwrap_or_default()
            .contains(NEW_PASSWORD)
    );

    app.post_form("/sign-out", &[]).await;
    let fresh = app.sign_in(PAYER, NEW_PASSWORD).await;
    assert_eq!(location(&fresh), "/home", "the new password signs in");
}

async fn withdrawing_consent_signs_out_with_the_manuals_sentence(backend: Backend) {
    let app = signed_in(backend).await;
    let withdrawn = post(&app, "/profile/consent/withdraw", &[]).await;
    assert_eq!(location(&withdrawn), "/?notice=consent-required");
    let sign_in = app
        .get("/?notice=consent-required")
        .await
        .text()
        .await
        .unwrap();
    assert!(sign_in.contains("Uporaba portala brez tega Soglasja ni mogoča."));
    assert_eq!(location(&app.get("/profile").await), "/", "signed out");

    let account = stored_account(&app).await;
    assert_eq!(account.consent_version, None);
    let decisions = consent::Entity::find()
        .filter(consent::Column::AccountId.eq(account.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(decisions.last().unwrap().action.as_str(), "withdrawn");
    assert_eq!(audit_events(&app, "consent_withdrawn").await.len(), 1);
    assert_eq!(location(&app.sign_in(PAYER, PASSWORD).await), "/home");
    assert_eq!(location(&app.get("/home").await), "/consent", "asked again");
}

async fn the_data_download_has_the_payers_invoices_and_no_password(backend: Backend) {
    let app = TestApp::spawn_demo(backend).await;
    let payer = eportal::demo::ACCOUNT_PAYER;
    assert_eq!(
        location(&app.sign_in(payer, eportal::demo::ACCOUNT_PASSWORD).await),
        "/home"
    );
    let response = app.get("/profile/data.json").await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body = response.text().await.unwrap();
    assert!(!body.contains("password") && !body.contains("$argon2"));
    let data: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(data["account"]["user_name"], payer);
    assert_eq!(data["payer"]["code"], payer);
    assert_eq!(data["points"].as_array().unwrap().len(), 3);
    assert!(!data["readings"].as_array().unwrap().is_empty());
    assert!(!data["consents"].as_array().unwrap().is_empty());

    let invoices = invoice::Entity::find()
        .filter(invoice::Column::PayerCode.eq(payer))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!invoices.is_empty());
    let exported: Vec<&str> = data["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|invoice| invoice["number"].as_str().unwrap())
        .collect();
    assert_eq!(exported.len(), invoices.len());
    for invoice in &invoices {
        assert!(exported.contains(&invoice.number.as_str()));
    }
    assert!(
        !exported.contains(&eportal::demo::MANUAL_INVOICE),
        "not another payer's"
    );
}

async fn the_last_sign_ins_are_listed(backend: Backend) {
    let app = signed_in(backend).await;
    let page = profile(&app).await;
    assert_eq!(page.matches("<td>127.0.0.1</td>").count(), 1);
    for _ in 0..11 {
        app.post_form("/sign-out", &[]).await;
        assert_eq!(location(&app.sign_in(PAYER, PASSWORD).await), "/home");
    }
    let page = profile(&app).await;
    assert_eq!(
        page.matches("<td>127.0.0.1</td>").count(),
        10,
        "the last ten"
    );
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Ljubljana)
        .format("%-d. %-m. %Y, ")
        .to_string();
    assert!(page.contains(&format!("<td>{today}")), "Ljubljana time");
}

async fn guessing_the_current_password_stops_after_five_tries(backend: Backend) {
    let app = signed_in(backend).await;
    let attempt = |current: &'static str| {
        let app = &app;
        async move {
            let fields = [
                ("current_password", current),
                ("new_password", NEW_PASSWORD),
                ("new_password_repeat", NEW_PASSWORD),
            ];
            post(app, "/profile/password", &fields)
                .await
                .text()
                .await
                .unwrap()
        }
    };
    for _ in 0..5 {
        assert!(
            attempt("Napacno-Geslo-1")
                .await
                .contains("Obstoječe geslo ni pravilno.")
        );
    }
    let refused = attempt(PASSWORD).await;
    assert!(
        refused.contains("prevečkrat"),
        "even the right one waits now: {refused}"
    );
    let account = stored_account(&app).await;
    assert!(eportal::auth::password::verify_password(
        PASSWORD,
        account.password_hash.as_deref().unwrap()
    ));
}
