//! The Telegram side of `crate::chats`: its screens, buttons and forms.

pub mod action;
pub mod handlers;
pub mod live;
pub mod render;

pub use action::Action;
pub use handlers::callbacks;
