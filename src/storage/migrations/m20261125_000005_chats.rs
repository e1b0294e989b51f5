//! The group's Telegram chat (F13): `groupchats` (which chat a group is bound to, one to one)
//! and `livemessages` (queues and topic lists published to that chat, edited as they change).

use ForeignKeyAction::{Cascade, SetNull};
use sea_orm_migration::{prelude::*, schema::*};

use super::ddl::{NewTable, drop_tables, flag};
use crate::storage::constraints as c;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The keys that foreign keys reference, as `(table, column)`.
const USER: (Users, Users) = (Users::Table, Users::TelegramId);
const GROUP: (Groups, Groups) = (Groups::Table, Groups::Id);

/// The live messages of one queue or topic list, found when it changes.
const IX_LIVEMESSAGES_TARGET: &str = "ix_livemessages_kind_target_id";
/// The live messages of a group (removed when its chat is unbound).
const IX_LIVEMESSAGES_GROUP: &str = "ix_livemessages_group_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        NewTable::new(Groupchats::Table)
            .col(uuid(Groupchats::Id))
            .col(uuid(Groupchats::GroupId))
            .col(big_integer(Groupchats::ChatId))
            .col(text(Groupchats::Title))
            .col(big_integer_null(Groupchats::BoundBy))
            .col(timestamp_with_time_zone(Groupchats::BoundAt))
            .col(flag(Groupchats::PostReminders, false))
            .pk(c::PK_GROUPCHATS, [Groupchats::Id])
            .unique(c::UQ_GROUPCHATS_GROUP, [Groupchats::GroupId])
            .unique(c::UQ_GROUPCHATS_CHAT, [Groupchats::ChatId])
            .fk(Groupchats::GroupId, GROUP, Cascade)
            .fk(Groupchats::BoundBy, USER, SetNull)
            .create(manager)
            .await?;
        NewTable::new(Livemessages::Table)
            .col(uuid(Livemessages::Id))
            .col(uuid(Livemessages::GroupId))
            .col(big_integer(Livemessages::ChatId))
            .col(integer(Livemessages::MessageId))
            .col(text(Livemessages::Kind))
            .col(uuid(Livemessages::TargetId))
            .col(timestamp_with_time_zone(Livemessages::CreatedAt))
            .pk(c::PK_LIVEMESSAGES, [Livemessages::Id])
            .unique(
                c::UQ_LIVEMESSAGES_CHAT_MESSAGE,
                [Livemessages::ChatId, Livemessages::MessageId],
            )
            .fk(Livemessages::GroupId, GROUP, Cascade)
            .index(
                IX_LIVEMESSAGES_TARGET,
                [Livemessages::Kind, Livemessages::TargetId],
            )
            .index(IX_LIVEMESSAGES_GROUP, [Livemessages::GroupId])
            .create(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            Livemessages::Table.into_iden(),
            Groupchats::Table.into_iden(),
        ];
        drop_tables(manager, tables).await
    }
}

#[derive(DeriveIden)]
enum Groupchats {
    Table,
    Id,
    GroupId,
    ChatId,
    Title,
    BoundBy,
    BoundAt,
    PostReminders,
}

#[derive(DeriveIden)]
enum Livemessages {
    Table,
    Id,
    GroupId,
    ChatId,
    MessageId,
    Kind,
    TargetId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TelegramId,
}
