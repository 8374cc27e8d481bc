//! Leases of scheduled jobs: the instance holding a job's lease runs it; another takes over
//! only once the lease has run out (its holder stopped or hung), so a due run is done by one
//! instance at a time and resumed after a restart.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter, Set};

use super::entity::scheduler_lease;
use super::{Db, begin_write};

/// Takes or renews `job`'s lease for `holder` until `until`; false when another holds it.
pub async fn take(
    db: &Db,
    job: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let txn = begin_write(db).await?;
    let row = scheduler_lease::ActiveModel {
        job: Set(job.to_owned()),
        holder: Set(holder.to_owned()),
        held_until: Set(until),
    };
    let inserted = scheduler_lease::Entity::insert(row)
        .on_conflict(
            OnConflict::column(scheduler_lease::Column::Job)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    let taken = inserted == 1
        || scheduler_lease::Entity::update_many()
            .col_expr(scheduler_lease::Column::Holder, Expr::value(holder))
            .col_expr(scheduler_lease::Column::HeldUntil, Expr::value(until))
            .filter(scheduler_lease::Column::Job.eq(job))
            .filter(
                Condition::any()
                    .add(scheduler_lease::Column::HeldUntil.lte(now))
                    .add(scheduler_lease::Column::Holder.eq(holder)),
            )
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
    txn.commit().await?;
    Ok(taken)
}

/// Gives `job`'s lease up, if `holder` has it, so the next run need not wait for it to run out.
pub async fn release(db: &Db, job: &str, holder: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    scheduler_lease::Entity::update_many()
        .col_expr(scheduler_lease::Column::HeldUntil, Expr::value(now))
        .filter(scheduler_lease::Column::Job.eq(job))
        .filter(scheduler_lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(())
}
