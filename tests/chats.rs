//! F13: the group's Telegram chat — binding it, following it to a supergroup, losing it when
//! the bot is removed, live queue and topic-list messages pressed by a crowd, chatter ignored,
//! posts spaced for Telegram's per-group limit. Through the fake Bot API, on SQLite and
//! PostgreSQL.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use futures::future::join_all;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use study_group_bot::chats::service;
use study_group_bot::notifications::{Kind, Text};
use study_group_bot::storage::entities::{groupchats, topicselections};
use study_group_bot::telegram::Locale;
use study_group_bot::telegram::callback::encode;
use study_group_bot::telegram::chats::{Action, render};
use support::app::{Backend, TestApp};
use support::fake_api::{FakeTelegram, Recorded};
use support::fixtures::{
    group_with_event, insert_queue, insert_topics, leader_with_group, log_count, members, positions,
};
use support::student::{HANDLING_TIMEOUT, Student};
use uuid::Uuid;

const BIND: &str = "✅ Привязать к моей группе";
const PUBLISH: &str = "📣 Опубликовать в чат";
const JOIN: &str = "Встать в очередь";
/// How long a live message may take to show the final state after the last press.
const SETTLE: Duration = Duration::from_secs(30);

/// A group chat the bot was added to by `by` (the bot's greeting handled).
async fn chat_with_bot(app: &TestApp, chat: i64, title: &str, by: &Student) {
    app.tg.add_group_chat(chat, title);
    let update = app.tg.add_bot_to_group(chat, &by.user);
    app.wait_handled(update).await;
}

/// `leader` sends /bind in `chat` and presses the confirmation: the chat is bound.
async fn bind(app: &TestApp, leader: &Student, chat: i64) {
    let prompt = leader.send_in_group(chat, "/bind").await;
    let message = prompt
        .0
        .iter()
        .find(|r| r.method == "sendMessage" && r.is_ok())
        .and_then(Recorded::message_id)
        .expect("the bot answers /bind in the chat");
    let (replies, answer) = leader.press_in_group(chat, message, BIND).await;
    assert!(!answer.alert, "{answer:?}");
    replies.expect_text_contains("Чат привязан к группе");
    assert_eq!(bound_chat(app, chat).await.map(|b| b.chat_id), Some(chat));
}

async fn bound_chat(app: &TestApp, chat: i64) -> Option<groupchats::Model> {
    groupchats::Entity::find()
        .filter(groupchats::Column::ChatId.eq(chat))
        .one(&app.db)
        .await
        .expect("query groupchats")
}

async fn binding_of_group(app: &TestApp, group: Uuid) -> Option<groupchats::Model> {
    groupchats::Entity::find()
        .filter(groupchats::Column::GroupId.eq(group))
        .one(&app.db)
        .await
        .expect("query groupchats")
}

/// The bot's newest message in `chat`.
fn last_bot_message(tg: &FakeTelegram, chat: i64) -> i64 {
    tg.requests_for_chat(chat)
        .iter()
        .rev()
        .filter(|r| r.method == "sendMessage" && r.is_ok())
        .find_map(Recorded::message_id)
        .expect("the bot posted to the chat")
}

/// `student` presses a button carrying `action` under message `message` of `chat` (as a
/// modified client could); returns the answer's text.
async fn forged_press(
    app: &TestApp,
    chat: i64,
    student: &Student,
    message: i64,
    action: &Action,
) -> String {
    let update = app
        .tg
        .push_group_callback(chat, &student.user, message, &encode(action));
    app.wait_handled(update).await;
    let query = app
        .tg
        .update(update)
        .and_then(|u| u["callback_query"]["id"].as_str().map(str::to_owned))
        .expect("a query id");
    app.tg
        .requests()
        .into_iter()
        .find(|r| {
            r.method == "answerCallbackQuery"
                && r.params["callback_query_id"].as_str() == Some(query.as_str())
        })
        .and_then(|r| r.params["text"].as_str().map(str::to_owned))
        .unwrap_or_else(|| {
            panic!(
                "press {update} not answered with a text:\n{}",
                app.tg.dump(0)
            )
        })
}

/// Requests the fake refused, other than long polls cut short.
fn api_errors(tg: &FakeTelegram) -> Vec<String> {
    tg.requests()
        .iter()
        .filter(|r| r.method != "getUpdates" && r.status != 200)
        .map(Recorded::summary)
        .collect()
}

/// Waits until live message `message` in `chat` shows exactly `expected` (HTML as sent).
async fn wait_for_text(tg: &FakeTelegram, chat: i64, message: i64, expected: &str) {
    let shown = |tg: &FakeTelegram| tg.message(chat, message).map(|m| m.raw_text);
    if shown(tg).as_deref() == Some(expected) {
        return;
    }
    let result = tg
        .wait_for(0, SETTLE, |r| {
            r.method == "editMessageText"
                && r.is_ok()
                && r.message_id() == Some(message)
                && r.params.get("text").and_then(|t| t.as_str()) == Some(expected)
        })
        .await;
    if let Err(err) = result {
        panic!(
            "live message never showed the final state; it shows {:?}\n{err}",
            shown(tg)
        );
    }
}

both_backends!(binding_and_its_refusals, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (leader, group) = leader_with_group(&app).await;
    let member = &members(&app, group, 1, "Иванов").await[0];
    let chat = -4_000_000_001;
    chat_with_bot(&app, chat, "ИВТ-21 чат", &leader).await;
    assert!(
        app.tg
            .last_message(chat)
            .is_some_and(|m| m.text.contains("/bind")),
        "the bot says how to bind when added"
    );

    // A member cannot bind; nothing changes and only they are told.
    let prompt = member.send_in_group(chat, "/bind").await;
    prompt.expect_text_contains("Привязать этот чат");
    let message = last_bot_message(&app.tg, chat);
    let (_, answer) = member.press_in_group(chat, message, BIND).await;
    assert!(answer.alert, "{answer:?}");
    assert!(
        answer
            .text
            .as_deref()
            .is_some_and(|t| t.contains("только староста")),
        "{answer:?}"
    );
    assert_eq!(bound_chat(&app, chat).await, None);

    // The leader binds; the reminders toggle is on the binding screen.
    let (replies, answer) = leader.press_in_group(chat, message, BIND).await;
    assert!(!answer.alert);
    replies.expect_text_contains("Чат привязан к группе <b>ИВТ-21</b>");
    let row = bound_chat(&app, chat).await.expect("bound");
    assert_eq!(
        (row.group_id, row.bound_by, row.post_reminders),
        (group, Some(leader.id()), false)
    );
    assert_eq!(log_count(&app, "groupchat.bind").await, 1);
    assert_eq!(
        service::posts_reminders(&app.db, group)
            .await
            .expect("query"),
        None
    );
    let (_, answer) = leader
        .press_in_group(chat, message, "🔔 Публиковать напоминания")
        .await;
    assert!(!answer.alert);
    assert_eq!(
        service::posts_reminders(&app.db, group)
            .await
            .expect("query"),
        Some(chat)
    );
    assert_eq!(log_count(&app, "groupchat.post_reminders").await, 1);
    // A member pressing the leader's buttons is refused.
    let (_, answer) = member
        .press_in_group(chat, message, "🔕 Без напоминаний в чате")
        .await;
    assert!(answer.alert);
    assert_eq!(
        service::posts_reminders(&app.db, group)
            .await
            .expect("query"),
        Some(chat)
    );

    // One group per chat: another group's leader sees the binding without buttons, and even a
    // (forged) bind press of theirs is refused.
    let other = app.student("Сидоров Пётр");
    let other_group = app.create_group(&other, "ПМИ-22").await;
    let shown = other.send_in_group(chat, "/bind").await;
    shown.expect_text_contains("Чат привязан к группе");
    assert!(
        shown.messages().iter().all(|m| m.reply_markup().is_none()),
        "a non-leader is shown the binding without buttons"
    );
    let answer = forged_press(&app, chat, &other, message, &Action::Bind).await;
    assert!(answer.contains("другой учебной группе"), "{answer}");
    let answer = forged_press(&app, chat, &other, message, &Action::Unbind).await;
    assert!(answer.contains("не привязан"), "{answer}");
    assert_eq!(
        bound_chat(&app, chat).await.map(|b| b.group_id),
        Some(group)
    );
    assert_eq!(binding_of_group(&app, other_group).await, None);

    // Re-binding replaces: the leader binds a new chat; the old one is free again.
    let new_chat = -4_000_000_003;
    chat_with_bot(&app, new_chat, "ИВТ-21 новый", &leader).await;
    bind(&app, &leader, new_chat).await;
    assert_eq!(
        binding_of_group(&app, group).await.map(|b| b.chat_id),
        Some(new_chat)
    );
    assert_eq!(bound_chat(&app, chat).await, None);
    assert_eq!(log_count(&app, "groupchat.bind").await, 2);

    // The bot removed from the chat: the binding goes, and the old button cannot bind.
    let removed = app.tg.remove_bot_from_group(new_chat, &leader.user);
    app.wait_handled(removed).await;
    assert_eq!(binding_of_group(&app, group).await, None);
    assert_eq!(log_count(&app, "groupchat.bot_removed").await, 1);
    let prompt = last_bot_message(&app.tg, new_chat);
    let answer = forged_press(&app, new_chat, &leader, prompt, &Action::Bind).await;
    assert!(answer.contains("Бота нет в этом чате"), "{answer}");
    assert_eq!(binding_of_group(&app, group).await, None);
});

both_backends!(
    supergroup_migration_is_followed,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let old_chat = -5_001;
        let new_chat = -1_005_000_000_001;
        chat_with_bot(&app, old_chat, "ИВТ-21", &leader).await;
        bind(&app, &leader, old_chat).await;

        let (first, second) = app.tg.migrate_group(old_chat, new_chat, &leader.user);
        for update in [first, second] {
            app.wait_handled(update).await;
        }
        assert_eq!(
            binding_of_group(&app, group).await.map(|b| b.chat_id),
            Some(new_chat)
        );
        assert_eq!(log_count(&app, "groupchat.migrate").await, 1);
        assert!(
            app.tg.requests_for_chat(new_chat).is_empty(),
            "service messages get no answer"
        );

        // Posts go to the supergroup.
        let txn = app.db.clone();
        let payload = Text::new("admin-broadcast-message").user("text", "Новое событие");
        let id = service::post_to_bound_chat(
            &txn,
            app.clock_now(),
            group,
            Kind::NewEvent,
            payload.into(),
        )
        .await
        .expect("post");
        assert!(id.is_some());
        app.wake_sender();
        app.tg
            .wait_for(0, Duration::from_secs(20), |r| {
                r.method == "sendMessage" && r.is_ok() && r.chat_id() == Some(new_chat)
            })
            .await
            .expect("posted to the supergroup");
        assert!(api_errors(&app.tg).is_empty(), "{:?}", api_errors(&app.tg));
    }
);

both_backends!(
    chatter_in_the_group_is_ignored,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let chat = -4_000_000_010;
        chat_with_bot(&app, chat, "ИВТ-21", &leader).await;
        bind(&app, &leader, chat).await;

        // Someone half-way through creating a group in private…
        let newcomer = app.student("Новиков Олег");
        newcomer.send("/start").await;
        newcomer
            .press("🚀 Создать группу")
            .await
            .expect_text_contains("название");
        let before = app.tg.requests_for_chat(chat).len();
        // …chats in the group: plain text, a menu button's text, a command for another bot.
        for text in [
            "ИВТ-99",
            "📅 События и Бронь",
            "❌ Отмена",
            "/start@other_bot",
            "/menu",
            "привет всем",
        ] {
            let replies = newcomer.send_in_group(chat, text).await;
            assert!(
                replies.messages().is_empty(),
                "{text:?} got {:?}",
                replies.0
            );
            let replies = leader.send_in_group(chat, text).await;
            assert!(
                replies.messages().is_empty(),
                "{text:?} got {:?}",
                replies.0
            );
        }
        assert_eq!(
            app.tg.requests_for_chat(chat).len(),
            before,
            "nothing sent to the chat"
        );
        assert!(
            app.tg.reply_keyboard(chat).is_none(),
            "never a reply keyboard in a group"
        );
        // The private form is untouched: the next private message is the group's name.
        newcomer
            .send("ПМИ-22")
            .await
            .expect_text_contains("успешно создана");
        // The group's commands still work in the chat, with no private data.
        let help = newcomer
            .send_in_group(chat, "/help@study_group_test_bot")
            .await;
        help.expect_text_contains("/bind");
        assert!(app.tg.reply_keyboard(chat).is_none());
        let _ = group;
    }
);

both_backends!(
    a_live_queue_survives_a_crowd,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, event) = group_with_event(&app, "Лабораторная 3").await;
        let queue = insert_queue(&app, event, "Защита лаб").await;
        let chat = -4_000_000_020;
        chat_with_bot(&app, chat, "ИВТ-21", &leader).await;
        bind(&app, &leader, chat).await;
        let crowd = members(&app, group, 60, "Участник").await;
        let other_group_leader = app.student("Чужой Лидер");
        let other_group = app.create_group(&other_group_leader, "ПМИ-22").await;
        let mut outsiders = members(&app, other_group, 2, "Чужой").await;
        for i in 0..2 {
            let stranger = app.student(&format!("Прохожий{i} Гость"));
            stranger.send("/start").await;
            outsiders.push(stranger);
        }
        outsiders.push(app.student("Незнакомец Без Бота")); // never wrote to the bot

        // The leader publishes the queue from its screen.
        leader
            .forge_callback(&encode(&study_group_bot::telegram::queues::Action::Open {
                queue,
            }))
            .await;
        let (_, toast) = leader.click_button_toast(PUBLISH).await;
        assert!(toast.is_some_and(|t| t.contains("Опубликовано")));
        let message = last_bot_message(&app.tg, chat);
        let posted = app.tg.message(chat, message).expect("the live message");
        assert!(posted.text.contains("Защита лаб"), "{}", posted.text);
        assert!(
            posted
                .inline_buttons()
                .iter()
                .flatten()
                .any(|(t, _)| t == JOIN)
        );

        // 60 members and 5 outsiders press at once.
        let presses = crowd
            .iter()
            .chain(outsiders.iter())
            .map(|s| s.press_in_group(chat, message, JOIN));
        let answers: Vec<_> = join_all(presses)
            .await
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        let (member_answers, outsider_answers) = answers.split_at(crowd.len());
        let mut told: BTreeSet<i64> = BTreeSet::new();
        for answer in member_answers {
            assert!(!answer.alert, "{answer:?}");
            let text = answer.text.clone().unwrap_or_default();
            let position: i64 = text
                .strip_prefix("Вы ")
                .and_then(|t| t.strip_suffix("-й в очереди"))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("unexpected answer {text:?}"));
            told.insert(position);
        }
        assert_eq!(
            told,
            (1..=60).collect::<BTreeSet<_>>(),
            "each member told their own place"
        );
        for answer in outsider_answers {
            assert!(answer.alert, "{answer:?}");
            assert!(
                answer
                    .text
                    .as_deref()
                    .is_some_and(|t| t.contains("только для участников")),
                "{answer:?}"
            );
        }
        let stored = positions(&app, queue).await;
        assert_eq!(stored.len(), 60);
        let outsider_ids: BTreeSet<i64> = outsiders.iter().map(Student::id).collect();
        assert!(stored.iter().all(|(user, _)| !outsider_ids.contains(user)));

        // The message settles on exactly the final state, after a handful of edits.
        let state = study_group_bot::chats::live::queue_state(&app.db, queue)
            .await
            .expect("state")
            .expect("queue");
        let (expected, _) = render::queue(Locale::Ru, &state);
        wait_for_text(&app.tg, chat, message, &expected).await;
        let shown = app.tg.message(chat, message).expect("the live message");
        assert_eq!(shown.raw_text, expected);
        assert!(
            shown.edits >= 1 && shown.edits <= 10,
            "{} edits",
            shown.edits
        );
        println!("live queue: 65 presses, {} edits", shown.edits);
        assert!(api_errors(&app.tg).is_empty(), "{:#?}", api_errors(&app.tg));

        // A leave from the chat, and a leave in private, both refresh the message.
        let first_id = stored
            .iter()
            .find(|(_, position)| *position == 1)
            .expect("a first")
            .0;
        let second_id = stored
            .iter()
            .find(|(_, position)| *position == 2)
            .expect("a second")
            .0;
        let first = crowd.iter().find(|s| s.id() == first_id).expect("a member");
        let (_, answer) = first.press_in_group(chat, message, "Выйти").await;
        assert_eq!(answer.text.as_deref(), Some("Вы вышли из очереди"));
        let state = study_group_bot::chats::live::queue_state(&app.db, queue)
            .await
            .expect("state")
            .expect("queue");
        assert_eq!(state.names.len(), 59);
        let (expected, _) = render::queue(Locale::Ru, &state);
        wait_for_text(&app.tg, chat, message, &expected).await;
        assert!(api_errors(&app.tg).is_empty(), "{:#?}", api_errors(&app.tg));

        // The first left from the chat: the new first is told it is their turn.
        app.tg
            .wait_for_chat(second_id, 0, HANDLING_TIMEOUT, |r| {
                r.method == "sendMessage" && r.text().is_some_and(|t| t.contains("Ваша очередь!"))
            })
            .await
            .expect("the new first is told");

        // A leave in private refreshes the chat's message too.
        let leaver = crowd
            .iter()
            .find(|s| s.id() != first_id && s.id() != second_id)
            .expect("a member still in the queue");
        leaver
            .forge_callback(&encode(&study_group_bot::telegram::queues::Action::Leave {
                queue,
            }))
            .await;
        let state = study_group_bot::chats::live::queue_state(&app.db, queue)
            .await
            .expect("state")
            .expect("queue");
        assert_eq!(state.names.len(), 58);
        let (expected, _) = render::queue(Locale::Ru, &state);
        wait_for_text(&app.tg, chat, message, &expected).await;
        assert!(api_errors(&app.tg).is_empty(), "{:#?}", api_errors(&app.tg));
    }
);

both_backends!(
    a_live_topic_list_never_overfills,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, event) = group_with_event(&app, "Реферат").await;
        let (list, topic_ids) =
            insert_topics(&app, event, &["Тема А", "Тема Б", "Тема В"], 2).await;
        let chat = -4_000_000_030;
        chat_with_bot(&app, chat, "ИВТ-21", &leader).await;
        bind(&app, &leader, chat).await;
        let crowd = members(&app, group, 12, "Участник").await;
        let outsiders: Vec<Student> = (0..3)
            .map(|i| app.student(&format!("Прохожий{i} Гость")))
            .collect();

        leader
            .forge_callback(&encode(&study_group_bot::telegram::topics::Action::Open {
                list,
            }))
            .await;
        let (_, toast) = leader.click_button_toast(PUBLISH).await;
        assert!(toast.is_some_and(|t| t.contains("Опубликовано")));
        let message = last_bot_message(&app.tg, chat);

        // Everyone wants «Тема А» (2 places).
        let presses = crowd
            .iter()
            .chain(outsiders.iter())
            .map(|s| s.press_in_group(chat, message, "1. Тема А"));
        let answers: Vec<_> = join_all(presses)
            .await
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        let (member_answers, outsider_answers) = answers.split_at(crowd.len());
        let winners = member_answers
            .iter()
            .filter(|a| a.text.as_deref() == Some("Ваша тема: Тема А"))
            .count();
        let losers = member_answers
            .iter()
            .filter(|a| a.text.as_deref().is_some_and(|t| t.contains("уже занята")))
            .count();
        assert_eq!((winners, losers), (2, 10), "{member_answers:?}");
        assert!(member_answers.iter().all(|a| !a.alert));
        assert!(
            outsider_answers.iter().all(|a| a.alert),
            "{outsider_answers:?}"
        );
        let picks = topicselections::Entity::find()
            .filter(topicselections::Column::TopicId.eq(topic_ids[0]))
            .all(&app.db)
            .await
            .expect("picks");
        assert_eq!(picks.len(), 2, "never over capacity");

        let state = study_group_bot::chats::live::topics_state(&app.db, list)
            .await
            .expect("state")
            .expect("list");
        let (expected, _) = render::topics(Locale::Ru, &state);
        wait_for_text(&app.tg, chat, message, &expected).await;
        let shown = app.tg.message(chat, message).expect("the live message");
        assert!(
            shown
                .inline_buttons()
                .iter()
                .flatten()
                .all(|(t, _)| t != "1. Тема А"),
            "a full topic is no longer offered"
        );
        assert!(shown.edits <= 10, "{} edits", shown.edits);
        println!("live topics: 15 presses, {} edits", shown.edits);

        // A pick made in private refreshes the chat's message too.
        let loser = crowd
            .iter()
            .find(|s| !picks.iter().any(|p| p.user_id == s.id()))
            .expect("someone without a topic");
        loser
            .forge_callback(&encode(&study_group_bot::telegram::topics::Action::Pick {
                topic: topic_ids[1],
                page: 0,
            }))
            .await;
        let state = study_group_bot::chats::live::topics_state(&app.db, list)
            .await
            .expect("state")
            .expect("list");
        assert_eq!(state.topics[1].2, 1);
        let (expected, _) = render::topics(Locale::Ru, &state);
        wait_for_text(&app.tg, chat, message, &expected).await;
        assert!(api_errors(&app.tg).is_empty(), "{:#?}", api_errors(&app.tg));
    }
);

both_backends!(
    posts_to_the_chat_keep_the_group_limit,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let post = |text: &str| Text::new("admin-broadcast-message").user("text", text);
        // Not bound: nothing is written.
        let none = service::post_to_bound_chat(
            &app.db,
            app.clock_now(),
            group,
            Kind::NewEvent,
            post("x").into(),
        )
        .await
        .expect("post");
        assert_eq!(none, None);

        let chat = -4_000_000_040;
        chat_with_bot(&app, chat, "ИВТ-21", &leader).await;
        bind(&app, &leader, chat).await;
        app.tg.enforce_limits();
        let sends_before = app.tg.per_chat_send_times(chat).len();
        let txn = study_group_bot::storage::begin_write(&app.db)
            .await
            .expect("begin");
        for i in 0..3 {
            let id = service::post_to_bound_chat(
                &txn,
                app.clock_now(),
                group,
                Kind::Announcement,
                post(&format!("Объявление {i}")).into(),
            )
            .await
            .expect("post");
            assert!(id.is_some());
        }
        txn.commit().await.expect("commit");
        app.wake_sender();
        for i in 0..3 {
            let text = format!("Объявление {i}");
            app.tg
                .wait_for(0, Duration::from_secs(30), |r| {
                    r.method == "sendMessage"
                        && r.is_ok()
                        && r.text().is_some_and(|t| t.ends_with(&text))
                })
                .await
                .expect("every post is sent");
        }
        let times = app.tg.per_chat_send_times(chat);
        let posts = &times[sends_before..];
        assert_eq!(posts.len(), 3);
        for pair in posts.windows(2) {
            let gap = pair[1].duration_since(pair[0]);
            assert!(gap >= Duration::from_secs(3), "posts {gap:?} apart");
        }
        assert_eq!(app.tg.refused_by_limits(), 0);
        assert!(api_errors(&app.tg).is_empty(), "{:#?}", api_errors(&app.tg));
    }
);

both_backends!(
    a_deleted_event_takes_its_published_queue_with_it,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, event) = group_with_event(&app, "Лабораторная 3").await;
        let queue = insert_queue(&app, event, "Защита лаб").await;
        let chat = -1_000_000_000_419;
        chat_with_bot(&app, chat, "ИВТ-21", &leader).await;
        bind(&app, &leader, chat).await;
        let crowd = members(&app, group, 2, "Участник").await;
        leader
            .forge_callback(&encode(&study_group_bot::telegram::queues::Action::Open {
                queue,
            }))
            .await;
        leader.click_button_toast(PUBLISH).await;
        let message = last_bot_message(&app.tg, chat);
        for student in &crowd {
            let (_, answer) = student.press_in_group(chat, message, JOIN).await;
            assert!(!answer.alert, "{answer:?}");
        }

        // The leader deletes the event: the queue goes with it.
        leader
            .forge_callback(&encode(
                &study_group_bot::telegram::events::Action::DeleteConfirmed { event },
            ))
            .await
            .expect_all_accepted();
        assert!(positions(&app, queue).await.is_empty());

        // Its message in the chat says so, with no buttons left to press.
        let gone = render::gone(Locale::Ru, "chat-queue-gone").0;
        wait_for_text(&app.tg, chat, message, &gone).await;
        let shown = app.tg.message(chat, message).expect("the live message");
        assert!(shown.inline_buttons().iter().flatten().next().is_none());

        // Those who stood in it are told, naming the event.
        for student in &crowd {
            support::fixtures::wait_delivered(&app, student, "Событие «Лабораторная 3»").await;
        }
    }
);
