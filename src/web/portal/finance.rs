//! "Finance" (SPEC §3.12): "Izstavljeni računi" by year, each invoice with its lines and PDF,
//! and "Stanje odprtih postavk" with the balance and a UPN QR code to pay it.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use serde::Deserialize;

use crate::app::Origin;
use crate::app::audit::{self, ObjectKind};
use crate::config::Bill;
use crate::domain::dates::format_sl;
use crate::domain::money::{Cents, UnitPrice};
use crate::domain::quantity::Quantity;
use crate::domain::upn::{Reference, UpnError, UpnPayment};
use crate::domain::vat::VatRate;
use crate::i18n::{Arg, Lang};
use crate::store::invoices::{self, Invoice, InvoiceLine};
use crate::store::open_items;
use crate::store::points::PointSummary;
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::client::ClientAddr;
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::portal::frame::{Portal, Tab};

/// `1. 1. 2025 – 31. 1. 2025`, or one end, or nothing; a line breaks only at the dash.
fn period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    let date = |date: NaiveDate| format_sl(date).replace(' ', "\u{a0}");
    match (from, to) {
        (Some(from), Some(to)) => format!("{}\u{a0}– {}", date(from), date(to)),
        (Some(one), None) | (None, Some(one)) => date(one),
        (None, None) => String::new(),
    }
}

/// The point as the payer knows it: its code and address.
fn point_label(points: &[PointSummary], code: Option<&str>) -> String {
    let Some(code) = code else {
        return String::new();
    };
    match points.iter().find(|point| point.code == code) {
        Some(PointSummary {
            street: Some(street),
            ..
        }) => format!("{code} – {street}"),
        _ => code.to_owned(),
    }
}

/// A request for an invoice that is not the payer's answers as a missing one does; when the
/// number is another payer's, the attempt is recorded.
async fn not_found(
    state: &AppState,
    portal: &Portal,
    client_addr: &str,
    number: &str,
) -> Result<Response, WebError> {
    if invoices::exists(&state.app.db, number).await? {
        let (origin, kind) = (Origin::web(client_addr), ObjectKind::Invoice);
        audit::foreign_object(&state.app, &origin, &portal.account, kind, number).await?;
    }
    Err(WebError::NotFound)
}

/// One row of "Izstavljeni računi".
struct InvoiceRow {
    number: String,
    issue_date: String,
    period: String,
    due_date: String,
    total: String,
    point: String,
    /// The open amount, when the invoice is not paid in full.
    open: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/finance_invoices.html")]
struct InvoicesPage {
    page: Chrome,
    years: Vec<i32>,
    year: Option<i32>,
    caption: String,
    rows: Vec<InvoiceRow>,
}

impl InvoicesPage {
    fn is_shown(&self, year: &i32) -> bool {
        self.year == Some(*year)
    }
}

#[derive(Deserialize)]
pub struct YearChoice {
    year: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    portal: Portal,
    Query(choice): Query<YearChoice>,
) -> Result<Html<String>, WebError> {
    let payer = &portal.payer.code;
    let years = invoices::years_of_payer(&state.app.db, payer).await?;
    let asked = choice
        .year
        .and_then(|year| year.trim().parse::<i32>().ok())
        .filter(|year| years.contains(year));
    let year = asked.or_else(|| years.first().copied());
    let invoices = match year {
        Some(year) => invoices::of_payer_in_year(&state.app.db, payer, year).await?,
        None => Vec::new(),
    };
    let mut open: HashMap<String, Cents> = HashMap::new();
    for item in open_items::of_payer(&state.app.db, payer).await? {
        let sum = open.entry(item.document_number).or_default();
        *sum = *sum + Cents(item.open_cents);
    }
    let rows = invoices
        .into_iter()
        .map(|invoice| InvoiceRow {
            open: open.get(&invoice.number).map(|cents| cents.format_sl()),
            issue_date: format_sl(invoice.issue_date),
            period: period(invoice.period_from, invoice.period_to),
            due_date: format_sl(invoice.due_date),
            total: Cents(invoice.total_cents).format_sl(),
            point: point_label(&portal.points, invoice.point_code.as_deref()),
            number: invoice.number,
        })
        .collect();
    let caption = frame.lang.t_with(
        "finance-invoices-caption",
        &[(
            "year",
            Arg::Text(year.map(|y| y.to_string()).unwrap_or_default()),
        )],
    );
    render(&InvoicesPage {
        page: portal.chrome(&frame, "finance-invoices-title", Some(Tab::Invoices)),
        years,
        year,
        caption,
        rows,
    })
}

/// One line of an invoice as shown.
struct LineRow {
    description: String,
    quantity: String,
    unit: String,
    unit_price: String,
    vat_rate: String,
    amount: String,
}

impl LineRow {
    fn of(line: InvoiceLine) -> Self {
        LineRow {
            quantity: line
                .quantity_thousandths
                .map(|q| Quantity(q).format_sl())
                .unwrap_or_default(),
            unit: line.unit.unwrap_or_default(),
            unit_price: line
                .unit_price_ten_thousandths
                .map(|price| UnitPrice(price).format_sl())
                .unwrap_or_default(),
            vat_rate: line
                .vat_rate_bp
                .and_then(|bp| VatRate::from_basis_points(bp).ok())
                .map(VatRate::format_sl)
                .unwrap_or_default(),
            amount: Cents(line.amount_cents).format_sl(),
            description: line.description,
        }
    }
}

#[derive(Template)]
#[template(path = "portal/finance_invoice.html")]
struct InvoicePage {
    page: Chrome,
    invoice: Invoice,
    year: i32,
    issue_date: String,
    period: String,
    due_date: String,
    point: String,
    net: String,
    vat: String,
    total: String,
    lines: Vec<LineRow>,
    has_pdf: bool,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    portal: Portal,
    ClientAddr(addr): ClientAddr,
    Path(number): Path<String>,
) -> Result<Response, WebError> {
    let Some(detail) =
        invoices::detail_of_payer(&state.app.db, &portal.payer.code, &number).await?
    else {
        return not_found(&state, &portal, &addr, &number).await;
    };
    let invoice = detail.invoice;
    let mut page = portal.chrome(&frame, "finance-invoices-title", Some(Tab::Invoices));
    page.title = frame.lang.t_with(
        "finance-invoice-heading",
        &[("number", Arg::Text(invoice.number.clone()))],
    );
    let html = render(&InvoicePage {
        page,
        year: chrono::Datelike::year(&invoice.issue_date),
        issue_date: format_sl(invoice.issue_date),
        period: period(invoice.period_from, invoice.period_to),
        due_date: format_sl(invoice.due_date),
        point: point_label(&portal.points, invoice.point_code.as_deref()),
        net: Cents(invoice.net_cents).format_sl(),
        vat: Cents(invoice.vat_cents).format_sl(),
        total: Cents(invoice.total_cents).format_sl(),
        lines: detail.lines.into_iter().map(LineRow::of).collect(),
        has_pdf: detail.has_pdf,
        invoice,
    })?;
    Ok(html.into_response())
}

/// The invoice's PDF as a download under a name the server chooses.
pub async fn pdf(
    State(state): State<AppState>,
    portal: Portal,
    ClientAddr(addr): ClientAddr,
    Path(number): Path<String>,
) -> Result<Response, WebError> {
    let Some(content) = invoices::pdf_of_payer(&state.app.db, &portal.payer.code, &number).await?
    else {
        if invoices::is_payers_invoice(&state.app.db, &portal.payer.code, &number).await? {
            return Err(WebError::NotFound);
        }
        return not_found(&state, &portal, &addr, &number).await;
    };
    let name: String = number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"racun-{name}.pdf\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        content,
    )
        .into_response())
}

/// One row of "Stanje odprtih postavk".
struct OpenItemRow {
    document_number: String,
    document_date: String,
    due_date: String,
    amount: String,
    open: String,
    overdue: bool,
}

/// The payment of the balance as the QR code carries it, spelled out for typing by hand.
struct Payment {
    svg: Arc<str>,
    recipient: String,
    recipient_address: String,
    iban: String,
    reference: String,
    amount: String,
    purpose_code: String,
    purpose: String,
}

#[derive(Template)]
#[template(path = "portal/finance_open_items.html")]
struct OpenItemsPage {
    page: Chrome,
    rows: Vec<OpenItemRow>,
    overdue_count: usize,
    balance: String,
    payment: Option<Payment>,
    company_iban: String,
    company_bic: String,
}

pub async fn open_items(
    State(state): State<AppState>,
    frame: Frame,
    portal: Portal,
) -> Result<Html<String>, WebError> {
    let items = open_items::of_payer(&state.app.db, &portal.payer.code).await?;
    let today = state.app.today();
    let balance: Cents = items.iter().map(|item| Cents(item.open_cents)).sum();
    let rows: Vec<OpenItemRow> = items
        .into_iter()
        .map(|item| OpenItemRow {
            overdue: item.due_date < today && item.open_cents > 0,
            document_date: format_sl(item.document_date),
            due_date: format_sl(item.due_date),
            amount: Cents(item.amount_cents).format_sl(),
            open: Cents(item.open_cents).format_sl(),
            document_number: item.document_number,
        })
        .collect();
    let company = &state.app.site.company;
    let payment = (balance > Cents::ZERO)
        .then(|| payment(&state.upn_codes, &portal, company, balance))
        .flatten();
    render(&OpenItemsPage {
        page: portal.chrome(&frame, "finance-open-items-title", Some(Tab::OpenItems)),
        overdue_count: rows.iter().filter(|row| row.overdue).count(),
        rows,
        balance: balance.format_sl(),
        payment,
        company_iban: company.iban.to_string(),
        company_bic: company.bic.to_string(),
    })
}

/// The UPN payment of the balance to the company, with the payer code as reference; `None`
/// (and a log line) when the configuration cannot make one.
fn payment(
    codes: &UpnCodes,
    portal: &Portal,
    company: &crate::config::Company,
    balance: Cents,
) -> Option<Payment> {
    let payer = &portal.payer;
    let reference = Reference::si12(&payer.code)
        .inspect_err(|error| tracing::error!(%error, payer = %payer.code, "no UPN reference"))
        .ok()?;
    let bill = Bill {
        amount: balance,
        reference,
        // The purpose reaches the company's books, so it is always in Slovenian.
        purpose: Lang::Sl.t_with(
            "finance-upn-purpose",
            &[("payer", Arg::Text(payer.code.clone()))],
        ),
        due_date: None,
    };
    let upn = company.upn_payment(&payer.upn_address(), bill);
    let svg = codes
        .svg(&upn)
        .inspect_err(|error| tracing::error!(%error, "no UPN QR code for the balance"))
        .ok()?;
    Some(Payment {
        svg,
        recipient_address: format!("{}, {}", upn.recipient_street, upn.recipient_city),
        iban: upn.recipient_iban.to_string(),
        reference: upn.recipient_reference.to_string(),
        amount: balance.format_sl(),
        purpose_code: upn.purpose_code.to_string(),
        purpose: upn.purpose,
        recipient: upn.recipient_name,
    })
}

/// UPN QR codes drawn lately, by their content. Drawing one takes milliseconds (the error
/// correction and the choice of mask: a third of the open items page's time), and a payer's
/// balance seldom changes between two looks.
pub struct UpnCodes(Cache<String, Arc<str>, SvgWeight>);

/// The memory the drawn codes may hold at most.
const UPN_CODES_BYTES: u64 = 8 * 1024 * 1024;
/// A code's drawing is about 10 KiB, so about this many fit.
const UPN_CODES_EXPECTED: usize = 800;

#[derive(Clone)]
struct SvgWeight;

impl Weighter<String, Arc<str>> for SvgWeight {
    fn weight(&self, payload: &String, svg: &Arc<str>) -> u64 {
        (payload.len() + svg.len()) as u64
    }
}

impl Default for UpnCodes {
    fn default() -> Self {
        Self(Cache::with_weighter(
            UPN_CODES_EXPECTED,
            UPN_CODES_BYTES,
            SvgWeight,
        ))
    }
}

impl UpnCodes {
    fn svg(&self, upn: &UpnPayment) -> Result<Arc<str>, UpnError> {
        let payload = upn.payload()?;
        if let Some(svg) = self.0.get(&payload) {
            return Ok(svg);
        }
        let svg: Arc<str> = upn.qr_svg()?.into();
        self.0.insert(payload, svg.clone());
        Ok(svg)
    }
}
