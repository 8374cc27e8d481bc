//! The billing API (SPEC §5.2): bearer tokens (401 with `WWW-Authenticate: Bearer`, 403 for a
//! missing scope, revocation at once), problem details, the OpenAPI document, and verdicts on
//! submitted readings (recorded once, the same again a no-op, another a conflict).

use std::num::NonZeroU32;

use chrono::{Duration, DurationRound, Utc};
use eportal::app::clock::Clock;
use eportal::demo::{ACCOUNT_EMAIL, ACCOUNT_PAYER};
use eportal::domain::api_token::{ApiToken, Scope};
use eportal::import::Kind;
use eportal::store::api_tokens::{self, NewToken};
use eportal::store::entity::submitted_reading;
use eportal::store::idempotency::Claim;
use eportal::store::submitted_readings::{self, NewSubmission, SubmissionStatus};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::on_both_databases;
use crate::support::{Backend, TestApp};

on_both_databases!(
    tokens_are_checked_on_every_request,
    a_verdict_is_recorded_once_and_told_to_the_customer,
    the_document_describes_every_route,
    the_feed_hands_over_each_submission_once_in_commit_order,
    concurrent_submissions_are_never_skipped,
    billing_data_is_upserted_whole_or_not_at_all,
    a_retry_with_the_same_idempotency_key_gets_the_first_answer,
    an_invoice_pdf_is_put_and_limits_are_problems,
    a_token_over_its_share_of_a_minute_waits_for_the_next,
    the_files_sent_as_upserts_give_the_same_database_as_imported,
);

pub(crate) async fn make_token(
    app: &TestApp,
    scopes: &[Scope],
    expires_in: Option<Duration>,
) -> (i64, String) {
    let token = ApiToken::generate();
    let new = NewToken {
        name: "Obračun",
        token: &token,
        scopes,
        created_by: None,
        expires_at: expires_in.map(|span| Utc::now() + span),
    };
    let id = api_tokens::insert(&app.db, new, Utc::now()).await.unwrap();
    (id, token.as_str().to_owned())
}

/// A reading of the demo customer's house meter; its id.
async fn submitted(app: &TestApp) -> i64 {
    let (account_id, meter) = app.demo_house_meter().await;
    let new = NewSubmission {
        account_id,
        meter_serial: &meter,
        read_on: eportal::domain::dates::local_date(Utc::now()),
        litres: 999_999_000,
        client_addr: None,
    };
    submitted_readings::save(&app.db, new, Utc::now())
        .await
        .unwrap()
}

async fn post_verdict(
    app: &TestApp,
    id: i64,
    token: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/api/v1/submitted-readings/{id}/verdict")))
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

async fn problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    body
}

async fn tokens_are_checked_on_every_request(backend: Backend) {
    let app = TestApp::spawn_demo(backend).await;
    let id = submitted(&app).await;
    let accept = json!({ "status": "accepted" });
    let nobody = post_verdict(&app, id, None, &accept).await;
    assert_eq!(nobody.headers()["www-authenticate"], "Bearer");
    problem(nobody, 401).await;
    let (_, good) = make_token(&app, &[Scope::ReadingsWrite], None).await;
    let mut forged = good.clone();
    forged.replace_range(10..11, if &good[10..11] == "A" { "B" } else { "A" });
    problem(post_verdict(&app, id, Some(&forged), &accept).await, 401).await;
    let unknown = ApiToken::generate();
    problem(
        post_verdict(&app, id, Some(unknown.as_str()), &accept).await,
        401,
    )
    .await;
    let (_, expired) = make_token(&app, &[Scope::ReadingsWrite], Some(Duration::seconds(-1))).await;
    problem(post_verdict(&app, id, Some(&expired), &accept).await, 401).await;
    let (_, read_only) = make_token(&app, &[Scope::ReadingsRead], None).await;
    let refused = problem(post_verdict(&app, id, Some(&read_only), &accept).await, 403).await;
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("readings:write")
    );
    // A token is never taken from the URL.
    let in_url = app
        .client
        .post(app.url(&format!(
            "/api/v1/submitted-readings/{id}/verdict?access_token={good}"
        )))
        .json(&accept)
        .send()
        .await
        .unwrap();
    assert_eq!(in_url.status(), 401);
    // No cookie is needed, none is set.
    let answer = post_verdict(&app, 999_999, Some(&good), &accept).await;
    assert!(answer.headers().get("set-cookie").is_none());
    problem(answer, 404).await;

    // Revoked: refused from the next request.
    let (revoked_id, revoked) = make_token(&app, &[Scope::ReadingsWrite], None).await;
    assert_eq!(
        post_verdict(&app, id, Some(&revoked), &accept)
            .await
            .status(),
        204
    );
    api_tokens::revoke(&app.db, revoked_id, "ana.kos", Utc::now())
        .await
        .unwrap();
    problem(post_verdict(&app, id, Some(&revoked), &accept).await, 401).await;
    let used = api_tokens::find(&app.db, revoked_id)
        .await
        .unwrap()
        .unwrap();
    assert!(used.last_used_at.is_some() && used.last_used_addr.is_some());
}

async fn a_verdict_is_recorded_once_and_told_to_the_customer(backend: Backend) {
    let app = TestApp::spawn_demo(backend).await;
    let id = submitted(&app).await;
    let (_, token) = make_token(&app, &[Scope::ReadingsWrite], None).await;
    let bad = post_verdict(&app, id, Some(&token), &json!({ "status": "rejected" })).await;
    problem(bad, 422).await;
    let not_json = app
        .client
        .post(app.url(&format!("/api/v1/submitted-readings/{id}/verdict")))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    problem(not_json, 422).await;
    let unknown_code = json!({ "status": "rejected", "reason_code": "late", "reason": "x" });
    problem(
        post_verdict(&app, id, Some(&token), &unknown_code).await,
        422,
    )
    .await;
    // A reason is one line of text (PostgreSQL would refuse a NUL outright).
    for reason in ["a\u{0}b", "two\nlines"] {
        let odd = json!({ "status": "rejected", "reason_code": "other", "reason": reason });
        problem(post_verdict(&app, id, Some(&token), &odd).await, 422).await;
    }

    let reason = "Stanje je nižje od odčitka z dne 31. 1. 2026.";
    let rejection = json!({
        "status": "rejected",
        "reason_code": "less_than_previous",
        "reason": reason,
    });
    assert_eq!(
        post_verdict(&app, id, Some(&token), &rejection)
            .await
            .status(),
        204
    );
    let row = submitted_reading::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, SubmissionStatus::Rejected);
    assert_eq!(row.reason_code.as_deref(), Some("less_than_previous"));
    assert_eq!(row.reason.as_deref(), Some(reason));
    let mails = app.mail_to(ACCOUNT_EMAIL).await;
    let mail = mails.last().unwrap();
    assert!(
        mail.body_text
            .contains("Razlog: stanje je nižje od prejšnjega odčitka. Stanje je nižje"),
        "{}",
        mail.body_text
    );

    // The same verdict again: nothing new. Another: a conflict.
    assert_eq!(
        post_verdict(&app, id, Some(&token), &rejection)
            .await
            .status(),
        204
    );
    assert_eq!(app.mail_to(ACCOUNT_EMAIL).await.len(), mails.len());
    let accept = json!({ "status": "accepted" });
    problem(post_verdict(&app, id, Some(&token), &accept).await, 409).await;
}

async fn the_document_describes_every_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let document: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/v1/submitted-readings/{id}/verdict"));
    // Each kind of billing data is a path whose items name exactly the kind's columns.
    for kind in Kind::ALL {
        let body = &paths[&format!("/api/v1/{}", kind.as_str())]["put"]["requestBody"];
        let item = body["content"]["application/json"]["schema"]["items"]["$ref"]
            .as_str()
            .unwrap()
            .trim_start_matches("#/components/schemas/");
        let schema = &document["components"]["schemas"][item];
        let mut named: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut columns: Vec<&str> = kind.columns().iter().map(|column| column.name).collect();
        named.sort_unstable();
        columns.sort_unstable();
        assert_eq!(named, columns, "{}", kind.as_str());
        let required = kind.columns().iter().filter(|column| column.required);
        assert_eq!(
            schema["required"].as_array().unwrap().len(),
            required.count(),
            "{}",
            kind.as_str()
        );
    }
    // Every operation the document names answers (without a token: 401), and names its errors.
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let url = app.url(&path.replace("{id}", "1").replace("{kind}", "payers"));
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let answer = app
                .client
                .request(method.clone(), url)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 401, "{method} {path}");
            let responses = operation["responses"].as_object().unwrap();
            assert!(responses.contains_key("401"), "{method} {path}");
        }
    }
    // And what the document does not name is not there.
    let unnamed = app
        .client
        .get(app.url("/api/v1/nothing/here"))
        .send()
        .await
        .unwrap();
    assert_eq!(unnamed.status(), 404);
}

/// Submits a reading as the portal does: stored, then its place in the feed, then committed,
/// holding the transaction open for `hold` in between.
async fn submit(
    app: &TestApp,
    (account_id, meter): (i64, &str),
    days_ago: u64,
    hold: std::time::Duration,
) -> i64 {
    let txn = eportal::store::begin_write(&app.db).await.unwrap();
    let today = eportal::domain::dates::local_date(Utc::now());
    let new = NewSubmission {
        account_id,
        meter_serial: meter,
        read_on: today - chrono::Days::new(days_ago),
        litres: 1_000_000 + i64::try_from(days_ago).unwrap(),
        client_addr: None,
    };
    let id = submitted_readings::save(&txn, new, Utc::now())
        .await
        .unwrap();
    tokio::time::sleep(hold).await;
    submitted_readings::take_feed_place(&txn, id).await.unwrap();
    txn.commit().await.unwrap();
    id
}

async fn read_feed(app: &TestApp, token: &str, after: Option<&str>, limit: u64) -> Value {
    let mut url = format!("/api/v1/submitted-readings?limit={limit}");
    if let Some(after) = after {
        url.push_str(&format!("&after={after}"));
    }
    let answer = app
        .client
        .get(app.url(&url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "{url}");
    answer.json().await.unwrap()
}

async fn the_feed_hands_over_each_submission_once_in_commit_order(backend: Backend) {
    let app = TestApp::spawn_demo(backend).await;
    let (_, reader) = make_token(&app, &[Scope::ReadingsRead], None).await;
    let (_, writer) = make_token(&app, &[Scope::ReadingsWrite], None).await;
    let feed = |query: &str| {
        let request = app
            .client
            .get(app.url(&format!("/api/v1/submitted-readings{query}")));
        request.bearer_auth(&reader).send()
    };
    for bad in [
        "?limit=0",
        "?limit=1001",
        "?after=bm90LWEtY3Vyc29y",
        "?after=%%%",
        "?limit=x",
    ] {
        problem(feed(bad).await.unwrap(), 422).await;
    }
    let forbidden = app
        .client
        .get(app.url("/api/v1/submitted-readings"))
        .bearer_auth(&writer)
        .send()
        .await
        .unwrap();
    problem(forbidden, 403).await;

    let (account, meter) = app.demo_house_meter().await;
    let first = submit(&app, (account, &meter), 3, std::time::Duration::ZERO).await;
    let second = submit(&app, (account, &meter), 2, std::time::Duration::ZERO).await;
    let page = read_feed(&app, &reader, None, 1).await;
    assert_eq!(page["items"][0]["id"], first);
    assert_eq!(page["items"][0]["payer_code"], ACCOUNT_PAYER);
    assert_eq!(page["items"][0]["meter_serial"], meter.as_str());
    assert_eq!(page["items"][0]["value"], "1000.003");
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let page = read_feed(&app, &reader, Some(&cursor), 10).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["id"], second);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let empty = read_feed(&app, &reader, Some(&cursor), 10).await;
    assert!(empty["items"].as_array().unwrap().is_empty());
    assert_eq!(empty["next_cursor"], cursor.as_str(), "stays where it was");

    // The customer corrects the second: it comes again, naming the one it replaces.
    let again = submit(&app, (account, &meter), 2, std::time::Duration::ZERO).await;
    let page = read_feed(&app, &reader, Some(&cursor), 10).await;
    assert_eq!(page["items"][0]["id"], again);
    assert_eq!(page["items"][0]["replaces"], second);
    // A replaced reading takes no verdict.
    let accept = json!({ "status": "accepted" });
    problem(
        post_verdict(&app, second, Some(&writer), &accept).await,
        409,
    )
    .await;
}

async fn concurrent_submissions_are_never_skipped(backend: Backend) {
    let app = std::sync::Arc::new(TestApp::spawn_demo(backend).await);
    let (_, reader) = make_token(&app, &[Scope::ReadingsRead], None).await;
    let (account, meter) = app.demo_house_meter().await;
    // 32 writers; on PostgreSQL they run at once, each holding its transaction open for a
    // while, so they commit out of the order of their ids. SQLite runs them one by one.
    let writers: Vec<_> = (0..32_u64)
        .map(|n| {
            let (app, meter) = (app.clone(), meter.clone());
            tokio::spawn(async move {
                let hold = std::time::Duration::from_millis((n * 37) % 150);
                submit(&app, (account, &meter), 10 + n, hold).await
            })
        })
        .collect();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut writers_done = false;
    loop {
        let page = read_feed(&app, &reader, cursor.as_deref(), 3).await;
        let items = page["items"].as_array().unwrap();
        seen.extend(items.iter().map(|item| item["id"].as_i64().unwrap()));
        cursor = Some(page["next_cursor"].as_str().unwrap().to_owned());
        if items.is_empty() {
            if writers_done {
                break;
            }
            writers_done = writers.iter().all(tokio::task::JoinHandle::is_finished);
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
    let mut written = Vec::new();
    for writer in writers {
        written.push(writer.await.unwrap());
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "none twice: {seen:?}");
    written.sort_unstable();
    assert_eq!(unique, written, "every one");
}

pub(crate) async fn put(
    app: &TestApp,
    token: &str,
    path: &str,
    items: &Value,
) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(token)
        .json(items)
        .send()
        .await
        .unwrap()
}

async fn billing_data_is_upserted_whole_or_not_at_all(backend: Backend) {
    use eportal::store::entity::{open_item, payer};
    use sea_orm::PaginatorTrait;

    let app = TestApp::spawn(backend).await;
    let (_, reader) = make_token(&app, &[Scope::ReadingsRead], None).await;
    let (_, token) = make_token(&app, &[Scope::BillingWrite], None).await;
    let payers = json!([
        { "payer_code": "700101", "name": "ŽAGAR MARIJA", "city": "Vrhnika", "tax_number": "10000003" },
        { "payer_code": 700102, "name": "ČERNE ŠTEFAN", "postal_code": 1360 },
    ]);
    problem(put(&app, &reader, "/api/v1/payers", &payers).await, 403).await;
    let stored: Value = put(&app, &token, "/api/v1/payers", &payers)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["inserted"], 2, "{stored}");
    let again: Value = put(&app, &token, "/api/v1/payers", &payers)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (again["unchanged"].clone(), again["inserted"].clone()),
        (json!(2), json!(0))
    );

    // A dry run answers what would change and stores nothing.
    let renamed = json!([{ "payer_code": "700101", "name": "ŽAGAR MARIJA ANA" }]);
    let dry: Value = put(&app, &token, "/api/v1/payers?dry_run=true", &renamed)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (dry["updated"].clone(), dry["dry_run"].clone()),
        (json!(1), json!(true))
    );
    let kept = payer::Entity::find_by_id("700101".to_owned())
        .one(&app.db)
        .await
        .unwrap();
    assert_eq!(kept.unwrap().name, "ŽAGAR MARIJA");

    // Every bad item by its pointer, and nothing of the request stored.
    let bad = json!([
        { "payer_code": "700103", "name": "NOVAK", "tax_number": "12345678" },
        { "payer_code": "700104" },
        { "payer_code": "700105", "name": "KOS", "nickname": "K" },
    ]);
    let refused = problem(put(&app, &token, "/api/v1/payers", &bad).await, 422).await;
    assert_eq!(
        refused["errors"][0]["pointer"], "/items/2/nickname",
        "{refused}"
    );
    assert_eq!(refused["errors"][0]["code"], "unknown_field");
    let bad = json!([
        { "payer_code": "700103", "name": "NOVAK", "tax_number": "12345678" },
        { "payer_code": "700104" },
    ]);
    let refused = problem(put(&app, &token, "/api/v1/payers", &bad).await, 422).await;
    let pointers: Vec<_> = refused["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| {
            (
                error["pointer"].as_str().unwrap(),
                error["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pointers,
        [
            ("/items/0/tax_number", "bad_tax_number"),
            ("/items/1/name", "missing_value")
        ]
    );
    assert_eq!(payer::Entity::find().count(&app.db).await.unwrap(), 2);
    let orphan = json!([{ "point_code": "OM-9", "payer_code": "999999" }]);
    let refused = problem(put(&app, &token, "/api/v1/points", &orphan).await, 422).await;
    assert_eq!(refused["errors"][0]["pointer"], "/items/0/payer_code");
    assert_eq!(refused["errors"][0]["code"], "unknown_reference");
    problem(put(&app, &token, "/api/v1/widgets", &json!([])).await, 404).await;
    problem(
        put(&app, &token, "/api/v1/payers", &json!({ "not": "a list" })).await,
        422,
    )
    .await;

    // open_items is the complete set: an empty one means nobody owes anything.
    let items = json!([{ "payer_code": "700101", "document_number": "R-1", "document_date": "2026-01-31", "due_date": "2026-02-28", "amount": "12.50", "open_amount": 12.5 }]);
    let stored: Value = put(&app, &token, "/api/v1/open_items", &items)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["inserted"], 1, "{stored}");
    let cleared: Value = put(&app, &token, "/api/v1/open_items", &json!([]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["deleted"], 1, "{cleared}");
    assert_eq!(open_item::Entity::find().count(&app.db).await.unwrap(), 0);

    // What a file stored, the same items through the API leave as they are.
    let file = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/komunala-vrhnika/payers.csv"),
    )
    .unwrap();
    let file = eportal::app::import::FileImport {
        kind: eportal::import::Kind::Payers,
        name: "payers.csv",
        source: eportal::import::Source::from(file.as_slice()),
        channel: eportal::app::import::Channel::CommandLine,
        dry_run: false,
    };
    let changes = eportal::app::import::import_file(&app.db, file)
        .await
        .unwrap()
        .changes;
    assert!(changes.updated + changes.inserted > 0);
    let same = json!([
        { "payer_code": "700101", "name": "ŽAGAR MARIJA", "street": "Tržaška cesta 12", "postal_code": "1360", "city": "Vrhnika", "tax_number": "10000003", "email": "marija.zagar@example.si", "phone": "01 750 12 34" }
    ]);
    let answer: Value = put(&app, &token, "/api/v1/payers", &same)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["unchanged"], 1, "{answer}");
}

async fn put_with_key(app: &TestApp, token: &str, key: &str, items: &Value) -> reqwest::Response {
    app.client
        .put(app.url("/api/v1/payers"))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(items)
        .send()
        .await
        .unwrap()
}

async fn a_retry_with_the_same_idempotency_key_gets_the_first_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, other) = make_token(&app, &[Scope::BillingWrite], None).await;
    let (_, token) = make_token(&app, &[Scope::BillingWrite], None).await;
    let payers = json!([{ "payer_code": "700101", "name": "ŽAGAR MARIJA" }]);
    let first: Value = put_with_key(&app, &token, "k-1", &payers)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["inserted"], 1);
    // The retry is answered as the first was, though the payer is there by now.
    let retry = put_with_key(&app, &token, "k-1", &payers).await;
    assert_eq!(retry.status(), 200);
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(retry, first);
    // Without the key it runs again and finds the payer unchanged.
    let plain: Value = put(&app, &token, "/api/v1/payers", &payers)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plain["unchanged"], 1);
    // The same key with another request: 422; another token's keys are its own.
    let renamed = json!([{ "payer_code": "700101", "name": "ŽAGAR ANA" }]);
    problem(put_with_key(&app, &token, "k-1", &renamed).await, 422).await;
    let theirs: Value = put_with_key(&app, &other, "k-1", &renamed)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["updated"], 1);
    // A refusal is kept too, and given again.
    let bad = json!([{ "payer_code": "x" }]);
    let refused = problem(put_with_key(&app, &token, "k-2", &bad).await, 422).await;
    let again = problem(put_with_key(&app, &token, "k-2", &bad).await, 422).await;
    assert_eq!(again, refused);
    // A key that cannot be one.
    problem(
        put_with_key(&app, &token, &"k".repeat(300), &payers).await,
        422,
    )
    .await;

    // While the first request with a key runs, a retry is told so (409); a claim left by a
    // request that never answered is taken over after a while.
    let body = serde_json::to_vec(&payers).unwrap();
    let hash = eportal::auth::secret::sha256_hex(&[b"payers|false|".as_slice(), &body].concat());
    let token_id = token_id_of(&app, &token).await;
    let claim = |at| eportal::store::idempotency::claim(&app.db, (token_id, "k-3"), &hash, at);
    assert_eq!(claim(Utc::now()).await.unwrap(), Claim::Fresh);
    problem(put_with_key(&app, &token, "k-3", &payers).await, 409).await;
    let later = Utc::now() + Duration::minutes(11);
    assert_eq!(claim(later).await.unwrap(), Claim::Fresh);
}

async fn token_id_of(app: &TestApp, token: &str) -> i64 {
    let hash = eportal::auth::secret::sha256_hex(token.as_bytes());
    api_tokens::all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|stored| stored.token_hash == hash)
        .unwrap()
        .id
}

pub(crate) async fn put_pdf(
    app: &TestApp,
    token: &str,
    number: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/api/v1/invoices/{number}/pdf")))
        .bearer_auth(token)
        .header("content-type", "application/pdf")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn an_invoice_pdf_is_put_and_limits_are_problems(backend: Backend) {
    use eportal::demo::MANUAL_INVOICE;
    use eportal::store::entity::invoice_pdf;

    let app = TestApp::spawn_demo(backend).await;
    let (_, token) = make_token(&app, &[Scope::BillingWrite], None).await;
    let pdf = b"%PDF-1.4\n% a test invoice\n".to_vec();
    let stored: Value = put_pdf(&app, &token, MANUAL_INVOICE, pdf.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["updated"], 1, "{stored}");
    let kept = invoice_pdf::Entity::find_by_id(MANUAL_INVOICE.to_owned())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.content, pdf);
    let again: Value = put_pdf(&app, &token, MANUAL_INVOICE, pdf)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["unchanged"], 1);
    problem(
        put_pdf(&app, &token, "NO-SUCH", b"%PDF-1.4".to_vec()).await,
        404,
    )
    .await;
    problem(
        put_pdf(&app, &token, "%00", b"%PDF-1.4".to_vec()).await,
        404,
    )
    .await;
    problem(
        put_pdf(&app, &token, MANUAL_INVOICE, b"<html>".to_vec()).await,
        422,
    )
    .await;
    let mut large = b"%PDF-1.4".to_vec();
    large.resize(21 << 20, b' ');
    problem(put_pdf(&app, &token, MANUAL_INVOICE, large).await, 413).await;
    // Bodies far above the framework's default of 2 MB are taken (up to 64 MiB a request).
    let mut big = b"%PDF-1.4".to_vec();
    big.resize(10 << 20, b' ');
    let stored: Value = put_pdf(&app, &token, MANUAL_INVOICE, big)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["updated"], 1, "{stored}");
}

async fn a_token_over_its_share_of_a_minute_waits_for_the_next(backend: Backend) {
    let minute = Utc::now().duration_trunc(Duration::minutes(1)).unwrap();
    let clock = Clock::manual(minute + Duration::seconds(20));
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |config| {
        config.api_requests_per_minute = NonZeroU32::new(3).unwrap();
    })
    .await;
    let (_, token) = make_token(&app, &[Scope::ReadingsRead], None).await;
    let feed = || {
        app.client
            .get(app.url("/api/v1/submitted-readings?limit=1"))
            .bearer_auth(&token)
            .send()
    };
    for _ in 0..3 {
        assert_eq!(feed().await.unwrap().status(), 200);
    }
    // The fourth in this minute is refused until the next minute begins, 40 seconds on.
    let refused = feed().await.unwrap();
    assert_eq!(refused.headers()["retry-after"], "40");
    let body = problem(refused, 429).await;
    assert_eq!(
        body["type"],
        "https://eportal.example/problems/too_many_requests"
    );
    clock.advance(std::time::Duration::from_secs(39));
    assert_eq!(feed().await.unwrap().status(), 429);
    clock.advance(std::time::Duration::from_secs(1));
    assert_eq!(feed().await.unwrap().status(), 200);
}

/// Every row of `E`, as text without the time it was stored, sorted.
async fn rows_of<E: sea_orm::EntityTrait>(db: &eportal::store::Db) -> Vec<String> {
    let mut rows: Vec<String> = E::find()
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|model| {
            let mut text = format!("{model:?}");
            if let Some(start) = text.find("updated_at: ") {
                let end = text[start..]
                    .find([',', '}'])
                    .map_or(text.len(), |offset| start + offset);
                text.replace_range(start..end, "");
            }
            text
        })
        .collect();
    rows.sort();
    rows
}

/// A utility's files imported by the command line's code, and the same rows sent to the API
/// as JSON, leave the two databases alike, row for row.
async fn the_files_sent_as_upserts_give_the_same_database_as_imported(backend: Backend) {
    use eportal::app::import::{self as apply, Channel};
    use eportal::store::entity::{
        invoice, invoice_line, meter, open_item, payer, point, point_service, price, reading,
        service,
    };

    let files = tempfile::tempdir().unwrap();
    let today = Utc::now()
        .with_timezone(&chrono_tz::Europe::Ljubljana)
        .date_naive();
    eportal::demo::write_files(files.path(), today, 30).unwrap();
    let by_files = TestApp::spawn(backend).await;
    let by_api = TestApp::spawn(backend).await;
    let (_, token) = make_token(&by_api, &[Scope::BillingWrite], None).await;
    for kind in Kind::ALL {
        let name = format!("{}.csv", kind.as_str());
        let bytes = std::fs::read(files.path().join(&name)).unwrap();
        let file = apply::FileImport {
            kind,
            name: &name,
            source: eportal::import::Source::from(bytes.as_slice()),
            channel: Channel::CommandLine,
            dry_run: false,
        };
        apply::import_file(&by_files.db, file)
            .await
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(bytes.as_slice());
        let header = reader.headers().unwrap().clone();
        let items: Vec<Value> = reader
            .records()
            .map(|record| {
                let fields = header
                    .iter()
                    .zip(record.unwrap().iter())
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(column, value)| (column.to_owned(), json!(value)))
                    .collect::<serde_json::Map<_, _>>();
                Value::Object(fields)
            })
            .collect();
        let path = format!("/api/v1/{}", kind.as_str());
        let answer = put(&by_api, &token, &path, &json!(items)).await;
        assert_eq!(
            answer.status(),
            200,
            "{path}: {}",
            answer.text().await.unwrap()
        );
    }
    macro_rules! alike {
        ($($entity:ty),+) => {$(
            let (files, api) = (rows_of::<$entity>(&by_files.db).await, rows_of::<$entity>(&by_api.db).await);
            assert!(!files.is_empty(), "{}", stringify!($entity));
            assert_eq!(files, api, "{}", stringify!($entity));
        )+};
    }
    alike!(
        payer::Entity,
        service::Entity,
        price::Entity,
        point::Entity,
        point_service::Entity,
        meter::Entity,
        reading::Entity,
        invoice::Entity,
        invoice_line::Entity,
        open_item::Entity
    );
}
