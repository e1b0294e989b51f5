//! The steps of the topic-list forms, stored in the user's dialogue between messages.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a user is in a topic-list form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum TopicForm {
    /// Attaching a topic list to `event`: waiting for its title.
    Title { event: Uuid },
}
