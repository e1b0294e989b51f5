//! The initial schema: the complete data model of the bot.
//!
//! Every key, unique constraint and index is named explicitly (the service layer maps
//! constraint names to domain errors, see [`crate::storage::constraints`]). The same
//! statements run on PostgreSQL and SQLite; the only backend-specific piece is the
//! expression used as the default of the "when" timestamp columns (see [`now`]).

use ForeignKeyAction::{Cascade, SetNull};
use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

use crate::storage::constraints as c;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Default for timestamp columns filled in by the database.
///
/// PostgreSQL gets `CURRENT_TIMESTAMP`. SQLite stores timestamps as text and compares them
/// as text, so its default must produce exactly the format sqlx writes for a
/// `DateTime<Utc>` (RFC 3339, `T` separator, `+00:00` offset); SQLite's own
/// `CURRENT_TIMESTAMP` (`YYYY-MM-DD HH:MM:SS`) would sort wrongly against bound values.
fn now(backend: DbBackend) -> Expr {
    match backend {
        DbBackend::Sqlite => Expr::cust("strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"),
        _ => Expr::current_timestamp(),
    }
}

/// A `timestamptz NOT NULL DEFAULT <now>` column.
fn timestamp_now<T: IntoIden>(backend: DbBackend, col: T) -> ColumnDef {
    timestamp_with_time_zone(col).default(now(backend)).take()
}

/// A `boolean NOT NULL DEFAULT <value>` column.
fn flag<T: IntoIden>(col: T, default: bool) -> ColumnDef {
    boolean(col).default(default).take()
}

/// An index over `cols` named `name`.
fn named<C: IntoIden>(name: &str, cols: impl IntoIterator<Item = C>) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name);
    for col in cols {
        index.col(col.into_iden());
    }
    index
}

/// A named primary key over `cols`, for `Table::create().primary_key(..)`.
fn pk<C: IntoIden>(name: &str, cols: impl IntoIterator<Item = C>) -> IndexCreateStatement {
    named(name, cols)
}

/// A named unique constraint over `cols`, for `Table::create().index(..)`.
fn unique<C: IntoIden>(name: &str, cols: impl IntoIterator<Item = C>) -> IndexCreateStatement {
    named(name, cols).unique().take()
}

/// A foreign key `table.col -> ref_table.ref_col` named `fk_<table>_<col>`.
fn fk(
    table: impl IntoIden,
    col: impl IntoIden,
    ref_table: impl IntoIden,
    ref_col: impl IntoIden,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    let (table, col) = (table.into_iden(), col.into_iden());
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(table, col)
        .to(ref_table, ref_col)
        .on_delete(on_delete)
        .take()
}

/// A plain (non-unique) index named `name` on `table(cols)`.
fn index<C: IntoIden>(
    name: &str,
    table: impl IntoIden,
    cols: impl IntoIterator<Item = C>,
) -> IndexCreateStatement {
    named(name, cols).table(table).take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
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
                    .primary_key(&mut pk(c::PK_USERS, [Users::TelegramId]))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Groups::Table)
                    .col(uuid(Groups::Id))
                    .col(text(Groups::Name))
                    .col(text_null(Groups::Description))
                    .col(timestamp_now(db, Groups::CreatedAt))
                    .col(big_integer_null(Groups::CreatorId))
                    .col(text(Groups::Timezone).default("Europe/Moscow"))
                    .col(text_null(Groups::IcsSecret))
                    .primary_key(&mut pk(c::PK_GROUPS, [Groups::Id]))
                    .index(&mut unique(c::UQ_GROUPS_ICS_SECRET, [Groups::IcsSecret]))
                    .foreign_key(&mut fk(
                        Groups::Table,
                        Groups::CreatorId,
                        Users::Table,
                        Users::TelegramId,
                        SetNull,
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Groupmembers::Table)
                    .col(uuid(Groupmembers::Id))
                    .col(big_integer(Groupmembers::UserId))
                    .col(uuid(Groupmembers::GroupId))
                    .col(flag(Groupmembers::IsLeader, false))
                    .col(flag(Groupmembers::IsAssistant, false))
                    .col(timestamp_now(db, Groupmembers::JoinedAt))
                    .primary_key(&mut pk(c::PK_GROUPMEMBERS, [Groupmembers::Id]))
                    .index(&mut unique(c::UQ_GROUPMEMBERS_USER, [Groupmembers::UserId]))
                    .foreign_key(&mut fk(
                        Groupmembers::Table,
                        Groupmembers::UserId,
                        Users::Table,
                        Users::TelegramId,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Groupmembers::Table,
                        Groupmembers::GroupId,
                        Groups::Table,
                        Groups::Id,
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_groupmembers_group",
                Groupmembers::Table,
                [Groupmembers::GroupId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Groupinvitations::Table)
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
                    .primary_key(&mut pk(c::PK_GROUPINVITATIONS, [Groupinvitations::Id]))
                    .index(&mut unique(
                        c::UQ_GROUPINVITATIONS_INVITE_TOKEN,
                        [Groupinvitations::InviteToken],
                    ))
                    .foreign_key(&mut fk(
                        Groupinvitations::Table,
                        Groupinvitations::GroupId,
                        Groups::Table,
                        Groups::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Groupinvitations::Table,
                        Groupinvitations::InvitedByUserId,
                        Users::Table,
                        Users::TelegramId,
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_groupinvitations_group",
                Groupinvitations::Table,
                [Groupinvitations::GroupId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(uuid(Events::Id))
                    .col(uuid(Events::GroupId))
                    .col(big_integer_null(Events::CreatedByUserId))
                    .col(text(Events::Title))
                    .col(text_null(Events::Description))
                    .col(text_null(Events::Subject))
                    .col(date(Events::EventDate))
                    .col(flag(Events::IsImportant, false))
                    .col(timestamp_now(db, Events::CreatedAt))
                    .primary_key(&mut pk(c::PK_EVENTS, [Events::Id]))
                    .foreign_key(&mut fk(
                        Events::Table,
                        Events::GroupId,
                        Groups::Table,
                        Groups::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Events::Table,
                        Events::CreatedByUserId,
                        Users::Table,
                        Users::TelegramId,
                        SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_events_group_date",
                Events::Table,
                [Events::GroupId, Events::EventDate],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Viewedevents::Table)
                    .col(big_integer(Viewedevents::UserId))
                    .col(uuid(Viewedevents::EventId))
                    .col(timestamp_now(db, Viewedevents::ViewedAt))
                    .primary_key(&mut pk(
                        c::PK_VIEWEDEVENTS,
                        [Viewedevents::UserId, Viewedevents::EventId],
                    ))
                    .foreign_key(&mut fk(
                        Viewedevents::Table,
                        Viewedevents::UserId,
                        Users::Table,
                        Users::TelegramId,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Viewedevents::Table,
                        Viewedevents::EventId,
                        Events::Table,
                        Events::Id,
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_viewedevents_event",
                Viewedevents::Table,
                [Viewedevents::EventId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Deadlines::Table)
                    .col(uuid(Deadlines::Id))
                    .col(uuid(Deadlines::EventId))
                    .col(text(Deadlines::Description))
                    .col(timestamp_with_time_zone(Deadlines::DeadlineAt))
                    .primary_key(&mut pk(c::PK_DEADLINES, [Deadlines::Id]))
                    .foreign_key(&mut fk(
                        Deadlines::Table,
                        Deadlines::EventId,
                        Events::Table,
                        Events::Id,
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_deadlines_event",
                Deadlines::Table,
                [Deadlines::EventId],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_deadlines_deadline_at",
                Deadlines::Table,
                [Deadlines::DeadlineAt],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Queues::Table)
                    .col(uuid(Queues::Id))
                    .col(uuid(Queues::EventId))
                    .col(text(Queues::Title))
                    .col(text_null(Queues::Description))
                    .col(integer_null(Queues::MaxParticipants))
                    .col(timestamp_now(db, Queues::CreatedAt))
                    .col(flag(Queues::IsClosed, false))
                    .primary_key(&mut pk(c::PK_QUEUES, [Queues::Id]))
                    .foreign_key(&mut fk(
                        Queues::Table,
                        Queues::EventId,
                        Events::Table,
                        Events::Id,
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("idx_queues_event", Queues::Table, [Queues::EventId]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Queueparticipants::Table)
                    .col(uuid(Queueparticipants::Id))
                    .col(uuid(Queueparticipants::QueueId))
                    .col(big_integer(Queueparticipants::UserId))
                    .col(integer(Queueparticipants::Position))
                    .col(timestamp_now(db, Queueparticipants::JoinedAt))
                    .primary_key(&mut pk(c::PK_QUEUEPARTICIPANTS, [Queueparticipants::Id]))
                    .index(&mut unique(
                        c::UQ_QUEUEPARTICIPANTS_QUEUE_USER,
                        [Queueparticipants::QueueId, Queueparticipants::UserId],
                    ))
                    .index(&mut unique(
                        c::UQ_QUEUEPARTICIPANTS_QUEUE_POSITION,
                        [Queueparticipants::QueueId, Queueparticipants::Position],
                    ))
                    .foreign_key(&mut fk(
                        Queueparticipants::Table,
                        Queueparticipants::QueueId,
                        Queues::Table,
                        Queues::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Queueparticipants::Table,
                        Queueparticipants::UserId,
                        Users::Table,
                        Users::TelegramId,
                        Cascade,
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Topiclists::Table)
                    .col(uuid(Topiclists::Id))
                    .col(uuid(Topiclists::EventId))
                    .col(text(Topiclists::Title))
                    .col(integer(Topiclists::MaxParticipantsPerTopic))
                    .col(big_integer_null(Topiclists::CreatedByUserId))
                    .col(timestamp_now(db, Topiclists::CreatedAt))
                    .primary_key(&mut pk(c::PK_TOPICLISTS, [Topiclists::Id]))
                    .foreign_key(&mut fk(
                        Topiclists::Table,
                        Topiclists::EventId,
                        Events::Table,
                        Events::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Topiclists::Table,
                        Topiclists::CreatedByUserId,
                        Users::Table,
                        Users::TelegramId,
                        SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_topiclists_event",
                Topiclists::Table,
                [Topiclists::EventId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Topics::Table)
                    .col(uuid(Topics::Id))
                    .col(uuid(Topics::TopicListId))
                    .col(text(Topics::Title))
                    .col(text_null(Topics::Description))
                    .col(integer(Topics::Position).default(0))
                    .primary_key(&mut pk(c::PK_TOPICS, [Topics::Id]))
                    .foreign_key(&mut fk(
                        Topics::Table,
                        Topics::TopicListId,
                        Topiclists::Table,
                        Topiclists::Id,
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_topics_topic_list",
                Topics::Table,
                [Topics::TopicListId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Topicselections::Table)
                    .col(uuid(Topicselections::Id))
                    .col(uuid(Topicselections::TopicId))
                    .col(big_integer(Topicselections::UserId))
                    .col(timestamp_now(db, Topicselections::SelectedAt))
                    .col(flag(Topicselections::IsConfirmed, false))
                    .col(big_integer_null(Topicselections::ConfirmedByUserId))
                    .primary_key(&mut pk(c::PK_TOPICSELECTIONS, [Topicselections::Id]))
                    .index(&mut unique(
                        c::UQ_TOPICSELECTIONS_TOPIC_USER,
                        [Topicselections::TopicId, Topicselections::UserId],
                    ))
                    .foreign_key(&mut fk(
                        Topicselections::Table,
                        Topicselections::TopicId,
                        Topics::Table,
                        Topics::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Topicselections::Table,
                        Topicselections::UserId,
                        Users::Table,
                        Users::TelegramId,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Topicselections::Table,
                        Topicselections::ConfirmedByUserId,
                        Users::Table,
                        Users::TelegramId,
                        SetNull,
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Adminaccesscodes::Table)
                    .col(uuid(Adminaccesscodes::Id))
                    .col(text(Adminaccesscodes::Code))
                    .col(flag(Adminaccesscodes::IsOneTime, false))
                    .col(timestamp_with_time_zone_null(Adminaccesscodes::ExpiresAt))
                    .col(timestamp_now(db, Adminaccesscodes::CreatedAt))
                    .col(flag(Adminaccesscodes::IsActive, true))
                    .primary_key(&mut pk(c::PK_ADMINACCESSCODES, [Adminaccesscodes::Id]))
                    .index(&mut unique(
                        c::UQ_ADMINACCESSCODES_CODE,
                        [Adminaccesscodes::Code],
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Changelog::Table)
                    // Column-level key: SQLite only accepts AUTOINCREMENT there.
                    .col(big_pk_auto(Changelog::Id))
                    .col(big_integer_null(Changelog::UserId))
                    .col(text(Changelog::ActionType))
                    .col(json_null(Changelog::Details))
                    .col(text(Changelog::EntityType))
                    .col(text_null(Changelog::EntityId))
                    .col(timestamp_now(db, Changelog::ChangedAt))
                    .col(uuid_null(Changelog::GroupId))
                    .foreign_key(&mut fk(
                        Changelog::Table,
                        Changelog::UserId,
                        Users::Table,
                        Users::TelegramId,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        Changelog::Table,
                        Changelog::GroupId,
                        Groups::Table,
                        Groups::Id,
                        SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_changelog_changed_at",
                Changelog::Table,
                [Changelog::ChangedAt],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_changelog_group",
                Changelog::Table,
                [Changelog::GroupId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Dialogues::Table)
                    .col(big_integer(Dialogues::UserId))
                    .col(json(Dialogues::State))
                    .col(timestamp_now(db, Dialogues::UpdatedAt))
                    .primary_key(&mut pk(c::PK_DIALOGUES, [Dialogues::UserId]))
                    .foreign_key(&mut fk(
                        Dialogues::Table,
                        Dialogues::UserId,
                        Users::Table,
                        Users::TelegramId,
                        Cascade,
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Processedupdates::Table)
                    .col(big_integer(Processedupdates::UpdateId))
                    .col(timestamp_now(db, Processedupdates::ReceivedAt))
                    .col(timestamp_with_time_zone_null(Processedupdates::HandledAt))
                    .primary_key(&mut pk(
                        c::PK_PROCESSEDUPDATES,
                        [Processedupdates::UpdateId],
                    ))
                    .take(),
            )
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Children before parents; indexes go with their tables.
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
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
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
