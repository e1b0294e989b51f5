//! Users and their membership in a group: registration on `/start`, roles.
//! (Profile, member list and role changes grow here.)

pub mod handlers;
pub mod service;

pub use handlers::{branch, callbacks};

pub use service::{Membership, Role, TelegramProfile};
