//! Tests of the fake Telegram server itself, with teloxide as the client: the
//! fake must speak the Bot API well enough for teloxide to parse its answers,
//! and reject what Telegram rejects.

mod support;

use std::time::Duration;

use proptest::prelude::*;
use serde_json::json;
use support::fake_api::html::{parse_html, utf16_len};
use support::fake_api::{BOT_TOKEN, BOT_USERNAME, Failure, FakeTelegram, TgUser};
use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InputFile, KeyboardButton, KeyboardMarkup,
    MessageId, ParseMode, UpdateKind,
};
use teloxide::{ApiError, RequestError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Generous bound for things that should happen almost at once.
const SOON: Duration = Duration::from_secs(10);

async fn setup() -> (FakeTelegram, Bot) {
    let fake = FakeTelegram::start().await;
    let bot = Bot::new(BOT_TOKEN).set_api_url(fake.api_url().parse().unwrap());
    (fake, bot)
}

fn alice(fake: &FakeTelegram) -> TgUser {
    fake.user(1001, "Alice", Some("Liddell"), Some("alice"), Some("en"))
}

/// A user who has written to the bot, so their private chat exists; the update is consumed.
async fn started_user(fake: &FakeTelegram, bot: &Bot) -> TgUser {
    let user = alice(fake);
    let id = fake.push_message(&user, "/start");
    bot.get_updates().offset(id as i32 + 1).await.unwrap();
    user
}

fn api_error(result: Result<impl std::fmt::Debug, RequestError>) -> ApiError {
    match result {
        Err(RequestError::Api(error)) => error,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// Sends one HTTP/1.1 request by hand; returns the status and body.
async fn raw_request(
    fake: &FakeTelegram,
    path: &str,
    content_type: &str,
    body: &str,
) -> (u16, String) {
    let addr = fake.api_url().trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn get_me_deserialises_into_teloxide_me() {
    let (fake, bot) = setup().await;
    let me = bot.get_me().await.unwrap();
    assert_eq!(me.username(), BOT_USERNAME);
    assert!(me.is_bot);
    assert_eq!(me.id.0 as i64, fake.bot_id());
    assert_eq!(fake.bot_id(), 123_456);
}

#[tokio::test]
async fn long_poll_returns_a_pushed_message() {
    let (fake, bot) = setup().await;
    let user = alice(&fake);
    let id = fake.push_message(&user, "hello there");
    assert_eq!(id, 1);

    let updates = bot.get_updates().timeout(5).await.unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].id.0, 1);
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!("expected a message, got {:?}", updates[0].kind);
    };
    assert_eq!(message.text(), Some("hello there"));
    assert!(message.chat.is_private());
    assert_eq!(message.chat.id.0, user.id);
    let from = message.from.as_ref().unwrap();
    assert_eq!(from.id.0 as i64, user.id);
    assert_eq!(from.username.as_deref(), Some("alice"));
    assert_eq!(from.language_code.as_deref(), Some("en"));
}

#[tokio::test]
async fn offset_confirms_and_forgets_updates() {
    let (fake, bot) = setup().await;
    let user = alice(&fake);
    let first = fake.push_message(&user, "one");
    let second = fake.push_message(&user, "two");
    assert_eq!(second, first + 1);

    // Without an offset nothing is confirmed, so the same updates come again.
    assert_eq!(bot.get_updates().await.unwrap().len(), 2);
    assert_eq!(bot.get_updates().await.unwrap().len(), 2);
    assert_eq!(fake.confirmed_offset(), 0);
    let not_yet = fake.wait_confirmed(first, Duration::from_millis(20)).await;
    assert!(not_yet.unwrap_err().contains("not confirmed"));

    let waiter = tokio::spawn({
        let fake = fake.clone();
        async move { fake.wait_confirmed(first, SOON).await }
    });
    let rest = bot.get_updates().offset(first as i32 + 1).await.unwrap();
    assert_eq!(
        rest.iter().map(|u| u.id.0 as i64).collect::<Vec<_>>(),
        [second]
    );
    waiter.await.unwrap().unwrap();
    assert_eq!(fake.confirmed_offset(), first + 1);
    assert_eq!(fake.pending_update_ids(), [second]);

    assert!(
        bot.get_updates()
            .offset(second as i32 + 1)
            .await
            .unwrap()
            .is_empty()
    );
    fake.wait_confirmed(second, SOON).await.unwrap();
    assert!(fake.pending_update_ids().is_empty());
}

#[tokio::test]
async fn empty_long_poll_returns_nothing_after_its_timeout() {
    let (fake, bot) = setup().await;
    let updates = bot.get_updates().timeout(1).await.unwrap();
    assert!(updates.is_empty());
    let polls = fake.requests();
    assert_eq!(polls.len(), 1);
    assert_eq!(
        (polls[0].method.as_str(), polls[0].status),
        ("getUpdates", 200)
    );
}

#[tokio::test]
async fn long_poll_wakes_up_on_push() {
    let (fake, bot) = setup().await;
    let user = alice(&fake);
    let poll = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(60).await }
    });
    fake.wait_until_polling(SOON).await.unwrap();
    // The waiting poll is already recorded, as pending.
    let pending = fake.requests();
    assert_eq!(
        (pending[0].method.as_str(), pending[0].status),
        ("getUpdates", 0)
    );
    let answered = tokio::spawn({
        let fake = fake.clone();
        async move {
            fake.wait_for(0, SOON, |r| r.method == "getUpdates" && r.is_ok())
                .await
        }
    });

    // The poll is waiting, so the update can only reach it by waking it up.
    let id = fake.push_message(&user, "wake up");
    let updates = tokio::time::timeout(SOON, poll)
        .await
        .expect("woken early")
        .unwrap()
        .unwrap();
    assert_eq!(
        updates.iter().map(|u| u.id.0 as i64).collect::<Vec<_>>(),
        [id]
    );
    let answered = answered.await.unwrap().unwrap();
    assert_eq!(answered.seq, pending[0].seq);
    assert_eq!(answered.result.unwrap()[0]["update_id"], id);
}

#[tokio::test]
async fn a_newer_get_updates_terminates_the_waiting_one() {
    let (fake, bot) = setup().await;
    let first = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(60).await }
    });
    fake.wait_until_polling(SOON).await.unwrap();
    assert!(bot.get_updates().await.unwrap().is_empty());
    let terminated = tokio::time::timeout(SOON, first).await.unwrap().unwrap();
    assert!(matches!(
        api_error(terminated),
        ApiError::TerminatedByOtherGetUpdates
    ));
}

#[tokio::test]
async fn send_message_to_unknown_chat_fails() {
    let (fake, bot) = setup().await;
    let error = bot.send_message(ChatId(42), "hi").await.unwrap_err();
    assert!(error.to_string().contains("chat not found"), "{error}");
    assert!(matches!(error, RequestError::Api(ApiError::ChatNotFound)));
    let recorded = fake.requests();
    assert_eq!(recorded[0].status, 400);
    assert_eq!(recorded[0].chat_id(), Some(42));

    // A known user who never wrote to the bot: Telegram refuses too.
    let bob = fake.user(2002, "Bob", None, None, None);
    let error = bot.send_message(ChatId(bob.id), "hi").await.unwrap_err();
    assert!(
        error.to_string().contains("can't initiate conversation"),
        "{error}"
    );
}

#[tokio::test]
async fn message_length_is_checked_in_utf16_units() {
    let (fake, bot) = setup().await;
    let chat = ChatId(started_user(&fake, &bot).await.id);

    bot.send_message(chat, "a".repeat(4096)).await.unwrap();
    let too_long = bot.send_message(chat, "a".repeat(4097)).await;
    assert!(matches!(api_error(too_long), ApiError::MessageIsTooLong));
    // Each emoji is two UTF-16 code units.
    bot.send_message(chat, "😀".repeat(2048)).await.unwrap();
    let too_long = bot.send_message(chat, "😀".repeat(2049)).await;
    assert!(matches!(api_error(too_long), ApiError::MessageIsTooLong));
    // Length counts visible text, after entity parsing.
    let bold = format!("<b>{}</b>", "a".repeat(4096));
    bot.send_message(chat, bold)
        .parse_mode(ParseMode::Html)
        .await
        .unwrap();

    let empty = bot.send_message(chat, "  ").await;
    assert!(matches!(api_error(empty), ApiError::MessageTextIsEmpty));
    let empty = bot
        .send_message(chat, "<b></b>")
        .parse_mode(ParseMode::Html)
        .await;
    assert!(matches!(api_error(empty), ApiError::MessageTextIsEmpty));
}

#[tokio::test]
async fn malformed_html_is_rejected_and_escaped_html_accepted() {
    let (fake, bot) = setup().await;
    let chat = ChatId(started_user(&fake, &bot).await.id);

    for bad in [
        "<b>x",
        "a < b",
        "AT&T",
        "<b>x</i>",
        "<blink>x</blink>",
        "<a>x</a>",
        "x</b>",
    ] {
        let error = bot
            .send_message(chat, bad)
            .parse_mode(ParseMode::Html)
            .await
            .unwrap_err();
        assert!(
            error.to_string().contains("can't parse entities"),
            "{bad:?}: {error}"
        );
    }
    let good = [
        ("a &lt; b", "a < b"),
        ("AT&amp;T &quot;&#39;&#x41;", "AT&T \"'A"),
        (
            "<b>bold</b> <i>it</i> <a href=\"https://example.com/?a=1&amp;b=2\">link</a>",
            "bold it link",
        ),
        (
            "<pre><code class=\"language-rust\">let x;</code></pre>",
            "let x;",
        ),
        (
            "<blockquote expandable>q</blockquote> <tg-spoiler>s</tg-spoiler>",
            "q s",
        ),
    ];
    for (html, visible) in good {
        let message = bot
            .send_message(chat, html)
            .parse_mode(ParseMode::Html)
            .await
            .unwrap();
        assert_eq!(message.text(), Some(visible), "{html:?}");
        let shown = fake.message(chat.0, message.id.0 as i64).unwrap();
        assert_eq!(
            (shown.text.as_str(), shown.raw_text.as_str()),
            (visible, html)
        );
    }
    // Without parse_mode the same characters are plain text.
    bot.send_message(chat, "a < b & <b>").await.unwrap();
}

#[tokio::test]
async fn callback_data_longer_than_64_bytes_is_rejected() {
    let (fake, bot) = setup().await;
    let chat = ChatId(started_user(&fake, &bot).await.id);
    let keyboard =
        |data: String| InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("b", data)]]);

    let rejected = bot
        .send_message(chat, "x")
        .reply_markup(keyboard("é".repeat(32) + "x"))
        .await;
    assert!(matches!(api_error(rejected), ApiError::ButtonDataInvalid));
    let message = bot
        .send_message(chat, "x")
        .reply_markup(keyboard("é".repeat(32)))
        .await
        .unwrap();

    let sent = fake
        .requests()
        .into_iter()
        .find(|r| r.is_ok() && r.method == "sendMessage")
        .unwrap();
    assert_eq!(
        sent.inline_buttons(),
        [[("b".to_owned(), Some("é".repeat(32)))]]
    );
    assert_eq!(sent.message_id(), Some(message.id.0 as i64));
}

#[tokio::test]
async fn reply_keyboards_are_recorded_and_shown() {
    let (fake, bot) = setup().await;
    let chat = ChatId(started_user(&fake, &bot).await.id);
    let keyboard = KeyboardMarkup::new([[KeyboardButton::new("Yes"), KeyboardButton::new("No")]]);
    let seq = fake.next_seq();
    bot.send_message(chat, "Sure?")
        .reply_markup(keyboard)
        .await
        .unwrap();

    let sent = fake
        .wait_for(seq, SOON, |r| r.method == "sendMessage")
        .await
        .unwrap();
    assert_eq!(sent.reply_keyboard_texts(), [["Yes", "No"]]);
    assert!(fake.reply_keyboard(chat.0).is_some());
    bot.send_message(chat, "ok")
        .reply_markup(teloxide::types::KeyboardRemove::new())
        .await
        .unwrap();
    assert!(fake.reply_keyboard(chat.0).is_none());
}

#[tokio::test]
async fn editing_follows_telegram_rules() {
    let (fake, bot) = setup().await;
    let chat = ChatId(started_user(&fake, &bot).await.id);
    let buttons = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Next", "next")]]);
    let sent = bot
        .send_message(chat, "<b>Page 1</b>")
        .parse_mode(ParseMode::Html)
        .reply_markup(buttons.clone())
        .await
        .unwrap();

    let same = bot
        .edit_message_text(chat, sent.id, "<b>Page 1</b>")
        .parse_mode(ParseMode::Html)
        .reply_markup(buttons.clone())
        .await;
    assert!(matches!(api_error(same), ApiError::MessageNotModified));
    let same_markup = bot
        .edit_message_reply_markup(chat, sent.id)
        .reply_markup(buttons.clone())
        .await;
    assert!(matches!(
        api_error(same_markup),
        ApiError::MessageNotModified
    ));

    // Same visible text, different formatting: a modification.
    bot.edit_message_text(chat, sent.id, "Page 1")
        .reply_markup(buttons.clone())
        .await
        .unwrap();
    let shown = fake.message(chat.0, sent.id.0 as i64).unwrap();
    assert_eq!((shown.text.as_str(), shown.edits), ("Page 1", 1));
    assert_eq!(
        shown.inline_buttons(),
        [[("Next".to_owned(), Some("next".to_owned()))]]
    );

    // Editing the text without a markup removes the keyboard, as in Telegram.
    bot.edit_message_text(chat, sent.id, "Page 2")
        .await
        .unwrap();
    let shown = fake.message(chat.0, sent.id.0 as i64).unwrap();
    assert_eq!(
        (shown.text.as_str(), shown.edits, shown.reply_markup),
        ("Page 2", 2, None)
    );

    let missing = bot.edit_message_text(chat, MessageId(999), "x").await;
    assert!(matches!(
        api_error(missing),
        ApiError::MessageToEditNotFound
    ));

    bot.delete_message(chat, sent.id).await.unwrap();
    assert!(fake.message(chat.0, sent.id.0 as i64).is_none());
    let again = bot.delete_message(chat, sent.id).await;
    assert!(matches!(
        api_error(again),
        ApiError::MessageToDeleteNotFound
    ));
}

#[tokio::test]
async fn injected_failures() {
    let (fake, bot) = setup().await;
    let chat = ChatId(started_user(&fake, &bot).await.id);

    fake.fail_next(
        "sendMessage",
        1,
        Failure::TooManyRequests { retry_after: 7 },
    );
    match bot.send_message(chat, "x").await {
        Err(RequestError::RetryAfter(after)) => assert_eq!(after.seconds(), 7),
        other => panic!("expected RetryAfter, got {other:?}"),
    }
    bot.send_message(chat, "x").await.unwrap();

    fake.fail_next("sendMessage", 1, Failure::Forbidden);
    let blocked = bot.send_message(chat, "x").await;
    assert!(matches!(api_error(blocked), ApiError::BotBlocked));

    let statuses: Vec<u16> = fake
        .requests_for_chat(chat.0)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [429, 200, 403]);
    assert_eq!(fake.per_chat_send_times(chat.0).len(), 1);

    // 5xx makes teloxide sleep for 10 s, so check the wire format by hand.
    fake.fail_next("getMe", 1, Failure::ServerError);
    let path = format!("/bot{BOT_TOKEN}/getMe");
    let (status, body) = raw_request(&fake, &path, "application/json", "{}").await;
    assert_eq!(status, 500);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["ok"],
        false
    );
}

#[tokio::test]
async fn blocked_users_get_403_until_they_write_again() {
    let (fake, bot) = setup().await;
    let user = started_user(&fake, &bot).await;
    fake.set_blocked(user.id, true);
    let blocked = bot.send_message(ChatId(user.id), "x").await;
    assert!(matches!(api_error(blocked), ApiError::BotBlocked));
    fake.push_message(&user, "/start");
    bot.send_message(ChatId(user.id), "x").await.unwrap();
}

#[tokio::test]
async fn callback_queries_can_be_answered_once() {
    let (fake, bot) = setup().await;
    let user = started_user(&fake, &bot).await;
    let buttons = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Join", "join:7")]]);
    let sent = bot
        .send_message(ChatId(user.id), "Join?")
        .reply_markup(buttons)
        .await
        .unwrap();

    let id = fake.press_button(&user, sent.id.0 as i64, "Join").unwrap();
    let updates = bot.get_updates().offset(id as i32).await.unwrap();
    let UpdateKind::CallbackQuery(query) = &updates[0].kind else {
        panic!("expected a callback query, got {:?}", updates[0].kind);
    };
    assert_eq!(query.data.as_deref(), Some("join:7"));
    assert_eq!(query.from.id.0 as i64, user.id);
    let message = query.regular_message().expect("the message is included");
    assert_eq!((message.id, message.text()), (sent.id, Some("Join?")));

    let too_long = bot
        .answer_callback_query(query.id.clone())
        .text("x".repeat(201))
        .await;
    assert!(too_long.is_err());
    bot.answer_callback_query(query.id.clone())
        .text("Joined")
        .await
        .unwrap();
    let twice = bot
        .answer_callback_query(query.id.clone())
        .await
        .unwrap_err();
    assert!(twice.to_string().contains("query is too old"), "{twice}");

    assert!(fake.press_button(&user, sent.id.0 as i64, "Leave").is_err());
}

#[tokio::test]
async fn documents_are_uploaded_as_multipart() {
    let (fake, bot) = setup().await;
    let chat = ChatId(started_user(&fake, &bot).await.id);
    let file =
        InputFile::memory(b"date,title\n2026-01-01,Exam\n".to_vec()).file_name("deadlines.csv");
    let message = bot
        .send_document(chat, file)
        .caption("<b>Deadlines</b>")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap();
    let document = message.document().expect("a document message");
    assert_eq!(document.file_name.as_deref(), Some("deadlines.csv"));
    assert_eq!(message.caption(), Some("Deadlines"));

    let sent = fake
        .requests()
        .into_iter()
        .find(|r| r.method == "sendDocument")
        .unwrap();
    assert_eq!(sent.chat_id(), Some(chat.0));
    let (name, bytes) = sent.file("document").unwrap();
    assert_eq!(
        (name.as_str(), bytes.as_slice()),
        ("deadlines.csv", &b"date,title\n2026-01-01,Exam\n"[..])
    );

    let binary = InputFile::memory(vec![0u8, 159, 146, 150]).file_name("blob.bin");
    bot.send_document(chat, binary).await.unwrap();
    let sent = fake
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.method == "sendDocument")
        .unwrap();
    assert_eq!(sent.file("document").unwrap().1, [0u8, 159, 146, 150]);

    let long_caption = bot
        .send_document(chat, InputFile::memory(&b"x"[..]))
        .caption("c".repeat(1025))
        .await;
    assert!(
        api_error(long_caption)
            .to_string()
            .contains("caption is too long")
    );
}

#[tokio::test]
async fn group_chats() {
    let (fake, bot) = setup().await;
    let user = alice(&fake);
    fake.add_group_chat(-1_001_234_567_890, "Group 101");
    let id = fake.push_group_message(-1_001_234_567_890, &user, "/help@study_group_test_bot");
    let updates = bot.get_updates().offset(id as i32).await.unwrap();
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!("expected a message, got {:?}", updates[0].kind);
    };
    assert!(message.chat.is_supergroup());
    assert_eq!(message.chat.title(), Some("Group 101"));
    assert_eq!(message.entities().map(<[_]>::len), Some(1));

    let sent = bot.send_message(message.chat.id, "Help").await.unwrap();
    assert_eq!(
        fake.message(message.chat.id.0, sent.id.0 as i64)
            .unwrap()
            .text,
        "Help"
    );
    // Seen in a group only: no private chat with the bot.
    let private = bot.send_message(ChatId(user.id), "hi").await;
    assert!(
        api_error(private)
            .to_string()
            .contains("can't initiate conversation")
    );
}

#[tokio::test]
async fn commands_and_other_setup_methods() {
    let (fake, bot) = setup().await;
    let user = started_user(&fake, &bot).await;
    let command = |name: &str| teloxide::types::BotCommand::new(name, "does things");

    let invalid = bot.set_my_commands([command("Start")]).await;
    assert!(
        api_error(invalid)
            .to_string()
            .contains("BOT_COMMAND_INVALID")
    );
    bot.set_my_commands([command("start"), command("help")])
        .scope(teloxide::types::BotCommandScope::AllPrivateChats)
        .language_code("ru")
        .await
        .unwrap();
    let scope = json!({"type": "all_private_chats"});
    let commands = fake.my_commands(scope.clone(), Some("ru")).unwrap();
    assert_eq!(commands[1], ("help".to_owned(), "does things".to_owned()));
    assert!(fake.my_commands(scope, None).is_none());

    assert!(bot.get_webhook_info().await.unwrap().url.is_none());
    bot.delete_webhook().await.unwrap();
    bot.send_chat_action(ChatId(user.id), teloxide::types::ChatAction::Typing)
        .await
        .unwrap();
    let chat = bot.get_chat(ChatId(user.id)).await.unwrap();
    assert_eq!(chat.first_name(), Some("Alice"));
}

#[tokio::test]
async fn wrong_token_and_unknown_methods_are_rejected() {
    let (fake, _) = setup().await;
    let intruder = Bot::new("654321:wrong").set_api_url(fake.api_url().parse().unwrap());
    assert!(matches!(
        api_error(intruder.get_me().await),
        ApiError::InvalidToken
    ));

    let path = format!("/bot{BOT_TOKEN}/sendTelepathy");
    let (status, body) = raw_request(&fake, &path, "application/json", "{}").await;
    assert_eq!(status, 404);
    assert!(body.contains("Not Found"));

    // Form-encoded requests work too, and method names are case-insensitive.
    let user = alice(&fake);
    fake.push_message(&user, "hi");
    let path = format!("/bot{BOT_TOKEN}/sendmessage");
    let form = format!("chat_id={}&text=a+%26+b", user.id);
    let (status, _) = raw_request(&fake, &path, "application/x-www-form-urlencoded", &form).await;
    assert_eq!(status, 200);
    assert_eq!(fake.last_message(user.id).unwrap().text, "a & b");

    let statuses: Vec<(String, u16)> = fake
        .requests()
        .into_iter()
        .map(|r| (r.method, r.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("getMe".into(), 401),
            ("sendTelepathy".into(), 404),
            ("sendMessage".into(), 200)
        ]
    );
}

#[tokio::test]
async fn wait_for_reports_what_was_recorded() {
    let (fake, bot) = setup().await;
    let chat = ChatId(started_user(&fake, &bot).await.id);
    bot.send_message(chat, "first").await.unwrap();
    let error = fake
        .wait_for(0, Duration::from_millis(20), |r| r.text() == Some("never"))
        .await
        .unwrap_err();
    assert!(
        error.contains("sendMessage -> 200") && error.contains("\"first\""),
        "{error}"
    );
    let found = fake
        .wait_for_chat(chat.0, 0, SOON, |r| r.text() == Some("first"))
        .await
        .unwrap();
    assert_eq!(found.method, "sendMessage");
}

#[tokio::test]
async fn teloxide_dispatcher_round_trip() {
    let (fake, bot) = setup().await;
    let handler = Update::filter_message().endpoint(|bot: Bot, message: Message| async move {
        let echo = format!("echo: {}", message.text().unwrap_or_default());
        bot.send_message(message.chat.id, echo).await?;
        respond(())
    });
    let mut dispatcher = Dispatcher::builder(bot, handler).build();
    let shutdown = dispatcher.shutdown_token();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });
    fake.wait_until_polling(SOON).await.unwrap();

    let user = alice(&fake);
    let seq = fake.next_seq();
    let id = fake.push_message(&user, "hi");
    let reply = fake
        .wait_for(seq, SOON, |r| r.method == "sendMessage")
        .await
        .unwrap();
    assert_eq!(reply.text(), Some("echo: hi"));
    fake.wait_confirmed(id, SOON).await.unwrap();

    // The dispatcher only asked for messages, so Telegram never creates other kinds.
    let chat = json!({"id": user.id, "type": "private", "first_name": "Alice"});
    let edited = json!({"message_id": 1, "date": 0, "edit_date": 1, "chat": chat, "text": "x"});
    let edited = fake.push_raw(json!({"edited_message": edited}));
    assert!(fake.is_dropped(edited));
    fake.wait_confirmed(edited, SOON).await.unwrap();

    shutdown.shutdown().unwrap().await;
    tokio::time::timeout(SOON, running).await.unwrap().unwrap();
}

/// Escapes text for `parse_mode = "HTML"` the simple way.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

proptest! {
    #[test]
    fn escaped_text_is_accepted_with_the_same_visible_length(text in any::<String>()) {
        let parsed = parse_html(&escape(&text)).map_err(TestCaseError::fail)?;
        prop_assert_eq!(utf16_len(&parsed.text), utf16_len(&text));
        prop_assert_eq!(parsed.text, text);
        prop_assert!(parsed.entities.is_empty());
    }

    #[test]
    fn escaped_text_inside_tags_is_accepted(text in "[^\u{0}]{1,50}", tag in prop::sample::select(vec!["b", "i", "code", "u"])) {
        let parsed = parse_html(&format!("<{tag}>{}</{tag}>", escape(&text))).map_err(TestCaseError::fail)?;
        prop_assert_eq!(parsed.text, text);
    }
}

#[tokio::test]
async fn photos_and_documents_are_sent_again_by_file_id_and_unknown_ids_are_refused() {
    let (fake, bot) = setup().await;
    let user = started_user(&fake, &bot).await;
    let chat = ChatId(user.id);
    let photo_update = fake.push_photo(&user);
    let document_update = fake.push_document(&user, "tasks.txt", b"1. 2. 3.");
    let updates = bot.get_updates().offset(photo_update as i32).await.unwrap();
    let messages: Vec<&Message> = updates
        .iter()
        .filter_map(|u| match &u.kind {
            teloxide::types::UpdateKind::Message(m) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(updates.last().map(|u| u.id.0 as i64), Some(document_update));
    let sizes = messages[0].photo().expect("a photo message");
    assert_eq!(sizes.len(), 3);
    let largest = sizes
        .iter()
        .max_by_key(|s| s.width)
        .unwrap()
        .file
        .id
        .clone();
    let document = messages[1].document().expect("a document").file.id.clone();

    let sent = bot
        .send_photo(chat, InputFile::file_id(largest.clone()))
        .await
        .unwrap();
    assert_eq!(sent.photo().map(|p| p[0].file.id.clone()), Some(largest));
    let sent = bot
        .send_document(chat, InputFile::file_id(document.clone()))
        .await
        .unwrap();
    assert_eq!(sent.document().map(|d| d.file.id.clone()), Some(document));

    for unknown in [
        bot.send_photo(chat, InputFile::file_id("AgACunknown".to_owned().into()))
            .await
            .map(drop),
        bot.send_document(chat, InputFile::file_id("BQACunknown".to_owned().into()))
            .await
            .map(drop),
    ] {
        assert!(
            api_error(unknown)
                .to_string()
                .contains("wrong file identifier")
        );
    }
    let photos = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "sendPhoto")
        .count();
    assert_eq!(photos, 2);
}
