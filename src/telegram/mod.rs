//! The Telegram side shared by every domain: the handler tree ([`schema`]), the per-update
//! [`Session`], sending, keyboards, texts, escaping, and the mapping of errors to messages.

pub mod admin;
pub mod api;
pub mod callback;
pub mod chats;
pub mod commands;
pub mod common;
pub mod dialogue;
pub mod errors;
pub mod escape;
pub mod events;
pub mod forms;
pub mod fuzz;
pub mod groups;
pub mod homework;
pub mod inbox;
pub mod invites;
pub mod keyboards;
pub mod kit;
pub mod members;
pub mod miniapp;
pub mod notes;
pub mod notifications;
pub mod queues;
pub mod screen;
pub mod send;
pub mod session;
pub mod texts;
pub mod timetable;
pub mod topics;
pub mod updates;

use std::sync::Arc;

use sea_orm::{DatabaseConnection, DbErr};
use teloxide::dispatching::DpHandlerDescription;
use teloxide::prelude::*;

pub use dialogue::Dialogue;
pub use keyboards::MenuButton;
pub use session::Session;
pub use texts::{Args, Locale};

/// What a handler returns. Domain errors are turned into messages inside the handlers (through
/// [`errors`]); what is left here is infrastructure: the database or Telegram failing.
pub type HandlerResult = Result<(), HandlerError>;
pub type UpdateHandler = teloxide::dispatching::UpdateHandler<HandlerError>;
/// A handler tree, as each domain's `branch()` returns it.
pub type Branch = dptree::Handler<'static, HandlerResult, DpHandlerDescription>;

#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    #[error("Bot API: {0}")]
    Telegram(#[from] teloxide::RequestError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
}

/// Shared, cheaply clonable dependencies of every handler.
#[derive(Clone)]
pub struct Ctx {
    pub db: DatabaseConnection,
    /// The Bot API client (`api.rs`): every request the bot makes goes through it.
    pub api: api::Api,
    /// The bot's username, for deep links.
    pub bot_username: Arc<str>,
    /// The time zone new groups start with (`DEFAULT_TIMEZONE`).
    pub default_timezone: crate::groups::Timezone,
    /// The outbox's clock, wake-up signal and rate limiter (see `crate::notifications`).
    pub notifier: crate::notifications::Notifier,
    /// Public base URL of the HTTP server (`PUBLIC_URL`), for calendar feed links.
    pub public_url: Option<Arc<str>>,
    /// While an update is handled: its claim in the inbox, which fences the changes made for
    /// it and gates its answers (see `telegram::inbox`).
    pub claim: Option<Arc<inbox::Claim>>,
    /// While an update is handled: the reactions to its changes, run once it is answered.
    pub deferred: Option<Arc<kit::Deferred>>,
}

impl Ctx {
    /// Sends the notices a service just wrote with its change (the outbox worker retries
    /// whatever fails, and takes bigger batches itself).
    pub async fn deliver(&self, notices: &[uuid::Uuid]) {
        crate::telegram::notifications::worker::deliver_now(
            &self.db,
            &self.api,
            &self.notifier,
            &self.bot_username,
            notices,
        )
        .await;
    }
}

/// The whole handler tree: commands first, then each domain's branch, then the fallback.
/// Every branch receives `Ctx`, `Session`, `Me` and the update's `Message` or
/// `CallbackQuery` as dependencies (see [`updates::dispatch`]).
pub fn schema() -> UpdateHandler {
    let private_messages = Update::filter_message()
        .filter(|message: Message| message.chat.is_private())
        .branch(forms::interruptions())
        .branch(forms::not_text())
        .branch(common::commands())
        .branch(common::cancel_button())
        .branch(crate::telegram::groups::branch())
        .branch(crate::telegram::events::branch())
        .branch(crate::telegram::timetable::branch())
        .branch(crate::telegram::homework::branch())
        .branch(crate::telegram::queues::branch())
        .branch(crate::telegram::topics::branch())
        .branch(crate::telegram::invites::branch())
        .branch(crate::telegram::members::branch())
        .branch(crate::telegram::notifications::branch())
        .branch(crate::telegram::admin::branch())
        .branch(common::fallback());
    let callback_queries = Update::filter_callback_query()
        .branch(forms::callbacks())
        .branch(crate::telegram::groups::callbacks())
        .branch(crate::telegram::events::callbacks())
        .branch(crate::telegram::timetable::callbacks())
        .branch(crate::telegram::homework::callbacks())
        .branch(crate::telegram::queues::callbacks())
        .branch(crate::telegram::topics::callbacks())
        .branch(crate::telegram::invites::callbacks())
        .branch(crate::telegram::members::callbacks())
        .branch(crate::telegram::notifications::callbacks())
        .branch(crate::telegram::chats::callbacks())
        .branch(crate::telegram::admin::callbacks())
        .endpoint(common::outdated_callback);
    dptree::entry()
        .branch(private_messages)
        .branch(callback_queries)
}
