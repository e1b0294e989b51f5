//! What happens to a membership or a profile, and what follows from it: the change-log row and
//! who is told (the member a leader acted upon, the new leader, the leader of a group someone
//! left).

use serde_json::json;
use uuid::Uuid;

use crate::changelog::Change;
use crate::notifications::{Kind, Note, Notice, Text};
use crate::uow::DomainEvent;

/// A member as the events name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// The membership (`groupmembers.id`).
    pub membership: Uuid,
    pub user: i64,
    /// «Фамилия Имя Отчество».
    pub name: String,
}

/// The group a change happened in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InGroup {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone)]
pub enum MemberEvent {
    /// The leader made `member` an assistant, or took the role back.
    AssistantSet {
        group: InGroup,
        member: Subject,
        assistant: bool,
    },
    /// The leader removed `member` from the group.
    Removed { group: InGroup, member: Subject },
    /// `member` left the group; its `leader` is told.
    Left {
        group: InGroup,
        member: Subject,
        leader: Option<i64>,
    },
    /// The leader `from` handed leadership to `to` and became an assistant.
    LeadershipTransferred {
        group: InGroup,
        from: i64,
        from_name: String,
        to: Subject,
    },
    /// A user entered their ФИО.
    FullNameSet {
        user: i64,
        /// Their group, if they are in one (its leader sees the change in its history).
        group: Option<Uuid>,
        last: String,
        first: String,
        middle: Option<String>,
    },
    /// A user chose their interface language (`None`: their Telegram client's).
    LanguageSet { user: i64, language: Option<String> },
}

/// A notice about the group `group` to `user`.
fn tell(user: i64, text: Text) -> Notice {
    Notice::new(user, Kind::Notice, text)
}

impl DomainEvent for MemberEvent {
    fn change(&self) -> Option<Change> {
        let membership = |group: &InGroup, action, member: &Subject| Change {
            actor: None,
            group: Some(group.id),
            action,
            entity_type: "groupmember",
            entity_id: member.membership.to_string(),
            details: json!({ "user_id": member.user, "name": member.name }),
        };
        let profile = |user: i64, group, action, details| Change {
            actor: None,
            group,
            action,
            entity_type: "user",
            entity_id: user.to_string(),
            details,
        };
        Some(match self {
            MemberEvent::AssistantSet {
                group,
                member,
                assistant,
            } => {
                let action = if *assistant {
                    "member.appoint"
                } else {
                    "member.revoke"
                };
                membership(group, action, member)
            }
            MemberEvent::Removed { group, member } => membership(group, "member.remove", member),
            MemberEvent::Left { group, member, .. } => membership(group, "member.leave", member),
            MemberEvent::LeadershipTransferred {
                group, from, to, ..
            } => Change {
                actor: None,
                group: Some(group.id),
                action: "group.transfer",
                entity_type: "group",
                entity_id: group.id.to_string(),
                details: json!({
                    "from_user_id": from,
                    "to_user_id": to.user,
                    "to_name": to.name,
                }),
            },
            MemberEvent::FullNameSet {
                user,
                group,
                last,
                first,
                middle,
            } => profile(
                *user,
                *group,
                "profile.fio",
                json!({ "last_name": last, "first_name": first, "middle_name": middle }),
            ),
            MemberEvent::LanguageSet { user, language } => profile(
                *user,
                None,
                "profile.language",
                json!({ "language": language }),
            ),
        })
    }

    fn notices(&self) -> Vec<Notice> {
        let about = |id: &str, group: &InGroup| Text::new(id).user("group", &group.name);
        match self {
            MemberEvent::AssistantSet {
                group,
                member,
                assistant,
            } => {
                let id = if *assistant {
                    "members-notify-appointed"
                } else {
                    "members-notify-revoked"
                };
                vec![tell(member.user, about(id, group))]
            }
            // The removed student gets the menu of someone in no group.
            MemberEvent::Removed { group, member } => vec![Notice::new(
                member.user,
                Kind::Notice,
                Note::new(about("members-notify-removed", group)).with_menu(),
            )],
            MemberEvent::Left {
                group,
                member,
                leader: Some(leader),
            } => {
                let text = about("members-notify-left", group).user("name", &member.name);
                vec![tell(*leader, text)]
            }
            // The new leader, with the leader's keyboard.
            MemberEvent::LeadershipTransferred {
                group,
                from_name,
                to,
                ..
            } => {
                let text = about("members-notify-leader", group).user("name", from_name);
                vec![Notice::new(
                    to.user,
                    Kind::Notice,
                    Note::new(text).with_menu(),
                )]
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group() -> InGroup {
        InGroup {
            id: Uuid::nil(),
            name: "ИВТ-21".into(),
        }
    }

    fn petrov() -> Subject {
        Subject {
            membership: Uuid::max(),
            user: 7,
            name: "Петров Пётр".into(),
        }
    }

    #[test]
    fn a_removal_is_logged_and_tells_the_member_with_their_menu() {
        let event = MemberEvent::Removed {
            group: group(),
            member: petrov(),
        };
        let change = event.change().unwrap();
        assert_eq!(change.action, "member.remove");
        assert_eq!(change.entity_id, Uuid::max().to_string());
        assert_eq!(change.details["user_id"], 7);
        let notices = event.notices();
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].chat_id, 7);
        assert!(notices[0].note.menu);
        assert_eq!(notices[0].note.text.id, "members-notify-removed");
    }

    #[test]
    fn leaving_a_group_without_a_leader_tells_nobody() {
        let event = MemberEvent::Left {
            group: group(),
            member: petrov(),
            leader: None,
        };
        assert_eq!(event.change().unwrap().action, "member.leave");
        assert!(event.notices().is_empty());
    }
}
