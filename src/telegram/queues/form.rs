//! The steps of the queue forms, stored in the user's dialogue between messages. Each step
//! carries what the earlier steps collected, already validated; nothing reaches the database
//! before the last step.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::queues::text::{QueueDescription, QueueTitle};

/// Where a user is in a queue form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum QueueForm {
    /// Attaching a queue to `event`: waiting for its title.
    Title { event: Uuid },
    /// … its description (or /skip). No title: the default, named in each reader's language.
    Description {
        event: Uuid,
        title: Option<QueueTitle>,
    },
    /// … its maximum number of participants (or /skip: unlimited).
    Max {
        event: Uuid,
        title: Option<QueueTitle>,
        description: Option<QueueDescription>,
    },
    /// Editing a field of an existing queue: waiting for the new value.
    Edit { queue: Uuid, field: Field },
    /// Moving a participant: waiting for the new position (typed or pressed).
    MoveTo { participant: Uuid },
}

/// A field of a queue that is edited by typing a new value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Description,
    Max,
    /// The opening moment.
    Opening,
    /// The lottery's minutes.
    Lottery,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::Dialogue;

    #[test]
    fn every_step_survives_the_database() {
        let title = QueueTitle::parse("Защита").expect("valid");
        let steps = [
            QueueForm::Title {
                event: Uuid::new_v4(),
            },
            QueueForm::Description {
                event: Uuid::new_v4(),
                title: Some(title.clone()),
            },
            QueueForm::Max {
                event: Uuid::new_v4(),
                title: None,
                description: QueueDescription::parse("a\nb").ok(),
            },
            QueueForm::Edit {
                queue: Uuid::new_v4(),
                field: Field::Max,
            },
            QueueForm::Edit {
                queue: Uuid::new_v4(),
                field: Field::Opening,
            },
            QueueForm::Edit {
                queue: Uuid::new_v4(),
                field: Field::Lottery,
            },
            QueueForm::MoveTo {
                participant: Uuid::new_v4(),
            },
        ];
        crate::telegram::dialogue::assert_round_trips(steps.into_iter().map(Dialogue::Queue));
    }

    #[test]
    fn tampered_state_does_not_load() {
        let json = serde_json::json!({"step": "queue", "form": "description", "event": Uuid::nil(), "title": ""});
        assert!(serde_json::from_value::<Dialogue>(json).is_err());
    }
}
