//! Users and their membership in a group: registration on `/start`, roles, the member list and
//! the leader's actions on it, the profile (ФИО, language, leaving the group).

pub mod csv;
pub mod fio;
pub mod language;
pub mod name;
pub mod service;

pub use fio::{Fio, FioError};
pub use language::Language;
pub use name::PersonName;

pub use service::{MemberError, Membership, Role, TelegramProfile};
