//! The Telegram side of `crate::invites`: its screens, buttons and forms.

pub mod handlers;

pub use handlers::{Action, branch, callbacks};
