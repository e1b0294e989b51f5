//! Queues for lab defence, attached to events: join, leave, run the queue.
//!
//! `service` (the rules, race-safe positions), `handlers` (the Telegram side), `action` (the
//! callback codec), `render` (texts and keyboards), `form` (the form steps) and the typed
//! inputs in `text`.

pub mod events;
pub mod fair;
pub mod lottery;
pub mod places;
pub mod repo;
pub mod screens;
pub mod service;
pub mod text;

pub use events::QueueEvent;
pub use service::QueueError;
pub use text::{LotteryMinutes, MaxParticipants, QueueDescription, QueueInputError, QueueTitle};
