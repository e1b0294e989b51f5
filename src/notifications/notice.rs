//! Notices: what a change tells the people it concerns, written to the outbox inside the
//! change's own transaction. The Telegram side describes a notice as a function of the
//! recipient's language (so services stay free of texts and keyboards); [`write`] reads each
//! recipient's language and settings in the transaction, renders, and enqueues.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{Kind, Message, NotificationSettings, Payload, outbox};
use crate::storage::entities::users;
use crate::telegram::Locale;

type Render = Box<dyn Fn(Locale) -> Payload + Send>;

/// One notice for one chat, rendered in the recipient's language when written.
pub struct Notice {
    chat_id: i64,
    kind: Kind,
    render: Render,
}

impl Notice {
    pub fn new(
        chat_id: i64,
        kind: Kind,
        render: impl Fn(Locale) -> Payload + Send + 'static,
    ) -> Self {
        Self {
            chat_id,
            kind,
            render: Box::new(render),
        }
    }

    pub fn chat_id(&self) -> i64 {
        self.chat_id
    }
}

impl std::fmt::Debug for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notice")
            .field("chat_id", &self.chat_id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// A service's hook for the notices of its outcome `T` (the Telegram side renders them).
pub trait Notices<T>: Fn(&T) -> Vec<Notice> + Sync {}
impl<T, F: Fn(&T) -> Vec<Notice> + Sync> Notices<T> for F {}

/// No notices (callers that tell nobody, e.g. benchmarks and tests of the rules).
pub fn none<T>(_: &T) -> Vec<Notice> {
    Vec::new()
}

/// Writes `notices` to the outbox inside the caller's transaction: a user recipient gets the
/// notice in their language, unless they blocked the bot or their settings turn the kind off;
/// any other chat (a group chat) gets it in Russian. Returns the ids written, for
/// `Ctx::deliver` after the commit.
pub async fn write(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    notices: Vec<Notice>,
) -> Result<Vec<Uuid>, DbErr> {
    if notices.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = notices.iter().map(|n| n.chat_id).collect();
    let users: HashMap<i64, users::Model> = users::Entity::find()
        .filter(users::Column::TelegramId.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|user| (user.telegram_id, user))
        .collect();
    let mut messages = Vec::with_capacity(notices.len());
    for notice in notices {
        let locale = match users.get(&notice.chat_id) {
            Some(user) => {
                if user.is_blocked || !NotificationSettings::of_user(user).allows(notice.kind) {
                    continue;
                }
                Locale::of_user(user)
            }
            None if notice.chat_id < 0 => Locale::Ru,
            None => continue,
        };
        let payload = (notice.render)(locale);
        messages.push(Message {
            chat_id: notice.chat_id,
            kind: notice.kind,
            payload,
            dedup_key: None,
            due_at: None,
        });
    }
    outbox::enqueue(conn, now, messages).await
}
