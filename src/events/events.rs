//! What happens in a group's calendar, and what follows from it: the change-log row, and for a
//! new event its announcements (each member who wants them but the author, with a button that
//! opens the card; the group's bound chat without the button).

use chrono::{Datelike, NaiveDate};
use serde_json::json;
use uuid::Uuid;

use super::service::Deadline;
use crate::changelog::Change;
use crate::notifications::{Kind, Note, Notice, Screen, Text};
use crate::storage::entities::events;
use crate::uow::{DomainEvent, Live};

#[derive(Debug, Clone)]
pub enum CalendarEvent {
    /// A new event; `recipients` are the members told of it, `chat` the group's bound chat.
    Created {
        group: Uuid,
        group_name: String,
        event: events::Model,
        recipients: Vec<i64>,
        chat: Option<i64>,
    },
    /// One field of an event, before and after.
    Edited {
        group: Uuid,
        event: Uuid,
        field: &'static str,
        from: serde_json::Value,
        to: serde_json::Value,
    },
    /// The event is gone, and with it its `queues` and topic `lists`; `told` stood in those
    /// queues or held a topic of those lists.
    Deleted {
        group: Uuid,
        event: Uuid,
        title: String,
        date: NaiveDate,
        queues: Vec<Uuid>,
        lists: Vec<Uuid>,
        told: Vec<i64>,
    },
    DeadlineAdded {
        group: Uuid,
        deadline: Deadline,
    },
    DeadlineRemoved {
        group: Uuid,
        deadline: Deadline,
    },
}

impl CalendarEvent {
    /// Who is told of a new event: the announcement's kind.
    pub fn announcement_kind(important: bool) -> Kind {
        if important {
            Kind::NewImportantEvent
        } else {
            Kind::NewEvent
        }
    }
}

/// The text announcing `event` of the group `group`.
fn announcement(group: &str, event: &events::Model) -> Text {
    let id = if event.is_important {
        "event-announce-important"
    } else {
        "event-announce"
    };
    let weekday = event.event_date.weekday().number_from_monday();
    Text::new(id)
        .user("group", group)
        .user("title", &event.title)
        .date("date", event.event_date)
        .msg("weekday", format!("calendar-weekday-{weekday}"))
}

fn deadline_details(deadline: &Deadline) -> serde_json::Value {
    json!({
        "event_id": deadline.event_id,
        "description": deadline.text,
        "at": deadline.at,
    })
}

impl DomainEvent for CalendarEvent {
    fn change(&self) -> Option<Change> {
        let (group, action, entity_type, entity_id, details) = match self {
            CalendarEvent::Created { group, event, .. } => (
                group,
                "event.create",
                "event",
                event.id,
                json!({
                    "title": event.title,
                    "subject": event.subject,
                    "date": event.event_date,
                    "important": event.is_important,
                }),
            ),
            CalendarEvent::Edited {
                group,
                event,
                field,
                from,
                to,
            } => (
                group,
                "event.edit",
                "event",
                *event,
                json!({ "field": field, "from": from, "to": to }),
            ),
            CalendarEvent::Deleted {
                group,
                event,
                title,
                date,
                ..
            } => (
                group,
                "event.delete",
                "event",
                *event,
                json!({ "title": title, "date": date }),
            ),
            CalendarEvent::DeadlineAdded { group, deadline } => (
                group,
                "deadline.add",
                "deadline",
                deadline.id,
                deadline_details(deadline),
            ),
            CalendarEvent::DeadlineRemoved { group, deadline } => (
                group,
                "deadline.remove",
                "deadline",
                deadline.id,
                deadline_details(deadline),
            ),
        };
        Some(Change {
            actor: None,
            group: Some(*group),
            action,
            entity_type,
            entity_id: entity_id.to_string(),
            details,
        })
    }

    fn notices(&self) -> Vec<Notice> {
        if let CalendarEvent::Deleted {
            title, date, told, ..
        } = self
        {
            let text = Text::new("event-deleted-notice")
                .user("title", title)
                .date("date", *date);
            return told
                .iter()
                .map(|&user| Notice::new(user, Kind::Notice, Note::new(text.clone())))
                .collect();
        }
        let CalendarEvent::Created {
            group_name,
            event,
            recipients,
            chat,
            ..
        } = self
        else {
            return Vec::new();
        };
        let kind = Self::announcement_kind(event.is_important);
        let mut notices: Vec<Notice> = recipients
            .iter()
            .map(|&user| {
                let note = Note::new(announcement(group_name, event))
                    .button("event-btn-open", Screen::Event(event.id));
                Notice::new(user, kind, note)
            })
            .collect();
        // The group's chat gets the same text; its button opens the card in the private chat.
        if let Some(chat) = chat {
            let note = Note::new(announcement(group_name, event))
                .button("event-btn-open-private", Screen::EventLink(event.id));
            notices.push(Notice::new(*chat, kind, note));
        }
        notices
    }

    fn live(&self) -> Vec<Live> {
        match self {
            CalendarEvent::Deleted { queues, lists, .. } => queues
                .iter()
                .map(|&queue| Live::Queue(queue))
                .chain(lists.iter().map(|&list| Live::TopicList(list)))
                .collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn event(important: bool) -> events::Model {
        events::Model {
            id: Uuid::new_v4(),
            group_id: Uuid::new_v4(),
            created_by_user_id: Some(1),
            title: "Экзамен".into(),
            description: None,
            subject: None,
            event_date: NaiveDate::from_ymd_opt(2026, 12, 15).unwrap_or_default(),
            is_important: important,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn a_new_event_is_announced_to_members_and_the_chat() {
        let event = event(true);
        let created = CalendarEvent::Created {
            group: event.group_id,
            group_name: "ИВТ-21".into(),
            event: event.clone(),
            recipients: vec![2, 3],
            chat: Some(-100),
        };
        let notices = created.notices();
        assert_eq!(notices.len(), 3);
        assert!(notices.iter().all(|n| n.kind == Kind::NewImportantEvent));
        assert_eq!(notices[0].note.buttons.len(), 1);
        assert_eq!(notices[2].chat_id, -100);
        assert_eq!(
            notices[2]
                .note
                .buttons
                .iter()
                .map(|b| b.screen)
                .collect::<Vec<_>>(),
            vec![Screen::EventLink(event.id)],
            "the chat's button links to the private card"
        );
        assert_eq!(notices[0].note.text.id, "event-announce-important");
        let change = created.change().map(|c| c.action);
        assert_eq!(change, Some("event.create"));
    }
}
