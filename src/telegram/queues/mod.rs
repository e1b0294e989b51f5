//! The Telegram side of `crate::queues`: its screens, buttons and forms.

pub mod action;
mod export;
pub mod form;
pub mod handlers;
pub mod mine;
pub mod render;
pub mod screens;
mod steps;

pub use action::Action;
pub use handlers::{branch, callbacks};
