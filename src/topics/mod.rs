//! Topic lists attached to events: students book report topics; the leader confirms and exports.

pub mod form;
pub mod handlers;

pub use handlers::{Action, branch, callbacks};
