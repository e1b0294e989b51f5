//! Topic lists attached to events: students book report topics; the leader confirms and
//! exports. `service` (the use cases), `events` (what they record and what follows), `repo`
//! (the queries), `reads` (what the screens show) and the typed inputs in `input`.

pub mod events;
pub mod input;
pub mod preferences;
pub mod reads;
pub mod repo;
pub mod service;

pub use events::TopicEvent;
pub use input::{Capacity, DocumentError, ListTitle, TopicLines, TopicLinesError};
pub use service::TopicError;
