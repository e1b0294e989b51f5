//! The steps of the event forms (create an event, edit a field, add a deadline), stored in the
//! user's dialogue between messages. Each step carries exactly what the earlier steps
//! collected, already validated; nothing reaches the database before «Сохранить».

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::events::service::NewEvent;
use crate::events::text::{DeadlineText, Description, EventTitle, Subject};

/// Where a user is in an event form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum EventForm {
    /// Creating an event: waiting for its title.
    Title,
    /// … its subject (or /skip).
    Subject { title: EventTitle },
    /// … its date (typed, or tapped in the inline calendar).
    Date {
        title: EventTitle,
        subject: Option<Subject>,
    },
    /// … a confirmation that `date`, which has passed, is meant.
    PastDate {
        title: EventTitle,
        subject: Option<Subject>,
        date: NaiveDate,
    },
    /// … its description (or /skip).
    Description {
        title: EventTitle,
        subject: Option<Subject>,
        date: NaiveDate,
    },
    /// … whether it is important.
    Important {
        title: EventTitle,
        subject: Option<Subject>,
        date: NaiveDate,
        description: Option<Description>,
    },
    /// … «Сохранить» or «Отмена» under the summary.
    Summary { event: NewEvent },
    /// Editing one field of an existing event: waiting for the new value.
    Edit { event: Uuid, field: Field },
    /// Editing the date: a confirmation that `date`, which has passed, is meant.
    EditPastDate { event: Uuid, date: NaiveDate },
    /// Adding a deadline: waiting for what is due.
    DeadlineText { event: Uuid },
    /// … and when (date and time in the group's time zone).
    DeadlineAt { event: Uuid, text: DeadlineText },
}

/// A field of an event that is edited by typing a new value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Subject,
    Date,
    Description,
}

impl EventForm {
    /// The step waits for a date (typed or picked in the inline calendar).
    pub fn wants_date(&self) -> bool {
        matches!(
            self,
            EventForm::Date { .. }
                | EventForm::Edit {
                    field: Field::Date,
                    ..
                }
        )
    }

    /// The step that follows a chosen date on this form, or where a past date is confirmed.
    pub fn with_date(self, date: NaiveDate, in_past: bool) -> Option<EventForm> {
        match self {
            EventForm::Date { title, subject } | EventForm::PastDate { title, subject, .. } => {
                Some(if in_past {
                    EventForm::PastDate {
                        title,
                        subject,
                        date,
                    }
                } else {
                    EventForm::Description {
                        title,
                        subject,
                        date,
                    }
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::Dialogue;

    #[test]
    fn every_step_survives_the_database() {
        let title = EventTitle::parse("Лаба 3").expect("valid");
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).expect("valid");
        let steps = [
            EventForm::Title,
            EventForm::Subject {
                title: title.clone(),
            },
            EventForm::Important {
                title: title.clone(),
                subject: Subject::parse("Физика").ok(),
                date,
                description: None,
            },
            EventForm::Summary {
                event: NewEvent {
                    id: Uuid::new_v4(),
                    title,
                    subject: None,
                    date,
                    description: Description::parse("a\nb").ok(),
                    important: true,
                },
            },
            EventForm::Edit {
                event: Uuid::new_v4(),
                field: Field::Description,
            },
        ];
        crate::telegram::dialogue::assert_round_trips(steps.into_iter().map(Dialogue::Event));
    }

    #[test]
    fn tampered_state_does_not_load() {
        let json = serde_json::json!({"step": "event", "form": "subject", "title": ""});
        assert!(serde_json::from_value::<Dialogue>(json).is_err());
    }
}
