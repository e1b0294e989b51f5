//! The Telegram side of queues.

use teloxide::dptree;
use uuid::Uuid;

use crate::telegram::Branch;
use crate::telegram::callback::{CallbackAction, Reader, Writer};

/// Inline buttons of queues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Show the queue.
    Open { queue: Uuid },
    /// Attach a new queue to the event (leader/assistant).
    Create { event: Uuid },
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "q";

    fn write(&self, out: &mut Writer) {
        match self {
            Action::Open { queue } => out.tag("o").uuid(*queue),
            Action::Create { event } => out.tag("n").uuid(*event),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        match fields.tag()? {
            "o" => Some(Action::Open {
                queue: fields.uuid()?,
            }),
            "n" => Some(Action::Create {
                event: fields.uuid()?,
            }),
            _ => None,
        }
    }
}

/// Messages: the steps of the queue forms.
pub fn branch() -> Branch {
    // Nothing yet (dptree refuses a bare entry as a branch).
    dptree::filter(|| false)
}

/// Inline buttons with prefix `q`.
pub fn callbacks() -> Branch {
    dptree::filter(|| false)
}
