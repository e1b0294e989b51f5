//! Homework on classes and the daily digests:
//!
//! - `homework`: a task for a class occurrence (the class and the date it is held) or for a
//!   plain due date, published or proposed by a member and waiting for approval;
//! - `homeworkfiles`: its attachments as Telegram sent them (file ids, in order);
//! - `homeworkdone`: a student's own «✅ Сделано» tick;
//! - `digestsettings`: a user's digest and class-ping choices (no row: the defaults);
//! - `digestmarks`: how far the digest planner has looked, so a restart neither repeats nor
//!   skips a minute;
//! - `timetables.post_digest`: the evening digest also goes to the group's bound chat.

use ForeignKeyAction::{Cascade, SetNull};
use sea_orm_migration::{prelude::*, schema::*};

use super::ddl::{NewTable, add_column, drop_column, drop_tables};
use crate::storage::constraints as c;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The group's tasks by due time (the list, the digests).
const IX_HOMEWORK_GROUP_DUE: &str = "ix_homework_group_id_due_at";
/// The tasks on one class's dates (the day and week screens).
const IX_HOMEWORK_CLASS: &str = "ix_homework_class_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        NewTable::new(Homework::Table)
            .col(uuid(Homework::Id))
            .col(uuid(Homework::GroupId))
            .col(uuid_null(Homework::ClassId))
            .col(text_null(Homework::Subject))
            .col(small_integer_null(Homework::Subgroup))
            .col(date(Homework::DueDate))
            .col(timestamp_with_time_zone(Homework::DueAt))
            .col(text(Homework::Body))
            .col(text(Homework::Status))
            .col(big_integer_null(Homework::AuthorId))
            .col(big_integer_null(Homework::ApprovedBy))
            .col(timestamp_with_time_zone(Homework::CreatedAt))
            .col(timestamp_with_time_zone_null(Homework::ApprovedAt))
            .pk(c::PK_HOMEWORK, [Homework::Id])
            .fk(Homework::GroupId, (Groups::Table, Groups::Id), Cascade)
            .fk(Homework::ClassId, (Classes::Table, Classes::Id), SetNull)
            .fk(
                Homework::AuthorId,
                (Users::Table, Users::TelegramId),
                SetNull,
            )
            .fk(
                Homework::ApprovedBy,
                (Users::Table, Users::TelegramId),
                SetNull,
            )
            .index(IX_HOMEWORK_GROUP_DUE, [Homework::GroupId, Homework::DueAt])
            .index(IX_HOMEWORK_CLASS, [Homework::ClassId])
            .create(manager)
            .await?;
        NewTable::new(Homeworkfiles::Table)
            .col(uuid(Homeworkfiles::HomeworkId))
            .col(small_integer(Homeworkfiles::Position))
            .col(text(Homeworkfiles::Kind))
            .col(text(Homeworkfiles::FileId))
            .pk(
                c::PK_HOMEWORKFILES,
                [Homeworkfiles::HomeworkId, Homeworkfiles::Position],
            )
            .fk(
                Homeworkfiles::HomeworkId,
                (Homework::Table, Homework::Id),
                Cascade,
            )
            .create(manager)
            .await?;
        NewTable::new(Homeworkdone::Table)
            .col(uuid(Homeworkdone::HomeworkId))
            .col(big_integer(Homeworkdone::UserId))
            .col(timestamp_with_time_zone(Homeworkdone::DoneAt))
            .pk(
                c::PK_HOMEWORKDONE,
                [Homeworkdone::HomeworkId, Homeworkdone::UserId],
            )
            .fk(
                Homeworkdone::HomeworkId,
                (Homework::Table, Homework::Id),
                Cascade,
            )
            .fk(
                Homeworkdone::UserId,
                (Users::Table, Users::TelegramId),
                Cascade,
            )
            .create(manager)
            .await?;
        NewTable::new(Digestsettings::Table)
            .col(big_integer(Digestsettings::UserId))
            .col(boolean(Digestsettings::EveningOn))
            .col(small_integer(Digestsettings::EveningMinute))
            .col(boolean(Digestsettings::MorningOn))
            .col(small_integer(Digestsettings::MorningMinute))
            .col(small_integer_null(Digestsettings::PingMinutes))
            .pk(c::PK_DIGESTSETTINGS, [Digestsettings::UserId])
            .fk(
                Digestsettings::UserId,
                (Users::Table, Users::TelegramId),
                Cascade,
            )
            .create(manager)
            .await?;
        NewTable::new(Digestmarks::Table)
            .col(text(Digestmarks::Name))
            .col(timestamp_with_time_zone(Digestmarks::DoneUntil))
            .pk(c::PK_DIGESTMARKS, [Digestmarks::Name])
            .create(manager)
            .await?;
        let post = boolean(Timetables::PostDigest).default(false).take();
        add_column(manager, Timetables::Table, post).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, Timetables::Table, Timetables::PostDigest).await?;
        drop_tables(
            manager,
            [
                Digestmarks::Table.into_iden(),
                Digestsettings::Table.into_iden(),
                Homeworkdone::Table.into_iden(),
                Homeworkfiles::Table.into_iden(),
                Homework::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Homework {
    Table,
    Id,
    GroupId,
    ClassId,
    Subject,
    Subgroup,
    DueDate,
    DueAt,
    Body,
    Status,
    AuthorId,
    ApprovedBy,
    CreatedAt,
    ApprovedAt,
}

#[derive(DeriveIden)]
enum Homeworkfiles {
    Table,
    HomeworkId,
    Position,
    Kind,
    FileId,
}

#[derive(DeriveIden)]
enum Homeworkdone {
    Table,
    HomeworkId,
    UserId,
    DoneAt,
}

#[derive(DeriveIden)]
enum Digestsettings {
    Table,
    UserId,
    EveningOn,
    EveningMinute,
    MorningOn,
    MorningMinute,
    PingMinutes,
}

#[derive(DeriveIden)]
enum Digestmarks {
    Table,
    Name,
    DoneUntil,
}

#[derive(DeriveIden)]
enum Timetables {
    Table,
    PostDigest,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Classes {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TelegramId,
}
