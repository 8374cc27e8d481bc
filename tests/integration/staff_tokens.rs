//! "API žetoni": an administrator makes a token (after a fresh code), sees it once, and revokes
//! it; only its digest is stored; operators are refused; `eportal token create` prints one.

use chrono::Utc;
use eportal::app::clock::Clock;
use eportal::auth::secret::sha256_hex;
use eportal::domain::api_token::ApiToken;
use eportal::store::api_tokens;
use eportal::store::entity::staff_user;
use sea_orm::EntityTrait;
use sea_orm::sea_query::Expr;

use crate::on_both_databases;
use crate::staff::{audited, now_code, signed_in_staff, staff_key};
use crate::support::{Backend, TestApp, TestDatabase, location};

on_both_databases!(
    an_administrator_makes_a_token_sees_it_once_and_revokes_it,
    the_command_line_prints_a_token_once,
);

const LIST: &str = "/staff/api-tokens";

async fn create(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form_from(LIST, LIST, fields).await
}

async fn an_administrator_makes_a_token_sees_it_once_and_revokes_it(backend: Backend) {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {}).await;
    signed_in_staff(&app, &clock).await;
    // An operator neither sees nor makes tokens.
    assert_eq!(app.get(LIST).await.status(), 403);
    let refused = app
        .post_form_from(
            "/staff/home",
            LIST,
            &[("name", "X"), ("scope", "billing:write")],
        )
        .await;
    assert_eq!(refused.status(), 403);
    staff_user::Entity::update_many()
        .col_expr(staff_user::Column::Role, Expr::value("admin"))
        .exec(&app.db)
        .await
        .unwrap();
    let home = app.get("/staff/home").await.text().await.unwrap();
    assert!(home.contains(r#"href="/staff/api-tokens""#), "{home}");

    let page = create(&app, &[("name", " "), ("expires_in_days", "0")]).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Vpišite ime žetona."), "{page}");
    assert!(page.contains("Izberite vsaj eno dovoljenje."), "{page}");
    assert!(page.contains("Vpišite število dni od 1 do 3650"), "{page}");
    assert!(api_tokens::all(&app.db).await.unwrap().is_empty());
    let kept = create(&app, &[("name", "Obračun"), ("expires_in_days", "")]).await;
    let kept = kept.text().await.unwrap();
    assert!(
        kept.contains(r#"value="Obračun""#),
        "what was typed stays: {kept}"
    );
    assert!(!kept.contains(r#"value="365""#), "{kept}");

    let made = create(
        &app,
        &[
            ("name", "Obračun – nočni prenos"),
            ("scope", "billing:write"),
            ("scope", "readings:read"),
            ("expires_in_days", "30"),
        ],
    )
    .await;
    assert_eq!(made.status(), 200);
    assert_eq!(made.headers()["cache-control"], "no-store");
    let page = made.text().await.unwrap();
    let shown = page
        .split(r#"id="new-token">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("the token is shown: {page}"));
    let token = ApiToken::parse(shown).expect("a well-formed token");
    let stored = api_tokens::all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    let stored = &stored[0];
    assert_eq!(stored.token_hash, sha256_hex(token.as_str().as_bytes()));
    assert_eq!(stored.scopes, "billing:write readings:read");
    assert_eq!(stored.created_by.as_deref(), Some("ana.kos"));
    let days = (stored.expires_at.unwrap() - stored.created_at).num_days();
    assert_eq!(days, 30);
    assert_eq!(audited(&app, "api_token_created").await, 1);

    // Never again.
    let list = app.get(LIST).await.text().await.unwrap();
    assert!(!list.contains(token.as_str()), "{list}");
    assert!(
        list.contains(token.shown_prefix()) && list.contains("veljaven"),
        "{list}"
    );

    // Making one is dangerous: long after the last code, a fresh one first.
    clock.advance(std::time::Duration::from_secs(11 * 60));
    let fields = [("name", "Drugi"), ("scope", "readings:write")];
    let stale = create(&app, &fields).await;
    let confirm = "/staff/confirm?next=%2Fstaff%2Fapi-tokens";
    assert_eq!(location(&stale), confirm);
    assert_eq!(api_tokens::all(&app.db).await.unwrap().len(), 1);
    let code_now = now_code(&staff_key(&app).await, &clock);
    let confirmed = app
        .post_form_from(
            confirm,
            "/staff/confirm",
            &[("code", &code_now), ("next", LIST)],
        )
        .await;
    assert_eq!(location(&confirmed), LIST);
    assert_eq!(create(&app, &fields).await.status(), 200);
    assert_eq!(api_tokens::all(&app.db).await.unwrap().len(), 2);

    let revoke = format!("/staff/api-tokens/{}/revoke", stored.id);
    let revoked = app.post_form_from(LIST, &revoke, &[]).await;
    assert_eq!(location(&revoked), LIST);
    let after = api_tokens::find(&app.db, stored.id).await.unwrap().unwrap();
    assert!(after.revoked_at.is_some());
    assert_eq!(after.revoked_by.as_deref(), Some("ana.kos"));
    assert_eq!(audited(&app, "api_token_revoked").await, 1);
    let list = app.get(LIST).await.text().await.unwrap();
    assert!(list.contains("preklical ana.kos"), "{list}");
    // Twice is once.
    app.post_form_from(LIST, &revoke, &[]).await;
    assert_eq!(audited(&app, "api_token_revoked").await, 1);
    let missing = app
        .post_form_from(LIST, "/staff/api-tokens/999999/revoke", &[])
        .await;
    assert_eq!(missing.status(), 404);
}

async fn the_command_line_prints_a_token_once(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let eportal = || crate::cli::eportal(&database);
    let output = eportal()
        .args(["token", "create", "Obračun", "--scope", "billing:write"])
        .args(["--scope", "readings:read", "--expires-in-days", "90"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8(output.stdout).unwrap();
    let token = ApiToken::parse(printed.trim()).expect("one token on standard output");
    let db = database.connect().await;
    let stored = api_tokens::all(&db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].token_hash, sha256_hex(token.as_str().as_bytes()));
    assert_eq!(stored[0].created_by, None);
    assert_eq!(stored[0].scopes, "billing:write readings:read");

    for bad in [
        vec!["token", "create", "X", "--scope", "admin"],
        vec!["token", "create", "X"],
        vec![
            "token",
            "create",
            "X",
            "--scope",
            "readings:read",
            "--expires-in-days",
            "0",
        ],
        vec!["token", "create", " ", "--scope", "readings:read"],
    ] {
        let output = eportal().args(&bad).output().unwrap();
        assert!(!output.status.success(), "{bad:?}");
        assert!(output.stdout.is_empty(), "{bad:?}");
    }
    assert_eq!(api_tokens::all(&db).await.unwrap().len(), 1);
}
