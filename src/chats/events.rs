//! What happens to a group's chat binding and its live messages, for the change log.

use serde_json::json;
use uuid::Uuid;

use super::LiveKind;
use crate::changelog::Change;
use crate::uow::DomainEvent;

#[derive(Debug, Clone)]
pub enum ChatEvent {
    /// The leader bound the group to `chat` (replacing its binding to `replaced`).
    Bound {
        group: Uuid,
        chat: i64,
        title: String,
        replaced: Option<i64>,
    },
    PostReminders {
        group: Uuid,
        chat: i64,
        on: bool,
    },
    Unbound {
        group: Uuid,
        chat: i64,
    },
    /// The bot left the chat, removed by `remover` (a user of the bot) if known.
    BotRemoved {
        group: Uuid,
        chat: i64,
        remover: Option<i64>,
    },
    /// Telegram turned the chat `from` into the supergroup `to`.
    Migrated {
        group: Uuid,
        from: i64,
        to: i64,
    },
    /// A live message showing `target` was posted to the chat.
    Published {
        group: Uuid,
        kind: LiveKind,
        target: Uuid,
        chat: i64,
        message_id: i32,
    },
}

impl DomainEvent for ChatEvent {
    fn change(&self) -> Option<Change> {
        let binding = |group: &Uuid, action, details| Change {
            actor: None,
            group: Some(*group),
            action,
            entity_type: "groupchat",
            entity_id: group.to_string(),
            details,
        };
        Some(match self {
            ChatEvent::Bound {
                group,
                chat,
                title,
                replaced,
            } => binding(
                group,
                "groupchat.bind",
                json!({ "chat_id": chat, "title": title, "replaced_chat_id": replaced }),
            ),
            ChatEvent::PostReminders { group, chat, on } => binding(
                group,
                "groupchat.post_reminders",
                json!({ "chat_id": chat, "post_reminders": on }),
            ),
            ChatEvent::Unbound { group, chat } => {
                binding(group, "groupchat.unbind", json!({ "chat_id": chat }))
            }
            ChatEvent::BotRemoved {
                group,
                chat,
                remover,
            } => Change {
                actor: *remover,
                ..binding(group, "groupchat.bot_removed", json!({ "chat_id": chat }))
            },
            ChatEvent::Migrated { group, from, to } => binding(
                group,
                "groupchat.migrate",
                json!({ "from_chat_id": from, "to_chat_id": to }),
            ),
            ChatEvent::Published {
                group,
                kind,
                target,
                chat,
                message_id,
            } => Change {
                actor: None,
                group: Some(*group),
                action: "groupchat.publish",
                entity_type: kind.as_str(),
                entity_id: target.to_string(),
                details: json!({ "chat_id": chat, "message_id": message_id }),
            },
        })
    }
}
