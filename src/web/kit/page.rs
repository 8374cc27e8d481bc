//! What every page shows around its content: language, company, navigation.

use std::sync::Arc;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Html;
use tower_sessions::Session;

use crate::config::{Company, Site, Weekday};
use crate::i18n::Lang;
use crate::store::staff::{Role, StaffUser};
use crate::web::AppState;
use crate::web::WebError;
use crate::web::kit::csrf;
use crate::web::kit::lang::lang_of;
use crate::web::portal::frame::Toolbar;

/// The frame of a page, handed to every template as `page`.
pub struct Chrome {
    pub lang: Lang,
    pub site: Arc<Site>,
    /// The path of this page, so the language switch can come back to it.
    pub path: String,
    /// The page's own title, before the site's name.
    pub title: String,
    /// The session's form token, for every form on the page.
    pub csrf_token: String,
    /// The signed-in user's name, when someone is signed in.
    pub user: Option<String>,
    /// The portal's toolbar, on the pages of a signed-in customer.
    pub toolbar: Option<Toolbar>,
    /// A page of the back office, marked as such, under `/staff`.
    pub staff: bool,
    /// The signed-in staff user is an administrator: the pages only they may open are shown.
    pub administrator: bool,
}

/// What a handler needs to frame a page: the language, the path, the session and its form
/// token.
pub struct Frame {
    pub lang: Lang,
    pub session: Session,
    site: Arc<Site>,
    path: String,
    csrf_token: String,
}

impl FromRequestParts<AppState> for Frame {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, message)| WebError::NoSession(message))?;
        let csrf_token = csrf::token(&session).await?;
        let path = parts
            .uri
            .path_and_query()
            .map_or("/", |path| path.as_str())
            .to_owned();
        Ok(Frame {
            lang: lang_of(&parts.headers),
            session,
            site: state.app.site.clone(),
            path,
            csrf_token,
        })
    }
}

impl Frame {
    pub fn chrome(&self, title_key: &str) -> Chrome {
        Chrome {
            lang: self.lang,
            site: self.site.clone(),
            path: self.path.clone(),
            title: self.lang.t(title_key),
            csrf_token: self.csrf_token.clone(),
            user: None,
            toolbar: None,
            staff: false,
            administrator: false,
        }
    }
}

impl Chrome {
    /// Shows who is signed in, with the sign-out button.
    pub fn signed_in_as(mut self, name: impl Into<String>) -> Self {
        self.user = Some(name.into());
        self
    }

    /// Marks the page as the back office's: its own header link, sign-out and CAPTCHA.
    pub fn for_staff(mut self) -> Self {
        self.staff = true;
        self
    }

    /// A back-office page for a signed-in staff user, with what their role may open.
    pub fn for_staff_user(self, user: &StaffUser) -> Self {
        let mut chrome = self.for_staff().signed_in_as(user.username.clone());
        chrome.administrator = user.role == Role::Admin;
        chrome
    }

    /// Where the header's name leads, and under which the page's own routes lie.
    pub fn home_href(&self) -> &'static str {
        if self.staff { "/staff" } else { "/" }
    }

    pub fn sign_out_action(&self) -> &'static str {
        if self.staff {
            "/staff/sign-out"
        } else {
            "/sign-out"
        }
    }

    /// The CAPTCHA of this page's session: the back office's session has its own cookie.
    pub fn captcha_href(&self) -> &'static str {
        if self.staff {
            "/staff/captcha"
        } else {
            "/captcha"
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    pub fn company(&self) -> &Company {
        &self.site.company
    }

    /// The other language, offered in the header.
    pub fn other_lang(&self) -> Lang {
        match self.lang {
            Lang::Sl => Lang::En,
            Lang::En => Lang::Sl,
        }
    }

    pub fn lang_switch_href(&self) -> String {
        let next: String = url::form_urlencoded::byte_serialize(self.path.as_bytes()).collect();
        format!("/lang/{}?next={next}", self.other_lang().code())
    }

    /// A `tel:` link in international form: "01/363 30 20" becomes `tel:+38613633020`.
    pub fn phone_href(&self) -> String {
        let digits: String = self
            .company()
            .phone
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        match digits.strip_prefix('0') {
            Some(national) => format!("tel:+386{national}"),
            None => format!("tel:{digits}"),
        }
    }

    /// The web address as people write it, without the scheme.
    pub fn web_label(&self) -> String {
        let web = self.company().web.as_deref().unwrap_or_default();
        web.trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned()
    }

    /// Office hours as (day, hours) lines in the page's language.
    pub fn office_hours(&self) -> Vec<(String, String)> {
        self.company()
            .office_hours
            .iter()
            .map(|(day, hours)| (self.t(weekday_key(*day)), hours.clone()))
            .collect()
    }
}

fn weekday_key(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "weekday-monday",
        Weekday::Tuesday => "weekday-tuesday",
        Weekday::Wednesday => "weekday-wednesday",
        Weekday::Thursday => "weekday-thursday",
        Weekday::Friday => "weekday-friday",
        Weekday::Saturday => "weekday-saturday",
        Weekday::Sunday => "weekday-sunday",
    }
}

pub fn render(template: &impl Template) -> Result<Html<String>, WebError> {
    Ok(Html(template.render()?))
}
