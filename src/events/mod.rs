//! Events, the calendar and deadlines.

pub mod calendar;
pub mod date;

pub use calendar::Month;
pub use date::{EventDate, EventDateError};
