//! Homework (домашка): tasks set on a class's date or a plain due date, with attachments kept
//! as Telegram sent them, a student's own «✅ Сделано» tick, and tasks members propose for the
//! leader or an assistant to approve. The use cases (`service`), what they cause (`events`),
//! the reads (`reads`) and the typed text (`text`); the screens live on the Telegram side.

#[allow(clippy::module_inception)] // every domain says what happens in `events.rs`
pub mod events;
pub mod reads;
pub mod service;
pub mod text;

pub use events::HomeworkEvent;
pub use service::HomeworkError;
pub use text::HomeworkBody;

/// A task's status: members see only published tasks.
pub const PUBLISHED: &str = "published";
/// Proposed by a member, waiting for the leader or an assistant.
pub const PROPOSED: &str = "proposed";
