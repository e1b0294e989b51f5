//! Events, the calendar and deadlines: the use cases (`service`), what they cause (`events`),
//! the tables (`repo`), what the screens read (`views`), the typed inputs (`text`, `date`,
//! `deadline`) and the month grid (`calendar`). The screens and buttons live on the Telegram side.

pub mod calendar;
pub mod date;
pub mod deadline;
#[allow(clippy::module_inception)] // every domain says what happens in `events.rs`
pub mod events;
pub mod repo;
pub mod service;
pub mod text;
pub mod views;

pub use calendar::Month;
pub use date::{EventDate, EventDateError};
pub use deadline::{DeadlineAt, DeadlineAtError};
pub use events::CalendarEvent;
pub use service::EventError;
pub use text::{
    DeadlineText, Description, EventTitle, Subject, TextError, TextInput, TextInputError,
};
