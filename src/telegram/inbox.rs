//! Webhook mode: the inbox.
//!
//! Telegram forgets a webhook update when the bot answers 200. The endpoint therefore stores the
//! update in `inbox` first and answers only then; a worker on every instance claims unhandled rows
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so instances share the work without waiting on each
//! other), hands them to `Processor::process_batch` (per-user order, `processedupdates` claims)
//! and marks them handled. Rows left unhandled by a stop or a crash are claimed again.

use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend,
    DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use teloxide::types::Update;
use tokio::sync::{Notify, watch};

use super::updates::{Processor, stored_once};
use crate::storage::entities::inbox;

/// Rows one worker claims at a time.
const INBOX_BATCH: u64 = 100;
/// How long a claim on inbox rows lasts; a worker that died leaves rows that others take over
/// after this.
const INBOX_LEASE: chrono::Duration = chrono::Duration::minutes(5);
/// An idle worker looks for rows (stored by another instance, or left by a restart) this often.
const INBOX_IDLE_POLL: Duration = Duration::from_millis(500);
/// Handled rows are kept this long (for inspection), then deleted.
const INBOX_KEEP: chrono::Duration = chrono::Duration::days(1);
/// How often handled rows are pruned.
const INBOX_PRUNE_EVERY: Duration = Duration::from_secs(600);

/// Stores a webhook update durably. `Ok(false)`: this `update_id` was stored before (Telegram
/// delivered it again), nothing was written.
pub async fn store_in_inbox(
    db: &impl ConnectionTrait,
    update_id: i64,
    payload: serde_json::Value,
) -> Result<bool, DbErr> {
    let inserted = inbox::Entity::insert(inbox::ActiveModel {
        update_id: Set(update_id),
        payload: Set(payload),
        received_at: Set(Utc::now()),
        claimed_until: Set(None),
        handled_at: Set(None),
    })
    .on_conflict(stored_once(inbox::Column::UpdateId))
    .exec_without_returning(db)
    .await?;
    Ok(inserted > 0)
}

/// Inbox rows not handled yet.
pub async fn inbox_pending(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    inbox::Entity::find()
        .filter(inbox::Column::HandledAt.is_null())
        .count(db)
        .await
}

/// Claims up to `limit` unhandled, unclaimed (or expired) rows, oldest first.
async fn claim_inbox(db: &DatabaseConnection, limit: u64) -> Result<Vec<inbox::Model>, DbErr> {
    let now = Utc::now();
    let txn = crate::storage::begin_write(db).await?;
    let mut query = inbox::Entity::find()
        .filter(inbox::Column::HandledAt.is_null())
        .filter(
            Condition::any()
                .add(inbox::Column::ClaimedUntil.is_null())
                .add(inbox::Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(inbox::Column::UpdateId)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        // SQLite has no row locks; its write transaction (BEGIN IMMEDIATE) excludes others.
        query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = query.all(&txn).await?;
    if !rows.is_empty() {
        inbox::Entity::update_many()
            .set(inbox::ActiveModel {
                claimed_until: Set(Some(now + INBOX_LEASE)),
                ..Default::default()
            })
            .filter(inbox::Column::UpdateId.is_in(rows.iter().map(|row| row.update_id)))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(rows)
}

async fn finish_inbox(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<(), DbErr> {
    inbox::Entity::update_many()
        .set(inbox::ActiveModel {
            handled_at: Set(Some(Utc::now())),
            ..Default::default()
        })
        .filter(inbox::Column::UpdateId.is_in(ids))
        .exec(db)
        .await?;
    Ok(())
}

async fn prune_inbox(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    inbox::Entity::delete_many()
        .filter(inbox::Column::HandledAt.lt(Utc::now() - INBOX_KEEP))
        .exec(db)
        .await?;
    Ok(())
}

/// An update from its JSON. Through text on purpose: teloxide's `Update` borrows strings while
/// deserialising, which a `serde_json::Value` cannot lend, and would turn into an unknown kind.
pub fn parse_update(payload: &serde_json::Value) -> Result<Update, serde_json::Error> {
    serde_json::from_str(&payload.to_string())
}

/// The inbox worker: handles stored webhook updates until `shutdown` turns true (the batch in
/// hand is finished first). `wake` is notified when the endpoint stored a row.
pub async fn work_inbox(processor: &Processor, wake: &Notify, mut shutdown: watch::Receiver<bool>) {
    let db = &processor.ctx().db;
    let mut failures: u32 = 0;
    let mut last_prune: Option<Instant> = None;
    while !*shutdown.borrow() {
        let delay = match claim_inbox(db, INBOX_BATCH).await {
            Ok(rows) if rows.is_empty() => {
                failures = 0;
                if last_prune.is_none_or(|at| at.elapsed() >= INBOX_PRUNE_EVERY) {
                    last_prune = Some(Instant::now());
                    if let Err(err) = prune_inbox(db).await {
                        tracing::warn!(%err, "could not prune handled inbox rows");
                    }
                }
                tokio::select! {
                    _ = shutdown.changed() => break,
                    () = wake.notified() => {}
                    () = tokio::time::sleep(INBOX_IDLE_POLL) => {}
                }
                continue;
            }
            Ok(rows) => {
                failures = 0;
                let ids: Vec<i64> = rows.iter().map(|row| row.update_id).collect();
                let updates: Vec<Update> = rows
                    .into_iter()
                    .filter_map(|row| match parse_update(&row.payload) {
                        Ok(update) => Some(update),
                        Err(err) => {
                            tracing::warn!(update_id = row.update_id, %err, "an inbox update does not parse; dropping it");
                            None
                        }
                    })
                    .collect();
                processor.process_batch(updates).await;
                if let Err(err) = finish_inbox(db, ids).await {
                    // The rows come back after their lease; `processedupdates` skips them then.
                    tracing::warn!(%err, "could not mark inbox rows handled");
                }
                continue;
            }
            Err(err) => {
                failures = failures.saturating_add(1);
                let delay = Duration::from_millis(250u64 << failures.min(5));
                crate::storage::report_failure();
                tracing::warn!(%err, ?delay, "cannot read the inbox; retrying");
                delay
            }
        };
        tokio::select! {
            _ = shutdown.changed() => break,
            () = tokio::time::sleep(delay) => {}
        }
    }
}
