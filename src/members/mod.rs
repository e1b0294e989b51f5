//! Users and their membership in a group: registration on `/start`, roles, the member list and
//! the leader's actions on it, the profile (ФИО, language, leaving the group).
//!
//! `service` (the use cases), `events` (what they record), `repo` (their queries), `access`
//! (membership and the permission check), `users` (registration), `roster` (the member list's
//! reads) and the typed inputs: `fio`, `language`, `name`.

pub mod access;
pub mod csv;
pub mod events;
pub mod fio;
pub mod language;
pub mod name;
pub mod repo;
pub mod roster;
pub mod service;
pub mod users;

pub use events::MemberEvent;
pub use fio::{Fio, FioError};
pub use language::Language;
pub use name::PersonName;

pub use service::{MemberError, Membership, Role, TelegramProfile};
