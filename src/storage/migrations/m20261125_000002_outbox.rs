//! The notification outbox: every message to a user that is not a direct reply is a row here,
//! written with the change that causes it and delivered by the sender worker on the Telegram
//! side.

use sea_orm_migration::{prelude::*, schema::*};

use super::ddl::{NewTable, drop_tables, timestamp_now};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        NewTable::new(Outbox::Table)
            .col(uuid(Outbox::Id))
            .col(big_integer(Outbox::ChatId))
            .col(text(Outbox::Kind))
            .col(json(Outbox::Payload))
            .col(text_null(Outbox::DedupKey))
            .col(timestamp_with_time_zone(Outbox::DueAt))
            .col(integer(Outbox::Attempts).default(0))
            .col(text(Outbox::Status).default("pending"))
            .col(timestamp_with_time_zone_null(Outbox::ClaimedAt))
            .col(text_null(Outbox::ClaimedBy))
            .col(timestamp_with_time_zone_null(Outbox::SentAt))
            .col(text_null(Outbox::LastError))
            .col(timestamp_now(db, Outbox::CreatedAt))
            .pk("pk_outbox", [Outbox::Id])
            .unique("uq_outbox_dedup_key", [Outbox::DedupKey])
            .index("ix_outbox_status_due_at", [Outbox::Status, Outbox::DueAt])
            .index("ix_outbox_chat_id", [Outbox::ChatId])
            .create(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Outbox::Table.into_iden()]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    ChatId,
    Kind,
    Payload,
    DedupKey,
    DueAt,
    Attempts,
    Status,
    ClaimedAt,
    ClaimedBy,
    SentAt,
    LastError,
    CreatedAt,
}
