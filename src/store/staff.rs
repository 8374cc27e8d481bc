//! Staff accounts of the back office.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use super::entity::staff_user;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Operator,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }
}

/// Adds a staff user; `Ok(None)` when the user name is taken.
pub async fn add<C: ConnectionTrait>(
    conn: &C,
    username: &str,
    password_hash: String,
    role: Role,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbErr> {
    let taken = staff_user::Entity::find()
        .filter(staff_user::Column::Username.eq(username))
        .one(conn)
        .await?
        .is_some();
    if taken {
        return Ok(None);
    }
    let added = staff_user::ActiveModel {
        username: Set(username.to_owned()),
        password_hash: Set(password_hash),
        role: Set(role.as_str().to_owned()),
        totp_secret: Set(None),
        disabled: Set(false),
        created_at: Set(now),
        last_sign_in_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(Some(added.id))
}
