//! Inline "screens": a message with an inline keyboard that navigation edits in place instead of
//! sending new messages, and callback answers. Messages to other users are notices written with
//! the change that causes them (`crate::notifications::notice`).

use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, InlineKeyboardMarkup, MessageId, ParseMode, ReplyMarkup};
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
            send::html(
                &ctx.bot,
                chat,
                text,
                Some(ReplyMarkup::InlineKeyboard(keyboard)),
            )
            .await?;
        }
        Target::Edit(chat, message) => {
            let edited = send::with_retries(|| {
                ctx.bot
                    .edit_message_text(chat, message, text)
                    .parse_mode(ParseMode::Html)
                    .reply_markup(keyboard.clone())
                    .send()
            })
            .await;
            match edited {
                Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {}
                // The message is too old to edit or was deleted: show the screen anew.
                Err(RequestError::Api(
                    ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited,
                )) => {
                    let markup = ReplyMarkup::InlineKeyboard(keyboard);
                    send::html(&ctx.bot, chat, text, Some(markup)).await?;
                }
                Err(err) => return Err(err.into()),
            }
        }
    }
    Ok(())
}

/// Answers a callback query (stops the client's spinner), optionally with a short toast.
pub async fn answer(ctx: &Ctx, query: &CallbackQuery, toast: Option<&str>) -> HandlerResult {
    let answered = send::with_retries(|| {
        let mut request = ctx.bot.answer_callback_query(query.id.clone());
        if let Some(text) = toast {
            request = request.text(text);
        }
        request.send()
    })
    .await;
    match answered {
        Ok(_) => Ok(()),
        // Answered too late (the user waited more than Telegram keeps a query): nothing to do.
        Err(RequestError::Api(ApiError::InvalidQueryId)) => Ok(()),
        Err(RequestError::Api(ApiError::Unknown(description)))
            if description.contains("query is too old") =>
        {
            Ok(())
        }
        Err(err) => Err(err.into()),
    }
}
