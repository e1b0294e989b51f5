//! Daily digests and class pings, end to end through the fake Bot API: the evening digest of a
//! student (their subgroup's classes, open homework, deadlines, queue places), settings that
//! mute or move it, nothing said when nothing is due, the recipient's language at sending
//! time, the morning digest, the ping before a class, the group chat's post, and a planner
//! that restarts or was down neither repeats nor loses a digest. Time is the manual clock.

mod support;

use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use study_group_bot::digests::planner;
use study_group_bot::digests::settings::{self as digest_settings, DigestSettings};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{
    classes, deadlines, digestmarks, homework, homeworkdone, outbox, queueparticipants,
    subgroupmembers, timetables, users,
};
use study_group_bot::telegram::callback::encode;
use study_group_bot::telegram::notifications::handlers::NotifyAction;
use support::app::{Backend, TestApp};
use support::fixtures::{
    delivered, insert_event_on, insert_queue, leader_with_group, set_timezone, texts_to,
    wait_delivered,
};
use support::student::Student;
use uuid::Uuid;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, h, min, 0).unwrap()
}

/// Tomorrow of the evening the tests look at: Tuesday 2 March 2027 (Moscow, UTC+3).
fn tomorrow() -> NaiveDate {
    d(2027, 3, 2)
}

/// 20:00 in Moscow the evening before.
fn evening() -> DateTime<Utc> {
    utc(2027, 3, 1, 17, 0)
}

async fn insert_timetable(app: &TestApp, group: Uuid) {
    timetables::ActiveModel {
        group_id: Set(group),
        first_day: Set(d(2027, 2, 8)),
        last_day: Set(d(2027, 6, 30)),
        first_week_odd: Set(true),
        bells: Set(None),
        updated_at: Set(Utc::now()),
        post_changes: Set(false),
        post_digest: Set(false),
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// A weekly class on Tuesdays, every week.
async fn insert_class(
    app: &TestApp,
    group: Uuid,
    pair: i16,
    subject: &str,
    room: Option<&str>,
    subgroup: Option<i16>,
) {
    classes::ActiveModel {
        id: Set(Uuid::new_v4()),
        group_id: Set(group),
        weekday: Set(2),
        pair: Set(pair),
        subject: Set(subject.to_owned()),
        kind: Set("lecture".to_owned()),
        teacher: Set(None),
        room: Set(room.map(str::to_owned)),
        weeks: Set("every".to_owned()),
        dates: Set(None),
        subgroup: Set(subgroup),
        created_at: Set(Utc::now()),
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// Published homework due on `date`.
async fn insert_homework(
    app: &TestApp,
    group: Uuid,
    date: NaiveDate,
    body: &str,
    subgroup: Option<i16>,
) -> Uuid {
    let id = Uuid::new_v4();
    homework::ActiveModel {
        id: Set(id),
        group_id: Set(group),
        class_id: Set(None),
        subject: Set(None),
        subgroup: Set(subgroup),
        due_date: Set(date),
        due_at: Set(utc(2027, 3, 2, 6, 0)),
        body: Set(body.to_owned()),
        status: Set("published".to_owned()),
        author_id: Set(None),
        approved_by: Set(None),
        created_at: Set(Utc::now()),
        approved_at: Set(None),
    }
    .insert(&app.db)
    .await
    .unwrap();
    id
}

async fn set_subgroup(app: &TestApp, group: Uuid, student: &Student, subgroup: i16) {
    use study_group_bot::storage::entities::groupmembers;
    let member = groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(student.id()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    subgroupmembers::ActiveModel {
        member_id: Set(member.id),
        group_id: Set(group),
        user_id: Set(student.id()),
        subgroup: Set(subgroup),
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// A group in Moscow with a timetable for Tuesdays: «Операционные системы» (pair 1, room 401,
/// everyone), «Сети» (pair 2, subgroup 1), «Химия» (pair 3, subgroup 2); a student of
/// subgroup 1. Returns (leader, student, group).
async fn group_with_classes(app: &TestApp) -> (Student, Student, Uuid) {
    let (leader, group) = leader_with_group(app).await;
    set_timezone(app, group, "Europe/Moscow").await;
    let student = app.student("Иванов Иван");
    app.add_member(group, &student, Role::Member).await;
    set_subgroup(app, group, &student, 1).await;
    insert_timetable(app, group).await;
    insert_class(app, group, 1, "Операционные системы", Some("401"), None).await;
    insert_class(app, group, 2, "Сети", Some("305"), Some(1)).await;
    insert_class(app, group, 3, "Химия", None, Some(2)).await;
    (leader, student, group)
}

/// Moves the clock a few seconds past `minute`: a minute's digests are due a millisecond apart
/// within a group (the sender goes round the groups), so all of them are due then.
fn set_clock(app: &TestApp, minute: DateTime<Utc>) {
    app.set_clock(minute + chrono::Duration::seconds(5));
}

/// The outbox rows of `kind` for `chat`.
async fn rows_of(app: &TestApp, chat: i64, kind: &str) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::ChatId.eq(chat))
        .filter(outbox::Column::Kind.eq(kind))
        .all(&app.db)
        .await
        .unwrap()
}

/// The texts `student` was sent that contain `needle`.
fn sent(app: &TestApp, student: &Student, needle: &str) -> Vec<String> {
    texts_to(app, student.id(), 0)
        .into_iter()
        .filter(|t| t.contains(needle))
        .collect()
}

/// Opens «🔔 Уведомления» as the profile's button does.
async fn open_settings(student: &Student) {
    student.forge_callback(&encode(&NotifyAction::Show)).await;
}

both_backends!(
    the_evening_digest_tells_a_student_their_tomorrow,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, student, group) = group_with_classes(&app).await;
        insert_homework(&app, group, tomorrow(), "Прочитать §5", None).await;
        let ticked = insert_homework(&app, group, tomorrow(), "Задачи 1–5", None).await;
        insert_homework(&app, group, tomorrow(), "Отчёт по химии", Some(2)).await;
        insert_homework(&app, group, d(2027, 3, 3), "На среду", None).await;
        homeworkdone::ActiveModel {
            homework_id: Set(ticked),
            user_id: Set(student.id()),
            done_at: Set(Utc::now()),
        }
        .insert(&app.db)
        .await
        .unwrap();
        let event = insert_event_on(&app, group, "Курсовая", d(2027, 3, 10), false).await;
        for (text, at) in [
            ("Сдать черновик", utc(2027, 3, 3, 9, 0)),
            ("Сдать курсовую", utc(2027, 3, 9, 9, 0)),
        ] {
            deadlines::ActiveModel {
                id: Set(Uuid::new_v4()),
                event_id: Set(event),
                description: Set(text.to_owned()),
                deadline_at: Set(at),
            }
            .insert(&app.db)
            .await
            .unwrap();
        }
        let lab = insert_event_on(&app, group, "Лабораторная", tomorrow(), false).await;
        let queue = insert_queue(&app, lab, "Защита").await;
        for (position, user) in [(1, leader.id()), (2, student.id())] {
            queueparticipants::ActiveModel {
                id: Set(Uuid::new_v4()),
                queue_id: Set(queue),
                user_id: Set(user),
                position: Set(position),
                joined_at: Set(Utc::now()),
                away_since: Set(None),
                skipped: Set(0),
            }
            .insert(&app.db)
            .await
            .unwrap();
        }

        set_clock(&app, evening());
        wait_delivered(&app, &student, "Завтра, 02.03.2027").await;
        let digest = sent(&app, &student, "Завтра, 02.03.2027").remove(0);
        for needle in [
            "2 пары, начало в 09:00",
            "1. 09:00 — Операционные системы, ауд. 401",
            "2. 10:40 — Сети, ауд. 305",
            "Прочитать §5",
            "Сдать черновик — 03.03.2027 12:00",
            "Защита (Лабораторная): место 2",
        ] {
            assert!(digest.contains(needle), "{needle:?} not in {digest}");
        }
        for absent in [
            "Химия",
            "Задачи 1–5",
            "Отчёт по химии",
            "На среду",
            "курсовую",
        ] {
            assert!(!digest.contains(absent), "{absent:?} in {digest}");
        }
        // The leader (no subgroup) sees every class of the day, and their own place.
        wait_delivered(&app, &leader, "Завтра, 02.03.2027").await;
        let theirs = sent(&app, &leader, "Завтра, 02.03.2027").remove(0);
        assert!(
            theirs.contains("3 пары") && theirs.contains("Химия"),
            "{theirs}"
        );
        assert!(theirs.contains("место 1"), "{theirs}");
        let rows = rows_of(&app, student.id(), "digest_evening").await;
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].dedup_key.as_deref(),
            Some(format!("digest:eve:2027-03-02:{}", student.id()).as_str())
        );
    }
);

both_backends!(
    a_muted_or_moved_evening_digest_follows_the_settings,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, student, _group) = group_with_classes(&app).await;

        // The student moves theirs to 21:00 through the settings screen.
        open_settings(&student).await;
        student
            .click_button("🌙 Вечерняя сводка: 20:00")
            .await
            .expect_text_contains("Вечерняя сводка");
        let shown = student.click_button("21:00").await.button_texts();
        assert!(
            shown.iter().any(|t| t == "🌙 Вечерняя сводка: 21:00"),
            "{shown:?}"
        );
        assert_eq!(
            digest_settings::load(&app.db, student.id())
                .await
                .unwrap()
                .evening,
            Some(21 * 60)
        );
        // The leader turns theirs off.
        open_settings(&leader).await;
        leader.click_button("🌙 Вечерняя сводка: 20:00").await;
        let shown = leader.click_button("Выключить").await.button_texts();
        assert!(
            shown.iter().any(|t| t == "🌙 Вечерняя сводка: выкл."),
            "{shown:?}"
        );
        // A forged choice the screen does not offer is refused.
        student
            .forge_callback(&encode(&NotifyAction::DigestAt {
                which: 2,
                minute: 7,
            }))
            .await;
        assert_eq!(
            digest_settings::load(&app.db, student.id())
                .await
                .unwrap()
                .ping,
            None
        );

        set_clock(&app, evening());
        // The planner has planned 20:00: nobody's digest is due then.
        wait_planned(&app, evening()).await;
        assert!(
            rows_of(&app, leader.id(), "digest_evening")
                .await
                .is_empty()
        );
        assert!(
            rows_of(&app, student.id(), "digest_evening")
                .await
                .is_empty()
        );
        set_clock(&app, utc(2027, 3, 1, 18, 0));
        wait_delivered(&app, &student, "Завтра, 02.03.2027").await;
        let rows = rows_of(&app, student.id(), "digest_evening").await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].due_at, utc(2027, 3, 1, 18, 0));
        wait_planned(&app, utc(2027, 3, 1, 18, 0)).await;
        assert!(
            rows_of(&app, leader.id(), "digest_evening")
                .await
                .is_empty()
        );
        assert_eq!(delivered(&app, &leader, "Завтра, 02.03.2027"), 0);
    }
);

/// Waits until the evening planner's mark reaches `minute`.
async fn wait_planned(app: &TestApp, minute: DateTime<Utc>) {
    wait_mark(app, "evening", minute).await;
}

/// Waits until the planner's mark `name` reaches `minute`.
async fn wait_mark(app: &TestApp, name: &str, minute: DateTime<Utc>) {
    let deadline = tokio::time::Instant::now() + support::student::HANDLING_TIMEOUT;
    loop {
        let mark = digestmarks::Entity::find_by_id(name.to_owned())
            .one(&app.db)
            .await
            .unwrap();
        if mark.is_some_and(|m| m.done_until >= minute) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the planner did not plan {minute}"
        );
        app.wake_sender();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

both_backends!(
    nothing_due_means_no_message_at_all,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        set_timezone(&app, group, "Europe/Moscow").await;
        insert_timetable(&app, group).await;
        let since = app.tg.next_seq();
        set_clock(&app, evening());
        wait_planned(&app, evening()).await;
        assert!(
            rows_of(&app, leader.id(), "digest_evening")
                .await
                .is_empty()
        );
        assert!(texts_to(&app, leader.id(), since).is_empty());
    }
);

both_backends!(
    a_digest_speaks_the_language_its_recipient_uses_when_it_is_sent,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_leader, student, _group) = group_with_classes(&app).await;
        // Planned for 20:00 while the clock stands a minute before it.
        set_clock(&app, utc(2027, 3, 1, 16, 59));
        planner::run(&app.db, evening(), None).await.unwrap();
        assert_eq!(rows_of(&app, student.id(), "digest_evening").await.len(), 1);
        users::Entity::update_many()
            .set(users::ActiveModel {
                language: Set(Some("en".to_owned())),
                ..Default::default()
            })
            .filter(users::Column::TelegramId.eq(student.id()))
            .exec(&app.db)
            .await
            .unwrap();
        set_clock(&app, evening());
        wait_delivered(&app, &student, "Tomorrow, 02.03.2027").await;
        let digest = sent(&app, &student, "Tomorrow").remove(0);
        assert!(
            digest.contains("Операционные системы, room 401"),
            "{digest}"
        );
        assert!(!digest.contains("Завтра"), "{digest}");
    }
);

both_backends!(
    the_morning_digest_the_ping_and_the_group_chat_post_when_turned_on,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, student, group) = group_with_classes(&app).await;
        insert_homework(&app, group, tomorrow(), "Прочитать §5", None).await;
        open_settings(&student).await;
        student.click_button("☀️ Утренняя сводка: выкл.").await;
        student.click_button("07:30").await;
        student.click_button("⏰ Перед парой: выкл.").await;
        student.click_button("за 15 мин").await;
        assert_eq!(
            digest_settings::load(&app.db, student.id()).await.unwrap(),
            DigestSettings {
                evening: Some(20 * 60),
                morning: Some(7 * 60 + 30),
                ping: Some(15),
            }
        );
        // The group's chat, with the evening digest posted there.
        let chat = -1_001_234_567_890_i64;
        support::fixtures::bind_chat(&app, group, &leader, chat, "ИВТ-21 чат").await;
        timetables::Entity::update_many()
            .set(timetables::ActiveModel {
                post_digest: Set(true),
                ..Default::default()
            })
            .filter(timetables::Column::GroupId.eq(group))
            .exec(&app.db)
            .await
            .unwrap();

        set_clock(&app, evening());
        wait_delivered(&app, &student, "Завтра, 02.03.2027").await;
        let since = 0;
        let deadline = tokio::time::Instant::now() + support::student::HANDLING_TIMEOUT;
        let post = loop {
            let seq = app.tg.next_seq();
            if let Some(post) = texts_to(&app, chat, since)
                .into_iter()
                .find(|t| t.contains("Завтра, 02.03.2027"))
            {
                break post;
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            assert!(!left.is_zero(), "no post in the group chat");
            let _ = app.tg.wait_for_chat(chat, seq, left, |_| true).await;
        };
        assert!(post.contains("Сети, ауд. 305 (1-я подгруппа)"), "{post}");
        assert!(post.contains("Химия (2-я подгруппа)"), "{post}");
        assert!(post.contains("Прочитать §5"), "{post}");
        assert!(!post.contains("место"), "{post}");

        // 07:30 in Moscow: the morning digest of today.
        set_clock(&app, utc(2027, 3, 2, 4, 30));
        wait_delivered(&app, &student, "Сегодня, 02.03.2027").await;
        // 08:45: a quarter of an hour before the first class.
        set_clock(&app, utc(2027, 3, 2, 5, 45));
        wait_delivered(
            &app,
            &student,
            "Через 15 минут: Операционные системы, ауд. 401",
        )
        .await;
        // 10:25: before the second (the student's subgroup's); never the other subgroup's.
        set_clock(&app, utc(2027, 3, 2, 7, 25));
        wait_delivered(&app, &student, "Через 15 минут: Сети, ауд. 305").await;
        set_clock(&app, utc(2027, 3, 2, 9, 25));
        wait_mark(&app, "ping", utc(2027, 3, 2, 9, 25)).await;
        assert_eq!(rows_of(&app, student.id(), "class_ping").await.len(), 2);
        assert!(rows_of(&app, leader.id(), "class_ping").await.is_empty());
        assert_eq!(rows_of(&app, student.id(), "digest_morning").await.len(), 1);
        assert!(
            rows_of(&app, leader.id(), "digest_morning")
                .await
                .is_empty()
        );

        // The ping turned off after it was planned is not sent.
        set_clock(&app, utc(2027, 3, 9, 5, 44));
        let mut settings = digest_settings::load(&app.db, student.id()).await.unwrap();
        planner::run(&app.db, utc(2027, 3, 9, 5, 45), None)
            .await
            .unwrap();
        settings.ping = None;
        digest_settings::save(&app.db, student.id(), &settings)
            .await
            .unwrap();
        set_clock(&app, utc(2027, 3, 9, 5, 46));
        let deadline = tokio::time::Instant::now() + support::student::HANDLING_TIMEOUT;
        loop {
            let rows = rows_of(&app, student.id(), "class_ping").await;
            let last = rows.iter().find(|r| r.due_at == utc(2027, 3, 9, 5, 45));
            if last.is_some_and(|r| r.status == "cancelled") {
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "{rows:?}");
            app.wake_sender();
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
);

both_backends!(
    a_restarted_or_late_planner_neither_repeats_nor_loses_a_digest,
    |backend: Backend| async move {
        let mut app = TestApp::spawn(backend).await;
        let (_leader, student, _group) = group_with_classes(&app).await;
        set_clock(&app, evening());
        wait_delivered(&app, &student, "Завтра, 02.03.2027").await;
        // A planner whose mark was lost plans the minute again: the dedup key keeps it once.
        digestmarks::Entity::delete_many()
            .exec(&app.db)
            .await
            .unwrap();
        app.restart().await;
        set_clock(&app, evening() + chrono::Duration::seconds(30));
        planner::run(&app.db, evening(), None).await.unwrap();
        app.wake_sender();
        wait_planned(&app, evening()).await;
        assert_eq!(rows_of(&app, student.id(), "digest_evening").await.len(), 1);
        assert_eq!(delivered(&app, &student, "Завтра, 02.03.2027"), 1);

        // Down from 19:50 to 21:00 a week later: the missed 20:00 is caught up on start.
        set_clock(&app, utc(2027, 3, 8, 16, 50));
        wait_planned(&app, utc(2027, 3, 8, 16, 50)).await;
        app.stop().await;
        app.clock.set(utc(2027, 3, 8, 18, 0));
        app.start().await;
        app.wake_sender();
        wait_delivered(&app, &student, "Завтра, 09.03.2027").await;
        let rows = rows_of(&app, student.id(), "digest_evening").await;
        assert_eq!(rows.len(), 2);
        // Due at the missed minute (a millisecond after it: the leader's comes first).
        let minute = utc(2027, 3, 8, 17, 0);
        assert!(
            rows.iter()
                .any(|r| r.due_at >= minute && r.due_at < minute + chrono::Duration::seconds(1)),
            "{rows:?}"
        );
    }
);

both_backends!(
    the_leader_turns_the_group_chat_digest_on_and_a_member_cannot,
    |backend: Backend| async move {
        use study_group_bot::telegram::timetable::Action;
        let app = TestApp::spawn(backend).await;
        let (leader, student, group) = group_with_classes(&app).await;
        let posts = |app: &TestApp| {
            let db = app.db.clone();
            async move {
                timetables::Entity::find_by_id(group)
                    .one(&db)
                    .await
                    .unwrap()
                    .unwrap()
                    .post_digest
            }
        };
        leader.press("🗓 Расписание").await;
        leader
            .click_button("⚙️ Изменить расписание")
            .await
            .expect_text_contains("Вечерняя сводка в чат группы не публикуется");
        leader
            .click_button("🌙 Сводка — в чат")
            .await
            .expect_text_contains("Вечерняя сводка на завтра публикуется в чате группы в 20:00");
        assert!(posts(&app).await);
        let history = study_group_bot::storage::entities::changelog::Entity::find()
            .filter(
                study_group_bot::storage::entities::changelog::Column::ActionType
                    .eq("timetable.post_digest"),
            )
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(history.len(), 1);
        // A member's forged press changes nothing.
        student
            .forge_callback(&encode(&Action::PostDigest { on: false }))
            .await;
        assert!(posts(&app).await);
        leader.click_button("🔕 Без сводки в чате").await;
        assert!(!posts(&app).await);

        // Planned while on, turned off before it is due: not posted.
        let chat = -1_001_234_567_890_i64;
        support::fixtures::bind_chat(&app, group, &leader, chat, "ИВТ-21 чат").await;
        leader.click_button("🌙 Сводка — в чат").await;
        set_clock(&app, utc(2027, 3, 1, 16, 59));
        planner::run(&app.db, evening(), None).await.unwrap();
        assert_eq!(rows_of(&app, chat, "digest_evening").await.len(), 1);
        leader.click_button("🔕 Без сводки в чате").await;
        set_clock(&app, evening());
        let deadline = tokio::time::Instant::now() + support::student::HANDLING_TIMEOUT;
        while rows_of(&app, chat, "digest_evening").await[0].status != "cancelled" {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the post was not withdrawn"
            );
            app.wake_sender();
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(texts_to(&app, chat, 0).is_empty());
    }
);
