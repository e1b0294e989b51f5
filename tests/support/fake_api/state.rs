//! The simulated Telegram: users, chats, messages, the update queue, and what
//! each Bot API method does to them. Everything here is synchronous and runs
//! under the fake's state lock; HTTP and waiting live in the parent module.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Display;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use super::html::{self, Entity, ParsedText};
use super::{Failure, SentMessage, TgUser, catalog, int_value};

pub type Params = Map<String, Value>;

/// A Bot API error: becomes `{"ok":false,"error_code":…,"description":…}`.
#[derive(Clone, Debug)]
pub struct ApiError {
    pub code: u16,
    pub description: String,
    pub retry_after: Option<u32>,
    /// A group chat that became a supergroup: `parameters.migrate_to_chat_id`.
    pub migrate_to_chat_id: Option<i64>,
}

impl ApiError {
    pub fn new(code: u16, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
            retry_after: None,
            migrate_to_chat_id: None,
        }
    }

    pub fn bad_request(message: impl Display) -> Self {
        Self::new(400, format!("Bad Request: {message}"))
    }

    pub fn forbidden(message: impl Display) -> Self {
        Self::new(403, format!("Forbidden: {message}"))
    }

    pub fn from_failure(failure: &Failure) -> Self {
        match failure {
            Failure::TooManyRequests { retry_after } => Self {
                code: 429,
                description: format!("Too Many Requests: retry after {retry_after}"),
                retry_after: Some(*retry_after),
                migrate_to_chat_id: None,
            },
            Failure::ServerError => Self::new(500, "Internal Server Error"),
            Failure::Forbidden => Self::forbidden("bot was blocked by the user"),
            // Never sent: a timed-out request gets no answer at all.
            Failure::Timeout => Self::new(504, "Gateway Timeout"),
            Failure::DropConnection => Self::new(502, "Bad Gateway"),
        }
    }

    pub fn to_json(&self) -> Value {
        let mut body =
            json!({"ok": false, "error_code": self.code, "description": self.description});
        if let Some(retry_after) = self.retry_after {
            body["parameters"] = json!({"retry_after": retry_after});
        }
        if let Some(to) = self.migrate_to_chat_id {
            body["parameters"] = json!({"migrate_to_chat_id": to});
        }
        body
    }
}

pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A chat the bot can talk to.
pub struct Chat {
    /// The `Chat` object as Telegram shows it in messages.
    pub json: Value,
    next_message_id: i64,
    pub messages: HashMap<i64, StoredMessage>,
    /// The reply keyboard the user currently sees, if any.
    pub reply_keyboard: Option<Value>,
    /// When the bot's successful `send*` requests to this chat arrived.
    pub send_times: Vec<Instant>,
    /// The user blocked the bot: every request to this chat gets 403.
    pub blocked: bool,
    /// A group chat: the bot's membership status (`member`, `administrator`, `left`, `kicked`).
    pub bot_status: &'static str,
    /// A group chat that became the supergroup with this id: requests to it get 400.
    pub migrated_to: Option<i64>,
}

impl Chat {
    /// A private chat with a user (Mini App buttons are allowed only there).
    pub fn is_private(&self) -> bool {
        self.json["type"] == "private"
    }

    fn new(json: Value) -> Self {
        Chat {
            json,
            next_message_id: 1,
            messages: HashMap::new(),
            reply_keyboard: None,
            send_times: Vec::new(),
            blocked: false,
            bot_status: "member",
            migrated_to: None,
        }
    }

    /// Message ids are per chat and shared by both sides of the conversation.
    fn allocate_message_id(&mut self) -> i64 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        id
    }

    /// The bot's latest message still visible in this chat.
    pub fn last_bot_message(&self) -> Option<&StoredMessage> {
        self.messages
            .values()
            .filter(|m| m.from_bot && !m.deleted)
            .max_by_key(|m| m.id)
    }
}

/// A message in a chat, as the fake remembers it.
pub struct StoredMessage {
    pub id: i64,
    pub from_bot: bool,
    /// The sender as a `User` object.
    pub from: Value,
    pub date: i64,
    pub edit_date: Option<i64>,
    /// Visible text (the caption for documents).
    pub content: ParsedText,
    /// Text as the bot sent it, before entity parsing.
    pub raw_text: String,
    /// The markup last attached by the bot (of any kind).
    pub markup: Option<Value>,
    pub document: Option<Value>,
    /// A photo's sizes (`PhotoSize` objects, smallest first).
    pub photo: Option<Value>,
    pub edits: u32,
    pub deleted: bool,
}

impl StoredMessage {
    /// The inline keyboard shown under the message (other markups are not part of a message).
    pub fn inline_markup(&self) -> Option<&Value> {
        self.markup
            .as_ref()
            .filter(|m| m.get("inline_keyboard").is_some())
    }

    pub fn to_json(&self, chat: &Value) -> Value {
        let mut message = json!({
            "message_id": self.id,
            "from": self.from,
            "chat": chat,
            "date": self.date,
        });
        if let Some(edit_date) = self.edit_date {
            message["edit_date"] = edit_date.into();
        }
        let entities: Vec<Value> = self
            .content
            .entities
            .iter()
            .filter_map(entity_json)
            .collect();
        let media = match (&self.document, &self.photo) {
            (Some(document), _) => Some(("document", document)),
            (None, Some(photo)) => Some(("photo", photo)),
            (None, None) => None,
        };
        if let Some((field, media)) = media {
            message[field] = media.clone();
            if !self.content.text.is_empty() {
                message["caption"] = self.content.text.clone().into();
            }
            if !entities.is_empty() {
                message["caption_entities"] = entities.into();
            }
        } else {
            message["text"] = self.content.text.clone().into();
            if !entities.is_empty() {
                message["entities"] = entities.into();
            }
        }
        if let Some(markup) = self.inline_markup() {
            message["reply_markup"] = markup.clone();
        }
        message
    }

    pub fn to_sent(&self) -> SentMessage {
        SentMessage {
            message_id: self.id,
            text: self.content.text.clone(),
            raw_text: self.raw_text.clone(),
            reply_markup: self.markup.clone(),
            edits: self.edits,
        }
    }
}

/// Entities as Telegram returns them. Like Telegram, a link whose URL is not a
/// usable absolute URL is dropped (teloxide would fail to parse it).
fn entity_json(entity: &Entity) -> Option<Value> {
    if let Some(("url", url)) = &entity.extra {
        let schemes = ["http://", "https://", "tg://", "mailto:"];
        if !schemes.iter().any(|s| url.starts_with(s)) || url.contains(char::is_whitespace) {
            return None;
        }
    }
    Some(entity.to_json())
}

/// Everything the fake Telegram knows.
pub struct State {
    /// The bot as a `User` object.
    pub bot: Value,
    next_update_id: i64,
    /// Pending updates `(update_id, update)`, ascending.
    pub queue: VecDeque<(i64, Value)>,
    /// Every update ever queued, for [`State::redeliver`].
    history: HashMap<i64, Value>,
    pub confirmed_offset: i64,
    /// Updates never queued because `allowed_updates` excluded them, or dropped
    /// via `drop_pending_updates`.
    pub dropped: HashSet<i64>,
    allowed_updates: Option<Vec<String>>,
    /// Incremented by every `getUpdates`; a waiting poll whose number is stale
    /// was terminated by a newer one.
    pub poll_generation: u64,
    webhook_url: String,
    pub users: HashMap<i64, TgUser>,
    pub chats: HashMap<i64, Chat>,
    pending_callbacks: HashSet<String>,
    next_callback: u64,
    pub failures: HashMap<&'static str, VecDeque<Failure>>,
    /// `(scope, language_code)` → commands.
    pub commands: HashMap<(String, String), Value>,
    pub menu_buttons: HashMap<Option<i64>, Value>,
    next_file: u64,
    /// Files users sent: `file_id` → (`file_path`, content), for `getFile` and downloads.
    pub files: HashMap<String, (String, Vec<u8>)>,
    /// Telegram's sending limits, when a test turns them on (`enforce_limits`).
    pub limits: Option<RateWindow>,
}

/// Accepted sends of the last second, to answer 429 like Telegram when a bot sends more than
/// 30 messages a second overall or more than one a second to one chat.
#[derive(Debug, Default)]
pub struct RateWindow {
    all: VecDeque<Instant>,
    last_per_chat: HashMap<i64, Instant>,
    /// Accepted sends of the last minute per group chat (negative ids): at most 20.
    group_minute: HashMap<i64, VecDeque<Instant>>,
    /// How many sends were refused with 429.
    pub refused: u64,
}

impl RateWindow {
    const OVERALL_PER_SECOND: usize = 30;
    const GROUP_PER_MINUTE: usize = 20;

    /// `Some(429)` if a send to `chat` at `at` would break a limit; otherwise records it.
    pub fn admit(&mut self, chat: Option<i64>, at: Instant) -> Option<ApiError> {
        let second = std::time::Duration::from_secs(1);
        while self
            .all
            .front()
            .is_some_and(|sent| at.duration_since(*sent) >= second)
        {
            self.all.pop_front();
        }
        let chat_busy = chat
            .and_then(|chat| self.last_per_chat.get(&chat))
            .is_some_and(|last| at.duration_since(*last) < second);
        let minute = std::time::Duration::from_secs(60);
        let group_full = chat.filter(|chat| *chat < 0).is_some_and(|chat| {
            let sent = self.group_minute.entry(chat).or_default();
            while sent
                .front()
                .is_some_and(|at_| at.duration_since(*at_) >= minute)
            {
                sent.pop_front();
            }
            sent.len() >= Self::GROUP_PER_MINUTE
        });
        if self.all.len() >= Self::OVERALL_PER_SECOND || chat_busy || group_full {
            self.refused += 1;
            return Some(ApiError::from_failure(&Failure::TooManyRequests {
                retry_after: 1,
            }));
        }
        self.all.push_back(at);
        if let Some(chat) = chat {
            self.last_per_chat.insert(chat, at);
            if chat < 0 {
                self.group_minute.entry(chat).or_default().push_back(at);
            }
        }
        None
    }
}

impl State {
    pub fn new(bot_id: i64, username: &str) -> Self {
        State {
            bot: json!({"id": bot_id, "is_bot": true, "first_name": "Study Group Bot", "username": username}),
            next_update_id: 1,
            queue: VecDeque::new(),
            history: HashMap::new(),
            confirmed_offset: 0,
            dropped: HashSet::new(),
            allowed_updates: None,
            poll_generation: 0,
            webhook_url: String::new(),
            users: HashMap::new(),
            chats: HashMap::new(),
            pending_callbacks: HashSet::new(),
            next_callback: 1,
            failures: HashMap::new(),
            commands: HashMap::new(),
            menu_buttons: HashMap::new(),
            next_file: 1,
            files: HashMap::new(),
            limits: None,
        }
    }

    // ----- updates -------------------------------------------------------

    /// Assigns the next update id and queues the update, unless the bot's
    /// `allowed_updates` excludes its kind (then Telegram never creates it).
    pub fn enqueue(&mut self, kind: &str, payload: Value) -> i64 {
        let id = self.next_update_id;
        self.next_update_id += 1;
        let allowed = match &self.allowed_updates {
            Some(kinds) => kinds.iter().any(|k| k == kind),
            None => !matches!(
                kind,
                "chat_member" | "message_reaction" | "message_reaction_count"
            ),
        };
        if allowed {
            let mut update = Map::new();
            update.insert("update_id".into(), id.into());
            update.insert(kind.into(), payload);
            self.history.insert(id, Value::Object(update.clone()));
            self.queue.push_back((id, Value::Object(update)));
        } else {
            self.dropped.insert(id);
        }
        id
    }

    /// Registers the chats, users and callback queries in a hand-made update.
    pub fn learn_from_update(&mut self, kind: &str, payload: &Value) {
        if let Some(user) = payload.get("from").and_then(TgUser::from_json) {
            self.users.insert(user.id, user);
        }
        if kind == "callback_query"
            && let Some(id) = payload.get("id").and_then(Value::as_str)
        {
            self.pending_callbacks.insert(id.to_owned());
        }
        let message = payload.get("message").unwrap_or(payload);
        let Some(chat) = message.get("chat") else {
            return;
        };
        let Some(chat_id) = chat.get("id").and_then(Value::as_i64) else {
            return;
        };
        let entry = self
            .chats
            .entry(chat_id)
            .or_insert_with(|| Chat::new(chat.clone()));
        if let Some(id) = message.get("message_id").and_then(Value::as_i64) {
            entry.next_message_id = entry.next_message_id.max(id + 1);
        }
    }

    /// The private chat with `user`, created on first use.
    pub fn private_chat(&mut self, user: &TgUser) -> &mut Chat {
        self.users.insert(user.id, user.clone());
        let mut json = json!({"id": user.id, "type": "private", "first_name": user.first_name});
        if let Some(last_name) = &user.last_name {
            json["last_name"] = last_name.clone().into();
        }
        if let Some(username) = &user.username {
            json["username"] = username.clone().into();
        }
        let chat = self
            .chats
            .entry(user.id)
            .or_insert_with(|| Chat::new(Value::Null));
        chat.json = json;
        chat
    }

    pub fn add_group_chat(&mut self, chat_id: i64, title: &str) {
        let kind = if chat_id <= -1_000_000_000_000 {
            "supergroup"
        } else {
            "group"
        };
        let json = json!({"id": chat_id, "type": kind, "title": title});
        self.chats
            .entry(chat_id)
            .or_insert_with(|| Chat::new(Value::Null))
            .json = json;
    }

    /// `from` writes `text` in their private chat; returns the message.
    pub fn user_message(&mut self, from: &TgUser, text: &str) -> Value {
        let chat = self.private_chat(from);
        chat.blocked = false; // writing to a bot requires unblocking it
        chat.store_user_message(from, text)
    }

    /// `from` sends a document in their private chat; returns the message.
    pub fn user_document(&mut self, from: &TgUser, file_name: &str, bytes: Vec<u8>) -> Value {
        let n = self.next_file;
        self.next_file += 1;
        let file_id = format!("BQACAgIAAxkBAAIuser{n}");
        let document = json!({
            "file_id": file_id,
            "file_unique_id": format!("AgADuser{n}"),
            "file_name": file_name,
            "mime_type": "text/plain",
            "file_size": bytes.len(),
        });
        self.files
            .insert(file_id, (format!("documents/file_{n}.txt"), bytes));
        let chat = self.private_chat(from);
        chat.blocked = false;
        let json = chat.store_user_message(from, "");
        let id = json["message_id"].as_i64().unwrap_or_default();
        if let Some(message) = chat.messages.get_mut(&id) {
            message.document = Some(document);
        }
        chat.messages
            .get(&id)
            .map(|m| m.to_json(&chat.json))
            .unwrap_or(json)
    }

    /// `from` sends a photo in their private chat (three sizes, as Telegram keeps them); returns
    /// the message. Every size's file id can be fetched and sent again.
    pub fn user_photo(&mut self, from: &TgUser) -> Value {
        let n = self.next_file;
        self.next_file += 1;
        let sizes: Vec<Value> = [(90, 67), (320, 240), (1280, 960)]
            .iter()
            .enumerate()
            .map(|(i, &(width, height))| {
                let file_id = format!("AgACAgIAAxkBAAIuserphoto{n}x{i}");
                self.files.insert(
                    file_id.clone(),
                    (format!("photos/file_{n}_{i}.jpg"), vec![0xFF; 64]),
                );
                json!({
                    "file_id": file_id,
                    "file_unique_id": format!("AQADuserphoto{n}x{i}"),
                    "width": width,
                    "height": height,
                    "file_size": 64 * (i + 1),
                })
            })
            .collect();
        let chat = self.private_chat(from);
        chat.blocked = false;
        let json = chat.store_user_message(from, "");
        let id = json["message_id"].as_i64().unwrap_or_default();
        if let Some(message) = chat.messages.get_mut(&id) {
            message.photo = Some(Value::Array(sizes));
        }
        chat.messages
            .get(&id)
            .map(|m| m.to_json(&chat.json))
            .unwrap_or(json)
    }

    /// `from` writes `text` in the group chat `chat_id`; returns the message.
    pub fn group_message(&mut self, chat_id: i64, from: &TgUser, text: &str) -> Value {
        self.users.insert(from.id, from.clone());
        let chat = self.chats.get_mut(&chat_id).unwrap_or_else(|| {
            panic!("push_group_message: chat {chat_id} is unknown; call add_group_chat first")
        });
        chat.store_user_message(from, text)
    }

    /// A user presses a button under the bot's message; returns the callback query.
    pub fn callback_query(&mut self, from: &TgUser, message_id: i64, data: &str) -> Value {
        self.users.insert(from.id, from.clone());
        let chat = self.chats.get(&from.id).unwrap_or_else(|| {
            panic!(
                "push_callback: user {} has no private chat with the bot yet",
                from.id
            )
        });
        let message = match chat.messages.get(&message_id) {
            Some(m) if m.from_bot && m.deleted => {
                json!({"chat": chat.json, "message_id": message_id, "date": 0})
            }
            Some(m) if m.from_bot => m.to_json(&chat.json),
            _ => panic!(
                "push_callback: the bot never sent message {message_id} to chat {}",
                from.id
            ),
        };
        let id = format!("{}", 4_000_000_000_000_000 + self.next_callback);
        self.next_callback += 1;
        self.pending_callbacks.insert(id.clone());
        json!({
            "id": id,
            "from": from.to_json(),
            "message": message,
            "chat_instance": format!("{}", from.id.wrapping_mul(7_919).wrapping_add(17)),
            "data": data,
        })
    }

    /// A user presses a button under the bot's message in the group chat `chat_id`; returns
    /// the callback query.
    pub fn group_callback_query(
        &mut self,
        chat_id: i64,
        from: &TgUser,
        message_id: i64,
        data: &str,
    ) -> Value {
        self.users.insert(from.id, from.clone());
        let chat = self.chats.get(&chat_id).unwrap_or_else(|| {
            panic!("push_group_callback: chat {chat_id} is unknown; call add_group_chat first")
        });
        let message = match chat.messages.get(&message_id) {
            Some(m) if m.from_bot => m.to_json(&chat.json),
            _ => panic!(
                "push_group_callback: the bot never sent message {message_id} to chat {chat_id}"
            ),
        };
        let id = format!("{}", 4_000_000_000_000_000 + self.next_callback);
        self.next_callback += 1;
        self.pending_callbacks.insert(id.clone());
        json!({
            "id": id,
            "from": from.to_json(),
            "message": message,
            "chat_instance": format!("{}", chat_id.wrapping_mul(7_919).wrapping_add(17)),
            "data": data,
        })
    }

    /// The bot's membership of group chat `chat_id` changes to `status` by `by`; returns the
    /// `my_chat_member` update's payload.
    pub fn set_bot_status(&mut self, chat_id: i64, by: &TgUser, status: &'static str) -> Value {
        self.users.insert(by.id, by.clone());
        let chat = self.chats.get_mut(&chat_id).unwrap_or_else(|| {
            panic!("set_bot_status: chat {chat_id} is unknown; call add_group_chat first")
        });
        // Adding the bot to a chat the fake already knows: it was not in it before.
        let old = match (chat.bot_status, status) {
            ("member", "member") => "left",
            (old, _) => old,
        };
        chat.bot_status = status;
        let member = |status: &str| {
            let mut member = json!({"status": status, "user": self.bot});
            if status == "kicked" {
                member["until_date"] = 0.into();
            }
            member
        };
        json!({
            "chat": chat.json.clone(),
            "from": by.to_json(),
            "date": unix_now(),
            "old_chat_member": member(old),
            "new_chat_member": member(status),
        })
    }

    /// `by` turns group `old_id` into the supergroup `new_id`: returns the service messages
    /// Telegram sends (in the old chat with `migrate_to_chat_id`, in the new one with
    /// `migrate_from_chat_id`).
    pub fn migrate_group(&mut self, old_id: i64, new_id: i64, by: &TgUser) -> (Value, Value) {
        self.users.insert(by.id, by.clone());
        let old = self.chats.get_mut(&old_id).unwrap_or_else(|| {
            panic!("migrate_group: chat {old_id} is unknown; call add_group_chat first")
        });
        old.migrated_to = Some(new_id);
        let title = old.json["title"].clone();
        let mut in_old = old.store_user_message(by, "");
        if let Some(message) = in_old.as_object_mut() {
            message.remove("text");
        }
        in_old["migrate_to_chat_id"] = new_id.into();
        let json = json!({"id": new_id, "type": "supergroup", "title": title});
        let new = self
            .chats
            .entry(new_id)
            .or_insert_with(|| Chat::new(Value::Null));
        new.json = json;
        let mut in_new = new.store_user_message(by, "");
        if let Some(message) = in_new.as_object_mut() {
            message.remove("text");
        }
        in_new["migrate_from_chat_id"] = old_id.into();
        (in_old, in_new)
    }

    /// The first part of `getUpdates`: confirms `offset` and takes over polling.
    pub fn begin_poll(
        &mut self,
        offset: i64,
        allowed_updates: Option<Vec<String>>,
    ) -> Result<u64, ApiError> {
        if !self.webhook_url.is_empty() {
            return Err(ApiError::new(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            ));
        }
        if offset > 0 {
            while self.queue.front().is_some_and(|(id, _)| *id < offset) {
                self.queue.pop_front();
            }
            self.confirmed_offset = self.confirmed_offset.max(offset);
        }
        if let Some(kinds) = allowed_updates {
            self.allowed_updates = (!kinds.is_empty()).then_some(kinds);
        }
        self.poll_generation += 1;
        Ok(self.poll_generation)
    }

    /// Queues update `id` again, as Telegram does when the confirmation of an update the bot
    /// handled never arrived (the bot died between handling and its next getUpdates).
    /// The update `id` as it was queued (`{"update_id", <kind>: …}`).
    pub fn update(&self, id: i64) -> Option<Value> {
        self.history.get(&id).cloned()
    }

    pub fn redeliver(&mut self, id: i64) -> bool {
        let Some(update) = self.history.get(&id).cloned() else {
            return false;
        };
        if !self.queue.iter().any(|(queued, _)| *queued == id) {
            let at = self.queue.iter().position(|(queued, _)| *queued > id);
            self.queue
                .insert(at.unwrap_or(self.queue.len()), (id, update));
        }
        self.confirmed_offset = self.confirmed_offset.min(id);
        true
    }

    pub fn pending_updates(&self, offset: i64, limit: usize) -> Vec<Value> {
        self.queue
            .iter()
            .filter(|(id, _)| *id >= offset)
            .take(limit)
            .map(|(_, update)| update.clone())
            .collect()
    }

    fn drop_pending_updates(&mut self) {
        self.dropped.extend(self.queue.drain(..).map(|(id, _)| id));
    }

    // ----- methods -------------------------------------------------------

    /// Serves every method except `getUpdates`.
    pub fn call(
        &mut self,
        method: &'static str,
        p: &Params,
        now: Instant,
    ) -> Result<Value, ApiError> {
        match method {
            "getMe" => Ok(self.me()),
            "logOut" | "close" => Ok(true.into()),
            "getWebhookInfo" => Ok(json!({
                "url": self.webhook_url,
                "has_custom_certificate": false,
                "pending_update_count": self.queue.len(),
            })),
            "setWebhook" => {
                let url = string(p, "url")?.unwrap_or_default();
                if !url.is_empty() && !url.starts_with("https://") {
                    return Err(ApiError::bad_request(
                        "bad webhook: HTTPS url must be provided for webhook",
                    ));
                }
                if boolean(p, "drop_pending_updates")? {
                    self.drop_pending_updates();
                }
                self.webhook_url = url.to_owned();
                Ok(true.into())
            }
            "deleteWebhook" => {
                if boolean(p, "drop_pending_updates")? {
                    self.drop_pending_updates();
                }
                self.webhook_url.clear();
                Ok(true.into())
            }
            "setMyCommands" => self.set_my_commands(p),
            "deleteMyCommands" => {
                let key = commands_key(p)?;
                self.commands.remove(&key);
                Ok(true.into())
            }
            "getMyCommands" => {
                let key = commands_key(p)?;
                Ok(self
                    .commands
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| json!([])))
            }
            "setChatMenuButton" => {
                let chat_id = int(p, "chat_id")?;
                let button =
                    object(p, "menu_button")?.unwrap_or_else(|| json!({"type": "default"}));
                menu_button(&button)?;
                self.menu_buttons.insert(chat_id, button);
                Ok(true.into())
            }
            "getChatMenuButton" => {
                let chat_id = int(p, "chat_id")?;
                let button = self
                    .menu_buttons
                    .get(&chat_id)
                    .or_else(|| self.menu_buttons.get(&None));
                Ok(button
                    .cloned()
                    .unwrap_or_else(|| json!({"type": "default"})))
            }
            "getChat" => self.get_chat(p),
            "getChatMember" => self.get_chat_member(p),
            "getFile" => {
                let id = string(p, "file_id")?.unwrap_or_default();
                let (path, bytes) = self
                    .files
                    .get(id)
                    .ok_or_else(|| ApiError::bad_request("invalid file_id"))?;
                if bytes.len() > 20 * 1024 * 1024 {
                    return Err(ApiError::bad_request("file is too big"));
                }
                Ok(json!({
                    "file_id": id,
                    "file_unique_id": format!("u{id}"),
                    "file_size": bytes.len(),
                    "file_path": path,
                }))
            }
            "sendMessage" => self.send_message(p, now),
            "sendDocument" => self.send_document(p, now),
            "sendPhoto" => self.send_photo(p, now),
            "editMessageText" => self.edit_message(p, true),
            "editMessageReplyMarkup" => self.edit_message(p, false),
            "deleteMessage" => self.delete_message(p),
            "answerCallbackQuery" => self.answer_callback_query(p),
            "sendChatAction" => {
                self.chat_for_request(p)?;
                if string(p, "action")?.is_none_or(str::is_empty) {
                    return Err(ApiError::bad_request("wrong parameter action in request"));
                }
                Ok(true.into())
            }
            _ if catalog::RETURNING_TRUE.contains(&method) => Ok(true.into()),
            _ => Err(ApiError::bad_request(format!(
                "method {method} is not modelled by the fake Telegram server (tests/support/fake_api)"
            ))),
        }
    }

    fn me(&self) -> Value {
        let mut me = self.bot.clone();
        for flag in [
            "can_join_groups",
            "can_read_all_group_messages",
            "supports_inline_queries",
            "can_connect_to_business",
            "has_main_web_app",
        ] {
            me[flag] = (flag == "can_join_groups").into();
        }
        me
    }

    /// The chat a request targets, with Telegram's errors for unknown chats and blocked bots.
    fn chat_for_request(&mut self, p: &Params) -> Result<&mut Chat, ApiError> {
        let id = chat_id(p)?;
        match self.chats.get_mut(&id) {
            Some(chat) if chat.blocked => Err(ApiError::forbidden("bot was blocked by the user")),
            Some(chat) if matches!(chat.bot_status, "left" | "kicked") => {
                Err(ApiError::forbidden("bot was kicked from the group chat"))
            }
            Some(chat) if chat.migrated_to.is_some() => Err(ApiError {
                migrate_to_chat_id: chat.migrated_to,
                ..ApiError::bad_request("group chat was upgraded to a supergroup chat")
            }),
            Some(chat) => Ok(chat),
            None if self.users.contains_key(&id) => Err(ApiError::forbidden(
                "bot can't initiate conversation with a user",
            )),
            None => Err(ApiError::bad_request("chat not found")),
        }
    }

    fn get_chat(&mut self, p: &Params) -> Result<Value, ApiError> {
        let id = chat_id(p)?;
        let mut info = match (self.chats.get(&id), self.users.get(&id)) {
            (Some(chat), _) => chat.json.clone(),
            (None, Some(user)) => {
                let mut json = user.to_json();
                let object = json.as_object_mut().expect("users are objects");
                object.retain(|k, _| {
                    matches!(k.as_str(), "id" | "first_name" | "last_name" | "username")
                });
                object.insert("type".into(), "private".into());
                json
            }
            (None, None) => return Err(ApiError::bad_request("chat not found")),
        };
        info["accent_color_id"] = 0.into();
        info["max_reaction_count"] = 11.into();
        info["accepted_gift_types"] = json!({
            "unlimited_gifts": false, "limited_gifts": false,
            "unique_gifts": false, "premium_subscription": false,
        });
        Ok(info)
    }

    /// `getChatMember`: the bot's own status in a group chat, or a user's (users the fake
    /// knows count as members).
    fn get_chat_member(&mut self, p: &Params) -> Result<Value, ApiError> {
        let id = chat_id(p)?;
        let user_id = int(p, "user_id")?
            .ok_or_else(|| ApiError::bad_request("parameter \"user_id\" is required"))?;
        let chat = self
            .chats
            .get(&id)
            .ok_or_else(|| ApiError::bad_request("chat not found"))?;
        if user_id == self.bot["id"].as_i64().unwrap_or_default() {
            let mut member = json!({"status": chat.bot_status, "user": self.bot});
            if chat.bot_status == "kicked" {
                member["until_date"] = 0.into();
            }
            return Ok(member);
        }
        if matches!(chat.bot_status, "left" | "kicked") {
            return Err(ApiError::forbidden("bot was kicked from the group chat"));
        }
        match self.users.get(&user_id) {
            Some(user) => Ok(json!({"status": "member", "user": user.to_json()})),
            None => Err(ApiError::bad_request("user not found")),
        }
    }

    fn send_message(&mut self, p: &Params, now: Instant) -> Result<Value, ApiError> {
        self.chat_for_request(p)?;
        let raw = string(p, "text")?.unwrap_or_default();
        let content = formatted(raw, p)?;
        check_length(
            &content,
            4096,
            "message text is empty",
            "message is too long",
        )?;
        let private = self.chat_for_request(p)?.is_private();
        let markup = markup(p, false, private)?;
        let from = self.bot.clone();
        let chat = self.chat_for_request(p)?;
        Ok(chat.store_bot_message(from, content, raw, markup, None, now))
    }

    fn send_document(&mut self, p: &Params, now: Instant) -> Result<Value, ApiError> {
        self.chat_for_request(p)?;
        let raw = string(p, "caption")?.unwrap_or_default();
        let caption = formatted(raw, p)?;
        if html::utf16_len(&caption.text) > 1024 {
            return Err(ApiError::bad_request("message caption is too long"));
        }
        let private = self.chat_for_request(p)?.is_private();
        let markup = markup(p, false, private)?;
        let n = self.next_file;
        let mut document = json!({"file_id": format!("BQACAgIAAxkBAAIfake{n}"), "file_unique_id": format!("AgADfake{n}")});
        match p.get("document") {
            Some(Value::Object(file)) => {
                let content = file
                    .get("content")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let size = match file.get("encoding").and_then(Value::as_str) {
                    Some("base64") => super::body::base64_decode(content).map_or(0, |b| b.len()),
                    _ => content.len(),
                };
                if size == 0 {
                    return Err(ApiError::bad_request("file must be non-empty"));
                }
                document["file_size"] = size.into();
                if let Some(name) = file
                    .get("filename")
                    .and_then(Value::as_str)
                    .filter(|n| !n.is_empty())
                {
                    document["file_name"] = name.into();
                }
            }
            Some(Value::String(id)) if !id.is_empty() && !id.starts_with("attach://") => {
                if !id.contains("://") {
                    if !self.files.contains_key(id) {
                        return Err(ApiError::bad_request(WRONG_FILE_ID));
                    }
                    document["file_id"] = id.clone().into();
                }
                document["file_size"] = 1024.into();
            }
            _ => return Err(ApiError::bad_request("there is no document in the request")),
        }
        self.next_file += 1;
        let from = self.bot.clone();
        let chat = self.chat_for_request(p)?;
        Ok(chat.store_bot_message(from, caption, raw, markup, Some(document), now))
    }

    /// `sendPhoto` by the file id of a photo Telegram has (an upload is not modelled): the
    /// message has the photo's sizes; an unknown file id is refused as Telegram does.
    fn send_photo(&mut self, p: &Params, now: Instant) -> Result<Value, ApiError> {
        self.chat_for_request(p)?;
        let raw = string(p, "caption")?.unwrap_or_default();
        let caption = formatted(raw, p)?;
        if html::utf16_len(&caption.text) > 1024 {
            return Err(ApiError::bad_request("message caption is too long"));
        }
        let private = self.chat_for_request(p)?.is_private();
        let markup = markup(p, false, private)?;
        let id = match p.get("photo") {
            Some(Value::String(id)) if !id.is_empty() && !id.contains("://") => id.clone(),
            Some(_) => {
                return Err(ApiError::bad_request(
                    "only a photo by its file id is modelled by the fake Telegram server",
                ));
            }
            None => return Err(ApiError::bad_request("there is no photo in the request")),
        };
        if !self.files.contains_key(&id) {
            return Err(ApiError::bad_request(WRONG_FILE_ID));
        }
        let sizes = json!([{
            "file_id": id,
            "file_unique_id": format!("u{id}"),
            "width": 1280,
            "height": 960,
        }]);
        let from = self.bot.clone();
        let chat = self.chat_for_request(p)?;
        let json = chat.store_bot_message(from, caption, raw, markup, None, now);
        let message_id = json["message_id"].as_i64().unwrap_or_default();
        if let Some(message) = chat.messages.get_mut(&message_id) {
            message.photo = Some(sizes);
        }
        let chat_json = chat.json.clone();
        Ok(chat
            .messages
            .get(&message_id)
            .map(|m| m.to_json(&chat_json))
            .unwrap_or(json))
    }

    /// `editMessageText` (`text = true`) and `editMessageReplyMarkup`.
    fn edit_message(&mut self, p: &Params, text: bool) -> Result<Value, ApiError> {
        if string(p, "inline_message_id")?.is_some() {
            return Err(ApiError::bad_request(
                "MESSAGE_ID_INVALID (inline messages are not modelled)",
            ));
        }
        let new_content = if text {
            let raw = string(p, "text")?.unwrap_or_default();
            let content = formatted(raw, p)?;
            check_length(
                &content,
                4096,
                "message text is empty",
                "message is too long",
            )?;
            Some((content, raw.to_owned()))
        } else {
            None
        };
        let private = self.chat_for_request(p)?.is_private();
        let new_markup = markup(p, true, private)?;
        let message_id = int(p, "message_id")?
            .ok_or_else(|| ApiError::bad_request("message identifier is not specified"))?;
        let chat = self.chat_for_request(p)?;
        let chat_json = chat.json.clone();
        let message = chat
            .messages
            .get_mut(&message_id)
            .filter(|m| !m.deleted)
            .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
        if !message.from_bot {
            return Err(ApiError::bad_request("message can't be edited"));
        }
        if text && (message.document.is_some() || message.photo.is_some()) {
            return Err(ApiError::bad_request(
                "there is no text in the message to edit",
            ));
        }
        let same_text = new_content
            .as_ref()
            .is_none_or(|(c, _)| *c == message.content);
        if same_text && new_markup.as_ref() == message.inline_markup() {
            return Err(ApiError::bad_request(
                "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
            ));
        }
        if let Some((content, raw)) = new_content {
            message.content = content;
            message.raw_text = raw;
        }
        message.markup = new_markup;
        message.edits += 1;
        message.edit_date = Some(unix_now().max(message.date));
        Ok(message.to_json(&chat_json))
    }

    fn delete_message(&mut self, p: &Params) -> Result<Value, ApiError> {
        let message_id = int(p, "message_id")?
            .ok_or_else(|| ApiError::bad_request("message identifier is not specified"))?;
        let chat = self.chat_for_request(p)?;
        match chat.messages.get_mut(&message_id).filter(|m| !m.deleted) {
            Some(message) => {
                message.deleted = true;
                Ok(true.into())
            }
            None => Err(ApiError::bad_request("message to delete not found")),
        }
    }

    fn answer_callback_query(&mut self, p: &Params) -> Result<Value, ApiError> {
        let id = string(p, "callback_query_id")?.unwrap_or_default();
        if string(p, "text")?.is_some_and(|t| t.chars().count() > 200) {
            return Err(ApiError::bad_request("MESSAGE_TOO_LONG"));
        }
        if self.pending_callbacks.remove(id) {
            Ok(true.into())
        } else {
            Err(ApiError::bad_request(
                "query is too old and response timeout expired or query ID is invalid",
            ))
        }
    }

    fn set_my_commands(&mut self, p: &Params) -> Result<Value, ApiError> {
        let commands = object(p, "commands")?.unwrap_or(Value::Null);
        let Some(list) = commands.as_array() else {
            return Err(ApiError::bad_request(
                "parameter \"commands\" must be an Array of BotCommand",
            ));
        };
        if list.is_empty() || list.len() > 100 {
            return Err(ApiError::bad_request(format!(
                "BOT_COMMANDS_TOO_MUCH: 1..=100 commands expected, got {}",
                list.len()
            )));
        }
        for command in list {
            let name = command
                .get("command")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let valid = (1..=32).contains(&name.len())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !valid {
                return Err(ApiError::bad_request(format!(
                    "BOT_COMMAND_INVALID: {name:?}"
                )));
            }
            let description = command
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !(1..=256).contains(&description.chars().count()) {
                return Err(ApiError::bad_request(format!(
                    "BOT_COMMAND_DESCRIPTION_INVALID: description of {name:?} must have 1-256 characters"
                )));
            }
        }
        let key = commands_key(p)?;
        self.commands.insert(key, commands);
        Ok(true.into())
    }
}

impl Chat {
    fn store_user_message(&mut self, from: &TgUser, text: &str) -> Value {
        let mut content = ParsedText {
            text: text.to_owned(),
            entities: Vec::new(),
        };
        if text.starts_with('/') {
            let command = text.split(char::is_whitespace).next().unwrap_or(text);
            content.entities.push(Entity {
                kind: "bot_command",
                offset: 0,
                length: html::utf16_len(command),
                extra: None,
            });
        }
        let message = StoredMessage {
            id: self.allocate_message_id(),
            from_bot: false,
            from: from.to_json(),
            date: unix_now(),
            edit_date: None,
            content,
            raw_text: text.to_owned(),
            markup: None,
            document: None,
            photo: None,
            edits: 0,
            deleted: false,
        };
        let json = message.to_json(&self.json);
        self.messages.insert(message.id, message);
        json
    }

    fn store_bot_message(
        &mut self,
        from: Value,
        content: ParsedText,
        raw_text: &str,
        markup: Option<Value>,
        document: Option<Value>,
        now: Instant,
    ) -> Value {
        match &markup {
            Some(m) if m.get("keyboard").is_some() => self.reply_keyboard = Some(m.clone()),
            Some(m) if m.get("remove_keyboard").is_some() => self.reply_keyboard = None,
            _ => {}
        }
        let message = StoredMessage {
            id: self.allocate_message_id(),
            from_bot: true,
            from,
            date: unix_now(),
            edit_date: None,
            content,
            raw_text: raw_text.to_owned(),
            markup,
            document,
            photo: None,
            edits: 0,
            deleted: false,
        };
        let json = message.to_json(&self.json);
        self.messages.insert(message.id, message);
        self.send_times.push(now);
        json
    }
}

/// Telegram's refusal of a file id it does not know.
const WRONG_FILE_ID: &str = "wrong file identifier/HTTP URL specified";

// ----- parameters ----------------------------------------------------------

fn type_error(name: &str, expected: &str) -> ApiError {
    ApiError::bad_request(format!("field \"{name}\" must be of type {expected}"))
}

fn int(p: &Params, name: &str) -> Result<Option<i64>, ApiError> {
    match p.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => int_value(value)
            .map(Some)
            .ok_or_else(|| type_error(name, "Integer")),
    }
}

fn string<'a>(p: &'a Params, name: &str) -> Result<Option<&'a str>, ApiError> {
    match p.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(type_error(name, "String")),
    }
}

fn boolean(p: &Params, name: &str) -> Result<bool, ApiError> {
    match p.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s == "true" || s == "false" => Ok(s == "true"),
        Some(_) => Err(type_error(name, "Boolean")),
    }
}

/// A JSON-serialised parameter (sent as an object, or as a string containing JSON).
fn object(p: &Params, name: &str) -> Result<Option<Value>, ApiError> {
    match p.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => serde_json::from_str(s)
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("can't parse {name} JSON object"))),
        Some(value) => Ok(Some(value.clone())),
    }
}

fn chat_id(p: &Params) -> Result<i64, ApiError> {
    match p.get("chat_id") {
        None | Some(Value::Null) => Err(ApiError::bad_request("chat_id is empty")),
        Some(Value::String(s)) if s.is_empty() => Err(ApiError::bad_request("chat_id is empty")),
        // "@channelusername": the fake knows no public usernames.
        Some(value) => int_value(value).ok_or_else(|| ApiError::bad_request("chat not found")),
    }
}

/// Text after applying `parse_mode`, trimmed like Telegram does.
fn formatted(raw: &str, p: &Params) -> Result<ParsedText, ApiError> {
    let parsed = match string(p, "parse_mode")?.unwrap_or("") {
        "" => ParsedText {
            text: raw.to_owned(),
            entities: Vec::new(),
        },
        mode if mode.eq_ignore_ascii_case("html") => html::parse_html(raw)
            .map_err(|e| ApiError::bad_request(format!("can't parse entities: {e}")))?,
        // Not validated: the bot uses HTML.
        mode if mode.eq_ignore_ascii_case("markdownv2")
            || mode.eq_ignore_ascii_case("markdown") =>
        {
            ParsedText {
                text: raw.to_owned(),
                entities: Vec::new(),
            }
        }
        _ => return Err(ApiError::bad_request("unsupported parse_mode")),
    };
    Ok(html::trim(parsed))
}

fn check_length(content: &ParsedText, max: usize, empty: &str, long: &str) -> Result<(), ApiError> {
    if content.text.is_empty() {
        Err(ApiError::bad_request(empty))
    } else if html::utf16_len(&content.text) > max {
        Err(ApiError::bad_request(long))
    } else {
        Ok(())
    }
}

fn commands_key(p: &Params) -> Result<(String, String), ApiError> {
    let scope = object(p, "scope")?.unwrap_or_else(|| json!({"type": "default"}));
    let kinds = [
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    ];
    if !scope
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| kinds.contains(&t))
    {
        return Err(ApiError::bad_request("unsupported bot command scope type"));
    }
    let language = string(p, "language_code")?.unwrap_or_default();
    if !(language.is_empty()
        || language.len() == 2 && language.bytes().all(|b| b.is_ascii_lowercase()))
    {
        return Err(ApiError::bad_request("invalid language code specified"));
    }
    Ok((canonical_json(&scope), language.to_owned()))
}

/// JSON text with object keys sorted, for use as a map key.
pub fn canonical_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<_> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical_json(&map[k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(canonical_json)
                    .collect::<Vec<_>>()
                    .join(",")
            )
        }
        other => other.to_string(),
    }
}

/// Validates `reply_markup`; returns it with an empty inline keyboard normalised away.
/// A Mini App button (`web_app`) is taken in private chats only, as Telegram does.
fn markup(p: &Params, inline_only: bool, private: bool) -> Result<Option<Value>, ApiError> {
    let Some(markup) = object(p, "reply_markup")? else {
        return Ok(None);
    };
    let invalid = || ApiError::bad_request("can't parse reply keyboard markup JSON object");
    if !markup.is_object() {
        return Err(invalid());
    }
    if let Some(rows) = markup.get("inline_keyboard") {
        let rows = rows_of(rows, "inline_keyboard", "InlineKeyboardMarkup")?;
        let count: usize = rows.iter().map(|r| r.len()).sum();
        if count > 100 {
            return Err(ApiError::bad_request("reply markup is too long"));
        }
        for button in rows.iter().flat_map(|row| row.iter()) {
            inline_button(button, private)?;
        }
        return Ok((count > 0).then_some(markup));
    }
    if inline_only {
        return Err(ApiError::bad_request("inline keyboard expected"));
    }
    if let Some(rows) = markup.get("keyboard") {
        let rows = rows_of(rows, "keyboard", "ReplyKeyboardMarkup")?;
        if rows.iter().all(|row| row.is_empty()) {
            return Err(ApiError::bad_request("keyboard must be non-empty"));
        }
        for button in rows.iter().flat_map(|row| row.iter()) {
            let text = button
                .as_str()
                .or_else(|| button.get("text").and_then(Value::as_str));
            if text.is_none_or(str::is_empty) {
                return Err(ApiError::bad_request(
                    "can't parse keyboard button: field \"text\" must be a non-empty String",
                ));
            }
        }
        return Ok(Some(markup));
    }
    let flag = |key| markup.get(key).and_then(Value::as_bool);
    match (flag("remove_keyboard"), flag("force_reply")) {
        (Some(true), None) | (None, Some(true)) => Ok(Some(markup)),
        _ => Err(invalid()),
    }
}

fn rows_of<'a>(rows: &'a Value, field: &str, kind: &str) -> Result<Vec<&'a Vec<Value>>, ApiError> {
    rows.as_array()
        .and_then(|rows| rows.iter().map(Value::as_array).collect::<Option<Vec<_>>>())
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "field \"{field}\" of the {kind} must be an Array of Arrays"
            ))
        })
}

/// A `WebAppInfo`: an object whose `url` is an https link.
fn web_app(info: &Value, what: &str) -> Result<(), ApiError> {
    match info.get("url").and_then(Value::as_str) {
        Some(url) if url.starts_with("https://") && !url.contains(char::is_whitespace) => Ok(()),
        Some(url) => Err(ApiError::bad_request(format!(
            "{what} Web App URL {url:?} is invalid: Only HTTPS links are allowed"
        ))),
        None => Err(ApiError::bad_request(format!(
            "can't parse {what}: field \"web_app\" must be an Object with a \"url\""
        ))),
    }
}

/// A `MenuButton` as `setChatMenuButton` takes it.
fn menu_button(button: &Value) -> Result<(), ApiError> {
    let bad = |m: &str| ApiError::bad_request(format!("can't parse menu button: {m}"));
    match button.get("type").and_then(Value::as_str) {
        Some("commands" | "default") => Ok(()),
        Some("web_app") => {
            match button.get("text").and_then(Value::as_str) {
                Some(text) if !text.is_empty() => {}
                _ => return Err(bad("field \"text\" must be a non-empty String")),
            }
            web_app(button.get("web_app").unwrap_or(&Value::Null), "menu button")
        }
        _ => Err(bad("unknown type")),
    }
}

/// Action fields of `InlineKeyboardButton`: exactly one must be present.
const BUTTON_ACTIONS: &[&str] = &[
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
];

fn inline_button(button: &Value, private: bool) -> Result<(), ApiError> {
    let bad = |m: &str| ApiError::bad_request(format!("can't parse inline keyboard button: {m}"));
    let Some(button) = button.as_object() else {
        return Err(bad("InlineKeyboardButton must be an Object"));
    };
    match button.get("text") {
        Some(Value::String(text)) if !text.is_empty() => {}
        Some(Value::String(_)) => return Err(ApiError::bad_request("BUTTON_TEXT_INVALID")),
        _ => return Err(bad("field \"text\" must be of type String")),
    }
    let actions: Vec<&str> = BUTTON_ACTIONS
        .iter()
        .copied()
        .filter(|a| button.contains_key(*a))
        .collect();
    match actions.as_slice() {
        [] => Err(bad("Text buttons are unallowed in the inline keyboard")),
        ["callback_data"] => match button["callback_data"].as_str() {
            Some(data) if (1..=64).contains(&data.len()) => Ok(()),
            _ => Err(ApiError::bad_request("BUTTON_DATA_INVALID")),
        },
        ["url"] => match button["url"].as_str() {
            Some(url)
                if ["http://", "https://", "tg://"]
                    .iter()
                    .any(|s| url.starts_with(s))
                    && !url.contains(char::is_whitespace) =>
            {
                Ok(())
            }
            url => Err(ApiError::bad_request(format!(
                "inline keyboard button URL {url:?} is invalid: Wrong HTTP URL"
            ))),
        },
        ["web_app"] if !private => Err(ApiError::bad_request("BUTTON_TYPE_INVALID")),
        ["web_app"] => web_app(&button["web_app"], "inline keyboard button"),
        [_] => Ok(()),
        several => Err(bad(&format!(
            "exactly one of the optional fields must be used, found {several:?}"
        ))),
    }
}
