//! The Telegram side of `crate::groups`: its screens, buttons and forms.

pub mod action;
pub mod handlers;
pub mod keyboards;
pub mod render;

pub use action::Action;
pub use handlers::{branch, callbacks};
