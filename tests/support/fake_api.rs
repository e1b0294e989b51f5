//! A fake Telegram Bot API server for end-to-end tests.
//!
//! [`FakeTelegram::start`] serves `POST /bot{token}/{method}` on 127.0.0.1 like
//! api.telegram.org does for the methods a bot uses: it keeps chats, messages
//! and an update queue with real `getUpdates` semantics, validates requests
//! and rejects what Telegram rejects (with Telegram's error bodies, so that
//! teloxide maps them to the same `ApiError`s), and records every request.
//!
//! Tests drive it from the user's side ([`FakeTelegram::push_message`],
//! [`FakeTelegram::push_callback`], ...) and observe the bot through
//! [`FakeTelegram::wait_for`] and [`FakeTelegram::message`].
//!
//! Ordering guarantees: requests are recorded in arrival order, while the
//! fake's state lock is held and after their effect on the chats is applied,
//! so once `wait_for` sees a `sendMessage`, [`FakeTelegram::message`] already
//! shows it. A long poll is recorded when it arrives (status 0, pending) and
//! amended with its final status and result when it returns.

mod body;
mod catalog;
mod faults;
pub mod html;
mod state;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State as AxumState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Value, json};
use tokio::sync::watch;

use self::body::base64_decode;
#[allow(unused_imports)] // not every test file names each of them
pub use self::faults::{InjectedFaults, Mix, RandomFaults};
use self::state::{ApiError, State};

/// The parameter under which a request's instance is recorded (see [`Recorded::via`]).
const VIA: &str = "_via";

/// The token the fake accepts; any other gets 401 Unauthorized.
pub const BOT_TOKEN: &str = "123456:TEST-token_abc";
/// The bot's username, as returned by `getMe`.
pub const BOT_USERNAME: &str = "study_group_test_bot";

/// The seed of a test's random faults: `FAULT_SEED` if set, else a random one; printed either
/// way, so a failing run can be repeated.
pub fn fault_seed() -> u64 {
    let seed = std::env::var("FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("fault seed: {seed} (FAULT_SEED={seed} repeats this run)");
    seed
}

/// How long a [`Failure::Timeout`] holds a request before dropping the connection.
const TIMEOUT_HOLD: Duration = Duration::from_secs(30);

/// A Telegram user, as tests create them with [`FakeTelegram::user`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TgUser {
    pub id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

impl TgUser {
    /// The user as a Bot API `User` object.
    pub fn to_json(&self) -> Value {
        let mut user = json!({"id": self.id, "is_bot": false, "first_name": self.first_name});
        let optional = [
            ("last_name", &self.last_name),
            ("username", &self.username),
            ("language_code", &self.language_code),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                user[key] = value.clone().into();
            }
        }
        user
    }

    fn from_json(user: &Value) -> Option<TgUser> {
        let text = |key| user.get(key).and_then(Value::as_str).map(str::to_owned);
        Some(TgUser {
            id: user.get("id")?.as_i64()?,
            first_name: text("first_name")?,
            last_name: text("last_name"),
            username: text("username"),
            language_code: text("language_code"),
        })
    }
}

/// One request the bot made.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Position in the log, starting at 0; see [`FakeTelegram::next_seq`].
    pub seq: u64,
    /// Canonical method name (`sendMessage`), or the name as requested if unknown.
    pub method: String,
    /// All parameters as one JSON object. Multipart and form values are
    /// strings, except JSON-serialised ones (`reply_markup`, ...), which are
    /// decoded; an uploaded file is `{"filename", "content", "encoding"}`
    /// where `encoding` is `"utf-8"` (content is the text) or `"base64"`.
    pub params: Value,
    /// HTTP status of the response; 0 while a long poll is pending, or if
    /// the fake never answered ([`Failure::Timeout`], or the client hung up
    /// on a long poll; then `error` says so).
    pub status: u16,
    /// The error `description`, for rejected requests.
    pub error: Option<String>,
    /// The `result` of a successful response (e.g. the sent `Message`).
    pub result: Option<Value>,
    /// When the request arrived.
    pub at: Instant,
}

impl Recorded {
    pub fn is_ok(&self) -> bool {
        self.status == 200
    }

    /// `chat_id`, whether sent as a number or a string.
    /// Which instance of the bot made the request, if it used [`FakeTelegram::api_url_for`].
    pub fn via(&self) -> Option<&str> {
        self.params.get(VIA).and_then(Value::as_str)
    }

    pub fn chat_id(&self) -> Option<i64> {
        self.params.get("chat_id").and_then(int_value)
    }

    /// `text`, or `caption` for media.
    pub fn text(&self) -> Option<&str> {
        let field = |key| self.params.get(key).and_then(Value::as_str);
        field("text").or_else(|| field("caption"))
    }

    pub fn reply_markup(&self) -> Option<&Value> {
        self.params.get("reply_markup")
    }

    /// Rows of button texts of a `ReplyKeyboardMarkup` (empty for other markups).
    pub fn reply_keyboard_texts(&self) -> Vec<Vec<String>> {
        reply_keyboard_texts(self.reply_markup())
    }

    /// Rows of `(text, callback_data)` of an `InlineKeyboardMarkup`.
    pub fn inline_buttons(&self) -> Vec<Vec<(String, Option<String>)>> {
        inline_buttons(self.reply_markup())
    }

    /// The message id this request produced (`result.message_id`) or targeted.
    pub fn message_id(&self) -> Option<i64> {
        let from_result = self.result.as_ref().and_then(|r| r.get("message_id"));
        from_result
            .or_else(|| self.params.get("message_id"))
            .and_then(int_value)
    }

    /// Name and bytes of a file uploaded as `param` (e.g. `"document"`).
    pub fn file(&self, param: &str) -> Option<(String, Vec<u8>)> {
        let file = self.params.get(param)?;
        let name = file.get("filename")?.as_str()?.to_owned();
        let content = file.get("content")?.as_str()?;
        let bytes = match file.get("encoding").and_then(Value::as_str) {
            Some("base64") => base64_decode(content)?,
            _ => content.as_bytes().to_vec(),
        };
        Some((name, bytes))
    }

    /// One line for failure messages.
    pub fn summary(&self) -> String {
        let mut line = format!("#{} {} -> {}", self.seq, self.method, self.status);
        if let Some(error) = &self.error {
            line += &format!(" ({error})");
        }
        if let Some(chat) = self.chat_id() {
            line += &format!(" chat={chat}");
        }
        if let Some(text) = self.text() {
            let short: String = text.chars().take(120).collect();
            let ellipsis = if short.len() < text.len() { "…" } else { "" };
            line += &format!(" text={short:?}{ellipsis}");
        }
        if let Some(markup) = self.reply_markup() {
            line += &format!(" markup={markup}");
        }
        line
    }
}

/// A fault to inject with [`FakeTelegram::fail_next`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// 429 with `parameters.retry_after` (`RequestError::RetryAfter`).
    TooManyRequests { retry_after: u32 },
    /// 500 Internal Server Error (the request is not performed).
    ServerError,
    /// Hold the request open for 30 s, then drop the connection without an answer.
    Timeout,
    /// 403 "Forbidden: bot was blocked by the user".
    Forbidden,
    /// Close the connection at once, before any byte of an answer (the request is not served
    /// and nothing is delivered).
    DropConnection,
}

/// What a chat shows for one of the bot's messages.
#[derive(Clone, Debug, PartialEq)]
pub struct SentMessage {
    pub message_id: i64,
    /// Visible text after entity parsing (the caption, for documents).
    pub text: String,
    /// The text exactly as the bot sent it (e.g. with HTML tags).
    pub raw_text: String,
    /// The markup last attached by the bot (inline keyboards stay with the
    /// message; reply keyboards are also recorded here for convenience).
    pub reply_markup: Option<Value>,
    /// How many successful edits the message has had.
    pub edits: u32,
}

impl SentMessage {
    pub fn inline_buttons(&self) -> Vec<Vec<(String, Option<String>)>> {
        inline_buttons(self.reply_markup.as_ref())
    }

    pub fn reply_keyboard_texts(&self) -> Vec<Vec<String>> {
        reply_keyboard_texts(self.reply_markup.as_ref())
    }
}

/// An integer sent as a JSON number or as a decimal string (as in multipart forms).
pub fn int_value(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn inline_buttons(markup: Option<&Value>) -> Vec<Vec<(String, Option<String>)>> {
    rows(markup, "inline_keyboard")
        .into_iter()
        .map(|row| {
            row.iter()
                .map(|button| {
                    let field = |key| button.get(key).and_then(Value::as_str).map(str::to_owned);
                    (field("text").unwrap_or_default(), field("callback_data"))
                })
                .collect()
        })
        .collect()
}

fn reply_keyboard_texts(markup: Option<&Value>) -> Vec<Vec<String>> {
    rows(markup, "keyboard")
        .into_iter()
        .map(|row| {
            row.iter()
                .map(|button| {
                    let text = button.as_str().or_else(|| button.get("text")?.as_str());
                    text.unwrap_or_default().to_owned()
                })
                .collect()
        })
        .collect()
}

fn rows<'a>(markup: Option<&'a Value>, field: &str) -> Vec<&'a Vec<Value>> {
    let rows = markup.and_then(|m| m.get(field)).and_then(Value::as_array);
    rows.into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .collect()
}

/// Handle to a running fake server; clones share it.
#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Inner>,
}

struct Inner {
    api_url: String,
    token: String,
    state: Mutex<State>,
    log: Mutex<Log>,
    /// Pinged when updates are queued or a newer `getUpdates` takes over.
    updates_changed: watch::Sender<()>,
    /// The confirmed offset.
    confirmed: watch::Sender<i64>,
    /// Bumped whenever a request is recorded or amended.
    recorded: watch::Sender<u64>,
    /// Number of long polls currently waiting for updates.
    waiting_polls: watch::Sender<usize>,
    /// Random faults, while a plan is set.
    random_faults: Mutex<Option<faults::Injector>>,
    /// While true, requests take effect but their answers wait (Telegram slow to respond).
    answers_held: watch::Sender<bool>,
    /// How many answers are waiting meanwhile.
    held: watch::Sender<usize>,
}

#[derive(Default)]
struct Log {
    /// Indexed by `seq`.
    records: Vec<Arc<Recorded>>,
    /// Seqs of records replaced after they were first recorded (long polls
    /// that returned), in order, so waiters can look at them again.
    amended: Vec<u64>,
    by_chat: HashMap<i64, ChatLog>,
    /// The seq of each callback query's answer, by query id, for [`FakeTelegram::wait_for_answer`].
    answers: HashMap<String, watch::Sender<Option<u64>>>,
}

/// The requests about one chat, so per-chat waits need not scan everything.
struct ChatLog {
    seqs: Vec<u64>,
    changed: watch::Sender<usize>,
}

impl ChatLog {
    fn new() -> Self {
        ChatLog {
            seqs: Vec::new(),
            changed: watch::channel(0).0,
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking test thread must not turn every later assertion into a poison error.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeTelegram {
    /// Binds 127.0.0.1 on a free port and serves on the current tokio runtime.
    pub async fn start() -> FakeTelegram {
        Self::start_with_token(BOT_TOKEN).await
    }

    /// Like [`start`](Self::start), for a bot with another token.
    pub async fn start_with_token(token: &str) -> FakeTelegram {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake Telegram server");
        let addr = listener.local_addr().expect("local address");
        let bot_id = token
            .split(':')
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap_or(1);
        let fake = FakeTelegram {
            inner: Arc::new(Inner {
                api_url: format!("http://{addr}"),
                token: token.to_owned(),
                state: Mutex::new(State::new(bot_id, BOT_USERNAME)),
                log: Mutex::new(Log::default()),
                updates_changed: watch::channel(()).0,
                confirmed: watch::channel(0).0,
                recorded: watch::channel(0).0,
                waiting_polls: watch::channel(0).0,
                random_faults: Mutex::new(None),
                answers_held: watch::channel(false).0,
                held: watch::channel(0).0,
            }),
        };
        let app = Router::new()
            .route("/{bot_token}/{method}", any(handle))
            .route("/{via}/{bot_token}/{method}", any(handle_via))
            .route("/file/{bot_token}/{*file_path}", any(download))
            .fallback(|| async { error_response(&ApiError::new(404, "Not Found")) })
            .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
            .with_state(fake.clone());
        tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("fake Telegram server failed");
        });
        fake
    }

    /// `http://127.0.0.1:PORT`, the value for the bot's API URL setting.
    pub fn api_url(&self) -> String {
        self.inner.api_url.clone()
    }

    /// The API URL for one of several instances of the bot: its requests are recorded with
    /// [`Recorded::via`] = `instance` (one budget still: the limits count per token).
    pub fn api_url_for(&self, instance: &str) -> String {
        format!("{}/{instance}", self.inner.api_url.trim_end_matches('/'))
    }

    pub fn token(&self) -> &str {
        &self.inner.token
    }

    /// The bot's user id (the digits of the token before `:`).
    pub fn bot_id(&self) -> i64 {
        self.state().bot["id"].as_i64().expect("bot id")
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.inner.state)
    }

    // ----- the user's side -----------------------------------------------

    /// A Telegram user. Their private chat with the bot exists once they
    /// appear in an update; before that, sending to them fails with 403
    /// "bot can't initiate conversation with a user".
    pub fn user(
        &self,
        id: i64,
        first_name: &str,
        last_name: Option<&str>,
        username: Option<&str>,
        language_code: Option<&str>,
    ) -> TgUser {
        let user = TgUser {
            id,
            first_name: first_name.to_owned(),
            last_name: last_name.map(str::to_owned),
            username: username.map(str::to_owned),
            language_code: language_code.map(str::to_owned),
        };
        self.state().users.insert(id, user.clone());
        user
    }

    /// `user` has written to the bot before (their updates long confirmed): their private chat
    /// exists, so the bot may message them, without an update waiting for the bot.
    pub fn open_private_chat(&self, user: &TgUser) {
        let mut state = self.state();
        state.private_chat(user).blocked = false;
    }

    /// Registers a group chat the bot is a member of (ids ≤ -10^12 are supergroups).
    pub fn add_group_chat(&self, chat_id: i64, title: &str) {
        self.state().add_group_chat(chat_id, title);
    }

    /// `from` writes `text` in their private chat with the bot. Returns the update id.
    pub fn push_message(&self, from: &TgUser, text: &str) -> i64 {
        self.enqueue(|state| {
            let message = state.user_message(from, text);
            state.enqueue("message", message)
        })
    }

    /// `from` sends a document `file_name` with `bytes` in their private chat (the bot can
    /// fetch it with `getFile` and the file download URL). Returns the update id.
    pub fn push_document(&self, from: &TgUser, file_name: &str, bytes: &[u8]) -> i64 {
        self.enqueue(|state| {
            let message = state.user_document(from, file_name, bytes.to_vec());
            state.enqueue("message", message)
        })
    }

    /// `from` sends a photo in their private chat (three sizes, each with its file id).
    /// Returns the update id.
    pub fn push_photo(&self, from: &TgUser) -> i64 {
        self.enqueue(|state| {
            let message = state.user_photo(from);
            state.enqueue("message", message)
        })
    }

    /// `from` sends a sticker in their private chat (a message without text). Returns the
    /// update id.
    pub fn push_sticker(&self, from: &TgUser) -> i64 {
        self.enqueue(|state| {
            let mut message = state.user_message(from, "");
            if let Some(fields) = message.as_object_mut() {
                fields.remove("text");
                fields.insert(
                    "sticker".to_owned(),
                    serde_json::json!({
                        "file_id": "CAACAgIAAxkBAAIsticker",
                        "file_unique_id": "AgADsticker",
                        "type": "regular",
                        "width": 512,
                        "height": 512,
                        "is_animated": false,
                        "is_video": false,
                        "emoji": "👍",
                    }),
                );
            }
            state.enqueue("message", message)
        })
    }

    /// `from` writes `text` in the group chat `chat_id` (registered with
    /// [`add_group_chat`](Self::add_group_chat)). Returns the update id.
    pub fn push_group_message(&self, chat_id: i64, from: &TgUser, text: &str) -> i64 {
        self.enqueue(|state| {
            let message = state.group_message(chat_id, from, text);
            state.enqueue("message", message)
        })
    }

    /// `from` presses a button with `data` under the bot's message `message_id`
    /// in their private chat (the query includes that message, as Telegram
    /// does). Panics if the bot never sent that message. Returns the update id.
    pub fn push_callback(&self, from: &TgUser, message_id: i64, data: &str) -> i64 {
        self.enqueue(|state| {
            let query = state.callback_query(from, message_id, data);
            state.enqueue("callback_query", query)
        })
    }

    /// `from` presses the inline button labelled `button_text` under the
    /// bot's message `message_id`, as currently shown. Returns the update id.
    pub fn press_button(
        &self,
        from: &TgUser,
        message_id: i64,
        button_text: &str,
    ) -> Result<i64, String> {
        let shown = self
            .message(from.id, message_id)
            .ok_or_else(|| format!("chat {} shows no bot message {message_id}", from.id))?;
        let buttons = shown.inline_buttons();
        let data = buttons
            .iter()
            .flatten()
            .find(|(text, _)| text == button_text)
            .map(|(_, data)| data.clone())
            .ok_or_else(|| {
                format!("no button {button_text:?} under message {message_id}: {buttons:?}")
            })?
            .ok_or_else(|| format!("button {button_text:?} has no callback_data"))?;
        Ok(self.push_callback(from, message_id, &data))
    }

    /// `from` presses the button with `data` under the bot's message `message_id` in the group
    /// chat `chat_id`. Returns the update id.
    pub fn push_group_callback(
        &self,
        chat_id: i64,
        from: &TgUser,
        message_id: i64,
        data: &str,
    ) -> i64 {
        self.enqueue(|state| {
            let query = state.group_callback_query(chat_id, from, message_id, data);
            state.enqueue("callback_query", query)
        })
    }

    /// `from` presses the inline button labelled `button_text` under the bot's message
    /// `message_id` in the group chat `chat_id`, as currently shown. Returns the update id.
    pub fn press_group_button(
        &self,
        chat_id: i64,
        from: &TgUser,
        message_id: i64,
        button_text: &str,
    ) -> Result<i64, String> {
        let shown = self
            .message(chat_id, message_id)
            .ok_or_else(|| format!("chat {chat_id} shows no bot message {message_id}"))?;
        let data = shown
            .inline_buttons()
            .into_iter()
            .flatten()
            .find(|(text, _)| text == button_text)
            .and_then(|(_, data)| data)
            .ok_or_else(|| format!("no button {button_text:?} under message {message_id}"))?;
        Ok(self.push_group_callback(chat_id, from, message_id, &data))
    }

    /// `by` adds the bot to the group chat `chat_id` (registered with
    /// [`add_group_chat`](Self::add_group_chat)): a `my_chat_member` update. Returns its id.
    pub fn add_bot_to_group(&self, chat_id: i64, by: &TgUser) -> i64 {
        self.enqueue(|state| {
            let change = state.set_bot_status(chat_id, by, "member");
            state.enqueue("my_chat_member", change)
        })
    }

    /// `by` removes the bot from the group chat `chat_id`: a `my_chat_member` update with
    /// status `kicked`; from then on the bot's requests to the chat get 403. Returns its id.
    pub fn remove_bot_from_group(&self, chat_id: i64, by: &TgUser) -> i64 {
        self.enqueue(|state| {
            let change = state.set_bot_status(chat_id, by, "kicked");
            state.enqueue("my_chat_member", change)
        })
    }

    /// `by` turns the group chat `old_id` into the supergroup `new_id`: Telegram sends a
    /// message with `migrate_to_chat_id` in the old chat and one with `migrate_from_chat_id`
    /// in the new one; requests to the old chat get 400 with `migrate_to_chat_id`. Returns the
    /// two update ids.
    pub fn migrate_group(&self, old_id: i64, new_id: i64, by: &TgUser) -> (i64, i64) {
        let first = self.enqueue(|state| {
            let (in_old, in_new) = state.migrate_group(old_id, new_id, by);
            let first = state.enqueue("message", in_old);
            state.enqueue("message", in_new);
            first
        });
        (first, first + 1)
    }

    /// Queues an arbitrary update such as `{"edited_message": {...}}` (one
    /// key: the update kind). Chats, users and callback query ids in it
    /// become known.
    pub fn push_raw(&self, update_without_id: Value) -> i64 {
        let Value::Object(update) = update_without_id else {
            panic!("push_raw: expected an object like {{\"message\": {{...}}}}");
        };
        let mut fields = update.into_iter();
        let (Some((kind, payload)), None) = (fields.next(), fields.next()) else {
            panic!("push_raw: an update has exactly one field besides update_id");
        };
        self.enqueue(|state| {
            state.learn_from_update(&kind, &payload);
            state.enqueue(&kind, payload)
        })
    }

    /// Telegram delivers update `update_id` again: its confirmation was lost. Panics if the
    /// update was never pushed.
    pub fn redeliver(&self, update_id: i64) {
        let offset = {
            let mut state = self.state();
            assert!(
                state.redeliver(update_id),
                "redeliver: update {update_id} was never pushed"
            );
            state.confirmed_offset
        };
        self.inner.confirmed.send_replace(offset);
        self.inner.updates_changed.send_replace(());
    }

    /// The update `update_id` as it was queued (`{"update_id", <kind>: …}`); `None` if it
    /// never was.
    pub fn update(&self, update_id: i64) -> Option<Value> {
        self.state().update(update_id)
    }

    /// The `secret_token` of the bot's latest `setWebhook`.
    pub fn webhook_secret(&self) -> Option<String> {
        self.requests()
            .iter()
            .rev()
            .find(|r| r.method == "setWebhook" && r.is_ok())
            .and_then(|r| r.params.get("secret_token")?.as_str().map(str::to_owned))
    }

    /// Posts `update` to the bot's webhook at `url` like Telegram does (JSON body, the secret in
    /// `X-Telegram-Bot-Api-Secret-Token`); returns the HTTP status.
    pub async fn deliver_webhook(&self, url: &str, secret: &str, update: &Value) -> u16 {
        let body = serde_json::to_vec(update).expect("update as JSON");
        let headers = [
            ("Content-Type", "application/json"),
            ("X-Telegram-Bot-Api-Secret-Token", secret),
        ];
        super::http::request("POST", url, &headers, &body)
            .await
            .unwrap_or_else(|err| panic!("webhook delivery to {url}: {err}"))
            .status
    }

    fn enqueue(&self, f: impl FnOnce(&mut State) -> i64) -> i64 {
        let id = f(&mut self.state());
        self.inner.updates_changed.send_replace(());
        id
    }

    /// The user blocks (or unblocks) the bot: requests to their chat get 403
    /// "bot was blocked by the user" until they unblock it or write again.
    pub fn set_blocked(&self, user_id: i64, blocked: bool) {
        if let Some(chat) = self.state().chats.get_mut(&user_id) {
            chat.blocked = blocked;
        }
    }

    // ----- update confirmation -------------------------------------------

    /// The highest offset the bot has passed to `getUpdates`: Telegram has
    /// forgotten every update below it.
    pub fn confirmed_offset(&self) -> i64 {
        *self.inner.confirmed.borrow()
    }

    /// Update ids not yet confirmed by the bot.
    pub fn pending_update_ids(&self) -> Vec<i64> {
        self.state().queue.iter().map(|(id, _)| *id).collect()
    }

    /// Waits until the bot has confirmed `update_id` (called `getUpdates` with
    /// a greater offset). An update that Telegram would never deliver because
    /// the bot's `allowed_updates` excludes its kind counts as settled at once.
    pub async fn wait_confirmed(&self, update_id: i64, timeout: Duration) -> Result<(), String> {
        if self.state().dropped.contains(&update_id) {
            return Ok(());
        }
        let mut confirmed = self.inner.confirmed.subscribe();
        match tokio::time::timeout(timeout, confirmed.wait_for(|&offset| offset > update_id)).await
        {
            Ok(Ok(_)) => Ok(()),
            _ => Err(format!(
                "update {update_id} not confirmed within {timeout:?}: confirmed offset {}, pending updates {:?}\n{}",
                self.confirmed_offset(),
                self.pending_update_ids(),
                self.dump(0),
            )),
        }
    }

    /// Whether `update_id` was never delivered: excluded by `allowed_updates`,
    /// or discarded with `drop_pending_updates`.
    pub fn is_dropped(&self, update_id: i64) -> bool {
        self.state().dropped.contains(&update_id)
    }

    /// Number of `getUpdates` long polls currently waiting for an update.
    pub fn waiting_polls(&self) -> usize {
        *self.inner.waiting_polls.borrow()
    }

    /// Waits until a `getUpdates` long poll is waiting for updates (the bot
    /// is up and idle), or the timeout passes.
    pub async fn wait_until_polling(&self, timeout: Duration) -> Result<(), String> {
        let mut waiting = self.inner.waiting_polls.subscribe();
        match tokio::time::timeout(timeout, waiting.wait_for(|&n| n > 0)).await {
            Ok(Ok(_)) => Ok(()),
            _ => Err(format!(
                "no long poll started within {timeout:?}\n{}",
                self.dump(0)
            )),
        }
    }

    // ----- observing the bot ---------------------------------------------

    /// All recorded requests, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests_since(0)
    }

    /// Recorded requests with `seq >= seq`.
    /// The bot's answer to the callback query `query_id` (the first one), waiting up to
    /// `timeout` for it; one query's wait wakes only when that query is answered.
    pub async fn wait_for_answer(
        &self,
        query_id: &str,
        timeout: Duration,
    ) -> Result<Recorded, String> {
        let mut answered = lock(&self.inner.log)
            .answers
            .entry(query_id.to_owned())
            .or_insert_with(|| watch::channel(None).0)
            .subscribe();
        let seq = match tokio::time::timeout(timeout, answered.wait_for(Option::is_some)).await {
            Ok(Ok(seq)) => (*seq).unwrap_or_default(),
            _ => {
                return Err(format!(
                    "callback query {query_id} not answered within {timeout:?}"
                ));
            }
        };
        Ok(Recorded::clone(
            &lock(&self.inner.log).records[seq as usize],
        ))
    }

    pub fn requests_since(&self, seq: u64) -> Vec<Recorded> {
        let log = lock(&self.inner.log);
        let start = (seq as usize).min(log.records.len());
        log.records[start..]
            .iter()
            .map(|r| Recorded::clone(r))
            .collect()
    }

    /// Recorded requests whose `chat_id` is `chat_id` (from an index; cheap).
    pub fn requests_for_chat(&self, chat_id: i64) -> Vec<Recorded> {
        let log = lock(&self.inner.log);
        let Some(chat) = log.by_chat.get(&chat_id) else {
            return Vec::new();
        };
        chat.seqs
            .iter()
            .map(|&seq| Recorded::clone(&log.records[seq as usize]))
            .collect()
    }

    /// The `seq` the next recorded request will get: take it before acting,
    /// then wait for requests since it.
    pub fn next_seq(&self) -> u64 {
        lock(&self.inner.log).records.len() as u64
    }

    /// Waits until a request with `seq >= since_seq` satisfies `pred`. On
    /// timeout the error lists what was recorded. `pred` runs without locks held.
    pub async fn wait_for(
        &self,
        since_seq: u64,
        timeout: Duration,
        pred: impl Fn(&Recorded) -> bool,
    ) -> Result<Recorded, String> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changed = self.inner.recorded.subscribe();
        let mut next = since_seq as usize;
        let mut next_amended = lock(&self.inner.log).amended.len();
        loop {
            changed.borrow_and_update();
            let fresh: Vec<Arc<Recorded>> = {
                let log = lock(&self.inner.log);
                let amended = log.amended[next_amended..]
                    .iter()
                    .filter(|&&seq| (since_seq..next as u64).contains(&seq))
                    .map(|&seq| log.records[seq as usize].clone());
                let fresh = amended
                    .chain(log.records.get(next..).unwrap_or_default().iter().cloned())
                    .collect();
                next = next.max(log.records.len());
                next_amended = log.amended.len();
                fresh
            };
            if let Some(found) = fresh.iter().find(|r| pred(r)) {
                return Ok(Recorded::clone(found));
            }
            if tokio::time::timeout_at(deadline, changed.changed())
                .await
                .is_err()
            {
                return Err(format!(
                    "timed out after {timeout:?} waiting for a matching request\n{}",
                    self.dump(since_seq)
                ));
            }
        }
    }

    /// Like [`wait_for`](Self::wait_for), restricted to requests with this
    /// `chat_id`; only wakes for that chat, so many concurrent waiters are cheap.
    pub async fn wait_for_chat(
        &self,
        chat_id: i64,
        since_seq: u64,
        timeout: Duration,
        pred: impl Fn(&Recorded) -> bool,
    ) -> Result<Recorded, String> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changed = lock(&self.inner.log)
            .by_chat
            .entry(chat_id)
            .or_insert_with(ChatLog::new)
            .changed
            .subscribe();
        let mut next = 0;
        loop {
            changed.borrow_and_update();
            let fresh: Vec<Arc<Recorded>> = {
                let log = lock(&self.inner.log);
                let seqs = &log.by_chat[&chat_id].seqs;
                let fresh = seqs[next..]
                    .iter()
                    .filter(|&&seq| seq >= since_seq)
                    .map(|&seq| log.records[seq as usize].clone())
                    .collect();
                next = seqs.len();
                fresh
            };
            if let Some(found) = fresh.iter().find(|r| pred(r)) {
                return Ok(Recorded::clone(found));
            }
            if tokio::time::timeout_at(deadline, changed.changed())
                .await
                .is_err()
            {
                let requests = self.requests_for_chat(chat_id);
                return Err(format!(
                    "timed out after {timeout:?} waiting for a matching request\n{}",
                    summarize(
                        &format!("chat {chat_id} has {} request(s)", requests.len()),
                        &requests
                    )
                ));
            }
        }
    }

    /// The requests since `since_seq`, one per line (the last 50), for failure messages.
    pub fn dump(&self, since_seq: u64) -> String {
        let requests = self.requests_since(since_seq);
        let header = format!("{} request(s) recorded since #{since_seq}", requests.len());
        summarize(&header, &requests)
    }

    /// What chat `chat_id` shows as the bot's message `message_id`: its
    /// latest text and markup. `None` if the bot never sent it or deleted it.
    pub fn message(&self, chat_id: i64, message_id: i64) -> Option<SentMessage> {
        let state = self.state();
        let message = state.chats.get(&chat_id)?.messages.get(&message_id)?;
        (message.from_bot && !message.deleted).then(|| message.to_sent())
    }

    /// The bot's latest visible message in `chat_id`.
    pub fn last_message(&self, chat_id: i64) -> Option<SentMessage> {
        self.state()
            .chats
            .get(&chat_id)?
            .last_bot_message()
            .map(|m| m.to_sent())
    }

    /// The reply keyboard the user of `chat_id` currently has (the last one
    /// sent, until a `ReplyKeyboardRemove`).
    pub fn reply_keyboard(&self, chat_id: i64) -> Option<Value> {
        self.state().chats.get(&chat_id)?.reply_keyboard.clone()
    }

    /// The menu button set with `setChatMenuButton` for `chat_id` (`None`: every private chat).
    pub fn menu_button(&self, chat_id: Option<i64>) -> Option<Value> {
        self.state().menu_buttons.get(&chat_id).cloned()
    }

    /// Commands set with `setMyCommands` for `scope` (e.g. `{"type":"default"}`)
    /// and `language_code` (`None` = all languages), as `(command, description)`.
    pub fn my_commands(
        &self,
        scope: Value,
        language_code: Option<&str>,
    ) -> Option<Vec<(String, String)>> {
        let key = (
            state::canonical_json(&scope),
            language_code.unwrap_or_default().to_owned(),
        );
        let state = self.state();
        let commands = state.commands.get(&key)?.as_array()?;
        Some(
            commands
                .iter()
                .map(|c| {
                    let field = |k| {
                        c.get(k)
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned()
                    };
                    (field("command"), field("description"))
                })
                .collect(),
        )
    }

    /// When the bot's successful `sendMessage`/`sendDocument`/`sendPhoto` requests to
    /// `chat_id` arrived, oldest first (rate limits are not enforced).
    pub fn per_chat_send_times(&self, chat_id: i64) -> Vec<Instant> {
        let state = self.state();
        state
            .chats
            .get(&chat_id)
            .map(|c| c.send_times.clone())
            .unwrap_or_default()
    }

    // ----- fault injection -----------------------------------------------

    /// The next `n` calls of `method` fail with `failure` instead of being served.
    /// Panics on a name that is not a Bot API method.
    pub fn fail_next(&self, method: &str, n: usize, failure: Failure) {
        let method = catalog::canonical(method)
            .unwrap_or_else(|| panic!("fail_next: {method:?} is not a Bot API method"));
        let mut state = self.state();
        let queue = state.failures.entry(method).or_default();
        queue.extend(std::iter::repeat_n(failure, n));
    }

    /// From now on, calls fail at random as `plan` says (replacing an earlier plan).
    pub fn inject_random_faults(&self, plan: RandomFaults) {
        *lock(&self.inner.random_faults) = Some(faults::Injector::new(plan));
    }

    /// Stops injecting random faults; returns how many were injected.
    pub fn stop_random_faults(&self) -> InjectedFaults {
        lock(&self.inner.random_faults)
            .take()
            .map(|injector| injector.injected)
            .unwrap_or_default()
    }

    /// From now on, answer 429 (retry_after 1) like Telegram when the bot sends more than 30
    /// messages in a second overall, or more than one in a second to one chat.
    pub fn enforce_limits(&self) {
        self.state().limits.get_or_insert_with(Default::default);
    }

    /// How many sends the enforced limits refused with 429.
    pub fn refused_by_limits(&self) -> u64 {
        self.state().limits.as_ref().map_or(0, |l| l.refused)
    }

    /// From now on every request (but `getUpdates`) takes effect at once, as usual, but its
    /// answer waits until [`release_answers`](Self::release_answers): the bot is left waiting
    /// on Telegram with its requests delivered.
    pub fn hold_answers(&self) {
        self.inner.answers_held.send_replace(true);
    }

    /// Sends the held answers and stops holding.
    pub fn release_answers(&self) {
        self.inner.answers_held.send_replace(false);
    }

    /// Waits until at least `n` answers are held.
    pub async fn wait_held(&self, n: usize, timeout: Duration) -> Result<(), String> {
        let mut held = self.inner.held.subscribe();
        tokio::time::timeout(timeout, held.wait_for(|held| *held >= n))
            .await
            .map(|_| ())
            .map_err(|_| format!("fewer than {n} answers held: {}", self.held()))
    }

    /// How many answers are held right now.
    pub fn held(&self) -> usize {
        *self.inner.held.borrow()
    }

    async fn answer_when_released(&self) {
        let mut held = self.inner.answers_held.subscribe();
        if !*held.borrow_and_update() {
            return;
        }
        // Counted down on drop too: the client may hang up (or die) while it waits.
        struct Waiting<'a>(&'a watch::Sender<usize>);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.send_modify(|n| *n -= 1);
            }
        }
        self.inner.held.send_modify(|n| *n += 1);
        let _waiting = Waiting(&self.inner.held);
        let _ = held.wait_for(|held| !*held).await;
    }

    // ----- serving -------------------------------------------------------

    /// Appends to the log. Called with the state lock held, so that the log
    /// order matches the order in which requests took effect.
    fn record(&self, method: &str, params: Value, outcome: Outcome, at: Instant) -> u64 {
        let (status, error, result) = outcome.into_parts();
        let mut log = lock(&self.inner.log);
        let seq = log.records.len() as u64;
        let chat_id = params.get("chat_id").and_then(int_value);
        let answered = (method == "answerCallbackQuery")
            .then(|| params.get("callback_query_id").and_then(Value::as_str))
            .flatten()
            .map(str::to_owned);
        log.records.push(Arc::new(Recorded {
            seq,
            method: method.to_owned(),
            params,
            status,
            error,
            result,
            at,
        }));
        if let Some(chat_id) = chat_id {
            let chat = log.by_chat.entry(chat_id).or_insert_with(ChatLog::new);
            chat.seqs.push(seq);
            chat.changed.send_replace(chat.seqs.len());
        }
        if let Some(query) = answered {
            log.answers
                .entry(query)
                .or_insert_with(|| watch::channel(None).0)
                .send_replace(Some(seq));
        }
        drop(log);
        self.inner.recorded.send_modify(|version| *version += 1);
        seq
    }

    /// Gives a pending record (a long poll) its final outcome.
    fn amend(&self, seq: u64, outcome: Outcome) {
        let (status, error, result) = outcome.into_parts();
        let mut log = lock(&self.inner.log);
        let record = &mut log.records[seq as usize];
        *record = Arc::new(Recorded {
            status,
            error,
            result,
            ..Recorded::clone(record)
        });
        log.amended.push(seq);
        drop(log);
        self.inner.recorded.send_modify(|version| *version += 1);
    }

    /// Serves a method other than `getUpdates`.
    fn serve(&self, method: &'static str, params: Value, at: Instant) -> Response {
        let mut state = self.state();
        let empty = serde_json::Map::new();
        let result = state.call(method, params.as_object().unwrap_or(&empty), at);
        let response = match &result {
            Ok(value) => ok_response(value),
            Err(error) => error_response(error),
        };
        self.record(method, params, Outcome::Answered(result), at);
        response
    }

    /// `getUpdates` with long polling.
    async fn get_updates(&self, params: Value, at: Instant) -> Response {
        let args = match PollArgs::parse(&params) {
            Ok(args) => args,
            Err(error) => return self.reject("getUpdates", params, at, error),
        };
        let (generation, seq) = {
            let mut state = self.state();
            match state.begin_poll(args.offset, args.allowed_updates.clone()) {
                Ok(generation) => {
                    self.inner.confirmed.send_if_modified(|confirmed| {
                        let changed = *confirmed != state.confirmed_offset;
                        *confirmed = state.confirmed_offset;
                        changed
                    });
                    (
                        generation,
                        self.record("getUpdates", params, Outcome::Pending, at),
                    )
                }
                Err(error) => {
                    drop(state);
                    return self.reject("getUpdates", params, at, error);
                }
            }
        };
        let poll = PendingPoll {
            fake: self,
            seq: Some(seq),
        };
        // Wake an older poll so that it sees it was terminated.
        self.inner.updates_changed.send_replace(());
        let mut changed = self.inner.updates_changed.subscribe();
        let deadline = tokio::time::Instant::now() + args.timeout;
        let mut waiting = None;
        loop {
            changed.borrow_and_update();
            {
                let state = self.state();
                if state.poll_generation != generation {
                    let conflict = ApiError::new(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                    );
                    return poll.finish(Err(conflict));
                }
                let updates = state.pending_updates(args.offset, args.limit);
                if !updates.is_empty() || tokio::time::Instant::now() >= deadline {
                    return poll.finish(Ok(Value::Array(updates)));
                }
            }
            waiting.get_or_insert_with(|| WaitingPoll::new(&self.inner.waiting_polls));
            tokio::select! {
                _ = changed.changed() => {}
                _ = tokio::time::sleep_until(deadline) => {}
            }
        }
    }

    /// Records and answers a request rejected before it took effect.
    fn reject(&self, method: &str, params: Value, at: Instant, error: ApiError) -> Response {
        let response = error_response(&error);
        let _state = self.state();
        self.record(method, params, Outcome::Answered(Err(error)), at);
        response
    }

    /// Answers with an injected failure.
    async fn fail(
        &self,
        method: &'static str,
        params: Value,
        at: Instant,
        failure: Failure,
    ) -> Response {
        if failure == Failure::Timeout {
            self.record(
                method,
                params,
                Outcome::Unanswered("Failure::Timeout: held open, then dropped"),
                at,
            );
            tokio::time::sleep(TIMEOUT_HOLD).await;
            // A body that fails makes hyper abort the connection mid-response.
            let broken = futures::stream::once(async {
                Err::<Bytes, _>(std::io::Error::other("Failure::Timeout"))
            });
            return Response::new(Body::from_stream(broken));
        }
        if failure == Failure::DropConnection {
            self.record(
                method,
                params,
                Outcome::Unanswered("Failure::DropConnection: closed without an answer"),
                at,
            );
            let broken = futures::stream::once(async {
                Err::<Bytes, _>(std::io::Error::other("Failure::DropConnection"))
            });
            return Response::new(Body::from_stream(broken));
        }
        self.reject(method, params, at, ApiError::from_failure(&failure))
    }
}

/// `header`, then the last 50 of `requests`, one per line.
fn summarize(header: &str, requests: &[Recorded]) -> String {
    let skipped = requests.len().saturating_sub(50);
    let mut out = header.to_owned();
    if skipped > 0 {
        out += &format!(" ({skipped} older ones omitted)");
    }
    for request in &requests[skipped..] {
        out += "\n  ";
        out += &request.summary();
    }
    out
}

enum Outcome {
    Answered(Result<Value, ApiError>),
    /// A long poll that has not returned yet.
    Pending,
    /// No HTTP response was given; the reason.
    Unanswered(&'static str),
}

impl Outcome {
    /// `(status, error, result)` for a [`Recorded`].
    fn into_parts(self) -> (u16, Option<String>, Option<Value>) {
        match self {
            Outcome::Answered(Ok(result)) => (200, None, Some(result)),
            Outcome::Answered(Err(e)) => (e.code, Some(e.description), None),
            Outcome::Pending => (0, None, None),
            Outcome::Unanswered(why) => (0, Some(why.to_owned()), None),
        }
    }
}

/// A recorded long poll; amends its record when it returns, or when the
/// client hangs up first.
struct PendingPoll<'a> {
    fake: &'a FakeTelegram,
    seq: Option<u64>,
}

impl PendingPoll<'_> {
    /// Call with the state lock held, so the log matches the state.
    fn finish(mut self, result: Result<Value, ApiError>) -> Response {
        let response = match &result {
            Ok(value) => ok_response(value),
            Err(error) => error_response(error),
        };
        let seq = self.seq.take().expect("finished once");
        self.fake.amend(seq, Outcome::Answered(result));
        response
    }
}

impl Drop for PendingPoll<'_> {
    fn drop(&mut self) {
        if let Some(seq) = self.seq.take() {
            let why = "client disconnected during the long poll";
            self.fake.amend(seq, Outcome::Unanswered(why));
        }
    }
}

/// Counts a long poll as waiting while it exists.
struct WaitingPoll<'a>(&'a watch::Sender<usize>);

impl<'a> WaitingPoll<'a> {
    fn new(counter: &'a watch::Sender<usize>) -> Self {
        counter.send_modify(|n| *n += 1);
        WaitingPoll(counter)
    }
}

impl Drop for WaitingPoll<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n -= 1);
    }
}

struct PollArgs {
    offset: i64,
    limit: usize,
    timeout: Duration,
    allowed_updates: Option<Vec<String>>,
}

impl PollArgs {
    fn parse(params: &Value) -> Result<PollArgs, ApiError> {
        let int = |name: &str| match params.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => int_value(value).map(Some).ok_or_else(|| {
                ApiError::bad_request(format!("field \"{name}\" must be of type Integer"))
            }),
        };
        let allowed_updates = match params.get("allowed_updates") {
            None | Some(Value::Null) => None,
            Some(Value::Array(kinds)) => Some(
                kinds
                    .iter()
                    .map(|k| k.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| {
                        ApiError::bad_request("allowed_updates must be an Array of String")
                    })?,
            ),
            Some(_) => {
                return Err(ApiError::bad_request(
                    "can't parse allowed_updates JSON array",
                ));
            }
        };
        Ok(PollArgs {
            offset: int("offset")?.unwrap_or(0),
            // Telegram clamps the limit to 1..=100.
            limit: int("limit")?.map_or(100, |l| l.clamp(1, 100) as usize),
            timeout: Duration::from_secs(int("timeout")?.unwrap_or(0).max(0) as u64),
            allowed_updates,
        })
    }
}

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn ok_response(result: &Value) -> Response {
    json_response(
        StatusCode::OK,
        format!("{{\"ok\":true,\"result\":{result}}}"),
    )
}

fn error_response(error: &ApiError) -> Response {
    let status = StatusCode::from_u16(error.code).unwrap_or(StatusCode::BAD_REQUEST);
    json_response(status, error.to_json().to_string())
}

/// A file download: `GET /file/bot<token>/<file_path>` (the path may arrive percent-encoded).
async fn download(
    AxumState(fake): AxumState<FakeTelegram>,
    Path((bot_token, file_path)): Path<(String, String)>,
) -> Response {
    if bot_token.strip_prefix("bot") != Some(fake.token()) {
        return error_response(&ApiError::new(401, "Unauthorized"));
    }
    let file_path = file_path.trim_start_matches('/').replace("%2F", "/");
    let content = fake
        .state()
        .files
        .values()
        .find(|(path, _)| *path == file_path)
        .map(|(_, bytes)| bytes.clone());
    match content {
        Some(bytes) => (StatusCode::OK, Body::from(bytes)).into_response(),
        None => error_response(&ApiError::new(404, "Not Found")),
    }
}

/// Every request: `/{bot<token>}/{method}`.
async fn handle(
    AxumState(fake): AxumState<FakeTelegram>,
    Path((bot_token, method_name)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve_request(fake, None, bot_token, method_name, query, headers, body).await
}

/// A request of one bot instance among several: `/{instance}/{bot<token>}/{method}` (the
/// instance's API URL is [`FakeTelegram::api_url_for`]); recorded with [`Recorded::via`].
async fn handle_via(
    AxumState(fake): AxumState<FakeTelegram>,
    Path((via, bot_token, method_name)): Path<(String, String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve_request(
        fake,
        Some(via),
        bot_token,
        method_name,
        query,
        headers,
        body,
    )
    .await
}

async fn serve_request(
    fake: FakeTelegram,
    via: Option<String>,
    bot_token: String,
    method_name: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = Instant::now();
    let method = catalog::canonical(&method_name);
    let name = method.unwrap_or(&method_name);
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let (mut params, decode_error) = match body::decode(content_type, query.as_deref(), &body) {
        Ok(params) => (Value::Object(params), None),
        Err(e) => (json!({}), Some(ApiError::bad_request(e))),
    };
    if let (Some(via), Some(object)) = (via, params.as_object_mut()) {
        object.insert(VIA.to_owned(), Value::String(via));
    }
    let rejection = if bot_token.strip_prefix("bot") != Some(fake.token()) {
        Some(ApiError::new(401, "Unauthorized"))
    } else if method.is_none() {
        Some(ApiError::new(404, "Not Found"))
    } else {
        decode_error
    };
    if let Some(error) = rejection {
        return fake.reject(name, params, at, error);
    }
    let method = method.expect("checked above");
    let failure = fake
        .state()
        .failures
        .get_mut(method)
        .and_then(|queue| queue.pop_front());
    let failure = failure.or_else(|| {
        lock(&fake.inner.random_faults)
            .as_mut()
            .and_then(|injector| injector.draw(method, &params))
    });
    if let Some(failure) = failure {
        return fake.fail(method, params, at, failure).await;
    }
    if matches!(method, "sendMessage" | "sendDocument" | "sendPhoto") {
        let chat = params.get("chat_id").and_then(int_value);
        let refused = fake
            .state()
            .limits
            .as_mut()
            .and_then(|limits| limits.admit(chat, at));
        if let Some(error) = refused {
            return fake.reject(method, params, at, error);
        }
    }
    if method == "getUpdates" {
        fake.get_updates(params, at).await
    } else {
        let response = fake.serve(method, params, at);
        fake.answer_when_released().await;
        response
    }
}
