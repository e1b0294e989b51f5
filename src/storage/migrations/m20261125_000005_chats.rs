//! The group's Telegram chat (F13): `groupchats` (which chat a group is bound to, one to one)
//! and `livemessages` (queues and topic lists published to that chat, edited as they change).

use sea_orm_migration::{prelude::*, schema::*};

use crate::storage::constraints as c;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The live messages of one queue or topic list, found when it changes.
const IX_LIVEMESSAGES_TARGET: &str = "ix_livemessages_kind_target_id";
/// The live messages of a group (removed when its chat is unbound).
const IX_LIVEMESSAGES_GROUP: &str = "ix_livemessages_group_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Groupchats::Table)
                    .col(uuid(Groupchats::Id))
                    .col(uuid(Groupchats::GroupId))
                    .col(big_integer(Groupchats::ChatId))
                    .col(text(Groupchats::Title))
                    .col(big_integer_null(Groupchats::BoundBy))
                    .col(timestamp_with_time_zone(Groupchats::BoundAt))
                    .col(boolean(Groupchats::PostReminders).default(false))
                    .primary_key(Index::create().name(c::PK_GROUPCHATS).col(Groupchats::Id))
                    .index(
                        Index::create()
                            .name(c::UQ_GROUPCHATS_GROUP)
                            .col(Groupchats::GroupId)
                            .unique(),
                    )
                    .index(
                        Index::create()
                            .name(c::UQ_GROUPCHATS_CHAT)
                            .col(Groupchats::ChatId)
                            .unique(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_groupchats_group_id")
                            .from(Groupchats::Table, Groupchats::GroupId)
                            .to(Groups::Table, Groups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_groupchats_bound_by")
                            .from(Groupchats::Table, Groupchats::BoundBy)
                            .to(Users::Table, Users::TelegramId)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Livemessages::Table)
                    .col(uuid(Livemessages::Id))
                    .col(uuid(Livemessages::GroupId))
                    .col(big_integer(Livemessages::ChatId))
                    .col(integer(Livemessages::MessageId))
                    .col(text(Livemessages::Kind))
                    .col(uuid(Livemessages::TargetId))
                    .col(timestamp_with_time_zone(Livemessages::CreatedAt))
                    .primary_key(
                        Index::create()
                            .name(c::PK_LIVEMESSAGES)
                            .col(Livemessages::Id),
                    )
                    .index(
                        Index::create()
                            .name(c::UQ_LIVEMESSAGES_CHAT_MESSAGE)
                            .col(Livemessages::ChatId)
                            .col(Livemessages::MessageId)
                            .unique(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_livemessages_group_id")
                            .from(Livemessages::Table, Livemessages::GroupId)
                            .to(Groups::Table, Groups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(IX_LIVEMESSAGES_TARGET)
                    .table(Livemessages::Table)
                    .col(Livemessages::Kind)
                    .col(Livemessages::TargetId)
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(IX_LIVEMESSAGES_GROUP)
                    .table(Livemessages::Table)
                    .col(Livemessages::GroupId)
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Livemessages::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(Groupchats::Table).take())
            .await
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
