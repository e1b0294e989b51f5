//! The Telegram side of `crate::topics`: its buttons (`action`), the student's screens
//! (`screens`), the leader's (`manage`), the forms (`form`) and what each press does
//! (`handlers`).

pub mod action;
pub mod form;
pub mod handlers;
mod manage;
mod screens;

pub use action::Action;
pub use handlers::{branch, callbacks};
