//! "Uporabniki": customer accounts found by payer code, name, e-mail or point; an account with
//! its state, consent, sign-ins, sessions and readings; what staff may do to it, each with a
//! reason.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::auth::StaffMember;
use super::readings::{Row as ReadingRow, columns as reading_columns, rows as reading_rows};
use crate::app::Origin;
use crate::app::account_admin::{self, AccountAction, Acted};
use crate::i18n::{Arg, Lang, format_date_time_sl};
use crate::store::Order;
use crate::store::accounts::{self, Account, AccountColumn, AccountRow, AccountState};
use crate::store::audit::{self, AuditAction};
use crate::store::sessions;
use crate::store::submitted_readings::{self, NEWEST_FIRST, StaffFilter};
use crate::web::kit::client::ClientAddr;
use crate::web::kit::form::{Flash, FormErrors, Paging, TextField, search_query};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::kit::table::{HeaderCell, Sortable, order_of};
use crate::web::{AppState, WebError};

/// What the last action did, shown once on the account's page (or the list, after a delete).
const NOTICE: Flash = Flash("staff_accounts_notice");
/// The latest sign-ins an account's page shows.
const SIGN_INS_SHOWN: u64 = 5;

const REASON: TextField = TextField {
    field: "reason",
    empty_key: "staff-accounts-reason-empty",
    max_chars: 500,
    too_long_key: "contact-too-long",
};

fn state_label(lang: Lang, state: AccountState) -> String {
    lang.t(&format!("staff-accounts-state-{}", state.as_str()))
}

struct ListRow {
    id: i64,
    payer_code: String,
    payer_name: String,
    email: String,
    state: String,
    created_at: String,
    last_sign_in: String,
}

fn list_row(lang: Lang, account: AccountRow) -> ListRow {
    ListRow {
        id: account.id,
        state: state_label(lang, account.state),
        created_at: format_date_time_sl(account.created_at),
        last_sign_in: account
            .last_sign_in_at
            .map(format_date_time_sl)
            .unwrap_or_default(),
        email: account.email.unwrap_or_default(),
        payer_code: account.payer_code,
        payer_name: account.payer_name,
    }
}

#[derive(Template)]
#[template(path = "staff/accounts.html")]
struct ListPage {
    page: Chrome,
    q: String,
    columns: Vec<HeaderCell>,
    rows: Vec<ListRow>,
    query: String,
    paging: Paging,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
    page: Option<u64>,
}

impl Sortable for AccountColumn {
    const COLUMNS: &'static [Self] = AccountColumn::ALL;

    fn name(self) -> &'static str {
        match self {
            AccountColumn::PayerCode => "payer",
            AccountColumn::Created => "created",
            AccountColumn::LastSignIn => "last_sign_in",
        }
    }
}

/// By payer code, unless a head's link asks otherwise.
const BY_PAYER_CODE: Order<AccountColumn> = Order {
    by: AccountColumn::PayerCode,
    ascending: true,
};

fn list_columns(lang: Lang, order: Order<AccountColumn>, query: &str) -> Vec<HeaderCell> {
    let here = ("/staff/accounts", query);
    let sorting = |key: &str, column| HeaderCell::sorting(lang, key, column, order, here);
    vec![
        sorting("staff-accounts-payer-code", AccountColumn::PayerCode),
        HeaderCell::plain(lang, "staff-accounts-name"),
        HeaderCell::plain(lang, "staff-accounts-email"),
        HeaderCell::plain(lang, "staff-accounts-state"),
        sorting("staff-accounts-created", AccountColumn::Created),
        sorting("staff-accounts-last-sign-in", AccountColumn::LastSignIn),
    ]
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Query(form): Query<SearchForm>,
) -> Result<Html<String>, WebError> {
    let page_no = form.page.unwrap_or(0);
    let (offset, limit) = Paging::window(page_no);
    let order = order_of(&form.sort, &form.dir, BY_PAYER_CODE);
    let found = accounts::search(&state.app.db, &form.q, order, offset, limit).await?;
    let (found, paging) = Paging::of(page_no, found);
    let search = search_query(&[("q", &form.q)]);
    render(&ListPage {
        columns: list_columns(frame.lang, order, &search),
        page: frame
            .chrome("staff-accounts-title")
            .for_staff_user(&member.user),
        rows: found
            .into_iter()
            .map(|account| list_row(frame.lang, account))
            .collect(),
        query: format!(
            "{search}{}",
            search_query(&[("sort", &form.sort), ("dir", &form.dir)])
        ),
        paging,
        notice: NOTICE.take(&frame.session).await?,
        q: form.q,
    })
}

#[derive(Template)]
#[template(path = "staff/account.html")]
struct AccountPage {
    page: Chrome,
    errors: FormErrors,
    notice: Option<String>,
    account: Account,
    state: String,
    email: String,
    consent: String,
    created_at: String,
    lang_name: String,
    /// (when, from where)
    sign_ins: Vec<(String, String)>,
    /// When each open session expires unless used.
    sessions: Vec<String>,
    columns: Vec<HeaderCell>,
    readings: Vec<ReadingRow>,
    /// The actions that apply, as (value, label, chosen); deletion is offered apart.
    actions: Vec<(&'static str, String, bool)>,
    reason: String,
    delete_reason: String,
}

async fn account_page(
    state: &AppState,
    frame: &Frame,
    member: &StaffMember,
    account: Account,
) -> Result<AccountPage, WebError> {
    let lang = frame.lang;
    let db = &state.app.db;
    let sign_ins =
        audit::latest_of_customer(db, &account.payer_code, AuditAction::SignIn, SIGN_INS_SHOWN)
            .await?
            .into_iter()
            .map(|event| {
                (
                    format_date_time_sl(event.at),
                    event.client_addr.unwrap_or_default(),
                )
            })
            .collect();
    let sessions = sessions::of_account(db, account.id, state.app.now())
        .await?
        .into_iter()
        .map(format_date_time_sl)
        .collect();
    let filter = StaffFilter {
        account_id: Some(account.id),
        ..StaffFilter::default()
    };
    let (offset, limit) = Paging::window(0);
    let readings = submitted_readings::page(db, &filter, NEWEST_FIRST, offset, limit).await?;
    let email = match (&account.email, account.email_confirmed_at) {
        (Some(email), Some(_)) => email.clone(),
        (Some(email), None) => lang.t_with(
            "staff-accounts-email-unconfirmed",
            &[("email", Arg::from(email.as_str()))],
        ),
        (None, _) => String::new(),
    };
    let consent = match (&account.consent_version, account.consent_given_at) {
        (Some(version), Some(at)) => lang.t_with(
            "staff-accounts-consent-given",
            &[
                ("version", Arg::from(version.as_str())),
                ("when", Arg::from(format_date_time_sl(at))),
            ],
        ),
        _ => lang.t("staff-accounts-consent-none"),
    };
    let actions = AccountAction::ALL
        .into_iter()
        .filter(|action| *action != AccountAction::Delete && action.applies_to(&account))
        .map(|action| {
            let label = lang.t(&format!("staff-accounts-action-{}", action.as_str()));
            (action.as_str(), label, false)
        })
        .collect();
    Ok(AccountPage {
        page: frame
            .chrome("staff-accounts-title")
            .for_staff_user(&member.user),
        errors: FormErrors::default(),
        notice: NOTICE.take(&frame.session).await?,
        state: state_label(lang, account.state),
        email,
        consent,
        created_at: format_date_time_sl(account.created_at),
        lang_name: lang.t(&format!(
            "staff-accounts-lang-{}",
            Lang::parse(&account.lang).unwrap_or_default().code()
        )),
        sign_ins,
        sessions,
        columns: reading_columns(lang, None),
        readings: reading_rows(lang, Paging::of(0, readings).0),
        actions,
        reason: String::new(),
        delete_reason: String::new(),
        account,
    })
}

async fn found(state: &AppState, id: i64) -> Result<Account, WebError> {
    accounts::find(&state.app.db, id)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    member: StaffMember,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let account = found(&state, id).await?;
    let mut page = account_page(&state, &frame, &member, account).await?;
    page.page.title = page.account.payer_code.clone();
    render(&page)
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    /// The reason in the form apart that only deletes.
    #[serde(default)]
    delete_reason: String,
}

/// One of the actions, with its reason; deleting needs a code given in the last minutes.
pub async fn act(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddr(addr): ClientAddr,
    member: StaffMember,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    let lang = frame.lang;
    let account = found(&state, id).await?;
    let here = format!("/staff/accounts/{id}");
    let action = AccountAction::parse(&form.action);
    let deleting = action == Some(AccountAction::Delete);
    let mut errors = FormErrors::default();
    let (field, typed) = if deleting {
        ("delete_reason", &form.delete_reason)
    } else {
        ("reason", &form.reason)
    };
    let reason = TextField { field, ..REASON }.check(&mut errors, lang, typed);
    match action {
        Some(action) if action.applies_to(&account) => {}
        _ => errors.add("action", lang.t("staff-accounts-action-missing")),
    }
    let (Some(action), Some(reason), true) = (action, reason, errors.is_empty()) else {
        let mut page = account_page(&state, &frame, &member, account).await?;
        page.page.title = page.account.payer_code.clone();
        page.errors = errors;
        if deleting {
            page.delete_reason = form.delete_reason;
        } else {
            page.reason = form.reason;
            for choice in &mut page.actions {
                choice.2 = choice.0 == form.action;
            }
        }
        return Ok(render(&page)?.into_response());
    };
    if deleting && let Some(confirm) = member.fresh_or_confirm(state.app.now(), &here).await? {
        return Ok(confirm);
    }
    let origin = Origin::web(addr);
    let outcome =
        account_admin::act(&state.app, &origin, &member.user, &account, action, &reason).await?;
    let code = Arg::from(account.payer_code.as_str());
    let (key, back) = match (outcome, action) {
        (Acted::Done, AccountAction::Delete) => {
            ("staff-accounts-deleted", "/staff/accounts".to_owned())
        }
        (Acted::Done, _) => ("staff-accounts-done", here),
        (Acted::NotApplicable, _) => ("staff-accounts-not-applicable", here),
    };
    let action_words = lang.t(&format!("staff-accounts-action-{}", action.as_str()));
    let words = lang.t_with(
        key,
        &[("code", code), ("action", Arg::from(action_words.as_str()))],
    );
    NOTICE.redirect(&frame.session, words, &back).await
}
