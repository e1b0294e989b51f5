//! `livemessages.touched_at`: a change made on an instance that does not edit live messages
//! (only the sender does) marks them here, in the database every instance shares.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::timestamp_with_time_zone_null;

use super::ddl::{add_column, drop_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let touched_at = timestamp_with_time_zone_null(Livemessages::TouchedAt);
        add_column(manager, Livemessages::Table, touched_at).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, Livemessages::Table, Livemessages::TouchedAt).await
    }
}

#[derive(DeriveIden)]
enum Livemessages {
    Table,
    TouchedAt,
}
