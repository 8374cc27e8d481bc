//! "Odjemno mesto" (SPEC §3.8): the chosen point, what is billed there, its meters and the payer.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::domain::billing::ReadingSource;
use crate::domain::dates::format_sl;
use crate::i18n::Lang;
use crate::store::meters::{self, MeterAtPoint};
use crate::store::points::PointSummary;
use crate::store::services::{self, Service};
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::portal::frame::{Portal, Tab};

/// The point as the page shows it.
struct PointView {
    code: String,
    address: String,
    kind: String,
    state: String,
}

/// A meter as the page shows it.
struct MeterView {
    serial: String,
    medium: String,
    dn: String,
    dial: String,
    installed_on: String,
    removed_on: String,
    last_reading: Option<ReadingView>,
}

struct ReadingView {
    date: String,
    value: String,
    source: String,
}

/// The payer as billing knows them.
struct PayerView {
    code: String,
    name: String,
    address: String,
    tax_number: String,
    email: String,
    phone: String,
}

#[derive(Template)]
#[template(path = "portal/point.html")]
struct PointPage {
    page: Chrome,
    point: Option<PointView>,
    services: Vec<Service>,
    meters: Vec<MeterView>,
    payer: PayerView,
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    portal: Portal,
) -> Result<Html<String>, WebError> {
    let lang = frame.lang;
    let (services, meters) = match &portal.point {
        Some(point) => (
            services::billed_at(&state.app.db, &point.code).await?,
            meters::at_point(&state.app.db, &point.code).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let payer = &portal.payer;
    render(&PointPage {
        page: portal.chrome(&frame, "point-title", Some(Tab::Point)),
        point: portal.point.as_ref().map(|point| point_view(lang, point)),
        services,
        meters: meters
            .into_iter()
            .map(|meter| meter_view(lang, meter))
            .collect(),
        payer: PayerView {
            code: payer.code.clone(),
            name: payer.name.clone(),
            address: address(
                payer.street.as_deref(),
                payer.postal_code.as_deref(),
                payer.city.as_deref(),
            ),
            tax_number: payer
                .tax_number
                .as_deref()
                .map(masked_tax_number)
                .unwrap_or_default(),
            email: payer.email.clone().unwrap_or_default(),
            phone: payer.phone.clone().unwrap_or_default(),
        },
    })
}

fn point_view(lang: Lang, point: &PointSummary) -> PointView {
    PointView {
        code: point.code.clone(),
        address: address(
            point.street.as_deref(),
            point.postal_code.as_deref(),
            point.city.as_deref(),
        ),
        kind: point.kind.clone().unwrap_or_default(),
        state: lang.t(if point.active {
            "point-active"
        } else {
            "point-inactive"
        }),
    }
}

fn meter_view(
    lang: Lang,
    MeterAtPoint {
        meter,
        last_reading,
    }: MeterAtPoint,
) -> MeterView {
    MeterView {
        medium: match meter.medium.as_str() {
            "cold_water" => lang.t("point-medium-cold-water"),
            "hot_water" => lang.t("point-medium-hot-water"),
            other => other.to_owned(),
        },
        dn: meter.dn.map(|dn| format!("DN {dn}")).unwrap_or_default(),
        dial: format!("{} + {}", meter.digits, meter.decimals),
        installed_on: format_sl(meter.installed_on),
        removed_on: meter.removed_on.map(format_sl).unwrap_or_default(),
        last_reading: last_reading.map(|reading| ReadingView {
            date: format_sl(reading.read_on),
            value: reading.value.format_sl(),
            source: reading
                .source
                .map(|source| lang.t(source_key(source)))
                .unwrap_or_default(),
        }),
        serial: meter.serial,
    }
}

fn source_key(source: ReadingSource) -> &'static str {
    match source {
        ReadingSource::Reader => "point-source-reader",
        ReadingSource::Estimate => "point-source-estimate",
        ReadingSource::Customer => "point-source-customer",
        ReadingSource::Install => "point-source-install",
        ReadingSource::Removal => "point-source-removal",
    }
}

/// `LIPOVA ULICA 12, 1351 VNANJE GORICE`, leaving out what billing did not send.
fn address(street: Option<&str>, postal_code: Option<&str>, city: Option<&str>) -> String {
    let place = [postal_code, city]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    [street.unwrap_or_default(), place.as_str()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The tax number with only its last three digits visible: enough to recognise it, too little
/// to copy it from a screen someone glances at.
fn masked_tax_number(tax_number: &str) -> String {
    let digits: Vec<char> = tax_number.chars().filter(char::is_ascii_digit).collect();
    let shown = digits.len().saturating_sub(3);
    digits
        .iter()
        .enumerate()
        .map(|(at, digit)| if at < shown { '•' } else { *digit })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_leave_out_missing_parts() {
        assert_eq!(
            address(Some("RAKITNA 87"), Some("1352"), Some("PRESERJE")),
            "RAKITNA 87, 1352 PRESERJE"
        );
        assert_eq!(address(None, None, Some("PRESERJE")), "PRESERJE");
        assert_eq!(address(None, None, None), "");
    }

    #[test]
    fn tax_numbers_show_the_last_three_digits() {
        assert_eq!(masked_tax_number("12345678"), "•••••678");
        assert_eq!(masked_tax_number("SI 12345678"), "•••••678");
        assert_eq!(masked_tax_number("12"), "12");
    }
}
