//! Events, the calendar and deadlines: `service` (the rules), `handlers` (the Telegram side),
//! the typed inputs (`text`, `date`, `deadline`), the month grid (`calendar`), the callback
//! codec (`action`), the form steps (`form`), texts (`render`) and inline keyboards.

pub mod calendar;
pub mod date;
pub mod deadline;
pub mod service;
pub mod text;

pub use calendar::Month;
pub use date::{EventDate, EventDateError};
pub use deadline::{DeadlineAt, DeadlineAtError};
pub use service::EventError;
pub use text::{
    DeadlineText, Description, EventTitle, Subject, TextError, TextInput, TextInputError,
};
