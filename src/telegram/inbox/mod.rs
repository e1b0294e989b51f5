//! The inbox: every update the bot receives, by webhook or by polling, is a row here before
//! Telegram is told it arrived, and the inbox workers of all instances handle the rows.
//!
//! A row goes through three marks:
//! - **claimed** (`claimed_by`, `claimed_until`): one instance holds it; the holder renews the
//!   lease every [`RENEW_EVERY`], so a row of an instance that died is free again at most
//!   [`LEASE`] after its last renewal;
//! - **handled** (`handled_at`): its outcome is decided — written in the transaction of the
//!   change it makes (the [`Claim`] fence of the unit of work), or just before its first answer
//!   is sent. From here on the update is never handled again: a row handled but left unfinished
//!   by a dead instance is only finished;
//! - **done** (`done_at`): finished; the same user's next update may start.
//!
//! One user's updates (one `actor`) are claimed strictly one after another: the claim skips a
//! row while an earlier row of its actor is unfinished, on every instance. Finishing a row
//! claims the actor's next row in the same statement, so a user's burst is handled in order by
//! one task without a round through the claim. Different users never wait for each other.
//! The worker that does this is in [`worker`].

mod batch;
mod marks;
mod worker;

pub use worker::{Handed, Handoff, handoff, work};

use batch::Batcher;
use marks::{decide_many, finish_many, store_many};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, Statement, Value,
};
use teloxide::types::Update;
use tokio::sync::watch;

use crate::storage::entities::inbox;

/// How long a claim lasts without renewal: an instance that died leaves its rows to the others
/// this long after it last renewed them (the holder renews every [`worker::RENEW_EVERY`]).
pub const LEASE: Duration = Duration::from_secs(6);
/// A row whose handling failed before anything was decided (the database failed) is tried again
/// after this.
const RETRY_AFTER: Duration = Duration::from_secs(2);
/// Statements of one kind (decide, finish, store) an instance runs at once: enough that a mark
/// seldom waits for another's statement, few enough that under load they gather into batches.
const IN_FLIGHT: usize = 3;
/// Finished rows are kept this long (for inspection), then deleted.
const KEEP: chrono::Duration = chrono::Duration::days(1);

/// Bumped whenever this process finishes an update (tests wait on it instead of sleeping).
pub(super) static FINISHED: std::sync::LazyLock<watch::Sender<u64>> =
    std::sync::LazyLock::new(|| watch::channel(0).0);

/// Changes whenever an inbox worker of this process finishes an update.
pub fn finished() -> watch::Receiver<u64> {
    FINISHED.subscribe()
}

fn later(now: DateTime<Utc>, after: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(after).unwrap_or_default()
}

/// Whose update this is, from its JSON: the user who sent it, else its chat. One actor's
/// updates are handled in order.
pub fn actor_of(payload: &serde_json::Value) -> i64 {
    let Some(object) = payload.as_object() else {
        return 0;
    };
    let Some(kind) = object.iter().find(|(key, _)| *key != "update_id") else {
        return 0;
    };
    let body = kind.1;
    let id = |path: [&str; 2]| body.get(path[0])?.get(path[1])?.as_i64();
    id(["from", "id"])
        .or_else(|| id(["chat", "id"]))
        .or_else(|| body.get("message")?.get("chat")?.get("id")?.as_i64())
        .unwrap_or(0)
}

/// An update from its JSON. Through text on purpose: teloxide's `Update` borrows strings while
/// deserialising, which a `serde_json::Value` cannot lend, and would turn into an unknown kind.
pub fn parse_update(payload: &serde_json::Value) -> Result<Update, serde_json::Error> {
    serde_json::from_str(&payload.to_string())
}

fn row(update_id: i64, payload: serde_json::Value, now: DateTime<Utc>) -> inbox::ActiveModel {
    inbox::ActiveModel {
        update_id: Set(update_id),
        actor: Set(actor_of(&payload)),
        payload: Set(payload),
        received_at: Set(now),
        claimed_by: Set(None),
        claimed_until: Set(None),
        handled_at: Set(None),
        done_at: Set(None),
    }
}

/// Stores one update durably. `Ok(false)`: this `update_id` was stored before (Telegram
/// delivered it again), nothing was written.
pub async fn store(
    db: &impl ConnectionTrait,
    update_id: i64,
    payload: serde_json::Value,
) -> Result<bool, DbErr> {
    let inserted = inbox::Entity::insert(row(update_id, payload, Utc::now()))
        .on_conflict(super::updates::stored_once(inbox::Column::UpdateId))
        .exec_without_returning(db)
        .await?;
    Ok(inserted > 0)
}

/// Rows not finished yet.
pub async fn pending(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    inbox::Entity::find()
        .filter(inbox::Column::DoneAt.is_null())
        .count(db)
        .await
}

/// How many updates were decided after `since`, on any instance, among the latest
/// [`RECENT`] stored: about as many replies as the bot's instances are sending now (the sender
/// leaves them room in Telegram's count). One statement over the primary key's last entries.
pub async fn decided_since(db: &impl ConnectionTrait, since: DateTime<Utc>) -> Result<u64, DbErr> {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM (SELECT handled_at FROM inbox \
         ORDER BY update_id DESC LIMIT {RECENT}) recent WHERE recent.handled_at > $1"
    );
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(statement(backend, &sql, vec![since.into()]))
        .await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or_default())
}

/// The latest updates [`decided_since`] looks at: more than two seconds of any reply rate
/// Telegram allows.
const RECENT: u64 = 128;

/// A claimed row, as the worker needs it.
#[derive(Debug, FromQueryResult)]
pub struct Claimed {
    pub update_id: i64,
    pub payload: serde_json::Value,
}

/// A statement written with `$1, $2, …` (a placeholder may come more than once), for
/// `backend`: SQLite's numbered placeholders are `?1, ?2, …`.
fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => sql.to_owned(),
        _ => sql.replace('$', "?"),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// `$from, $from+1, …`: one placeholder for each of `count` values.
fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What storing a polled batch gave: the rows this instance claimed as it stored them, the
/// users whose new rows wait behind an earlier unfinished update of theirs, and whether rows
/// were left for want of free slots.
#[derive(Debug, Default)]
pub struct Stored {
    pub claimed: Vec<Claimed>,
    pub waiting: Vec<i64>,
    pub left: bool,
}

/// One instance's access to the inbox: its name in `claimed_by`, and the statements. The
/// marks every update needs — deciding it before a read-only answer, finishing it — are asked
/// for by many tasks at once and go to the database in batches ([`batch`]).
#[derive(Clone)]
pub struct Inbox {
    db: DatabaseConnection,
    instance: Arc<str>,
    decides: Batcher<i64, bool>,
    finishes: Batcher<i64, Option<Claimed>>,
    stores: Batcher<(i64, serde_json::Value), bool>,
}

impl Inbox {
    /// Must be called inside the runtime: it starts the batches' tasks.
    pub fn new(db: DatabaseConnection) -> Self {
        let instance: Arc<str> = format!("instance-{}", uuid::Uuid::new_v4().simple()).into();
        let decides = Batcher::spawn(IN_FLIGHT, {
            let (db, instance) = (db.clone(), Arc::clone(&instance));
            move |ids: Vec<i64>| {
                let (db, instance) = (db.clone(), Arc::clone(&instance));
                async move { decide_many(&db, &instance, &ids).await }
            }
        });
        let finishes = Batcher::spawn(IN_FLIGHT, {
            let (db, instance) = (db.clone(), Arc::clone(&instance));
            move |ids: Vec<i64>| {
                let (db, instance) = (db.clone(), Arc::clone(&instance));
                async move { finish_many(&db, &instance, &ids).await }
            }
        });
        let stores = Batcher::spawn(IN_FLIGHT, {
            let db = db.clone();
            move |updates: Vec<(i64, serde_json::Value)>| {
                let db = db.clone();
                async move { store_many(&db, updates).await }
            }
        });
        Self {
            db,
            instance,
            decides,
            finishes,
            stores,
        }
    }

    /// Stores one update durably, together with the others posted meanwhile (webhook
    /// deliveries). `Ok(false)`: this `update_id` was stored before (Telegram delivered it
    /// again), nothing was written.
    pub async fn store(&self, update_id: i64, payload: serde_json::Value) -> Result<bool, DbErr> {
        self.stores.call((update_id, payload)).await
    }

    /// Stores a polled batch (ids stored before are skipped) and claims, in the same
    /// statement, the first row of each user who has no unfinished update — at most `limit`
    /// of them, oldest first: only the poller stores rows, so no other instance stores an
    /// earlier row of the same user meanwhile.
    pub async fn store_and_claim(
        &self,
        updates: Vec<(i64, serde_json::Value)>,
        limit: usize,
    ) -> Result<Stored, DbErr> {
        if updates.is_empty() {
            return Ok(Stored::default());
        }
        let now = Utc::now();
        let mut values: Vec<Value> = vec![
            now.into(),
            self.instance.to_string().into(),
            later(now, LEASE).into(),
        ];
        let mut stored = Stored::default();
        // The users' first rows in this batch: the ones that may be claimed now. A later row
        // of the same user follows its first when that one finishes.
        let mut firsts = std::collections::HashSet::new();
        let mut actors = std::collections::HashSet::new();
        let mut rows = Vec::with_capacity(updates.len());
        let mut updates = updates;
        updates.sort_by_key(|(update_id, _)| *update_id);
        for (update_id, payload) in updates {
            let actor = actor_of(&payload);
            let n = values.len();
            let (id, who, body) = (n + 1, n + 2, n + 3);
            values.extend([update_id.into(), actor.into(), payload.into()]);
            let first = actors.insert(actor);
            rows.push(if first && actors.len() <= limit {
                firsts.insert(update_id);
                let free = format!(
                    "NOT EXISTS (SELECT 1 FROM inbox AS e WHERE e.actor = ${who} \
                     AND e.done_at IS NULL)"
                );
                format!(
                    "(${id}, ${who}, ${body}, $1, CASE WHEN {free} THEN $2 END, \
                     CASE WHEN {free} THEN $3 END)"
                )
            } else {
                // Beyond the limit: left to the claim of any instance.
                stored.left |= first;
                format!("(${id}, ${who}, ${body}, $1, NULL, NULL)")
            });
        }
        let sql = format!(
            "INSERT INTO inbox (update_id, actor, payload, received_at, claimed_by, \
               claimed_until) VALUES {} \
             ON CONFLICT (update_id) DO NOTHING \
             RETURNING update_id, payload, claimed_by",
            rows.join(", ")
        );
        #[derive(FromQueryResult)]
        struct Inserted {
            update_id: i64,
            payload: serde_json::Value,
            claimed_by: Option<String>,
        }
        let inserted = Inserted::find_by_statement(statement(self.backend(), &sql, values))
            .all(&self.db)
            .await?;
        for row in inserted {
            if row.claimed_by.is_some() {
                stored.claimed.push(Claimed {
                    update_id: row.update_id,
                    payload: row.payload,
                });
            } else if firsts.contains(&row.update_id) {
                // Its user's earlier update is unfinished: finishing that one claims this
                // one, unless it finished just as this was stored (see `Handoff::follow`).
                stored.waiting.push(actor_of(&row.payload));
            }
        }
        stored.claimed.sort_by_key(|row| row.update_id);
        Ok(stored)
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Claims up to `limit` rows nobody holds, oldest first, skipping users with an earlier
    /// unfinished update. On PostgreSQL instances skip each other's rows being claimed
    /// (`SKIP LOCKED`); SQLite serialises writers. The scan reads the partial index of
    /// unfinished rows in order and stops at the limit; "not decided yet" is checked on the rows
    /// found, outside the scan, so that the planner (which takes the columns as independent and
    /// would expect almost no row there) keeps to that plan. A decided row whose holder died is
    /// skipped here and finished by [`finish_abandoned`](Self::finish_abandoned).
    pub async fn claim(&self, limit: usize) -> Result<Vec<Claimed>, DbErr> {
        let now = Utc::now();
        let lock = match self.backend() {
            DbBackend::Postgres => "FOR UPDATE SKIP LOCKED",
            _ => "",
        };
        let sql = format!(
            "UPDATE inbox SET claimed_by = $1, claimed_until = $2 \
             WHERE update_id IN ( \
               SELECT i.update_id FROM inbox AS i \
               WHERE i.done_at IS NULL \
                 AND (i.claimed_until IS NULL OR i.claimed_until < $3) \
                 AND NOT EXISTS (SELECT 1 FROM inbox AS e WHERE e.actor = i.actor \
                   AND e.done_at IS NULL AND e.update_id < i.update_id) \
               ORDER BY i.update_id LIMIT $4 {lock}) \
               AND handled_at IS NULL \
             RETURNING update_id, payload"
        );
        let values = vec![
            self.instance.to_string().into(),
            later(now, LEASE).into(),
            now.into(),
            (limit as i64).into(),
        ];
        let mut rows = Claimed::find_by_statement(statement(self.backend(), &sql, values))
            .all(&self.db)
            .await?;
        rows.sort_by_key(|row| row.update_id);
        Ok(rows)
    }

    /// Finishes `update_id` and claims its actor's next update, if one is waiting and free.
    pub async fn finish(&self, update_id: i64) -> Result<Option<Claimed>, DbErr> {
        self.finishes.call(update_id).await
    }

    /// Claims `actor`'s oldest unfinished row, if it is free: the one stored just as the
    /// actor's previous row was finished here, which that finish could not see yet.
    pub async fn claim_next_of(&self, actor: i64) -> Result<Option<Claimed>, DbErr> {
        let now = Utc::now();
        let sql = "UPDATE inbox SET claimed_by = $1, claimed_until = $2 \
                   WHERE update_id = (SELECT min(update_id) FROM inbox \
                       WHERE actor = $3 AND done_at IS NULL) \
                     AND handled_at IS NULL AND (claimed_until IS NULL OR claimed_until < $4) \
                   RETURNING update_id, payload";
        let values = vec![
            self.instance.to_string().into(),
            later(now, LEASE).into(),
            actor.into(),
            now.into(),
        ];
        Claimed::find_by_statement(statement(self.backend(), sql, values))
            .one(&self.db)
            .await
    }

    /// Gives a row back undecided (its handling failed before anything happened): it is
    /// handled again after [`RETRY_AFTER`], here or elsewhere.
    pub async fn release(&self, update_id: i64) -> Result<(), DbErr> {
        let sql = "UPDATE inbox SET claimed_by = NULL, claimed_until = $1 \
                   WHERE update_id = $2 AND claimed_by = $3 AND handled_at IS NULL";
        let values = vec![
            later(Utc::now(), RETRY_AFTER).into(),
            update_id.into(),
            self.instance.to_string().into(),
        ];
        self.db
            .execute_raw(statement(self.backend(), sql, values))
            .await?;
        Ok(())
    }

    /// Marks `update_id` handled, in `conn` (the change's transaction, or on its own) — if this
    /// instance still holds it. `false`: the lease was lost (another instance took the row
    /// over), so nothing may be changed or sent for it here.
    pub async fn decide(&self, conn: &impl ConnectionTrait, update_id: i64) -> Result<bool, DbErr> {
        let sql = "UPDATE inbox SET handled_at = COALESCE(handled_at, $1) \
                   WHERE update_id = $2 AND claimed_by = $3 AND done_at IS NULL";
        let values = vec![
            Utc::now().into(),
            update_id.into(),
            self.instance.to_string().into(),
        ];
        let result = conn
            .execute_raw(statement(self.backend(), sql, values))
            .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Renews the leases of the rows `ids`, as far as this instance still holds them.
    pub async fn renew(&self, ids: &[i64]) -> Result<(), DbErr> {
        inbox::Entity::update_many()
            .set(inbox::ActiveModel {
                claimed_until: Set(Some(later(Utc::now(), LEASE))),
                ..Default::default()
            })
            .filter(inbox::Column::UpdateId.is_in(ids.iter().copied()))
            .filter(inbox::Column::ClaimedBy.eq(self.instance.as_ref()))
            .filter(inbox::Column::DoneAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Finishes the rows that a dead instance had decided but not finished: they are not
    /// handled again (their answer may have gone out), and their users' next updates may go.
    pub async fn finish_abandoned(&self) -> Result<u64, DbErr> {
        let now = Utc::now();
        let sql = "UPDATE inbox SET done_at = $1 \
                   WHERE done_at IS NULL AND handled_at IS NOT NULL AND claimed_until < $2";
        let result = self
            .db
            .execute_raw(statement(self.backend(), sql, vec![now.into(), now.into()]))
            .await?;
        Ok(result.rows_affected())
    }

    pub(super) async fn prune(&self) -> Result<(), DbErr> {
        inbox::Entity::delete_many()
            .filter(inbox::Column::DoneAt.lt(Utc::now() - KEEP))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

/// The claim on one update while it is handled: the fence of its unit of work and the gate of
/// its answers. Whichever comes first — the change's commit or the first request to Telegram —
/// marks the update handled; if the lease was lost meanwhile, neither happens.
pub struct Claim {
    inbox: Inbox,
    update_id: i64,
    decided: AtomicBool,
}

/// The update was taken over by another instance: nothing more may be done for it here.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the update was taken over by another instance")]
pub struct TakenOver;

impl Claim {
    pub(super) fn new(inbox: Inbox, update_id: i64) -> Self {
        Self {
            inbox,
            update_id,
            decided: AtomicBool::new(false),
        }
    }

    /// Whether the update's outcome was decided (a change committed or an answer sent).
    pub fn decided(&self) -> bool {
        self.decided.load(Ordering::Acquire)
    }

    /// Marks the update handled before its first answer is sent (once).
    pub async fn open(&self) -> Result<(), TakenOver> {
        if self.decided() {
            return Ok(());
        }
        match self.inbox.decides.call(self.update_id).await {
            Ok(true) => {
                self.decided.store(true, Ordering::Release);
                Ok(())
            }
            Ok(false) => Err(TakenOver),
            Err(err) => {
                crate::storage::report_failure();
                tracing::warn!(update_id = self.update_id, %err, "could not mark an update handled; not answering");
                Err(TakenOver)
            }
        }
    }
}

impl super::api::SendGate for Claim {
    fn open(&self) -> BoxFuture<'_, Result<(), super::api::GateClosed>> {
        Box::pin(async move {
            Claim::open(self)
                .await
                .map_err(|TakenOver| super::api::GateClosed)
        })
    }
}

impl crate::uow::Fence for Claim {
    fn hold<'a>(
        &'a self,
        txn: &'a sea_orm::DatabaseTransaction,
    ) -> BoxFuture<'a, Result<(), DbErr>> {
        Box::pin(async move {
            if self.inbox.decide(txn, self.update_id).await? {
                Ok(())
            } else {
                Err(DbErr::Custom(TakenOver.to_string()))
            }
        })
    }

    fn committed(&self) {
        self.decided.store(true, Ordering::Release);
    }
}

#[cfg(test)]
mod store_tests;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_actor_is_the_sender_else_the_chat() {
        let message = json!({"update_id": 1, "message": {"from": {"id": 7}, "chat": {"id": -5}}});
        assert_eq!(actor_of(&message), 7);
        let press = json!({"update_id": 2, "callback_query": {"from": {"id": 8}, "message": {"chat": {"id": 9}}}});
        assert_eq!(actor_of(&press), 8);
        let post = json!({"update_id": 3, "channel_post": {"chat": {"id": -100}}});
        assert_eq!(actor_of(&post), -100);
        assert_eq!(actor_of(&json!({"update_id": 4})), 0);
        assert_eq!(actor_of(&json!([1, 2])), 0);
    }

    #[test]
    fn placeholders_follow_the_backend() {
        let sql = "UPDATE t SET a = $1 WHERE b = $2 AND c = $10";
        let pg = statement(DbBackend::Postgres, sql, vec![]);
        assert_eq!(pg.sql, sql);
        let sqlite = statement(DbBackend::Sqlite, sql, vec![]);
        assert_eq!(sqlite.sql, "UPDATE t SET a = ?1 WHERE b = ?2 AND c = ?10");
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
    }
}
