//! `timetables.post_changes`: the group wants the next day's timetable changes posted to its
//! bound group chat in the evening (off until the leader turns it on).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::boolean;

use super::ddl::{add_column, drop_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let post = boolean(Timetables::PostChanges).default(false).take();
        add_column(manager, Timetables::Table, post).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, Timetables::Table, Timetables::PostChanges).await
    }
}

#[derive(DeriveIden)]
enum Timetables {
    Table,
    PostChanges,
}
