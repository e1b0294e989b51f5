//! One update pipeline for polling and webhooks: every received update is a row of `inbox`,
//! which now also orders a user's updates (`actor`), names the instance that holds a row
//! (`claimed_by`) and tells a decided update (`handled_at`) from a finished one (`done_at`).
//! `processedupdates`, the claims of the polling path, is gone: the inbox's key does its work.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

use super::ddl::{NewTable, drop_tables, timestamp_now};
use crate::storage::constraints as c;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One user's unfinished updates in order: the claim skips a user whose earlier update is not
/// finished, and finishing a row finds the user's next one.
const IX_INBOX_ACTOR: &str = "ix_inbox_unfinished_actor_update_id";
/// The claim's scan: unfinished rows in `update_id` order (read in index order, so the scan
/// stops at its limit and marks the entries of finished rows dead as it passes them).
const IX_INBOX_UNFINISHED: &str = "ix_inbox_unfinished_update_id";
/// The scan of the earlier version, on a column that now changes while a row is handled.
const IX_INBOX_PENDING: &str = "ix_inbox_handled_at_update_id";

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
        manager
            .drop_index(
                Index::drop()
                    .name(IX_INBOX_PENDING)
                    .table(Inbox::Table)
                    .to_owned(),
            )
            .await?;
        // Partial indexes over the unfinished rows only (both databases have them): they stay
        // as small as the work in hand however much history the table keeps, and the claim
        // reads them in `update_id` order, stopping at its limit.
        for (name, cols) in [
            (IX_INBOX_ACTOR, "actor, update_id"),
            (IX_INBOX_UNFINISHED, "update_id"),
        ] {
            manager
                .get_connection()
                .execute_unprepared(&format!(
                    "CREATE INDEX {name} ON inbox ({cols}) WHERE done_at IS NULL"
                ))
                .await?;
        }
        if manager.get_database_backend() == DbBackend::Postgres {
            // Room on each page for the row's new versions: claiming, deciding and renewing
            // change no indexed column, so they stay on the page (HOT) and leave no index
            // entries behind. Finished rows leave dead entries in the partial indexes: vacuum
            // after every 2,000 of them rather than after a fifth of the table.
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE inbox SET (fillfactor = 70, \
                     autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000)",
                )
                .await?;
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
        manager
            .create_index(
                Index::create()
                    .name(IX_INBOX_PENDING)
                    .table(Inbox::Table)
                    .col(Inbox::HandledAt)
                    .col(Inbox::UpdateId)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE inbox RESET (fillfactor, autovacuum_vacuum_scale_factor, \
                     autovacuum_vacuum_threshold)",
                )
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

#[derive(DeriveIden, Clone, Copy)]
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
