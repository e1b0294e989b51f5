//! Inline "screens": a message with an inline keyboard that navigation edits in place instead of
//! sending new messages, and callback answers. Messages to other users are notices written with
//! the change that causes them (`crate::notifications::notice`).

use teloxide::types::{CallbackQuery, ChatId, InlineKeyboardMarkup, MessageId, ReplyMarkup};
use teloxide::{ApiError, RequestError};

use super::{Ctx, HandlerResult, send};

/// Where a screen goes: a new message, or the message whose button was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    New(ChatId),
    Edit(ChatId, MessageId),
}

impl Target {
    /// The message a callback query came from (edited in place), or a new message in `chat`.
    pub fn of_query(query: &CallbackQuery, chat: ChatId) -> Self {
        match &query.message {
            Some(message) => Target::Edit(message.chat().id, message.id()),
            None => Target::New(chat),
        }
    }
}

/// Shows `text` with an inline keyboard at `target`. Editing a message into exactly what it
/// already shows is not an error (Telegram's `MessageNotModified`).
pub async fn show(
    ctx: &Ctx,
    target: Target,
    text: &str,
    keyboard: InlineKeyboardMarkup,
) -> HandlerResult {
    match target {
        Target::New(chat) => {
            send::html(ctx, chat, text, Some(ReplyMarkup::InlineKeyboard(keyboard))).await?;
        }
        Target::Edit(chat, message) => {
            let edited = ctx
                .api
                .edit_html(chat, message, text, keyboard.clone())
                .await;
            match edited {
                Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {}
                // The message is too old to edit or was deleted: show the screen anew.
                Err(RequestError::Api(
                    ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited,
                )) => {
                    let markup = ReplyMarkup::InlineKeyboard(keyboard);
                    send::html(ctx, chat, text, Some(markup)).await?;
                }
                // Telegram failing for longer than the retries: the screen is not shown; the
                // user's next press renders it again.
                Err(err) => {
                    tracing::warn!(%err, chat = chat.0, "a screen could not be edited; given up");
                }
            }
        }
    }
    Ok(())
}

/// Answers a callback query (stops the client's spinner), optionally with a short toast.
pub async fn answer(ctx: &Ctx, query: &CallbackQuery, toast: Option<&str>) -> HandlerResult {
    // Answered too late (the user waited more than Telegram keeps a query) is no error.
    ctx.api.answer(&query.id, toast, false).await?;
    Ok(())
}
