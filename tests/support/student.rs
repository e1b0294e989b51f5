//! A `Student`: one Telegram user clicking through the bot, as a test reads it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use super::fake_api::{FakeTelegram, Recorded, TgUser};

/// How long the bot may take to handle one update in a test before the test fails.
pub const HANDLING_TIMEOUT: Duration = Duration::from_secs(20);

static NEXT_USER_ID: AtomicI64 = AtomicI64::new(100_000_001);

pub struct Student {
    tg: FakeTelegram,
    pub user: TgUser,
}

impl Student {
    pub fn new(tg: &FakeTelegram, name: &str) -> Self {
        let id = NEXT_USER_ID.fetch_add(1, Ordering::Relaxed);
        let (last, first) = match name.split_once(' ') {
            Some((last, first)) => (Some(last), first),
            None => (None, name),
        };
        let username = format!("student{id}");
        let user = tg.user(id, first, last, Some(&username), Some("ru"));
        Self {
            tg: tg.clone(),
            user,
        }
    }

    pub fn with_language(tg: &FakeTelegram, name: &str, language: &str) -> Self {
        let mut student = Self::new(tg, name);
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
    /// handled it (confirmed the update to Telegram).
    pub async fn send(&self, text: &str) -> Replies {
        let since = self.tg.next_seq();
        let update_id = self.tg.push_message(&self.user, text);
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

    async fn replies_to(&self, since: u64, update_id: i64) -> Replies {
        self.tg
            .wait_confirmed(update_id, HANDLING_TIMEOUT)
            .await
            .unwrap_or_else(|err| panic!("update {update_id} was not handled: {err}"));
        let chat = self.user.id;
        let requests = self
            .tg
            .requests_since(since)
            .into_iter()
            .filter(|r| r.chat_id() == Some(chat) || r.method == "answerCallbackQuery")
            .collect();
        Replies(requests)
    }
}

/// What the bot sent in answer to one update.
#[derive(Debug)]
pub struct Replies(pub Vec<Recorded>);

impl Replies {
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
