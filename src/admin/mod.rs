//! The bot's administration: who is an admin and their access codes (`access`, the code itself
//! in `code`), the panel's reads and deleting a group (`service`), broadcasts (`broadcast`),
//! what the change log says of them (`events`); and every group's change history for its
//! leader.

pub mod access;
pub mod broadcast;
pub mod code;
pub mod events;
pub mod history;
pub mod service;

pub use broadcast::{Audience, BroadcastText, BroadcastTextError};
pub use code::{AccessCode, CodeLifetime, CodeLifetimeError};
pub use service::AdminError;
