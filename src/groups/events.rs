//! What happens to a group, and what follows from it: the change-log row, and — when a group
//! is deleted — a notice to everyone who was in it, with the menu of someone without a group.

use serde_json::json;
use uuid::Uuid;

use super::Timezone;
use crate::changelog::Change;
use crate::notifications::{Kind, Note, Notice, Text};
use crate::uow::DomainEvent;

/// One of the leader's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Name,
    Description,
    Timezone,
}

impl Setting {
    fn action(self) -> &'static str {
        match self {
            Setting::Name => "group.rename",
            Setting::Description => "group.description",
            Setting::Timezone => "group.timezone",
        }
    }
}

/// Who deleted a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletedBy {
    /// Its leader, from the settings.
    Leader,
    /// A bot administrator, from the panel.
    Admin,
}

/// A deleted group: its name and everyone who was in it but the one who deleted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedGroup {
    pub group_id: Uuid,
    pub name: String,
    /// Members when it was deleted, the deleter included if they were one.
    pub members: usize,
    pub former_members: Vec<i64>,
    pub by: DeletedBy,
}

#[derive(Debug, Clone)]
pub enum GroupEvent {
    Created {
        group: Uuid,
        name: String,
        timezone: Timezone,
    },
    /// A setting changed from `old` to `new` (as stored).
    Changed {
        group: Uuid,
        setting: Setting,
        old: serde_json::Value,
        new: serde_json::Value,
    },
    /// The calendar feed got a new secret (the secret itself stays out of the log).
    FeedRegenerated {
        group: Uuid,
    },
    Deleted(DeletedGroup),
}

impl DomainEvent for GroupEvent {
    fn change(&self) -> Option<Change> {
        let (group, action, details) = match self {
            GroupEvent::Created {
                group,
                name,
                timezone,
            } => (
                Some(*group),
                "group.create",
                json!({ "name": name, "timezone": timezone.name() }),
            ),
            GroupEvent::Changed {
                group,
                setting,
                old,
                new,
            } => (
                Some(*group),
                setting.action(),
                json!({ "old": old, "new": new }),
            ),
            GroupEvent::FeedRegenerated { group } => {
                (Some(*group), "group.ics_regenerate", json!({}))
            }
            // The group is gone with the commit: the row keeps its id in the details only.
            GroupEvent::Deleted(deleted) => (
                None,
                match deleted.by {
                    DeletedBy::Leader => "group.delete",
                    DeletedBy::Admin => "admin.group_delete",
                },
                json!({
                    "group_id": deleted.group_id.to_string(),
                    "name": deleted.name,
                    "members": deleted.members,
                }),
            ),
        };
        let id = match self {
            GroupEvent::Created { group, .. }
            | GroupEvent::Changed { group, .. }
            | GroupEvent::FeedRegenerated { group } => *group,
            GroupEvent::Deleted(deleted) => deleted.group_id,
        };
        Some(Change {
            actor: None,
            group,
            action,
            entity_type: "group",
            entity_id: id.to_string(),
            details,
        })
    }

    fn notices(&self) -> Vec<Notice> {
        let GroupEvent::Deleted(deleted) = self else {
            return Vec::new();
        };
        let id = match deleted.by {
            DeletedBy::Leader => "group-deleted-notice",
            DeletedBy::Admin => "admin-group-deleted-notice",
        };
        deleted
            .former_members
            .iter()
            .map(|&member| {
                let text = Text::new(id).user("name", &deleted.name);
                Notice::new(member, Kind::Notice, Note::new(text).with_menu())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deleted(by: DeletedBy) -> GroupEvent {
        GroupEvent::Deleted(DeletedGroup {
            group_id: Uuid::nil(),
            name: "ИВТ-21".into(),
            members: 3,
            former_members: vec![1, 2],
            by,
        })
    }

    #[test]
    fn a_deleted_group_tells_its_former_members_with_the_menu() {
        for (by, action, notice) in [
            (DeletedBy::Leader, "group.delete", "group-deleted-notice"),
            (
                DeletedBy::Admin,
                "admin.group_delete",
                "admin-group-deleted-notice",
            ),
        ] {
            let event = deleted(by);
            let change = event.change().unwrap();
            assert_eq!((change.action, change.group), (action, None));
            assert_eq!(change.details["members"], 3);
            let notices = event.notices();
            assert_eq!(notices.len(), 2);
            assert!(
                notices
                    .iter()
                    .all(|n| n.note.menu && n.note.text.id == notice)
            );
        }
    }
}
