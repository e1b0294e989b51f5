//! `queuescreens`: the queue screen each student last opened in their private chat, per queue,
//! so that it is edited when their place changes (`telegram::queues::screens`).

use ForeignKeyAction::Cascade;
use sea_orm_migration::{prelude::*, schema::*};

use super::ddl::{NewTable, drop_tables};
use crate::storage::constraints as c;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A screen replaced by another in the same message is forgotten by its message.
const IX_QUEUESCREENS_MESSAGE: &str = "ix_queuescreens_chat_message";
/// The marks left for the sender.
const IX_QUEUESCREENS_TOUCHED: &str = "ix_queuescreens_touched_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        NewTable::new(Queuescreens::Table)
            .col(uuid(Queuescreens::QueueId))
            .col(big_integer(Queuescreens::UserId))
            .col(big_integer(Queuescreens::ChatId))
            .col(integer(Queuescreens::MessageId))
            .col(big_integer(Queuescreens::Shown))
            .col(timestamp_with_time_zone(Queuescreens::OpenedAt))
            .col(timestamp_with_time_zone_null(Queuescreens::TouchedAt))
            .pk(
                c::PK_QUEUESCREENS,
                [Queuescreens::QueueId, Queuescreens::UserId],
            )
            .fk(Queuescreens::QueueId, (Queues::Table, Queues::Id), Cascade)
            .fk(
                Queuescreens::UserId,
                (Users::Table, Users::TelegramId),
                Cascade,
            )
            .index(
                IX_QUEUESCREENS_MESSAGE,
                [Queuescreens::ChatId, Queuescreens::MessageId],
            )
            .index(IX_QUEUESCREENS_TOUCHED, [Queuescreens::TouchedAt])
            .create(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Queuescreens::Table.into_iden()]).await
    }
}

#[derive(DeriveIden)]
enum Queuescreens {
    Table,
    QueueId,
    UserId,
    ChatId,
    MessageId,
    Shown,
    OpenedAt,
    TouchedAt,
}

#[derive(DeriveIden)]
enum Queues {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TelegramId,
}
