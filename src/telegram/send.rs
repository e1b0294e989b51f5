//! Sending replies. Everything the bot sends uses HTML with user text escaped; the retry policy
//! is the Bot API client's ([`super::api`]).

use serde_json::json;
use teloxide::types::{ChatId, MessageId, ReplyMarkup};
use teloxide::{ApiError, RequestError};

use super::Ctx;
use super::api::{Api, Failure};

/// Sends an HTML message, optionally with a keyboard. A message that still cannot be sent after
/// the client's retries because Telegram or the connection failed is not dropped: it goes to the
/// outbox as rendered text and the sender delivers it when Telegram is back.
pub async fn html(
    ctx: &Ctx,
    chat: ChatId,
    text: &str,
    markup: Option<ReplyMarkup>,
) -> Result<(), RequestError> {
    html_sent(ctx, chat, text, markup).await.map(|_| ())
}

/// [`html`], returning the message's id if it was sent now (not through the outbox).
pub async fn html_sent(
    ctx: &Ctx,
    chat: ChatId,
    text: &str,
    markup: Option<ReplyMarkup>,
) -> Result<Option<MessageId>, RequestError> {
    let message = Api::html_message(chat, text, markup.clone());
    match ctx.api.try_call(message).await {
        Ok(sent) => Ok(Some(sent.id)),
        Err(Failure {
            error,
            transient: true,
        }) => {
            let payload = json!({ "text": text, "markup": markup });
            let kind = crate::notifications::Kind::Notice;
            let now = ctx.notifier.now();
            match crate::notifications::outbox::enqueue_payload(&ctx.db, now, chat.0, kind, payload)
                .await
            {
                Ok(_) => {
                    tracing::warn!(%error, chat = chat.0, "a reply could not be sent; queued in the outbox");
                    ctx.notifier.wake();
                    Ok(None)
                }
                Err(db) => {
                    tracing::warn!(%db, "could not queue a reply in the outbox");
                    Err(error)
                }
            }
        }
        Err(failure) => Err(failure.error),
    }
}

/// Whether the error means the user is unreachable (blocked the bot, deleted the account).
pub fn is_unreachable(err: &RequestError) -> bool {
    matches!(
        err,
        RequestError::Api(
            ApiError::BotBlocked | ApiError::UserDeactivated | ApiError::ChatNotFound
        )
    )
}

/// Letters, digits, `-` and `_` of `name` (at most 40), for a file name; `fallback` if none.
pub fn file_safe(name: &str, fallback: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    if safe.is_empty() {
        fallback.to_owned()
    } else {
        safe
    }
}
