//! Fair booking: a queue that opens at a set moment, a lottery of its first minutes, «🚶 Отошёл»
//! skipped by «Следующий», a no-show sent to the end. Through the fake Bot API, on SQLite and
//! PostgreSQL; the time is the test's `ManualClock`.

mod support;

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, DurationRound, Utc};
use futures::future::join_all;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{
    changelog, outbox, queueparticipants, queues, queueswaps,
};
use study_group_bot::telegram::callback::encode;
use study_group_bot::telegram::notifications::action::NotifyAction;
use study_group_bot::telegram::queues::Action;
use support::app::{Backend, TestApp};
use support::fixtures::{
    delivered, group_with_queue, log_count, members, open_queue, positions, set_timezone,
    wait_delivered, wait_delivered_times,
};
use support::student::Student;
use uuid::Uuid;

const JOIN: &str = "Встать в очередь";
const NEXT: &str = "Следующий";
const AWAY: &str = "🚶 Отошёл";
const BACK: &str = "✅ Вернулся";
const NO_SHOW: &str = "⏭ Не пришёл — в конец";
const ZONE: &str = "Asia/Tokyo";

/// `at` as the group (in [`ZONE`]) types and reads it.
fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Asia::Tokyo)
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// An opening moment `hours` ahead of the test's clock, on a whole minute.
fn opening_in(app: &TestApp, hours: i64) -> DateTime<Utc> {
    (app.clock_now() + Duration::hours(hours))
        .duration_trunc(Duration::minutes(1))
        .expect("truncates")
}

/// The leader sets a field of the queue through «✏️»: the edit menu, the field's button, then
/// `value` typed. Returns the replies to the typed value.
async fn edit_field(
    leader: &Student,
    queue: Uuid,
    button: &str,
    value: &str,
) -> support::student::Replies {
    open_queue(leader, queue).await;
    leader
        .click_button("✏️ Изменить")
        .await
        .expect_all_accepted();
    leader.click_button(button).await.expect_all_accepted();
    leader.send(value).await
}

async fn queue_row(app: &TestApp, queue: Uuid) -> queues::Model {
    queues::Entity::find_by_id(queue)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the queue exists")
}

/// «Фамилия Имя», as the queue names a student.
fn name(student: &Student) -> String {
    format!(
        "{} {}",
        student.user.last_name.as_deref().unwrap_or_default(),
        student.user.first_name
    )
}

/// The number after "№" in a toast such as «Вы в очереди: №3».
fn number_in(toast: &str) -> i32 {
    toast
        .rsplit('№')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no place in {toast:?}"))
}

both_backends!(
    forty_press_at_the_opening_second,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, queue) = group_with_queue(&app, None).await;
        set_timezone(&app, group, ZONE).await;
        let students = members(&app, group, 40, "Открытие").await;
        // One of them does not want to be told when a queue opens.
        let quiet = &students[0];
        open_queue(quiet, queue).await;
        let toggled = quiet
            .forge_callback(&encode(&NotifyAction::QueueOpening))
            .await;
        toggled.expect_all_accepted();
        assert!(
            toggled
                .button_texts()
                .contains(&"⬜ Очередь открылась".to_owned()),
            "{:?}",
            toggled.button_texts()
        );

        // Bad moments keep the step; a moment in the past is refused.
        let opens = opening_in(&app, 2);
        edit_field(&leader, queue, "🕒 Время открытия", "когда-нибудь")
            .await
            .expect_text_contains("Не понимаю дату и время");
        let past = local(app.clock_now() - Duration::hours(1));
        leader.send(&past).await.expect_text_contains("уже прошло");
        leader
            .send(&local(opens))
            .await
            .expect_all_accepted()
            .expect_text_contains("Очередь изменена")
            .expect_text_contains(&format!("Откроется {}", local(opens)));
        assert_eq!(queue_row(&app, queue).await.opens_at, Some(opens));
        assert_eq!(log_count(&app, "queue.edit").await, 1);

        // A student who joins the group afterwards is told too.
        let token = support::fixtures::create_link(&leader).await;
        let newcomer = app.student("Новикова Вера");
        newcomer
            .send(&format!("/start {token}"))
            .await
            .expect_text_contains("Вы присоединились");
        let opening_rows = |chat: i64| {
            outbox::Entity::find()
                .filter(outbox::Column::Kind.eq("queue_opening"))
                .filter(outbox::Column::ChatId.eq(chat))
                .all(&app.db)
        };
        assert_eq!(opening_rows(newcomer.id()).await.expect("outbox").len(), 1);

        // Everyone has the screen open; it says when the queue opens.
        for replies in join_all(students.iter().map(|s| open_queue(s, queue))).await {
            replies.expect_text_contains(&format!("Откроется {}", local(opens)));
        }

        // A second early: every press is refused and nobody stands in the queue.
        app.set_clock(opens - Duration::seconds(1));
        let early = join_all(students.iter().take(10).map(|s| s.click_button_toast(JOIN))).await;
        for (replies, toast) in &early {
            replies.expect_all_accepted();
            assert_eq!(
                toast.as_deref(),
                Some(format!("Очередь откроется {} — тогда и нажмите", local(opens)).as_str())
            );
        }
        assert!(positions(&app, queue).await.is_empty(), "nobody earlier");
        assert_eq!(log_count(&app, "queue.join").await, 0);

        // A member of another group cannot join it even with a forged button.
        let (_, stranger_group, _) = group_with_queue(&app, None).await;
        let stranger = app.student("Чужой Студент");
        app.add_member(stranger_group, &stranger, Role::Member)
            .await;
        let forged = stranger
            .forge_callback(&encode(&Action::Join { queue }))
            .await;
        assert!(
            forged
                .expect_answered()
                .unwrap_or_default()
                .contains("не найдена")
        );

        // The opening second: the whole group presses at once.
        app.set_clock(opens);
        let presses = join_all(students.iter().map(|s| s.click_button_toast(JOIN))).await;
        let mut told = BTreeSet::new();
        for (replies, toast) in &presses {
            replies.expect_all_accepted();
            let toast = toast.as_deref().unwrap_or_default();
            assert!(toast.starts_with("Вы в очереди: №"), "{toast:?}");
            told.insert(number_in(toast));
        }
        assert_eq!(told, (1..=40).collect::<BTreeSet<i32>>());
        let rows = positions(&app, queue).await;
        let places: Vec<i32> = rows.iter().map(|(_, p)| *p).collect();
        assert_eq!(places, (1..=40).collect::<Vec<i32>>(), "unique and gapless");
        // Each press was told the place the database gave it, in the order the presses
        // reached it; none was let in before the opening.
        for ((_, toast), student) in presses.iter().zip(&students) {
            let own = rows
                .iter()
                .find(|(u, _)| *u == student.id())
                .expect("in the queue");
            assert_eq!(number_in(toast.as_deref().unwrap_or_default()), own.1);
        }
        let joined = queueparticipants::Entity::find()
            .filter(queueparticipants::Column::QueueId.eq(queue))
            .all(&app.db)
            .await
            .expect("participants");
        assert!(joined.iter().all(|p| p.joined_at >= opens), "none earlier");
        assert_eq!(log_count(&app, "queue.join").await, 40);

        // Members are told it opened, at the opening; the one who turned it off is not.
        let told_opening = "Очередь «Защита лаб» открылась";
        for student in &students[1..4] {
            wait_delivered(&app, student, told_opening).await;
        }
        wait_delivered(&app, &leader, told_opening).await;
        // … naming the event.
        assert_eq!(
            delivered(&app, &leader, "можно вставать.\n📅 Лабораторная 3, "),
            1
        );
        let written = outbox::Entity::find()
            .filter(outbox::Column::Kind.eq("queue_opening"))
            .all(&app.db)
            .await
            .expect("outbox");
        assert!(written.iter().all(|row| row.chat_id != quiet.id()));
        assert!(written.iter().all(|row| row.due_at == opens));
        assert_eq!(delivered(&app, quiet, told_opening), 0);
        wait_delivered(&app, &newcomer, told_opening).await;
    }
);

/// The lottery's rule, computed here independently of the bot: SplitMix64 from the seed,
/// Fisher–Yates from the end.
fn draw(before: &[i64], seed: i64) -> Vec<i64> {
    let mut state = seed as u64;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut order = before.to_vec();
    for i in (1..order.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

both_backends!(
    a_lottery_is_reproducible_from_its_seed,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, queue) = group_with_queue(&app, None).await;
        set_timezone(&app, group, ZONE).await;

        // A lottery needs an opening to count its minutes from.
        edit_field(&leader, queue, "🎲 Жеребьёвка", "5")
            .await
            .expect_text_contains("Сначала задайте время открытия");
        leader.send("/cancel").await;
        let opens = opening_in(&app, 1);
        edit_field(&leader, queue, "🕒 Время открытия", &local(opens))
            .await
            .expect_text_contains("Очередь изменена");
        edit_field(&leader, queue, "🎲 Жеребьёвка", "0")
            .await
            .expect_text_contains("от 1 до 60");
        let draw_at = opens + Duration::minutes(5);
        leader
            .send("5")
            .await
            .expect_all_accepted()
            .expect_text_contains("разыгран случайно")
            .expect_text_contains(&local(draw_at));
        assert_eq!(queue_row(&app, queue).await.lottery_minutes, Some(5));

        let students = members(&app, group, 12, "Жребий").await;
        for replies in join_all(students.iter().map(|s| open_queue(s, queue))).await {
            replies
                .expect_all_accepted()
                .expect_text_contains("🎲 Жеребьёвка");
        }
        // Within the lottery's minutes: everyone is in the draw.
        app.set_clock(opens + Duration::minutes(1));
        let presses = join_all(students.iter().map(|s| s.click_button_toast(JOIN))).await;
        for (replies, toast) in &presses {
            replies.expect_all_accepted();
            assert_eq!(
                toast.as_deref(),
                Some(
                    format!(
                        "Вы в жеребьёвке: порядок будет разыгран в {}",
                        local(draw_at)
                    )
                    .as_str()
                )
            );
        }
        let pressed: Vec<i64> = positions(&app, queue)
            .await
            .into_iter()
            .map(|(u, _)| u)
            .collect();
        assert_eq!(pressed.len(), 12);
        assert_eq!(log_count(&app, "queue.draw").await, 0, "not drawn yet");

        // After the lottery's minutes the first look at the queue draws; later presses join at
        // the end.
        app.set_clock(draw_at + Duration::seconds(1));
        let late = app.student("Поздний Студент");
        app.add_member(group, &late, Role::Member).await;
        open_queue(&late, queue).await;
        let (_, toast) = late.click_button_toast(JOIN).await;
        assert_eq!(toast.as_deref(), Some("Вы в очереди: №13"));

        let logged = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("queue.draw"))
            .all(&app.db)
            .await
            .expect("changelog");
        assert_eq!(logged.len(), 1);
        let details: serde_json::Value = logged[0].details.clone().expect("details");
        let seed = details["seed"].as_i64().expect("a seed");
        let before: Vec<i64> = serde_json::from_value(details["before"].clone()).expect("before");
        let after: Vec<i64> = serde_json::from_value(details["after"].clone()).expect("after");
        assert_eq!(
            before, pressed,
            "the presses in the order they reached the database"
        );
        assert_eq!(
            draw(&before, seed),
            after,
            "the order follows from the seed"
        );
        let mut now: Vec<i64> = positions(&app, queue)
            .await
            .into_iter()
            .map(|(u, _)| u)
            .collect();
        assert_eq!(now.pop(), Some(late.id()), "the late press at the end");
        assert_eq!(now, after);
        assert_eq!(queue_row(&app, queue).await.lottery_seed, Some(seed));

        // Everyone drawn is told their place; nothing is drawn twice.
        let first = students
            .iter()
            .find(|s| s.id() == after[0])
            .expect("a student");
        wait_delivered(&app, first, "ваше место №1").await;
        let again = students[1]
            .forge_callback(&encode(&Action::Join { queue }))
            .await;
        assert!(
            again
                .expect_answered()
                .unwrap_or_default()
                .starts_with("Вы уже в очереди")
        );
        assert_eq!(log_count(&app, "queue.draw").await, 1);
    }
);

both_backends!(
    away_skipped_then_moved_to_the_end_and_back,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, queue) = group_with_queue(&app, None).await;
        let students = members(&app, group, 6, "Отошёл").await;
        for s in &students {
            open_queue(s, queue).await;
            s.click_button_toast(JOIN).await;
        }
        let (a, b, c, d, e, f) = (
            &students[0],
            &students[1],
            &students[2],
            &students[3],
            &students[4],
            &students[5],
        );
        let ids = |rows: Vec<(i64, i32)>| rows.into_iter().map(|(u, _)| u).collect::<Vec<_>>();

        // Only someone standing in the queue can step away.
        let outsider = app.student("Посторонний Студент");
        app.add_member(group, &outsider, Role::Member).await;
        open_queue(&outsider, queue).await;
        let forged = outsider
            .forge_callback(&encode(&Action::Away { queue, away: true }))
            .await;
        assert_eq!(
            forged.expect_answered().as_deref(),
            Some("Вас нет в этой очереди")
        );

        let (replies, toast) = a.click_button_toast(AWAY).await;
        assert_eq!(toast.as_deref(), Some("Вы отошли; место №1 сохраняется"));
        replies.expect_text_contains("🚶 нет на месте");
        assert_eq!(log_count(&app, "queue.away").await, 1);

        // «Следующий» skips A twice, keeping the place, and tells them.
        open_queue(&leader, queue).await;
        let (_, toast) = leader.click_button_toast(NEXT).await;
        assert!(toast.unwrap_or_default().contains(&name(b)), "B served");
        wait_delivered(&app, a, "Место сохранится ещё 2 хода").await;
        let (_, toast) = leader.click_button_toast(NEXT).await;
        assert!(toast.unwrap_or_default().contains(&name(c)), "C served");
        wait_delivered(&app, a, "Место сохранится ещё 1 ход").await;
        assert_eq!(
            ids(positions(&app, queue).await),
            vec![a.id(), d.id(), e.id(), f.id()]
        );

        // The third turn: D is served and A goes to the end.
        let (_, toast) = leader.click_button_toast(NEXT).await;
        assert!(toast.unwrap_or_default().contains(&name(d)), "D served");
        assert_eq!(
            ids(positions(&app, queue).await),
            vec![e.id(), f.id(), a.id()]
        );
        wait_delivered(&app, a, "перенесены в конец, теперь №3").await;

        // Back: not skipped any more.
        open_queue(a, queue).await;
        let (_, toast) = a.click_button_toast(BACK).await;
        assert_eq!(toast.as_deref(), Some("С возвращением! Ваше место: №3"));

        // A no-show: the leader sends the first (E) to the end instead of removing them.
        open_queue(&leader, queue).await;
        let first = queueparticipants::Entity::find()
            .filter(queueparticipants::Column::QueueId.eq(queue))
            .order_by_asc(queueparticipants::Column::Position)
            .one(&app.db)
            .await
            .expect("query")
            .expect("a first");
        let (_, toast) = leader.click_button_toast(NO_SHOW).await;
        assert_eq!(
            toast.as_deref(),
            Some(format!("{} теперь №3", name(e)).as_str())
        );
        assert_eq!(
            ids(positions(&app, queue).await),
            vec![f.id(), a.id(), e.id()]
        );
        wait_delivered(&app, e, "теперь вы №3").await;
        // A stale button (E is no longer first) and a member's forged one change nothing.
        let stale = leader
            .forge_callback(&encode(&Action::NoShow {
                participant: first.id,
            }))
            .await;
        assert!(
            stale
                .expect_answered()
                .unwrap_or_default()
                .contains("уже не первый")
        );
        let forged = f
            .forge_callback(&encode(&Action::NoShow {
                participant: first.id,
            }))
            .await;
        assert!(
            forged
                .expect_answered()
                .unwrap_or_default()
                .contains("недоступно")
        );
        assert_eq!(
            ids(positions(&app, queue).await),
            vec![f.id(), a.id(), e.id()]
        );

        // Everyone away: nobody to call.
        for s in [f, a, e] {
            open_queue(s, queue).await;
            s.click_button_toast(AWAY).await;
        }
        open_queue(&leader, queue).await;
        let (_, toast) = leader.click_button_toast(NEXT).await;
        assert_eq!(
            toast.as_deref(),
            Some("Все в очереди отошли — вызвать некого.")
        );
    }
);

const LEAVE: &str = "Выйти из очереди";
const SWAP: &str = "🔁 Поменяться";

/// `asker` asks `asked` (standing at `place`) to swap through the queue screen; `asked` opens
/// the request from the notice. Returns the request's id.
async fn ask_swap(
    app: &TestApp,
    queue: Uuid,
    asker: &Student,
    asked: &Student,
    place: i32,
) -> Uuid {
    let asked_before = delivered(app, asked, "предлагает поменяться местами");
    open_queue(asker, queue).await;
    asker
        .click_button(SWAP)
        .await
        .expect_all_accepted()
        .expect_text_contains("С кем поменяться");
    let (_, toast) = asker
        .click_button_toast(&format!("{place}. {}", name(asked)))
        .await;
    assert_eq!(
        toast.as_deref(),
        Some(format!("Запрос отправлен: {}", name(asked)).as_str())
    );
    let swap = queueswaps::Entity::find()
        .filter(queueswaps::Column::QueueId.eq(queue))
        .filter(queueswaps::Column::FromUser.eq(asker.id()))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the request is stored");
    assert_eq!((swap.to_user, swap.to_position), (asked.id(), place));
    wait_delivered_times(
        app,
        asked,
        "предлагает поменяться местами",
        asked_before + 1,
    )
    .await;
    asked
        .click_button("🔁 Ответить")
        .await
        .expect_all_accepted()
        .expect_text_contains("Согласиться?");
    swap.id
}

both_backends!(
    a_swap_racing_a_third_students_leave,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_leader, group, queue) = group_with_queue(&app, None).await;
        let students = members(&app, group, 6, "Обмен").await;
        for s in &students {
            open_queue(s, queue).await;
            s.click_button_toast(JOIN).await;
        }
        let [c, x, a, b, y, z] = [
            &students[0],
            &students[1],
            &students[2],
            &students[3],
            &students[4],
            &students[5],
        ];
        let ids = |rows: Vec<(i64, i32)>| rows.into_iter().map(|(u, _)| u).collect::<Vec<_>>();

        // Forged presses: swapping with oneself, another group's member, someone else's
        // request.
        let own_row = queueparticipants::Entity::find()
            .filter(queueparticipants::Column::UserId.eq(a.id()))
            .one(&app.db)
            .await
            .expect("query")
            .expect("row");
        let forged = a
            .forge_callback(&encode(&Action::SwapAsk {
                participant: own_row.id,
            }))
            .await;
        assert_eq!(
            forged.expect_answered().as_deref(),
            Some("С собой поменяться нельзя.")
        );
        let (_, other_group, _) = group_with_queue(&app, None).await;
        let stranger = app.student("Чужой Студент");
        app.add_member(other_group, &stranger, Role::Member).await;
        let forged = stranger
            .forge_callback(&encode(&Action::SwapAsk {
                participant: own_row.id,
            }))
            .await;
        assert!(
            forged
                .expect_answered()
                .unwrap_or_default()
                .contains("уже нет в очереди")
        );

        // Declined: nothing moves; the asker is told.
        let swap = ask_swap(&app, queue, a, b, 4).await;
        let forged = y
            .forge_callback(&encode(&Action::SwapAnswer { swap, accept: true }))
            .await;
        assert!(
            forged
                .expect_answered()
                .unwrap_or_default()
                .contains("Этого запроса уже нет")
        );
        let (_, toast) = b.click_button_toast("🚫 Отказаться").await;
        assert_eq!(toast.as_deref(), Some("Вы отказались от обмена"));
        wait_delivered(&app, a, "отказался(-лась) меняться").await;
        assert_eq!(
            ids(positions(&app, queue).await),
            vec![c.id(), x.id(), a.id(), b.id(), y.id(), z.id()]
        );

        // Someone moved meanwhile (Y asks Z, then X leaves): the swap fails cleanly.
        ask_swap(&app, queue, y, z, 6).await;
        open_queue(x, queue).await;
        x.click_button_toast(LEAVE).await;
        let (_, toast) = z.click_button_toast("✅ Поменяться").await;
        assert_eq!(
            toast.as_deref(),
            Some("Обмен не состоялся: кто-то из вас уже сдвинулся в очереди")
        );
        wait_delivered(&app, y, "не состоялся").await;
        assert_eq!(
            ids(positions(&app, queue).await),
            vec![c.id(), a.id(), b.id(), y.id(), z.id()]
        );

        // The race: B accepts A's request while C, ahead of both, leaves.
        ask_swap(&app, queue, a, b, 3).await;
        open_queue(c, queue).await;
        let (answered, left) = futures::join!(
            b.click_button_toast("✅ Поменяться"),
            c.click_button_toast(LEAVE)
        );
        answered.0.expect_all_accepted();
        left.0.expect_all_accepted();
        let rows = positions(&app, queue).await;
        let places: Vec<i32> = rows.iter().map(|(_, p)| *p).collect();
        assert_eq!(places, vec![1, 2, 3, 4], "unique and gapless");
        let order = ids(rows);
        match answered.1.as_deref() {
            // The swap committed first: exchanged, then everyone moved up.
            Some("Готово: теперь ваше место №2") => {
                assert_eq!(order, vec![b.id(), a.id(), y.id(), z.id()]);
                assert_eq!(log_count(&app, "queue.swap").await, 1);
                wait_delivered(&app, a, "вы теперь №3").await;
            }
            // The leave committed first: both had moved, nothing swapped.
            Some("Обмен не состоялся: кто-то из вас уже сдвинулся в очереди") =>
            {
                assert_eq!(order, vec![a.id(), b.id(), y.id(), z.id()]);
                assert_eq!(log_count(&app, "queue.swap").await, 0);
                assert_eq!(log_count(&app, "queue.swap_stale").await, 2);
            }
            other => panic!("unexpected answer {other:?}"),
        }
        let none_left = queueswaps::Entity::find()
            .filter(queueswaps::Column::QueueId.eq(queue))
            .all(&app.db)
            .await
            .expect("query");
        assert!(none_left.is_empty(), "every request answered");

        // A plain accepted swap: exchanged atomically, both told.
        let (first, second) = {
            let order = ids(positions(&app, queue).await);
            let who = |id: i64| students.iter().find(|s| s.id() == id).expect("a student");
            (who(order[2]), who(order[3]))
        };
        let swap = ask_swap(&app, queue, first, second, 4).await;
        let (_, toast) = second.click_button_toast("✅ Поменяться").await;
        assert_eq!(toast.as_deref(), Some("Готово: теперь ваше место №3"));
        let order = ids(positions(&app, queue).await);
        assert_eq!(&order[2..], &[second.id(), first.id()]);
        // Answering again: the request is gone, nothing changes.
        let again = second
            .forge_callback(&encode(&Action::SwapAnswer { swap, accept: true }))
            .await;
        assert!(
            again
                .expect_answered()
                .unwrap_or_default()
                .contains("Этого запроса уже нет")
        );
        assert_eq!(ids(positions(&app, queue).await), order);
    }
);

both_backends!(
    the_wait_follows_the_pace_of_next,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, queue) = group_with_queue(&app, None).await;
        let students = members(&app, group, 6, "Ожидание").await;
        for s in &students {
            open_queue(s, queue).await;
            s.click_button_toast(JOIN).await;
        }
        let last = &students[5];
        // No «Следующий» yet: no estimate.
        open_queue(last, queue)
            .await
            .expect_no_text_contains("До вашей очереди");

        // Three turns, 4 minutes apart.
        open_queue(&leader, queue).await;
        for _ in 0..3 {
            leader.click_button_toast(NEXT).await;
            app.advance_clock(Duration::minutes(4));
        }
        // The last stands third: two turns of 4 minutes ahead.
        open_queue(last, queue)
            .await
            .expect_text_contains("👉 <b>3.")
            .expect_text_contains("До вашей очереди примерно 8 минут");
        // Someone ahead who stepped away is skipped, so does not count.
        let ahead = &students[4];
        open_queue(ahead, queue).await;
        ahead.click_button_toast(AWAY).await;
        open_queue(last, queue)
            .await
            .expect_text_contains("До вашей очереди примерно 4 минуты");
        // The first is not told a wait.
        open_queue(&students[3], queue)
            .await
            .expect_text_contains("👉 <b>1.")
            .expect_no_text_contains("До вашей очереди");
    }
);

/// Random serial dictatorship, computed here independently of the bot: in `order`, each
/// student takes the first topic of their ranking with a free place.
fn serial_dictatorship(
    order: &[i64],
    rankings: &std::collections::HashMap<i64, Vec<Uuid>>,
    capacity: usize,
) -> Vec<(i64, Option<Uuid>)> {
    let mut taken: std::collections::HashMap<Uuid, usize> = Default::default();
    let mut result = Vec::new();
    for user in order {
        let mut got = None;
        for topic in rankings.get(user).into_iter().flatten() {
            let n = taken.entry(*topic).or_default();
            if *n < capacity {
                *n += 1;
                got = Some(*topic);
                break;
            }
        }
        result.push((*user, got));
    }
    result
}

both_backends!(
    sixty_students_twenty_topics_by_preference,
    |backend: Backend| async move {
        use study_group_bot::storage::entities::{topicpreferences, topicselections};
        use study_group_bot::telegram::topics::Action as TopicAction;
        use support::fixtures::{insert_event, insert_topics};

        let app = TestApp::spawn(backend).await;
        let (leader, group, _) = group_with_queue(&app, None).await;
        set_timezone(&app, group, ZONE).await;
        let event = insert_event(&app, group, "Рефераты").await;
        let titles: Vec<String> = (1..=20).map(|i| format!("Тема {i:02}")).collect();
        let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
        let (list, topics) = insert_topics(&app, event, &refs, 3).await;

        // The leader sets the list to collect three choices until the deadline.
        let deadline = opening_in(&app, 1);
        leader
            .forge_callback(&encode(&TopicAction::Open { list }))
            .await
            .expect_all_accepted();
        leader
            .click_button("🗳 По предпочтениям")
            .await
            .expect_text_contains("случайным последовательным выбором");
        leader
            .send(&format!("0 {}", local(deadline)))
            .await
            .expect_text_contains("Сначала число тем от 1 до 10");
        leader
            .send(&format!("3 {}", local(deadline)))
            .await
            .expect_all_accepted()
            .expect_text_contains("собирает предпочтения")
            .expect_text_contains(&format!("до {}", local(deadline)));

        // Sixty students; their choices come from the first page's ten topics, so several
        // want the same (30 places for 60 students): a seeded generator of the test's own.
        let students = members(&app, group, 60, "Реферат").await;
        let mut state: u64 = 2026;
        let mut next = |bound: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % bound
        };
        let wanted: Vec<Vec<usize>> = students
            .iter()
            .map(|_| {
                let mut chosen = Vec::new();
                while chosen.len() < 3 {
                    // Skewed: low numbers are popular.
                    let t = next(10).min(next(10));
                    if !chosen.contains(&t) {
                        chosen.push(t);
                    }
                }
                chosen
            })
            .collect();
        let open = encode(&TopicAction::Open { list });
        for replies in join_all(students.iter().map(|s| s.forge_callback(&open))).await {
            replies
                .expect_all_accepted()
                .expect_text_contains("Выбор по предпочтениям");
        }
        // Picking is not how this list works.
        let picked = students[0]
            .forge_callback(&encode(&TopicAction::Pick {
                topic: topics[0],
                page: 0,
            }))
            .await;
        assert!(
            picked
                .expect_answered()
                .unwrap_or_default()
                .contains("по предпочтениям")
        );
        // Round by round, everyone presses their next choice at once, on the buttons they see.
        for round in 0..3 {
            let buttons: Vec<String> = wanted
                .iter()
                .map(|w| format!("{}. {}", w[round] + 1, titles[w[round]]))
                .collect();
            let presses = join_all(
                students
                    .iter()
                    .zip(&buttons)
                    .map(|(s, button)| s.click_button_toast(button)),
            )
            .await;
            for ((replies, toast), w) in presses.iter().zip(&wanted) {
                replies.expect_all_accepted();
                assert_eq!(
                    toast.as_deref(),
                    Some(format!("Выбор №{}: {}", round + 1, titles[w[round]]).as_str())
                );
            }
        }
        // A fourth choice, a repeated one, another group's member: refused.
        let s = &students[0];
        let fourth = (0..10).find(|t| !wanted[0].contains(t)).expect("a topic");
        let (_, toast) = s
            .click_button_toast(&format!("{}. {}", fourth + 1, titles[fourth]))
            .await;
        assert!(
            toast
                .unwrap_or_default()
                .starts_with("Можно выбрать не больше 3 тем")
        );
        let again = s
            .forge_callback(&encode(&TopicAction::Rank {
                topic: topics[wanted[0][0]],
                page: 0,
            }))
            .await;
        assert!(
            again
                .expect_answered()
                .unwrap_or_default()
                .contains("уже в вашем выборе под №1")
        );
        let (_, other_group, _) = group_with_queue(&app, None).await;
        let stranger = app.student("Чужой Студент");
        app.add_member(other_group, &stranger, Role::Member).await;
        let forged = stranger
            .forge_callback(&encode(&TopicAction::Rank {
                topic: topics[0],
                page: 0,
            }))
            .await;
        assert!(
            forged
                .expect_answered()
                .unwrap_or_default()
                .contains("не найден")
        );
        let stored = topicpreferences::Entity::find()
            .filter(topicpreferences::Column::TopicListId.eq(list))
            .all(&app.db)
            .await
            .expect("rankings");
        assert_eq!(stored.len(), 180);
        assert!(
            topicselections::Entity::find()
                .all(&app.db)
                .await
                .expect("picks")
                .is_empty(),
            "nothing assigned before the deadline"
        );

        // After the deadline the first look assigns the topics, once.
        app.set_clock(deadline + Duration::seconds(1));
        students[1]
            .forge_callback(&encode(&TopicAction::Open { list }))
            .await
            .expect_all_accepted()
            .expect_no_text_contains("Выбор по предпочтениям");
        let logged = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("topics.allocate"))
            .all(&app.db)
            .await
            .expect("changelog");
        assert_eq!(logged.len(), 1);
        let details = logged[0].details.clone().expect("details");
        let seed = details["seed"].as_i64().expect("a seed");
        let order: Vec<i64> = serde_json::from_value(details["order"].clone()).expect("order");

        // The independent computation: the order from the seed, then the rule on the stored
        // rankings.
        let mut ids: Vec<i64> = students.iter().map(Student::id).collect();
        ids.sort_unstable();
        assert_eq!(draw(&ids, seed), order, "the order follows from the seed");
        let mut rankings: std::collections::HashMap<i64, Vec<(i32, Uuid)>> = Default::default();
        for row in &stored {
            rankings
                .entry(row.user_id)
                .or_default()
                .push((row.rank, row.topic_id));
        }
        let rankings: std::collections::HashMap<i64, Vec<Uuid>> = rankings
            .into_iter()
            .map(|(user, mut ranked)| {
                ranked.sort_unstable();
                (user, ranked.into_iter().map(|(_, t)| t).collect())
            })
            .collect();
        for (student, w) in students.iter().zip(&wanted) {
            let expected: Vec<Uuid> = w.iter().map(|t| topics[*t]).collect();
            assert_eq!(rankings[&student.id()], expected, "stored as pressed");
        }
        let expected = serial_dictatorship(&order, &rankings, 3);
        let picks = topicselections::Entity::find()
            .all(&app.db)
            .await
            .expect("picks");
        let mut per_topic: std::collections::HashMap<Uuid, usize> = Default::default();
        for pick in &picks {
            *per_topic.entry(pick.topic_id).or_default() += 1;
        }
        assert!(
            per_topic.values().all(|n| *n <= 3),
            "capacity never exceeded"
        );
        let got: std::collections::HashMap<i64, Uuid> =
            picks.iter().map(|p| (p.user_id, p.topic_id)).collect();
        assert_eq!(got.len(), picks.len(), "one topic each at most");
        let assigned = expected.iter().filter(|(_, t)| t.is_some()).count();
        assert_eq!(picks.len(), assigned);
        for (user, topic) in &expected {
            assert_eq!(got.get(user), topic.as_ref(), "student {user}");
            let mine = &rankings[user];
            match topic {
                Some(topic) => assert!(mine.contains(topic), "one of their choices"),
                // Nobody is left out while one of their choices had room at their turn: all
                // three of theirs are full in the end.
                None => assert!(mine.iter().all(|t| per_topic.get(t) == Some(&3))),
            }
        }
        assert!(assigned >= 25, "the popular topics fill up ({assigned})");

        // Everyone is told: their topic, or that their choices were full.
        let (first, topic) = expected
            .iter()
            .find_map(|(u, t)| t.map(|t| (*u, t)))
            .expect("someone assigned");
        let first = students.iter().find(|s| s.id() == first).expect("student");
        let title = &titles[topics.iter().position(|t| *t == topic).expect("a topic")];
        wait_delivered(&app, first, &format!("ваша тема — «{title}»")).await;
        if let Some((left_out, _)) = expected.iter().find(|(_, t)| t.is_none()) {
            let left_out = students
                .iter()
                .find(|s| s.id() == *left_out)
                .expect("student");
            wait_delivered(&app, left_out, "все выбранные вами темы заняты").await;
        }

        // Ranking is over; the leader adjusts and confirms as with any picks.
        let late = students[2]
            .forge_callback(&encode(&TopicAction::Rank {
                topic: topics[15],
                page: 0,
            }))
            .await;
        assert!(
            late.expect_answered()
                .unwrap_or_default()
                .contains("не принимается")
        );
        leader
            .forge_callback(&encode(&TopicAction::ConfirmAll { list }))
            .await
            .expect_all_accepted();
        let confirmed = topicselections::Entity::find()
            .filter(topicselections::Column::IsConfirmed.eq(true))
            .all(&app.db)
            .await
            .expect("picks");
        assert_eq!(confirmed.len(), assigned);
        assert_eq!(log_count(&app, "topics.allocate").await, 1);
    }
);

both_backends!(
    the_opening_notice_moves_and_goes_with_its_queue,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, queue) = group_with_queue(&app, None).await;
        set_timezone(&app, group, ZONE).await;
        let students = members(&app, group, 3, "Уведомление").await;
        let pending = || {
            outbox::Entity::find()
                .filter(outbox::Column::Kind.eq("queue_opening"))
                .filter(outbox::Column::Status.eq("pending"))
                .all(&app.db)
        };
        let opens = opening_in(&app, 3);
        edit_field(&leader, queue, "🕒 Время открытия", &local(opens))
            .await
            .expect_text_contains("Очередь изменена");
        let rows = pending().await.expect("outbox");
        assert_eq!(rows.len(), 4, "the leader and three members");
        // Moved: the same recipients, at the new moment.
        let later = opens + Duration::hours(1);
        edit_field(&leader, queue, "🕒 Время открытия", &local(later))
            .await
            .expect_text_contains("Очередь изменена");
        let rows = pending().await.expect("outbox");
        assert_eq!(rows.len(), 4);
        assert!(rows.iter().all(|row| row.due_at == later));
        // «Открыть сразу»: withdrawn, and joining works at once.
        edit_field(&leader, queue, "🕒 Время открытия", "/skip")
            .await
            .expect_text_contains("Очередь изменена");
        assert!(pending().await.expect("outbox").is_empty());
        open_queue(&students[0], queue).await;
        let (_, toast) = students[0].click_button_toast(JOIN).await;
        assert_eq!(toast.as_deref(), Some("Вы в очереди: №1"));
        // Set again, then the queue is deleted: nobody is told it opened.
        edit_field(&leader, queue, "🕒 Время открытия", &local(later))
            .await
            .expect_text_contains("Очередь изменена");
        assert_eq!(pending().await.expect("outbox").len(), 4);
        leader
            .forge_callback(&encode(&Action::DeleteConfirmed { queue }))
            .await
            .expect_all_accepted();
        assert!(pending().await.expect("outbox").is_empty());
        app.set_clock(later + Duration::seconds(1));
        app.wake_sender();
        assert_eq!(delivered(&app, &students[1], "открылась"), 0);
    }
);

both_backends!(
    the_chat_shows_the_opening_and_refuses_early_presses,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, queue) = group_with_queue(&app, None).await;
        set_timezone(&app, group, ZONE).await;
        let chat = -4_000_000_077;
        app.tg.add_group_chat(chat, "ИВТ-21");
        let added = app.tg.add_bot_to_group(chat, &leader.user);
        app.wait_handled(added).await;
        let prompt = leader.send_in_group(chat, "/bind").await;
        let message = prompt
            .0
            .iter()
            .find(|r| r.method == "sendMessage" && r.is_ok())
            .and_then(support::fake_api::Recorded::message_id)
            .expect("the bot answers /bind");
        leader
            .press_in_group(chat, message, "✅ Привязать к моей группе")
            .await
            .0
            .expect_text_contains("Чат привязан");
        let opens = opening_in(&app, 1);
        edit_field(&leader, queue, "🕒 Время открытия", &local(opens))
            .await
            .expect_text_contains("Очередь изменена");
        open_queue(&leader, queue).await;
        let (_, toast) = leader.click_button_toast("📣 Опубликовать в чат").await;
        assert!(toast.is_some_and(|t| t.contains("Опубликовано")));
        let live = app
            .tg
            .requests_for_chat(chat)
            .iter()
            .rev()
            .filter(|r| r.method == "sendMessage" && r.is_ok())
            .find_map(support::fake_api::Recorded::message_id)
            .expect("the live message");
        let posted = app.tg.message(chat, live).expect("the live message");
        assert!(
            posted.text.contains(&format!("Открытие: {}", local(opens))),
            "{}",
            posted.text
        );

        // A press in the chat before the opening is refused; at the opening it counts.
        let student = members(&app, group, 1, "Чат").await.remove(0);
        let (_, answer) = student.press_in_group(chat, live, JOIN).await;
        assert_eq!(answer.text.as_deref(), Some("Очередь ещё не открыта."));
        assert!(positions(&app, queue).await.is_empty());
        app.set_clock(opens);
        let (_, answer) = student.press_in_group(chat, live, JOIN).await;
        assert_eq!(answer.text.as_deref(), Some("Вы 1-й в очереди"));
    }
);
