//! The Telegram side of `crate::homework`: «📚 Домашка», a task's card with its attachments
//! and «✅ Сделано», the proposals to approve, and the form that sets a task.

pub mod action;
pub mod form;
pub mod handlers;
pub mod render;

pub use action::Action;
pub use handlers::{branch, callbacks};
