//! Schema migrations, applied in order by [`Migrator`] (see [`crate::storage::migrate`]).

use sea_orm_migration::prelude::*;

mod ddl;
mod m20261125_000001_initial;
mod m20261125_000002_outbox;
mod m20261125_000003_inbox;
mod m20261125_000004_admin;
mod m20261125_000005_chats;
mod m20261206_000001_pipeline;
mod m20261206_000002_live_touched;
mod m20261206_000003_fair_queues;
mod m20261206_000004_timetable;
mod m20261206_000010_timetable_post_changes;
mod m20261206_000020_queue_screens;
mod m20261206_000021_unnamed_queues;
mod m20261207_000001_homework_digests;

/// Runs the bot's migrations; progress is recorded in the `seaql_migrations` table.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_initial::Migration),
            Box::new(m20261125_000002_outbox::Migration),
            Box::new(m20261125_000003_inbox::Migration),
            Box::new(m20261125_000004_admin::Migration),
            Box::new(m20261125_000005_chats::Migration),
            Box::new(m20261206_000001_pipeline::Migration),
            Box::new(m20261206_000002_live_touched::Migration),
            Box::new(m20261206_000003_fair_queues::Migration),
            Box::new(m20261206_000004_timetable::Migration),
            Box::new(m20261206_000010_timetable_post_changes::Migration),
            Box::new(m20261206_000020_queue_screens::Migration),
            Box::new(m20261206_000021_unnamed_queues::Migration),
            Box::new(m20261207_000001_homework_digests::Migration),
        ]
    }
}
