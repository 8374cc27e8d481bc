//! Staff accounts of the back office.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

use super::entity::{staff_recovery_code, staff_user};

pub use super::entity::states::StaffRole as Role;

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
        role: Set(role),
        totp_secret: Set(None),
        disabled: Set(false),
        created_at: Set(now),
        last_sign_in_at: Set(None),
        totp_enrolled_at: Set(None),
        totp_last_step: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(Some(added.id))
}

pub use super::entity::staff_user::Model as StaffUser;

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<StaffUser>, DbErr> {
    staff_user::Entity::find_by_id(id).one(conn).await
}

pub async fn find_by_username<C: ConnectionTrait>(
    conn: &C,
    username: &str,
) -> Result<Option<StaffUser>, DbErr> {
    staff_user::Entity::find()
        .filter(staff_user::Column::Username.eq(username.trim().to_lowercase()))
        .one(conn)
        .await
}

/// Every staff user, by user name.
pub async fn all<C: ConnectionTrait>(conn: &C) -> Result<Vec<StaffUser>, DbErr> {
    staff_user::Entity::find()
        .order_by_asc(staff_user::Column::Username)
        .all(conn)
        .await
}

/// Stores a hash made again of the same password (with newer parameters) in place of the one
/// `user` was read with; nothing when the password changed meanwhile.
pub async fn renew_password_hash<C: ConnectionTrait>(
    conn: &C,
    user: &StaffUser,
    renewed: String,
) -> Result<(), DbErr> {
    staff_user::Entity::update_many()
        .col_expr(staff_user::Column::PasswordHash, Expr::value(renewed))
        .filter(staff_user::Column::Id.eq(user.id))
        .filter(staff_user::Column::PasswordHash.eq(user.password_hash.as_str()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Disables or enables a staff user; false when there is no such user or it is so already.
pub async fn set_disabled<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    disabled: bool,
) -> Result<bool, DbErr> {
    let updated = staff_user::Entity::update_many()
        .col_expr(staff_user::Column::Disabled, Expr::value(disabled))
        .filter(staff_user::Column::Id.eq(id))
        .filter(staff_user::Column::Disabled.eq(!disabled))
        .exec(conn)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Clears the user's second factor and deletes their recovery codes: they enrol anew.
pub async fn reset_second_factor<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), DbErr> {
    staff_user::Entity::update_many()
        .col_expr(
            staff_user::Column::TotpSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            staff_user::Column::TotpEnrolledAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            staff_user::Column::TotpLastStep,
            Expr::value(Option::<i64>::None),
        )
        .filter(staff_user::Column::Id.eq(id))
        .exec(conn)
        .await?;
    staff_recovery_code::Entity::delete_many()
        .filter(staff_recovery_code::Column::StaffUserId.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Gives the user `role`; false when there is no such user or it has it already.
pub async fn set_role<C: ConnectionTrait>(conn: &C, id: i64, role: Role) -> Result<bool, DbErr> {
    let updated = staff_user::Entity::update_many()
        .col_expr(staff_user::Column::Role, Expr::value(role.as_str()))
        .filter(staff_user::Column::Id.eq(id))
        .filter(staff_user::Column::Role.ne(role))
        .exec(conn)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Keeps the secret a staff user is enrolling with, until a code confirms it; an enrolled
/// secret is never replaced here.
pub async fn set_pending_secret<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    secret: &str,
) -> Result<(), DbErr> {
    staff_user::Entity::update_many()
        .col_expr(staff_user::Column::TotpSecret, Expr::value(secret))
        .filter(staff_user::Column::Id.eq(id))
        .filter(staff_user::Column::TotpEnrolledAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Accepts TOTP time `step` for the user if no later or equal step was accepted before; false
/// when the code was used already (one statement, so two requests cannot both pass).
pub async fn accept_step<C: ConnectionTrait>(conn: &C, id: i64, step: i64) -> Result<bool, DbErr> {
    let updated = staff_user::Entity::update_many()
        .col_expr(staff_user::Column::TotpLastStep, Expr::value(step))
        .filter(staff_user::Column::Id.eq(id))
        .filter(
            Condition::any()
                .add(staff_user::Column::TotpLastStep.is_null())
                .add(staff_user::Column::TotpLastStep.lt(step)),
        )
        .exec(conn)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Marks the enrolment done and keeps the digests of the recovery codes, replacing any
/// earlier ones.
pub async fn complete_enrolment<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    code_hashes: Vec<String>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    staff_user::Entity::update_many()
        .col_expr(staff_user::Column::TotpEnrolledAt, Expr::value(Some(now)))
        .filter(staff_user::Column::Id.eq(id))
        .exec(conn)
        .await?;
    staff_recovery_code::Entity::delete_many()
        .filter(staff_recovery_code::Column::StaffUserId.eq(id))
        .exec(conn)
        .await?;
    for code_hash in code_hashes {
        staff_recovery_code::ActiveModel {
            staff_user_id: Set(id),
            code_hash: Set(code_hash),
            used_at: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// Uses up the recovery code with this digest; false when there is none unused.
pub async fn use_recovery_code<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let updated = staff_recovery_code::Entity::update_many()
        .col_expr(staff_recovery_code::Column::UsedAt, Expr::value(Some(now)))
        .filter(staff_recovery_code::Column::StaffUserId.eq(id))
        .filter(staff_recovery_code::Column::CodeHash.eq(code_hash))
        .filter(staff_recovery_code::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// How many recovery codes the user has left.
pub async fn recovery_codes_left<C: ConnectionTrait>(conn: &C, id: i64) -> Result<u64, DbErr> {
    staff_recovery_code::Entity::find()
        .filter(staff_recovery_code::Column::StaffUserId.eq(id))
        .filter(staff_recovery_code::Column::UsedAt.is_null())
        .count(conn)
        .await
}

pub async fn record_sign_in<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    staff_user::Entity::update_many()
        .col_expr(staff_user::Column::LastSignInAt, Expr::value(Some(now)))
        .filter(staff_user::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}
