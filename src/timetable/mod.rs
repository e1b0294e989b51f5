//! The class timetable (расписание): the semester and its odd/even weeks, the bell schedule,
//! the weekly classes and changes to single dates, each member's subgroup.
//!
//! `week` (the calendar rules: semester, parity, weeks rules, bells, subgroups), `input` (the
//! typed inputs and the bulk line format), `fields` (the forms' answers: a class's fields, the
//! bells), `ics` (a calendar file read into classes), `schedule` (what a range of dates holds
//! after the changes), `service` (the use cases; `reads`, the screens' reads; `announce`, who is told and when), `events` (what they record and who is told),
//! `repo` (the tables). The screens and buttons live on the Telegram side.

pub mod announce;
pub mod bulk;
#[allow(clippy::module_inception)] // every domain says what happens in `events.rs`
pub mod events;
pub mod fields;
pub mod ics;
pub mod input;
pub mod reads;
pub mod repo;
pub mod schedule;
pub mod service;
pub mod week;

pub use events::TimetableEvent;
pub use service::TimetableError;
