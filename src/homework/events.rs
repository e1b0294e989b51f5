//! What happens to a group's homework, and what follows from it: the change-log row, and the
//! notices — a member's proposal to the leader and the assistants (with a button that opens
//! it), the outcome to whoever proposed it.

use serde_json::json;
use uuid::Uuid;

use crate::changelog::Change;
use crate::notifications::{Kind, Note, Notice, Screen, Text};
use crate::storage::entities::homework;
use crate::uow::DomainEvent;

#[derive(Debug, Clone)]
pub enum HomeworkEvent {
    /// The leader or an assistant set a task (published at once).
    Created {
        task: homework::Model,
        files: usize,
    },
    /// A member proposed a task; `managers` (the leader and the assistants) are told.
    Proposed {
        task: homework::Model,
        files: usize,
        managers: Vec<i64>,
    },
    Approved {
        task: homework::Model,
    },
    /// A proposal turned down (the task is gone).
    Rejected {
        task: homework::Model,
    },
    Deleted {
        task: homework::Model,
    },
    /// The leader or an assistant changed a task's text.
    Edited {
        group: Uuid,
        task: Uuid,
        from: String,
        to: String,
    },
    /// A student ticked a task «✅ Сделано» for themselves (`done`) or unticked it.
    Ticked {
        group: Uuid,
        task: Uuid,
        done: bool,
    },
}

fn details(task: &homework::Model) -> serde_json::Value {
    json!({
        "subject": task.subject,
        "class_id": task.class_id,
        "subgroup": task.subgroup,
        "due_date": task.due_date,
        "due_at": task.due_at,
        "body": task.body,
        "status": task.status,
    })
}

/// `text` with the task's subject (or none) and due date.
fn about(text: Text, task: &homework::Model) -> Text {
    let text = text.user("body", &task.body).date("date", task.due_date);
    match &task.subject {
        Some(subject) => text.user("subject", subject),
        None => text.msg("subject", "homework-no-subject"),
    }
}

impl DomainEvent for HomeworkEvent {
    fn change(&self) -> Option<Change> {
        let (group, action, id, details) = match self {
            HomeworkEvent::Created { task, files } => {
                let mut details = details(task);
                details["files"] = json!(files);
                (task.group_id, "homework.create", task.id, details)
            }
            HomeworkEvent::Proposed { task, files, .. } => {
                let mut details = details(task);
                details["files"] = json!(files);
                (task.group_id, "homework.propose", task.id, details)
            }
            HomeworkEvent::Approved { task } => {
                (task.group_id, "homework.approve", task.id, details(task))
            }
            HomeworkEvent::Rejected { task } => {
                (task.group_id, "homework.reject", task.id, details(task))
            }
            HomeworkEvent::Deleted { task } => {
                (task.group_id, "homework.delete", task.id, details(task))
            }
            HomeworkEvent::Edited {
                group,
                task,
                from,
                to,
            } => (
                *group,
                "homework.edit",
                *task,
                json!({ "field": "body", "from": from, "to": to }),
            ),
            HomeworkEvent::Ticked { group, task, done } => {
                let action = if *done {
                    "homework.done"
                } else {
                    "homework.undone"
                };
                (*group, action, *task, json!({}))
            }
        };
        Some(Change {
            actor: None,
            group: Some(group),
            action,
            entity_type: "homework",
            entity_id: id.to_string(),
            details,
        })
    }

    fn notices(&self) -> Vec<Notice> {
        match self {
            HomeworkEvent::Proposed { task, managers, .. } => managers
                .iter()
                .map(|&manager| {
                    let text = about(Text::new("homework-proposed-notice"), task);
                    let note =
                        Note::new(text).button("homework-btn-open", Screen::Homework(task.id));
                    Notice::new(manager, Kind::Notice, note)
                })
                .collect(),
            HomeworkEvent::Approved { task } | HomeworkEvent::Rejected { task } => {
                let Some(author) = task.author_id.filter(|&a| Some(a) != task.approved_by) else {
                    return Vec::new();
                };
                let approved = matches!(self, HomeworkEvent::Approved { .. });
                let id = if approved {
                    "homework-approved-notice"
                } else {
                    "homework-rejected-notice"
                };
                let mut note = Note::new(about(Text::new(id), task));
                if approved {
                    note = note.button("homework-btn-open", Screen::Homework(task.id));
                }
                vec![Notice::new(author, Kind::Notice, note)]
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Utc};

    fn task() -> homework::Model {
        homework::Model {
            id: Uuid::new_v4(),
            group_id: Uuid::new_v4(),
            class_id: None,
            subject: Some("ОС".into()),
            subgroup: None,
            due_date: NaiveDate::from_ymd_opt(2026, 9, 15).unwrap_or_default(),
            due_at: Utc::now(),
            body: "№ 1–5".into(),
            status: crate::homework::PROPOSED.into(),
            author_id: Some(7),
            approved_by: None,
            created_at: Utc::now(),
            approved_at: None,
        }
    }

    #[test]
    fn a_proposal_goes_to_every_manager_and_its_outcome_to_the_author() {
        let proposed = HomeworkEvent::Proposed {
            task: task(),
            files: 0,
            managers: vec![1, 2],
        };
        let notices = proposed.notices();
        assert_eq!(notices.len(), 2);
        assert_eq!(notices[0].note.buttons.len(), 1);
        assert_eq!(
            proposed.change().map(|c| c.action),
            Some("homework.propose")
        );
        let mut approved = task();
        approved.approved_by = Some(1);
        let notices = HomeworkEvent::Approved { task: approved }.notices();
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].chat_id, 7);
        let rejected = HomeworkEvent::Rejected { task: task() }.notices();
        assert_eq!(rejected[0].note.text.id, "homework-rejected-notice");
    }
}
