//! Fair queues: a queue may open at a set moment (`opens_at`) and draw the order of the presses
//! in its first minutes (`lottery_minutes`; `lottery_seed` once drawn); a participant may be
//! away (`away_since`) and is skipped by «Следующий» a counted number of times (`skipped`);
//! `queueswaps` holds the swaps one participant asked another for, until answered. A topic list
//! may collect ranked choices (`choices` per student until `preference_deadline`, in
//! `topicpreferences`) and assign them once (`allocation_seed`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, integer, integer_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid,
};
use sea_orm_migration::sea_query::ForeignKeyAction::Cascade;

use super::ddl::{NewTable, drop_tables};
use crate::storage::constraints as c;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let queue_columns = [
            timestamp_with_time_zone_null(Queues::OpensAt),
            integer_null(Queues::LotteryMinutes),
            big_integer_null(Queues::LotterySeed),
        ];
        for mut column in queue_columns {
            let alter = Table::alter()
                .table(Queues::Table)
                .add_column(&mut column)
                .take();
            manager.alter_table(alter).await?;
        }
        let participant_columns = [
            timestamp_with_time_zone_null(Queueparticipants::AwaySince),
            integer(Queueparticipants::Skipped).default(0).take(),
        ];
        for mut column in participant_columns {
            let alter = Table::alter()
                .table(Queueparticipants::Table)
                .add_column(&mut column)
                .take();
            manager.alter_table(alter).await?;
        }
        NewTable::new(Queueswaps::Table)
            .col(uuid(Queueswaps::Id))
            .col(uuid(Queueswaps::QueueId))
            .col(big_integer(Queueswaps::FromUser))
            .col(integer(Queueswaps::FromPosition))
            .col(big_integer(Queueswaps::ToUser))
            .col(integer(Queueswaps::ToPosition))
            .col(timestamp_with_time_zone(Queueswaps::CreatedAt))
            .pk(c::PK_QUEUESWAPS, [Queueswaps::Id])
            .unique(
                c::UQ_QUEUESWAPS_QUEUE_FROM,
                [Queueswaps::QueueId, Queueswaps::FromUser],
            )
            .fk(Queueswaps::QueueId, (Queues::Table, Queues::Id), Cascade)
            .fk(
                Queueswaps::FromUser,
                (Users::Table, Users::TelegramId),
                Cascade,
            )
            .fk(
                Queueswaps::ToUser,
                (Users::Table, Users::TelegramId),
                Cascade,
            )
            .create(manager)
            .await?;
        let list_columns = [
            integer_null(Topiclists::Choices),
            timestamp_with_time_zone_null(Topiclists::PreferenceDeadline),
            big_integer_null(Topiclists::AllocationSeed),
        ];
        for mut column in list_columns {
            let alter = Table::alter()
                .table(Topiclists::Table)
                .add_column(&mut column)
                .take();
            manager.alter_table(alter).await?;
        }
        NewTable::new(Topicpreferences::Table)
            .col(uuid(Topicpreferences::Id))
            .col(uuid(Topicpreferences::TopicListId))
            .col(big_integer(Topicpreferences::UserId))
            .col(uuid(Topicpreferences::TopicId))
            .col(integer(Topicpreferences::Rank))
            .pk(c::PK_TOPICPREFERENCES, [Topicpreferences::Id])
            .unique(
                c::UQ_TOPICPREFERENCES_LIST_USER_TOPIC,
                [
                    Topicpreferences::TopicListId,
                    Topicpreferences::UserId,
                    Topicpreferences::TopicId,
                ],
            )
            .unique(
                c::UQ_TOPICPREFERENCES_LIST_USER_RANK,
                [
                    Topicpreferences::TopicListId,
                    Topicpreferences::UserId,
                    Topicpreferences::Rank,
                ],
            )
            .fk(
                Topicpreferences::TopicListId,
                (Topiclists::Table, Topiclists::Id),
                Cascade,
            )
            .fk(
                Topicpreferences::UserId,
                (Users::Table, Users::TelegramId),
                Cascade,
            )
            .fk(
                Topicpreferences::TopicId,
                (Topics::Table, Topics::Id),
                Cascade,
            )
            .create(manager)
            .await?;
        // The wait estimate reads a queue's recent «Следующий» presses from the change log.
        manager
            .create_index(
                Index::create()
                    .name(IX_CHANGELOG_ENTITY)
                    .table(Changelog::Table)
                    .col(Changelog::EntityId)
                    .col(Changelog::ActionType)
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(IX_CHANGELOG_ENTITY)
                    .table(Changelog::Table)
                    .to_owned(),
            )
            .await?;
        drop_tables(
            manager,
            [
                Queueswaps::Table.into_iden(),
                Topicpreferences::Table.into_iden(),
            ],
        )
        .await?;
        for column in [
            Topiclists::Choices,
            Topiclists::PreferenceDeadline,
            Topiclists::AllocationSeed,
        ] {
            let alter = Table::alter()
                .table(Topiclists::Table)
                .drop_column(column)
                .take();
            manager.alter_table(alter).await?;
        }
        for column in [Queues::OpensAt, Queues::LotteryMinutes, Queues::LotterySeed] {
            let alter = Table::alter()
                .table(Queues::Table)
                .drop_column(column)
                .take();
            manager.alter_table(alter).await?;
        }
        for column in [Queueparticipants::AwaySince, Queueparticipants::Skipped] {
            let alter = Table::alter()
                .table(Queueparticipants::Table)
                .drop_column(column)
                .take();
            manager.alter_table(alter).await?;
        }
        Ok(())
    }
}

const IX_CHANGELOG_ENTITY: &str = "idx_changelog_entity_action";

#[derive(DeriveIden)]
enum Changelog {
    Table,
    EntityId,
    ActionType,
}

#[derive(DeriveIden)]
enum Queueswaps {
    Table,
    Id,
    QueueId,
    FromUser,
    FromPosition,
    ToUser,
    ToPosition,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Topiclists {
    Table,
    Id,
    Choices,
    PreferenceDeadline,
    AllocationSeed,
}

#[derive(DeriveIden)]
enum Topics {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Topicpreferences {
    Table,
    Id,
    TopicListId,
    UserId,
    TopicId,
    Rank,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TelegramId,
}

#[derive(DeriveIden)]
enum Queues {
    Table,
    Id,
    OpensAt,
    LotteryMinutes,
    LotterySeed,
}

#[derive(DeriveIden)]
enum Queueparticipants {
    Table,
    AwaySince,
    Skipped,
}
