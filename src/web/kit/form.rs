//! What was wrong with a submitted form: shown in a summary at the top and beside each field,
//! in the order of the fields (the GOV.UK pattern); and the protocol of forms anyone may send.

use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use tower_sessions::Session;

use crate::captcha;
use crate::domain::dates::{DateError, parse_date};
use crate::domain::email::{EmailAddress, EmailProblem};
use crate::domain::throttle::ThrottleKey;
use crate::i18n::Lang;
use crate::store::throttles;
use crate::web::kit::page::Frame;
use crate::web::{AppState, WebError};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FormErrors(Vec<(&'static str, String)>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// The first message for `field`, or "" when it is fine (templates test for emptiness).
    pub fn get(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|(name, _)| *name == field)
            .map_or("", |(_, message)| message.as_str())
    }

    /// Every message for `field`, for a field that can break several rules at once (a new
    /// password).
    pub fn all(&self, field: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, String)> {
        self.0.iter()
    }
}

/// A required text field with a longest length: its name and the messages of its problems.
pub struct TextField {
    pub field: &'static str,
    pub empty_key: &'static str,
    pub max_chars: usize,
    /// Takes `max`.
    pub too_long_key: &'static str,
}

impl TextField {
    /// The text with its surrounding blank space trimmed, or its error added to `errors`.
    pub fn check(&self, errors: &mut FormErrors, lang: Lang, text: &str) -> Option<String> {
        let text = text.trim();
        if text.is_empty() {
            errors.add(self.field, lang.t(self.empty_key));
            return None;
        }
        if text.chars().count() > self.max_chars {
            let max = i64::try_from(self.max_chars).unwrap_or(i64::MAX);
            errors.add(
                self.field,
                lang.t_with(self.too_long_key, &[("max", max.into())]),
            );
            return None;
        }
        Some(text.to_owned())
    }
}

/// The choices of a list's status filter, as (value, label, chosen): "all" (the empty value)
/// first, then each status with the message `<label_prefix><status>`.
pub fn status_choices<S: Copy + PartialEq>(
    lang: Lang,
    statuses: &[S],
    as_str: fn(S) -> &'static str,
    label_prefix: &str,
    chosen: Option<S>,
) -> Vec<(&'static str, String, bool)> {
    std::iter::once(None)
        .chain(statuses.iter().copied().map(Some))
        .map(|option| {
            let label = option.map_or_else(
                || lang.t("staff-mail-all"),
                |status| lang.t(&format!("{label_prefix}{}", as_str(status))),
            );
            (option.map_or("", as_str), label, option == chosen)
        })
        .collect()
}

/// The status a filter's value names; none for "all" or a value that is no status.
pub fn chosen_status<S: Copy>(
    statuses: &[S],
    as_str: fn(S) -> &'static str,
    value: &str,
) -> Option<S> {
    statuses
        .iter()
        .copied()
        .find(|status| as_str(*status) == value)
}

/// A search's "from" and "to" days, each optional, as typed (`31. 1. 2026`, `2026-01-31`).
pub struct DateRange<'a> {
    pub from: &'a str,
    pub to: &'a str,
}

impl DateRange<'_> {
    /// The days, or their errors added to `errors` (fields `from` and `to`).
    pub fn check(
        &self,
        errors: &mut FormErrors,
        lang: Lang,
    ) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
        let mut day = |field: &'static str, text: &str| {
            if text.trim().is_empty() {
                return Some(None);
            }
            match typed_date(text) {
                Ok(day) => Some(Some(day)),
                Err(_) => {
                    errors.add(field, lang.t("staff-date-invalid"));
                    None
                }
            }
        };
        let (from, to) = (day("from", self.from), day("to", self.to));
        let (from, to) = (from?, to?);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors.add("to", lang.t("staff-date-to-before-from"));
            return None;
        }
        Some((from, to))
    }
}

/// A day as people type it: `31. 1. 2026` (spaces after the dots), `31.1.2026`, `2026-01-31`.
pub fn typed_date(text: &str) -> Result<NaiveDate, DateError> {
    parse_date(&text.replace(' ', ""))
}

/// The page of a list a link asks for (`?page=2`); the first when absent.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub page: Option<u64>,
}

/// A search's fields as a query string ending in `&`, for the links to its other pages.
pub fn search_query(fields: &[(&str, &str)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.extend_pairs(fields);
    query.finish() + "&"
}

/// The neighbours of a page of a list, where there are any.
pub struct Paging {
    pub newer: Option<u64>,
    pub older: Option<u64>,
}

impl Paging {
    pub const PER_PAGE: u64 = 50;

    /// The furthest page a link may ask for: beyond any list, and far from overflowing.
    pub const LAST_PAGE: u64 = 1_000_000;

    /// The rows to ask the store for: one more than a page, to know whether older ones follow.
    pub fn window(page: u64) -> (u64, u64) {
        (
            page.min(Self::LAST_PAGE) * Self::PER_PAGE,
            Self::PER_PAGE + 1,
        )
    }

    /// The page's rows out of what [`Self::window`] fetched, and where the list goes on.
    pub fn of<T>(page: u64, mut rows: Vec<T>) -> (Vec<T>, Self) {
        let page = page.min(Self::LAST_PAGE);
        let more = rows.len() as u64 > Self::PER_PAGE;
        rows.truncate(usize::try_from(Self::PER_PAGE).unwrap_or(usize::MAX));
        let paging = Self {
            newer: page.checked_sub(1),
            older: more.then_some(page + 1),
        };
        (rows, paging)
    }
}

/// The messages of an e-mail field: one for an empty field, one for an address that is not.
pub struct EmailMessages {
    pub empty_key: &'static str,
    pub invalid_key: &'static str,
}

impl EmailMessages {
    /// The address typed in the form's `email` field, or its error added to `errors`.
    pub fn check(&self, errors: &mut FormErrors, lang: Lang, text: &str) -> Option<EmailAddress> {
        let problem = match EmailAddress::parse(text) {
            Ok(email) => return Some(email),
            Err(problem) => problem,
        };
        let key = match problem {
            EmailProblem::Empty => self.empty_key,
            EmailProblem::Invalid => self.invalid_key,
        };
        errors.add("email", lang.t(key));
        None
    }
}

/// The CAPTCHA's fields of a form: the answer typed, or the button that asks for another
/// picture. Forms take it with `#[serde(flatten)]`.
#[derive(Debug, Default, Deserialize)]
pub struct CaptchaAnswer {
    captcha: Option<String>,
    captcha_new: Option<String>,
}

impl CaptchaAnswer {
    /// The sender pressed "another picture" rather than sending the form.
    pub fn wants_new_picture(&self) -> bool {
        self.captcha_new.is_some()
    }

    /// Whether the answer matches the session's challenge, which it uses up.
    pub async fn verify(&self, state: &AppState, session: &Session) -> Result<bool, WebError> {
        let answer = self.captcha.as_deref().unwrap_or_default();
        Ok(captcha::verify(session, answer, state.config.test_captcha.as_ref()).await?)
    }
}

/// Where the shared start of a form anyone may send leaves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnonymousForm {
    /// Show the form again with what was typed, nothing checked: another picture was asked
    /// for, or (with the refusal to show) this address sent too many forms lately.
    Again(Option<String>),
    /// Go on, knowing whether the CAPTCHA was answered right.
    Checked { human: bool },
}

/// How many forms of one kind a client address may send per hour, and what to say when it
/// has sent them.
pub struct Limit<'a> {
    pub key: ThrottleKey<'a>,
    pub per_hour: u32,
    pub refusal_key: &'static str,
}

/// The protocol every anonymous form follows: a new picture when asked for, then the address's
/// limit, then the CAPTCHA (checked before anything else is looked at, so nothing is learnt
/// for free). `captcha` is `None` for a signed-in customer, who answers none.
pub async fn check_anonymous_form(
    state: &AppState,
    frame: &Frame,
    limit: Limit<'_>,
    captcha: Option<&CaptchaAnswer>,
) -> Result<AnonymousForm, WebError> {
    if captcha.is_some_and(CaptchaAnswer::wants_new_picture) {
        return Ok(AnonymousForm::Again(None));
    }
    let window = chrono::Duration::hours(1);
    let now = state.app.now();
    if !throttles::admit(&state.app.db, limit.key, window, limit.per_hour, now).await? {
        return Ok(AnonymousForm::Again(Some(frame.lang.t(limit.refusal_key))));
    }
    let human = match captcha {
        Some(captcha) => captcha.verify(state, &frame.session).await?,
        None => true,
    };
    Ok(AnonymousForm::Checked { human })
}

/// What a form that stored something leaves for the page its redirect leads to
/// (Post/Redirect/Get): that page shows it once and forgets it, so the address typed does not
/// stay in the session for the next person at a shared computer; a reload leads back to the
/// form, and sends nothing again.
pub struct Flash(pub &'static str);

impl Flash {
    /// Leaves `value` and answers with the redirect to `page`.
    pub async fn redirect(
        &self,
        session: &Session,
        value: String,
        page: &str,
    ) -> Result<Response, WebError> {
        session.insert(self.0, value).await?;
        Ok(Redirect::to(page).into_response())
    }

    /// What the form left, if this session sent it; taken, so it shows once.
    pub async fn take(&self, session: &Session) -> Result<Option<String>, WebError> {
        Ok(session.remove::<String>(self.0).await?)
    }
}
