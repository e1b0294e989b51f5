//! The steps of the queue forms, stored in the user's dialogue between messages.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a user is in a queue form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum QueueForm {
    /// Attaching a queue to `event`: waiting for its title.
    Title { event: Uuid },
}
