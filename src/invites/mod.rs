//! Invitations: links `https://t.me/<bot>?start=<token>` that let students join a group.

pub mod handlers;

pub use handlers::{Action, branch, callbacks};
