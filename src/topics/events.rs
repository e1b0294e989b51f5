//! What happens to a topic list, and what follows from it: the change-log row, who is told (a
//! student whose pick was confirmed or rejected, or whose topic was removed), and the published
//! list message to refresh.

use serde_json::json;
use uuid::Uuid;

use crate::changelog::Change;
use crate::notifications::{About, Kind, Note, Notice, Screen, Text};
use crate::storage::entities::{topiclists, topics};
use crate::uow::{DomainEvent, Live};

/// A student's pick a leader decided on: whose, and which topic of which list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub selection: Uuid,
    pub list: Uuid,
    pub list_title: String,
    pub topic: Uuid,
    pub topic_title: String,
    pub student: i64,
    /// The event the list is for.
    pub about: About,
}

#[derive(Debug, Clone)]
pub enum TopicEvent {
    /// A list attached to an event, with its first `topics`.
    Created {
        group: Uuid,
        list: topiclists::Model,
        topics: usize,
    },
    /// Topics added to a list.
    Added {
        group: Uuid,
        list: Uuid,
        titles: Vec<String>,
    },
    /// A topic removed; the picks of `students` went with it.
    TopicRemoved {
        group: Uuid,
        list: topiclists::Model,
        about: About,
        topic: topics::Model,
        students: Vec<i64>,
    },
    /// A list deleted with its topics and picks.
    Deleted {
        group: Uuid,
        list: topiclists::Model,
    },
    /// A student picked a topic.
    Picked {
        group: Uuid,
        list: Uuid,
        topic: topics::Model,
        selection: Uuid,
    },
    /// A student gave up a pick (`replaced`: for another topic of the list).
    Unpicked {
        group: Uuid,
        list: Uuid,
        topic: Uuid,
        selection: Uuid,
        replaced: bool,
    },
    /// One pick confirmed.
    Confirmed { group: Uuid, pick: Decided },
    /// Every open pick of a list confirmed at once.
    ConfirmedAll {
        group: Uuid,
        list: Uuid,
        picks: Vec<Decided>,
    },
    /// A pick rejected: the place is free again.
    Rejected {
        group: Uuid,
        pick: Decided,
        was_confirmed: bool,
    },
}

impl TopicEvent {
    fn group_and_list(&self) -> (Uuid, Uuid) {
        match self {
            TopicEvent::Created { group, list, .. }
            | TopicEvent::TopicRemoved { group, list, .. }
            | TopicEvent::Deleted { group, list } => (*group, list.id),
            TopicEvent::Added { group, list, .. }
            | TopicEvent::Picked { group, list, .. }
            | TopicEvent::Unpicked { group, list, .. }
            | TopicEvent::ConfirmedAll { group, list, .. } => (*group, *list),
            TopicEvent::Confirmed { group, pick } | TopicEvent::Rejected { group, pick, .. } => {
                (*group, pick.list)
            }
        }
    }
}

/// A notice to `student` about list `list`: `text`, with a button to open the list.
fn notice(student: i64, list: Uuid, text: Text) -> Notice {
    let note = Note::new(text).button("topics-btn-open", Screen::TopicList(list));
    Notice::new(student, Kind::Notice, note)
}

/// The student is told the decision `id` on their pick.
fn tell(pick: &Decided, id: &str) -> Notice {
    let text = Text::new(id)
        .user("title", &pick.topic_title)
        .user("list", &pick.list_title);
    let text = pick.about.onto(text);
    notice(pick.student, pick.list, text)
}

impl DomainEvent for TopicEvent {
    fn change(&self) -> Option<Change> {
        let (group, list) = self.group_and_list();
        let (action, entity_type, entity_id, details) = match self {
            TopicEvent::Created { list, topics, .. } => (
                "topics.create",
                "topic_list",
                list.id,
                json!({
                    "event_id": list.event_id,
                    "title": list.title,
                    "capacity": list.max_participants_per_topic,
                    "topics": topics,
                }),
            ),
            TopicEvent::Added { titles, .. } => (
                "topics.add",
                "topic_list",
                list,
                json!({ "topics": titles }),
            ),
            TopicEvent::TopicRemoved {
                topic, students, ..
            } => (
                "topics.remove",
                "topic",
                topic.id,
                json!({ "list_id": list, "title": topic.title, "students": students }),
            ),
            TopicEvent::Deleted { list, .. } => (
                "topics.delete",
                "topic_list",
                list.id,
                json!({ "event_id": list.event_id, "title": list.title }),
            ),
            TopicEvent::Picked {
                topic, selection, ..
            } => (
                "topic.pick",
                "topic_selection",
                *selection,
                json!({ "list_id": list, "topic_id": topic.id, "title": topic.title }),
            ),
            TopicEvent::Unpicked {
                topic,
                selection,
                replaced,
                ..
            } => {
                let details = if *replaced {
                    json!({ "list_id": list, "topic_id": topic, "replaced": true })
                } else {
                    json!({ "list_id": list, "topic_id": topic })
                };
                ("topic.unpick", "topic_selection", *selection, details)
            }
            TopicEvent::Confirmed { pick, .. } => (
                "topic.confirm",
                "topic_selection",
                pick.selection,
                json!({ "list_id": list, "topic_id": pick.topic, "student": pick.student }),
            ),
            TopicEvent::ConfirmedAll { picks, .. } => {
                let selections: Vec<Uuid> = picks.iter().map(|p| p.selection).collect();
                (
                    "topic.confirm",
                    "topic_list",
                    list,
                    json!({ "selections": selections }),
                )
            }
            TopicEvent::Rejected {
                pick,
                was_confirmed,
                ..
            } => (
                "topic.reject",
                "topic_selection",
                pick.selection,
                json!({
                    "list_id": list,
                    "topic_id": pick.topic,
                    "student": pick.student,
                    "was_confirmed": was_confirmed,
                }),
            ),
        };
        Some(Change {
            actor: None,
            group: Some(group),
            action,
            entity_type,
            entity_id: entity_id.to_string(),
            details,
        })
    }

    fn notices(&self) -> Vec<Notice> {
        match self {
            TopicEvent::Confirmed { pick, .. } => vec![tell(pick, "topics-confirmed-notice")],
            TopicEvent::ConfirmedAll { picks, .. } => picks
                .iter()
                .map(|pick| tell(pick, "topics-confirmed-notice"))
                .collect(),
            TopicEvent::Rejected { pick, .. } => vec![tell(pick, "topics-rejected-notice")],
            TopicEvent::TopicRemoved {
                list,
                about,
                topic,
                students,
                ..
            } => {
                let text = Text::new("topics-removed-notice")
                    .user("title", &topic.title)
                    .user("list", &list.title);
                let text = about.onto(text);
                students
                    .iter()
                    .map(|&student| notice(student, list.id, text.clone()))
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    fn live(&self) -> Vec<Live> {
        match self {
            // No message shows a list before it exists.
            TopicEvent::Created { .. } => Vec::new(),
            _ => vec![Live::TopicList(self.group_and_list().1)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decided() -> Decided {
        Decided {
            selection: Uuid::from_u128(1),
            list: Uuid::from_u128(2),
            list_title: "Доклады".into(),
            topic: Uuid::from_u128(3),
            topic_title: "Алгебра".into(),
            student: 42,
            about: About {
                event: "Семинар".into(),
                date: chrono::NaiveDate::from_ymd_opt(2026, 12, 15).unwrap_or_default(),
            },
        }
    }

    #[test]
    fn a_decision_tells_the_student_with_the_list_button() {
        let event = TopicEvent::Rejected {
            group: Uuid::nil(),
            pick: decided(),
            was_confirmed: false,
        };
        let notices = event.notices();
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].chat_id, 42);
        assert_eq!(notices[0].note.text.id, "topics-rejected-notice");
        let args = &notices[0].note.text.args;
        assert_eq!(
            args.get("event"),
            Some(&crate::notifications::note::Arg::User("Семинар".into()))
        );
        assert!(args.contains_key("date"));
        assert_eq!(
            notices[0].note.buttons[0].screen,
            Screen::TopicList(Uuid::from_u128(2))
        );
        let change = event.change().map(|c| (c.action, c.entity_type, c.details));
        assert_eq!(
            change,
            Some((
                "topic.reject",
                "topic_selection",
                json!({
                    "list_id": Uuid::from_u128(2),
                    "topic_id": Uuid::from_u128(3),
                    "student": 42,
                    "was_confirmed": false,
                })
            ))
        );
        assert_eq!(event.live(), vec![Live::TopicList(Uuid::from_u128(2))]);
    }

    #[test]
    fn confirming_a_whole_list_is_one_row_and_a_notice_each() {
        let mut other = decided();
        other.selection = Uuid::from_u128(9);
        other.student = 43;
        let event = TopicEvent::ConfirmedAll {
            group: Uuid::nil(),
            list: Uuid::from_u128(2),
            picks: vec![decided(), other],
        };
        let change = event
            .change()
            .map(|c| (c.entity_type, c.entity_id, c.details));
        assert_eq!(
            change,
            Some((
                "topic_list",
                Uuid::from_u128(2).to_string(),
                json!({ "selections": [Uuid::from_u128(1), Uuid::from_u128(9)] })
            ))
        );
        let told: Vec<i64> = event.notices().iter().map(|n| n.chat_id).collect();
        assert_eq!(told, vec![42, 43]);
    }
}
