//! Queues for lab defence, attached to events: join, leave, run the queue.
//!
//! `service` (the rules, race-safe positions), `handlers` (the Telegram side), `action` (the
//! callback codec), `render` (texts and keyboards), `form` (the form steps) and the typed
//! inputs in `text`.

pub mod action;
pub mod events;
pub mod form;
pub mod handlers;
pub mod render;
pub mod repo;
pub mod service;
pub mod text;

pub use action::Action;
pub use events::QueueEvent;
pub use handlers::{branch, callbacks};
pub use service::QueueError;
pub use text::{MaxParticipants, QueueDescription, QueueInputError, QueueTitle};
