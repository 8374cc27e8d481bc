//! The first page after sign-in: a greeting, the chosen point, and the toolbar's places as
//! cards, each with a line from the manual's list of what the portal offers.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::domain::dates::format_sl;
use crate::i18n::Arg;
use crate::store::notices;
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::portal::frame::{Portal, Tab};
use crate::web::{AppState, WebError};

/// A notice of works or an outage at one of the customer's points, valid today.
struct NoticeShown {
    title: String,
    valid: String,
    paragraphs: Vec<String>,
}

/// A place of the toolbar as a card.
struct Card {
    href: &'static str,
    label: String,
    explanation: String,
    /// Why the place cannot be used for this point, if it cannot.
    disabled_reason: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    page: Chrome,
    name: String,
    payer_code: String,
    /// The chosen point in one line.
    point: Option<String>,
    notices: Vec<NoticeShown>,
    cards: Vec<Card>,
}

fn explanation_key(tab: Tab) -> &'static str {
    match tab {
        Tab::Point => "home-card-point",
        Tab::Readings => "home-card-readings",
        Tab::Prices => "home-card-prices",
        Tab::NewReading => "home-card-new-reading",
        Tab::Invoices => "home-card-invoices",
        Tab::OpenItems => "home-card-open-items",
        Tab::Contact => "home-card-contact",
        Tab::Profile => "home-card-profile",
    }
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    portal: Portal,
) -> Result<Html<String>, WebError> {
    let notices = notices::valid_for_payer(&state.app.db, &portal.payer.code, state.app.today())
        .await?
        .into_iter()
        .map(|notice| NoticeShown {
            valid: frame.lang.t_with(
                "home-notice-valid",
                &[
                    ("from", Arg::Text(format_sl(notice.valid_from))),
                    ("to", Arg::Text(format_sl(notice.valid_to))),
                ],
            ),
            paragraphs: notice.paragraphs().map(str::to_owned).collect(),
            title: notice.title,
        })
        .collect();
    let page = portal.chrome(&frame, "home-title", None);
    let cards = page
        .toolbar
        .iter()
        .flat_map(|toolbar| &toolbar.items)
        .filter_map(|item| {
            let tab = Tab::ALL.into_iter().find(|tab| tab.href() == item.href)?;
            Some(Card {
                href: item.href,
                label: item.label.clone(),
                explanation: frame.lang.t(explanation_key(tab)),
                disabled_reason: item.disabled_reason.clone(),
            })
        })
        .collect();
    let point = portal.point.as_ref().map(|point| {
        [
            Some(point.code.as_str()),
            point.street.as_deref(),
            point.city.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    });
    render(&HomePage {
        page,
        name: portal.user_name(),
        payer_code: portal.payer.code.clone(),
        point,
        notices,
        cards,
    })
}
