//! The group's Telegram chat (F13): binding a study group to its Telegram group chat, posting
//! to it, and live messages (a queue or topic list published to the chat, pressed there by the
//! members, edited as it changes).

pub mod service;
