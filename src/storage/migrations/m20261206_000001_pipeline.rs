//! One update pipeline for polling and webhooks: every received update is a row of `inbox`,
//! which now also orders a user's updates (`actor`), names the instance that holds a row
//! (`claimed_by`) and tells a decided update (`handled_at`) from a finished one (`done_at`).
//! `processedupdates`, the claims of the polling path, is gone: the inbox's key does its work.

use sea_orm_migration::{prelude::*, schema::*};

use super::ddl::{NewTable, drop_tables, timestamp_now};
use crate::storage::constraints as c;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One user's unfinished updates in order: the claim skips a user whose earlier update is not
/// finished.
const IX_INBOX_ACTOR: &str = "ix_inbox_actor_update_id";
/// The claim's scan: unfinished rows in `update_id` order.
const IX_INBOX_UNFINISHED: &str = "ix_inbox_done_at_update_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let columns = [
            big_integer(Inbox::Actor).default(0).take(),
            string_null(Inbox::ClaimedBy),
            timestamp_with_time_zone_null(Inbox::DoneAt),
        ];
        for column in columns {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Inbox::Table)
                        .add_column(&mut column)
                        .take(),
                )
                .await?;
        }
        // Rows handled before this version are finished.
        manager
            .exec_stmt(
                Query::update()
                    .table(Inbox::Table)
                    .value(Inbox::DoneAt, Expr::col(Inbox::HandledAt))
                    .and_where(Expr::col(Inbox::HandledAt).is_not_null())
                    .take(),
            )
            .await?;
        for (name, cols) in [
            (IX_INBOX_ACTOR, [Inbox::Actor, Inbox::UpdateId]),
            (IX_INBOX_UNFINISHED, [Inbox::DoneAt, Inbox::UpdateId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Inbox::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index).await?;
        }
        drop_tables(manager, [Processedupdates::Table.into_iden()]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        NewTable::new(Processedupdates::Table)
            .col(big_integer(Processedupdates::UpdateId))
            .col(timestamp_now(db, Processedupdates::ReceivedAt))
            .col(timestamp_with_time_zone_null(Processedupdates::HandledAt))
            .pk(c::PK_PROCESSEDUPDATES, [Processedupdates::UpdateId])
            .create(manager)
            .await?;
        for name in [IX_INBOX_ACTOR, IX_INBOX_UNFINISHED] {
            manager
                .drop_index(Index::drop().name(name).table(Inbox::Table).to_owned())
                .await?;
        }
        for column in [Inbox::DoneAt, Inbox::ClaimedBy, Inbox::Actor] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Inbox::Table)
                        .drop_column(column)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Inbox {
    Table,
    UpdateId,
    Actor,
    ClaimedBy,
    HandledAt,
    DoneAt,
}

#[derive(DeriveIden)]
enum Processedupdates {
    Table,
    UpdateId,
    ReceivedAt,
    HandledAt,
}
