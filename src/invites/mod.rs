//! Invitations: links `https://t.me/<bot>?start=<token>` that let students join a group.

pub mod events;
pub mod service;
pub mod token;

pub use events::InviteEvent;
pub use service::{Invite, InviteError, Joined, Validity};
pub use token::{InviteToken, InviteTokenError};
