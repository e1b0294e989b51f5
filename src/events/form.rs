//! The steps of the event forms (create an event, edit a field, add a deadline), stored in the
//! user's dialogue between messages.

use serde::{Deserialize, Serialize};

/// Where a user is in an event form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum EventForm {
    /// Creating an event: waiting for its title.
    Title,
}
