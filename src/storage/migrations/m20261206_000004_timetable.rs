//! The class timetable: `timetables` (a group's semester and bells), `classes` (the weekly
//! classes), `classchanges` (one date's cancellations, moves and extra classes) and
//! `subgroupmembers` (each member's subgroup).

use ForeignKeyAction::Cascade;
use sea_orm_migration::{prelude::*, schema::*};

use super::ddl::{NewTable, drop_tables, flag};
use crate::storage::constraints as c;

#[derive(DeriveMigrationName)]
pub struct Migration;

const GROUP: (Groups, Groups) = (Groups::Table, Groups::Id);
const CLASS: (Classes, Classes) = (Classes::Table, Classes::Id);
const MEMBER: (Groupmembers, Groupmembers) = (Groupmembers::Table, Groupmembers::Id);

/// A group's classes, read by every timetable screen.
const IX_CLASSES_GROUP: &str = "ix_classes_group_id";
/// A group's changes in a range of dates.
const IX_CLASSCHANGES_GROUP_DATE: &str = "ix_classchanges_group_id_on_date";
/// The members of a group's subgroups.
const IX_SUBGROUPMEMBERS_GROUP: &str = "ix_subgroupmembers_group_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        NewTable::new(Timetables::Table)
            .col(uuid(Timetables::GroupId))
            .col(date(Timetables::FirstDay))
            .col(date(Timetables::LastDay))
            .col(flag(Timetables::FirstWeekOdd, true))
            .col(json_null(Timetables::Bells))
            .col(timestamp_with_time_zone(Timetables::UpdatedAt))
            .pk(c::PK_TIMETABLES, [Timetables::GroupId])
            .fk(Timetables::GroupId, GROUP, Cascade)
            .create(manager)
            .await?;
        NewTable::new(Classes::Table)
            .col(uuid(Classes::Id))
            .col(uuid(Classes::GroupId))
            .col(small_integer(Classes::Weekday))
            .col(small_integer(Classes::Pair))
            .col(text(Classes::Subject))
            .col(text(Classes::Kind))
            .col(text_null(Classes::Teacher))
            .col(text_null(Classes::Room))
            .col(text(Classes::Weeks))
            .col(json_null(Classes::Dates))
            .col(small_integer_null(Classes::Subgroup))
            .col(timestamp_with_time_zone(Classes::CreatedAt))
            .pk(c::PK_CLASSES, [Classes::Id])
            .fk(Classes::GroupId, GROUP, Cascade)
            .index(IX_CLASSES_GROUP, [Classes::GroupId])
            .create(manager)
            .await?;
        NewTable::new(Classchanges::Table)
            .col(uuid(Classchanges::Id))
            .col(uuid(Classchanges::GroupId))
            .col(uuid_null(Classchanges::ClassId))
            .col(date(Classchanges::OnDate))
            .col(text(Classchanges::Kind))
            .col(date_null(Classchanges::NewDate))
            .col(small_integer_null(Classchanges::NewPair))
            .col(text_null(Classchanges::NewRoom))
            .col(text_null(Classchanges::Subject))
            .col(text_null(Classchanges::ClassKind))
            .col(text_null(Classchanges::Teacher))
            .col(small_integer_null(Classchanges::Subgroup))
            .col(timestamp_with_time_zone(Classchanges::CreatedAt))
            .pk(c::PK_CLASSCHANGES, [Classchanges::Id])
            .unique(
                c::UQ_CLASSCHANGES_CLASS_DATE,
                [Classchanges::ClassId, Classchanges::OnDate],
            )
            .fk(Classchanges::GroupId, GROUP, Cascade)
            .fk(Classchanges::ClassId, CLASS, Cascade)
            .index(
                IX_CLASSCHANGES_GROUP_DATE,
                [Classchanges::GroupId, Classchanges::OnDate],
            )
            .create(manager)
            .await?;
        NewTable::new(Subgroupmembers::Table)
            .col(uuid(Subgroupmembers::MemberId))
            .col(uuid(Subgroupmembers::GroupId))
            .col(big_integer(Subgroupmembers::UserId))
            .col(small_integer(Subgroupmembers::Subgroup))
            .pk(c::PK_SUBGROUPMEMBERS, [Subgroupmembers::MemberId])
            .fk(Subgroupmembers::MemberId, MEMBER, Cascade)
            .index(IX_SUBGROUPMEMBERS_GROUP, [Subgroupmembers::GroupId])
            .create(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            Subgroupmembers::Table.into_iden(),
            Classchanges::Table.into_iden(),
            Classes::Table.into_iden(),
            Timetables::Table.into_iden(),
        ];
        drop_tables(manager, tables).await
    }
}

#[derive(DeriveIden)]
enum Timetables {
    Table,
    GroupId,
    FirstDay,
    LastDay,
    FirstWeekOdd,
    Bells,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Classes {
    Table,
    Id,
    GroupId,
    Weekday,
    Pair,
    Subject,
    Kind,
    Teacher,
    Room,
    Weeks,
    Dates,
    Subgroup,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Classchanges {
    Table,
    Id,
    GroupId,
    ClassId,
    OnDate,
    Kind,
    NewDate,
    NewPair,
    NewRoom,
    Subject,
    ClassKind,
    Teacher,
    Subgroup,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Subgroupmembers {
    Table,
    MemberId,
    GroupId,
    UserId,
    Subgroup,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Groupmembers {
    Table,
    Id,
}
