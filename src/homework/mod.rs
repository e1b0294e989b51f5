//! Homework (домашка): tasks set on a class's date or a plain due date, with attachments kept
//! as Telegram sent them, a student's own «✅ Сделано» tick, and tasks members propose for the
//! leader or an assistant to approve.

pub mod reads;

/// A task's status: members see only published tasks.
pub const PUBLISHED: &str = "published";
/// Proposed by a member, waiting for the leader or an assistant.
pub const PROPOSED: &str = "proposed";
