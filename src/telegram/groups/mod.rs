//! The Telegram side of `crate::groups`: its screens, buttons and forms.

pub mod handlers;
pub mod keyboards;

pub use handlers::{Action, branch, callbacks};
