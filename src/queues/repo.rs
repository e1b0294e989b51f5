//! The queue tables, as the rules need them. Every function takes the connection to run on:
//! inside a use case, the unit of work's transaction.
//!
//! Positions are unique and gapless at every commit:
//! - on PostgreSQL a writer locks the queue's row first (`SELECT … FOR UPDATE`), so the writers
//!   of one queue take turns; on SQLite `BEGIN IMMEDIATE` already serialises all writers;
//! - a join takes `max(position) + 1` in the statement that inserts; the unique constraints
//!   `(queue_id, user_id)` and `(queue_id, position)` stay the last line of defence (a
//!   conflict reruns the unit of work);
//! - renumbering goes through negative positions in two `UPDATE`s, because both backends check
//!   uniqueness row by row inside one statement.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult,
    JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Statement,
};
use uuid::Uuid;

use super::service::{Participant, QueueError};
use crate::members::PersonName;
use crate::notifications::About;
use crate::storage::entities::{changelog, events, queueparticipants, queues, queueswaps, users};

/// The queue `queue` if it belongs to an event of `group`; on PostgreSQL its row is locked
/// for the rest of the transaction when `lock`. One statement.
pub async fn queue_in_group(
    conn: &impl ConnectionTrait,
    group: Uuid,
    queue: Uuid,
    lock: bool,
) -> Result<queues::Model, QueueError> {
    let mut select = queues::Entity::find_by_id(queue)
        .join(JoinType::InnerJoin, queues::Relation::Events.def())
        .filter(events::Column::GroupId.eq(group));
    if lock && conn.get_database_backend() == DbBackend::Postgres {
        select = select.lock_exclusive();
    }
    select.one(conn).await?.ok_or(QueueError::NotFound)
}

/// What `queue` is for (its event's name and date), named in the notices about it.
pub async fn about(conn: &impl ConnectionTrait, queue: &queues::Model) -> Result<About, DbErr> {
    events::Entity::find_by_id(queue.event_id)
        .one(conn)
        .await?
        .map(|event| About::of(&event))
        .ok_or_else(|| DbErr::RecordNotFound(format!("the event of queue {}", queue.id)))
}

pub async fn insert_queue(conn: &impl ConnectionTrait, queue: &queues::Model) -> Result<(), DbErr> {
    queues::Entity::insert(queues::ActiveModel {
        id: Set(queue.id),
        event_id: Set(queue.event_id),
        title: Set(queue.title.clone()),
        description: Set(queue.description.clone()),
        max_participants: Set(queue.max_participants),
        created_at: Set(queue.created_at),
        is_closed: Set(queue.is_closed),
        opens_at: Set(queue.opens_at),
        lottery_minutes: Set(queue.lottery_minutes),
        lottery_seed: Set(queue.lottery_seed),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Writes `queue`'s editable fields.
pub async fn update_queue(conn: &impl ConnectionTrait, queue: &queues::Model) -> Result<(), DbErr> {
    queues::Entity::update_many()
        .set(queues::ActiveModel {
            title: Set(queue.title.clone()),
            description: Set(queue.description.clone()),
            max_participants: Set(queue.max_participants),
            is_closed: Set(queue.is_closed),
            opens_at: Set(queue.opens_at),
            lottery_minutes: Set(queue.lottery_minutes),
            lottery_seed: Set(queue.lottery_seed),
            ..Default::default()
        })
        .filter(queues::Column::Id.eq(queue.id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Puts `user` at the end of `queue` (which the caller has locked) unless they stand in it
/// already or it is full: one statement. `None` if nothing was inserted.
pub async fn append(
    conn: &impl ConnectionTrait,
    queue: &queues::Model,
    user: i64,
    now: DateTime<Utc>,
) -> Result<Option<i32>, DbErr> {
    let backend = conn.get_database_backend();
    let p = |n: usize| match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    };
    // SQLite numbers `?` by position, so each value is bound where it appears.
    let sql = format!(
        "INSERT INTO queueparticipants (id, queue_id, user_id, position, joined_at) \
         SELECT {id}, {queue}, {user}, COALESCE(MAX(position), 0) + 1, {now} \
         FROM queueparticipants WHERE queue_id = {queue2} \
         HAVING NOT EXISTS (SELECT 1 FROM queueparticipants \
                            WHERE queue_id = {queue3} AND user_id = {user2}) \
            AND ({max} IS NULL OR COUNT(*) < {max2}) \
         RETURNING position",
        id = p(1),
        queue = p(2),
        user = p(3),
        now = p(4),
        queue2 = p(5),
        queue3 = p(6),
        user2 = p(7),
        max = p(8),
        max2 = p(9),
    );
    let values: Vec<sea_orm::Value> = vec![
        Uuid::new_v4().into(),
        queue.id.into(),
        user.into(),
        now.into(),
        queue.id.into(),
        queue.id.into(),
        user.into(),
        queue.max_participants.into(),
        queue.max_participants.into(),
    ];
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    row.map(|row| row.try_get::<i32>("", "position"))
        .transpose()
}

/// The place of `user` in `queue`, if they stand in it.
pub async fn position_of(
    conn: &impl ConnectionTrait,
    queue: Uuid,
    user: i64,
) -> Result<Option<i32>, DbErr> {
    queueparticipants::Entity::find()
        .select_only()
        .column(queueparticipants::Column::Position)
        .filter(queueparticipants::Column::QueueId.eq(queue))
        .filter(queueparticipants::Column::UserId.eq(user))
        .into_tuple()
        .one(conn)
        .await
}

/// The participant row of `user` in `queue`.
pub async fn row_of(
    conn: &impl ConnectionTrait,
    queue: Uuid,
    user: i64,
) -> Result<Option<queueparticipants::Model>, DbErr> {
    queueparticipants::Entity::find()
        .filter(queueparticipants::Column::QueueId.eq(queue))
        .filter(queueparticipants::Column::UserId.eq(user))
        .one(conn)
        .await
}

/// The participant row at the front of `queue`.
pub async fn front(
    conn: &impl ConnectionTrait,
    queue: Uuid,
) -> Result<Option<queueparticipants::Model>, DbErr> {
    queueparticipants::Entity::find()
        .filter(queueparticipants::Column::QueueId.eq(queue))
        .order_by_asc(queueparticipants::Column::Position)
        .one(conn)
        .await
}

/// The participant row `participant`.
pub async fn participant_row(
    conn: &impl ConnectionTrait,
    participant: Uuid,
) -> Result<Option<queueparticipants::Model>, DbErr> {
    queueparticipants::Entity::find_by_id(participant)
        .one(conn)
        .await
}

/// Takes `row` out and closes the gap; returns who stands first and second now.
pub async fn take_out(
    conn: &impl ConnectionTrait,
    row: &queueparticipants::Model,
) -> Result<(Option<i64>, Option<i64>), DbErr> {
    queueparticipants::Entity::delete_by_id(row.id)
        .exec(conn)
        .await?;
    queueparticipants::Entity::update_many()
        .col_expr(
            queueparticipants::Column::Position,
            Expr::value(1).sub(Expr::col(queueparticipants::Column::Position)),
        )
        .filter(queueparticipants::Column::QueueId.eq(row.queue_id))
        .filter(queueparticipants::Column::Position.gt(row.position))
        .exec(conn)
        .await?;
    flip_negatives(conn, row.queue_id).await?;
    let front: Vec<(i64, i32)> = queueparticipants::Entity::find()
        .select_only()
        .column(queueparticipants::Column::UserId)
        .column(queueparticipants::Column::Position)
        .filter(queueparticipants::Column::QueueId.eq(row.queue_id))
        .filter(queueparticipants::Column::Position.lte(2))
        .into_tuple()
        .all(conn)
        .await?;
    let at = |place: i32| front.iter().find(|(_, p)| *p == place).map(|(u, _)| *u);
    Ok((at(1), at(2)))
}

/// Moves the participant `row` from its place to `to`; the places between shift by one.
pub async fn move_to(
    conn: &impl ConnectionTrait,
    row: &queueparticipants::Model,
    to: i32,
) -> Result<(), DbErr> {
    let from = row.position;
    let set_position = |position: i32| {
        queueparticipants::Entity::update_many()
            .col_expr(queueparticipants::Column::Position, Expr::value(position))
            .filter(queueparticipants::Column::Id.eq(row.id))
    };
    // Out of the way (0 is never a place), the others shift to their new places as
    // negatives, flip back, then the participant takes `to`.
    set_position(0).exec(conn).await?;
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
        .filter(queueparticipants::Column::QueueId.eq(row.queue_id))
        .filter(queueparticipants::Column::Position.between(low, high))
        .exec(conn)
        .await?;
    flip_negatives(conn, row.queue_id).await?;
    set_position(to).exec(conn).await?;
    Ok(())
}

/// Puts the participants of `queue` in the order `users` (everyone in the queue, each once):
/// places 1, 2, … in that order, through negative places as everywhere here.
pub async fn reorder(conn: &impl ConnectionTrait, queue: Uuid, users: &[i64]) -> Result<(), DbErr> {
    for (index, user) in users.iter().enumerate() {
        let place = i32::try_from(index).unwrap_or(i32::MAX - 1) + 1;
        queueparticipants::Entity::update_many()
            .col_expr(queueparticipants::Column::Position, Expr::value(-place))
            .filter(queueparticipants::Column::QueueId.eq(queue))
            .filter(queueparticipants::Column::UserId.eq(*user))
            .exec(conn)
            .await?;
    }
    flip_negatives(conn, queue).await
}

/// When «Следующий» was last pressed in `queue`: the latest `limit` times, newest first.
pub async fn served_times(
    conn: &impl ConnectionTrait,
    queue: Uuid,
    limit: u64,
) -> Result<Vec<DateTime<Utc>>, DbErr> {
    changelog::Entity::find()
        .select_only()
        .column(changelog::Column::ChangedAt)
        .filter(changelog::Column::EntityId.eq(queue.to_string()))
        .filter(changelog::Column::ActionType.eq("queue.next"))
        .order_by_desc(changelog::Column::ChangedAt)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await
}

/// Swaps the places of the participants `a` and `b` (rows as read under the queue's lock).
pub async fn swap(
    conn: &impl ConnectionTrait,
    a: &queueparticipants::Model,
    b: &queueparticipants::Model,
) -> Result<(), DbErr> {
    for (row, place) in [(a, b.position), (b, a.position)] {
        queueparticipants::Entity::update_many()
            .col_expr(queueparticipants::Column::Position, Expr::value(-place))
            .filter(queueparticipants::Column::Id.eq(row.id))
            .exec(conn)
            .await?;
    }
    flip_negatives(conn, a.queue_id).await
}

/// Stores `swap`, replacing an open request of the same asker in the same queue.
pub async fn insert_swap(
    conn: &impl ConnectionTrait,
    swap: &queueswaps::Model,
) -> Result<(), DbErr> {
    queueswaps::Entity::delete_many()
        .filter(queueswaps::Column::QueueId.eq(swap.queue_id))
        .filter(queueswaps::Column::FromUser.eq(swap.from_user))
        .exec(conn)
        .await?;
    queueswaps::Entity::insert(queueswaps::ActiveModel {
        id: Set(swap.id),
        queue_id: Set(swap.queue_id),
        from_user: Set(swap.from_user),
        from_position: Set(swap.from_position),
        to_user: Set(swap.to_user),
        to_position: Set(swap.to_position),
        created_at: Set(swap.created_at),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

pub async fn find_swap(
    conn: &impl ConnectionTrait,
    swap: Uuid,
) -> Result<Option<queueswaps::Model>, DbErr> {
    queueswaps::Entity::find_by_id(swap).one(conn).await
}

/// Deletes the request `swap`; whether it was still there.
pub async fn delete_swap(conn: &impl ConnectionTrait, swap: Uuid) -> Result<bool, DbErr> {
    let deleted = queueswaps::Entity::delete_by_id(swap).exec(conn).await?;
    Ok(deleted.rows_affected > 0)
}

/// Marks the participant `row` away since `since` (or back, with `None`); their skipped turns
/// start again from 0 either way.
pub async fn set_away(
    conn: &impl ConnectionTrait,
    row: Uuid,
    since: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    queueparticipants::Entity::update_many()
        .col_expr(queueparticipants::Column::AwaySince, Expr::value(since))
        .col_expr(queueparticipants::Column::Skipped, Expr::value(0))
        .filter(queueparticipants::Column::Id.eq(row))
        .exec(conn)
        .await?;
    Ok(())
}

/// Counts one more skipped turn of the participant `row`.
pub async fn count_skip(conn: &impl ConnectionTrait, row: Uuid, skipped: i32) -> Result<(), DbErr> {
    queueparticipants::Entity::update_many()
        .col_expr(queueparticipants::Column::Skipped, Expr::value(skipped))
        .filter(queueparticipants::Column::Id.eq(row))
        .exec(conn)
        .await?;
    Ok(())
}

/// The participant rows of `queue` by position.
pub async fn rows(
    conn: &impl ConnectionTrait,
    queue: Uuid,
) -> Result<Vec<queueparticipants::Model>, DbErr> {
    queueparticipants::Entity::find()
        .filter(queueparticipants::Column::QueueId.eq(queue))
        .order_by_asc(queueparticipants::Column::Position)
        .all(conn)
        .await
}

/// `position = -position` for the negative positions of a queue.
async fn flip_negatives(conn: &impl ConnectionTrait, queue: Uuid) -> Result<(), DbErr> {
    queueparticipants::Entity::update_many()
        .col_expr(
            queueparticipants::Column::Position,
            Expr::value(0).sub(Expr::col(queueparticipants::Column::Position)),
        )
        .filter(queueparticipants::Column::QueueId.eq(queue))
        .filter(queueparticipants::Column::Position.lt(0))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn length(conn: &impl ConnectionTrait, queue: Uuid) -> Result<i32, DbErr> {
    let n = queueparticipants::Entity::find()
        .filter(queueparticipants::Column::QueueId.eq(queue))
        .count(conn)
        .await?;
    Ok(i32::try_from(n).unwrap_or(i32::MAX))
}

/// Removes every participant; returns how many there were.
pub async fn clear(conn: &impl ConnectionTrait, queue: Uuid) -> Result<u64, DbErr> {
    Ok(queueparticipants::Entity::delete_many()
        .filter(queueparticipants::Column::QueueId.eq(queue))
        .exec(conn)
        .await?
        .rows_affected)
}

pub async fn delete_queue(conn: &impl ConnectionTrait, queue: Uuid) -> Result<(), DbErr> {
    queues::Entity::delete_by_id(queue).exec(conn).await?;
    Ok(())
}

/// How `user` is named ([`PersonName`]); their id if they are gone.
pub async fn name_of(conn: &impl ConnectionTrait, user: i64) -> Result<String, DbErr> {
    let found = users::Entity::find_by_id(user).one(conn).await?;
    Ok(found.map_or_else(|| user.to_string(), |u| PersonName::of(&u).full()))
}

#[derive(FromQueryResult)]
struct ParticipantRow {
    id: Uuid,
    user_id: i64,
    position: i32,
    joined_at: DateTime<Utc>,
    away_since: Option<DateTime<Utc>>,
    first_name: Option<String>,
    last_name: Option<String>,
    middle_name: Option<String>,
    has_full_name: Option<bool>,
    telegram_username: Option<String>,
}

/// The participants of `queue` by position, with their names: one statement.
pub async fn participants(
    conn: &impl ConnectionTrait,
    queue: Uuid,
) -> Result<Vec<Participant>, DbErr> {
    let rows = queueparticipants::Entity::find()
        .select_only()
        .column(queueparticipants::Column::Id)
        .column(queueparticipants::Column::UserId)
        .column(queueparticipants::Column::Position)
        .column(queueparticipants::Column::JoinedAt)
        .column(queueparticipants::Column::AwaySince)
        .column(users::Column::FirstName)
        .column(users::Column::LastName)
        .column(users::Column::MiddleName)
        .column(users::Column::HasFullName)
        .column(users::Column::TelegramUsername)
        .join(JoinType::LeftJoin, queueparticipants::Relation::Users.def())
        .filter(queueparticipants::Column::QueueId.eq(queue))
        .order_by_asc(queueparticipants::Column::Position)
        .into_model::<ParticipantRow>()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let name = match &row.first_name {
                Some(first) => PersonName::new(
                    row.last_name.as_deref(),
                    first,
                    row.middle_name
                        .as_deref()
                        .filter(|_| row.has_full_name == Some(true)),
                )
                .full(),
                None => row.user_id.to_string(),
            };
            Participant {
                id: row.id,
                user_id: row.user_id,
                position: row.position,
                name,
                username: row.telegram_username,
                joined_at: row.joined_at,
                away_since: row.away_since,
            }
        })
        .collect())
}
