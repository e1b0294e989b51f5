//! Notices: what a change tells the people it concerns, written to the outbox inside the
//! change's own transaction. A notice is data — a [`Note`]: a template id, its arguments and
//! buttons — rendered in the recipient's language only when it is sent.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::note::Note;
use super::{Kind, Message, NotificationSettings, outbox};
use crate::storage::entities::users;

/// One notice for one chat.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub chat_id: i64,
    pub kind: Kind,
    pub note: Note,
}

impl Notice {
    pub fn new(chat_id: i64, kind: Kind, note: impl Into<Note>) -> Self {
        Self {
            chat_id,
            kind,
            note: note.into(),
        }
    }

    pub fn chat_id(&self) -> i64 {
        self.chat_id
    }
}

/// Writes `notices` to the outbox inside the caller's transaction, except to users who blocked
/// the bot or whose settings turn the kind off (a group chat, negative id, gets every notice
/// addressed to it). Returns the ids written, for the delivery after the commit.
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
        let reachable = match users.get(&notice.chat_id) {
            Some(user) => {
                !user.is_blocked && NotificationSettings::of_user(user).allows(notice.kind)
            }
            None => notice.chat_id < 0,
        };
        if reachable {
            messages.push(Message {
                chat_id: notice.chat_id,
                kind: notice.kind,
                payload: notice.note,
                dedup_key: None,
                due_at: None,
            });
        }
    }
    outbox::enqueue(conn, now, messages).await
}
