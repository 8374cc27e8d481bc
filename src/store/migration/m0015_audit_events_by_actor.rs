//! A customer's latest sign-ins, shown on their profile, are found by an index of their own.
//! By `(action, at)` alone, PostgreSQL went through every customer's sign-ins to find one
//! customer's latest: `/profile` fell from 4,400 to 830 requests a second when the events of
//! 15,000 sign-ins were in the table (docs/performance.md), and a utility's history holds
//! millions.

use sea_orm_migration::prelude::*;

const TABLE: &str = "audit_events";
const NAME: &str = "ix_audit_events_actor_kind_actor_action_at_id";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // In the order of `store::audit::latest_of_customer`'s conditions and then its order,
        // so the newest rows are read first and the limit stops the reading.
        let mut index = Index::create();
        index.name(NAME).table(Alias::new(TABLE));
        for column in ["actor_kind", "actor", "action", "at", "id"] {
            index.col(Alias::new(column));
        }
        manager.create_index(index).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Alias::new(TABLE)).to_owned())
            .await
    }
}
