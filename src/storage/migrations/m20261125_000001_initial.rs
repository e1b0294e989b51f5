//! The initial schema: the complete data model of the bot.
//!
//! Every key, unique constraint and index is named explicitly (the service layer maps
//! constraint names to domain errors, see [`crate::storage::constraints`]). The same
//! statements run on PostgreSQL and SQLite; the only backend-specific piece is the
//! expression used as the default of the "when" timestamp columns (see [`timestamp_now`]).

use ForeignKeyAction::{Cascade, SetNull};
use sea_orm_migration::{prelude::*, schema::*};

use super::ddl::{NewTable, drop_tables, flag, timestamp_now};
use crate::storage::constraints as c;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The keys that foreign keys reference, as `(table, column)`.
const USER: (Users, Users) = (Users::Table, Users::TelegramId);
const GROUP: (Groups, Groups) = (Groups::Table, Groups::Id);
const EVENT: (Events, Events) = (Events::Table, Events::Id);
const QUEUE: (Queues, Queues) = (Queues::Table, Queues::Id);
const TOPICLIST: (Topiclists, Topiclists) = (Topiclists::Table, Topiclists::Id);
const TOPIC: (Topics, Topics) = (Topics::Table, Topics::Id);

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();

        NewTable::new(Users::Table)
            .col(big_integer(Users::TelegramId))
            .col(text_null(Users::TelegramUsername))
            .col(text(Users::FirstName))
            .col(text_null(Users::LastName))
            .col(text_null(Users::MiddleName))
            .col(timestamp_now(db, Users::CreatedAt))
            .col(timestamp_now(db, Users::LastActiveAt))
            .col(json_null(Users::NotificationSettings))
            .col(text_null(Users::Language))
            .col(flag(Users::IsBlocked, false))
            .col(text_null(Users::TelegramLanguage))
            .col(flag(Users::HasFullName, false))
            .pk(c::PK_USERS, [Users::TelegramId])
            .create(manager)
            .await?;

        NewTable::new(Groups::Table)
            .col(uuid(Groups::Id))
            .col(text(Groups::Name))
            .col(text_null(Groups::Description))
            .col(timestamp_now(db, Groups::CreatedAt))
            .col(big_integer_null(Groups::CreatorId))
            .col(text(Groups::Timezone).default("Europe/Moscow"))
            .col(text_null(Groups::IcsSecret))
            .pk(c::PK_GROUPS, [Groups::Id])
            .unique(c::UQ_GROUPS_ICS_SECRET, [Groups::IcsSecret])
            .fk(Groups::CreatorId, USER, SetNull)
            .create(manager)
            .await?;

        NewTable::new(Groupmembers::Table)
            .col(uuid(Groupmembers::Id))
            .col(big_integer(Groupmembers::UserId))
            .col(uuid(Groupmembers::GroupId))
            .col(flag(Groupmembers::IsLeader, false))
            .col(flag(Groupmembers::IsAssistant, false))
            .col(timestamp_now(db, Groupmembers::JoinedAt))
            .pk(c::PK_GROUPMEMBERS, [Groupmembers::Id])
            .unique(c::UQ_GROUPMEMBERS_USER, [Groupmembers::UserId])
            .fk(Groupmembers::UserId, USER, Cascade)
            .fk(Groupmembers::GroupId, GROUP, Cascade)
            .index("idx_groupmembers_group", [Groupmembers::GroupId])
            .create(manager)
            .await?;

        NewTable::new(Groupinvitations::Table)
            .col(uuid(Groupinvitations::Id))
            .col(uuid(Groupinvitations::GroupId))
            .col(big_integer(Groupinvitations::InvitedByUserId))
            .col(string_len(Groupinvitations::InviteToken, 64))
            .col(timestamp_with_time_zone(Groupinvitations::ExpiresAt))
            .col(flag(Groupinvitations::IsUsed, false))
            .col(timestamp_now(db, Groupinvitations::CreatedAt))
            .col(flag(Groupinvitations::IsSingleUse, false))
            .col(flag(Groupinvitations::IsRevoked, false))
            .col(integer(Groupinvitations::UseCount).default(0))
            .pk(c::PK_GROUPINVITATIONS, [Groupinvitations::Id])
            .unique(
                c::UQ_GROUPINVITATIONS_INVITE_TOKEN,
                [Groupinvitations::InviteToken],
            )
            .fk(Groupinvitations::GroupId, GROUP, Cascade)
            .fk(Groupinvitations::InvitedByUserId, USER, Cascade)
            .index("idx_groupinvitations_group", [Groupinvitations::GroupId])
            .create(manager)
            .await?;

        NewTable::new(Events::Table)
            .col(uuid(Events::Id))
            .col(uuid(Events::GroupId))
            .col(big_integer_null(Events::CreatedByUserId))
            .col(text(Events::Title))
            .col(text_null(Events::Description))
            .col(text_null(Events::Subject))
            .col(date(Events::EventDate))
            .col(flag(Events::IsImportant, false))
            .col(timestamp_now(db, Events::CreatedAt))
            .pk(c::PK_EVENTS, [Events::Id])
            .fk(Events::GroupId, GROUP, Cascade)
            .fk(Events::CreatedByUserId, USER, SetNull)
            .index(
                "idx_events_group_date",
                [Events::GroupId, Events::EventDate],
            )
            .create(manager)
            .await?;

        NewTable::new(Viewedevents::Table)
            .col(big_integer(Viewedevents::UserId))
            .col(uuid(Viewedevents::EventId))
            .col(timestamp_now(db, Viewedevents::ViewedAt))
            .pk(
                c::PK_VIEWEDEVENTS,
                [Viewedevents::UserId, Viewedevents::EventId],
            )
            .fk(Viewedevents::UserId, USER, Cascade)
            .fk(Viewedevents::EventId, EVENT, Cascade)
            .index("idx_viewedevents_event", [Viewedevents::EventId])
            .create(manager)
            .await?;

        NewTable::new(Deadlines::Table)
            .col(uuid(Deadlines::Id))
            .col(uuid(Deadlines::EventId))
            .col(text(Deadlines::Description))
            .col(timestamp_with_time_zone(Deadlines::DeadlineAt))
            .pk(c::PK_DEADLINES, [Deadlines::Id])
            .fk(Deadlines::EventId, EVENT, Cascade)
            .index("idx_deadlines_event", [Deadlines::EventId])
            .index("idx_deadlines_deadline_at", [Deadlines::DeadlineAt])
            .create(manager)
            .await?;

        NewTable::new(Queues::Table)
            .col(uuid(Queues::Id))
            .col(uuid(Queues::EventId))
            .col(text(Queues::Title))
            .col(text_null(Queues::Description))
            .col(integer_null(Queues::MaxParticipants))
            .col(timestamp_now(db, Queues::CreatedAt))
            .col(flag(Queues::IsClosed, false))
            .pk(c::PK_QUEUES, [Queues::Id])
            .fk(Queues::EventId, EVENT, Cascade)
            .index("idx_queues_event", [Queues::EventId])
            .create(manager)
            .await?;

        NewTable::new(Queueparticipants::Table)
            .col(uuid(Queueparticipants::Id))
            .col(uuid(Queueparticipants::QueueId))
            .col(big_integer(Queueparticipants::UserId))
            .col(integer(Queueparticipants::Position))
            .col(timestamp_now(db, Queueparticipants::JoinedAt))
            .pk(c::PK_QUEUEPARTICIPANTS, [Queueparticipants::Id])
            .unique(
                c::UQ_QUEUEPARTICIPANTS_QUEUE_USER,
                [Queueparticipants::QueueId, Queueparticipants::UserId],
            )
            .unique(
                c::UQ_QUEUEPARTICIPANTS_QUEUE_POSITION,
                [Queueparticipants::QueueId, Queueparticipants::Position],
            )
            .fk(Queueparticipants::QueueId, QUEUE, Cascade)
            .fk(Queueparticipants::UserId, USER, Cascade)
            .create(manager)
            .await?;

        NewTable::new(Topiclists::Table)
            .col(uuid(Topiclists::Id))
            .col(uuid(Topiclists::EventId))
            .col(text(Topiclists::Title))
            .col(integer(Topiclists::MaxParticipantsPerTopic))
            .col(big_integer_null(Topiclists::CreatedByUserId))
            .col(timestamp_now(db, Topiclists::CreatedAt))
            .pk(c::PK_TOPICLISTS, [Topiclists::Id])
            .fk(Topiclists::EventId, EVENT, Cascade)
            .fk(Topiclists::CreatedByUserId, USER, SetNull)
            .index("idx_topiclists_event", [Topiclists::EventId])
            .create(manager)
            .await?;

        NewTable::new(Topics::Table)
            .col(uuid(Topics::Id))
            .col(uuid(Topics::TopicListId))
            .col(text(Topics::Title))
            .col(text_null(Topics::Description))
            .col(integer(Topics::Position).default(0))
            .pk(c::PK_TOPICS, [Topics::Id])
            .fk(Topics::TopicListId, TOPICLIST, Cascade)
            .index("idx_topics_topic_list", [Topics::TopicListId])
            .create(manager)
            .await?;

        NewTable::new(Topicselections::Table)
            .col(uuid(Topicselections::Id))
            .col(uuid(Topicselections::TopicId))
            .col(big_integer(Topicselections::UserId))
            .col(timestamp_now(db, Topicselections::SelectedAt))
            .col(flag(Topicselections::IsConfirmed, false))
            .col(big_integer_null(Topicselections::ConfirmedByUserId))
            .pk(c::PK_TOPICSELECTIONS, [Topicselections::Id])
            .unique(
                c::UQ_TOPICSELECTIONS_TOPIC_USER,
                [Topicselections::TopicId, Topicselections::UserId],
            )
            .fk(Topicselections::TopicId, TOPIC, Cascade)
            .fk(Topicselections::UserId, USER, Cascade)
            .fk(Topicselections::ConfirmedByUserId, USER, SetNull)
            .create(manager)
            .await?;

        NewTable::new(Adminaccesscodes::Table)
            .col(uuid(Adminaccesscodes::Id))
            .col(text(Adminaccesscodes::Code))
            .col(flag(Adminaccesscodes::IsOneTime, false))
            .col(timestamp_with_time_zone_null(Adminaccesscodes::ExpiresAt))
            .col(timestamp_now(db, Adminaccesscodes::CreatedAt))
            .col(flag(Adminaccesscodes::IsActive, true))
            .pk(c::PK_ADMINACCESSCODES, [Adminaccesscodes::Id])
            .unique(c::UQ_ADMINACCESSCODES_CODE, [Adminaccesscodes::Code])
            .create(manager)
            .await?;

        // Column-level key: SQLite only accepts AUTOINCREMENT there.
        NewTable::new(Changelog::Table)
            .col(big_pk_auto(Changelog::Id))
            .col(big_integer_null(Changelog::UserId))
            .col(text(Changelog::ActionType))
            .col(json_null(Changelog::Details))
            .col(text(Changelog::EntityType))
            .col(text_null(Changelog::EntityId))
            .col(timestamp_now(db, Changelog::ChangedAt))
            .col(uuid_null(Changelog::GroupId))
            .fk(Changelog::UserId, USER, SetNull)
            .fk(Changelog::GroupId, GROUP, SetNull)
            .index("idx_changelog_changed_at", [Changelog::ChangedAt])
            .index("idx_changelog_group", [Changelog::GroupId])
            .create(manager)
            .await?;

        NewTable::new(Dialogues::Table)
            .col(big_integer(Dialogues::UserId))
            .col(json(Dialogues::State))
            .col(timestamp_now(db, Dialogues::UpdatedAt))
            .pk(c::PK_DIALOGUES, [Dialogues::UserId])
            .fk(Dialogues::UserId, USER, Cascade)
            .create(manager)
            .await?;

        NewTable::new(Processedupdates::Table)
            .col(big_integer(Processedupdates::UpdateId))
            .col(timestamp_now(db, Processedupdates::ReceivedAt))
            .col(timestamp_with_time_zone_null(Processedupdates::HandledAt))
            .pk(c::PK_PROCESSEDUPDATES, [Processedupdates::UpdateId])
            .create(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables: [DynIden; 16] = [
            Processedupdates::Table.into_iden(),
            Dialogues::Table.into_iden(),
            Changelog::Table.into_iden(),
            Adminaccesscodes::Table.into_iden(),
            Topicselections::Table.into_iden(),
            Topics::Table.into_iden(),
            Topiclists::Table.into_iden(),
            Queueparticipants::Table.into_iden(),
            Queues::Table.into_iden(),
            Deadlines::Table.into_iden(),
            Viewedevents::Table.into_iden(),
            Events::Table.into_iden(),
            Groupinvitations::Table.into_iden(),
            Groupmembers::Table.into_iden(),
            Groups::Table.into_iden(),
            Users::Table.into_iden(),
        ];
        drop_tables(manager, tables).await
    }

    fn use_transaction(&self) -> Option<bool> {
        // SQLite has transactional DDL too: never leave a half-created schema behind.
        Some(true)
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TelegramId,
    TelegramUsername,
    FirstName,
    LastName,
    MiddleName,
    CreatedAt,
    LastActiveAt,
    NotificationSettings,
    Language,
    IsBlocked,
    TelegramLanguage,
    HasFullName,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
    Name,
    Description,
    CreatedAt,
    CreatorId,
    Timezone,
    IcsSecret,
}

#[derive(DeriveIden)]
enum Groupmembers {
    Table,
    Id,
    UserId,
    GroupId,
    IsLeader,
    IsAssistant,
    JoinedAt,
}

#[derive(DeriveIden)]
enum Groupinvitations {
    Table,
    Id,
    GroupId,
    InvitedByUserId,
    InviteToken,
    ExpiresAt,
    IsUsed,
    CreatedAt,
    IsSingleUse,
    IsRevoked,
    UseCount,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    GroupId,
    CreatedByUserId,
    Title,
    Description,
    Subject,
    EventDate,
    IsImportant,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Viewedevents {
    Table,
    UserId,
    EventId,
    ViewedAt,
}

#[derive(DeriveIden)]
enum Deadlines {
    Table,
    Id,
    EventId,
    Description,
    DeadlineAt,
}

#[derive(DeriveIden)]
enum Queues {
    Table,
    Id,
    EventId,
    Title,
    Description,
    MaxParticipants,
    CreatedAt,
    IsClosed,
}

#[derive(DeriveIden)]
enum Queueparticipants {
    Table,
    Id,
    QueueId,
    UserId,
    Position,
    JoinedAt,
}

#[derive(DeriveIden)]
enum Topiclists {
    Table,
    Id,
    EventId,
    Title,
    MaxParticipantsPerTopic,
    CreatedByUserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Topics {
    Table,
    Id,
    TopicListId,
    Title,
    Description,
    Position,
}

#[derive(DeriveIden)]
enum Topicselections {
    Table,
    Id,
    TopicId,
    UserId,
    SelectedAt,
    IsConfirmed,
    ConfirmedByUserId,
}

#[derive(DeriveIden)]
enum Adminaccesscodes {
    Table,
    Id,
    Code,
    IsOneTime,
    ExpiresAt,
    CreatedAt,
    IsActive,
}

#[derive(DeriveIden)]
enum Changelog {
    Table,
    Id,
    UserId,
    ActionType,
    Details,
    EntityType,
    EntityId,
    ChangedAt,
    GroupId,
}

#[derive(DeriveIden)]
enum Dialogues {
    Table,
    UserId,
    State,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Processedupdates {
    Table,
    UpdateId,
    ReceivedAt,
    HandledAt,
}
