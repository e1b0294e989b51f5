//! The bot's own Bot API client and its one retry policy.
//!
//! Requests are teloxide's payload types (`teloxide::payloads::*`: `Serialize`, with the method's
//! name and result type) executed here with `reqwest`: `POST {base}/bot{token}/{method}` with a
//! JSON body (multipart for a document), the response envelope parsed here. teloxide's own
//! executor is not used: it sleeps 10 s after any 5xx before returning the error, which left
//! the bot's backoff no say and made replies 20–30 s late while Telegram answered 500s.
//!
//! **The retry policy** ([`Api::call`]): an answer 5xx, or a connection that failed or closed
//! before any answer came, is tried again after 0.1, 0.2, 0.4, 0.8, 1.6 s (each with ±50 %
//! jitter; six tries in all, about 3 s of pauses at most); 429 waits its `retry_after` (at most
//! [`MAX_INLINE_WAIT`]) and tries again; any other 4xx is final. A request that timed out is
//! tried again only if repeating it is harmless (everything but `send*`): a timed-out send may
//! have been delivered. Every try is counted in the metrics.
//!
//! **Why retrying cannot send twice.** A retry follows only an answer 5xx (Telegram did not
//! perform the request) or a connection that failed or was closed before the response's status
//! line arrived: we take such a request as not processed. That assumption lives here
//! ([`Retry::Backoff`] for an error of `execute`, i.e. before a status) and is what the fake Bot
//! API's `Failure::DropConnection` models (nothing recorded as delivered). A connection that
//! breaks *after* the status arrived, or a send that timed out, is final: it may have been
//! delivered.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use rand::Rng as _;
use reqwest::{StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use teloxide::payloads::{
    AnswerCallbackQuery, AnswerCallbackQuerySetters as _, EditMessageText,
    EditMessageTextSetters as _, SendMessage, SendMessageSetters as _,
};
use teloxide::requests::Payload;
use teloxide::types::{
    ChatId, InlineKeyboardMarkup, Message, MessageId, ParseMode, ReplyMarkup, ResponseParameters,
};
use teloxide::{ApiError, RequestError};

/// Tries of one request (the first and five retries).
pub const ATTEMPTS: u32 = 6;
/// The pause before the first retry; it doubles with each further one.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
/// The longest `retry_after` waited inline; a longer 429 is returned (the outbox is the place to
/// wait minutes).
pub const MAX_INLINE_WAIT: Duration = Duration::from_secs(60);
/// How long one request may take (but `getUpdates`).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Added to a long poll's own timeout.
const LONG_POLL_MARGIN: Duration = Duration::from_secs(10);
/// How long establishing a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Decides whether a request may be made now; the update pipeline installs one per update
/// ([`Api::with_gate`]).
pub trait SendGate: Send + Sync {
    fn open(&self) -> BoxFuture<'_, Result<(), GateClosed>>;
}

/// The gate refused: the request was not sent.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the request was not sent: its update's gate is closed")]
pub struct GateClosed;

/// The Bot API client: cheap to clone.
#[derive(Clone)]
pub struct Api {
    inner: Arc<Inner>,
    gate: Option<Arc<dyn SendGate>>,
}

struct Inner {
    client: reqwest::Client,
    base: Url,
    token: String,
}

/// A request that failed for good.
#[derive(Debug)]
pub struct Failure {
    pub error: RequestError,
    /// Telegram or the connection failed, not the request: it may well succeed later (the tries
    /// were used up, or Telegram asked to wait longer than [`MAX_INLINE_WAIT`]).
    pub transient: bool,
}

impl From<Failure> for RequestError {
    fn from(failure: Failure) -> Self {
        failure.error
    }
}

/// What one try ended with, if not with the result.
struct Attempt {
    error: RequestError,
    retry: Retry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retry {
    Never,
    /// A 5xx, or no answer at all: the request was not processed.
    Backoff,
    /// A 429.
    After(Duration),
    /// A timeout: repeated only where that is harmless.
    IfIdempotent,
}

impl Api {
    /// A client for the bot with `token` at `base` (`https://api.telegram.org` or a local server).
    /// Fails only if the TLS backend cannot be set up.
    pub fn new(token: &str, base: Url) -> Result<Self, RequestError> {
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .build()?;
        Ok(Self {
            inner: Arc::new(Inner {
                client,
                base,
                token: token.to_owned(),
            }),
            gate: None,
        })
    }

    /// A clone that awaits `gate` before every request it makes (once per request, retries
    /// included); a closed gate fails the request without sending it.
    pub fn with_gate(&self, gate: Arc<dyn SendGate>) -> Api {
        Api {
            inner: Arc::clone(&self.inner),
            gate: Some(gate),
        }
    }

    /// Makes the request, retried as the policy says (see the module).
    pub async fn call<P>(&self, payload: P) -> Result<P::Output, RequestError>
    where
        P: Payload + Serialize,
        P::Output: DeserializeOwned,
    {
        Ok(self.call_with(payload, ATTEMPTS).await?)
    }

    /// [`Api::call`], telling a transient failure from a final one.
    pub async fn try_call<P>(&self, payload: P) -> Result<P::Output, Failure>
    where
        P: Payload + Serialize,
        P::Output: DeserializeOwned,
    {
        self.call_with(payload, ATTEMPTS).await
    }

    /// One try, no retry: for callers with retries of their own (the outbox sender, live
    /// edits, the long poll, the start-up's `getMe`).
    pub async fn call_once<P>(&self, payload: P) -> Result<P::Output, RequestError>
    where
        P: Payload + Serialize,
        P::Output: DeserializeOwned,
    {
        Ok(self.call_with(payload, 1).await?)
    }

    /// [`Api::call_once`], telling a transient failure from a final one.
    pub async fn try_call_once<P>(&self, payload: P) -> Result<P::Output, Failure>
    where
        P: Payload + Serialize,
        P::Output: DeserializeOwned,
    {
        self.call_with(payload, 1).await
    }

    async fn call_with<P>(&self, payload: P, attempts: u32) -> Result<P::Output, Failure>
    where
        P: Payload + Serialize,
        P::Output: DeserializeOwned,
    {
        // teloxide names the `*_inline` payloads with an "Inline" suffix that is no method.
        let method = P::NAME.trim_end_matches("Inline");
        let timeout = payload
            .timeout_hint()
            .map_or(REQUEST_TIMEOUT, |poll| poll + LONG_POLL_MARGIN);
        let body = serde_json::to_vec(&payload).map_err(|err| Failure {
            error: RequestError::InvalidJson {
                source: Arc::new(err),
                raw: "".into(),
            },
            transient: false,
        })?;
        let url = self.method_url(method);
        self.run(method, attempts, || {
            let request = self
                .inner
                .client
                .post(url.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .timeout(timeout)
                .body(body.clone());
            execute(request)
        })
        .await
    }

    /// `sendDocument`: `bytes` as `file_name`, with an HTML `caption` (multipart).
    pub async fn send_document(
        &self,
        chat: ChatId,
        file_name: &str,
        bytes: Vec<u8>,
        caption: &str,
    ) -> Result<Message, RequestError> {
        let url = self.method_url("sendDocument");
        Ok(self
            .run("sendDocument", ATTEMPTS, || {
                let file =
                    reqwest::multipart::Part::bytes(bytes.clone()).file_name(file_name.to_owned());
                let form = reqwest::multipart::Form::new()
                    .text("chat_id", chat.0.to_string())
                    .text("caption", caption.to_owned())
                    .text("parse_mode", "HTML")
                    .part("document", file);
                let request = self
                    .inner
                    .client
                    .post(url.clone())
                    .timeout(REQUEST_TIMEOUT)
                    .multipart(form);
                execute(request)
            })
            .await?)
    }

    /// Downloads the file at `path` (from `getFile`): at most `limit` bytes are kept, so a
    /// result longer than `limit` means the file is bigger.
    pub async fn download(&self, path: &str, limit: usize) -> Result<Vec<u8>, RequestError> {
        let mut url = self.inner.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push("file");
            segments.push(&format!("bot{}", self.inner.token));
            segments.extend(path.split('/'));
        }
        Ok(self
            .run("getFile", ATTEMPTS, || {
                let request = self.inner.client.get(url.clone()).timeout(REQUEST_TIMEOUT);
                async move {
                    let mut response = request.send().await.map_err(no_answer)?;
                    let status = response.status();
                    if !status.is_success() {
                        let retry = if status.is_server_error() {
                            Retry::Backoff
                        } else {
                            Retry::Never
                        };
                        let error = ApiError::Unknown(status.to_string()).into();
                        return Err(Attempt { error, retry });
                    }
                    let mut bytes = Vec::new();
                    while let Some(chunk) = response.chunk().await.map_err(broken_answer)? {
                        bytes.extend_from_slice(&chunk);
                        if bytes.len() > limit {
                            break;
                        }
                    }
                    Ok(bytes)
                }
            })
            .await?)
    }

    /// `sendMessage` in HTML, optionally with a keyboard.
    pub fn html_message(chat: ChatId, text: &str, markup: Option<ReplyMarkup>) -> SendMessage {
        let message = SendMessage::new(chat, text).parse_mode(ParseMode::Html);
        match markup {
            Some(markup) => message.reply_markup(markup),
            None => message,
        }
    }

    /// Edits `message` into `text` (HTML) with `keyboard`.
    pub async fn edit_html(
        &self,
        chat: ChatId,
        message: MessageId,
        text: &str,
        keyboard: InlineKeyboardMarkup,
    ) -> Result<Message, RequestError> {
        self.call(edit_html(chat, message, text, keyboard)).await
    }

    /// Answers a callback query, optionally with a toast (or an alert). A query answered too
    /// late (Telegram forgot it) is not an error: there is nothing left to do.
    pub async fn answer(
        &self,
        query: &teloxide::types::CallbackQueryId,
        text: Option<&str>,
        alert: bool,
    ) -> Result<(), RequestError> {
        let mut answer = AnswerCallbackQuery::new(query.clone());
        if let Some(text) = text {
            answer = answer.text(text);
        }
        if alert {
            answer = answer.show_alert(true);
        }
        match self.call(answer).await {
            Ok(_) | Err(RequestError::Api(ApiError::InvalidQueryId)) => Ok(()),
            Err(RequestError::Api(ApiError::Unknown(description)))
                if description.contains("query is too old") =>
            {
                Ok(())
            }
            Err(err) => Err(err),
        }
    }

    fn method_url(&self, method: &str) -> Url {
        let mut url = self.inner.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments
                .pop_if_empty()
                .push(&format!("bot{}", self.inner.token))
                .push(method);
        }
        url
    }

    /// The policy: tries `attempt` up to `attempts` times, pausing as the failure asks.
    async fn run<T, F, Fut>(
        &self,
        method: &str,
        attempts: u32,
        mut attempt: F,
    ) -> Result<T, Failure>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Attempt>>,
    {
        if let Some(gate) = &self.gate {
            gate.open().await.map_err(|closed| Failure {
                error: RequestError::Io(Arc::new(std::io::Error::other(closed))),
                transient: false,
            })?;
        }
        let idempotent = !method.to_ascii_lowercase().starts_with("send");
        let mut tries = 0;
        loop {
            let result = attempt().await;
            crate::http::metrics::api_request(result.as_ref().map(|_| ()).map_err(|a| &a.error));
            let Attempt { error, retry } = match result {
                Ok(value) => return Ok(value),
                Err(failed) => failed,
            };
            tries += 1;
            let pause = match retry {
                Retry::Backoff => Some(backoff(tries)),
                Retry::IfIdempotent if idempotent => Some(backoff(tries)),
                Retry::After(wait) => Some(wait),
                Retry::IfIdempotent | Retry::Never => None,
            };
            let transient = matches!(error, RequestError::RetryAfter(_))
                || retry == Retry::Backoff
                || (retry == Retry::IfIdempotent && idempotent);
            match pause {
                Some(pause) if tries < attempts => {
                    tracing::debug!(%error, ?pause, tries, method, "retrying a Bot API request");
                    tokio::time::sleep(pause).await;
                }
                _ => return Err(Failure { error, transient }),
            }
        }
    }
}

/// Sends `request` and reads Telegram's envelope.
async fn execute<T: DeserializeOwned>(request: reqwest::RequestBuilder) -> Result<T, Attempt> {
    let response = request.send().await.map_err(no_answer)?;
    let status = response.status();
    let body = response.bytes().await.map_err(broken_answer)?;
    parse(status, &body)
}

/// `editMessageText` in HTML with an inline keyboard.
pub fn edit_html(
    chat: ChatId,
    message: MessageId,
    text: &str,
    keyboard: InlineKeyboardMarkup,
) -> EditMessageText {
    EditMessageText::new(chat, message, text)
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard)
}

/// The pause before try `tries + 1`: 0.1 s doubling, ±50 % jitter.
fn backoff(tries: u32) -> Duration {
    let base = FIRST_BACKOFF * 2u32.saturating_pow(tries.saturating_sub(1).min(10));
    base.mul_f64(rand::rng().random_range(0.5..1.5))
}

/// No answer came: the connection failed or closed before the status line (or timed out).
fn no_answer(err: reqwest::Error) -> Attempt {
    let retry = if err.is_timeout() {
        Retry::IfIdempotent
    } else if err.is_connect() || err.is_request() {
        Retry::Backoff
    } else {
        Retry::Never
    };
    Attempt {
        error: err.into(),
        retry,
    }
}

/// The answer broke off after its status: Telegram may have performed the request.
fn broken_answer(err: reqwest::Error) -> Attempt {
    Attempt {
        error: err.into(),
        retry: Retry::IfIdempotent,
    }
}

/// Telegram's response envelope.
#[derive(serde::Deserialize)]
struct Envelope<T> {
    ok: bool,
    result: Option<T>,
    description: Option<String>,
    parameters: Option<ResponseParameters>,
}

/// Reads one answer: the result, or the error it says, and whether to try again.
fn parse<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T, Attempt> {
    let server_error = status.is_server_error();
    let envelope = match serde_json::from_slice::<Envelope<T>>(body) {
        Ok(envelope) => envelope,
        // A proxy's page or an empty body: only the status says what happened.
        Err(_) if server_error => {
            return Err(Attempt {
                error: ApiError::Unknown(status.to_string()).into(),
                retry: Retry::Backoff,
            });
        }
        Err(err) => {
            return Err(Attempt {
                error: RequestError::InvalidJson {
                    source: Arc::new(err),
                    raw: String::from_utf8_lossy(body).into(),
                },
                retry: Retry::Never,
            });
        }
    };
    if envelope.ok
        && let Some(result) = envelope.result
    {
        return Ok(result);
    }
    let (error, retry) = match envelope.parameters {
        Some(ResponseParameters::RetryAfter(after)) => {
            let wait = after.duration();
            // Telegram's limits are per bot: the sender's budget waits too.
            crate::notifications::limiter::telegram_asked_to_wait(wait);
            let retry = if wait <= MAX_INLINE_WAIT {
                Retry::After(wait)
            } else {
                Retry::Never
            };
            (RequestError::RetryAfter(after), retry)
        }
        Some(ResponseParameters::MigrateToChatId(to)) => {
            (RequestError::MigrateToChatId(to), Retry::Never)
        }
        None => {
            let description = envelope.description.unwrap_or_else(|| status.to_string());
            let error = serde_json::from_value(serde_json::Value::String(description.clone()))
                .unwrap_or(ApiError::Unknown(description));
            let retry = if server_error {
                Retry::Backoff
            } else {
                Retry::Never
            };
            (RequestError::Api(error), retry)
        }
    };
    Err(Attempt { error, retry })
}

#[cfg(test)]
mod tests;
