//! Queues for lab defence, attached to events: join, leave, run the queue.

pub mod form;
pub mod handlers;

pub use handlers::{Action, branch, callbacks};
