//! The Telegram side of `crate::events`: its screens, buttons and forms.

pub mod action;
pub mod card;
pub mod form;
pub mod handlers;
pub mod keyboards;
pub mod link;
pub mod render;
pub mod screens;
pub mod steps;

pub use action::Action;
pub use handlers::{branch, callbacks};
