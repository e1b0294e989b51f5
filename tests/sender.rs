//! The elected sender: one instance at a time sends notices and edits live messages, from the
//! bot's one budget. A chat that must wait for its turn never holds back another chat's notice;
//! several instances on one PostgreSQL stay within Telegram's limits together; when the holder
//! dies another instance takes over and nothing is sent twice; a live message pressed through
//! both instances is edited by one of them, coalesced.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use study_group_bot::notifications::{Kind, Message, Text, outbox};
use study_group_bot::storage::entities::{outbox as outbox_rows, users};
use study_group_bot::telegram::Locale;
use study_group_bot::telegram::chats::render;
use support::app::{Backend, SHARED_SECRET, TestApp, WEBHOOK_PATH, webhook_mode_shared_secret};
use support::fake_api::Recorded;
use support::fixtures::{
    create_link, delivered, group_with_event, group_with_leader, insert_queue, members,
    wait_delivered,
};
use support::student::{HANDLING_TIMEOUT, Student};
use tokio::time::Instant;

const MEMBERS: &str = "👥 Участники группы";
const ANNOUNCE: &str = "📢 Объявление";
const SEND: &str = "✅ Отправить";

/// A notice with `text` (a broadcast's template around it).
fn say(text: &str) -> Text {
    Text::new("admin-broadcast-message").user("text", text)
}

/// Telegram posts update `update_id` to `instance`'s webhook (a load balancer's choice).
async fn post(instance: &TestApp, update_id: i64) {
    let update = instance.tg.update(update_id).expect("a pushed update");
    let addr = instance.http_addr.expect("started");
    let status = instance
        .tg
        .deliver_webhook(
            &format!("http://{addr}{WEBHOOK_PATH}"),
            SHARED_SECRET,
            &update,
        )
        .await;
    assert_eq!(status, 200, "update {update_id}");
}

/// The leader opens «📢 Объявление» and writes `text`: the preview with «Отправить» is shown.
async fn prepare_announcement(author: &Student, text: &str) {
    author.press(MEMBERS).await;
    author
        .click_button(ANNOUNCE)
        .await
        .expect_text_contains("Напишите объявление");
    author
        .send(text)
        .await
        .expect_text_contains("Так объявление увидят участники");
}

/// When Telegram accepted the message to `student` containing `needle`.
fn arrival(app: &TestApp, student: &Student, needle: &str) -> std::time::Instant {
    app.tg
        .requests_for_chat(student.id())
        .iter()
        .find(|r| {
            r.method == "sendMessage" && r.is_ok() && r.text().is_some_and(|t| t.contains(needle))
        })
        .map(|r| r.at)
        .unwrap_or_else(|| panic!("nothing with {needle:?} to {}", student.id()))
}

both_backends!(
    a_chats_backlog_does_not_hold_back_another_groups_announcement,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (busy_leader, _) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
        let (author, group) = group_with_leader(&app, "Смирнов Олег", "ПМИ-22").await;
        let readers = members(&app, group, 5, "ПМИ").await;
        prepare_announcement(&author, "Консультация переносится на среду").await;

        // One chat is owed 40 notices (as after 40 students joined its leader's group): at one
        // a second they take 40 s.
        let backlog = (0..40)
            .map(|i| {
                Message::now(
                    busy_leader.id(),
                    Kind::Notice,
                    say(&format!("Очередное уведомление №{i}")),
                )
            })
            .collect();
        outbox::enqueue(&app.db, app.clock_now(), backlog)
            .await
            .expect("backlog written");
        app.wake_sender();
        wait_delivered(&app, &busy_leader, "Очередное уведомление №1").await;

        let pressed = std::time::Instant::now();
        author
            .click_button(SEND)
            .await
            .expect_text_contains("Объявление отправлено: 5 участникам");
        for reader in &readers {
            wait_delivered(&app, reader, "Консультация переносится").await;
        }
        let last = readers
            .iter()
            .map(|r| arrival(&app, r, "Консультация переносится"))
            .max()
            .expect("readers");
        let waited = last.duration_since(pressed);
        assert!(
            waited < Duration::from_secs(5),
            "the announcement took {waited:?} behind another chat's backlog"
        );
        let backlog_sent = delivered(&app, &busy_leader, "Очередное уведомление");
        assert!(
            backlog_sent < 40,
            "the backlog was still being sent meanwhile ({backlog_sent} of 40)"
        );
        // The backlog keeps its pace: one a second to one chat.
        let times: Vec<std::time::Instant> = app
            .tg
            .requests_for_chat(busy_leader.id())
            .iter()
            .filter(|r| r.is_ok() && r.text().is_some_and(|t| t.contains("Очередное")))
            .map(|r| r.at)
            .collect();
        assert!(
            times
                .windows(2)
                .all(|w| w[1].duration_since(w[0]) >= Duration::from_secs(1)),
            "one a second to one chat"
        );
    }
);

/// The announcements sent by each group's members, by text.
fn announcements_to(app: &TestApp, student: &Student) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for r in app.tg.requests_for_chat(student.id()) {
        if r.method == "sendMessage"
            && r.is_ok()
            && let Some(text) = r.text()
            && text.contains("Объявление группы")
        {
            *seen.entry(text.to_owned()).or_insert(0) += 1;
        }
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_stay_within_one_budget_while_announcing_and_joining() {
    if !support::app::postgres_available() {
        return;
    }
    let mut a = TestApp::spawn(Backend::Postgres).await;
    // Three groups of 40 with an announcement each ready to send; a fourth group students
    // keep joining by its link (its leader is told of each join).
    let mut groups = Vec::new();
    for (k, name) in ["ИВТ-21", "ПМИ-22", "ФИЗ-23"].into_iter().enumerate() {
        let (leader, group) = group_with_leader(&a, &format!("Лидер{k} Группы"), name).await;
        let mut readers = Vec::new();
        for part in 0..4 {
            readers.extend(members(&a, group, 10, &format!("Г{k}-{part}")).await);
        }
        prepare_announcement(&leader, &format!("Объявление группы {name}")).await;
        groups.push((leader, readers));
    }
    let (host, _) = group_with_leader(&a, "Хозяин Группы", "ХИМ-24").await;
    let token = create_link(&host).await;
    let joiners: Vec<Student> = (0..20)
        .map(|i| a.student(&format!("Новичок{i} Студент")))
        .collect();
    futures::future::join_all(joiners.iter().map(|j| j.send("/start"))).await;
    // Their ФИО is known: a join is answered with one message.
    users::Entity::update_many()
        .col_expr(users::Column::HasFullName, Expr::value(true))
        .filter(users::Column::TelegramId.is_in(joiners.iter().map(Student::id)))
        .exec(&a.db)
        .await
        .expect("names marked");

    // Two instances behind a load balancer, on one database and one bot token.
    a.stop().await;
    a.reconfigure("a", webhook_mode_shared_secret);
    a.start().await;
    let b = a.beside("b", webhook_mode_shared_secret).await;
    let instances = [&a, &b];
    a.tg.enforce_limits();

    let announcing = async {
        for (k, (leader, _)) in groups.iter().enumerate() {
            let preview = leader.message_with_button(SEND).expect("the preview");
            let update =
                a.tg.press_button(&leader.user, preview.message_id, SEND)
                    .expect("press");
            post(instances[k % 2], update).await;
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    };
    // Students arrive two a second from just after the last «Отправить» on, while the
    // announcements go out: their answers (replies, not paced by the sender) and the leaders'
    // share the bot's 30 a second with the sender's 25.
    let joining = async {
        tokio::time::sleep(Duration::from_millis(800)).await;
        for (i, joiner) in joiners.iter().enumerate() {
            let update = a.tg.push_message(&joiner.user, &format!("/start {token}"));
            post(instances[(i + 1) % 2], update).await;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    };
    tokio::join!(announcing, joining);

    for joiner in &joiners {
        wait_delivered(&a, joiner, "Вы присоединились").await;
    }
    for (_, readers) in &groups {
        for reader in readers {
            let deadline = Instant::now() + HANDLING_TIMEOUT;
            while announcements_to(&a, reader).is_empty() {
                let seq = a.tg.next_seq();
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    let rows = outbox_rows::Entity::find()
                        .filter(outbox_rows::Column::ChatId.eq(reader.id()))
                        .all(&a.db)
                        .await
                        .expect("rows");
                    panic!(
                        "no announcement reached {}: rows {rows:#?}\nrequests {:#?}",
                        reader.id(),
                        a.tg.requests_for_chat(reader.id())
                            .iter()
                            .map(Recorded::summary)
                            .collect::<Vec<_>>()
                    );
                }
                let _ = a.tg.wait_for_chat(reader.id(), seq, left, |_| true).await;
            }
        }
    }
    wait_delivered(&a, &host, "новый участник").await;

    assert_eq!(
        a.tg.refused_by_limits(),
        0,
        "429s:\n{}",
        a.tg.requests()
            .iter()
            .filter(|r| r.status == 429)
            .map(Recorded::summary)
            .collect::<Vec<_>>()
            .join("\n")
    );
    for (_, readers) in &groups {
        for reader in readers {
            let got = announcements_to(&a, reader);
            assert_eq!(got.len(), 1, "{got:?}");
            assert!(got.values().all(|n| *n == 1), "exactly once: {got:?}");
        }
    }
    let rows = outbox_rows::Entity::find()
        .filter(outbox_rows::Column::Kind.eq("announcement"))
        .all(&a.db)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 120);
    assert!(rows.iter().all(|r| r.status == "sent"));
    // Notices came from the instance holding the role only.
    let sender = if a.is_sender() { "a" } else { "b" };
    let notices_via: std::collections::BTreeSet<_> = groups
        .iter()
        .flat_map(|(_, readers)| readers)
        .flat_map(|r| a.tg.requests_for_chat(r.id()))
        .filter(|r| r.text().is_some_and(|t| t.contains("Объявление группы")))
        .filter_map(|r| r.via().map(str::to_owned))
        .collect();
    assert_eq!(
        notices_via,
        std::iter::once(sender.to_owned()).collect(),
        "one sender"
    );
    let mut b = b;
    b.stop().await;
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_sender_dies_another_instance_takes_over_without_sending_twice() {
    if !support::app::postgres_available() {
        return;
    }
    let mut a = TestApp::spawn_with(Backend::Postgres, webhook_mode_shared_secret).await;
    a.wait_sender(Duration::from_secs(10)).await;
    let mut b = a.beside("b", webhook_mode_shared_secret).await;
    assert!(!b.is_sender(), "one holder at a time");
    let readers: Vec<Student> = (0..3)
        .map(|i| a.student(&format!("Читатель{i} Студент")))
        .collect();
    for reader in &readers {
        // They wrote to the bot once (the update itself is of no interest here).
        a.tg.push_message(&reader.user, "/start");
    }
    // Four notices to each of three chats: a chat takes one a second, so they need about
    // four seconds.
    let notices = readers
        .iter()
        .flat_map(|r| (0..4).map(move |n| (r.id(), n)))
        .map(|(chat, n)| Message::now(chat, Kind::Notice, say(&format!("Заметка {chat}-{n}"))))
        .collect();
    let since = a.tg.next_seq();
    outbox::enqueue(&a.db, a.clock_now(), notices)
        .await
        .expect("notices written");
    a.wake_sender();
    // The first round is out (one notice to each chat; each chat is busy for a second): the
    // holder dies.
    for reader in &readers {
        a.tg.wait_for(since, HANDLING_TIMEOUT, |r| {
            r.method == "sendMessage" && r.is_ok() && r.chat_id() == Some(reader.id())
        })
        .await
        .expect("the first notice");
    }
    a.kill();

    b.wait_sender(Duration::from_secs(15)).await;
    for reader in &readers {
        for n in 0..4 {
            wait_delivered(&b, reader, &format!("Заметка {}-{n}", reader.id())).await;
        }
    }
    for reader in &readers {
        for n in 0..4 {
            assert_eq!(
                delivered(&b, reader, &format!("Заметка {}-{n}", reader.id())),
                1,
                "exactly once"
            );
        }
    }
    let by_b =
        b.tg.requests_since(since)
            .iter()
            .filter(|r| r.method == "sendMessage" && r.via() == Some("b"))
            .count();
    assert!(by_b >= 1, "the standby sent what was left");
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_message_pressed_through_two_instances_is_edited_by_one() {
    if !support::app::postgres_available() {
        return;
    }
    let mut a = TestApp::spawn(Backend::Postgres).await;
    let (leader, group, event) = group_with_event(&a, "Лабораторная 3").await;
    let queue = insert_queue(&a, event, "Защита лаб").await;
    let chat = -4_000_000_077;
    a.tg.add_group_chat(chat, "ИВТ-21");
    let added = a.tg.add_bot_to_group(chat, &leader.user);
    a.wait_handled(added).await;
    let prompt = leader.send_in_group(chat, "/bind").await;
    let prompt = prompt
        .0
        .iter()
        .find(|r| r.method == "sendMessage" && r.is_ok())
        .and_then(Recorded::message_id)
        .expect("the bot answers /bind");
    leader
        .press_in_group(chat, prompt, "✅ Привязать к моей группе")
        .await;
    let crowd = members(&a, group, 16, "Участник").await;
    let latecomer = members(&a, group, 1, "Опоздавший").await.remove(0);
    leader
        .forge_callback(&study_group_bot::telegram::callback::encode(
            &study_group_bot::telegram::queues::Action::Open { queue },
        ))
        .await;
    leader.click_button_toast("📣 Опубликовать в чат").await;
    let message =
        a.tg.requests_for_chat(chat)
            .iter()
            .rev()
            .filter(|r| r.method == "sendMessage" && r.is_ok())
            .find_map(Recorded::message_id)
            .expect("the live message");

    a.stop().await;
    a.reconfigure("a", webhook_mode_shared_secret);
    a.start().await;
    a.wait_sender(Duration::from_secs(10)).await;
    let mut b = a.beside("b", webhook_mode_shared_secret).await;
    let since = a.tg.next_seq();
    // Everyone presses «Встать в очередь», half of the presses through each instance.
    let presses = crowd.iter().enumerate().map(|(i, student)| {
        let update =
            a.tg.press_group_button(chat, &student.user, message, "Встать в очередь")
                .expect("the button");
        post([&a, &b][i % 2], update)
    });
    futures::future::join_all(presses).await;

    // Every press answered (handled), then the state to show.
    let deadline = Instant::now() + HANDLING_TIMEOUT;
    loop {
        let seq = a.tg.next_seq();
        let answered =
            a.tg.requests_since(since)
                .iter()
                .filter(|r| r.method == "answerCallbackQuery")
                .count();
        if answered >= crowd.len() {
            break;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "{answered} of {} presses answered",
            crowd.len()
        );
        let _ =
            a.tg.wait_for(seq, left, |r| r.method == "answerCallbackQuery")
                .await;
    }
    let state = study_group_bot::chats::live::queue_state(&a.db, queue)
        .await
        .expect("state")
        .expect("queue");
    assert_eq!(state.names.len(), crowd.len());
    let (expected, _) = render::queue(Locale::Ru, &state);
    a.tg.wait_for(since, Duration::from_secs(30), |r| {
        r.method == "editMessageText"
            && r.is_ok()
            && r.message_id() == Some(message)
            && r.params.get("text").and_then(|t| t.as_str()) == Some(expected.as_str())
    })
    .await
    .expect("the live message shows the final state");
    let edits: Vec<Recorded> =
        a.tg.requests_since(since)
            .into_iter()
            .filter(|r| r.method == "editMessageText" && r.message_id() == Some(message))
            .collect();
    let editors: std::collections::BTreeSet<_> = edits.iter().filter_map(Recorded::via).collect();
    assert_eq!(
        editors,
        std::iter::once("a").collect(),
        "edited by the sender only"
    );
    assert!(
        edits.len() <= 8,
        "{} edits for {} presses: coalesced",
        edits.len(),
        crowd.len()
    );
    let shown = a.tg.message(chat, message).expect("the live message");
    assert_eq!(shown.raw_text, expected);

    // One more press, through the instance that does not edit: the sender hears of it at
    // once (NOTIFY), not at its 30-second sweep.
    let since = a.tg.next_seq();
    let update =
        a.tg.press_group_button(chat, &latecomer.user, message, "Встать в очередь")
            .expect("the button");
    post(&b, update).await;
    let edited =
        a.tg.wait_for(since, Duration::from_secs(10), |r| {
            r.method == "editMessageText"
                && r.is_ok()
                && r.message_id() == Some(message)
                && r.params
                    .get("text")
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| t.contains("Опоздавший"))
        })
        .await
        .expect("the latecomer shown");
    assert_eq!(edited.via(), Some("a"));
    b.stop().await;
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_written_beside_the_sender_is_sent_at_once() {
    if !support::app::postgres_available() {
        return;
    }
    let mut a = TestApp::spawn_with(Backend::Postgres, webhook_mode_shared_secret).await;
    a.wait_sender(Duration::from_secs(10)).await;
    let mut b = a.beside("b", webhook_mode_shared_secret).await;
    let reader = a.student("Читатель Студент");
    a.tg.push_message(&reader.user, "/start");
    // The sender is idle: nothing is due, so it would look again only after its idle poll
    // (30 s). The standby writes a notice and wakes the sender through the database.
    let quiet = Instant::now();
    outbox::enqueue(
        &b.db,
        b.clock_now(),
        vec![Message::now(
            reader.id(),
            Kind::Notice,
            say("С соседнего экземпляра"),
        )],
    )
    .await
    .expect("written");
    b.wake_sender();
    wait_delivered(&a, &reader, "С соседнего экземпляра").await;
    assert!(
        quiet.elapsed() < Duration::from_secs(5),
        "woken through NOTIFY, not by the idle poll ({:?})",
        quiet.elapsed()
    );
    let sent =
        a.tg.requests_for_chat(reader.id())
            .into_iter()
            .find(|r| r.method == "sendMessage" && r.is_ok())
            .expect("sent");
    assert_eq!(sent.via(), None, "by the sender (the first instance)");
    b.stop().await;
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queue_screen_moved_through_the_other_instance_is_edited_by_the_sender() {
    let mut a = TestApp::spawn(Backend::Postgres).await;
    let (leader, group, event) = group_with_event(&a, "Лабораторная 3").await;
    let queue = insert_queue(&a, event, "Защита лаб").await;
    let students = members(&a, group, 2, "Участник").await;
    for student in &students {
        support::fixtures::open_queue(student, queue).await;
        student
            .click_button("Встать в очередь")
            .await
            .expect_all_accepted();
    }
    let second = &students[1];
    let screen = second
        .message_with_button("Выйти из очереди")
        .expect("her queue screen")
        .message_id;
    support::fixtures::open_queue(&leader, queue).await;
    let next = leader
        .message_with_button("Следующий")
        .expect("the leader's queue screen")
        .message_id;

    a.stop().await;
    a.reconfigure("a", webhook_mode_shared_secret);
    a.start().await;
    a.wait_sender(Duration::from_secs(10)).await;
    let mut b = a.beside("b", webhook_mode_shared_secret).await;
    let since = a.tg.next_seq();
    // «Следующий» through the instance that does not edit: the second becomes first, and her
    // screen says so — edited by the sender, woken through the database.
    let update =
        a.tg.press_button(&leader.user, next, "Следующий")
            .expect("the button");
    post(&b, update).await;
    let edited =
        a.tg.wait_for(since, Duration::from_secs(10), |r| {
            r.method == "editMessageText"
                && r.is_ok()
                && r.chat_id() == Some(second.id())
                && r.message_id() == Some(screen)
                && r.text().is_some_and(|t| t.contains("👉 <b>1."))
        })
        .await
        .expect("her screen shows her first");
    assert_eq!(edited.via(), Some("a"));
    b.stop().await;
    a.stop().await;
}
