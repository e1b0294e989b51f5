//! The rules for queues. No Telegram types here.
//!
//! Every read and write first finds the acting user's group; a queue whose event belongs to
//! another group is [`QueueError::NotFound`]. Each write is one transaction: the role is
//! re-checked from the database, the queue row is locked, then the change and its change-log
//! row, then commit.
//!
//! Positions are unique and gapless at every commit, even when a whole group presses at once
//! on several instances:
//! - on PostgreSQL the queue row is locked first (`SELECT … FOR UPDATE`), so the writers of one
//!   queue take turns; on SQLite `BEGIN IMMEDIATE` (`storage::begin_write`) already serialises
//!   all writers;
//! - a join takes `max(position) + 1`; the unique constraints `(queue_id, user_id)` and
//!   `(queue_id, position)` stay the last line of defence;
//! - renumbering (leave, next, remove, move) goes through negative positions in two `UPDATE`s,
//!   because both backends check uniqueness row by row inside one statement;
//! - a conflict, a deadlock, a serialization failure or a busy SQLite database makes the whole
//!   transaction run again (a few times, with a short random pause), so nobody sees an error.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    RuntimeErr,
};
use serde_json::json;
use uuid::Uuid;

use super::text::{MaxParticipants, QueueDescription, QueueTitle};
use crate::changelog::{self, Change};
use crate::members::Role;
use crate::members::service::{AccessError, Member, require};
use crate::notifications::{Notices, notice};
use crate::storage;
use crate::storage::entities::{events, groups, queueparticipants, queues, users};

/// How many times a write transaction runs before a conflict is reported.
const ATTEMPTS: u32 = 8;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error(transparent)]
    Access(#[from] AccessError),
    /// No such queue in the user's group (deleted, or another group's).
    #[error("no such queue in the user's group")]
    NotFound,
    /// No such event in the user's group.
    #[error("no such event in the user's group")]
    EventNotFound,
    /// The participant is no longer in the queue.
    #[error("no such participant")]
    ParticipantNotFound,
    #[error("the queue is closed")]
    Closed,
    #[error("the queue is full ({max})")]
    Full { max: i32 },
    #[error("already in the queue at {position}")]
    AlreadyIn { position: i32 },
    #[error("not in the queue")]
    NotIn,
    #[error("the queue is empty")]
    Empty,
    #[error("no position {position} in a queue of {len}")]
    NoSuchPosition { position: i32, len: i32 },
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// One participant, as the queue view and the export show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub id: Uuid,
    pub user_id: i64,
    pub position: i32,
    /// The ФИО, or the Telegram name.
    pub name: String,
    pub username: Option<String>,
    pub joined_at: DateTime<Utc>,
}

/// Everything the queue view shows.
#[derive(Debug, Clone)]
pub struct QueueView {
    pub queue: queues::Model,
    pub event_title: String,
    pub viewer_id: i64,
    pub role: Role,
    pub group_name: String,
    pub tz: Tz,
    /// By position.
    pub participants: Vec<Participant>,
}

impl QueueView {
    /// The viewer's own place, if they stand in the queue.
    pub fn own_position(&self) -> Option<i32> {
        self.participants
            .iter()
            .find(|p| p.user_id == self.viewer_id)
            .map(|p| p.position)
    }
}

/// A new queue, as the form has collected it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQueue {
    pub title: QueueTitle,
    pub description: Option<QueueDescription>,
    pub max: Option<MaxParticipants>,
}

/// One field of a queue, changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Title(QueueTitle),
    Description(Option<QueueDescription>),
    Max(Option<MaxParticipants>),
}

/// A participant who left (or was taken out of) a queue, and who moved up to the front.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departure {
    pub queue: queues::Model,
    pub user_id: i64,
    pub position: i32,
    /// The participants now first and second (notified after «Следующий»).
    pub first: Option<i64>,
    pub second: Option<i64>,
    /// The outbox rows written with the change.
    pub notices: Vec<Uuid>,
}

/// A participant moved to another position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub queue: queues::Model,
    pub user_id: i64,
    pub from: i32,
    pub to: i32,
    /// The outbox rows written with the change.
    pub notices: Vec<Uuid>,
}

/// The participant to be moved and the queue's length (for the position buttons).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveTarget {
    pub queue: queues::Model,
    pub participant: Participant,
    pub len: i32,
}

// ----- transactions -------------------------------------------------------------------------

/// Whether running the transaction again may succeed: a unique conflict (two writers computed
/// the same position), a deadlock or serialization failure on PostgreSQL, a busy or locked
/// database on SQLite.
pub fn is_transient(err: &DbErr) -> bool {
    if storage::is_unique_violation(err) {
        return true;
    }
    let (DbErr::Exec(RuntimeErr::SqlxError(sqlx_err))
    | DbErr::Query(RuntimeErr::SqlxError(sqlx_err))
    | DbErr::Conn(RuntimeErr::SqlxError(sqlx_err))) = err
    else {
        return false;
    };
    let sea_orm::sqlx::Error::Database(db_err) = std::ops::Deref::deref(sqlx_err) else {
        return matches!(
            std::ops::Deref::deref(sqlx_err),
            sea_orm::sqlx::Error::PoolTimedOut
        );
    };
    match db_err.code().as_deref() {
        // PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
        Some("40001" | "40P01" | "55P03") => true,
        // SQLite: BUSY, LOCKED and their extended codes.
        Some(code) => code
            .parse::<i32>()
            .is_ok_and(|code| matches!(code & 0xff, 5 | 6)),
        None => false,
    }
}

impl QueueError {
    fn is_transient(&self) -> bool {
        match self {
            QueueError::Db(err) | QueueError::Access(AccessError::Db(err)) => is_transient(err),
            _ => false,
        }
    }
}

/// Runs `attempt` (one whole transaction) again while it fails transiently, a bounded number
/// of times.
async fn retrying<T, F, Fut>(mut attempt: F) -> Result<T, QueueError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, QueueError>>,
{
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(err) if tries < ATTEMPTS && err.is_transient() => {
                tracing::debug!(%err, tries, "queue transaction conflicted; running it again");
                let jitter = rand::random_range(1..=10u64 * u64::from(tries));
                tokio::time::sleep(Duration::from_millis(jitter)).await;
                tries += 1;
            }
            other => return other,
        }
    }
}

/// The queue `queue_id` of the member's group, its row locked for the rest of the
/// transaction on PostgreSQL (SQLite's `BEGIN IMMEDIATE` holds the database's write lock
/// already).
async fn locked_queue(
    txn: &DatabaseTransaction,
    member: &Member,
    queue_id: Uuid,
) -> Result<queues::Model, QueueError> {
    let mut select = queues::Entity::find_by_id(queue_id);
    if txn.get_database_backend() == DbBackend::Postgres {
        select = select.lock_exclusive();
    }
    let queue = select.one(txn).await?.ok_or(QueueError::NotFound)?;
    ensure_in_group(txn, member.group_id, &queue).await?;
    Ok(queue)
}

async fn ensure_in_group(
    conn: &impl ConnectionTrait,
    group_id: Uuid,
    queue: &queues::Model,
) -> Result<events::Model, QueueError> {
    events::Entity::find_by_id(queue.event_id)
        .filter(events::Column::GroupId.eq(group_id))
        .one(conn)
        .await?
        .ok_or(QueueError::NotFound)
}

fn change(
    member: &Member,
    action: &'static str,
    queue: Uuid,
    details: serde_json::Value,
) -> Change {
    Change {
        actor: Some(member.user_id),
        group: Some(member.group_id),
        action,
        entity_type: "queue",
        entity_id: queue.to_string(),
        details,
    }
}

fn anyone(_: Role) -> bool {
    true
}

/// Closes the gap at `position` (already deleted): later places move up by one, through
/// negative positions so that no statement passes through a duplicate.
async fn close_gap(txn: &DatabaseTransaction, queue_id: Uuid, position: i32) -> Result<(), DbErr> {
    queueparticipants::Entity::update_many()
        .col_expr(
            queueparticipants::Column::Position,
            Expr::value(1).sub(Expr::col(queueparticipants::Column::Position)),
        )
        .filter(queueparticipants::Column::QueueId.eq(queue_id))
        .filter(queueparticipants::Column::Position.gt(position))
        .exec(txn)
        .await?;
    flip_negatives(txn, queue_id).await
}

/// `position = -position` for the negative positions of a queue.
async fn flip_negatives(txn: &DatabaseTransaction, queue_id: Uuid) -> Result<(), DbErr> {
    queueparticipants::Entity::update_many()
        .col_expr(
            queueparticipants::Column::Position,
            Expr::value(0).sub(Expr::col(queueparticipants::Column::Position)),
        )
        .filter(queueparticipants::Column::QueueId.eq(queue_id))
        .filter(queueparticipants::Column::Position.lt(0))
        .exec(txn)
        .await?;
    Ok(())
}

async fn user_at(
    conn: &impl ConnectionTrait,
    queue_id: Uuid,
    position: i32,
) -> Result<Option<i64>, DbErr> {
    queueparticipants::Entity::find()
        .select_only()
        .column(queueparticipants::Column::UserId)
        .filter(queueparticipants::Column::QueueId.eq(queue_id))
        .filter(queueparticipants::Column::Position.eq(position))
        .into_tuple()
        .one(conn)
        .await
}

async fn length(conn: &impl ConnectionTrait, queue_id: Uuid) -> Result<i32, DbErr> {
    let n = queueparticipants::Entity::find()
        .filter(queueparticipants::Column::QueueId.eq(queue_id))
        .count(conn)
        .await?;
    Ok(i32::try_from(n).unwrap_or(i32::MAX))
}

// ----- reads --------------------------------------------------------------------------------

/// The queue with its participants in order.
pub async fn view(
    db: &DatabaseConnection,
    user_id: i64,
    queue_id: Uuid,
) -> Result<QueueView, QueueError> {
    let member = require(db, user_id, anyone).await?;
    let queue = queues::Entity::find_by_id(queue_id)
        .one(db)
        .await?
        .ok_or(QueueError::NotFound)?;
    let event = ensure_in_group(db, member.group_id, &queue).await?;
    let group = groups::Entity::find_by_id(member.group_id)
        .one(db)
        .await?
        .ok_or(AccessError::NotInGroup)?;
    let participants = participants(db, queue_id).await?;
    Ok(QueueView {
        queue,
        event_title: event.title,
        viewer_id: user_id,
        role: member.role,
        group_name: group.name,
        tz: crate::events::service::zone(&group.timezone),
        participants,
    })
}

async fn participants(
    conn: &impl ConnectionTrait,
    queue_id: Uuid,
) -> Result<Vec<Participant>, DbErr> {
    let rows = queueparticipants::Entity::find()
        .find_also_related(users::Entity)
        .filter(queueparticipants::Column::QueueId.eq(queue_id))
        .order_by_asc(queueparticipants::Column::Position)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(row, user)| {
            let (name, username) = match user {
                Some(user) => (full_name(&user), user.telegram_username),
                None => (row.user_id.to_string(), None),
            };
            Participant {
                id: row.id,
                user_id: row.user_id,
                position: row.position,
                name,
                username,
                joined_at: row.joined_at,
            }
        })
        .collect())
}

/// «Фамилия Имя Отчество» — the ФИО if entered, else the Telegram name.
fn full_name(user: &users::Model) -> String {
    [
        user.last_name.as_deref(),
        Some(user.first_name.as_str()),
        user.middle_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

/// The queue view, if the user may run the queue (leader or assistant of its group).
pub async fn manageable(
    db: &DatabaseConnection,
    user_id: i64,
    queue_id: Uuid,
) -> Result<QueueView, QueueError> {
    require(db, user_id, Role::can_manage).await?;
    view(db, user_id, queue_id).await
}

/// The event's title, if the user may attach a queue to it.
pub async fn may_attach(
    db: &DatabaseConnection,
    user_id: i64,
    event_id: Uuid,
) -> Result<String, QueueError> {
    let member = require(db, user_id, Role::can_manage).await?;
    let event = events::Entity::find_by_id(event_id)
        .filter(events::Column::GroupId.eq(member.group_id))
        .one(db)
        .await?
        .ok_or(QueueError::EventNotFound)?;
    Ok(event.title)
}

/// A participant to move, if the user may run their queue.
pub async fn move_target(
    db: &DatabaseConnection,
    user_id: i64,
    participant_id: Uuid,
) -> Result<MoveTarget, QueueError> {
    let member = require(db, user_id, Role::can_manage).await?;
    let row = queueparticipants::Entity::find_by_id(participant_id)
        .one(db)
        .await?
        .ok_or(QueueError::ParticipantNotFound)?;
    let queue = queues::Entity::find_by_id(row.queue_id)
        .one(db)
        .await?
        .ok_or(QueueError::ParticipantNotFound)?;
    ensure_in_group(db, member.group_id, &queue)
        .await
        .map_err(|_| QueueError::ParticipantNotFound)?;
    let all = participants(db, queue.id).await?;
    let len = i32::try_from(all.len()).unwrap_or(i32::MAX);
    let participant = all
        .into_iter()
        .find(|p| p.id == participant_id)
        .ok_or(QueueError::ParticipantNotFound)?;
    Ok(MoveTarget {
        queue,
        participant,
        len,
    })
}

// ----- writes: the leader's settings --------------------------------------------------------

/// Attaches a new queue to an event of the user's group.
pub async fn create(
    db: &DatabaseConnection,
    user_id: i64,
    event_id: Uuid,
    new: &NewQueue,
) -> Result<queues::Model, QueueError> {
    retrying(|| async {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        events::Entity::find_by_id(event_id)
            .filter(events::Column::GroupId.eq(member.group_id))
            .one(&txn)
            .await?
            .ok_or(QueueError::EventNotFound)?;
        let queue = queues::Model {
            id: Uuid::new_v4(),
            event_id,
            title: new.title.as_str().to_owned(),
            description: new.description.as_ref().map(|d| d.as_str().to_owned()),
            max_participants: new.max.map(MaxParticipants::get),
            created_at: Utc::now(),
            is_closed: false,
        };
        queues::Entity::insert(queues::ActiveModel {
            id: Set(queue.id),
            event_id: Set(queue.event_id),
            title: Set(queue.title.clone()),
            description: Set(queue.description.clone()),
            max_participants: Set(queue.max_participants),
            created_at: Set(queue.created_at),
            is_closed: Set(false),
        })
        .exec_without_returning(&txn)
        .await?;
        changelog::record(
            &txn,
            change(
                &member,
                "queue.create",
                queue.id,
                json!({
                    "event_id": event_id,
                    "title": queue.title,
                    "description": queue.description,
                    "max_participants": queue.max_participants,
                }),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(queue)
    })
    .await
}

/// Changes one field of a queue.
pub async fn edit(
    db: &DatabaseConnection,
    user_id: i64,
    queue_id: Uuid,
    edit: &Edit,
) -> Result<queues::Model, QueueError> {
    retrying(|| async {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        let before = locked_queue(&txn, &member, queue_id).await?;
        let mut after = before.clone();
        let mut active = queues::ActiveModel::default();
        let (field, from, to) = match edit {
            Edit::Title(title) => {
                after.title = title.as_str().to_owned();
                active.title = Set(after.title.clone());
                ("title", json!(before.title), json!(after.title))
            }
            Edit::Description(description) => {
                after.description = description.as_ref().map(|d| d.as_str().to_owned());
                active.description = Set(after.description.clone());
                (
                    "description",
                    json!(before.description),
                    json!(after.description),
                )
            }
            Edit::Max(max) => {
                after.max_participants = max.map(MaxParticipants::get);
                active.max_participants = Set(after.max_participants);
                (
                    "max_participants",
                    json!(before.max_participants),
                    json!(after.max_participants),
                )
            }
        };
        queues::Entity::update_many()
            .set(active)
            .filter(queues::Column::Id.eq(queue_id))
            .exec(&txn)
            .await?;
        changelog::record(
            &txn,
            change(
                &member,
                "queue.edit",
                queue_id,
                json!({ "field": field, "from": from, "to": to }),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    })
    .await
}

/// Closes (no new participants) or reopens a queue.
pub async fn set_closed(
    db: &DatabaseConnection,
    user_id: i64,
    queue_id: Uuid,
    closed: bool,
) -> Result<queues::Model, QueueError> {
    retrying(|| async {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        let queue = locked_queue(&txn, &member, queue_id).await?;
        if queue.is_closed != closed {
            queues::Entity::update_many()
                .col_expr(queues::Column::IsClosed, Expr::value(closed))
                .filter(queues::Column::Id.eq(queue_id))
                .exec(&txn)
                .await?;
            let action = if closed { "queue.close" } else { "queue.open" };
            changelog::record(&txn, change(&member, action, queue_id, json!({}))).await?;
        }
        txn.commit().await?;
        Ok(queues::Model {
            is_closed: closed,
            ..queue
        })
    })
    .await
}

/// Removes every participant; returns how many there were.
pub async fn clear(
    db: &DatabaseConnection,
    user_id: i64,
    queue_id: Uuid,
) -> Result<u64, QueueError> {
    retrying(|| async {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        locked_queue(&txn, &member, queue_id).await?;
        let removed = queueparticipants::Entity::delete_many()
            .filter(queueparticipants::Column::QueueId.eq(queue_id))
            .exec(&txn)
            .await?
            .rows_affected;
        changelog::record(
            &txn,
            change(
                &member,
                "queue.clear",
                queue_id,
                json!({ "removed": removed }),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(removed)
    })
    .await
}

/// Deletes a queue with its participants; returns it.
pub async fn delete(
    db: &DatabaseConnection,
    user_id: i64,
    queue_id: Uuid,
) -> Result<queues::Model, QueueError> {
    retrying(|| async {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        let queue = locked_queue(&txn, &member, queue_id).await?;
        let participants = length(&txn, queue_id).await?;
        queues::Entity::delete_by_id(queue_id).exec(&txn).await?;
        changelog::record(
            &txn,
            change(
                &member,
                "queue.delete",
                queue_id,
                json!({
                    "event_id": queue.event_id,
                    "title": queue.title,
                    "participants": participants,
                }),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(queue)
    })
    .await
}

// ----- writes: joining and leaving ----------------------------------------------------------

/// The user stands in the queue at the next position; returns it.
pub async fn join(
    db: &DatabaseConnection,
    user_id: i64,
    queue_id: Uuid,
) -> Result<i32, QueueError> {
    retrying(|| async {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, anyone).await?;
        let queue = locked_queue(&txn, &member, queue_id).await?;
        let existing: Option<i32> = queueparticipants::Entity::find()
            .select_only()
            .column(queueparticipants::Column::Position)
            .filter(queueparticipants::Column::QueueId.eq(queue_id))
            .filter(queueparticipants::Column::UserId.eq(user_id))
            .into_tuple()
            .one(&txn)
            .await?;
        if let Some(position) = existing {
            return Err(QueueError::AlreadyIn { position });
        }
        if queue.is_closed {
            return Err(QueueError::Closed);
        }
        let last: Option<Option<i32>> = queueparticipants::Entity::find()
            .select_only()
            .column_as(queueparticipants::Column::Position.max(), "last")
            .filter(queueparticipants::Column::QueueId.eq(queue_id))
            .into_tuple()
            .one(&txn)
            .await?;
        let last = last.flatten().unwrap_or(0);
        if let Some(max) = queue.max_participants
            && last >= max
        {
            return Err(QueueError::Full { max });
        }
        let position = last + 1;
        let id = Uuid::new_v4();
        queueparticipants::Entity::insert(queueparticipants::ActiveModel {
            id: Set(id),
            queue_id: Set(queue_id),
            user_id: Set(user_id),
            position: Set(position),
            joined_at: Set(Utc::now()),
        })
        .exec_without_returning(&txn)
        .await?;
        changelog::record(
            &txn,
            change(
                &member,
                "queue.join",
                queue_id,
                json!({ "user_id": user_id, "position": position }),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(position)
    })
    .await
}

/// Takes the participant at `position` out and closes the gap, in `txn`.
async fn take_out(
    txn: &DatabaseTransaction,
    queue: queues::Model,
    row: queueparticipants::Model,
) -> Result<Departure, DbErr> {
    queueparticipants::Entity::delete_by_id(row.id)
        .exec(txn)
        .await?;
    close_gap(txn, queue.id, row.position).await?;
    let first = user_at(txn, queue.id, 1).await?;
    let second = user_at(txn, queue.id, 2).await?;
    Ok(Departure {
        queue,
        user_id: row.user_id,
        position: row.position,
        first,
        second,
        notices: Vec::new(),
    })
}

/// The user leaves the queue; later places move up.
pub async fn leave(
    db: &DatabaseConnection,
    user_id: i64,
    queue_id: Uuid,
    now: DateTime<Utc>,
    notices: impl Notices<Departure>,
) -> Result<Departure, QueueError> {
    retrying(|| async {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, anyone).await?;
        let queue = locked_queue(&txn, &member, queue_id).await?;
        let row = queueparticipants::Entity::find()
            .filter(queueparticipants::Column::QueueId.eq(queue_id))
            .filter(queueparticipants::Column::UserId.eq(user_id))
            .one(&txn)
            .await?
            .ok_or(QueueError::NotIn)?;
        let mut departure = take_out(&txn, queue, row).await?;
        changelog::record(
            &txn,
            change(
                &member,
                "queue.leave",
                queue_id,
                json!({ "user_id": user_id, "position": departure.position }),
            ),
        )
        .await?;
        departure.notices = notice::write(&txn, now, notices(&departure)).await?;
        txn.commit().await?;
        Ok(departure)
    })
    .await
}

/// «Следующий»: the first participant leaves the queue.
pub async fn next(
    db: &DatabaseConnection,
    user_id: i64,
    queue_id: Uuid,
    now: DateTime<Utc>,
    notices: impl Notices<Departure>,
) -> Result<Departure, QueueError> {
    retrying(|| async {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        let queue = locked_queue(&txn, &member, queue_id).await?;
        let row = queueparticipants::Entity::find()
            .filter(queueparticipants::Column::QueueId.eq(queue_id))
            .order_by_asc(queueparticipants::Column::Position)
            .one(&txn)
            .await?
            .ok_or(QueueError::Empty)?;
        let mut departure = take_out(&txn, queue, row).await?;
        changelog::record(
            &txn,
            change(
                &member,
                "queue.next",
                queue_id,
                json!({ "user_id": departure.user_id, "position": departure.position }),
            ),
        )
        .await?;
        departure.notices = notice::write(&txn, now, notices(&departure)).await?;
        txn.commit().await?;
        Ok(departure)
    })
    .await
}

/// The participant row `participant_id` of a queue of the member's group, its queue locked.
async fn locked_participant(
    txn: &DatabaseTransaction,
    member: &Member,
    participant_id: Uuid,
) -> Result<(queues::Model, queueparticipants::Model), QueueError> {
    let queue_id: Uuid = queueparticipants::Entity::find_by_id(participant_id)
        .select_only()
        .column(queueparticipants::Column::QueueId)
        .into_tuple()
        .one(txn)
        .await?
        .ok_or(QueueError::ParticipantNotFound)?;
    let queue = match locked_queue(txn, member, queue_id).await {
        Err(QueueError::NotFound) => return Err(QueueError::ParticipantNotFound),
        other => other?,
    };
    // Read again under the lock: it may have moved or left meanwhile.
    let row = queueparticipants::Entity::find_by_id(participant_id)
        .one(txn)
        .await?
        .ok_or(QueueError::ParticipantNotFound)?;
    Ok((queue, row))
}

/// Takes a participant out of the queue (leader/assistant).
pub async fn remove(
    db: &DatabaseConnection,
    user_id: i64,
    participant_id: Uuid,
    now: DateTime<Utc>,
    notices: impl Notices<Departure>,
) -> Result<Departure, QueueError> {
    retrying(|| async {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        let (queue, row) = locked_participant(&txn, &member, participant_id).await?;
        let queue_id = queue.id;
        let mut departure = take_out(&txn, queue, row).await?;
        changelog::record(
            &txn,
            change(
                &member,
                "queue.remove",
                queue_id,
                json!({ "user_id": departure.user_id, "position": departure.position }),
            ),
        )
        .await?;
        departure.notices = notice::write(&txn, now, notices(&departure)).await?;
        txn.commit().await?;
        Ok(departure)
    })
    .await
}

/// Moves a participant to `to` (1..=length); the places between shift by one.
pub async fn move_to(
    db: &DatabaseConnection,
    user_id: i64,
    participant_id: Uuid,
    to: i32,
    now: DateTime<Utc>,
    notices: impl Notices<Moved>,
) -> Result<Moved, QueueError> {
    retrying(|| async {
        let txn = storage::begin_write(db).await?;
        let member = require(&txn, user_id, Role::can_manage).await?;
        let (queue, row) = locked_participant(&txn, &member, participant_id).await?;
        let len = length(&txn, queue.id).await?;
        if !(1..=len).contains(&to) {
            return Err(QueueError::NoSuchPosition { position: to, len });
        }
        let from = row.position;
        if from != to {
            let set_position = |position: i32| {
                queueparticipants::Entity::update_many()
                    .col_expr(queueparticipants::Column::Position, Expr::value(position))
                    .filter(queueparticipants::Column::Id.eq(participant_id))
            };
            // Out of the way (0 is never a place), the others shift to their new places as
            // negatives, flip back, then the participant takes `to`.
            set_position(0).exec(&txn).await?;
            let (low, high, shifted) = if to < from {
                (
                    to,
                    from - 1,
                    Expr::value(-1).sub(Expr::col(queueparticipants::Column::Position)),
                )
            } else {
                (
                    from + 1,
                    to,
                    Expr::value(1).sub(Expr::col(queueparticipants::Column::Position)),
                )
            };
            queueparticipants::Entity::update_many()
                .col_expr(queueparticipants::Column::Position, shifted)
                .filter(queueparticipants::Column::QueueId.eq(queue.id))
                .filter(queueparticipants::Column::Position.between(low, high))
                .exec(&txn)
                .await?;
            flip_negatives(&txn, queue.id).await?;
            set_position(to).exec(&txn).await?;
            changelog::record(
                &txn,
                change(
                    &member,
                    "queue.move",
                    queue.id,
                    json!({ "user_id": row.user_id, "from": from, "to": to }),
                ),
            )
            .await?;
        }
        let mut moved = Moved {
            queue,
            user_id: row.user_id,
            from,
            to,
            notices: Vec::new(),
        };
        moved.notices = notice::write(&txn, now, notices(&moved)).await?;
        txn.commit().await?;
        Ok(moved)
    })
    .await
}
