//! The bot's administration: access codes (`code`), who is an admin and what the panel does
//! (`service`), the panel on Telegram (`handlers`, `render`, the callback codec `action`), the
//! broadcast's text (`broadcast`); and every group's change history for its leader.

pub mod broadcast;
pub mod code;
pub mod service;

pub use broadcast::{BroadcastText, BroadcastTextError};
pub use code::{AccessCode, CodeLifetime, CodeLifetimeError};
pub use service::{AdminError, Audience};
