//! Single-use tokens sent in e-mailed links (activation, password reset, e-mail change).
//! Only their SHA-256 is stored; a new token of a purpose voids the account's earlier ones.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryTrait,
    SelectModel, Set,
};

use super::BuiltOnce;
use super::entity::account_token;
use crate::auth::secret::{new_token, sha256_hex};

pub use super::entity::account_token::Model as AccountToken;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Activation,
    PasswordReset,
    EmailChange,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Activation => "activation",
            Purpose::PasswordReset => "password_reset",
            Purpose::EmailChange => "email_change",
        }
    }
}

/// What a token from a link turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Valid(AccountToken),
    Expired(AccountToken),
    Used(AccountToken),
    Unknown,
}

/// Makes a token for `account_id` and returns it in the clear, to go into a link.
pub async fn issue<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    purpose: Purpose,
    new_email: Option<&str>,
    valid_for: Duration,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(account_token::Column::AccountId.eq(account_id))
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    let token = new_token();
    account_token::ActiveModel {
        account_id: Set(account_id),
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(sha256_hex(token.as_bytes())),
        new_email: Set(new_email.map(str::to_owned)),
        expires_at: Set(now + valid_for),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(token)
}

pub async fn look_up<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Lookup, DbErr> {
    let found = account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(sha256_hex(token.trim().as_bytes())))
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .one(conn)
        .await?;
    Ok(match found {
        None => Lookup::Unknown,
        Some(token) if token.used_at.is_some() => Lookup::Used(token),
        Some(token) if token.expires_at <= now => Lookup::Expired(token),
        Some(token) => Lookup::Valid(token),
    })
}

/// Marks the token used; false if someone used it first.
pub async fn consume<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(account_token::Column::Id.eq(id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The account's token of `purpose` that can still be used, if any (there is at most one:
/// issuing voids the earlier ones).
pub async fn outstanding<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<AccountToken>, DbErr> {
    static OUTSTANDING: BuiltOnce = BuiltOnce::new();
    let query = || {
        account_token::Entity::find()
            .filter(account_token::Column::AccountId.eq(account_id))
            .filter(account_token::Column::Purpose.eq(purpose.as_str()))
            .filter(account_token::Column::UsedAt.is_null())
            .filter(account_token::Column::ExpiresAt.gt(now))
            .into_query()
    };
    let values = vec![account_id.into(), purpose.as_str().into(), now.into()];
    // A new token voids the earlier ones: one at most, so no `LIMIT` (see `unique_row`).
    let tokens = OUTSTANDING.all::<SelectModel<AccountToken>, _>(conn, values, query);
    Ok(tokens.await?.into_iter().next())
}
