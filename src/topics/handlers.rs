//! The Telegram side of topic lists.

use teloxide::dptree;
use uuid::Uuid;

use crate::telegram::Branch;
use crate::telegram::callback::{CallbackAction, Reader, Writer};

/// Inline buttons of topic lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Show the topic list.
    Open { list: Uuid },
    /// Attach a new topic list to the event (leader/assistant).
    Create { event: Uuid },
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "t";

    fn write(&self, out: &mut Writer) {
        match self {
            Action::Open { list } => out.tag("o").uuid(*list),
            Action::Create { event } => out.tag("n").uuid(*event),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        match fields.tag()? {
            "o" => Some(Action::Open {
                list: fields.uuid()?,
            }),
            "n" => Some(Action::Create {
                event: fields.uuid()?,
            }),
            _ => None,
        }
    }
}

/// Messages: the steps of the topic-list forms.
pub fn branch() -> Branch {
    // Nothing yet (dptree refuses a bare entry as a branch).
    dptree::filter(|| false)
}

/// Inline buttons with prefix `t`.
pub fn callbacks() -> Branch {
    dptree::filter(|| false)
}
