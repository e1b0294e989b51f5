//! The parsing an update goes through before any database is touched, as one function for the
//! fuzzer (`fuzz/fuzz_targets/update_input.rs`): JSON → `Update` (as polling and the webhook
//! read it), callback data → every domain's action, message text → the command parser, the menu
//! buttons and every text parser, a document's bytes → its text.
//!
//! Besides "never panics", it checks the codec's promise: whatever callback data decodes to
//! encodes back to the very same bytes.

use std::fmt::Debug;

use chrono::{DateTime, NaiveDate, Utc};
use teloxide::types::{Update, UpdateKind};
use teloxide::utils::command::BotCommands;

use super::callback::{self, CallbackAction};
use super::commands::Command;
use super::keyboards::MenuButton;
use crate::{events, groups, invites, members, queues, topics};

/// The bot's username the fuzzer's commands and links are read against.
const BOT: &str = "study_group_bot";

/// Feeds `bytes` through every parser of user input. Panics only on a bug: a panic in a parser,
/// or callback data that decodes to an action encoded differently.
pub fn input(bytes: &[u8]) {
    if let Ok(update) = serde_json::from_slice::<Update>(bytes) {
        inspect(&update);
    }
    // The webhook's path: a JSON value first, then the update.
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
        let _ = value.get("update_id").and_then(serde_json::Value::as_i64);
        if let Ok(update) = super::inbox::parse_update(&value) {
            inspect(&update);
        }
    }
    // The same bytes as the text, callback data and document a user could send.
    let text = String::from_utf8_lossy(bytes);
    callback_data(&text);
    message_text(&text);
    let _ = topics::input::document_text(bytes).map(|text| topics::TopicLines::parse(&text));
}

fn inspect(update: &Update) {
    match &update.kind {
        UpdateKind::Message(message) => {
            if let Some(text) = message.text() {
                message_text(text);
            }
            if let Some(caption) = message.caption() {
                message_text(caption);
            }
        }
        UpdateKind::CallbackQuery(query) => {
            if let Some(data) = query.data.as_deref() {
                callback_data(data);
            }
        }
        _ => {}
    }
}

fn callback_data(data: &str) {
    exact::<super::events::Action>(data);
    exact::<super::queues::Action>(data);
    exact::<super::topics::Action>(data);
    exact::<super::invites::Action>(data);
    exact::<super::groups::Action>(data);
    exact::<super::members::action::Action>(data);
    exact::<super::members::action::ProfileAction>(data);
    exact::<super::notifications::action::NotifyAction>(data);
}

fn exact<A: CallbackAction + Debug>(data: &str) {
    if let Some(action) = callback::decode::<A>(data) {
        let encoded = callback::encode(&action);
        assert_eq!(encoded, data, "{action:?} decoded from other bytes");
        assert!(encoded.len() <= callback::MAX_BYTES);
    }
}

fn message_text(text: &str) {
    let _ = Command::parse(text, BOT);
    let _ = MenuButton::parse(text);
    let _ = invites::InviteToken::parse_pasted(text, BOT);
    let _ = groups::GroupName::parse(text);
    let _ = groups::Description::parse(text);
    let _ = groups::Timezone::parse(text);
    let _ = members::Fio::parse(text);
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
    let _ = events::EventDate::parse(text, today);
    let now = DateTime::<Utc>::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    for zone in groups::timezone::QUICK {
        let _ = events::DeadlineAt::parse(text, now, zone);
    }
    let _ = events::text::EventTitle::parse(text);
    let _ = events::text::Subject::parse(text);
    let _ = events::text::Description::parse(text);
    let _ = events::text::DeadlineText::parse(text);
    let _ = queues::QueueTitle::parse(text);
    let _ = queues::QueueDescription::parse(text);
    let _ = queues::MaxParticipants::parse(text);
    let _ = queues::text::parse_position(text, 100);
    let _ = topics::ListTitle::parse(text);
    let _ = topics::Capacity::parse(text);
    let _ = topics::TopicLines::parse(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_updates_go_through() {
        let message = br#"{"update_id":1,"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private","first_name":"A"},"from":{"id":5,"is_bot":false,"first_name":"A"},"text":"/start abc"}}"#;
        input(message);
        let press = br#"{"update_id":2,"callback_query":{"id":"1","from":{"id":5,"is_bot":false,"first_name":"A"},"chat_instance":"1","data":"1|q|s"}}"#;
        input(press);
        input(b"\xff\xfe garbage {");
        input(b"");
    }
}
