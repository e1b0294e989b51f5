//! What happens to an invitation, and what follows from it: the change-log row, and the
//! leader told who joined.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::changelog::Change;
use crate::notifications::{Kind, Notice, Text};
use crate::uow::DomainEvent;

#[derive(Debug, Clone)]
pub enum InviteEvent {
    Created {
        group: Uuid,
        invite: Uuid,
        validity_days: i64,
        single_use: bool,
        expires_at: DateTime<Utc>,
    },
    Revoked {
        group: Uuid,
        invite: Uuid,
        use_count: i32,
    },
    /// `user` joined `group` by `invite`; the group's `leader` is told.
    Joined {
        group: Uuid,
        group_name: String,
        invite: Uuid,
        single_use: bool,
        user: i64,
        /// «Имя Фамилия» of who joined, with their @username if they have one.
        name: String,
        leader: Option<i64>,
    },
}

impl DomainEvent for InviteEvent {
    fn change(&self) -> Option<Change> {
        let (group, action, entity_type, entity_id, details) = match self {
            InviteEvent::Created {
                group,
                invite,
                validity_days,
                single_use,
                expires_at,
            } => (
                group,
                "invite.create",
                "invite",
                invite.to_string(),
                // Never the token itself: the log is readable by more people than the link.
                json!({
                    "validity_days": validity_days,
                    "single_use": single_use,
                    "expires_at": expires_at,
                }),
            ),
            InviteEvent::Revoked {
                group,
                invite,
                use_count,
            } => (
                group,
                "invite.revoke",
                "invite",
                invite.to_string(),
                json!({ "use_count": use_count }),
            ),
            InviteEvent::Joined {
                group,
                invite,
                single_use,
                user,
                ..
            } => (
                group,
                "member.join",
                "member",
                user.to_string(),
                json!({ "invite_id": invite, "single_use": single_use }),
            ),
        };
        Some(Change {
            actor: None,
            group: Some(*group),
            action,
            entity_type,
            entity_id,
            details,
        })
    }

    fn notices(&self) -> Vec<Notice> {
        match self {
            InviteEvent::Joined {
                group_name,
                user,
                name,
                leader: Some(leader),
                ..
            } if leader != user => {
                let text = Text::new("invite-member-joined")
                    .user("name", name)
                    .user("group", group_name);
                vec![Notice::new(*leader, Kind::Notice, text)]
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_join_is_logged_and_tells_the_leader() {
        let invite = Uuid::new_v4();
        let event = InviteEvent::Joined {
            group: Uuid::nil(),
            group_name: "ИВТ-21".into(),
            invite,
            single_use: true,
            user: 5,
            name: "Иван Иванов (@ivan)".into(),
            leader: Some(1),
        };
        let change = event.change().unwrap();
        assert_eq!(change.action, "member.join");
        assert_eq!(change.entity_id, "5");
        assert_eq!(change.details["invite_id"], invite.to_string());
        let notices = event.notices();
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].chat_id, 1);
        assert_eq!(notices[0].note.text.id, "invite-member-joined");
    }
}
