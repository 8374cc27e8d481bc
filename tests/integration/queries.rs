//! The database queries of every customer page, counted by the metrics: each page runs a
//! fixed, small number, whatever it lists. The demo's house has two meters, several services,
//! years of readings and invoices; the flat has one meter, and its point pages must run as
//! many queries as the house's, so a query per meter or per row fails here.

use std::num::NonZeroU32;
use std::time::Duration;

use eportal::demo::{ACCOUNT_PASSWORD, ACCOUNT_PAYER};
use eportal::store::points;

use crate::on_both_databases;
use crate::support::{Backend, TestApp};

on_both_databases!(
    each_customer_page_runs_a_fixed_few_queries,
    every_customer_page_answers_on_a_pool_of_one_connection,
);

/// The queries of each page: the session with the customer (account, payer and their
/// points), then the page's own.
const QUERIES: [(&str, u32); 13] = [
    ("/home", 2),
    ("/point", 3),
    ("/readings", 3),
    ("/readings.csv", 3),
    ("/readings/new", 4),
    ("/prices", 4),
    ("/finance/invoices", 4),
    ("/finance/invoices/{number}", 4),
    ("/finance/invoices/{number}/pdf", 3),
    ("/finance/open-items", 2),
    ("/contact", 1),
    ("/profile", 4),
    ("/profile/data.json", 8),
];

async fn each_customer_page_runs_a_fixed_few_queries(backend: Backend) {
    let app = TestApp::spawn_demo_with(backend, |config| {
        config.metrics_listen = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    assert_eq!(
        app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await.status(),
        303
    );
    let points = points::of_payer(&app.db, ACCOUNT_PAYER).await.unwrap();
    let at = |street: &str| {
        let point = points
            .iter()
            .find(|point| point.street.as_deref() == Some(street));
        point.expect("a point of the demo payer").code.clone()
    };
    let (house, flat) = (at("LIPOVA ULICA 12"), at("TRŽAŠKA CESTA 215"));
    app.choose_point(&house).await;
    let number = first_invoice_listed(&app).await;

    // Each page once, after the list above, so every count below is of one request.
    let metrics = app.metrics_address.expect("metrics_listen is set");
    let before = metrics_text(metrics).await;
    for (route, _) in QUERIES {
        let path = route.replace("{number}", &number);
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
    }
    let after = metrics_text(metrics).await;
    let counted: Vec<(&str, u32)> = QUERIES
        .iter()
        .map(|(route, _)| {
            let queries = queries_of(&after, route) - queries_of(&before, route);
            (*route, queries)
        })
        .collect();
    assert_eq!(counted, QUERIES, "queries per page");

    // The flat's point pages, with one meter, against the house's with two.
    let point_pages = ["/point", "/readings", "/readings/new", "/prices"];
    app.choose_point(&flat).await;
    let before = metrics_text(metrics).await;
    for path in point_pages {
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }
    let after = metrics_text(metrics).await;
    for route in point_pages {
        let flat = queries_of(&after, route) - queries_of(&before, route);
        let house = QUERIES.iter().find(|(page, _)| *page == route).unwrap().1;
        assert_eq!(
            flat, house,
            "{route}: the flat's queries against the house's"
        );
    }
}

/// A page reads on one connection, which it gives back before it writes (the session it keeps
/// alive, say): no page waits for a second connection while it holds one, so each answers even
/// when the pool has only one.
async fn every_customer_page_answers_on_a_pool_of_one_connection(backend: Backend) {
    let app = TestApp::spawn_demo_with(backend, |config| {
        config.database_max_connections = NonZeroU32::new(1);
    })
    .await;
    assert_eq!(
        app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await.status(),
        303
    );
    let number = first_invoice_listed(&app).await;
    for (route, _) in QUERIES {
        let path = route.replace("{number}", &number);
        let response = tokio::time::timeout(Duration::from_secs(5), app.get(&path)).await;
        let response = response.unwrap_or_else(|_| panic!("{path} waited for a connection"));
        assert_eq!(response.status(), 200, "{path}");
    }
}

/// The number of the first invoice the invoice list links to.
async fn first_invoice_listed(app: &TestApp) -> String {
    let invoices = app.get("/finance/invoices").await.text().await.unwrap();
    let number = invoices
        .split("href=\"/finance/invoices/")
        .nth(1)
        .and_then(|rest| rest.split('"').next());
    number.expect("an invoice on the list").to_owned()
}

async fn metrics_text(address: std::net::SocketAddr) -> String {
    let response = reqwest::get(format!("http://{address}/metrics")).await;
    response.unwrap().text().await.unwrap()
}

/// The queries all GET requests of `route` answered 200 ran so far, from the metrics' text.
fn queries_of(metrics: &str, route: &str) -> u32 {
    let series = format!(
        r#"eportal_db_queries_per_request_sum{{method="GET",route="{route}",status="200"}} "#
    );
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(&series))
        .map_or(0, |value| value.parse::<f64>().expect("a number") as u32)
}
