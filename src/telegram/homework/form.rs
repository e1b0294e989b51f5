//! The steps of the task form, stored in the user's dialogue between messages: when it is due
//! (a subject's class on a date, or a typed date), its text, then its attachments until
//! «✅ Сохранить». Nothing reaches the database before that.

use serde::{Deserialize, Serialize};

use crate::homework::service::{DueOn, NewHomework};

/// Where a user is in the task form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum HomeworkForm {
    /// Waiting for a subject's class (buttons) or a typed due date.
    Due,
    /// … the task's text.
    Body { due: DueOn },
    /// … its photos and documents, or «✅ Сохранить».
    Files { task: NewHomework },
    /// Changing a task's text: waiting for the new one.
    Edit { task: uuid::Uuid },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::homework::service::{Attachment, FileKind};
    use crate::homework::text::HomeworkBody;
    use crate::telegram::Dialogue;
    use chrono::NaiveDate;
    use uuid::Uuid;

    #[test]
    fn every_step_survives_the_database() {
        let date = NaiveDate::from_ymd_opt(2026, 9, 15).expect("valid");
        let due = DueOn::Class {
            class: Uuid::new_v4(),
            date,
        };
        let steps = [
            HomeworkForm::Due,
            HomeworkForm::Body { due },
            HomeworkForm::Files {
                task: NewHomework {
                    id: Uuid::new_v4(),
                    due: DueOn::Date { date },
                    body: HomeworkBody::parse("№ 1–5\nстр. 12").expect("valid"),
                    files: vec![Attachment {
                        kind: FileKind::Photo,
                        file_id: "AgAC".into(),
                    }],
                },
            },
        ];
        crate::telegram::dialogue::assert_round_trips(steps.into_iter().map(Dialogue::Homework));
    }
}
