//! Several instances of the bot's binary on one PostgreSQL database, polling one fake Bot API:
//! they share the work (every instance handles the inbox), one of them polls (the others stand
//! by), and neither a SIGKILL, nor a second poller, nor a user's burst of messages makes an
//! update handled twice, lost, or handled out of order.
//!
//! PostgreSQL only: several processes on one SQLite file are not a supported set-up.

mod support;

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use study_group_bot::storage::entities::{groups, inbox};
use support::app::{Backend, TestApp};
use support::binary::BotProcess;
use support::fake_api::{FakeTelegram, Recorded};
use support::fixtures::{create_link, leader_with_group, log_count, members_of};
use support::handled::wait_handled;
use support::student::Student;

/// How long a test waits for the instances to handle everything.
const SETTLE: Duration = Duration::from_secs(30);

/// A test database with a group and its invitation link, and the bot that made them stopped:
/// the instances under test take over.
async fn group_and_link() -> (TestApp, String) {
    let mut app = TestApp::spawn(Backend::Postgres).await;
    let (leader, _group) = leader_with_group(&app).await;
    let token = create_link(&leader).await;
    app.stop().await;
    (app, token)
}

/// Starts an instance and waits until some instance polls (the first one started takes the
/// poller role; later ones stand by).
async fn start_instance(app: &TestApp, dir: &tempfile::TempDir) -> BotProcess {
    let bot = BotProcess::spawn(&app.tg, &app.database.url, dir.path());
    app.tg
        .wait_until_polling(SETTLE)
        .await
        .expect("an instance polls");
    bot
}

/// Starts another instance while one polls, and waits until it is up (it has told Telegram it
/// polls: `deleteWebhook`); it stands by for the poller role and handles the inbox meanwhile.
async fn start_standby(app: &TestApp, dir: &tempfile::TempDir) -> BotProcess {
    let since = app.tg.next_seq();
    let bot = BotProcess::spawn(&app.tg, &app.database.url, dir.path());
    app.tg
        .wait_for(since, SETTLE, |r| r.method == "deleteWebhook")
        .await
        .expect("the second instance started");
    bot
}

/// Waits until every update of `updates` is handled by some instance.
async fn wait_all_handled(app: &TestApp, updates: &[i64]) {
    for &update in updates {
        wait_handled(&app.db, update, SETTLE)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
    }
}

/// The successful messages the bot sent to `student` since `since`, in order.
fn texts_to(tg: &FakeTelegram, student: &Student, since: u64) -> Vec<String> {
    tg.requests_for_chat(student.id())
        .iter()
        .filter(|r| r.seq >= since && r.status == 200 && r.method == "sendMessage")
        .filter_map(|r| r.text().map(str::to_owned))
        .collect()
}

/// How many instances finished at least one of the inbox rows.
async fn instances_that_worked(app: &TestApp) -> usize {
    let rows = inbox::Entity::find()
        .filter(inbox::Column::DoneAt.is_not_null())
        .all(&app.db)
        .await
        .expect("inbox rows");
    rows.iter()
        .filter_map(|row| row.claimed_by.clone())
        .collect::<BTreeSet<_>>()
        .len()
}

/// `getUpdates` calls the fake refused with 409 Conflict (two pollers at once).
fn conflicts(tg: &FakeTelegram) -> usize {
    tg.requests()
        .iter()
        .filter(|r| r.method == "getUpdates" && r.status == 409)
        .count()
}

/// Waits until `condition` holds, looking every 20 ms.
async fn wait_until<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + SETTLE;
    while !condition().await {
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_killed_mid_load_loses_nothing_and_doubles_nothing() {
    if !support::app::postgres_available() {
        return;
    }
    let (app, token) = group_and_link().await;
    let group = groups::Entity::find()
        .one(&app.db)
        .await
        .expect("groups")
        .expect("the group")
        .id;
    let dir = tempfile::tempdir().expect("a working directory");
    let mut first = start_instance(&app, &dir).await;
    let second = start_standby(&app, &dir).await;

    // Eighty students join by the link and open the menu right after. Telegram is slow to
    // answer: the instances decide what they hold and wait with the answers delivered. Then
    // the polling instance dies with its updates in hand and the rest still to come.
    app.tg.hold_answers();
    let students: Vec<Student> = (0..80)
        .map(|i| app.student(&format!("Студент{i} Имя")))
        .collect();
    let since = app.tg.next_seq();
    let start = format!("/start {token}");
    let mut updates = Vec::new();
    for student in &students {
        updates.push(app.tg.push_message(&student.user, &start));
        updates.push(app.tg.push_message(&student.user, "/menu"));
    }
    let in_hand = || async {
        let rows = inbox::Entity::find()
            .filter(inbox::Column::DoneAt.is_null())
            .filter(inbox::Column::ClaimedBy.is_not_null())
            .all(&app.db)
            .await
            .expect("inbox");
        let answered = |row: &inbox::Model| {
            app.tg
                .requests_for_chat(row.actor)
                .iter()
                .any(|r| r.seq >= since && r.method == "sendMessage")
        };
        // Everything claimed is decided, and its answer has reached Telegram.
        !rows.is_empty()
            && rows
                .iter()
                .all(|row| row.handled_at.is_some() && answered(row))
    };
    wait_until("every update in hand decided and answered", in_hand).await;
    let decided = inbox::Entity::find()
        .filter(inbox::Column::HandledAt.is_not_null())
        .count(&app.db)
        .await
        .expect("count");
    first.kill();
    let killed_at = std::time::Instant::now();
    app.tg.release_answers();
    eprintln!(
        "killed with {decided} updates decided and answered, {} in all",
        updates.len()
    );

    wait_all_handled(&app, &updates).await;
    let last_answer = app
        .tg
        .requests_since(since)
        .iter()
        .filter(|r| r.method == "sendMessage" && r.status == 200)
        .map(|r| r.at)
        .max()
        .expect("answers");
    let takeover = last_answer.saturating_duration_since(killed_at);
    eprintln!("the last answer came {takeover:?} after the kill");
    assert!(
        takeover <= Duration::from_secs(10),
        "the last update was handled {takeover:?} after the kill"
    );

    // Every student joined once, heard it once, and got the menu once, after it.
    let joined = "Вы присоединились к группе «ИВТ-21»";
    assert_eq!(members_of(&app, group).await, 81);
    assert_eq!(log_count(&app, "member.join").await, 80);
    for student in &students {
        let texts = texts_to(&app.tg, student, since);
        let joins: Vec<usize> = positions(&texts, |t| t.contains(joined) || t.contains("уже"));
        let menus: Vec<usize> = positions(&texts, |t| t.contains("Вы участник группы"));
        assert_eq!(joins.len(), 1, "{}: {texts:#?}", student.id());
        assert_eq!(menus.len(), 1, "{}: {texts:#?}", student.id());
        assert!(joins[0] < menus[0], "{}: {texts:#?}", student.id());
    }
    let unfinished = inbox::Entity::find()
        .filter(inbox::Column::DoneAt.is_null())
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(unfinished, 0);
    assert!(second.stop().await.success(), "a graceful stop");
}

/// The indexes of the texts that `pred` accepts.
fn positions(texts: &[String], pred: impl Fn(&str) -> bool) -> Vec<usize> {
    texts
        .iter()
        .enumerate()
        .filter(|(_, t)| pred(t))
        .map(|(i, _)| i)
        .collect()
}

/// The successful messages since `since` containing `needle`.
fn texts_after(tg: &FakeTelegram, since: u64, needle: &str) -> Vec<Recorded> {
    tg.requests_since(since)
        .into_iter()
        .filter(|r| r.status == 200 && r.text().is_some_and(|t| t.contains(needle)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_users_rapid_messages_are_handled_in_order_across_instances() {
    if !support::app::postgres_available() {
        return;
    }
    let mut app = TestApp::spawn(Backend::Postgres).await;
    app.stop().await;
    let dir = tempfile::tempdir().expect("a working directory");
    let first = start_instance(&app, &dir).await;
    let second = start_standby(&app, &dir).await;

    // Each student sends four messages in a row, as fast as Telegram delivers them: the menu
    // at the end must not overtake the group's name (it would leave the form unfinished). More
    // students than one instance takes at once, so both take some.
    let students: Vec<Student> = (0..150)
        .map(|i| app.student(&format!("Староста{i} Имя")))
        .collect();
    let since = app.tg.next_seq();
    let mut updates = Vec::new();
    for (i, student) in students.iter().enumerate() {
        for text in [
            "/start",
            "🚀 Создать группу",
            &format!("Группа-{i}"),
            "/menu",
        ] {
            updates.push(app.tg.push_message(&student.user, text));
        }
    }
    wait_all_handled(&app, &updates).await;

    let created = groups::Entity::find()
        .all(&app.db)
        .await
        .expect("groups")
        .into_iter()
        .map(|group| group.name)
        .collect::<BTreeSet<_>>();
    for (i, student) in students.iter().enumerate() {
        let name = format!("Группа-{i}");
        assert!(created.contains(&name), "{name} was never created");
        let texts = texts_to(&app.tg, student, since);
        let at = |needle: &str| {
            texts
                .iter()
                .position(|t| t.contains(needle))
                .unwrap_or_else(|| panic!("{}: no {needle:?} in {texts:#?}", student.id()))
        };
        let order = [
            at("Добро пожаловать"),
            at("Введите название"),
            at(&format!("Группа «{name}» успешно создана")),
        ];
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "{}: answers out of order: {texts:#?}",
            student.id()
        );
        assert_eq!(
            texts.len(),
            4,
            "{}: one answer per message: {texts:#?}",
            student.id()
        );
    }
    assert_eq!(
        instances_that_worked(&app).await,
        2,
        "both instances handled updates"
    );
    assert_eq!(conflicts(&app.tg), 0, "one poller at a time");
    assert!(first.stop().await.success());
    assert!(second.stop().await.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_poller_stands_by_and_takes_over_without_answering_twice() {
    if !support::app::postgres_available() {
        return;
    }
    let (app, token) = group_and_link().await;
    let dir = tempfile::tempdir().expect("a working directory");
    let first = start_instance(&app, &dir).await;

    // A rolling restart: a new instance starts while the old one is busy, then the old one is
    // stopped; students keep writing throughout.
    let students: Vec<Student> = (0..80)
        .map(|i| app.student(&format!("Студент{i} Имя")))
        .collect();
    let since = app.tg.next_seq();
    let start = format!("/start {token}");
    let mut updates: Vec<i64> = students[..40]
        .iter()
        .map(|s| app.tg.push_message(&s.user, &start))
        .collect();
    let second = BotProcess::spawn(&app.tg, &app.database.url, dir.path());
    assert!(first.stop().await.success(), "a graceful stop");
    updates.extend(
        students[40..]
            .iter()
            .map(|s| app.tg.push_message(&s.user, &start)),
    );
    wait_all_handled(&app, &updates).await;

    let joined = "Вы присоединились к группе «ИВТ-21»";
    let mut answers: HashMap<i64, usize> = HashMap::new();
    for r in texts_after(&app.tg, since, joined) {
        *answers.entry(r.chat_id().unwrap_or_default()).or_default() += 1;
    }
    for student in &students {
        assert_eq!(
            answers.get(&student.id()).copied(),
            Some(1),
            "{} answered once",
            student.id()
        );
    }
    assert_eq!(log_count(&app, "member.join").await, 80);
    // The old poller, stopping, leaves its long poll and confirms its last batch with a short
    // `getUpdates`; Telegram may answer the abandoned poll 409, to nobody. Beyond that one, no
    // two polls ever overlapped.
    assert!(
        conflicts(&app.tg) <= 1,
        "the second poller waited for the first: {} conflicts",
        conflicts(&app.tg)
    );
    assert!(second.stop().await.success());
}
