//! "Finance" (SPEC §3.12): invoices by year with their lines and PDFs, open items with the
//! balance and its UPN QR code, and nobody else's invoice.

use chrono::{Datelike, NaiveDate, Utc};
use eportal::demo::{
    ACCOUNT_PASSWORD, ACCOUNT_PAYER, MANUAL_INVOICE, MANUAL_PAYER, OVERDUE_PAYER, ROLL_OVER_PAYER,
};
use eportal::domain::money::Cents;
use eportal::store::entity::{audit_event, invoice, invoice_line, invoice_pdf, open_item};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::on_both_databases;
use crate::support::{Backend, PASSWORD, TestApp};

on_both_databases!(
    invoices_by_year_with_totals_and_paid_or_open,
    an_invoice_shows_its_lines_summing_to_net_and_its_pdf_downloads,
    overdue_items_are_marked_and_the_qr_code_pays_the_balance,
    another_payers_invoice_is_not_found_and_audited,
    finance_needs_a_signed_in_customer,
);

async fn demo_app(backend: Backend) -> TestApp {
    TestApp::spawn_demo(backend).await
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Ljubljana)
        .date_naive()
}

/// The page's own content, without the frame that names its path.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap();
    &html[start..html.find("</main>").unwrap()]
}

/// The table row that links to invoice `number`.
fn row_of<'a>(html: &'a str, number: &str) -> &'a str {
    let link = format!(r#"href="/finance/invoices/{number}""#);
    let at = html
        .find(&link)
        .unwrap_or_else(|| panic!("no row for {number}"));
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

/// `1.234,56 €` (with a no-break space) back into cents.
fn cents_of(text: &str) -> i64 {
    let digits: String = text
        .trim()
        .trim_end_matches('€')
        .trim_end_matches('\u{a0}')
        .replace(['.', ','], "");
    digits
        .parse()
        .unwrap_or_else(|_| panic!("not an amount: {text:?}"))
}

async fn open_cents_by_number(app: &TestApp, payer: &str) -> Vec<(String, i64)> {
    open_item::Entity::find()
        .filter(open_item::Column::PayerCode.eq(payer))
        .filter(open_item::Column::OpenCents.gt(0))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|item| (item.document_number, item.open_cents))
        .collect()
}

async fn invoices_by_year_with_totals_and_paid_or_open(backend: Backend) {
    let app = demo_app(backend).await;
    app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await;
    let all = invoice::Entity::find()
        .filter(invoice::Column::PayerCode.eq(ACCOUNT_PAYER))
        .order_by_desc(invoice::Column::IssueDate)
        .all(&app.db)
        .await
        .unwrap();
    let newest_year = all[0].issue_date.year();
    let oldest_year = all.last().unwrap().issue_date.year();
    assert!(oldest_year < newest_year, "the demo spans several years");
    let open = open_cents_by_number(&app, ACCOUNT_PAYER).await;
    assert!(!open.is_empty());

    let newest = page(&app, "/finance/invoices").await;
    assert!(newest.contains("<h1>Izstavljeni računi</h1>"));
    assert!(newest.contains(&format!(r#"<option value="{oldest_year}">"#)));
    assert!(newest.contains(&format!(r#"<option value="{newest_year}" selected>"#)));
    let older = page(&app, &format!("/finance/invoices?year={oldest_year}")).await;
    let nonsense = page(&app, "/finance/invoices?year=nonsense").await;
    assert!(
        main_of(&nonsense) == main_of(&newest),
        "an unknown year shows the newest"
    );
    let points: std::collections::HashSet<_> = all
        .iter()
        .filter_map(|inv| inv.point_code.clone())
        .collect();
    assert!(points.len() > 1, "invoices of every point");
    for invoice in &all {
        let (shown, other) = if invoice.issue_date.year() == newest_year {
            (&newest, &older)
        } else if invoice.issue_date.year() == oldest_year {
            (&older, &newest)
        } else {
            continue;
        };
        assert!(!other.contains(&format!("/finance/invoices/{}\"", invoice.number)));
        let row = row_of(shown, &invoice.number);
        let total = Cents(invoice.total_cents).format_sl();
        assert!(row.contains(&total), "{row}");
        assert!(row.contains(&eportal::domain::dates::format_sl(invoice.due_date)));
        assert!(row.contains(invoice.point_code.as_deref().unwrap()));
        match open.iter().find(|(number, _)| *number == invoice.number) {
            Some((_, cents)) => {
                assert!(row.contains(">odprto<"), "{row}");
                assert!(row.contains(&Cents(*cents).format_sl()), "{row}");
            }
            None => assert!(row.contains(">plačano<"), "{row}"),
        }
    }
}

async fn an_invoice_shows_its_lines_summing_to_net_and_its_pdf_downloads(backend: Backend) {
    let app = demo_app(backend).await;
    app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await;
    let pdf = invoice_pdf::Entity::find()
        .order_by_desc(invoice_pdf::Column::InvoiceNumber)
        .all(&app.db)
        .await
        .unwrap();
    let mine = invoice::Entity::find()
        .filter(invoice::Column::PayerCode.eq(ACCOUNT_PAYER))
        .all(&app.db)
        .await
        .unwrap();
    let (invoice, pdf) = pdf
        .into_iter()
        .find_map(|pdf| {
            mine.iter()
                .find(|inv| inv.number == pdf.invoice_number)
                .map(|inv| (inv.clone(), pdf))
        })
        .expect("the demo has PDFs of recent invoices");
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceNumber.eq(&invoice.number))
        .all(&app.db)
        .await
        .unwrap();
    assert!(lines.len() > 1);

    let html = page(&app, &format!("/finance/invoices/{}", invoice.number)).await;
    assert!(html.contains(&format!("<h1>Račun {}</h1>", invoice.number)));
    for text in [
        eportal::domain::dates::format_sl(invoice.issue_date),
        eportal::domain::dates::format_sl(invoice.due_date),
        invoice.reference.clone().unwrap(),
        Cents(invoice.vat_cents).format_sl(),
        Cents(invoice.total_cents).format_sl(),
    ] {
        assert!(html.contains(&text), "{text}");
    }
    // Every amount of the lines' table as shown, which must add up to the net shown.
    let body = html.split("<tbody>").nth(1).unwrap();
    let body = body.split("</tbody>").next().unwrap();
    let shown: Vec<i64> = body
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let last = row.rsplit("<td class=\"num nowrap\">").next().unwrap();
            cents_of(last.split("</td>").next().unwrap())
        })
        .collect();
    assert_eq!(shown.len(), lines.len());
    assert_eq!(shown.iter().sum::<i64>(), invoice.net_cents);
    assert!(html.contains(&Cents(invoice.net_cents).format_sl()));
    assert!(html.contains("9,5\u{a0}%"));
    assert!(html.contains(&format!(
        r#"href="/finance/invoices/{}/pdf""#,
        invoice.number
    )));

    let response = app
        .get(&format!("/finance/invoices/{}/pdf", invoice.number))
        .await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"racun-{}.pdf\"", invoice.number).as_str()
    );
    assert_eq!(headers["cache-control"], "no-store");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert_eq!(bytes.as_ref(), pdf.content.as_slice());
}

/// Reads the drawn symbol back (its path of dark runs) and decodes it with rqrr.
fn decode_qr(svg: &str) -> Vec<u8> {
    let size: usize = svg
        .split_once(r#"viewBox="0 0 "#)
        .and_then(|(_, rest)| rest.split_once(' '))
        .unwrap()
        .0
        .parse()
        .unwrap();
    let path = svg
        .split_once(r#"d=""#)
        .unwrap()
        .1
        .split_once('"')
        .unwrap()
        .0;
    let mut dark = vec![false; size * size];
    for run in path.split('M').skip(1) {
        let (x, rest) = run.split_once(' ').unwrap();
        let (y, rest) = rest.split_once('h').unwrap();
        let length = rest.split_once('v').unwrap().0;
        let (x, y, length): (usize, usize, usize) = (
            x.parse().unwrap(),
            y.parse().unwrap(),
            length.parse().unwrap(),
        );
        dark[y * size + x..y * size + x + length].fill(true);
    }
    let scale = 4;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(size * scale, size * scale, |x, y| {
            if dark[(y / scale) * size + x / scale] {
                0
            } else {
                255
            }
        });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1);
    let mut bytes = Vec::new();
    grids[0].decode_to(&mut bytes).unwrap();
    bytes
}

async fn overdue_items_are_marked_and_the_qr_code_pays_the_balance(backend: Backend) {
    let app = demo_app(backend).await;
    app.seed_account(OVERDUE_PAYER, "marko.kos@example.si", true)
        .await;
    app.sign_in(OVERDUE_PAYER, PASSWORD).await;
    let items = open_item::Entity::find()
        .filter(open_item::Column::PayerCode.eq(OVERDUE_PAYER))
        .filter(open_item::Column::OpenCents.gt(0))
        .all(&app.db)
        .await
        .unwrap();
    let balance: i64 = items.iter().map(|item| item.open_cents).sum();
    let overdue = items.iter().filter(|item| item.due_date < today()).count();
    assert!(overdue > 0, "the demo's payer in arrears");

    let html = page(&app, "/finance/open-items").await;
    assert!(html.contains("<h1>Stanje odprtih postavk</h1>"));
    assert_eq!(html.matches(">zapadlo</strong>").count(), overdue);
    assert_eq!(
        html.matches(">še ni zapadlo<").count(),
        items.len() - overdue
    );
    for item in &items {
        let start = html
            .find(&format!("<td>{}</td>", item.document_number))
            .unwrap();
        let row = &html[start..start + html[start..].find("</tr>").unwrap()];
        assert!(row.contains(&Cents(item.open_cents).format_sl()));
        assert!(row.contains(&eportal::domain::dates::format_sl(item.due_date)));
    }
    assert!(html.contains(&Cents(balance).format_sl()));

    // The code, shown with an accessible name, pays exactly the balance.
    assert!(html.contains(r#"role="img" aria-label="Koda UPN QR"#));
    let svg_start = html.find("<svg xmlns").unwrap();
    let svg = &html[svg_start..svg_start + html[svg_start..].find("</svg>").unwrap()];
    assert!(svg.contains(r#"viewBox="0 0 85 85""#), "version 15");
    let bytes = decode_qr(svg);
    let (payload, _, malformed) = encoding_rs::ISO_8859_2.decode(&bytes);
    assert!(!malformed);
    let fields: Vec<&str> = payload.split('\n').collect();
    assert_eq!(fields[0], "UPNQR");
    assert_eq!(fields[8], format!("{balance:011}"));
    assert_eq!(fields[11], "OTHR");
    assert_eq!(
        fields[12],
        format!("Plačilo odprtih postavk {OVERDUE_PAYER}")
    );
    let reference = eportal::domain::upn::Reference::si12(OVERDUE_PAYER).unwrap();
    assert_eq!(fields[15], reference.compact());
    assert_eq!(fields[14], "SI56263300012039086");
    assert_eq!(fields[16], "JKP Brezovica d.o.o.");
    // The same data to type in by hand.
    for text in [
        "SI56 2633 0001 2039 086",
        "LJBASI2X",
        &reference.to_string(),
        &Cents(balance).format_sl(),
    ] {
        assert!(html.contains(text), "{text}");
    }

    // A payer who owes nothing sees so, and no code.
    app.seed_account(ROLL_OVER_PAYER, "pri.jezeru@example.si", true)
        .await;
    app.post_form("/sign-out", &[]).await;
    app.sign_in(ROLL_OVER_PAYER, PASSWORD).await;
    let html = page(&app, "/finance/open-items").await;
    assert!(html.contains("Nimate odprtih postavk."));
    assert!(!html.contains("<svg xmlns"));
    assert!(html.contains("SI56 2633 0001 2039 086"));
}

/// The page without what differs on every response (the form token) and the path itself.
fn comparable(html: &str, number: &str) -> String {
    html.lines()
        .filter(|line| !line.contains("csrf_token"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(number, "NUMBER")
}

async fn another_payers_invoice_is_not_found_and_audited(backend: Backend) {
    let app = demo_app(backend).await;
    app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await;
    let theirs = invoice::Entity::find_by_id(MANUAL_INVOICE.to_owned())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(theirs.payer_code, MANUAL_PAYER);
    assert!(
        invoice_pdf::Entity::find_by_id(MANUAL_INVOICE.to_owned())
            .one(&app.db)
            .await
            .unwrap()
            .is_some(),
        "the manual's invoice has a PDF"
    );
    let missing = "999999999";
    for suffix in ["", "/pdf"] {
        let foreign = app
            .get(&format!("/finance/invoices/{MANUAL_INVOICE}{suffix}"))
            .await;
        let absent = app
            .get(&format!("/finance/invoices/{missing}{suffix}"))
            .await;
        assert_eq!(foreign.status(), 404, "{suffix}");
        assert_eq!(absent.status(), 404, "{suffix}");
        assert_eq!(
            foreign.headers().get("content-type"),
            absent.headers().get("content-type")
        );
        assert_eq!(
            comparable(&foreign.text().await.unwrap(), MANUAL_INVOICE),
            comparable(&absent.text().await.unwrap(), missing),
        );
    }
    let list = page(&app, "/finance/invoices").await;
    assert!(!list.contains(MANUAL_INVOICE));

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("foreign_object"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 2, "one for the page, one for the PDF");
    for event in events {
        let subject = format!("invoice {MANUAL_INVOICE}");
        assert_eq!(event.subject.as_deref(), Some(subject.as_str()));
        assert_eq!(event.actor.as_deref(), Some(ACCOUNT_PAYER));
        assert_eq!(event.actor_kind, "customer");
    }
}

async fn finance_needs_a_signed_in_customer(backend: Backend) {
    let app = demo_app(backend).await;
    for path in [
        "/finance/invoices".to_owned(),
        format!("/finance/invoices/{MANUAL_INVOICE}"),
        format!("/finance/invoices/{MANUAL_INVOICE}/pdf"),
        "/finance/open-items".to_owned(),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(response.headers()["location"], "/", "{path}");
    }
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("foreign_object"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(events.is_empty());
}
