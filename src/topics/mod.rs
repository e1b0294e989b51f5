//! Topic lists attached to events: students book report topics; the leader confirms and exports.
//! `service` (the rules), `handlers` (the Telegram side: forms, the browser, the distribution),
//! `input` (the typed inputs), `form` (the form steps).

pub mod input;
pub mod service;

pub use input::{Capacity, DocumentError, ListTitle, TopicLines, TopicLinesError};
pub use service::TopicError;
