//! Races: many students pressing at the same moment — queue joins and leaves, the last places
//! of a topic, one invite link contested by many, one admin access code redeemed by many — on
//! SQLite and PostgreSQL, through the fake
//! Bot API. Each test fires the presses together (`join_all`) and then checks the database and
//! what every student was told.

mod support;

use std::collections::BTreeSet;

use futures::future::join_all;
use support::app::{Backend, TestApp};
use support::student::Student;

mod queues {
    use super::*;
    use support::fixtures::{group_with_queue, log_count, members, open_queue, positions};

    const JOIN: &str = "Встать в очередь";
    const LEAVE: &str = "Выйти из очереди";

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
        join_all(students.iter().map(|s| open_queue(s, queue))).await;

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
            join_all(students.iter().map(|s| open_queue(s, queue))).await;
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
            join_all(students.iter().map(|s| open_queue(s, queue))).await;

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
        open_queue(student, queue).await;
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
            join_all(students.iter().map(|s| open_queue(s, queue))).await;
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
    use support::fixtures::{attach_list, group_with_event, members, pick_data, picks, topic_ids};

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

    both_backends!(fifty_students_one_place, |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, event) = group_with_event(&app, "Семинар").await;
        let list = attach_list(
            &app,
            &leader,
            event,
            "Доклады",
            "1",
            "Единственная\nЗапасная",
        )
        .await;
        let topic = topic_ids(&app, list).await[0];
        let students = members(&app, group, 50, "Иван").await;
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
        let (leader, group, event) = group_with_event(&app, "Семинар").await;
        let list = attach_list(&app, &leader, event, "Доклады", "2", "Популярная\nДругая").await;
        let topic = topic_ids(&app, list).await[0];
        let students = members(&app, group, 30, "Иван").await;
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
        let (leader, group, event) = group_with_event(&app, "Семинар").await;
        let list = attach_list(&app, &leader, event, "Доклады", "2", "А\nБ\nВ\nГ").await;
        let topics = topic_ids(&app, list).await;
        let students = members(&app, group, 12, "Иван").await;
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
        let (leader, group, event) = group_with_event(&app, "Семинар").await;
        let list = attach_list(&app, &leader, event, "Доклады", "3", "Последняя\nДругая").await;
        let topic = topic_ids(&app, list).await[0];
        let students = members(&app, group, 27, "Иван").await;
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
    use support::fixtures::{
        create_link, create_single_use_link, group_of, group_with_leader, invite_row, members_of,
        texts_to,
    };

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
                    .filter(|t| t.contains("новый участник"))
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

mod access_codes {
    use super::*;
    use sea_orm::{EntityTrait, PaginatorTrait};
    use study_group_bot::admin::access;
    use study_group_bot::notifications::{Clock, SystemClock};
    use study_group_bot::storage::entities::admins;
    use support::fixtures::log_count;

    both_backends!(
        a_one_time_code_raced_makes_exactly_one_admin,
        |backend| async move {
            let app = TestApp::spawn(backend).await;
            let clock: std::sync::Arc<dyn Clock> = std::sync::Arc::new(SystemClock);
            let (_, code) = study_group_bot::uow::run(&app.db, &clock, None, |uow| {
                Box::pin(access::create_code(uow, true, None))
            })
            .await
            .expect("code created")
            .value;
            let students: Vec<Student> = (0..12)
                .map(|i| app.student(&format!("Гонщик {i}")))
                .collect();
            join_all(students.iter().map(|s| s.send("/start"))).await;
            let command = format!("/admin {}", code.expose());
            let replies = join_all(students.iter().map(|s| s.send(&command))).await;
            let told = |needle: &str| {
                replies
                    .iter()
                    .filter(|r| r.texts().iter().any(|t| t.contains(needle)))
                    .count()
            };
            assert_eq!(
                (told("Вы — администратор бота"), told("Код не подходит")),
                (1, 11)
            );
            assert_eq!(admins::Entity::find().count(&app.db).await.unwrap(), 1);
            assert_eq!(log_count(&app, "admin.redeem").await, 1);
        }
    );
}
