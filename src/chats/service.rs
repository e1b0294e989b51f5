//! The rules for the group's Telegram chat. No Telegram types here.
//!
//! A study group is bound to at most one chat and a chat to at most one group (the unique
//! constraints `uq_groupchats_group` and `uq_groupchats_chat`, mapped to [`ChatError`]). Only
//! the leader binds; binding again (the same chat, or another one) replaces the binding. The
//! binding follows the chat when Telegram turns it into a supergroup and disappears when the
//! bot is removed from the chat. Every change writes its change-log row in its transaction.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use crate::changelog::{self, Change};
use crate::members::Role;
use crate::members::service::{AccessError, require};
use crate::notifications::{self, outbox};
use crate::storage::entities::{
    events, groupchats, groups, livemessages, queueparticipants, queues, topiclists, topics,
    topicselections, users,
};
use crate::storage::{self, constraints as c};

#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error(transparent)]
    Access(#[from] AccessError),
    /// The chat is bound to another study group.
    #[error("the chat is bound to another group")]
    ChatTaken,
    /// The bot is not (or no longer) a member of the chat.
    #[error("the bot is not in the chat")]
    BotNotInChat,
    /// The group has no bound chat (or not this one).
    #[error("the group has no bound chat")]
    NotBound,
    /// No such queue or topic list in the user's group.
    #[error("no such queue or topic list in the user's group")]
    TargetNotFound,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A binding as the chat's screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub group_id: Uuid,
    pub group_name: String,
    pub chat_id: i64,
    pub title: String,
    pub post_reminders: bool,
    /// The chat was bound to another group of the same leader before (now replaced).
    pub replaced_chat: Option<i64>,
}

fn leader(role: Role) -> bool {
    role.is_leader()
}

fn change(
    actor: Option<i64>,
    group: Uuid,
    action: &'static str,
    details: serde_json::Value,
) -> Change {
    Change {
        actor,
        group: Some(group),
        action,
        entity_type: "groupchat",
        entity_id: group.to_string(),
        details,
    }
}

async fn group_name(conn: &impl ConnectionTrait, group: Uuid) -> Result<String, DbErr> {
    Ok(groups::Entity::find_by_id(group)
        .one(conn)
        .await?
        .map(|g| g.name)
        .unwrap_or_default())
}

fn binding_of(row: &groupchats::Model, group_name: String, replaced: Option<i64>) -> Binding {
    Binding {
        group_id: row.group_id,
        group_name,
        chat_id: row.chat_id,
        title: row.title.clone(),
        post_reminders: row.post_reminders,
        replaced_chat: replaced,
    }
}

/// The leader `user` binds their group to `chat` (titled `title`). A previous binding of the
/// group is replaced; a chat bound to another group is refused.
pub async fn bind(
    db: &DatabaseConnection,
    user: i64,
    chat: i64,
    title: &str,
    now: DateTime<Utc>,
) -> Result<Binding, ChatError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, user, leader).await?;
    let group = member.group_id;
    let in_chat = groupchats::Entity::find()
        .filter(groupchats::Column::ChatId.eq(chat))
        .one(&txn)
        .await?;
    if in_chat.as_ref().is_some_and(|row| row.group_id != group) {
        return Err(ChatError::ChatTaken);
    }
    let previous = groupchats::Entity::find()
        .filter(groupchats::Column::GroupId.eq(group))
        .one(&txn)
        .await?;
    let title: String = title.chars().take(255).collect();
    let row = match &previous {
        Some(row) => {
            let mut active: groupchats::ActiveModel = row.clone().into();
            active.chat_id = Set(chat);
            active.title = Set(title.clone());
            active.bound_by = Set(Some(user));
            active.bound_at = Set(now);
            if row.chat_id != chat {
                active.post_reminders = Set(false);
                livemessages::Entity::delete_many()
                    .filter(livemessages::Column::GroupId.eq(group))
                    .exec(&txn)
                    .await?;
            }
            sea_orm::ActiveModelTrait::update(active, &txn).await
        }
        None => {
            let active = groupchats::ActiveModel {
                id: Set(Uuid::new_v4()),
                group_id: Set(group),
                chat_id: Set(chat),
                title: Set(title.clone()),
                bound_by: Set(Some(user)),
                bound_at: Set(now),
                post_reminders: Set(false),
            };
            sea_orm::ActiveModelTrait::insert(active, &txn).await
        }
    };
    let row = row.map_err(constraint_error)?;
    let replaced = previous.map(|p| p.chat_id).filter(|&old| old != chat);
    changelog::record(
        &txn,
        change(
            Some(user),
            group,
            "groupchat.bind",
            json!({ "chat_id": chat, "title": title, "replaced_chat_id": replaced }),
        ),
    )
    .await?;
    let name = group_name(&txn, group).await?;
    txn.commit().await?;
    Ok(binding_of(&row, name, replaced))
}

/// A unique violation on the bindings as the domain error it means.
fn constraint_error(err: DbErr) -> ChatError {
    match storage::unique_violation_constraint(&err).as_deref() {
        Some(c::UQ_GROUPCHATS_CHAT | c::UQ_GROUPCHATS_GROUP) => ChatError::ChatTaken,
        _ => ChatError::Db(err),
    }
}

/// The binding of `chat`, if any.
pub async fn binding_of_chat(
    conn: &impl ConnectionTrait,
    chat: i64,
) -> Result<Option<Binding>, DbErr> {
    let Some(row) = groupchats::Entity::find()
        .filter(groupchats::Column::ChatId.eq(chat))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let name = group_name(conn, row.group_id).await?;
    Ok(Some(binding_of(&row, name, None)))
}

/// The chat bound to `group`, if any.
pub async fn bound_chat(conn: &impl ConnectionTrait, group: Uuid) -> Result<Option<i64>, DbErr> {
    Ok(groupchats::Entity::find()
        .filter(groupchats::Column::GroupId.eq(group))
        .one(conn)
        .await?
        .map(|row| row.chat_id))
}

/// The leader `user` turns posting reminders to `chat` on or off.
pub async fn set_post_reminders(
    db: &DatabaseConnection,
    user: i64,
    chat: i64,
    on: bool,
) -> Result<Binding, ChatError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, user, leader).await?;
    let row = groupchats::Entity::find()
        .filter(groupchats::Column::GroupId.eq(member.group_id))
        .filter(groupchats::Column::ChatId.eq(chat))
        .one(&txn)
        .await?
        .ok_or(ChatError::NotBound)?;
    let mut active: groupchats::ActiveModel = row.into();
    active.post_reminders = Set(on);
    let row = sea_orm::ActiveModelTrait::update(active, &txn).await?;
    changelog::record(
        &txn,
        change(
            Some(user),
            member.group_id,
            "groupchat.post_reminders",
            json!({ "chat_id": chat, "post_reminders": on }),
        ),
    )
    .await?;
    let name = group_name(&txn, member.group_id).await?;
    txn.commit().await?;
    Ok(binding_of(&row, name, None))
}

/// The leader `user` unbinds their group from `chat`.
pub async fn unbind(db: &DatabaseConnection, user: i64, chat: i64) -> Result<(), ChatError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, user, leader).await?;
    let row = groupchats::Entity::find()
        .filter(groupchats::Column::GroupId.eq(member.group_id))
        .filter(groupchats::Column::ChatId.eq(chat))
        .one(&txn)
        .await?
        .ok_or(ChatError::NotBound)?;
    remove_binding(&txn, &row).await?;
    changelog::record(
        &txn,
        change(
            Some(user),
            row.group_id,
            "groupchat.unbind",
            json!({ "chat_id": chat }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn remove_binding(conn: &impl ConnectionTrait, row: &groupchats::Model) -> Result<(), DbErr> {
    livemessages::Entity::delete_many()
        .filter(livemessages::Column::GroupId.eq(row.group_id))
        .exec(conn)
        .await?;
    groupchats::Entity::delete_by_id(row.id).exec(conn).await?;
    Ok(())
}

/// The bot was removed from `chat` (`actor`: who removed it, if known): the binding goes.
/// Returns the group that was bound.
pub async fn bot_removed(
    db: &DatabaseConnection,
    chat: i64,
    actor: Option<i64>,
) -> Result<Option<Uuid>, DbErr> {
    let txn = storage::begin_write(db).await?;
    let Some(row) = groupchats::Entity::find()
        .filter(groupchats::Column::ChatId.eq(chat))
        .one(&txn)
        .await?
    else {
        return Ok(None);
    };
    remove_binding(&txn, &row).await?;
    let actor = match actor {
        Some(id) => crate::storage::entities::users::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .map(|u| u.telegram_id),
        None => None,
    };
    changelog::record(
        &txn,
        change(
            actor,
            row.group_id,
            "groupchat.bot_removed",
            json!({ "chat_id": chat }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(Some(row.group_id))
}

/// Telegram turned `from` into the supergroup `to`: the binding and the live messages follow.
/// Returns whether a binding moved.
pub async fn chat_migrated(db: &DatabaseConnection, from: i64, to: i64) -> Result<bool, DbErr> {
    let txn = storage::begin_write(db).await?;
    let Some(row) = groupchats::Entity::find()
        .filter(groupchats::Column::ChatId.eq(from))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    let mut active: groupchats::ActiveModel = row.clone().into();
    active.chat_id = Set(to);
    sea_orm::ActiveModelTrait::update(active, &txn).await?;
    // Messages of the old chat cannot be edited in the new one.
    livemessages::Entity::delete_many()
        .filter(livemessages::Column::ChatId.eq(from))
        .exec(&txn)
        .await?;
    changelog::record(
        &txn,
        change(
            None,
            row.group_id,
            "groupchat.migrate",
            json!({ "from_chat_id": from, "to_chat_id": to }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Writes one outbox row posting `payload` to the chat bound to `group`; nothing if the group
/// has no bound chat. Call it inside the transaction that creates the event or announcement,
/// so the post exists exactly when the change does. Returns the row's id (to deliver it at
/// once after commit with `Ctx::deliver`, or leave it to the worker).
pub async fn post_to_bound_chat(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    group: Uuid,
    kind: notifications::Kind,
    payload: notifications::Note,
) -> Result<Option<Uuid>, DbErr> {
    let Some(chat) = bound_chat(conn, group).await? else {
        return Ok(None);
    };
    let message = notifications::Message {
        chat_id: chat,
        kind,
        payload,
        dedup_key: None,
        due_at: None,
    };
    let ids = outbox::enqueue(conn, now, vec![message]).await?;
    Ok(ids.into_iter().next())
}

/// The chat bound to `group` if the group wants reminders posted there.
pub async fn posts_reminders(
    conn: &impl ConnectionTrait,
    group: Uuid,
) -> Result<Option<i64>, DbErr> {
    Ok(groupchats::Entity::find()
        .filter(groupchats::Column::GroupId.eq(group))
        .filter(groupchats::Column::PostReminders.eq(true))
        .one(conn)
        .await?
        .map(|row| row.chat_id))
}

// ----- live messages --------------------------------------------------------------------------

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

/// Remembers a live message the bot posted to `chat` for `group`; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn add_live_message(
    db: &DatabaseConnection,
    actor: i64,
    group: Uuid,
    chat: i64,
    message_id: i32,
    kind: LiveKind,
    target: Uuid,
    now: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    let txn = storage::begin_write(db).await?;
    let id = Uuid::new_v4();
    livemessages::Entity::insert(livemessages::ActiveModel {
        id: Set(id),
        group_id: Set(group),
        chat_id: Set(chat),
        message_id: Set(message_id),
        kind: Set(kind.as_str().to_owned()),
        target_id: Set(target),
        created_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    changelog::record(
        &txn,
        Change {
            actor: Some(actor),
            group: Some(group),
            action: "groupchat.publish",
            entity_type: kind.as_str(),
            entity_id: target.to_string(),
            details: json!({ "chat_id": chat, "message_id": message_id }),
        },
    )
    .await?;
    txn.commit().await?;
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

/// A live message that can no longer be edited (deleted in the chat, or its target is gone).
pub async fn forget_live_message(conn: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    livemessages::Entity::delete_by_id(id).exec(conn).await?;
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
    let member = require(conn, user, Role::can_manage).await?;
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
    let chat = bound_chat(conn, member.group_id)
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
    let participants = queueparticipants::Entity::find()
        .filter(queueparticipants::Column::QueueId.eq(queue))
        .order_by_asc(queueparticipants::Column::Position)
        .find_also_related(users::Entity)
        .all(conn)
        .await?;
    let names = participants
        .iter()
        .map(|(_, user)| {
            user.as_ref()
                .map(|u| crate::members::PersonName::of(u).full())
                .unwrap_or_default()
        })
        .collect();
    Ok(Some(QueueState {
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
    let all = topics::Entity::find()
        .filter(topics::Column::TopicListId.eq(list))
        .order_by_asc(topics::Column::Position)
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = all.iter().map(|t| t.id).collect();
    let picks = topicselections::Entity::find()
        .filter(topicselections::Column::TopicId.is_in(ids))
        .all(conn)
        .await?;
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

/// The topic list a topic belongs to.
pub async fn list_of_topic(
    conn: &impl ConnectionTrait,
    topic: Uuid,
) -> Result<Option<Uuid>, DbErr> {
    Ok(topics::Entity::find_by_id(topic)
        .one(conn)
        .await?
        .map(|t| t.topic_list_id))
}
