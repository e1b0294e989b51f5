//! Study Group Bot: one reliable place for a university study group's calendar, deadlines,
//! lab-defence queues, topic booking and reminders, in Telegram.
//!
//! `ARCHITECTURE.md` maps the modules; in short: each domain module (`groups`, `members`, …)
//! has a `service` with the rules (no Telegram types) and a Telegram side (`handlers`) whose
//! `branch()` is mounted into [`telegram::schema`]. [`app::App`] wires everything together.

pub mod admin;
pub mod app;
pub mod changelog;
pub mod chats;
pub mod clock;
pub mod config;
pub mod digests;
pub mod events;
pub mod groups;
pub mod homework;
pub mod http;
pub mod invites;
pub mod members;
pub mod notifications;
pub mod queues;
pub mod storage;
pub mod telegram;
pub mod text;
pub mod timetable;
pub mod topics;
pub mod uow;

pub use app::App;
pub use config::Config;
