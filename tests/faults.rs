//! Faults: the Bot API failing at random under a realistic load — dropped connections, 429
//! with `retry_after`, 500s — must neither lose a reply nor send one twice; and a bot killed
//! with SIGKILL in the middle of a load must, once restarted, handle every update exactly once
//! as far as the database goes. Randomness is seeded; the seed is printed (`FAULT_SEED=<n>`
//! repeats a run).

mod support;

use std::collections::{BTreeSet, HashMap};

use futures::future::join_all;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::inbox;
use study_group_bot::telegram::callback::encode;
use support::app::{Backend, TestApp};
use support::binary::BotProcess;
use support::fake_api::{FakeTelegram, Mix, RandomFaults, Recorded};
use support::fixtures::{
    attach_list, attach_queue, create_link, group_with_event, leader_with_group, log_count,
    members_of, picks, positions, topic_ids,
};
use support::student::{Replies, Student};
use uuid::Uuid;

const JOIN: &str = "Встать в очередь";
const LEAVE: &str = "Выйти из очереди";

/// Presses a button carrying `data` under the bot's message `message_id` (the newest message
/// sent to the student if `None`); what the bot sent to the chat and its answers to this press.
async fn press(
    student: &Student,
    tg: &FakeTelegram,
    message_id: Option<i64>,
    data: &str,
) -> Replies {
    let chat = student.id();
    let message_id = message_id.unwrap_or_else(|| {
        tg.requests_for_chat(chat)
            .iter()
            .rev()
            .filter(|r| r.status == 200 && r.method == "sendMessage")
            .find_map(Recorded::message_id)
            .expect("the bot has sent this student a message")
    });
    let since = tg.next_seq();
    let update_id = tg.push_callback(&student.user, message_id, data);
    let query_id = tg
        .update(update_id)
        .and_then(|u| u["callback_query"]["id"].as_str().map(str::to_owned))
        .expect("a callback query id");
    student.wait_handled(update_id).await;
    Replies(
        tg.requests_since(since)
            .into_iter()
            .filter(|r| {
                r.chat_id() == Some(chat)
                    || (r.method == "answerCallbackQuery"
                        && r.params["callback_query_id"].as_str() == Some(query_id.as_str()))
            })
            .collect(),
    )
}

/// Presses the inline button labelled `text` on the newest message showing it.
async fn click(student: &Student, tg: &FakeTelegram, text: &str) -> Replies {
    let message = student
        .message_with_button(text)
        .unwrap_or_else(|| panic!("{}: no button {text:?}", student.id()));
    let data = student.button_data(text);
    press(student, tg, Some(message.message_id), &data).await
}

/// The requests of a step that Telegram accepted.
fn delivered(replies: &Replies) -> Vec<&Recorded> {
    replies.0.iter().filter(|r| r.status == 200).collect()
}

/// A message step got exactly one accepted message matching `expected`.
#[track_caller]
fn one_message(replies: &Replies, expected: &str, who: i64) {
    let matching = delivered(replies)
        .into_iter()
        .filter(|r| r.method == "sendMessage" && r.text().is_some_and(|t| t.contains(expected)))
        .count();
    assert_eq!(matching, 1, "{who}: one message with {expected:?}");
}

/// A press was answered exactly once (accepted by Telegram); the answer's toast.
#[track_caller]
fn one_answer(replies: &Replies, who: i64) -> String {
    let answers: Vec<&Recorded> = delivered(replies)
        .into_iter()
        .filter(|r| r.method == "answerCallbackQuery")
        .collect();
    assert_eq!(answers.len(), 1, "{who}: one answer per press");
    answers[0]
        .params
        .get("text")
        .and_then(|t| t.as_str())
        .unwrap_or_default()
        .to_owned()
}

/// A screen step: answered once, and the screen (edited or sent) shows `expected`.
#[track_caller]
fn screen(replies: &Replies, expected: &str, who: i64) {
    one_answer(replies, who);
    let shown = delivered(replies).into_iter().any(|r| {
        matches!(r.method.as_str(), "editMessageText" | "sendMessage")
            && r.text().is_some_and(|t| t.contains(expected))
    });
    assert!(shown, "{who}: a screen with {expected:?}");
}

/// One student's session: menu, calendar, the event card, the queue (join; every other one
/// leaves again), a topic, the profile.
async fn session(
    tg: &FakeTelegram,
    student: &Student,
    i: usize,
    event: Uuid,
    queue: Uuid,
    topic: Uuid,
) -> bool {
    let who = student.id();
    let replies = student.send("/start").await;
    one_message(&replies, "", who);
    let replies = student.press("📅 События и Бронь").await;
    one_message(&replies, "Календарь группы", who);
    let open_event = encode(&study_group_bot::telegram::events::Action::Open { event });
    let replies = press(student, tg, None, &open_event).await;
    screen(&replies, "Лабораторная 3", who);
    let open_queue = encode(&study_group_bot::telegram::queues::Action::Open { queue });
    let replies = press(student, tg, None, &open_queue).await;
    screen(&replies, "Защита лаб", who);
    let replies = click(student, tg, JOIN).await;
    let toast = one_answer(&replies, who);
    assert!(toast.starts_with("Вы в очереди: №"), "{who}: {toast:?}");
    let leaves = i % 2 == 1;
    if leaves {
        let replies = click(student, tg, LEAVE).await;
        let toast = one_answer(&replies, who);
        assert!(toast.contains("вышли"), "{who}: {toast:?}");
    }
    let pick = encode(&study_group_bot::telegram::topics::Action::Pick { topic, page: 0 });
    let replies = press(student, tg, None, &pick).await;
    let toast = one_answer(&replies, who);
    assert!(toast.contains("ваша"), "{who}: {toast:?}");
    let replies = student.press("👤 Профиль").await;
    one_message(&replies, "Профиль", who);
    leaves
}

/// No chat received the same accepted message twice, and no press was answered twice.
fn assert_nothing_twice(tg: &FakeTelegram) {
    let mut messages: HashMap<(i64, String), usize> = HashMap::new();
    let mut answers: HashMap<String, usize> = HashMap::new();
    // Injected faults are unanswered (status 0), 429 or 500: the request took no effect.
    let took_effect = |r: &&Recorded| !matches!(r.status, 0 | 429 | 500);
    for request in tg.requests().iter().filter(took_effect) {
        match request.method.as_str() {
            "sendMessage" if request.status == 200 => {
                let key = (
                    request.chat_id().unwrap_or_default(),
                    request.text().unwrap_or_default().to_owned(),
                );
                *messages.entry(key).or_default() += 1;
            }
            "answerCallbackQuery" => {
                let id = request.params["callback_query_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                *answers.entry(id).or_default() += 1;
            }
            _ => {}
        }
    }
    let twice: Vec<_> = messages.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:#?}");
    assert!(answers.values().all(|n| *n == 1), "a press answered twice");
}

both_backends!(
    thirty_sessions_through_a_failing_bot_api,
    |backend: Backend| async move {
        let seed = support::fake_api::fault_seed();
        let app = TestApp::spawn(backend).await;
        let (leader, group, event) = group_with_event(&app, "Лабораторная 3").await;
        let queue = attach_queue(&app, &leader, event, Some("Защита лаб"), None).await;
        let lines: Vec<String> = (1..=30).map(|i| format!("Тема {i}")).collect();
        let list = attach_list(&app, &leader, event, "Доклады", "1", &lines.join("\n")).await;
        let topics = topic_ids(&app, list).await;
        let students: Vec<Student> = (0..30)
            .map(|i| app.student(&format!("Студент{i} Имя")))
            .collect();
        for s in &students {
            app.add_member(group, s, Role::Member).await;
        }
        let updates_before = inbox::Entity::find()
            .filter(inbox::Column::HandledAt.is_not_null())
            .count(&app.db)
            .await
            .expect("count");

        app.tg.inject_random_faults(RandomFaults {
            seed,
            rate: 0.08,
            methods: vec![
                "getUpdates",
                "sendMessage",
                "editMessageText",
                "answerCallbackQuery",
            ],
            max_server_errors: 1,
            max_timeouts: 0,
            max_per_request: 2,
            mix: Mix::Varied,
        });
        let left = join_all(
            students
                .iter()
                .enumerate()
                .map(|(i, s)| session(&app.tg, s, i, event, queue, topics[i])),
        )
        .await;
        let injected = app.tg.stop_random_faults();
        eprintln!("injected: {injected:?}");
        assert!(injected.total() >= 20, "faults were injected: {injected:?}");

        assert_nothing_twice(&app.tg);
        // Every update handled once: 7 or 8 per student.
        let sent = 30 * 7 + left.iter().filter(|l| **l).count() as u64;
        let handled = inbox::Entity::find()
            .filter(inbox::Column::HandledAt.is_not_null())
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(handled - updates_before, sent);
        // The database saw each change once.
        let rows = positions(&app, queue).await;
        let stayed: BTreeSet<i64> = students
            .iter()
            .zip(&left)
            .filter(|(_, left)| !**left)
            .map(|(s, _)| s.id())
            .collect();
        assert_eq!(
            rows.iter().map(|(u, _)| *u).collect::<BTreeSet<_>>(),
            stayed
        );
        let places: Vec<i32> = rows.iter().map(|(_, p)| *p).collect();
        assert_eq!(places, (1..=stayed.len() as i32).collect::<Vec<_>>());
        assert_eq!(log_count(&app, "queue.join").await, 30);
        assert_eq!(picks(&app).await.len(), 30);
    }
);

both_backends!(
    a_bot_killed_mid_load_loses_nothing_after_a_restart,
    |backend: Backend| async move {
        let seed = support::fake_api::fault_seed();
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
        let mut app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let token = create_link(&leader).await;
        app.stop().await;
        let tg = app.tg.clone();
        let dir = tempfile::tempdir().expect("a working directory");

        let mut bot = BotProcess::spawn(&tg, &app.database.url, dir.path());
        tg.wait_until_polling(std::time::Duration::from_secs(20))
            .await
            .expect("the binary polls");
        // Forty students join by the link at once; the bot is killed after a random number of
        // them have been answered.
        let students: Vec<Student> = (0..40)
            .map(|i| app.student(&format!("Студент{i} Имя")))
            .collect();
        let since = tg.next_seq();
        let start = format!("/start {token}");
        let updates: Vec<i64> = students
            .iter()
            .map(|s| tg.push_message(&s.user, &start))
            .collect();
        let kill_after = rand::Rng::random_range(&mut rng, 1..25usize);
        let joined_text = "Вы присоединились к группе «ИВТ-21»";
        let answered = |tg: &FakeTelegram| {
            tg.requests_since(since)
                .iter()
                .filter(|r| r.status == 200 && r.text().is_some_and(|t| t.contains(joined_text)))
                .count()
        };
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        while answered(&tg) < kill_after && tokio::time::Instant::now() < deadline {
            let seq = tg.next_seq();
            let _ = tg
                .wait_for(seq, std::time::Duration::from_millis(200), |_| true)
                .await;
        }
        bot.kill();
        let killed_wall = chrono::Utc::now();
        let before_restart = answered(&tg);
        eprintln!("killed after {before_restart} answers (aimed at {kill_after})");
        assert!(before_restart < 40, "killed mid-load");

        let bot = BotProcess::spawn(&tg, &app.database.url, dir.path());
        let last = *updates.last().expect("updates");
        for &update in &updates {
            support::handled::wait_handled(&app.db, update, std::time::Duration::from_secs(20))
                .await
                .expect("every update handled after the restart");
        }
        let confirmed = tg
            .wait_confirmed(last, std::time::Duration::from_secs(20))
            .await;
        assert!(bot.stop().await.success(), "a graceful stop");
        confirmed.expect("every update confirmed after the restart");

        // Every student is in the group once, joined once, and was answered.
        let db = &app.db;
        assert_eq!(members_of(&app, group).await, 41);
        assert_eq!(log_count(&app, "member.join").await, 40);
        let unhandled = inbox::Entity::find()
            .filter(inbox::Column::DoneAt.is_null())
            .count(db)
            .await
            .expect("count");
        assert_eq!(unhandled, 0, "every claimed update was finished");
        // Nobody hears the answer twice: an update whose change committed is never handled
        // again. An answer can be missing only if the bot was killed between that commit and
        // the answer reaching Telegram (no request can be both sent and recorded atomically);
        // the change itself was then made, before the kill.
        let mut unanswered = 0;
        for (student, &update) in students.iter().zip(&updates) {
            let answers = tg
                .requests_for_chat(student.id())
                .iter()
                .filter(|r| r.status == 200 && r.method == "sendMessage")
                .filter(|r| {
                    r.text()
                        .is_some_and(|t| t.contains(joined_text) || t.contains("уже"))
                })
                .count();
            assert!(answers <= 1, "{}: {answers} answers", student.id());
            if answers == 0 {
                let row = inbox::Entity::find_by_id(update)
                    .one(db)
                    .await
                    .expect("inbox")
                    .expect("stored");
                let decided = row.handled_at.expect("handled");
                assert!(
                    decided < killed_wall,
                    "{}: unanswered, though handled after the restart",
                    student.id()
                );
                unanswered += 1;
            }
        }
        eprintln!("unanswered (answer in flight at the kill): {unanswered}");
    }
);
