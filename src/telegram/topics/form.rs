//! The steps of the topic-list forms, stored in the user's dialogue between messages. Each step
//! carries what the earlier steps collected, already validated; nothing reaches the database
//! before the last step.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::topics::input::{Capacity, ListTitle};

/// Where a user is in a topic-list form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum TopicForm {
    /// Attaching a topic list to `event`: waiting for its title.
    Title { event: Uuid },
    /// … the maximum number of students per topic.
    Capacity { event: Uuid, title: ListTitle },
    /// … the topics (a message, one per line, or a `.txt` document).
    Topics {
        event: Uuid,
        title: ListTitle,
        capacity: Capacity,
    },
    /// Adding topics to an existing list: waiting for them.
    AddTopics { list: Uuid },
}

impl TopicForm {
    /// The step takes topics (so a document is welcome).
    pub fn wants_topics(&self) -> bool {
        matches!(self, TopicForm::Topics { .. } | TopicForm::AddTopics { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::Dialogue;

    #[test]
    fn every_step_survives_the_database() {
        let title = ListTitle::parse("Доклады").expect("valid");
        let capacity = Capacity::parse("2").expect("valid");
        let event = Uuid::new_v4();
        for step in [
            TopicForm::Title { event },
            TopicForm::Capacity {
                event,
                title: title.clone(),
            },
            TopicForm::Topics {
                event,
                title,
                capacity,
            },
            TopicForm::AddTopics {
                list: Uuid::new_v4(),
            },
        ] {
            let dialogue = Dialogue::Topics(step);
            let json = serde_json::to_value(&dialogue).expect("serialises");
            let back: Dialogue = serde_json::from_value(json).expect("deserialises");
            assert_eq!(back, dialogue);
        }
    }

    #[test]
    fn tampered_state_does_not_load() {
        let json = serde_json::json!({
            "step": "topics", "form": "topics", "event": Uuid::nil(), "title": "x", "capacity": 0
        });
        assert!(serde_json::from_value::<Dialogue>(json).is_err());
    }
}
