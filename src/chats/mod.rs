//! The group's Telegram chat (F13): binding a study group to its Telegram group chat
//! ([`service`]), posting to it ([`service::post_to_bound_chat`], through the outbox), and live
//! messages — a queue or topic list published to the chat, pressed there by the members, and
//! edited as it changes ([`live`]). What changes is said by [`events`].

pub mod events;
pub mod live;
pub mod service;

pub use live::LiveKind;
pub use service::ChatError;
