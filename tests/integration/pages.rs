//! The web skeleton: sign-in page, language, security headers, health.

use crate::on_both_databases;
use crate::support::{Backend, TestApp};

on_both_databases!(
    health_endpoints_answer,
    sign_in_page_is_slovenian_by_default,
    language_switch_remembers_english,
    every_response_carries_security_headers,
    hsts_only_behind_https,
    unknown_pages_answer_404_in_both_languages,
    demo_mail_is_routed_only_in_demo_mode,
    shutdown_finishes_cleanly,
    the_frameworks_refusals_are_pages_in_the_users_language,
);

async fn health_endpoints_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let live = app.get("/healthz").await;
    assert_eq!(live.status(), 200);
    assert!(
        live.headers().get("set-cookie").is_none(),
        "a probe makes no session"
    );
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");
}

async fn sign_in_page_is_slovenian_by_default(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"<html lang="sl">"#), "{html}");
    assert!(html.contains("<h1>Prijava</h1>"));
    assert!(html.contains(r#"<label class="field__label" for="username">Uporabniško ime</label>"#));
    assert!(html.contains(r#"<label class="field__label" for="password">Geslo</label>"#));
    assert!(html.contains("Registracija za nove uporabnike"));
    // The footer carries the company's name and contact from the configuration.
    assert!(html.contains("Javno komunalno podjetje Brezovica d.o.o."));
    assert!(html.contains("01/363 30 20"));
    assert!(html.contains("Ponedeljek"));
}

async fn language_switch_remembers_english(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let switch = app.get("/lang/en?next=/").await;
    assert_eq!(switch.status(), 303);
    assert_eq!(switch.headers()["location"], "/");
    let cookie = switch.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");

    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains("<h1>Sign in</h1>"));
    assert!(html.contains(r#"lang="sl" hreflang="sl">Slovenščina</a>"#));

    let away = app.get("/lang/sl?next=//evil.example/").await;
    assert_eq!(away.headers()["location"], "/");
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains(r#"<html lang="sl">"#));
}

async fn every_response_carries_security_headers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in ["/", "/static/site.css", "/no-such-page", "/readyz"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(
            headers.get("strict-transport-security").is_none(),
            "{path}: plain HTTP"
        );
        assert!(headers.get("x-request-id").is_some(), "{path}");
        let cache = if path.starts_with("/static/") {
            "public, max-age=3600"
        } else {
            "no-store"
        };
        assert_eq!(headers["cache-control"], cache, "{path}");
    }
}

async fn hsts_only_behind_https(backend: Backend) {
    let app = TestApp::spawn_with(backend, |config| {
        config.public_url = Some("https://eportal.example".parse().unwrap());
    })
    .await;
    let response = app.get("/").await;
    let hsts = response.headers()["strict-transport-security"]
        .to_str()
        .unwrap();
    assert!(hsts.starts_with("max-age="), "{hsts}");
}

async fn unknown_pages_answer_404_in_both_languages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("Strani ni mogoče najti."));
    assert!(html.contains("Page not found."));
    assert_eq!(app.get("/static/no-such-file.css").await.status(), 404);
}

async fn demo_mail_is_routed_only_in_demo_mode(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_eq!(app.get("/demo/mail").await.status(), 404);
    drop(app);

    let app = TestApp::spawn_with(backend, |config| config.demo = true).await;
    let html = app.get("/demo/mail").await.text().await.unwrap();
    assert!(html.contains("Poslana pošta (demo)"), "{html}");
    assert_eq!(app.get("/demo/mail/999999").await.status(), 404);
}

async fn shutdown_finishes_cleanly(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    let address = app.address;
    app.shut_down().await.expect("a clean shutdown");
    let refused = reqwest::get(format!("http://{address}/healthz")).await;
    assert!(refused.is_err(), "the listener is closed");
}

on_both_databases!(metrics_count_requests_and_the_outbox);

async fn metrics_count_requests_and_the_outbox(backend: Backend) {
    let app = TestApp::spawn_with(backend, |config| {
        config.metrics_listen = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    let site = app.config.site(app.address).unwrap();
    let mail = eportal::mail::OutgoingMail {
        to: "janez.novak@example.si".into(),
        subject: "Preskus".into(),
        text: "Preskus.".into(),
        html: None,
        ..Default::default()
    };
    let tx = eportal::store::begin_write(&app.db).await.unwrap();
    eportal::mail::enqueue(&tx, &site, mail, chrono::Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.get("/").await;
    app.get("/").await;
    assert_eq!(
        app.get("/metrics").await.status(),
        404,
        "not on the public listener"
    );
    let metrics = app.metrics_address.expect("metrics_listen is set");
    let response = reqwest::get(format!("http://{metrics}/metrics"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(
        text.contains(r#"eportal_http_requests_total{method="GET",route="/",status="200"} 2"#),
        "{text}"
    );
    assert!(
        text.contains("eportal_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("eportal_outbox_messages{status="), "{text}");
}

async fn the_frameworks_refusals_are_pages_in_the_users_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let page_of = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        let html = response.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html");
        (status, html, response.text().await.unwrap())
    };

    // A method the route does not take.
    let (status, html, body) = page_of(app.get("/sign-out").await).await;
    assert_eq!((status, html), (405, true));
    assert!(body.contains("Ta naslov tega ne sprejema"), "{body}");

    // A repeated field.
    let (status, html, body) = page_of(
        app.post_form("/", &[("username", "123456"), ("username", "204518")])
            .await,
    )
    .await;
    assert!(matches!(status, 400 | 422), "{status}");
    assert!(html);
    assert!(body.contains("Obrazca ni bilo mogoče prebrati"), "{body}");
    assert!(!body.contains("duplicate field"), "{body}");

    // A body larger than any form needs; nothing of it is looked at.
    let long = "a".repeat(100 * 1024);
    let (status, html, body) =
        page_of(app.post_form("/contact", &[("message", &long)]).await).await;
    assert_eq!((status, html), (413, true));
    assert!(body.contains("Poslanih podatkov je preveč"), "{body}");

    // In English for whoever chose English.
    app.get("/lang/en?next=/").await;
    let (status, _, body) = page_of(app.get("/sign-out").await).await;
    assert_eq!(status, 405);
    assert!(body.contains("This address does not take that"), "{body}");
}
