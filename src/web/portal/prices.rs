//! "Cenik" (SPEC §3.10): each service with its price valid today, those billed at the chosen
//! point first.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::domain::dates::format_sl;
use crate::i18n::{Arg, Lang};
use crate::store::prices::{self, ListedService};
use crate::store::services;
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::portal::frame::{Portal, Tab};

/// A line of the price list as shown.
struct PriceRow {
    code: String,
    name: String,
    unit: String,
    /// Empty while no price applies yet.
    net: String,
    vat_rate: String,
    gross: String,
    valid_from: String,
    /// "Nova cena velja od …" when a later price is announced.
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/prices.html")]
struct PricesPage {
    page: Chrome,
    today: String,
    point_code: Option<String>,
    at_point: Vec<PriceRow>,
    all: Vec<PriceRow>,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    portal: Portal,
) -> Result<Html<String>, WebError> {
    let lang = frame.lang;
    let today = state.app.today();
    let listed = prices::on(&state.app.db, today).await?;
    let billed = match &portal.point {
        Some(point) => services::billed_at(&state.app.db, &point.code).await?,
        None => Vec::new(),
    };
    let at_point = listed
        .iter()
        .filter(|service| billed.iter().any(|billed| billed.code == service.code))
        .map(|service| row(lang, service))
        .collect();
    render(&PricesPage {
        page: portal.chrome(&frame, "prices-title", Some(Tab::Prices)),
        today: format_sl(today),
        point_code: portal.point.as_ref().map(|point| point.code.clone()),
        at_point,
        all: listed.iter().map(|service| row(lang, service)).collect(),
    })
}

fn row(lang: Lang, service: &ListedService) -> PriceRow {
    let current = service.current.as_ref();
    PriceRow {
        code: service.code.clone(),
        name: service.name.clone(),
        unit: service.unit.clone(),
        net: current
            .map(|price| price.price.format_sl())
            .unwrap_or_default(),
        vat_rate: current
            .map(|price| price.vat_rate.format_sl())
            .unwrap_or_default(),
        gross: current
            .map(|price| price.price.with_vat(price.vat_rate).format_sl())
            .unwrap_or_default(),
        valid_from: current
            .map(|price| format_sl(price.valid_from))
            .unwrap_or_default(),
        next: service.next.as_ref().map(|next| {
            lang.t_with(
                "prices-next",
                &[
                    ("date", Arg::Text(format_sl(next.valid_from))),
                    ("net", Arg::Text(next.price.format_sl())),
                    (
                        "gross",
                        Arg::Text(next.price.with_vat(next.vat_rate).format_sl()),
                    ),
                ],
            )
        }),
    }
}
