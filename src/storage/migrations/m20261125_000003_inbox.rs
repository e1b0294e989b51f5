//! `inbox`: updates Telegram posted to the webhook, stored before the bot answers 200 and
//! handled afterwards by a worker (see `telegram::updates::inbox`).

use sea_orm_migration::{prelude::*, schema::*};

use super::ddl::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Primary key of `inbox`: one row per Telegram `update_id`.
pub const PK_INBOX: &str = "pk_inbox";
/// The worker's scan: unhandled rows in `update_id` order.
const IX_INBOX_PENDING: &str = "ix_inbox_handled_at_update_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        NewTable::new(Inbox::Table)
            .col(big_integer(Inbox::UpdateId))
            .col(json(Inbox::Payload))
            .col(timestamp_with_time_zone(Inbox::ReceivedAt))
            .col(timestamp_with_time_zone_null(Inbox::ClaimedUntil))
            .col(timestamp_with_time_zone_null(Inbox::HandledAt))
            .pk(PK_INBOX, [Inbox::UpdateId])
            .index(IX_INBOX_PENDING, [Inbox::HandledAt, Inbox::UpdateId])
            .create(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Inbox::Table.into_iden()]).await
    }
}

#[derive(DeriveIden)]
enum Inbox {
    Table,
    UpdateId,
    Payload,
    ReceivedAt,
    ClaimedUntil,
    HandledAt,
}
