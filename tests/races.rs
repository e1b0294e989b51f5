//! Races: many students pressing at the same moment — queue joins and leaves, the last places
//! of a topic, one invite link contested by many — on SQLite and PostgreSQL, through the fake
//! Bot API. Each test fires the presses together (`join_all`) and then checks the database and
//! what every student was told.

mod support;

use std::collections::BTreeSet;

use futures::future::join_all;
use support::app::{Backend, TestApp};
use support::student::Student;
use uuid::Uuid;

mod queues {
    use super::*;
    use chrono::Utc;
    use sea_orm::{
        ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
        QueryOrder,
    };
    use study_group_bot::members::Role;
    use study_group_bot::queues::Action;
    use study_group_bot::storage::entities::{changelog, events, queueparticipants, queues};
    use study_group_bot::telegram::callback::encode;

    async fn log_count(app: &TestApp, action: &str) -> u64 {
        changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq(action))
            .count(&app.db)
            .await
            .expect("changelog")
    }

    const JOIN: &str = "Встать в очередь";
    const LEAVE: &str = "Выйти из очереди";

    /// An event stored directly.
    async fn insert_event(app: &TestApp, group: Uuid, title: &str) -> Uuid {
        let id = Uuid::new_v4();
        events::ActiveModel {
            id: Set(id),
            group_id: Set(group),
            created_by_user_id: Set(None),
            title: Set(title.to_owned()),
            description: Set(None),
            subject: Set(None),
            event_date: Set(Utc::now().date_naive()),
            is_important: Set(false),
            created_at: Set(Utc::now()),
        }
        .insert(&app.db)
        .await
        .expect("event inserted");
        id
    }

    /// The leader attaches a queue through the event card's «➕ Очередь»: `title` (or the default
    /// for `None`), no description, `max` (or no limit). Returns the queue's id.
    async fn attach_queue(
        app: &TestApp,
        leader: &Student,
        event: Uuid,
        title: Option<&str>,
        max: Option<&str>,
    ) -> Uuid {
        leader
            .forge_callback(&encode(&study_group_bot::events::Action::Open { event }))
            .await
            .expect_all_accepted();
        leader
            .click_button("➕ Очередь")
            .await
            .expect_text_contains("Как её назвать");
        match title {
            Some(title) => leader.send(title).await,
            None => leader.click_button("Оставить «Очередь»").await,
        }
        .expect_text_contains("Описание очереди");
        leader.send("/skip").await.expect_text_contains("Максимум");
        leader
            .send(max.unwrap_or("/skip"))
            .await
            .expect_all_accepted()
            .expect_text_contains("создана");
        queues::Entity::find()
            .filter(queues::Column::EventId.eq(event))
            .order_by_desc(queues::Column::CreatedAt)
            .one(&app.db)
            .await
            .expect("query queues")
            .expect("the queue exists")
            .id
    }

    /// A group with a leader, an event and a queue on it.
    async fn group_with_queue(app: &TestApp, max: Option<&str>) -> (Student, Uuid, Uuid) {
        let leader = app.student("Петрова Анна");
        let group = app.create_group(&leader, "ИВТ-21").await;
        let event = insert_event(app, group, "Лабораторная 3").await;
        let queue = attach_queue(app, &leader, event, Some("Защита лаб"), max).await;
        (leader, group, queue)
    }

    /// Members of `group`, registered concurrently.
    async fn members(app: &TestApp, group: Uuid, n: usize, prefix: &str) -> Vec<Student> {
        let students: Vec<Student> = (0..n)
            .map(|i| app.student(&format!("{prefix} Студент{i}")))
            .collect();
        join_all(
            students
                .iter()
                .map(|s| app.add_member(group, s, Role::Member)),
        )
        .await;
        students
    }

    /// `student` opens the queue screen (as from the event card).
    async fn open(student: &Student, queue: Uuid) -> support::student::Replies {
        // Showing an unchanged screen again is Telegram's harmless "message is not modified".
        let replies = student
            .forge_callback(&encode(&Action::Open { queue }))
            .await;
        replies.expect_answered();
        replies
    }

    /// `(user_id, position)` by position.
    async fn positions(app: &TestApp, queue: Uuid) -> Vec<(i64, i32)> {
        queueparticipants::Entity::find()
            .filter(queueparticipants::Column::QueueId.eq(queue))
            .order_by_asc(queueparticipants::Column::Position)
            .all(&app.db)
            .await
            .expect("participants")
            .into_iter()
            .map(|p| (p.user_id, p.position))
            .collect()
    }

    #[track_caller]
    fn assert_gapless(rows: &[(i64, i32)], n: usize) {
        let places: Vec<i32> = rows.iter().map(|(_, p)| *p).collect();
        let expected: Vec<i32> = (1..=i32::try_from(n).expect("small")).collect();
        assert_eq!(places, expected, "positions are 1..={n}");
        let users: BTreeSet<i64> = rows.iter().map(|(u, _)| *u).collect();
        assert_eq!(users.len(), n, "nobody twice");
    }

    both_backends!(a_hundred_join_at_once, |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_leader, group, queue) = group_with_queue(&app, None).await;
        let students = members(&app, group, 100, "Толпа").await;
        join_all(students.iter().map(|s| open(s, queue))).await;

        let presses = join_all(students.iter().map(|s| s.click_button_toast(JOIN))).await;
        let mut told = BTreeSet::new();
        for (replies, toast) in &presses {
            replies.expect_all_accepted();
            let toast = toast.as_deref().unwrap_or_default();
            let number: i32 = toast
                .strip_prefix("Вы в очереди: №")
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("unexpected toast {toast:?}"));
            told.insert(number);
        }
        assert_eq!(told, (1..=100).collect::<BTreeSet<i32>>());
        let rows = positions(&app, queue).await;
        assert_gapless(&rows, 100);
        for ((replies, toast), student) in presses.iter().zip(&students) {
            let own = rows
                .iter()
                .find(|(u, _)| *u == student.id())
                .expect("in the queue");
            assert_eq!(
                toast.as_deref(),
                Some(format!("Вы в очереди: №{}", own.1).as_str())
            );
            let _ = replies;
        }
        assert_eq!(log_count(&app, "queue.join").await, 100);
    });

    both_backends!(
        joining_and_leaving_at_once_stays_gapless,
        |backend: Backend| async move {
            let app = TestApp::spawn(backend).await;
            let (_leader, group, queue) = group_with_queue(&app, None).await;
            let students = members(&app, group, 70, "Поток").await;
            join_all(students.iter().map(|s| open(s, queue))).await;
            let (stayers, joiners) = students.split_at(20);
            for s in stayers {
                s.click_button_toast(JOIN).await;
            }
            assert_gapless(&positions(&app, queue).await, 20);

            let leaving = stayers.iter().map(|s| s.click_button_toast(LEAVE));
            let joining = joiners.iter().map(|s| s.click_button_toast(JOIN));
            let (left, joined) = futures::join!(join_all(leaving), join_all(joining));
            for (replies, toast) in left.iter() {
                replies.expect_all_accepted();
                assert!(
                    toast.as_deref().unwrap_or_default().contains("вышли"),
                    "{toast:?}"
                );
            }
            for (replies, toast) in joined.iter() {
                replies.expect_all_accepted();
                assert!(
                    toast
                        .as_deref()
                        .unwrap_or_default()
                        .starts_with("Вы в очереди: №"),
                    "{toast:?}"
                );
            }
            let rows = positions(&app, queue).await;
            assert_gapless(&rows, 50);
            let in_queue: BTreeSet<i64> = rows.iter().map(|(u, _)| *u).collect();
            let expected: BTreeSet<i64> = joiners.iter().map(Student::id).collect();
            assert_eq!(in_queue, expected);
        }
    );

    both_backends!(
        a_full_queue_takes_exactly_its_maximum,
        |backend: Backend| async move {
            let app = TestApp::spawn(backend).await;
            let (_leader, group, queue) = group_with_queue(&app, Some("10")).await;
            let students = members(&app, group, 40, "Очередник").await;
            join_all(students.iter().map(|s| open(s, queue))).await;

            let presses = join_all(students.iter().map(|s| s.click_button_toast(JOIN))).await;
            let mut joined = 0;
            let mut full = 0;
            for (replies, toast) in &presses {
                replies.expect_all_accepted();
                let toast = toast.as_deref().unwrap_or_default();
                if toast.starts_with("Вы в очереди: №") {
                    joined += 1;
                } else if toast == "Очередь заполнена: 10 мест занято" {
                    full += 1;
                } else {
                    panic!("unexpected toast {toast:?}");
                }
            }
            assert_eq!((joined, full), (10, 30));
            assert_gapless(&positions(&app, queue).await, 10);
        }
    );

    both_backends!(a_double_press_is_one_entry, |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_leader, group, queue) = group_with_queue(&app, None).await;
        let students = members(&app, group, 1, "Торопыгин").await;
        let student = &students[0];
        open(student, queue).await;
        let presses = join_all([
            student.click_button_toast(JOIN),
            student.click_button_toast(JOIN),
        ])
        .await;
        let mut toasts: Vec<String> = presses
            .into_iter()
            .map(|(replies, toast)| {
                replies.expect_answered();
                toast.unwrap_or_default()
            })
            .collect();
        toasts.sort();
        assert_eq!(toasts, vec!["Вы в очереди: №1", "Вы уже в очереди: №1"]);
        assert_eq!(positions(&app, queue).await, vec![(student.id(), 1)]);
    });

    both_backends!(
        a_full_queue_under_churn_never_exceeds_its_maximum,
        |backend: Backend| async move {
            let app = TestApp::spawn(backend).await;
            let (_leader, group, queue) = group_with_queue(&app, Some("10")).await;
            let students = members(&app, group, 40, "Вертушка").await;
            join_all(students.iter().map(|s| open(s, queue))).await;
            let (inside, outside) = students.split_at(10);
            for s in inside {
                s.click_button_toast(JOIN).await;
            }
            assert_gapless(&positions(&app, queue).await, 10);

            // Ten leave while thirty press «Встать в очередь»: whoever is counted, never over ten.
            let leaving = inside.iter().map(|s| s.click_button_toast(LEAVE));
            let joining = outside.iter().map(|s| s.click_button_toast(JOIN));
            let (left, joined) = futures::join!(join_all(leaving), join_all(joining));
            for (replies, _) in left.iter().chain(&joined) {
                replies.expect_all_accepted();
            }
            let got_in = joined
                .iter()
                .filter(|(_, toast)| {
                    toast
                        .as_deref()
                        .is_some_and(|t| t.starts_with("Вы в очереди: №"))
                })
                .count();
            let rows = positions(&app, queue).await;
            assert!(rows.len() <= 10, "{} in a queue of 10", rows.len());
            assert_eq!(rows.len(), got_in, "everyone told «in» is in");
            assert_gapless(&rows, got_in);
            let in_queue: BTreeSet<i64> = rows.iter().map(|(u, _)| *u).collect();
            assert!(inside.iter().all(|s| !in_queue.contains(&s.id())));
        }
    );
}

mod topics {
    use super::*;
    use chrono::Utc;
    use sea_orm::{
        ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    };
    use study_group_bot::members::Role;
    use study_group_bot::storage::entities::{events, topiclists, topics, topicselections};
    use study_group_bot::telegram::callback::encode;
    use study_group_bot::topics::Action;

    async fn insert_event(app: &TestApp, group: Uuid, title: &str) -> Uuid {
        let id = Uuid::new_v4();
        events::ActiveModel {
            id: Set(id),
            group_id: Set(group),
            created_by_user_id: Set(None),
            title: Set(title.to_owned()),
            description: Set(None),
            subject: Set(None),
            event_date: Set(Utc::now().date_naive()),
            is_important: Set(false),
            created_at: Set(Utc::now()),
        }
        .insert(&app.db)
        .await
        .expect("event inserted");
        id
    }

    /// A leader with a group and an event «Семинар».
    async fn setup(app: &TestApp) -> (Student, Uuid, Uuid) {
        let leader = app.student("Петрова Анна");
        let group = app.create_group(&leader, "ИВТ-21").await;
        let event = insert_event(app, group, "Семинар").await;
        (leader, group, event)
    }

    async fn open_card(student: &Student, event: Uuid) {
        student
            .forge_callback(&encode(&study_group_bot::events::Action::Open { event }))
            .await
            .expect_all_accepted();
    }

    /// Walks the form up to the topics step.
    async fn start_list(leader: &Student, event: Uuid, title: &str, capacity: &str) {
        open_card(leader, event).await;
        leader
            .click_button("➕ Список тем")
            .await
            .expect_text_contains("название списка");
        leader
            .send(title)
            .await
            .expect_text_contains("Сколько студентов");
        leader
            .send(capacity)
            .await
            .expect_text_contains("по одной на строке");
    }

    async fn list_id(app: &TestApp, title: &str) -> Uuid {
        topiclists::Entity::find()
            .filter(topiclists::Column::Title.eq(title))
            .one(&app.db)
            .await
            .expect("query")
            .expect("the list exists")
            .id
    }

    /// Attaches a list through the bot; returns its id.
    async fn attach(
        app: &TestApp,
        leader: &Student,
        event: Uuid,
        title: &str,
        cap: &str,
        topics: &str,
    ) -> Uuid {
        start_list(leader, event, title, cap).await;
        leader
            .send(topics)
            .await
            .expect_all_accepted()
            .expect_text_contains("создан");
        list_id(app, title).await
    }

    async fn topic_ids(app: &TestApp, list: Uuid) -> Vec<Uuid> {
        topics::Entity::find()
            .filter(topics::Column::TopicListId.eq(list))
            .order_by_asc(topics::Column::Position)
            .all(&app.db)
            .await
            .expect("topics")
            .into_iter()
            .map(|t| t.id)
            .collect()
    }

    async fn picks(app: &TestApp) -> Vec<topicselections::Model> {
        topicselections::Entity::find()
            .all(&app.db)
            .await
            .expect("picks")
    }

    async fn members(app: &TestApp, group: Uuid, n: usize) -> Vec<Student> {
        let mut students = Vec::new();
        for i in 0..n {
            let student = app.student(&format!("Студент{i} Иван"));
            app.add_member(group, &student, Role::Member).await;
            students.push(student);
        }
        students
    }

    /// Every request the bot made was accepted; editing a screen into what it already shows
    /// (Telegram's "message is not modified", which the bot treats as done) is allowed.
    #[track_caller]
    fn accepted(reply: &support::student::Replies) {
        for request in &reply.0 {
            let benign = request
                .error
                .as_deref()
                .is_some_and(|e| e.contains("message is not modified"));
            assert!(
                request.status == 200 || benign,
                "Telegram rejected {} ({:?})",
                request.method,
                request.error
            );
        }
    }

    /// The toasts of every callback answer since `since`.
    fn toasts_since(app: &TestApp, since: u64) -> Vec<String> {
        app.tg
            .requests_since(since)
            .into_iter()
            .filter(|r| r.method == "answerCallbackQuery")
            .map(|r| {
                r.params
                    .get("text")
                    .and_then(|t| t.as_str())
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    fn pick_data(topic: Uuid) -> String {
        encode(&Action::Pick { topic, page: 0 })
    }

    both_backends!(fifty_students_one_place, |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, event) = setup(&app).await;
        let list = attach(
            &app,
            &leader,
            event,
            "Доклады",
            "1",
            "Единственная\nЗапасная",
        )
        .await;
        let topic = topic_ids(&app, list).await[0];
        let students = members(&app, group, 50).await;
        let data = pick_data(topic);
        let since = app.tg.next_seq();
        let replies = join_all(students.iter().map(|s| s.forge_callback(&data))).await;
        for reply in &replies {
            accepted(reply);
        }
        let toasts = toasts_since(&app, since);
        assert_eq!(toasts.len(), 50);
        let won = toasts.iter().filter(|t| t.contains("ваша")).count();
        let taken = toasts.iter().filter(|t| t.contains("занята")).count();
        assert_eq!((won, taken), (1, 49), "{toasts:?}");
        let stored = picks(&app).await;
        assert_eq!(stored.len(), 1);
    });

    both_backends!(thirty_students_two_places, |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, event) = setup(&app).await;
        let list = attach(&app, &leader, event, "Доклады", "2", "Популярная\nДругая").await;
        let topic = topic_ids(&app, list).await[0];
        let students = members(&app, group, 30).await;
        let data = pick_data(topic);
        let replies = join_all(students.iter().map(|s| s.forge_callback(&data))).await;
        for reply in &replies {
            accepted(reply);
        }
        let stored = picks(&app).await;
        assert_eq!(stored.len(), 2);
        assert!(stored.iter().all(|p| p.topic_id == topic));
    });

    both_backends!(switching_while_others_pick, |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, event) = setup(&app).await;
        let list = attach(&app, &leader, event, "Доклады", "2", "А\nБ\nВ\nГ").await;
        let topics = topic_ids(&app, list).await;
        let students = members(&app, group, 12).await;
        // Every student presses two different topics at once, in different orders.
        let presses = students.iter().enumerate().flat_map(|(i, s)| {
            let first = topics[i % 4];
            let second = topics[(i + 1) % 4];
            [(s, first), (s, second)]
        });
        let replies =
            join_all(presses.map(|(s, t)| async move { s.forge_callback(&pick_data(t)).await }))
                .await;
        for reply in &replies {
            accepted(reply);
        }
        let stored = picks(&app).await;
        for topic in &topics {
            assert!(stored.iter().filter(|p| p.topic_id == *topic).count() <= 2);
        }
        for student in &students {
            assert!(stored.iter().filter(|p| p.user_id == student.id()).count() <= 1);
        }
    });

    both_backends!(the_last_free_place_of_a_topic, |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, event) = setup(&app).await;
        let list = attach(&app, &leader, event, "Доклады", "3", "Последняя\nДругая").await;
        let topic = topic_ids(&app, list).await[0];
        let students = members(&app, group, 27).await;
        let data = pick_data(topic);
        // Two places are taken already; twenty-five students press for the third at once.
        for early in &students[..2] {
            accepted(&early.forge_callback(&data).await);
        }
        assert_eq!(picks(&app).await.len(), 2);
        let since = app.tg.next_seq();
        let replies = join_all(students[2..].iter().map(|s| s.forge_callback(&data))).await;
        for reply in &replies {
            accepted(reply);
        }
        let toasts = toasts_since(&app, since);
        assert_eq!(toasts.len(), 25);
        let won = toasts.iter().filter(|t| t.contains("ваша")).count();
        assert_eq!(won, 1, "{toasts:?}");
        let stored = picks(&app).await;
        assert_eq!(stored.len(), 3);
        assert!(stored.iter().all(|p| p.topic_id == topic));
    });
}

mod invites {
    use super::*;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use study_group_bot::storage::entities::{groupinvitations, groupmembers};
    use support::fake_api::BOT_USERNAME;

    /// The token of the link in `text` (`…?start=<token>`).
    fn token_in(text: &str) -> String {
        let (_, rest) = text
            .split_once("?start=")
            .unwrap_or_else(|| panic!("no invite link in {text:?}"));
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }

    fn link(token: &str) -> String {
        format!("https://t.me/{BOT_USERNAME}?start={token}")
    }

    /// `/invite` → «Создать ссылку» with the default options; the new link's token.
    async fn create_link(manager: &Student) -> String {
        manager
            .send("/invite")
            .await
            .expect_all_accepted()
            .expect_text_contains("Приглашение в группу");
        let replies = manager.click_button("Создать ссылку").await;
        replies
            .expect_all_accepted()
            .expect_text_contains("Ссылка-приглашение создана");
        let text = replies.last_text();
        let token = token_in(&text);
        assert!(
            text.contains(&format!("<code>{}</code>", link(&token))),
            "{text}"
        );
        token
    }

    /// `/invite` → «⬜ Одноразовая» → «Создать ссылку»; the new link's token.
    async fn create_single_use_link(manager: &Student) -> String {
        manager.send("/invite").await;
        manager
            .click_button("⬜ Одноразовая")
            .await
            .expect_text_contains("Одноразовая: по ссылке сможет вступить только один человек");
        let created = manager.click_button("Создать ссылку").await;
        created
            .expect_all_accepted()
            .expect_text_contains("Одноразовая: по ней сможет вступить только один человек");
        token_in(&created.last_text())
    }

    /// A group led by a new student; returns (leader, group id).
    async fn group_with_leader(app: &TestApp, leader: &str, group: &str) -> (Student, Uuid) {
        let leader = app.student(leader);
        let group_id = app.create_group(&leader, group).await;
        (leader, group_id)
    }

    async fn invite_row(app: &TestApp, token: &str) -> groupinvitations::Model {
        groupinvitations::Entity::find()
            .filter(groupinvitations::Column::InviteToken.eq(token))
            .one(&app.db)
            .await
            .expect("query invitations")
            .expect("the invitation is stored")
    }

    async fn members_of(app: &TestApp, group: Uuid) -> u64 {
        groupmembers::Entity::find()
            .filter(groupmembers::Column::GroupId.eq(group))
            .count(&app.db)
            .await
            .expect("count members")
    }

    async fn group_of(app: &TestApp, student: &Student) -> Option<Uuid> {
        groupmembers::Entity::find()
            .filter(groupmembers::Column::UserId.eq(student.id()))
            .one(&app.db)
            .await
            .expect("query membership")
            .map(|m| m.group_id)
    }

    /// Texts the bot sent to `chat` since `since`.
    fn texts_to(app: &TestApp, chat: i64, since: u64) -> Vec<String> {
        app.tg
            .requests_since(since)
            .iter()
            .filter(|r| r.is_ok() && r.method == "sendMessage" && r.chat_id() == Some(chat))
            .filter_map(|r| r.text().map(str::to_owned))
            .collect()
    }

    both_backends!(
        thirty_students_join_by_one_link_at_once,
        |backend: Backend| async move {
            let app = TestApp::spawn(backend).await;
            let (leader, group) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
            let token = create_link(&leader).await;
            let students: Vec<Student> = (0..30)
                .map(|i| app.student(&format!("Студент{i} Имя{i}")))
                .collect();
            // They have opened the bot before, so their presses reach the join together.
            join_all(students.iter().map(|s| s.send("/start"))).await;
            let since = app.tg.next_seq();

            let start = format!("/start {token}");
            let replies = join_all(students.iter().map(|s| s.send(&start))).await;

            for reply in &replies {
                reply
                    .expect_all_accepted()
                    .expect_text_contains("Вы присоединились к группе «ИВТ-21»");
            }
            assert_eq!(members_of(&app, group).await, 31);
            assert_eq!(invite_row(&app, &token).await.use_count, 30);
            // The notices go through the outbox at Telegram's pace for one chat (one a second).
            let count_told = || {
                texts_to(&app, leader.id(), since)
                    .iter()
                    .filter(|t| t.contains("присоединился"))
                    .count()
            };
            let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
            loop {
                let seq = app.tg.next_seq();
                if count_told() >= 30 || tokio::time::Instant::now() >= deadline {
                    break;
                }
                let _ = app
                    .tg
                    .wait_for_chat(leader.id(), seq, std::time::Duration::from_secs(5), |_| {
                        true
                    })
                    .await;
            }
            let told = texts_to(&app, leader.id(), since);
            let times = app.tg.per_chat_send_times(leader.id());
            assert!(
                times
                    .windows(2)
                    .rev()
                    .take(29)
                    .all(|w| w[1].duration_since(w[0]) >= std::time::Duration::from_secs(1)),
                "one a second"
            );
            assert_eq!(told.len(), 30, "the leader is told of each join");
            for i in 0..30 {
                let name = format!("Имя{i} Студент{i} ");
                assert!(told.iter().any(|t| t.contains(&name)), "{name}: {told:#?}");
            }
        }
    );

    both_backends!(
        a_single_use_link_admits_exactly_one_of_two_at_once,
        |backend: Backend| async move {
            let app = TestApp::spawn(backend).await;
            let (leader, group) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
            // Several links, each contested by two students pressing at the same moment.
            const LINKS: usize = 4;
            let mut tokens = Vec::new();
            for _ in 0..LINKS {
                tokens.push(create_single_use_link(&leader).await);
            }
            let students: Vec<Student> = (0..2 * LINKS)
                .map(|i| app.student(&format!("Студент{i} Имя{i}")))
                .collect();
            // They have opened the bot before, so their presses reach the join together.
            join_all(students.iter().map(|s| s.send("/start"))).await;

            let presses: Vec<String> = (0..2 * LINKS)
                .map(|i| format!("/start {}", tokens[i / 2]))
                .collect();
            let replies = join_all(students.iter().zip(&presses).map(|(s, p)| s.send(p))).await;

            let mut winners = vec![0; LINKS];
            for (i, reply) in replies.iter().enumerate() {
                reply.expect_all_accepted();
                let texts = reply.texts().join("\n");
                if texts.contains("Вы присоединились к группе «ИВТ-21»")
                {
                    winners[i / 2] += 1;
                } else {
                    assert!(
                        texts.contains("Эта одноразовая ссылка-приглашение уже использована"),
                        "{texts}"
                    );
                }
            }
            assert_eq!(winners, vec![1; LINKS], "exactly one student per link");
            assert_eq!(members_of(&app, group).await, 1 + LINKS as u64);
            for token in &tokens {
                let row = invite_row(&app, token).await;
                assert!(row.is_used);
                assert_eq!(row.use_count, 1);
            }
        }
    );

    both_backends!(
        twenty_contest_one_single_use_link,
        |backend: Backend| async move {
            let app = TestApp::spawn(backend).await;
            let (leader, group) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
            let token = create_single_use_link(&leader).await;
            let students: Vec<Student> = (0..20)
                .map(|i| app.student(&format!("Студент{i} Имя{i}")))
                .collect();
            join_all(students.iter().map(|s| s.send("/start"))).await;

            let start = format!("/start {token}");
            let replies = join_all(students.iter().map(|s| s.send(&start))).await;
            let mut joined = Vec::new();
            for (student, reply) in students.iter().zip(&replies) {
                reply.expect_all_accepted();
                let texts = reply.texts().join("\n");
                if texts.contains("Вы присоединились к группе «ИВТ-21»")
                {
                    joined.push(student.id());
                } else {
                    assert!(
                        texts.contains("Эта одноразовая ссылка-приглашение уже использована"),
                        "{texts}"
                    );
                }
            }
            assert_eq!(joined.len(), 1, "exactly one joins");
            assert_eq!(members_of(&app, group).await, 2);
            for student in &students {
                let member = group_of(&app, student).await == Some(group);
                assert_eq!(
                    member,
                    joined.contains(&student.id()),
                    "told and stored agree"
                );
            }
            let row = invite_row(&app, &token).await;
            assert!(row.is_used);
            assert_eq!(row.use_count, 1);
        }
    );
}
