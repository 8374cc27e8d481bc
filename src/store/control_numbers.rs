//! Control numbers issued by staff (SPEC §2): they prove a user name for someone without an
//! invoice. Only a digest of the number is stored; each is used once and may expire.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use super::entity::control_number;
use crate::auth::secret::sha256_hex;

pub use super::entity::control_number::Model as ControlNumber;

/// The stored form: the SHA-256 of the number without spaces and in upper case, so that
/// "ab12 cd34" as typed matches "AB12CD34" as issued.
fn digest(number: &str) -> String {
    let canonical: String = number
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    sha256_hex(canonical.as_bytes())
}

/// Stores `number` as a control number of `payer_code`; returns its id.
pub async fn issue<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    number: &str,
    issued_by: Option<&str>,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let stored = control_number::ActiveModel {
        payer_code: Set(payer_code.to_owned()),
        number_hash: Set(digest(number)),
        issued_by: Set(issued_by.map(str::to_owned)),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(stored.id)
}

/// The control number `number` of `payer_code` if it is neither used nor expired.
pub async fn find_usable<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    number: &str,
    now: DateTime<Utc>,
) -> Result<Option<ControlNumber>, DbErr> {
    control_number::Entity::find()
        .filter(control_number::Column::PayerCode.eq(payer_code))
        .filter(control_number::Column::NumberHash.eq(digest(number)))
        .filter(control_number::Column::UsedAt.is_null())
        .filter(
            Condition::any()
                .add(control_number::Column::ExpiresAt.is_null())
                .add(control_number::Column::ExpiresAt.gt(now)),
        )
        .one(conn)
        .await
}

/// Marks the control number used; false if someone used it first.
pub async fn use_up<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = control_number::Entity::update_many()
        .col_expr(control_number::Column::UsedAt, Expr::value(Some(now)))
        .filter(control_number::Column::Id.eq(id))
        .filter(control_number::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}
