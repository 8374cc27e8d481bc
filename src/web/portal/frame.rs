//! The frame of every portal page: the toolbar of the manual (SPEC §3.7) and the consumption
//! point the pages are about. A payer with several points chooses one; the session remembers it.

use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use crate::app::audit::{self, ObjectKind};
use crate::app::{AppError, Origin};
use crate::store::accounts::Account;
use crate::store::payers::Payer;
use crate::store::points::{self, PointSummary};
use crate::store::sessions;
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::auth::{self, AuthRedirect, Customer};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::page::{Chrome, Frame};

const CHOSEN_POINT: &str = "point";

/// The toolbar's places; `Tab::ALL` is their order on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Point,
    Readings,
    Prices,
    NewReading,
    Invoices,
    OpenItems,
    Contact,
    Profile,
}

impl Tab {
    pub const ALL: [Tab; 8] = [
        Tab::Point,
        Tab::Readings,
        Tab::Prices,
        Tab::NewReading,
        Tab::Invoices,
        Tab::OpenItems,
        Tab::Contact,
        Tab::Profile,
    ];

    pub fn href(self) -> &'static str {
        match self {
            Tab::Point => "/point",
            Tab::Readings => "/readings",
            Tab::Prices => "/prices",
            Tab::NewReading => "/readings/new",
            Tab::Invoices => "/finance/invoices",
            Tab::OpenItems => "/finance/open-items",
            Tab::Contact => "/contact",
            Tab::Profile => "/profile",
        }
    }

    fn label_key(self) -> &'static str {
        match self {
            Tab::Point => "tab-point",
            Tab::Readings => "tab-readings",
            Tab::Prices => "tab-prices",
            Tab::NewReading => "tab-new-reading",
            Tab::Invoices => "tab-invoices",
            Tab::OpenItems => "tab-open-items",
            Tab::Contact => "tab-contact",
            Tab::Profile => "tab-profile",
        }
    }

    /// "Izstavljeni računi" and "Stanje odprtih postavk" sit under "Finance".
    fn in_finance(self) -> bool {
        matches!(self, Tab::Invoices | Tab::OpenItems)
    }
}

/// One entry of the toolbar as drawn.
pub struct ToolbarItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
    /// Why the entry cannot be used here (e.g. a point without a meter), if it cannot.
    pub disabled_reason: Option<String>,
    pub in_finance: bool,
}

/// The toolbar and the point chooser, drawn by base.html on every portal page.
pub struct Toolbar {
    pub items: Vec<ToolbarItem>,
    pub finance_label: String,
    pub finance_current: bool,
    pub points: Vec<PointSummary>,
    pub chosen: String,
    pub choose_label: String,
    pub choose_button: String,
}

impl Toolbar {
    pub fn main_items(&self) -> impl Iterator<Item = &ToolbarItem> {
        self.items.iter().filter(|item| !item.in_finance)
    }

    pub fn finance_items(&self) -> impl Iterator<Item = &ToolbarItem> {
        self.items.iter().filter(|item| item.in_finance)
    }

    /// Whether the finance group comes before `item` (it stands after "Vnos števnega stanja").
    pub fn finance_after(&self, item: &ToolbarItem) -> bool {
        item.href == Tab::NewReading.href()
    }

    pub fn has_choice(&self) -> bool {
        self.points.len() > 1
    }
}

/// A signed-in customer on a portal page: the account, the payer, the payer's points and the
/// chosen one.
pub struct Portal {
    pub account: Account,
    pub payer: Payer,
    pub points: Vec<PointSummary>,
    pub point: Option<PointSummary>,
    session: Session,
}

impl FromRequestParts<AppState> for Portal {
    type Rejection = AuthRedirect;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Customer { account, payer } = Customer::from_request_parts(parts, state).await?;
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, message)| WebError::NoSession(message))?;
        // The foreign key makes a missing payer impossible; if it happens, it is ours to look into.
        let payer = payer
            .ok_or_else(|| WebError::App(AppError::PayerMissing(account.payer_code.clone())))?;
        let points = match sessions::take_loaded_points(&payer.code) {
            Some(points) => points,
            None => points::of_payer(&state.app.db, &payer.code)
                .await
                .map_err(WebError::from)?,
        };
        let chosen = session
            .get::<String>(CHOSEN_POINT)
            .await
            .map_err(WebError::from)?;
        let point = chosen
            .and_then(|code| points.iter().find(|point| point.code == code).cloned())
            .or_else(|| points.first().cloned());
        Ok(Portal {
            account,
            payer,
            points,
            point,
            session,
        })
    }
}

impl Portal {
    /// The name shown for the user: their own name for ePortal, else the payer's.
    pub fn user_name(&self) -> String {
        auth::user_name(&self.account, Some(&self.payer))
    }

    /// The page frame with the toolbar, `tab` marked as the current page.
    pub fn chrome(&self, frame: &Frame, title_key: &str, tab: Option<Tab>) -> Chrome {
        let lang = frame.lang;
        let has_meter = self.point.as_ref().is_some_and(|point| point.has_meter);
        let items = Tab::ALL
            .into_iter()
            .map(|item| ToolbarItem {
                href: item.href(),
                label: lang.t(item.label_key()),
                current: Some(item) == tab,
                disabled_reason: (item == Tab::NewReading && !has_meter)
                    .then(|| lang.t("tab-new-reading-no-meter")),
                in_finance: item.in_finance(),
            })
            .collect();
        let mut chrome = frame.chrome(title_key).signed_in_as(self.user_name());
        chrome.toolbar = Some(Toolbar {
            items,
            finance_label: lang.t("tab-finance"),
            finance_current: tab.is_some_and(Tab::in_finance),
            points: self.points.clone(),
            chosen: self
                .point
                .as_ref()
                .map(|point| point.code.clone())
                .unwrap_or_default(),
            choose_label: lang.t("point-choose"),
            choose_button: lang.t("point-choose-button"),
        });
        chrome
    }
}

#[derive(Deserialize)]
pub struct PointChoice {
    point: String,
    /// The page to come back to.
    back: Option<String>,
}

/// Remembers the chosen point, if it is one of the payer's; anyone else's answers as if it did
/// not exist, and is written down.
pub async fn choose_point(
    State(state): State<AppState>,
    portal: Portal,
    ClientAddr(client_addr): ClientAddr,
    Form(choice): Form<PointChoice>,
) -> Result<Response, WebError> {
    if !portal.points.iter().any(|point| point.code == choice.point) {
        let (origin, kind) = (Origin::web(client_addr), ObjectKind::Point);
        audit::foreign_object(&state.app, &origin, &portal.account, kind, &choice.point).await?;
        return Err(WebError::NotFound);
    }
    portal.session.insert(CHOSEN_POINT, &choice.point).await?;
    let back = choice
        .back
        .filter(|back| Tab::ALL.iter().any(|tab| tab.href() == back) || back == "/home")
        .unwrap_or_else(|| Tab::Point.href().to_owned());
    Ok(Redirect::to(&back).into_response())
}
