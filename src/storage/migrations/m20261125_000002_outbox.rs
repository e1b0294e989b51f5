//! The notification outbox: every message to a user that is not a direct reply is a row here,
//! written with the change that causes it and delivered by the sender worker on the Telegram
//! side.

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// See `m20261125_000001_initial::now`: SQLite's default must match sqlx's RFC 3339 text.
fn now(backend: DbBackend) -> Expr {
    match backend {
        DbBackend::Sqlite => Expr::cust("strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"),
        _ => Expr::current_timestamp(),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
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
                    .col(
                        timestamp_with_time_zone(Outbox::CreatedAt)
                            .default(now(db))
                            .take(),
                    )
                    .primary_key(Index::create().name("pk_outbox").col(Outbox::Id))
                    .index(
                        Index::create()
                            .name("uq_outbox_dedup_key")
                            .col(Outbox::DedupKey)
                            .unique(),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_status_due_at")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::DueAt)
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_chat_id")
                    .table(Outbox::Table)
                    .col(Outbox::ChatId)
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Outbox::Table).take())
            .await
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
