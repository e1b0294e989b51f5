//! Queues that took the default title stored it in their creator's language («Очередь», or
//! "Queue"), and every reader saw that. A queue without a title of its own now stores an empty
//! title, named in each reader's language when shown; the stored defaults become that.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The default titles as they were stored, in each language.
const DEFAULTS: [&str; 2] = ["Очередь", "Queue"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::update()
                    .table(Queues::Table)
                    .value(Queues::Title, "")
                    .and_where(Expr::col(Queues::Title).is_in(DEFAULTS))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::update()
                    .table(Queues::Table)
                    .value(Queues::Title, DEFAULTS[0])
                    .and_where(Expr::col(Queues::Title).eq(""))
                    .take(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Queues {
    Table,
    Title,
}
