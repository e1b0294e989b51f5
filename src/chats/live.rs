//! Live messages, as the rules see them: a queue or topic list published to the group's chat
//! is remembered with the message that shows it, and what such a message shows is read here
//! (the Telegram side renders and edits it).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::events::ChatEvent;
use super::service::ChatError;
use crate::members::Role;
use crate::storage::entities::{events, livemessages, queues, topiclists};
use crate::uow::Uow;

/// What a live message shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LiveKind {
    Queue,
    Topics,
}

impl LiveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LiveKind::Queue => "queue",
            LiveKind::Topics => "topics",
        }
    }

    pub fn parse(kind: &str) -> Option<Self> {
        match kind {
            "queue" => Some(LiveKind::Queue),
            "topics" => Some(LiveKind::Topics),
            _ => None,
        }
    }
}

/// The acting manager's live message `message_id`, just posted to their group's `chat`,
/// showing `kind`'s `target`, is remembered; returns its id.
pub async fn add_live_message(
    uow: &mut Uow<'_>,
    chat: i64,
    message_id: i32,
    kind: LiveKind,
    target: Uuid,
) -> Result<Uuid, ChatError> {
    let me = uow.member(Role::can_manage).await?;
    let id = Uuid::new_v4();
    livemessages::Entity::insert(livemessages::ActiveModel {
        id: Set(id),
        group_id: Set(me.group_id),
        chat_id: Set(chat),
        message_id: Set(message_id),
        kind: Set(kind.as_str().to_owned()),
        target_id: Set(target),
        created_at: Set(uow.now()),
        touched_at: Set(None),
    })
    .exec_without_returning(uow.db())
    .await?;
    uow.record(ChatEvent::Published {
        group: me.group_id,
        kind,
        target,
        chat,
        message_id,
    });
    Ok(id)
}

/// The live messages showing `target`.
pub async fn live_messages_of(
    conn: &impl ConnectionTrait,
    kind: LiveKind,
    target: Uuid,
) -> Result<Vec<livemessages::Model>, DbErr> {
    livemessages::Entity::find()
        .filter(livemessages::Column::Kind.eq(kind.as_str()))
        .filter(livemessages::Column::TargetId.eq(target))
        .all(conn)
        .await
}

/// `kind`'s `target` changed on an instance that does not edit live messages: its live
/// messages are marked for the instance that does (the sender).
pub async fn mark_touched(
    conn: &impl ConnectionTrait,
    kind: LiveKind,
    target: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let marked = livemessages::Entity::update_many()
        .col_expr(livemessages::Column::TouchedAt, Expr::value(now))
        .filter(livemessages::Column::Kind.eq(kind.as_str()))
        .filter(livemessages::Column::TargetId.eq(target))
        .exec(conn)
        .await?;
    Ok(marked.rows_affected)
}

/// One live message is marked for the sender (an editor that stopped before its edit).
pub async fn mark_one_touched(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    livemessages::Entity::update_many()
        .col_expr(livemessages::Column::TouchedAt, Expr::value(now))
        .filter(livemessages::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// The live messages marked for the sender; each mark is cleared unless it was renewed since
/// it was read (then it is found again next time).
pub async fn take_touched(conn: &impl ConnectionTrait) -> Result<Vec<livemessages::Model>, DbErr> {
    let touched = livemessages::Entity::find()
        .filter(livemessages::Column::TouchedAt.is_not_null())
        .all(conn)
        .await?;
    for live in &touched {
        livemessages::Entity::update_many()
            .col_expr(
                livemessages::Column::TouchedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(livemessages::Column::Id.eq(live.id))
            .filter(livemessages::Column::TouchedAt.eq(live.touched_at))
            .exec(conn)
            .await?;
    }
    Ok(touched)
}

/// A live message that can no longer be edited (deleted in the chat, or its target is gone)
/// is forgotten.
pub async fn forget_live_message(uow: &mut Uow<'_>, id: Uuid) -> Result<(), DbErr> {
    livemessages::Entity::delete_by_id(id)
        .exec(uow.db())
        .await?;
    Ok(())
}

/// Whether `user` may publish `target` to the group's chat: the leader or an assistant, the
/// queue or topic list in their group, a bound chat. Returns the group and the chat.
pub async fn may_publish(
    conn: &impl ConnectionTrait,
    user: i64,
    kind: LiveKind,
    target: Uuid,
) -> Result<(Uuid, i64), ChatError> {
    let member = crate::members::service::require(conn, user, Role::can_manage).await?;
    let event = match kind {
        LiveKind::Queue => queues::Entity::find_by_id(target)
            .one(conn)
            .await?
            .map(|q| q.event_id),
        LiveKind::Topics => topiclists::Entity::find_by_id(target)
            .one(conn)
            .await?
            .map(|l| l.event_id),
    };
    let group = match event {
        Some(event) => events::Entity::find_by_id(event)
            .one(conn)
            .await?
            .map(|e| e.group_id),
        None => None,
    };
    if group != Some(member.group_id) {
        return Err(ChatError::TargetNotFound);
    }
    let chat = super::service::bound_chat(conn, member.group_id)
        .await?
        .ok_or(ChatError::NotBound)?;
    Ok((member.group_id, chat))
}

/// A queue as its live message shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueState {
    pub id: Uuid,
    pub title: String,
    pub event_title: String,
    pub is_closed: bool,
    pub max: Option<i32>,
    /// Names by position.
    pub names: Vec<String>,
    /// The set opening moment, in the group's zone.
    pub opens_at: Option<(DateTime<Utc>, crate::groups::Timezone)>,
}

/// A topic list as its live message shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicsState {
    pub id: Uuid,
    pub title: String,
    pub event_title: String,
    pub capacity: i32,
    /// `(topic, title, taken)` in the list's order.
    pub topics: Vec<(Uuid, String, u32)>,
}

async fn event_title(conn: &impl ConnectionTrait, event: Uuid) -> Result<String, DbErr> {
    Ok(events::Entity::find_by_id(event)
        .one(conn)
        .await?
        .map(|e| e.title)
        .unwrap_or_default())
}

/// The queue's current state; `None` if it was deleted.
pub async fn queue_state(
    conn: &impl ConnectionTrait,
    queue: Uuid,
) -> Result<Option<QueueState>, DbErr> {
    let Some(row) = queues::Entity::find_by_id(queue).one(conn).await? else {
        return Ok(None);
    };
    let participants = crate::queues::repo::participants(conn, queue).await?;
    let names = participants.into_iter().map(|p| p.name).collect();
    let opens_at = match row.opens_at {
        Some(at) => {
            let zone = events::Entity::find_by_id(row.event_id)
                .find_also_related(crate::storage::entities::groups::Entity)
                .one(conn)
                .await?
                .and_then(|(_, group)| group)
                .map(|group| crate::groups::Timezone::stored(&group.timezone))
                .unwrap_or_default();
            Some((at, zone))
        }
        None => None,
    };
    Ok(Some(QueueState {
        opens_at,
        id: row.id,
        event_title: event_title(conn, row.event_id).await?,
        title: row.title,
        is_closed: row.is_closed,
        max: row.max_participants,
        names,
    }))
}

/// The topic list's current state; `None` if it was deleted.
pub async fn topics_state(
    conn: &impl ConnectionTrait,
    list: Uuid,
) -> Result<Option<TopicsState>, DbErr> {
    let Some(row) = topiclists::Entity::find_by_id(list).one(conn).await? else {
        return Ok(None);
    };
    let (all, picks) = crate::topics::repo::topics_and_picks(conn, list).await?;
    let topics = all
        .into_iter()
        .map(|t| {
            let taken = picks.iter().filter(|p| p.topic_id == t.id).count();
            (t.id, t.title, u32::try_from(taken).unwrap_or(u32::MAX))
        })
        .collect();
    Ok(Some(TopicsState {
        id: row.id,
        event_title: event_title(conn, row.event_id).await?,
        title: row.title,
        capacity: row.max_participants_per_topic,
        topics,
    }))
}
