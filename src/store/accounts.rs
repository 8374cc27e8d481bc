//! Customer accounts (user name = payer code) and the history of their consents.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, NullOrdering, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
};

use super::entity::{account, consent, payer, point};
use super::{Order, unique_row};
use crate::i18n::Lang;

pub use super::entity::states::{AccountState, ConsentDecision};

/// An account that is ready for use: e-mail confirmed and consent given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub payer_code: String,
    pub email: String,
    pub password_hash: String,
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub consent_version: String,
}

/// Stores an active account and the consent it was given with; returns the account's id.
pub async fn insert_active_account<C: ConnectionTrait>(
    conn: &C,
    new: NewAccount,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let stored = account::ActiveModel {
        payer_code: Set(new.payer_code),
        email: Set(Some(new.email)),
        email_confirmed_at: Set(Some(now)),
        password_hash: Set(Some(new.password_hash)),
        state: Set(AccountState::Active),
        display_name: Set(new.display_name),
        phone: Set(new.phone),
        consent_version: Set(Some(new.consent_version.clone())),
        consent_given_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        last_sign_in_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    consent::ActiveModel {
        account_id: Set(stored.id),
        version: Set(new.consent_version),
        action: Set(ConsentDecision::Given),
        client_addr: Set(None),
        at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(stored.id)
}

pub use super::entity::account::Model as Account;
use super::payers::Payer;

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Account>, DbErr> {
    account::Entity::find_by_id(id).one(conn).await
}

/// The account with its payer, in one query: what every page of a signed-in customer needs.
pub async fn find_with_payer<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<(Account, Option<Payer>)>, DbErr> {
    let rows = account::Entity::find_by_id(id)
        .find_also_related(payer::Entity)
        .all(conn)
        .await?;
    Ok(unique_row(rows))
}

pub async fn find_by_payer_code<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
) -> Result<Option<Account>, DbErr> {
    account::Entity::find()
        .filter(account::Column::PayerCode.eq(payer_code))
        .one(conn)
        .await
}

/// Accounts whose confirmed e-mail is `email` (one person may pay for several payers).
pub async fn find_by_email<C: ConnectionTrait>(
    conn: &C,
    email: &str,
) -> Result<Vec<Account>, DbErr> {
    account::Entity::find()
        .filter(account::Column::Email.eq(email.trim().to_lowercase()))
        .filter(account::Column::EmailConfirmedAt.is_not_null())
        .order_by_asc(account::Column::Id)
        .all(conn)
        .await
}

/// Records a sign-in and the language it was made in, which later mail follows.
pub async fn record_sign_in<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    account::ActiveModel {
        id: Set(id),
        last_sign_in_at: Set(Some(now)),
        lang: Set(lang.code().to_owned()),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// Records a consent decision (given, declined, withdrawn) and keeps the account's current
/// consent in step with it.
pub async fn record_consent<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    version: &str,
    decision: ConsentDecision,
    client_addr: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    consent::ActiveModel {
        account_id: Set(id),
        version: Set(version.to_owned()),
        action: Set(decision),
        client_addr: Set(client_addr.map(str::to_owned)),
        at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let given = decision == ConsentDecision::Given;
    account::ActiveModel {
        id: Set(id),
        consent_version: Set(given.then(|| version.to_owned())),
        consent_given_at: Set(given.then_some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// Stores a registration (SPEC §3.1): the payer's account waits for activation with this
/// e-mail and password, its e-mail unconfirmed and no consent given. A pending account's
/// earlier attempt is replaced. Returns the account's id, or `None` when the payer already
/// has an active or locked account, which is left as it is.
pub async fn register_pending<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    email: &str,
    password_hash: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbErr> {
    match find_by_payer_code(conn, payer_code).await? {
        Some(existing) if existing.state != AccountState::Pending => Ok(None),
        Some(pending) => {
            account::ActiveModel {
                id: Set(pending.id),
                email: Set(Some(email.to_owned())),
                email_confirmed_at: Set(None),
                password_hash: Set(Some(password_hash.to_owned())),
                lang: Set(lang.code().to_owned()),
                updated_at: Set(now),
                ..Default::default()
            }
            .update(conn)
            .await?;
            Ok(Some(pending.id))
        }
        None => {
            let stored = account::ActiveModel {
                payer_code: Set(payer_code.to_owned()),
                email: Set(Some(email.to_owned())),
                email_confirmed_at: Set(None),
                password_hash: Set(Some(password_hash.to_owned())),
                state: Set(AccountState::Pending),
                display_name: Set(None),
                phone: Set(None),
                consent_version: Set(None),
                consent_given_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                last_sign_in_at: Set(None),
                sessions_valid_after: Set(None),
                lang: Set(lang.code().to_owned()),
                ..Default::default()
            }
            .insert(conn)
            .await?;
            Ok(Some(stored.id))
        }
    }
}

/// Activates a pending account: its activation link has just confirmed its e-mail. False if
/// the account was not pending.
pub async fn activate<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = account::Entity::update_many()
        .col_expr(
            account::Column::State,
            Expr::value(AccountState::Active.as_str()),
        )
        .col_expr(account::Column::EmailConfirmedAt, Expr::value(Some(now)))
        .col_expr(account::Column::UpdatedAt, Expr::value(now))
        .filter(account::Column::Id.eq(id))
        .filter(account::Column::State.eq(AccountState::Pending))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Sets a new password and voids every session signed in before `now`, wherever it is.
pub async fn replace_password<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    password_hash: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    account::ActiveModel {
        id: Set(id),
        password_hash: Set(Some(password_hash)),
        sessions_valid_after: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// Stores a hash made again of the same password (with newer parameters) in place of the one
/// `account` was read with; nothing when the password changed meanwhile. Sessions stay valid:
/// the password is the same.
pub async fn renew_password_hash<C: ConnectionTrait>(
    conn: &C,
    account: &Account,
    renewed: String,
) -> Result<(), DbErr> {
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(renewed))
        .filter(account::Column::Id.eq(account.id))
        .filter(account::Column::PasswordHash.eq(account.password_hash.as_deref()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Makes `email` the account's address, confirmed at `now`.
pub async fn confirm_email<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    account::ActiveModel {
        id: Set(id),
        email: Set(Some(email.to_owned())),
        email_confirmed_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// Sets the name the portal shows for the account and its phone; `None` clears them (the
/// payer's name shows again).
pub async fn update_profile<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    display_name: Option<String>,
    phone: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    account::ActiveModel {
        id: Set(id),
        display_name: Set(display_name),
        phone: Set(phone),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// The account's consent decisions, oldest first.
pub async fn consents<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Vec<consent::Model>, DbErr> {
    consent::Entity::find()
        .filter(consent::Column::AccountId.eq(id))
        .order_by_asc(consent::Column::At)
        .order_by_asc(consent::Column::Id)
        .all(conn)
        .await
}

/// An account as the back office lists it: with its payer's name.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct AccountRow {
    pub id: i64,
    pub payer_code: String,
    pub payer_name: String,
    pub email: Option<String>,
    pub state: AccountState,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

/// The columns the back office's list of accounts may be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountColumn {
    PayerCode,
    Created,
    LastSignIn,
}

impl AccountColumn {
    pub const ALL: &'static [Self] = &[Self::PayerCode, Self::Created, Self::LastSignIn];
}

/// The accounts `text` finds: by payer code, e-mail address or point designation exactly, or
/// by a part of the payer's name (any case); in `order`, then by payer code.
pub async fn search<C: ConnectionTrait>(
    conn: &C,
    text: &str,
    order: Order<AccountColumn>,
    offset: u64,
    limit: u64,
) -> Result<Vec<AccountRow>, DbErr> {
    let text = text.trim();
    let points_of = Query::select()
        .column(point::Column::PayerCode)
        .from(point::Entity)
        .and_where(point::Column::Code.eq(text))
        .to_owned();
    // SQLite's LOWER and UPPER change ASCII letters only: "KOVAČIČ" is found by "kovačič"
    // as upper case, "Kovačič" as lower case.
    let name = || Expr::col((payer::Entity, payer::Column::Name));
    let part = |text: String| LikeExpr::new(format!("%{}%", escape_like(&text))).escape('\\');
    let name_matches = Condition::any()
        .add(Expr::expr(Func::lower(name())).like(part(text.to_lowercase())))
        .add(Expr::expr(Func::upper(name())).like(part(text.to_uppercase())));
    account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .column(account::Column::PayerCode)
        .column_as(payer::Column::Name, "payer_name")
        .column(account::Column::Email)
        .column(account::Column::State)
        .column(account::Column::CreatedAt)
        .column(account::Column::LastSignInAt)
        .join(JoinType::InnerJoin, account::Relation::Payer.def())
        .filter(
            Condition::any()
                .add(account::Column::PayerCode.eq(text))
                .add(account::Column::Email.eq(text.to_lowercase()))
                .add(account::Column::PayerCode.in_subquery(points_of))
                .add(name_matches),
        )
        // Never signed in comes last either way, on both engines.
        .order_by_with_nulls(
            match order.by {
                AccountColumn::PayerCode => account::Column::PayerCode,
                AccountColumn::Created => account::Column::CreatedAt,
                AccountColumn::LastSignIn => account::Column::LastSignInAt,
            },
            order.direction(),
            NullOrdering::Last,
        )
        .order_by_asc(account::Column::PayerCode)
        .offset(offset)
        .limit(limit)
        .into_model()
        .all(conn)
        .await
}

/// `%`, `_` and the escape itself taken literally in a `LIKE` pattern.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Moves the account from state `from` to `to`; false when it was not in `from`.
pub async fn change_state<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    from: AccountState,
    to: AccountState,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = account::Entity::update_many()
        .col_expr(account::Column::State, Expr::value(to.as_str()))
        .col_expr(account::Column::UpdatedAt, Expr::value(now))
        .filter(account::Column::Id.eq(id))
        .filter(account::Column::State.eq(from))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Voids every session of the account signed in before `now`, wherever it is kept.
pub async fn void_sessions<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    account::ActiveModel {
        id: Set(id),
        sessions_valid_after: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// Deletes the account and, by their foreign keys, its consents, link tokens and submitted
/// readings; its contact messages stay with the company, no longer linked to it.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool, DbErr> {
    let result = account::Entity::delete_by_id(id).exec(conn).await?;
    Ok(result.rows_affected == 1)
}
