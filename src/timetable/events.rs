//! What happens to a group's timetable, and what follows from it: the change-log row, and for a
//! change to a date, one notice to each member whose next seven days it changes.

use chrono::NaiveDate;
use serde_json::json;
use uuid::Uuid;

use super::schedule::ChangeKind;
use super::week::Parity;
use crate::changelog::Change;
use crate::notifications::{Kind, Note, Notice, Text};

#[derive(Debug, Clone)]
pub enum TimetableEvent {
    SemesterSet {
        group: Uuid,
        first_day: NaiveDate,
        last_day: NaiveDate,
        first_week: Parity,
    },
    ClassesAdded {
        group: Uuid,
        classes: Vec<Uuid>,
    },
    BellsSet {
        group: Uuid,
        pairs: usize,
    },
    PostChangesSet {
        group: Uuid,
        on: bool,
    },
    PostDigestSet {
        group: Uuid,
        on: bool,
    },
    ClassDeleted {
        group: Uuid,
        class: Uuid,
        subject: String,
    },
    ClassEdited {
        group: Uuid,
        class: Uuid,
        subject: String,
    },
    /// Classes read from a calendar file, with `cancelled` dates they do not meet on.
    Imported {
        group: Uuid,
        classes: Vec<Uuid>,
        cancelled: usize,
    },
    SubgroupSet {
        group: Uuid,
        user: i64,
        subgroup: Option<u8>,
    },
    /// An extra class removed; `recipients` as for a date change.
    ExtraRemoved {
        group: Uuid,
        change: Uuid,
        subject: String,
        on_date: NaiveDate,
        pair: u8,
        recipients: Vec<i64>,
    },
    /// A class cancelled or moved on a date, or an extra class; `recipients` are the members
    /// (not the author) whose next seven days it changes.
    DateChanged {
        group: Uuid,
        change: Uuid,
        class: Option<Uuid>,
        subject: String,
        on_date: NaiveDate,
        pair: u8,
        kind: ChangeKind,
        recipients: Vec<i64>,
    },
}

impl TimetableEvent {
    /// The notice of a date change: what changed, in the recipient's language when sent.
    pub fn change_text(subject: &str, on_date: NaiveDate, pair: u8, kind: &ChangeKind) -> Text {
        match kind {
            ChangeKind::Cancel => Text::new("timetable-notice-cancelled")
                .user("subject", subject)
                .date("date", on_date)
                .num("pair", pair),
            ChangeKind::Move(to) => Text::new("timetable-notice-moved")
                .user("subject", subject)
                .date("date", on_date)
                .num("pair", pair)
                .date("to_date", to.date)
                .num("to_pair", to.pair.number())
                .user("room", to.room.as_ref().map(|r| r.as_str()).unwrap_or("—")),
            ChangeKind::Extra(extra) => Text::new("timetable-notice-extra")
                .user("subject", subject)
                .date("date", extra.date)
                .num("pair", extra.pair.number())
                .user(
                    "room",
                    extra.room.as_ref().map(|r| r.as_str()).unwrap_or("—"),
                ),
        }
    }
}

impl crate::uow::DomainEvent for TimetableEvent {
    fn change(&self) -> Option<Change> {
        let (group, action, entity_type, entity_id, details) = match self {
            TimetableEvent::SemesterSet {
                group,
                first_day,
                last_day,
                first_week,
            } => (
                group,
                "timetable.semester",
                "group",
                group.to_string(),
                json!({ "first_day": first_day, "last_day": last_day, "first_week": first_week.as_str() }),
            ),
            TimetableEvent::PostChangesSet { group, on } => (
                group,
                "timetable.post_changes",
                "group",
                group.to_string(),
                json!({ "on": on }),
            ),
            TimetableEvent::PostDigestSet { group, on } => (
                group,
                "timetable.post_digest",
                "group",
                group.to_string(),
                json!({ "on": on }),
            ),
            TimetableEvent::BellsSet { group, pairs } => (
                group,
                "timetable.bells",
                "group",
                group.to_string(),
                json!({ "pairs": pairs }),
            ),
            TimetableEvent::ClassesAdded { group, classes } => (
                group,
                "timetable.classes_add",
                "group",
                group.to_string(),
                json!({ "classes": classes }),
            ),
            TimetableEvent::ClassDeleted {
                group,
                class,
                subject,
            } => (
                group,
                "timetable.class_delete",
                "class",
                class.to_string(),
                json!({ "subject": subject }),
            ),
            TimetableEvent::ClassEdited {
                group,
                class,
                subject,
            } => (
                group,
                "timetable.class_edit",
                "class",
                class.to_string(),
                json!({ "subject": subject }),
            ),
            TimetableEvent::Imported {
                group,
                classes,
                cancelled,
            } => (
                group,
                "timetable.import",
                "group",
                group.to_string(),
                json!({ "classes": classes, "cancelled": cancelled }),
            ),
            TimetableEvent::SubgroupSet {
                group,
                user,
                subgroup,
            } => (
                group,
                "timetable.subgroup",
                "user",
                user.to_string(),
                json!({ "subgroup": subgroup }),
            ),
            TimetableEvent::ExtraRemoved {
                group,
                change,
                subject,
                on_date,
                ..
            } => (
                group,
                "timetable.extra_remove",
                "classchange",
                change.to_string(),
                json!({ "subject": subject, "date": on_date }),
            ),
            TimetableEvent::DateChanged {
                group,
                change,
                class,
                on_date,
                kind,
                ..
            } => (
                group,
                "timetable.date_change",
                "classchange",
                change.to_string(),
                json!({ "class": class, "date": on_date, "kind": kind.as_str() }),
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
        let (text, recipients) = match self {
            TimetableEvent::DateChanged {
                subject,
                on_date,
                pair,
                kind,
                recipients,
                ..
            } => (
                Self::change_text(subject, *on_date, *pair, kind),
                recipients,
            ),
            TimetableEvent::ExtraRemoved {
                subject,
                on_date,
                pair,
                recipients,
                ..
            } => (
                Text::new("timetable-notice-extra-removed")
                    .user("subject", subject)
                    .date("date", *on_date)
                    .num("pair", *pair),
                recipients,
            ),
            _ => return Vec::new(),
        };
        recipients
            .iter()
            .map(|&user| Notice::new(user, Kind::Notice, Note::new(text.clone())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uow::DomainEvent;

    #[test]
    fn a_date_change_tells_each_recipient_once() {
        let event = TimetableEvent::DateChanged {
            group: Uuid::nil(),
            change: Uuid::nil(),
            class: Some(Uuid::nil()),
            subject: "Матан".into(),
            on_date: NaiveDate::from_ymd_opt(2026, 9, 7).unwrap_or_default(),
            pair: 1,
            kind: ChangeKind::Cancel,
            recipients: vec![2, 3],
        };
        let notices = event.notices();
        assert_eq!(notices.len(), 2);
        assert_eq!(notices[0].note.text.id, "timetable-notice-cancelled");
        assert_eq!(
            event.change().map(|c| c.action),
            Some("timetable.date_change")
        );
    }
}
