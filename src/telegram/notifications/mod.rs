//! The Telegram side of `crate::notifications`: its screens, buttons and forms.

pub mod action;
pub mod announce;
pub mod elected;
pub mod handlers;
pub mod worker;

pub use handlers::{branch, callbacks};
