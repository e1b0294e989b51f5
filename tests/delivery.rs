//! Updates are handled exactly once: Telegram is told an update was received only after it was
//! handled, a redelivered update is not handled again, a graceful stop finishes what is in hand,
//! and Telegram's refusals (429, 403) are honoured.

mod support;

use sea_orm::EntityTrait;
use study_group_bot::storage::entities::users;
use support::app::{Backend, TestApp};
use support::fake_api::Failure;
use support::student::HANDLING_TIMEOUT;

both_backends!(
    a_redelivered_update_is_not_handled_twice,
    |backend: Backend| async move {
        let mut app = TestApp::spawn(backend).await;
        let leader = app.student("Петрова Анна");
        leader.press("🚀 Создать группу").await;
        let since = app.tg.next_seq();
        let name_update = app.tg.push_message(&leader.user, "ИВТ-21");
        app.wait_handled(name_update).await;
        assert_eq!(
            app.tg
                .requests_since(since)
                .iter()
                .filter(|r| r.method == "sendMessage")
                .count(),
            1
        );

        // The bot stops; Telegram never got the confirmation and delivers the update again.
        app.stop().await;
        app.tg.redeliver(name_update);
        let after_redelivery = app.tg.next_seq();
        app.start().await;

        leader.send("/help").await.expect_text_contains("/cancel");
        let texts: Vec<String> = app
            .tg
            .requests_since(after_redelivery)
            .iter()
            .filter(|r| r.method == "sendMessage" && r.chat_id() == Some(leader.id()))
            .filter_map(|r| r.text().map(str::to_owned))
            .collect();
        assert_eq!(texts.len(), 1, "only /help was answered: {texts:#?}");
        assert!(app.tg.confirmed_offset() > name_update);
    }
);

both_backends!(
    a_stop_finishes_the_update_in_hand_and_confirms_it,
    |backend: Backend| async move {
        let mut app = TestApp::spawn(backend).await;
        let student = app.student("Кузнецов Илья");
        // Telegram asks the bot to wait a second before its reply.
        app.tg.fail_next(
            "sendMessage",
            1,
            Failure::TooManyRequests { retry_after: 1 },
        );
        let since = app.tg.next_seq();
        let update = app.tg.push_message(&student.user, "/start");
        app.tg
            .wait_for_chat(student.id(), since, HANDLING_TIMEOUT, |r| r.status == 429)
            .await
            .unwrap();

        // SIGTERM arrives while the reply waits for retry_after.
        app.stop().await;

        let sent: Vec<_> = app
            .tg
            .requests_for_chat(student.id())
            .into_iter()
            .filter(|r| r.method == "sendMessage")
            .collect();
        assert_eq!(sent.len(), 2, "one refused, one delivered: {sent:#?}");
        assert_eq!((sent[0].status, sent[1].status), (429, 200));
        assert!(
            sent[1].at.duration_since(sent[0].at) >= std::time::Duration::from_secs(1),
            "retry_after was honoured"
        );
        assert!(
            sent[1]
                .text()
                .unwrap_or_default()
                .contains("Добро пожаловать")
        );
        assert!(
            app.tg.confirmed_offset() > update,
            "the handled update was confirmed before exit"
        );
    }
);

both_backends!(
    a_user_who_blocked_the_bot_is_marked_and_unmarked,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let student = app.student("Орлова Мария");
        app.tg.fail_next("sendMessage", 1, Failure::Forbidden);
        let replies = student.send("/start").await;
        assert_eq!(replies.0.iter().filter(|r| r.status == 403).count(), 1);
        let stored = users::Entity::find_by_id(student.id())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(stored.is_blocked, "a 403 marks the user");

        student
            .send("/start")
            .await
            .expect_all_accepted()
            .expect_text_contains("Добро пожаловать");
        let stored = users::Entity::find_by_id(student.id())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(!stored.is_blocked, "writing again unmarks them");
    }
);

both_backends!(
    updates_that_are_not_for_the_bot_are_confirmed_without_replies,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let student = app.student("Смирнова Ольга");
        student.send("/start").await;
        let since = app.tg.next_seq();
        // A sticker (no text) and an edited message: nothing to answer, nothing to crash on.
        let sticker = app.tg.push_raw(serde_json::json!({
            "message": {
                "message_id": 900, "date": 1_700_000_000,
                "chat": {"id": student.id(), "type": "private", "first_name": "Ольга"},
                "from": {"id": student.id(), "is_bot": false, "first_name": "Ольга"},
                "sticker": {"file_id": "x", "file_unique_id": "y", "type": "regular",
                            "width": 512, "height": 512, "is_animated": false, "is_video": false}
            }
        }));
        app.wait_handled(sticker).await;
        let replies = app.tg.requests_since(since);
        assert!(
            replies
                .iter()
                .all(|r| r.status == 200 || r.method == "getUpdates"),
            "{replies:#?}"
        );
        // The sticker gets the short hint, like any unknown input.
        assert!(
            replies
                .iter()
                .any(|r| r.method == "sendMessage"
                    && r.text().is_some_and(|t| t.contains("Не понимаю"))),
            "{replies:#?}"
        );
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_does_not_stop_the_bot() {
    use study_group_bot::telegram::{Ctx, HandlerError};
    use teloxide::prelude::*;

    let tg = support::fake_api::FakeTelegram::start().await;
    let database = support::app::TestDatabase::create(Backend::Sqlite).await;
    let api = tg.api_url().parse().expect("fake API URL");
    let config = study_group_bot::Config::for_tests(tg.token(), api, &database.url);
    // A handler tree with a bug: "boom" panics, anything else is echoed.
    let handler = Update::filter_message().endpoint(|ctx: Ctx, message: Message| async move {
        if message.text() == Some("boom") {
            panic!("a bug in a handler");
        }
        let echo = teloxide::payloads::SendMessage::new(message.chat.id, "echo");
        ctx.api.call(echo).await?;
        Ok::<(), HandlerError>(())
    });
    let app = study_group_bot::App::build_with(config, handler)
        .await
        .expect("the bot starts");
    let db = app.db().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));

    let student = support::student::Student::new(&tg, &db, "Иванов Иван");
    student
        .send("boom")
        .await
        .expect_all_accepted()
        .expect_text_contains("Временные неполадки");
    student.send("hello").await.expect_text_contains("echo");

    let _ = stop.send(());
    running
        .await
        .expect("the bot task did not panic")
        .expect("the bot stopped cleanly");
}
