//! What was wrong with a submitted form: shown in a summary at the top and beside each field,
//! in the order of the fields (the GOV.UK pattern); and the protocol of forms anyone may send.

use tower_sessions::Session;

use crate::captcha;
use crate::domain::throttle::ThrottleKey;
use crate::store::throttles;
use crate::web::AppState;
use crate::web::WebError;

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

/// Where the shared start of a form anyone may send (registration, access request, contact)
/// leaves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnonymousForm {
    /// The sender asked for another CAPTCHA picture: show the form again, nothing checked.
    NewCaptcha,
    /// Too many forms from this client address lately: nothing looked at.
    TooMany,
    /// Go on, knowing whether the CAPTCHA was answered right.
    Checked { human: bool },
}

/// How many forms of one kind a client address may send per hour.
pub struct Limit<'a> {
    pub key: ThrottleKey<'a>,
    pub per_hour: u32,
}

/// The protocol every anonymous form follows: a new picture when asked for, then the address's
/// limit, then the CAPTCHA (checked before anything else is looked at, so nothing is learnt
/// for free).
pub async fn check_anonymous_form(
    state: &AppState,
    session: &Session,
    limit: Limit<'_>,
    captcha_new: bool,
    captcha_answer: Option<&str>,
) -> Result<AnonymousForm, WebError> {
    if captcha_new {
        return Ok(AnonymousForm::NewCaptcha);
    }
    let window = chrono::Duration::hours(1);
    let now = state.app.now();
    if !throttles::admit(&state.app.db, limit.key, window, limit.per_hour, now).await? {
        return Ok(AnonymousForm::TooMany);
    }
    let answer = captcha_answer.unwrap_or_default();
    let human = captcha::verify(session, answer, state.config.test_captcha.as_ref()).await?;
    Ok(AnonymousForm::Checked { human })
}
