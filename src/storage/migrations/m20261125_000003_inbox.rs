//! `inbox`: updates Telegram posted to the webhook, stored before the bot answers 200 and
//! handled afterwards by a worker (see `telegram::updates::inbox`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Primary key of `inbox`: one row per Telegram `update_id`.
pub const PK_INBOX: &str = "pk_inbox";
/// The worker's scan: unhandled rows in `update_id` order.
const IX_INBOX_PENDING: &str = "ix_inbox_handled_at_update_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Inbox::Table)
                    .col(big_integer(Inbox::UpdateId))
                    .col(json(Inbox::Payload))
                    .col(timestamp_with_time_zone(Inbox::ReceivedAt))
                    .col(timestamp_with_time_zone_null(Inbox::ClaimedUntil))
                    .col(timestamp_with_time_zone_null(Inbox::HandledAt))
                    .primary_key(Index::create().name(PK_INBOX).col(Inbox::UpdateId))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(IX_INBOX_PENDING)
                    .table(Inbox::Table)
                    .col(Inbox::HandledAt)
                    .col(Inbox::UpdateId)
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Inbox::Table).take())
            .await
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
