//! Daily digests and class pings: the evening digest (tomorrow's classes, homework due, the
//! next 48 hours' deadlines, the queues one stands in), the morning one (the same for today),
//! a ping before each class, and the group-wide evening digest posted to the group's bound
//! chat. Per-user [`settings`]; [`compose`] says what a digest holds, pure; the [`planner`]
//! writes them to the outbox minute by minute, in bulk, as notes rendered when sent.

pub mod compose;
pub mod planner;
mod reads;
pub mod settings;
