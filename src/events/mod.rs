//! Events, the calendar and deadlines.

pub mod calendar;
pub mod date;
pub mod form;
pub mod handlers;

pub use calendar::Month;
pub use date::{EventDate, EventDateError};
pub use handlers::{branch, callbacks};
