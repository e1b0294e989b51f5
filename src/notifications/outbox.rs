//! The outbox table: writing notifications, claiming due rows for sending, recording outcomes.
//!
//! Status flow: `pending` → (claimed) `sending` → `sent` | `failed`; a retriable failure puts a
//! row back to `pending` with a later `due_at`; `cancelled` rows were withdrawn (a reminder whose
//! deadline went away is deleted instead, so its dedup key can be scheduled again).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Statement,
    TransactionTrait,
};
use uuid::Uuid;

use super::Message;
use crate::storage::entities::outbox;

pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";
pub const CANCELLED: &str = "cancelled";

/// How many times a row is tried before it is marked `failed`.
pub const MAX_ATTEMPTS: i32 = 5;
/// A row left in `sending` this long ago belongs to an instance that died mid-send.
pub const STUCK_AFTER: Duration = Duration::minutes(10);

/// A new outbox row, pending and never tried, written at `now`.
fn pending(
    id: Uuid,
    chat: i64,
    kind: String,
    payload: serde_json::Value,
    dedup_key: Option<String>,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    outbox::ActiveModel {
        id: Set(id),
        chat_id: Set(chat),
        kind: Set(kind),
        payload: Set(payload),
        dedup_key: Set(dedup_key),
        due_at: Set(due_at),
        attempts: Set(0),
        status: Set(PENDING.to_owned()),
        claimed_at: Set(None),
        claimed_by: Set(None),
        sent_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
    }
}

/// Writes `messages` (inside the caller's transaction, or right after its change). A message
/// whose `dedup_key` is already in the outbox is skipped. Returns the ids written.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    messages: Vec<Message>,
) -> Result<Vec<Uuid>, DbErr> {
    let mut ids = Vec::with_capacity(messages.len());
    let mut rows = Vec::with_capacity(messages.len());
    for message in messages {
        let id = Uuid::new_v4();
        let payload =
            serde_json::to_value(&message.payload).map_err(|e| DbErr::Json(e.to_string()))?;
        rows.push(pending(
            id,
            message.chat_id,
            message.kind.as_str().to_owned(),
            payload,
            message.dedup_key,
            message.due_at.unwrap_or(now),
            now,
        ));
        ids.push(id);
    }
    // Chunks keep each statement under the bind-parameter limits (SQLite: 32766).
    for chunk in rows.chunks(500) {
        outbox::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(outbox::Column::DedupKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
    }
    Ok(ids)
}

/// Writes one row holding `payload` as it is, due now, of kind `kind`: e.g. a reply already
/// rendered that could not be sent while Telegram was failing (`telegram::send::html`), which
/// the sender delivers once Telegram answers again. Returns its id.
pub async fn enqueue_payload(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    chat: i64,
    kind: super::Kind,
    payload: serde_json::Value,
) -> Result<Uuid, DbErr> {
    let id = Uuid::new_v4();
    let row = pending(id, chat, kind.as_str().to_owned(), payload, None, now, now);
    outbox::Entity::insert(row)
        .exec_without_returning(conn)
        .await?;
    Ok(id)
}

/// Writes a copy of `row` (as stored: a note or old rendered text) for `chat`, due now: the
/// chat it was for moved there.
pub async fn copy_to(
    conn: &impl ConnectionTrait,
    row: &outbox::Model,
    chat: i64,
    now: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    let id = Uuid::new_v4();
    let copy = pending(
        id,
        chat,
        row.kind.clone(),
        row.payload.clone(),
        None,
        now,
        now,
    );
    outbox::Entity::insert(copy)
        .exec_without_returning(conn)
        .await?;
    Ok(id)
}

/// Deletes the still-pending rows whose dedup key starts with `prefix` (a rescheduled or
/// withdrawn reminder). Returns how many.
pub async fn delete_pending(conn: &impl ConnectionTrait, prefix: &str) -> Result<u64, DbErr> {
    let deleted = outbox::Entity::delete_many()
        .filter(outbox::Column::Status.eq(PENDING))
        .filter(outbox::Column::DedupKey.starts_with(prefix))
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected)
}

/// Which due rows a claim takes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Claim<'a> {
    /// Only these rows (the handler's fast path).
    pub only: Option<&'a [Uuid]>,
    /// Not for these chats (the sender's chats that are not ready yet: their rows stay where
    /// they are, so they never take the place of another chat's row in a claim).
    pub except_chats: &'a [i64],
}

/// Claims up to `limit` due rows for `worker`: `pending`, due by `now`, for a chat that has not
/// blocked the bot, as `which` narrows it. The claim is one committed statement, so a row is
/// claimed by one worker only: on PostgreSQL the candidate rows are locked with
/// `FOR UPDATE SKIP LOCKED` (concurrent workers take different rows); SQLite runs the same
/// update under `BEGIN IMMEDIATE`.
pub async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    worker: &str,
    limit: u64,
    which: Claim<'_>,
) -> Result<Vec<outbox::Model>, DbErr> {
    let only = which.only;
    let backend = db.get_database_backend();
    let (lock, mut values): (&str, Vec<sea_orm::Value>) = match backend {
        DbBackend::Postgres => ("FOR UPDATE OF o SKIP LOCKED", Vec::new()),
        _ => ("", Vec::new()),
    };
    let mut param = |value: sea_orm::Value| {
        values.push(value);
        match backend {
            DbBackend::Postgres => format!("${}", values.len()),
            _ => "?".to_owned(),
        }
    };
    let p_status = param(SENDING.into());
    let p_now = param(now.into());
    let p_worker = param(worker.into());
    let p_pending = param(PENDING.into());
    let p_due = param(now.into());
    let mut only_clause = String::new();
    if let Some(ids) = only {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(|id| param((*id).into())).collect();
        only_clause = format!("AND o.id IN ({})", list.join(", "));
    }
    if !which.except_chats.is_empty() {
        let list: Vec<String> = which
            .except_chats
            .iter()
            .map(|chat| param((*chat).into()))
            .collect();
        only_clause.push_str(&format!(" AND o.chat_id NOT IN ({})", list.join(", ")));
    }
    let p_limit = param((limit as i64).into());
    let sql = format!(
        "UPDATE outbox SET status = {p_status}, claimed_at = {p_now}, claimed_by = {p_worker}, \
         attempts = attempts + 1 \
         WHERE id IN (SELECT o.id FROM outbox o \
           WHERE o.status = {p_pending} AND o.due_at <= {p_due} {only_clause} \
           AND NOT EXISTS (SELECT 1 FROM users u WHERE u.telegram_id = o.chat_id AND u.is_blocked) \
           ORDER BY o.due_at, o.id LIMIT {p_limit} {lock}) \
         RETURNING *"
    );
    let txn = crate::storage::begin_write(db).await?;
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    txn.commit().await?;
    let mut claimed = rows
        .iter()
        .map(|row| outbox::Model::from_query_result(row, ""))
        .collect::<Result<Vec<_>, _>>()?;
    claimed.sort_by_key(|row| (row.due_at, row.id));
    Ok(claimed)
}

/// The row was accepted by Telegram.
pub async fn mark_sent(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    finish(db, id, worker, SENT, Some(now), None, None).await
}

/// The row will never be sent (`failed`, or `cancelled` by the user's settings).
pub async fn mark_final(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
    status: &str,
    error: &str,
) -> Result<(), DbErr> {
    finish(db, id, worker, status, None, None, Some(error)).await
}

/// Back to `pending`, due at `due_at` (a retry later, or a user who blocked the bot).
pub async fn release(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
    due_at: DateTime<Utc>,
    error: &str,
) -> Result<(), DbErr> {
    finish(db, id, worker, PENDING, None, Some(due_at), Some(error)).await
}

/// Claimed rows that were not tried go back as they were (`pending`, same due time, the claim's
/// attempt not counted): their chat was not ready. One statement.
pub async fn unclaim(db: &DatabaseConnection, ids: &[Uuid], worker: &str) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            sea_orm::sea_query::Expr::value(PENDING),
        )
        .col_expr(
            outbox::Column::Attempts,
            sea_orm::sea_query::ExprTrait::sub(
                sea_orm::sea_query::Expr::col(outbox::Column::Attempts),
                1,
            ),
        )
        .filter(outbox::Column::Id.is_in(ids.iter().copied()))
        .filter(outbox::Column::Status.eq(SENDING))
        .filter(outbox::Column::ClaimedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
}

async fn finish(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
    status: &str,
    sent_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
    error: Option<&str>,
) -> Result<(), DbErr> {
    let mut change = outbox::ActiveModel {
        status: Set(status.to_owned()),
        ..Default::default()
    };
    if let Some(at) = sent_at {
        change.sent_at = Set(Some(at));
    }
    if let Some(at) = due_at {
        change.due_at = Set(at);
    }
    if let Some(error) = error {
        change.last_error = Set(Some(error.chars().take(500).collect()));
    }
    outbox::Entity::update_many()
        .set(change)
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(SENDING))
        .filter(outbox::Column::ClaimedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
}

/// Rows left in `sending` by an instance that died: after [`STUCK_AFTER`] they are tried
/// again if attempts remain, else marked `failed`. (Telegram may have accepted the message
/// just before the crash: this is the one window where a duplicate is possible; see
/// ARCHITECTURE.md.) Returns how many rows were recovered.
pub async fn recover_stuck(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let txn = db.begin().await?;
    let stuck_before = now - STUCK_AFTER;
    let retried = outbox::Entity::update_many()
        .set(outbox::ActiveModel {
            status: Set(PENDING.to_owned()),
            last_error: Set(Some("interrupted while sending".to_owned())),
            ..Default::default()
        })
        .filter(outbox::Column::Status.eq(SENDING))
        .filter(outbox::Column::ClaimedAt.lt(stuck_before))
        .filter(outbox::Column::Attempts.lt(MAX_ATTEMPTS))
        .exec(&txn)
        .await?;
    let failed = outbox::Entity::update_many()
        .set(outbox::ActiveModel {
            status: Set(FAILED.to_owned()),
            last_error: Set(Some(
                "interrupted while sending; attempts exhausted".to_owned(),
            )),
            ..Default::default()
        })
        .filter(outbox::Column::Status.eq(SENDING))
        .filter(outbox::Column::ClaimedAt.lt(stuck_before))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(retried.rows_affected + failed.rows_affected)
}

/// When the next pending row is due (for the worker's sleep).
pub async fn next_due(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, DbErr> {
    let row = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(PENDING))
        .order_by_asc(outbox::Column::DueAt)
        .limit(1)
        .one(db)
        .await?;
    Ok(row.map(|row| row.due_at))
}

/// The outbox's depth and age, for metrics and health checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxStats {
    /// Rows due by now and not yet sent (`pending` or `sending`).
    pub due: u64,
    /// Rows scheduled for later.
    pub scheduled: u64,
    pub failed: u64,
    /// How long the oldest due row has waited, in seconds.
    pub oldest_due_age_secs: i64,
}

pub async fn outbox_stats(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<OutboxStats, DbErr> {
    use sea_orm::PaginatorTrait;
    let waiting =
        || outbox::Entity::find().filter(outbox::Column::Status.is_in([PENDING, SENDING]));
    let due = waiting()
        .filter(outbox::Column::DueAt.lte(now))
        .count(db)
        .await?;
    let scheduled = waiting()
        .filter(outbox::Column::DueAt.gt(now))
        .count(db)
        .await?;
    let failed = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(FAILED))
        .count(db)
        .await?;
    let oldest = waiting()
        .filter(outbox::Column::DueAt.lte(now))
        .order_by_asc(outbox::Column::DueAt)
        .one(db)
        .await?;
    Ok(OutboxStats {
        due,
        scheduled,
        failed,
        oldest_due_age_secs: oldest.map_or(0, |row| (now - row.due_at).num_seconds().max(0)),
    })
}
