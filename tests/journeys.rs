//! A new group's journeys through every screen, as its староста and students meet them: forms
//! that survive interruptions, one's own places at a glance, dates as people write them. On
//! SQLite and PostgreSQL, through the fake Bot API.

mod support;

use sea_orm::EntityTrait;
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{dialogues, events, topicselections};
use support::app::{Backend, TestApp};
use support::fixtures::{
    insert_event_on, insert_queue, insert_topics, leader_with_group, positions,
};
use support::student::{Replies, Student};

const EVENTS: &str = "📅 События и Бронь";
const MEMBERS: &str = "👥 Участники группы";
const INTERRUPTED: &str = "Продолжить или отменить?";
const MINE: &str = "🙋 Мои очереди и темы";

/// A student's taps from the main menu: reply-keyboard buttons and inline buttons alike.
struct Taps<'a> {
    student: &'a Student,
    count: usize,
}

impl<'a> Taps<'a> {
    /// Starts at the main menu (`/menu`, not counted).
    async fn from_menu(student: &'a Student) -> Self {
        student.send("/menu").await;
        Self { student, count: 0 }
    }

    async fn press(&mut self, button: &str) -> Replies {
        self.count += 1;
        self.student.press(button).await
    }

    async fn click(&mut self, button: &str) -> Replies {
        self.count += 1;
        self.student.click_button(button).await
    }
}

both_backends!(
    an_interrupted_form_keeps_its_draft,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, _group) = leader_with_group(&app).await;

        // Three steps filled: title, subject, date.
        leader.press(EVENTS).await;
        leader.click_button("➕ Новое событие").await;
        leader
            .send("Лаба 3")
            .await
            .expect_text_contains("Шаг 2 из 5");
        leader
            .send("Физика")
            .await
            .expect_text_contains("Шаг 3 из 5");
        let soon = (chrono::Utc::now() + chrono::Duration::days(30)).format("%d.%m.%Y");
        leader
            .send(&soon.to_string())
            .await
            .expect_text_contains("Шаг 4 из 5");

        // A menu button in the middle: the draft is kept, and the bot asks.
        let before = dialogues::Entity::find()
            .all(&app.db)
            .await
            .expect("dialogues");
        assert_eq!(before.len(), 1, "{before:?}");
        leader
            .press(MEMBERS)
            .await
            .expect_all_accepted()
            .expect_text_contains(INTERRUPTED)
            .expect_no_text_contains("Не понимаю");
        let kept = dialogues::Entity::find()
            .all(&app.db)
            .await
            .expect("dialogues");
        assert_eq!(kept.len(), 1, "the draft is kept");

        // «Продолжить»: the step's question again, and the form goes on from there.
        leader
            .click_button("▶️ Продолжить")
            .await
            .expect_all_accepted()
            .expect_text_contains("Шаг 4 из 5");

        // A sticker repeats the step's question.
        leader
            .send_sticker()
            .await
            .expect_all_accepted()
            .expect_text_contains("Шаг 4 из 5");

        // /start in the middle asks too.
        leader
            .send("/start")
            .await
            .expect_text_contains(INTERRUPTED);
        leader
            .click_button("▶️ Продолжить")
            .await
            .expect_text_contains("Шаг 4 из 5");
        leader
            .send("/skip")
            .await
            .expect_text_contains("Шаг 5 из 5");
        leader.send("нет").await;
        leader
            .click_button("✅ Сохранить")
            .await
            .expect_text_contains("создано");
        let saved = events::Entity::find().all(&app.db).await.expect("events");
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].title, "Лаба 3");
        assert_eq!(saved[0].subject.as_deref(), Some("Физика"));

        // «Отменить»: the draft is dropped, the menu comes back, the next press navigates.
        leader.press(EVENTS).await;
        leader.click_button("➕ Новое событие").await;
        leader.send("Лаба 4").await;
        leader
            .press(MEMBERS)
            .await
            .expect_text_contains(INTERRUPTED);
        leader
            .click_button("✖️ Отменить форму")
            .await
            .expect_text_contains("отменено");
        assert!(
            dialogues::Entity::find()
                .all(&app.db)
                .await
                .expect("dialogues")
                .is_empty()
        );
        leader
            .press(MEMBERS)
            .await
            .expect_no_text_contains(INTERRUPTED)
            .expect_text_contains("Петрова");
    }
);

both_backends!(
    ones_places_are_a_few_taps_from_the_menu,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_leader, group) = leader_with_group(&app).await;
        let soon = chrono::Utc::now().date_naive() + chrono::Duration::days(3);
        let event = insert_event_on(&app, group, "Лабораторная 3", soon, false).await;
        let queue = insert_queue(&app, event, "Защита лаб").await;
        insert_topics(&app, event, &["Алгебра", "Геометрия"], 1).await;
        let ivan = app.student("Иванов Иван");
        let olga = app.student("Смирнова Ольга");
        for s in [&ivan, &olga] {
            app.add_member(group, s, Role::Member).await;
        }

        // Joining a queue: ≤ 3 taps from the main menu.
        for student in [&ivan, &olga] {
            let mut taps = Taps::from_menu(student).await;
            taps.press(MINE)
                .await
                .expect_all_accepted()
                .expect_text_contains("Защита лаб")
                .expect_text_contains("можно встать");
            taps.click("➕ Встать: Защита лаб")
                .await
                .expect_all_accepted();
            assert!(taps.count <= 3, "{} taps to join", taps.count);
        }
        assert_eq!(
            positions(&app, queue).await,
            vec![(ivan.id(), 1), (olga.id(), 2)]
        );

        // One's own position: ≤ 2 taps (here 1).
        let mut taps = Taps::from_menu(&olga).await;
        taps.press(MINE)
            .await
            .expect_all_accepted()
            .expect_text_contains("Место <b>2</b> из 2 — «Защита лаб»");
        assert!(taps.count <= 2, "{} taps to see one's place", taps.count);

        // Picking a topic: ≤ 3 taps.
        let mut taps = Taps::from_menu(&olga).await;
        taps.press(MINE).await;
        taps.click("📋 Выбрать тему: Темы рефератов")
            .await
            .expect_all_accepted();
        taps.click("1. Алгебра").await.expect_all_accepted();
        assert!(taps.count <= 3, "{} taps to pick a topic", taps.count);
        let picks = topicselections::Entity::find()
            .all(&app.db)
            .await
            .expect("picks");
        assert_eq!(picks.len(), 1);
        assert_eq!(picks[0].user_id, olga.id());

        // The pick and the place, together, at a glance.
        olga.press(MINE)
            .await
            .expect_text_contains("Место <b>2</b> из 2")
            .expect_text_contains("Тема «Алгебра» (ждёт подтверждения)");
    }
);

/// `date` as people write it: «15 декабря».
fn in_words(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const GENITIVE: [&str; 12] = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ];
    format!("{} {}", date.day(), GENITIVE[date.month0() as usize])
}

both_backends!(
    dates_are_taken_as_people_write_them,
    |backend: Backend| async move {
        use sea_orm::{ColumnTrait, QueryFilter};
        use study_group_bot::storage::entities::deadlines;
        let app = TestApp::spawn(backend).await;
        let (leader, _group) = leader_with_group(&app).await;
        let day = chrono::Utc::now().date_naive() + chrono::Duration::days(20);

        // «15 декабря» at the date step.
        leader.press(EVENTS).await;
        leader.click_button("➕ Новое событие").await;
        leader.send("Контрольная").await;
        leader.send("/skip").await;
        leader
            .send(&in_words(day))
            .await
            .expect_all_accepted()
            .expect_text_contains("Шаг 4 из 5");
        leader.send("/skip").await;
        leader.send("нет").await;
        leader
            .click_button("✅ Сохранить")
            .await
            .expect_text_contains("создано");
        let event = events::Entity::find()
            .one(&app.db)
            .await
            .expect("events")
            .expect("created");
        assert_eq!(event.event_date, day);

        // «до 14 декабря 18:00» and «14.12 в 18:00» for deadlines.
        let before = day - chrono::Duration::days(1);
        for typed in [
            format!("до {} 18:00", in_words(before)),
            format!("{} в 18:00", before.format("%d.%m")),
            format!("{} В 18:00", in_words(before).to_uppercase()),
        ] {
            leader.click_button("➕ Дедлайн").await;
            leader.send("Отчёт").await;
            leader
                .send(&typed)
                .await
                .expect_all_accepted()
                .expect_text_contains("Дедлайн добавлен");
        }
        let added = deadlines::Entity::find()
            .filter(deadlines::Column::EventId.eq(event.id))
            .all(&app.db)
            .await
            .expect("deadlines");
        assert_eq!(added.len(), 3);
    }
);

both_backends!(
    the_groups_zone_is_named_as_the_picker_names_it,
    |backend: Backend| async move {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        use study_group_bot::storage::entities::deadlines;
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        support::fixtures::set_timezone(&app, group, "Asia/Novosibirsk").await;
        let day = chrono::Utc::now().date_naive() + chrono::Duration::days(5);
        let event = insert_event_on(&app, group, "Контрольная", day, false).await;
        deadlines::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            event_id: Set(event),
            description: Set("Отчёт".to_owned()),
            deadline_at: Set(chrono::Utc::now() + chrono::Duration::days(4)),
        }
        .insert(&app.db)
        .await
        .expect("deadline inserted");

        support::fixtures::open_card(&leader, event).await;
        let card = leader
            .message_with_button("➕ Дедлайн")
            .expect("the card")
            .raw_text;
        assert!(card.contains("Новосибирск (UTC+7)"), "{card}");
        assert!(!card.contains("Asia/Novosibirsk"), "{card}");
        leader
            .send("/deadlines")
            .await
            .expect_text_contains("Новосибирск (UTC+7)")
            .expect_no_text_contains("Asia/Novosibirsk");
    }
);
