//! The queue screens students keep open: each student's last opened screen of a queue (its
//! chat and message, and a fingerprint of what it shows) is remembered, so that it is edited
//! when their place changes. The Telegram side renders and edits them.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use crate::storage::entities::queuescreens;

/// `user`'s screen of `queue` is now `message` in `chat`, showing `shown` (a fingerprint).
pub async fn remember(
    conn: &impl ConnectionTrait,
    screen: Screen,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = queuescreens::ActiveModel {
        queue_id: Set(screen.queue),
        user_id: Set(screen.user),
        chat_id: Set(screen.chat),
        message_id: Set(screen.message),
        shown: Set(screen.shown),
        opened_at: Set(now),
        touched_at: Set(None),
    };
    let conflict =
        OnConflict::columns([queuescreens::Column::QueueId, queuescreens::Column::UserId])
            .update_columns([
                queuescreens::Column::ChatId,
                queuescreens::Column::MessageId,
                queuescreens::Column::Shown,
                queuescreens::Column::OpenedAt,
            ])
            .to_owned();
    queuescreens::Entity::insert(row)
        .on_conflict(conflict)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// A remembered screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    pub queue: Uuid,
    pub user: i64,
    pub chat: i64,
    pub message: i32,
    pub shown: i64,
}

impl From<queuescreens::Model> for Screen {
    fn from(row: queuescreens::Model) -> Self {
        Screen {
            queue: row.queue_id,
            user: row.user_id,
            chat: row.chat_id,
            message: row.message_id,
            shown: row.shown,
        }
    }
}

/// The message `message` in `chat` shows something else now: no screen is kept there.
pub async fn forget_message(
    conn: &impl ConnectionTrait,
    chat: i64,
    message: i32,
) -> Result<(), DbErr> {
    queuescreens::Entity::delete_many()
        .filter(queuescreens::Column::ChatId.eq(chat))
        .filter(queuescreens::Column::MessageId.eq(message))
        .exec(conn)
        .await?;
    Ok(())
}

/// `user`'s screen of `queue` is no longer kept (they stand in it no more, or it is gone).
pub async fn forget(conn: &impl ConnectionTrait, screen: &Screen) -> Result<(), DbErr> {
    queuescreens::Entity::delete_many()
        .filter(still(screen))
        .exec(conn)
        .await?;
    Ok(())
}

/// The row of `screen` as long as it is still that message (the student has not opened the
/// queue in another message since).
fn still(screen: &Screen) -> Condition {
    Condition::all()
        .add(queuescreens::Column::QueueId.eq(screen.queue))
        .add(queuescreens::Column::UserId.eq(screen.user))
        .add(queuescreens::Column::MessageId.eq(screen.message))
}

/// The screen, as remembered now (another edit may have changed what it shows).
pub async fn current(
    conn: &impl ConnectionTrait,
    queue: Uuid,
    user: i64,
) -> Result<Option<Screen>, DbErr> {
    Ok(queuescreens::Entity::find_by_id((queue, user))
        .one(conn)
        .await?
        .map(Screen::from))
}

/// What `screen`'s message shows after an edit.
pub async fn set_shown(conn: &impl ConnectionTrait, screen: &Screen) -> Result<(), DbErr> {
    queuescreens::Entity::update_many()
        .col_expr(queuescreens::Column::Shown, Expr::value(screen.shown))
        .filter(still(screen))
        .exec(conn)
        .await?;
    Ok(())
}

/// The screens of `queue`.
pub async fn of_queue(conn: &impl ConnectionTrait, queue: Uuid) -> Result<Vec<Screen>, DbErr> {
    Ok(queuescreens::Entity::find()
        .filter(queuescreens::Column::QueueId.eq(queue))
        .all(conn)
        .await?
        .into_iter()
        .map(Screen::from)
        .collect())
}

/// `queue`'s places changed on an instance that does not edit: its screens are marked for
/// the one that does (the sender). Returns how many.
pub async fn mark_touched(
    conn: &impl ConnectionTrait,
    queue: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let marked = queuescreens::Entity::update_many()
        .col_expr(queuescreens::Column::TouchedAt, Expr::value(now))
        .filter(queuescreens::Column::QueueId.eq(queue))
        .exec(conn)
        .await?;
    Ok(marked.rows_affected)
}

/// The queues whose screens were marked for the sender; the marks are cleared.
pub async fn take_touched(conn: &impl ConnectionTrait) -> Result<Vec<Uuid>, DbErr> {
    let touched = queuescreens::Entity::find()
        .filter(queuescreens::Column::TouchedAt.is_not_null())
        .all(conn)
        .await?;
    let mut queues: Vec<Uuid> = touched.iter().map(|row| row.queue_id).collect();
    queues.sort_unstable();
    queues.dedup();
    for row in &touched {
        queuescreens::Entity::update_many()
            .col_expr(
                queuescreens::Column::TouchedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(queuescreens::Column::QueueId.eq(row.queue_id))
            .filter(queuescreens::Column::UserId.eq(row.user_id))
            .filter(queuescreens::Column::TouchedAt.eq(row.touched_at))
            .exec(conn)
            .await?;
    }
    Ok(queues)
}
