//! Notifications and reminders go through the persisted outbox: reminders fire at the right
//! instant in the group's time zone and follow edits, settings are respected, Telegram's
//! refusals (429, 5xx, timeouts, 403) never lose or duplicate a message, a restart delivers
//! what became due meanwhile, and two senders on one PostgreSQL never send a row twice.
//! Time is the manual clock of `TestApp`: tests move it, never sleep.

mod support;

use std::sync::Arc;

use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use study_group_bot::events::deadline::DeadlineAt;
use study_group_bot::events::service as events;
use study_group_bot::events::text::DeadlineText;
use study_group_bot::groups::Timezone;
use study_group_bot::groups::service as groups_service;
use study_group_bot::invites::{self, Validity};
use study_group_bot::members::{self, Role};
use study_group_bot::notifications::{self, Clock, Kind, Message, Notifier, Text, outbox};
use study_group_bot::storage::entities::{outbox as outbox_rows, users};
use study_group_bot::telegram::Locale;
use study_group_bot::telegram::notes::Stored;
use study_group_bot::telegram::notifications::worker::Sender;
use study_group_bot::uow::{self, Step, Uow, run_as};
use support::app::{Backend, TestApp};
use support::fake_api::Failure;
use support::fixtures::{
    delivered, leader_with_group, set_timezone, wait_delivered, wait_delivered_times,
};
use support::student::{HANDLING_TIMEOUT, Student};
use uuid::Uuid;

/// A message with `text` (a broadcast's template around it).
fn say(text: &str) -> Text {
    Text::new("admin-broadcast-message").user("text", text)
}

/// A sender of this test's own, on the app's database, clock and fake Telegram.
fn sender(app: &TestApp) -> Sender {
    let api = app.tg.api_url().parse().expect("fake API URL");
    Sender::new(
        app.db.clone(),
        study_group_bot::telegram::api::Api::new(app.tg.token(), api).expect("a client"),
        Notifier::new(Arc::new(app.clock.clone())),
    )
}

/// Runs an events use case as `user` on the app's clock, as the bot would (the outbox worker
/// sends its notices).
async fn as_user<'env, T>(
    app: &TestApp,
    user: i64,
    use_case: impl for<'u> FnMut(&'u mut Uow<'env>) -> Step<'u, T, events::EventError>,
) -> T {
    let clock: Arc<dyn Clock> = Arc::new(app.clock.clone());
    uow::run(&app.db, &clock, Some(user), use_case)
        .await
        .unwrap()
        .value
}

async fn pending_for(app: &TestApp, chat: i64) -> Vec<outbox_rows::Model> {
    outbox_rows::Entity::find()
        .filter(outbox_rows::Column::ChatId.eq(chat))
        .filter(outbox_rows::Column::Status.eq(outbox::PENDING))
        .all(&app.db)
        .await
        .expect("outbox rows")
}

/// A leader with a group in `zone`, one member, and an event with a deadline three days from
/// now at 10:00 group time. Returns (leader, member, event, deadline, deadline instant).
async fn group_with_deadline(
    app: &TestApp,
    zone: &str,
) -> (Student, Student, Uuid, Uuid, chrono::DateTime<Utc>) {
    let (leader, group) = leader_with_group(app).await;
    set_timezone(app, group, zone).await;
    let member = app.student("Иванов Иван");
    app.add_member(group, &member, Role::Member).await;
    let tz: chrono_tz::Tz = zone.parse().unwrap();
    let today = Utc::now().with_timezone(&tz).date_naive();
    let event = Uuid::new_v4();
    let new = events::NewEvent {
        id: event,
        title: study_group_bot::events::text::EventTitle::parse("Лабораторная 3").unwrap(),
        subject: None,
        date: today + Duration::days(10),
        description: None,
        important: false,
    };
    as_user(app, leader.id(), |uow| Box::pin(events::create(uow, &new))).await;
    // The member is told of the new event (the reminders below are all that stays pending).
    app.wake_sender();
    wait_delivered(app, &member, "в группе «").await;
    let day = (today + Duration::days(3)).format("%d.%m.%Y");
    let at = DeadlineAt::parse(&format!("{day} 10:00"), Utc::now(), tz).unwrap();
    let text = DeadlineText::parse("Сдать отчёт").unwrap();
    let deadline = as_user(app, leader.id(), |uow| {
        Box::pin(events::add_deadline(uow, event, &text, at))
    })
    .await;
    (leader, member, event, deadline.id, at.utc())
}

both_backends!(
    a_deadline_reminder_fires_at_the_right_instant_and_follows_edits,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, member, event, deadline, at) = group_with_deadline(&app, "Asia/Tokyo").await;
        // 10:00 in Tokyo is 01:00 UTC.
        assert_eq!(
            at.with_timezone(&chrono_tz::Asia::Tokyo)
                .format("%H:%M")
                .to_string(),
            "10:00"
        );
        let rows = pending_for(&app, member.id()).await;
        assert!(
            rows.iter().any(|r| r.dedup_key.as_deref()
                == Some(&*format!("deadline:{deadline}:1d:{}", member.id()))),
            "{rows:#?}"
        );
        let sender = sender(&app);

        // One second before "one day before": nothing is due.
        app.set_clock(at - Duration::days(1) - Duration::seconds(1));
        assert_eq!(sender.deliver_due().await.unwrap(), 0);
        assert_eq!(delivered(&app, &member, "Завтра дедлайн"), 0);

        // One second after: exactly one reminder to each member (the leader included).
        app.set_clock(at - Duration::days(1) + Duration::seconds(1));
        wait_delivered(&app, &member, "Завтра дедлайн").await;
        wait_delivered(&app, &leader, "Завтра дедлайн").await;
        app.wake_sender();
        assert_eq!(sender.deliver_due().await.unwrap(), 0, "nothing left");
        assert_eq!(delivered(&app, &member, "Завтра дедлайн"), 1);
        assert_eq!(delivered(&app, &member, "Через 3 часа"), 0);

        // Removing the deadline withdraws its 3-hour reminder; a replacement deadline an hour
        // later is reminded at its own time.
        as_user(&app, leader.id(), |uow| {
            Box::pin(events::remove_deadline(uow, deadline))
        })
        .await;
        let later = at + Duration::hours(1);
        let tz = chrono_tz::Asia::Tokyo;
        let local = later
            .with_timezone(&tz)
            .format("%d.%m.%Y %H:%M")
            .to_string();
        let text = DeadlineText::parse("Сдать отчёт").unwrap();
        let now = app.clock_now();
        let parsed = DeadlineAt::parse(&local, now, tz).unwrap();
        as_user(&app, leader.id(), |uow| {
            Box::pin(events::add_deadline(uow, event, &text, parsed))
        })
        .await;
        // At the old deadline's 3-hour mark only the new deadline's one-day reminder is due.
        app.set_clock(at - Duration::hours(3) + Duration::seconds(1));
        for student in [&member, &leader] {
            wait_delivered_times(&app, student, "Завтра дедлайн", 2).await;
        }
        assert_eq!(
            sender.deliver_due().await.unwrap(),
            0,
            "the old 3-hour reminder is gone"
        );
        assert_eq!(delivered(&app, &member, "Через 3 часа"), 0);
        app.set_clock(later - Duration::hours(3) + Duration::seconds(1));
        wait_delivered(&app, &member, "Через 3 часа").await;
        assert_eq!(delivered(&app, &member, "Через 3 часа"), 1);

        // Deleting the event withdraws everything still pending for it.
        as_user(&app, leader.id(), |uow| {
            Box::pin(events::delete(uow, event))
        })
        .await;
        assert!(pending_for(&app, member.id()).await.is_empty());
    }
);

both_backends!(
    new_event_announcements_respect_the_settings,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let all = app.student("Иванов Иван");
        let important_only = app.student("Сидоров Пётр");
        let off = app.student("Орлова Мария");
        for student in [&all, &important_only, &off] {
            app.add_member(group, student, Role::Member).await;
        }
        for (student, choice) in [(&important_only, "important_only"), (&off, "off")] {
            users::Entity::update_many()
                .set(users::ActiveModel {
                    notification_settings: Set(Some(serde_json::json!({"new_events": choice}))),
                    ..Default::default()
                })
                .filter(users::Column::TelegramId.eq(student.id()))
                .exec(&app.db)
                .await
                .unwrap();
        }
        for (title, important) in [("Лекция", false), ("Экзамен", true)] {
            let new = events::NewEvent {
                id: Uuid::new_v4(),
                title: study_group_bot::events::text::EventTitle::parse(title).unwrap(),
                subject: None,
                date: Utc::now().date_naive() + Duration::days(5),
                description: None,
                important,
            };
            leader.send("/menu").await;
            // The announcements the bot writes: one per member; their settings filter inside.
            as_user(&app, leader.id(), |uow| Box::pin(events::create(uow, &new))).await;
        }
        app.wake_sender();
        // «… в группе «ИВТ-21»» and the title on the next line.
        let new = |title: &str| format!("в группе «ИВТ-21»\n{title}");
        wait_delivered(&app, &all, &new("Экзамен")).await;
        wait_delivered(&app, &all, &new("Лекция")).await;
        wait_delivered(&app, &important_only, &new("Экзамен")).await;
        assert_eq!(sender(&app).deliver_due().await.unwrap(), 0);
        assert_eq!(delivered(&app, &important_only, &new("Лекция")), 0);
        assert_eq!(delivered(&app, &off, &new("")), 0);
        assert_eq!(delivered(&app, &leader, &new("")), 0, "not to the author");
    }
);

both_backends!(
    refusals_and_failures_deliver_every_message_exactly_once,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let students: Vec<Student> = (0..6)
            .map(|i| app.student(&format!("Студент {i}")))
            .collect();
        for student in &students {
            student.send("/start").await;
        }
        app.tg.fail_next(
            "sendMessage",
            2,
            Failure::TooManyRequests { retry_after: 1 },
        );
        app.tg.fail_next("sendMessage", 1, Failure::ServerError);
        app.tg.fail_next("sendMessage", 1, Failure::Timeout);
        let messages = students
            .iter()
            .map(|s| {
                Message::now(
                    s.id(),
                    Kind::Announcement,
                    say(&format!("Объявление для {}", s.id())),
                )
            })
            .collect();
        outbox::enqueue(&app.db, app.clock_now(), messages)
            .await
            .unwrap();
        app.wake_sender();
        for student in &students {
            wait_delivered(&app, student, "Объявление для").await;
        }
        for student in &students {
            assert_eq!(delivered(&app, student, "Объявление для"), 1);
        }
        let refused = app
            .tg
            .requests()
            .iter()
            .filter(|r| r.method == "sendMessage" && r.status != 200)
            .count();
        assert!(refused >= 4, "the injected failures happened: {refused}");
    }
);

both_backends!(
    a_user_who_blocked_the_bot_is_marked_and_skipped,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let blocked = app.student("Орлова Мария");
        let other = app.student("Иванов Иван");
        blocked.send("/start").await;
        other.send("/start").await;
        app.tg.set_blocked(blocked.id(), true);
        let messages = [&blocked, &other]
            .iter()
            .map(|s| Message::now(s.id(), Kind::Announcement, say("Важное")))
            .collect();
        outbox::enqueue(&app.db, app.clock_now(), messages)
            .await
            .unwrap();
        app.wake_sender();
        wait_delivered(&app, &other, "Важное").await;
        app.tg
            .wait_for_chat(blocked.id(), 0, HANDLING_TIMEOUT, |r| r.status == 403)
            .await
            .unwrap();
        // Marked, and its row waits (not retried while blocked).
        let mut marked = false;
        let deadline = tokio::time::Instant::now() + HANDLING_TIMEOUT;
        while tokio::time::Instant::now() < deadline {
            let user = users::Entity::find_by_id(blocked.id())
                .one(&app.db)
                .await
                .unwrap()
                .unwrap();
            if user.is_blocked && pending_for(&app, blocked.id()).await.len() == 1 {
                marked = true;
                break;
            }
            tokio::task::yield_now().await;
        }
        assert!(
            marked,
            "the user is marked blocked and the row kept pending"
        );
        assert_eq!(sender(&app).deliver_due().await.unwrap(), 0, "skipped");
        let tries = app
            .tg
            .requests_for_chat(blocked.id())
            .iter()
            .filter(|r| r.method == "sendMessage" && r.status == 403)
            .count();
        assert_eq!(tries, 1);
    }
);

both_backends!(
    reminders_due_while_the_bot_was_down_are_sent_once_after_restart,
    |backend: Backend| async move {
        let mut app = TestApp::spawn(backend).await;
        let (leader, member, _event, _deadline, at) =
            group_with_deadline(&app, "Europe/Moscow").await;
        app.stop().await;
        // Both reminders became due while the bot was down.
        app.clock.set(at - Duration::hours(2));
        app.start().await;
        app.wake_sender();
        for student in [&leader, &member] {
            wait_delivered(&app, student, "Завтра дедлайн").await;
            wait_delivered(&app, student, "Через 3 часа").await;
        }
        assert_eq!(sender(&app).deliver_due().await.unwrap(), 0);
        app.restart().await;
        app.wake_sender();
        assert_eq!(sender(&app).deliver_due().await.unwrap(), 0);
        for student in [&leader, &member] {
            assert_eq!(delivered(&app, student, "Завтра дедлайн"), 1);
            assert_eq!(delivered(&app, student, "Через 3 часа"), 1);
        }
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_senders_on_one_postgres_never_send_a_row_twice() {
    if !support::app::postgres_available() {
        return;
    }
    let app = TestApp::spawn(Backend::Postgres).await;
    let students: Vec<Student> = (0..60)
        .map(|i| app.student(&format!("Студент {i}")))
        .collect();
    futures::future::join_all(students.iter().map(|s| s.send("/start"))).await;
    let messages = students
        .iter()
        .map(|s| Message::now(s.id(), Kind::Announcement, say("Собрание в 12:00")))
        .collect();
    outbox::enqueue(&app.db, app.clock_now(), messages)
        .await
        .unwrap();
    let (a, b) = (sender(&app), sender(&app));
    let drain = |s: Sender| async move {
        let mut total = 0;
        loop {
            let n = s.deliver_due().await.unwrap();
            if n == 0 {
                return total;
            }
            total += n;
        }
    };
    // The app's own sender runs too: three senders on one table.
    app.wake_sender();
    let (ta, tb) = tokio::join!(drain(a), drain(b));
    for student in &students {
        wait_delivered(&app, student, "Собрание").await;
    }
    for student in &students {
        assert_eq!(delivered(&app, student, "Собрание"), 1, "{}", student.id());
    }
    assert!(ta + tb <= students.len(), "{ta} + {tb}");
}

both_backends!(
    the_profile_toggles_notification_settings,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let student = app.student("Иванов Иван");
        student.send("/start").await;
        student.press("👤 Профиль").await;
        student
            .click_button("🔔 Уведомления")
            .await
            .expect_all_accepted()
            .expect_text_contains("Уведомления");
        student
            .click_button("✅ Объявления")
            .await
            .expect_all_accepted();
        student.click_button("Новые события: все").await;
        let user = users::Entity::find_by_id(student.id())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let settings = notifications::NotificationSettings::of_user(&user);
        assert!(!settings.announcements);
        assert_eq!(
            settings.new_events,
            notifications::settings::NewEvents::ImportantOnly
        );
        assert!(settings.deadline_1d, "the rest untouched");
        assert!(student.message_with_button("⬜ Объявления").is_some());
    }
);

both_backends!(
    reminders_follow_joiners_leavers_and_the_time_zone,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, member, event, deadline, at) =
            group_with_deadline(&app, "Europe/Moscow").await;
        let keys = |user: i64| {
            [
                format!("deadline:{deadline}:1d:{user}"),
                format!("deadline:{deadline}:3h:{user}"),
            ]
        };
        let pending_keys = |rows: Vec<outbox_rows::Model>| -> Vec<String> {
            rows.into_iter().filter_map(|r| r.dedup_key).collect()
        };

        // A student who joins later is reminded as those who were there.
        let newcomer = app.student("Новикова Вера");
        newcomer.send("/start").await;
        let invite = run_as(&app.db, leader.id(), |uow| {
            Box::pin(invites::service::create(uow, Validity::OneDay, false))
        })
        .await
        .unwrap();
        run_as(&app.db, newcomer.id(), |uow| {
            Box::pin(invites::service::join(uow, &invite.token))
        })
        .await
        .unwrap();
        let newcomer_keys = pending_keys(pending_for(&app, newcomer.id()).await);
        for key in keys(newcomer.id()) {
            assert!(newcomer_keys.contains(&key), "{key} in {newcomer_keys:?}");
        }
        assert!(
            newcomer_keys
                .iter()
                .any(|k| k.starts_with(&format!("event:{event}:eve:"))),
            "{newcomer_keys:?}"
        );

        // One who leaves is not reminded any more.
        assert!(!pending_for(&app, member.id()).await.is_empty());
        run_as(&app.db, member.id(), |uow| {
            Box::pin(members::service::leave(uow))
        })
        .await
        .unwrap();
        assert!(pending_for(&app, member.id()).await.is_empty());

        // A new time zone moves the evening reminder to 18:00 there; the deadline's instant
        // stays, shown in the new zone.
        let evening = |rows: &[outbox_rows::Model]| {
            rows.iter()
                .find(|r| r.kind == "event_evening")
                .map(|r| r.due_at)
                .expect("an evening reminder is pending")
        };
        let before = evening(&pending_for(&app, leader.id()).await);
        let tokyo = Timezone::parse("Asia/Tokyo").unwrap();
        let clock: Arc<dyn notifications::Clock> = Arc::new(app.clock.clone());
        study_group_bot::uow::run(&app.db, &clock, Some(leader.id()), |uow| {
            Box::pin(groups_service::set_timezone(uow, tokyo))
        })
        .await
        .unwrap();
        let rows = pending_for(&app, leader.id()).await;
        let after = evening(&rows);
        assert_eq!(before - after, Duration::hours(6), "18:00 MSK → 18:00 JST");
        assert_eq!(
            after
                .with_timezone(&chrono_tz::Asia::Tokyo)
                .format("%H:%M")
                .to_string(),
            "18:00"
        );
        let one_day = rows
            .iter()
            .find(|r| r.kind == "deadline_1d")
            .expect("the deadline reminder is still pending");
        assert_eq!(one_day.due_at, at - Duration::days(1));
        let local = at
            .with_timezone(&chrono_tz::Asia::Tokyo)
            .format("%H:%M")
            .to_string();
        let stored: Stored = serde_json::from_value(one_day.payload.clone()).unwrap();
        let shown = stored.render(Locale::Ru).text;
        assert!(shown.contains(&local), "{shown:?} shows {local}");
        // Nothing was doubled by the rescheduling.
        let keys_now = pending_keys(rows);
        let mut unique = keys_now.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), keys_now.len());
    }
);

both_backends!(
    a_reminder_speaks_the_language_its_recipient_uses_when_it_is_sent,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_, member, _, _, at) = group_with_deadline(&app, "Europe/Moscow").await;
        // Scheduled while the member used Russian; they switch to English before it is due.
        member.send("/start").await;
        member.press("👤 Профиль").await;
        member
            .click_button("English")
            .await
            .expect_all_accepted()
            .expect_text_contains("Language: English");

        app.set_clock(at - Duration::days(1) + Duration::seconds(1));
        wait_delivered(&app, &member, "Deadline tomorrow").await;
        assert_eq!(delivered(&app, &member, "Завтра дедлайн"), 0);
        // The deadline's moment, in the group's zone, in the English text.
        let local = at
            .with_timezone(&chrono_tz::Europe::Moscow)
            .format("%d.%m.%Y %H:%M")
            .to_string();
        assert_eq!(delivered(&app, &member, &local), 1);
    }
);
