//! A `Student`: one Telegram user clicking through the bot, as a test reads it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use sea_orm::DatabaseConnection;

use super::fake_api::{FakeTelegram, Recorded, SentMessage, TgUser};

/// How long the bot may take to handle one update in a test before the test fails.
pub const HANDLING_TIMEOUT: Duration = Duration::from_secs(20);

static NEXT_USER_ID: AtomicI64 = AtomicI64::new(100_000_001);

pub struct Student {
    tg: FakeTelegram,
    /// The bot's database: an update counts as handled when its inbox row is finished.
    db: DatabaseConnection,
    pub user: TgUser,
}

impl Student {
    pub fn new(tg: &FakeTelegram, db: &DatabaseConnection, name: &str) -> Self {
        let id = NEXT_USER_ID.fetch_add(1, Ordering::Relaxed);
        let (last, first) = match name.split_once(' ') {
            Some((last, first)) => (Some(last), first),
            None => (None, name),
        };
        let username = format!("student{id}");
        let user = tg.user(id, first, last, Some(&username), Some("ru"));
        Self {
            tg: tg.clone(),
            db: db.clone(),
            user,
        }
    }

    pub fn with_language(
        tg: &FakeTelegram,
        db: &DatabaseConnection,
        name: &str,
        language: &str,
    ) -> Self {
        let mut student = Self::new(tg, db, name);
        student.user = tg.user(
            student.user.id,
            &student.user.first_name,
            student.user.last_name.as_deref(),
            student.user.username.as_deref(),
            Some(language),
        );
        student
    }

    pub fn id(&self) -> i64 {
        self.user.id
    }

    /// Sends `text` in the private chat and returns what the bot answered, once the bot has
    /// handled it (finished its inbox row).
    pub async fn send(&self, text: &str) -> Replies {
        let since = self.tg.next_seq();
        let update_id = self.tg.push_message(&self.user, text);
        self.replies_to(since, update_id).await
    }

    /// Sends `text` and returns what the bot answered once the update was confirmed to
    /// Telegram — for when the bot cannot store it (its database is down) and answers at once.
    pub async fn send_unstored(&self, text: &str) -> Replies {
        let since = self.tg.next_seq();
        let update_id = self.tg.push_message(&self.user, text);
        self.tg
            .wait_confirmed(update_id, HANDLING_TIMEOUT)
            .await
            .unwrap_or_else(|err| panic!("update {update_id} was not confirmed: {err}"));
        let chat = self.user.id;
        Replies(
            self.tg
                .requests_since(since)
                .into_iter()
                .filter(|r| r.chat_id() == Some(chat))
                .collect(),
        )
    }

    /// Sends a document `file_name` with `bytes` in the private chat and returns the answer.
    pub async fn send_document(&self, file_name: &str, bytes: &[u8]) -> Replies {
        let since = self.tg.next_seq();
        let update_id = self.tg.push_document(&self.user, file_name, bytes);
        self.replies_to(since, update_id).await
    }

    /// Sends a photo in the private chat and returns what the bot answered.
    pub async fn send_photo(&self) -> Replies {
        let since = self.tg.next_seq();
        let update_id = self.tg.push_photo(&self.user);
        self.replies_to(since, update_id).await
    }

    /// Sends a sticker in the private chat and returns what the bot answered.
    pub async fn send_sticker(&self) -> Replies {
        let since = self.tg.next_seq();
        let update_id = self.tg.push_sticker(&self.user);
        self.replies_to(since, update_id).await
    }

    /// Presses a reply-keyboard button: Telegram sends its text as a message.
    pub async fn press(&self, button: &str) -> Replies {
        self.send(button).await
    }

    /// Presses an inline button with `data` under the bot's message `message_id`.
    pub async fn click(&self, message_id: i64, data: &str) -> Replies {
        let since = self.tg.next_seq();
        let update_id = self.tg.push_callback(&self.user, message_id, data);
        self.replies_to(since, update_id).await
    }

    /// The newest bot message in this chat that shows an inline button labelled `text`.
    pub fn message_with_button(&self, text: &str) -> Option<SentMessage> {
        let chat = self.user.id;
        let mut seen = std::collections::HashSet::new();
        self.tg
            .requests_for_chat(chat)
            .iter()
            .rev()
            .filter(|r| r.status == 200)
            .filter_map(Recorded::message_id)
            .filter(|id| seen.insert(*id))
            .filter_map(|id| self.tg.message(chat, id))
            .find(|m| m.inline_buttons().iter().flatten().any(|(t, _)| t == text))
    }

    /// The callback data of the inline button labelled `text` on the newest message showing it.
    pub fn button_data(&self, text: &str) -> String {
        let message = self
            .message_with_button(text)
            .unwrap_or_else(|| panic!("no message shows a button {text:?}"));
        message
            .inline_buttons()
            .into_iter()
            .flatten()
            .find(|(t, _)| t == text)
            .and_then(|(_, data)| data)
            .unwrap_or_else(|| panic!("button {text:?} has no callback data"))
    }

    /// Pushes a press of the inline button labelled `text` on the newest bot message showing
    /// it; returns (the sequence number before the press, the press's update id).
    fn push_button_press(&self, text: &str) -> (u64, i64) {
        let message = self.message_with_button(text).unwrap_or_else(|| {
            panic!(
                "no message in chat {} shows a button {text:?}",
                self.user.id
            )
        });
        let since = self.tg.next_seq();
        let update_id = self
            .tg
            .press_button(&self.user, message.message_id, text)
            .unwrap_or_else(|err| panic!("{err}"));
        (since, update_id)
    }

    /// Presses the inline button labelled `text` on the newest bot message showing it.
    pub async fn click_button(&self, text: &str) -> Replies {
        let (since, update_id) = self.push_button_press(text);
        self.replies_to(since, update_id).await
    }

    /// Presses the inline button labelled `text` and returns the replies with the toast that
    /// answered this very press (other users' answers, pressed at the same time, excluded).
    pub async fn click_button_toast(&self, text: &str) -> (Replies, Option<String>) {
        let (since, update_id) = self.push_button_press(text);
        let query_id = self.callback_query_id(update_id);
        let replies = self.replies_to(since, update_id).await;
        let toast = replies
            .answer_to(&query_id)
            .unwrap_or_else(|| panic!("press {update_id} was not answered"))
            .params
            .get("text")
            .and_then(|t| t.as_str())
            .map(str::to_owned);
        (replies, toast)
    }

    /// The id of the callback query pushed as update `update_id`.
    fn callback_query_id(&self, update_id: i64) -> String {
        self.tg
            .update(update_id)
            .and_then(|u| {
                let id = u.get("callback_query")?.get("id")?;
                id.as_str().map(str::to_owned)
            })
            .expect("the pushed callback query has an id")
    }

    /// Sends arbitrary callback data from the newest bot message in this chat, as a modified
    /// client could (forged or replayed buttons).
    pub async fn forge_callback(&self, data: &str) -> Replies {
        let message_id = self
            .tg
            .requests_for_chat(self.user.id)
            .iter()
            .rev()
            .filter(|r| r.status == 200 && r.method == "sendMessage")
            .find_map(Recorded::message_id)
            .expect("the bot has sent this user a message");
        self.click(message_id, data).await
    }

    /// Writes `text` in the group chat `chat`; returns what the bot sent to that chat in
    /// answer, once the update was handled.
    pub async fn send_in_group(&self, chat: i64, text: &str) -> Replies {
        let since = self.tg.next_seq();
        let update_id = self.tg.push_group_message(chat, &self.user, text);
        self.replies_in(chat, since, update_id).await
    }

    /// Presses the inline button labelled `text` under the bot's message `message_id` in the
    /// group chat `chat`; returns what the bot sent to the chat and the answer to this very
    /// press (its `text` and `show_alert`).
    pub async fn press_in_group(
        &self,
        chat: i64,
        message_id: i64,
        text: &str,
    ) -> (Replies, Answer) {
        let since = self.tg.next_seq();
        let update_id = self
            .tg
            .press_group_button(chat, &self.user, message_id, text)
            .unwrap_or_else(|err| panic!("{err}"));
        let query_id = self.callback_query_id(update_id);
        let replies = self.replies_in(chat, since, update_id).await;
        let answer = replies
            .answer_to(&query_id)
            .map(|r| Answer {
                text: r
                    .params
                    .get("text")
                    .and_then(|t| t.as_str())
                    .map(str::to_owned),
                alert: r
                    .params
                    .get("show_alert")
                    .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true")),
            })
            .unwrap_or_else(|| panic!("press {update_id} in chat {chat} was not answered"));
        (replies, answer)
    }

    /// Waits until the bot has handled update `update_id`.
    pub async fn wait_handled(&self, update_id: i64) {
        super::handled::wait_handled(&self.db, update_id, HANDLING_TIMEOUT)
            .await
            .unwrap_or_else(|err| panic!("update {update_id} was not handled: {err}"));
    }

    /// What the bot sent in this private chat since `since`, once update `update_id` is handled.
    async fn replies_to(&self, since: u64, update_id: i64) -> Replies {
        self.replies_in(self.user.id, since, update_id).await
    }

    /// What the bot sent to `chat` (and every callback answer) since `since`, once update
    /// `update_id` is handled.
    async fn replies_in(&self, chat: i64, since: u64, update_id: i64) -> Replies {
        self.wait_handled(update_id).await;
        let requests = self
            .tg
            .requests_since(since)
            .into_iter()
            .filter(|r| r.chat_id() == Some(chat) || r.method == "answerCallbackQuery")
            .collect();
        Replies(requests)
    }
}

/// How the bot answered one press of an inline button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub text: Option<String>,
    /// Shown as an alert (`show_alert`) rather than a toast.
    pub alert: bool,
}

/// What the bot sent in answer to one update.
#[derive(Debug)]
pub struct Replies(pub Vec<Recorded>);

impl Replies {
    /// The answer to the callback query `query_id` among these requests.
    fn answer_to(&self, query_id: &str) -> Option<&Recorded> {
        self.0.iter().find(|r| {
            r.method == "answerCallbackQuery"
                && r.params.get("callback_query_id").and_then(|v| v.as_str()) == Some(query_id)
        })
    }

    pub fn messages(&self) -> Vec<&Recorded> {
        self.0
            .iter()
            .filter(|r| r.method == "sendMessage" || r.method == "editMessageText")
            .collect()
    }

    /// The texts sent, in order.
    pub fn texts(&self) -> Vec<String> {
        self.messages()
            .iter()
            .filter_map(|r| r.text().map(str::to_owned))
            .collect()
    }

    /// The last message text, or a panic naming what was sent.
    pub fn last_text(&self) -> String {
        self.texts()
            .pop()
            .unwrap_or_else(|| panic!("the bot sent no message; requests: {:#?}", self.0))
    }

    #[track_caller]
    pub fn expect_text_contains(&self, needle: &str) -> &Self {
        let texts = self.texts();
        assert!(
            texts.iter().any(|t| t.contains(needle)),
            "no message contains {needle:?}; the bot sent {texts:#?}"
        );
        self
    }

    #[track_caller]
    pub fn expect_no_text_contains(&self, needle: &str) -> &Self {
        let texts = self.texts();
        assert!(
            !texts.iter().any(|t| t.contains(needle)),
            "a message contains {needle:?}: {texts:#?}"
        );
        self
    }

    /// The last reply keyboard sent has exactly these buttons (row by row, flattened).
    #[track_caller]
    pub fn expect_keyboard(&self, buttons: &[&str]) -> &Self {
        let keyboard = self
            .0
            .iter()
            .rev()
            .map(Recorded::reply_keyboard_texts)
            .find(|rows| !rows.is_empty())
            .unwrap_or_else(|| panic!("no reply keyboard was sent: {:#?}", self.0));
        let flat: Vec<&str> = keyboard.iter().flatten().map(String::as_str).collect();
        assert_eq!(flat, buttons, "unexpected keyboard");
        self
    }

    /// The inline buttons (text, callback data) of the last message or edit with an inline
    /// keyboard.
    pub fn inline_buttons(&self) -> Vec<Vec<(String, Option<String>)>> {
        self.0
            .iter()
            .rev()
            .map(Recorded::inline_buttons)
            .find(|rows| !rows.is_empty())
            .unwrap_or_default()
    }

    /// The texts of the last inline keyboard, flattened.
    pub fn button_texts(&self) -> Vec<String> {
        self.inline_buttons()
            .into_iter()
            .flatten()
            .map(|(text, _)| text)
            .collect()
    }

    /// The callback query was answered; returns the toast text, if any.
    #[track_caller]
    pub fn expect_answered(&self) -> Option<String> {
        let answer = self
            .0
            .iter()
            .find(|r| r.method == "answerCallbackQuery")
            .unwrap_or_else(|| panic!("the callback query was not answered: {:#?}", self.0));
        answer
            .params
            .get("text")
            .and_then(|t| t.as_str())
            .map(str::to_owned)
    }

    /// Documents sent (file name, bytes).
    pub fn documents(&self) -> Vec<(String, Vec<u8>)> {
        self.0
            .iter()
            .filter(|r| r.method == "sendDocument")
            .filter_map(|r| r.file("document"))
            .collect()
    }

    /// Every request the bot made for this update was accepted by Telegram.
    #[track_caller]
    pub fn expect_all_accepted(&self) -> &Self {
        for request in &self.0 {
            assert!(
                request.status == 200,
                "Telegram rejected {} ({:?}): {:?}",
                request.method,
                request.error,
                request.params
            );
        }
        self
    }
}
