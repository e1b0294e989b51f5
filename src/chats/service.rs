//! The rules for the group's Telegram chat: use cases that run in a unit of work ([`Uow`]) and
//! the reads the chat's screens show. No Telegram types here.
//!
//! A study group is bound to at most one chat and a chat to at most one group (the unique
//! constraints `uq_groupchats_group` and `uq_groupchats_chat`, mapped to [`ChatError`]). Only
//! the leader binds; binding again (the same chat, or another one) replaces the binding. The
//! binding follows the chat when Telegram turns it into a supergroup and disappears when the
//! bot is removed from the chat (those two run for nobody: the update handler and the outbox
//! sender see them happen).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{ExprTrait, IntoCondition};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::events::ChatEvent;
use crate::members::repo::group_name;
use crate::members::service::Member;
use crate::members::{Language, Role};
use crate::notifications::{self, outbox};
use crate::storage::entities::{groupchats, livemessages, users};
use crate::storage::{self, constraints as c};
use crate::uow::{Uow, use_case_error};

use_case_error! {
    pub enum ChatError {
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
    }
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

async fn binding_of(
    conn: &impl ConnectionTrait,
    row: &groupchats::Model,
    replaced: Option<i64>,
) -> Result<Binding, DbErr> {
    Ok(Binding {
        group_id: row.group_id,
        group_name: group_name(conn, row.group_id).await?,
        chat_id: row.chat_id,
        title: row.title.clone(),
        post_reminders: row.post_reminders,
        replaced_chat: replaced,
    })
}

/// The binding row `filter` picks (by chat or by group: there is at most one of each).
async fn row(
    conn: &impl ConnectionTrait,
    filter: impl IntoCondition,
) -> Result<Option<groupchats::Model>, DbErr> {
    groupchats::Entity::find().filter(filter).one(conn).await
}

async fn row_of_chat(
    conn: &impl ConnectionTrait,
    chat: i64,
) -> Result<Option<groupchats::Model>, DbErr> {
    row(conn, groupchats::Column::ChatId.eq(chat)).await
}

async fn row_of_group(
    conn: &impl ConnectionTrait,
    group: Uuid,
) -> Result<Option<groupchats::Model>, DbErr> {
    row(conn, groupchats::Column::GroupId.eq(group)).await
}

/// The acting leader's binding of `chat`: their group must be the one bound there.
async fn leaders_binding(
    uow: &Uow<'_>,
    chat: i64,
) -> Result<(Member, groupchats::Model), ChatError> {
    let me = uow.member(Role::is_leader).await?;
    let row = row_of_group(uow.db(), me.group_id)
        .await?
        .filter(|row| row.chat_id == chat)
        .ok_or(ChatError::NotBound)?;
    Ok((me, row))
}

/// The leader binds their group to `chat` (titled `title`). A previous binding of the group
/// is replaced; a chat bound to another group is refused.
pub async fn bind(uow: &mut Uow<'_>, chat: i64, title: &str) -> Result<Binding, ChatError> {
    let me = uow.member(Role::is_leader).await?;
    let group = me.group_id;
    let in_chat = row_of_chat(uow.db(), chat).await?;
    if in_chat.as_ref().is_some_and(|row| row.group_id != group) {
        return Err(ChatError::ChatTaken);
    }
    let previous = row_of_group(uow.db(), group).await?;
    let title: String = title.chars().take(255).collect();
    let row = match &previous {
        Some(row) => {
            let mut active: groupchats::ActiveModel = row.clone().into();
            active.chat_id = Set(chat);
            active.title = Set(title.clone());
            active.bound_by = Set(Some(me.user_id));
            active.bound_at = Set(uow.now());
            if row.chat_id != chat {
                active.post_reminders = Set(false);
                forget_live_messages(uow.db(), group).await?;
            }
            active.update(uow.db()).await
        }
        None => {
            let active = groupchats::ActiveModel {
                id: Set(Uuid::new_v4()),
                group_id: Set(group),
                chat_id: Set(chat),
                title: Set(title.clone()),
                bound_by: Set(Some(me.user_id)),
                bound_at: Set(uow.now()),
                post_reminders: Set(false),
            };
            active.insert(uow.db()).await
        }
    };
    let row = row.map_err(constraint_error)?;
    let replaced = previous.map(|p| p.chat_id).filter(|&old| old != chat);
    uow.record(ChatEvent::Bound {
        group,
        chat,
        title,
        replaced,
    });
    Ok(binding_of(uow.db(), &row, replaced).await?)
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
    match row_of_chat(conn, chat).await? {
        Some(row) => Ok(Some(binding_of(conn, &row, None).await?)),
        None => Ok(None),
    }
}

/// The binding of `chat` as `user` sees it, and whether they lead the bound group (only the
/// leader gets its buttons).
pub async fn binding_seen_by(
    db: &DatabaseConnection,
    chat: i64,
    user: Option<i64>,
) -> Result<Option<(Binding, bool)>, DbErr> {
    let Some(binding) = binding_of_chat(db, chat).await? else {
        return Ok(None);
    };
    let leader = match user {
        Some(user) => crate::members::service::member(db, user)
            .await?
            .is_some_and(|m| m.group_id == binding.group_id && m.role.is_leader()),
        None => false,
    };
    Ok(Some((binding, leader)))
}

/// The language `user` chose, or their client's, if they use the bot.
pub async fn language_of(db: &DatabaseConnection, user: i64) -> Result<Option<Language>, DbErr> {
    let stored = users::Entity::find_by_id(user).one(db).await?;
    Ok(stored.as_ref().map(Language::of_user))
}

/// The chat bound to `group`, if any.
pub async fn bound_chat(conn: &impl ConnectionTrait, group: Uuid) -> Result<Option<i64>, DbErr> {
    Ok(row_of_group(conn, group).await?.map(|row| row.chat_id))
}

/// The leader turns posting reminders to `chat` on or off.
pub async fn set_post_reminders(
    uow: &mut Uow<'_>,
    chat: i64,
    on: bool,
) -> Result<Binding, ChatError> {
    let (me, row) = leaders_binding(uow, chat).await?;
    let mut active: groupchats::ActiveModel = row.into();
    active.post_reminders = Set(on);
    let row = active.update(uow.db()).await?;
    uow.record(ChatEvent::PostReminders {
        group: me.group_id,
        chat,
        on,
    });
    Ok(binding_of(uow.db(), &row, None).await?)
}

/// The leader unbinds their group from `chat`.
pub async fn unbind(uow: &mut Uow<'_>, chat: i64) -> Result<(), ChatError> {
    let (me, row) = leaders_binding(uow, chat).await?;
    remove_binding(uow.db(), &row).await?;
    uow.record(ChatEvent::Unbound {
        group: me.group_id,
        chat,
    });
    Ok(())
}

async fn forget_live_messages(conn: &impl ConnectionTrait, group: Uuid) -> Result<(), DbErr> {
    livemessages::Entity::delete_many()
        .filter(livemessages::Column::GroupId.eq(group))
        .exec(conn)
        .await?;
    Ok(())
}

async fn remove_binding(conn: &impl ConnectionTrait, row: &groupchats::Model) -> Result<(), DbErr> {
    forget_live_messages(conn, row.group_id).await?;
    groupchats::Entity::delete_by_id(row.id).exec(conn).await?;
    Ok(())
}

/// The bot was removed from `chat` (by `remover`, if known): the binding goes. Returns the
/// group that was bound.
pub async fn bot_removed(
    uow: &mut Uow<'_>,
    chat: i64,
    remover: Option<i64>,
) -> Result<Option<Uuid>, DbErr> {
    let Some(row) = row_of_chat(uow.db(), chat).await? else {
        return Ok(None);
    };
    remove_binding(uow.db(), &row).await?;
    // Named in the log only if they use the bot.
    let remover = match remover {
        Some(id) => users::Entity::find_by_id(id)
            .one(uow.db())
            .await?
            .map(|u| u.telegram_id),
        None => None,
    };
    uow.record(ChatEvent::BotRemoved {
        group: row.group_id,
        chat,
        remover,
    });
    Ok(Some(row.group_id))
}

/// Telegram turned `from` into the supergroup `to`: the binding and the live messages follow.
/// Returns whether a binding moved.
pub async fn chat_migrated(uow: &mut Uow<'_>, from: i64, to: i64) -> Result<bool, DbErr> {
    let Some(row) = row_of_chat(uow.db(), from).await? else {
        return Ok(false);
    };
    let group = row.group_id;
    let mut active: groupchats::ActiveModel = row.into();
    active.chat_id = Set(to);
    active.update(uow.db()).await?;
    // Messages of the old chat cannot be edited in the new one.
    livemessages::Entity::delete_many()
        .filter(livemessages::Column::ChatId.eq(from))
        .exec(uow.db())
        .await?;
    uow.record(ChatEvent::Migrated { group, from, to });
    Ok(true)
}

/// Writes one outbox row posting `payload` to the chat bound to `group`; nothing if the group
/// has no bound chat. Call it inside the transaction that creates the event or announcement,
/// so the post exists exactly when the change does. Returns the row's id (to deliver it at
/// once after commit, or leave it to the worker).
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
    let wants = groupchats::Column::GroupId
        .eq(group)
        .and(groupchats::Column::PostReminders.eq(true));
    Ok(row(conn, wants).await?.map(|row| row.chat_id))
}

/// The topic list a topic belongs to.
pub async fn list_of_topic(
    conn: &impl ConnectionTrait,
    topic: Uuid,
) -> Result<Option<Uuid>, DbErr> {
    Ok(crate::storage::entities::topics::Entity::find_by_id(topic)
        .one(conn)
        .await?
        .map(|t| t.topic_list_id))
}
