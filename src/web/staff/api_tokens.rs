//! "API žetoni" (administrators): the billing API's tokens with their scopes, expiry and last
//! use; a new one is shown once, right after it is made; revoking takes effect at once.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};

use super::auth::{Administrator, StaffMember};
use crate::app::Origin;
use crate::app::api_tokens::{self, EXPIRY_MAX_DAYS, NAME_MAX_CHARS, TokenRequest};
use crate::domain::api_token::Scope;
use crate::i18n::{Arg, Lang, format_date_time_sl};
use crate::store::api_tokens::{self as stored, StoredToken};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{FormErrors, TextField};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

const LIST: &str = "/staff/api-tokens";

/// Tokens expire after a year unless the administrator chooses otherwise.
const DEFAULT_EXPIRY_DAYS: &str = "365";

const NAME: TextField = TextField {
    field: "name",
    empty_key: "staff-tokens-name-empty",
    max_chars: NAME_MAX_CHARS,
    too_long_key: "contact-too-long",
};

struct Row {
    id: i64,
    name: String,
    shown_prefix: String,
    scopes: String,
    created: String,
    expires: String,
    last_used: String,
    state: String,
    revocable: bool,
}

fn state_words(lang: Lang, token: &StoredToken, now: DateTime<Utc>) -> (String, bool) {
    if let Some(at) = token.revoked_at {
        let who = token.revoked_by.clone().unwrap_or_default();
        let words = lang.t_with(
            "staff-tokens-revoked",
            &[
                ("who", Arg::from(who)),
                ("when", Arg::from(format_date_time_sl(at))),
            ],
        );
        return (words, false);
    }
    if token.expires_at.is_some_and(|at| at <= now) {
        return (lang.t("staff-tokens-expired"), false);
    }
    (lang.t("staff-tokens-active"), true)
}

fn row(lang: Lang, token: StoredToken, now: DateTime<Utc>) -> Row {
    let (state, revocable) = state_words(lang, &token, now);
    let created_by = token
        .created_by
        .clone()
        .unwrap_or_else(|| lang.t("staff-readings-command-line"));
    Row {
        id: token.id,
        scopes: token.scopes.replace(' ', ", "),
        created: format!("{} · {created_by}", format_date_time_sl(token.created_at)),
        expires: token
            .expires_at
            .map_or_else(|| lang.t("staff-tokens-never"), format_date_time_sl),
        last_used: match (token.last_used_at, &token.last_used_addr) {
            (Some(at), Some(addr)) => format!("{} · {addr}", format_date_time_sl(at)),
            (Some(at), None) => format_date_time_sl(at),
            (None, _) => lang.t("staff-tokens-unused"),
        },
        state,
        revocable,
        name: token.name,
        shown_prefix: token.shown_prefix,
    }
}

/// Each scope with what it allows, ticked where `chosen` names it.
fn scope_choices(lang: Lang, chosen: &[String]) -> Vec<(&'static str, String, bool)> {
    Scope::ALL
        .into_iter()
        .map(|scope| {
            let value = scope.as_str();
            let what = lang.t(&format!("staff-tokens-scope-{}", value.replace(':', "-")));
            let label = format!("{value} – {what}");
            (value, label, chosen.iter().any(|name| name == value))
        })
        .collect()
}

#[derive(Template)]
#[template(path = "staff/api_tokens.html")]
struct TokensPage {
    page: Chrome,
    errors: FormErrors,
    rows: Vec<Row>,
    /// The scope choices, as (value, label, chosen).
    scopes: Vec<(&'static str, String, bool)>,
    /// What was typed as the new token's name.
    token_name: String,
    expires_in_days: String,
    /// The token just made, shown this once.
    created: Option<String>,
}

async fn tokens_page(
    state: &AppState,
    frame: &Frame,
    member: &StaffMember,
) -> Result<TokensPage, WebError> {
    let now = state.app.now();
    let rows = stored::all(&state.app.db)
        .await?
        .into_iter()
        .map(|token| row(frame.lang, token, now))
        .collect();
    Ok(TokensPage {
        page: frame
            .chrome("staff-tokens-title")
            .for_staff_user(&member.user),
        errors: FormErrors::default(),
        rows,
        scopes: scope_choices(frame.lang, &[]),
        token_name: String::new(),
        expires_in_days: DEFAULT_EXPIRY_DAYS.to_owned(),
        created: None,
    })
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    Administrator(member): Administrator,
) -> Result<Html<String>, WebError> {
    render(&tokens_page(&state, &frame, &member).await?)
}

/// The form as sent: a `scope` field for each scope ticked (which `serde_urlencoded` cannot
/// gather into a list, so the fields come as pairs).
#[derive(Default)]
struct CreateForm {
    name: String,
    scope: Vec<String>,
    expires_in_days: String,
}

impl CreateForm {
    fn of(fields: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        for (name, value) in fields {
            match name.as_str() {
                "name" => form.name = value,
                "scope" => form.scope.push(value),
                "expires_in_days" => form.expires_in_days = value,
                _ => {}
            }
        }
        form
    }
}

/// The request the form makes, or what is wrong with it.
fn request_of(form: &CreateForm, lang: Lang) -> Result<TokenRequest, FormErrors> {
    let mut errors = FormErrors::default();
    let name = NAME.check(&mut errors, lang, &form.name);
    let scopes: Vec<Scope> = form.scope.iter().filter_map(|s| Scope::parse(s)).collect();
    if scopes.is_empty() {
        errors.add("scope", lang.t("staff-tokens-scope-empty"));
    }
    let days = form.expires_in_days.trim();
    let expires_in_days = if days.is_empty() {
        None
    } else {
        match days.parse::<u32>() {
            Ok(days) if (1..=EXPIRY_MAX_DAYS).contains(&days) => Some(days),
            _ => {
                let max = Arg::from(i64::from(EXPIRY_MAX_DAYS));
                errors.add(
                    "expires_in_days",
                    lang.t_with("staff-tokens-expiry-invalid", &[("max", max)]),
                );
                None
            }
        }
    };
    match name {
        Some(name) if errors.is_empty() => Ok(TokenRequest {
            name,
            scopes,
            expires_in_days,
        }),
        _ => Err(errors),
    }
}

/// Makes a token (after a fresh code) and shows it this once.
pub async fn create(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    Administrator(member): Administrator,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = CreateForm::of(fields);
    let mut page = tokens_page(&state, &frame, &member).await?;
    let request = match request_of(&form, frame.lang) {
        Ok(request) => request,
        Err(errors) => {
            page.errors = errors;
            page.scopes = scope_choices(frame.lang, &form.scope);
            page.token_name = form.name;
            page.expires_in_days = form.expires_in_days;
            return Ok(render(&page)?.into_response());
        }
    };
    if let Some(confirm) = member.fresh_or_confirm(state.app.now(), LIST).await? {
        return Ok(confirm);
    }
    let origin = Origin::web(addr);
    let created = api_tokens::create(
        &state.app.db,
        &origin,
        Some(&member.user),
        &request,
        state.app.now(),
    )
    .await?;
    let mut page = tokens_page(&state, &frame, &member).await?;
    page.created = Some(created.token.as_str().to_owned());
    Ok(render(&page)?.into_response())
}

/// "Prekliči": the API refuses the token from its next request.
pub async fn revoke(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Administrator(member): Administrator,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    stored::find(&state.app.db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let origin = Origin::web(addr);
    api_tokens::revoke(&state.app, &origin, &member.user, id).await?;
    Ok(Redirect::to(LIST).into_response())
}
