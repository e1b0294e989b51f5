//! The group's Telegram chat (F13): binding a study group to its Telegram group chat
//! ([`service`]), posting to it ([`service::post_to_bound_chat`], through the outbox), and live
//! messages — a queue or topic list published to the chat, pressed there by the members, and
//! edited as it changes with the edits coalesced ([`live`]). Group-chat updates are handled by
//! [`handlers::handle_group`]; the publish button in private chats by [`callbacks`].

pub mod service;

pub use service::{ChatError, LiveKind};
