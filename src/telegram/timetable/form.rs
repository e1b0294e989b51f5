//! The timetable's forms, as stored in the dialogue: where the leader is and what was answered.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::timetable::fields::{ClassDraft, ClassField};
use crate::timetable::input::ClassSpec;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum TimetableForm {
    /// The next text is the semester's first and last day.
    SemesterDays,
    /// The days were given; waiting for the first week's parity.
    SemesterParity { first: NaiveDate, last: NaiveDate },
    /// The next text is a paste of class lines.
    Paste,
    /// The next text is where `class` moves from `date`.
    Move { class: Uuid, date: NaiveDate },
    /// The next text is an extra class's line.
    Extra,
    /// Adding a class: `draft` holds the fields before `asking`.
    NewClass {
        draft: ClassDraft,
        asking: ClassField,
    },
    /// The class added, shown; waiting for «Сохранить».
    ClassSummary { spec: ClassSpec },
    /// Editing `field` of `class`: waiting for its new value.
    EditClass { class: Uuid, field: ClassField },
    /// Waiting for a calendar file (`.ics`).
    Ics,
    /// The next text is the bell schedule, one pair a line.
    Bells,
    /// A calendar file read: its classes and cancellations, waiting for «Сохранить».
    IcsPreview {
        classes: Vec<ClassSpec>,
        cancelled: Vec<(usize, NaiveDate)>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::dialogue::{Dialogue, assert_round_trips};

    #[test]
    fn forms_survive_the_dialogue_row() {
        let date = NaiveDate::from_ymd_opt(2026, 9, 7).unwrap_or_default();
        assert_round_trips([
            Dialogue::Timetable(TimetableForm::SemesterDays),
            Dialogue::Timetable(TimetableForm::SemesterParity {
                first: date,
                last: date,
            }),
            Dialogue::Timetable(TimetableForm::Paste),
            Dialogue::Timetable(TimetableForm::Move {
                class: Uuid::new_v4(),
                date,
            }),
            Dialogue::Timetable(TimetableForm::Extra),
            Dialogue::Timetable(TimetableForm::NewClass {
                draft: ClassDraft::default(),
                asking: ClassField::Weekday,
            }),
            Dialogue::Timetable(TimetableForm::EditClass {
                class: Uuid::new_v4(),
                field: ClassField::Weeks,
            }),
            Dialogue::Timetable(TimetableForm::Ics),
            Dialogue::Timetable(TimetableForm::Bells),
        ]);
    }
}
