//! The Telegram side of `crate::timetable`: «🗓 Расписание» (today, tomorrow, the week), the
//! subgroup choice, and for the leader and assistants the semester, the bulk paste, the class
//! form and card (`steps`), a calendar file's upload (`upload`), and the changes to one date.

pub mod action;
pub mod form;
pub mod handlers;
pub mod render;
pub mod steps;
pub mod typed;
pub mod upload;

pub use action::Action;
pub use handlers::{branch, callbacks};
