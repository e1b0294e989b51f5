//! The Telegram side of `crate::topics`: its screens, buttons and forms.

pub mod form;
pub mod handlers;

pub use handlers::{Action, branch, callbacks};
