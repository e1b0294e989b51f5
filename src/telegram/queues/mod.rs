//! The Telegram side of `crate::queues`: its screens, buttons and forms.

pub mod action;
pub mod form;
pub mod handlers;
pub mod render;

pub use action::Action;
pub use handlers::{branch, callbacks};
