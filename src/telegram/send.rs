//! Sending to Telegram with the retries Telegram asks for: wait `retry_after` on 429, back off
//! on network errors and 5xx. Everything the bot sends uses HTML with user text escaped.

use std::future::Future;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{ParseMode, ReplyMarkup};
use teloxide::{ApiError, RequestError};

/// How many times one request is tried before the error is returned.
const ATTEMPTS: u32 = 4;
/// The longest `retry_after` honoured inline; a longer one fails the request (the outbox, not an
/// interactive reply, is the place to wait minutes).
const MAX_INLINE_WAIT: Duration = Duration::from_secs(60);

/// Whether an error is worth another try, and after how long.
fn retry_delay(err: &RequestError, attempt: u32) -> Option<Duration> {
    match err {
        RequestError::RetryAfter(after) => Some(after.duration()).filter(|d| *d <= MAX_INLINE_WAIT),
        RequestError::Network(_) => Some(Duration::from_millis(250 << attempt)),
        RequestError::Api(ApiError::Unknown(description)) if is_server_error(description) => {
            Some(Duration::from_millis(250 << attempt))
        }
        _ => None,
    }
}

fn is_server_error(description: &str) -> bool {
    [
        "Internal Server Error",
        "Bad Gateway",
        "Service Unavailable",
        "Gateway Timeout",
    ]
    .iter()
    .any(|known| description.contains(known))
}

/// Runs `request` until it succeeds, fails for good, or runs out of attempts. Every attempt is
/// counted in the Bot API metrics (requests, errors, 429s).
pub async fn with_retries<T, F, Fut>(mut request: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 0;
    loop {
        let result = request().await;
        crate::http::metrics::api_request(result.as_ref().map(|_| ()));
        match result {
            Ok(value) => return Ok(value),
            Err(err) => {
                if let RequestError::RetryAfter(after) = &err {
                    // The sender's budget (on the instance holding the role) waits too.
                    crate::notifications::limiter::telegram_asked_to_wait(after.duration());
                }
                attempt += 1;
                match retry_delay(&err, attempt) {
                    Some(delay) if attempt < ATTEMPTS => {
                        tracing::debug!(%err, ?delay, attempt, "retrying a Bot API request");
                        tokio::time::sleep(delay).await;
                    }
                    _ => return Err(err),
                }
            }
        }
    }
}

/// Sends an HTML message, optionally with a keyboard.
pub async fn html(
    bot: &Bot,
    chat: ChatId,
    text: &str,
    markup: Option<ReplyMarkup>,
) -> Result<Message, RequestError> {
    with_retries(|| {
        let mut request = bot.send_message(chat, text).parse_mode(ParseMode::Html);
        if let Some(markup) = &markup {
            request = request.reply_markup(markup.clone());
        }
        request.send()
    })
    .await
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

/// Sends a document `file_name` with `bytes` and an HTML `caption`.
pub async fn document(
    bot: &Bot,
    chat: ChatId,
    file_name: &str,
    bytes: Vec<u8>,
    caption: &str,
) -> Result<Message, RequestError> {
    with_retries(|| {
        let file =
            teloxide::types::InputFile::memory(bytes.clone()).file_name(file_name.to_owned());
        bot.send_document(chat, file)
            .caption(caption)
            .parse_mode(ParseMode::Html)
            .send()
    })
    .await
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
