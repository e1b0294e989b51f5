//! F5: events, the calendar, deadlines and "new for me" — as students click them, on SQLite and
//! PostgreSQL, through the fake Bot API.

mod support;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{
    changelog, deadlines, dialogues, events, queues, topiclists, users, viewedevents,
};
use study_group_bot::telegram::callback::encode;
use study_group_bot::telegram::events::Action;
use support::app::{Backend, TestApp};
use support::fixtures::{insert_event_on, leader_with_group, log_count, set_timezone};
use support::student::Student;
use uuid::Uuid;

const EVENTS: &str = "📅 События и Бронь";

fn today_in(zone: Tz) -> NaiveDate {
    Utc::now().with_timezone(&zone).date_naive()
}

fn moscow() -> Tz {
    chrono_tz::Europe::Moscow
}

fn dmy(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

async fn insert_deadline(app: &TestApp, event: Uuid, text: &str, at: DateTime<Utc>) -> Uuid {
    let id = Uuid::new_v4();
    deadlines::ActiveModel {
        id: Set(id),
        event_id: Set(event),
        description: Set(text.to_owned()),
        deadline_at: Set(at),
    }
    .insert(&app.db)
    .await
    .expect("deadline inserted");
    id
}

async fn all_events(app: &TestApp) -> Vec<events::Model> {
    events::Entity::find().all(&app.db).await.expect("events")
}

/// Opens the creation form from the calendar and answers its first step with `title`.
async fn start_event(author: &Student, title: &str) {
    author.press(EVENTS).await;
    author.click_button("➕ Новое событие").await;
    author.send(title).await;
}

/// Walks the creation form up to its summary with valid answers: the title, no subject, `date`
/// typed, no description, `important`.
async fn fill_event(author: &Student, title: &str, date: &str, important: bool) {
    start_event(author, title).await;
    author.send("/skip").await;
    author.send(date).await;
    author.send("/skip").await;
    author.send(if important { "да" } else { "нет" }).await;
}

/// Walks the creation form with valid answers (see [`fill_event`]), then «Сохранить».
async fn create_event(leader: &Student, title: &str, date: &str, important: bool) {
    fill_event(leader, title, date, important).await;
    leader
        .click_button("✅ Сохранить")
        .await
        .expect_all_accepted()
        .expect_text_contains("создано");
}

/// The event's id by title.
async fn event_id(app: &TestApp, title: &str) -> Uuid {
    events::Entity::find()
        .filter(events::Column::Title.eq(title))
        .one(&app.db)
        .await
        .expect("query events")
        .unwrap_or_else(|| panic!("no event «{title}»"))
        .id
}

both_backends!(
    creating_an_event_validates_every_step,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;

        leader
            .press(EVENTS)
            .await
            .expect_all_accepted()
            .expect_text_contains("Календарь группы «ИВТ-21»");
        leader
            .click_button("➕ Новое событие")
            .await
            .expect_all_accepted()
            .expect_text_contains("Шаг 1 из 5")
            .expect_keyboard(&["❌ Отмена"]);

        // Title: empty, too long, several lines — explained, the step kept.
        leader
            .send("   ")
            .await
            .expect_text_contains("Название не может быть пустым");
        leader
            .send(&"Я".repeat(101))
            .await
            .expect_text_contains("Название слишком длинное (101 символ)");
        leader
            .send(&"Я".repeat(100))
            .await
            .expect_text_contains("Шаг 2 из 5");
        // The title is stored, so start again for a title with markup.
        leader.send("/cancel").await;
        leader.click_button("➕ Новое событие").await;
        leader
            .send("<b>Лаба</b> & защита")
            .await
            .expect_text_contains("Шаг 2 из 5");

        // Subject: too long, then a valid one.
        leader
            .send(&"ф".repeat(101))
            .await
            .expect_text_contains("слишком длинное (101 символ)");
        leader
            .send("Физика")
            .await
            .expect_all_accepted()
            .expect_text_contains("Шаг 3 из 5");

        // Date: not a date, no such day, too far, then «завтра».
        for (typed, explanation) in [
            ("когда-нибудь", "Не понимаю дату"),
            ("31.02.2027", "Такого дня нет"),
            ("32.01", "Такого дня нет"),
            ("01.01.2099", "слишком далеко"),
        ] {
            leader.send(typed).await.expect_text_contains(explanation);
        }
        let tomorrow_before = today_in(moscow()) + Duration::days(1);
        leader
            .send("завтра")
            .await
            .expect_text_contains("Шаг 4 из 5");
        let tomorrow_after = today_in(moscow()) + Duration::days(1);

        // Description: too long, then a valid one.
        leader
            .send(&"д".repeat(2001))
            .await
            .expect_text_contains("Описание слишком длинное (2001 символ)");
        leader
            .send("Принести отчёт\nи тетрадь")
            .await
            .expect_text_contains("Шаг 5 из 5");

        // Important: anything but yes/no is explained.
        leader
            .send("может быть")
            .await
            .expect_text_contains("Ответьте «Да» или «Нет»");
        let summary = leader.click_button("Да").await;
        summary
            .expect_all_accepted()
            .expect_text_contains("Проверьте событие")
            .expect_text_contains("&lt;b&gt;Лаба&lt;/b&gt; &amp; защита")
            .expect_text_contains("Физика")
            .expect_text_contains("Важное событие");
        assert_eq!(summary.button_texts(), ["✅ Сохранить", "❌ Отмена"]);
        assert!(
            all_events(&app).await.is_empty(),
            "nothing before «Сохранить»"
        );
        leader
            .send("что-то")
            .await
            .expect_text_contains("нажмите «✅ Сохранить»");

        let saved = leader.click_button("✅ Сохранить").await;
        saved
            .expect_all_accepted()
            .expect_text_contains("✅ Событие «&lt;b&gt;Лаба&lt;/b&gt; &amp; защита» создано.");
        assert!(
            saved
                .button_texts()
                .contains(&"🗑 Удалить событие".to_owned())
        );

        let stored = all_events(&app).await;
        assert_eq!(stored.len(), 1);
        let event = &stored[0];
        assert_eq!(event.title, "<b>Лаба</b> & защита");
        assert_eq!(event.subject.as_deref(), Some("Физика"));
        assert_eq!(
            event.description.as_deref(),
            Some("Принести отчёт\nи тетрадь")
        );
        assert!(event.is_important);
        assert_eq!(event.group_id, group);
        assert_eq!(event.created_by_user_id, Some(leader.id()));
        assert!(
            [tomorrow_before, tomorrow_after].contains(&event.event_date),
            "{} is tomorrow in Moscow",
            event.event_date
        );
        let log = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("event.create"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].group_id, Some(group));
        assert_eq!(log[0].user_id, Some(leader.id()));
        assert_eq!(log[0].entity_id, Some(event.id.to_string()));
        assert_eq!(dialogues::Entity::find().count(&app.db).await.unwrap(), 0);

        // A second «Сохранить» on the old summary creates nothing.
        leader
            .forge_callback("1|e|sv")
            .await
            .expect_answered()
            .expect("a toast");
        assert_eq!(all_events(&app).await.len(), 1);
    }
);

both_backends!(
    skip_buttons_and_a_past_date_with_confirmation,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, _group) = leader_with_group(&app).await;
        start_event(&leader, "Коллоквиум").await;
        leader
            .click_button("Пропустить")
            .await
            .expect_all_accepted()
            .expect_text_contains("Шаг 3 из 5");

        let past = today_in(moscow()) - Duration::days(7);
        leader
            .send(&dmy(past))
            .await
            .expect_all_accepted()
            .expect_text_contains("уже прошло");
        // «Другая дата»: the calendar again; then the same past date, confirmed.
        leader
            .click_button("Выбрать другую")
            .await
            .expect_text_contains("Шаг 3 из 5");
        leader
            .send(&dmy(past))
            .await
            .expect_text_contains("уже прошло");
        leader
            .click_button("Да, на эту дату")
            .await
            .expect_text_contains("Шаг 4 из 5");
        leader
            .click_button("Пропустить")
            .await
            .expect_text_contains("Шаг 5 из 5");
        leader
            .send("нет")
            .await
            .expect_text_contains("Проверьте событие");
        leader
            .send("Сохранить")
            .await
            .expect_all_accepted()
            .expect_text_contains("создано");

        let stored = all_events(&app).await;
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].event_date, past);
        assert_eq!(stored[0].subject, None);
        assert_eq!(stored[0].description, None);
        assert!(!stored[0].is_important);
    }
);

both_backends!(
    a_date_can_be_tapped_in_the_calendar,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, _group) = leader_with_group(&app).await;
        start_event(&leader, "Экзамен").await;
        let picker = leader.send("/skip").await;
        // The picker shows the current month (today marked); go to March of next year, one
        // month further with «▶️», and tap the 15th.
        let today = today_in(moscow());
        assert!(
            picker
                .button_texts()
                .iter()
                .any(|label| label.starts_with('[')),
            "today is marked"
        );
        let year = today.year() + 1;
        leader
            .forge_callback(&format!("1|e|pm|{year}|3"))
            .await
            .expect_all_accepted();
        let april = leader.click_button("▶️").await;
        april.expect_all_accepted();
        assert!(april.button_texts().contains(&format!("Апрель {year}")));
        leader
            .click_button("15")
            .await
            .expect_all_accepted()
            .expect_text_contains("Шаг 4 из 5");
        leader.send("/skip").await;
        leader.click_button("Нет").await;
        leader.click_button("✅ Сохранить").await;
        let stored = all_events(&app).await;
        assert_eq!(
            Some(stored[0].event_date),
            NaiveDate::from_ymd_opt(year, 4, 15)
        );
    }
);

both_backends!(
    cancel_at_any_step_leaves_no_trace,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, _group) = leader_with_group(&app).await;

        // /cancel after the title.
        start_event(&leader, "Лаба 1").await;
        leader
            .send("/cancel")
            .await
            .expect_text_contains("Действие отменено");

        // «❌ Отмена» (the reply keyboard) at the date step.
        start_event(&leader, "Лаба 2").await;
        leader.send("/skip").await;
        leader
            .press("❌ Отмена")
            .await
            .expect_text_contains("Действие отменено");

        // The inline «❌ Отмена» under the summary.
        fill_event(&leader, "Лаба 3", "завтра", true).await;
        leader
            .click_button("❌ Отмена")
            .await
            .expect_all_accepted()
            .expect_text_contains("Действие отменено");
        // Its «Сохранить» is outdated now.
        let toast = leader
            .forge_callback("1|e|sv")
            .await
            .expect_answered()
            .expect("a toast");
        assert!(toast.contains("устарела"), "{toast}");

        // A main-menu button in the middle of the form asks first; «Отменить форму» leaves it.
        start_event(&leader, "Лаба 4").await;
        leader
            .press(EVENTS)
            .await
            .expect_text_contains("Продолжить или отменить?");
        leader
            .click_button("✖️ Отменить форму")
            .await
            .expect_text_contains("Действие отменено");
        leader
            .press(EVENTS)
            .await
            .expect_text_contains("Календарь группы");

        assert!(all_events(&app).await.is_empty());
        assert_eq!(log_count(&app, "event.create").await, 0);
        assert_eq!(dialogues::Entity::find().count(&app.db).await.unwrap(), 0);
    }
);

both_backends!(
    the_month_grid_navigates_across_years_and_leap_days,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
        insert_event_on(&app, group, "Обычное", day(2028, 2, 10), false).await;
        insert_event_on(&app, group, "Важное", day(2028, 2, 12), true).await;
        insert_event_on(&app, group, "Ещё одно", day(2028, 2, 12), false).await;

        let before = today_in(moscow());
        let calendar = leader.press(EVENTS).await;
        let after = today_in(moscow());
        let labels = calendar.button_texts();
        assert!(
            labels.contains(&format!("[{}]", before.day()))
                || labels.contains(&format!("[{}]", after.day())),
            "today is marked: {labels:?}"
        );
        assert!(labels.contains(&"Пн".to_owned()) && labels.contains(&"Вс".to_owned()));
        assert!(labels.contains(&"🗓 Ближайшие".to_owned()));
        assert!(labels.contains(&"⏰ Дедлайны".to_owned()));

        // December → January of the next year.
        leader
            .forge_callback("1|e|m|2027|12")
            .await
            .expect_answered();
        let december = leader
            .message_with_button("Декабрь 2027")
            .expect("December shown");
        let january = leader.click_button("▶️").await;
        january.expect_all_accepted();
        assert!(january.button_texts().contains(&"Январь 2028".to_owned()));
        assert!(
            january
                .messages()
                .iter()
                .all(|r| r.method == "editMessageText"),
            "navigation edits the message in place"
        );
        assert_eq!(
            leader
                .message_with_button("Январь 2028")
                .map(|m| m.message_id),
            Some(december.message_id)
        );
        // And back.
        let back = leader.click_button("◀️").await;
        assert!(back.button_texts().contains(&"Декабрь 2027".to_owned()));

        // February 2028: 29 days, starting on a Tuesday; the marked days.
        leader.forge_callback("1|e|m|2028|2").await;
        let february = leader
            .message_with_button("Февраль 2028")
            .expect("February shown");
        let rows = february.inline_buttons();
        let labels: Vec<String> = rows.iter().flatten().map(|(t, _)| t.clone()).collect();
        assert!(labels.contains(&"29".to_owned()));
        assert!(!labels.contains(&"30".to_owned()));
        assert!(labels.contains(&"10•".to_owned()), "{labels:?}");
        assert!(labels.contains(&"12❗".to_owned()), "{labels:?}");
        let first_week: Vec<&str> = rows[2].iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(first_week, [" ", "1", "2", "3", "4", "5", "6"]);

        // A day opens its events, important first.
        let day12 = leader.click_button("12❗").await;
        day12
            .expect_all_accepted()
            .expect_text_contains("12.02.2028, суббота")
            .expect_text_contains("2 события");
        let buttons = day12.button_texts();
        assert!(buttons[0].contains("Важное"), "{buttons:?}");
        assert!(buttons.contains(&"◀️ К календарю".to_owned()));
        let back = leader.click_button("◀️ К календарю").await;
        assert!(back.button_texts().contains(&"Февраль 2028".to_owned()));

        // Forged months are outdated buttons.
        let toast = leader
            .forge_callback("1|e|m|2028|13")
            .await
            .expect_answered()
            .expect("toast");
        assert!(toast.contains("устарела"));
    }
);

both_backends!(
    english_users_see_english_months,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_leader, group) = leader_with_group(&app).await;
        let student = Student::with_language(&app.tg, &app.db, "Smith John", "en");
        app.add_member(group, &student, Role::Member).await;
        student.send("/calendar").await.expect_all_accepted();
        student.forge_callback("1|e|m|2028|2").await;
        assert!(student.message_with_button("February 2028").is_some());
        assert!(student.message_with_button("Mo").is_some());
    }
);

both_backends!(
    today_follows_the_groups_time_zone,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let east = app.student("Ким Ольга");
        let east_group = app.create_group(&east, "Восток-1").await;
        let west = app.student("Орлов Пётр");
        let west_group = app.create_group(&west, "Запад-1").await;
        set_timezone(&app, east_group, "Asia/Vladivostok").await;
        set_timezone(&app, west_group, "Europe/Moscow").await;
        let vladivostok: Tz = chrono_tz::Asia::Vladivostok;

        let mut expected = Vec::new();
        for (leader, title, zone) in [
            (&east, "Восточное", vladivostok),
            (&west, "Западное", moscow()),
        ] {
            let before = today_in(zone);
            create_event(leader, title, "сегодня", false).await;
            let after = today_in(zone);
            expected.push((title, before, after));
        }
        for (title, before, after) in expected {
            let id = event_id(&app, title).await;
            let stored = events::Entity::find_by_id(id)
                .one(&app.db)
                .await
                .unwrap()
                .expect("stored");
            assert!(
                [before, after].contains(&stored.event_date),
                "«{title}» on {} (today there: {before} / {after})",
                stored.event_date
            );
        }

        // The calendar marks today of the group's zone.
        let before = today_in(vladivostok);
        let labels = east.press(EVENTS).await.button_texts();
        let after = today_in(vladivostok);
        assert!(
            [before, after].iter().any(|d| labels
                .iter()
                .any(|l| l.starts_with(&format!("[{}", d.day())))),
            "{labels:?}"
        );
    }
);

both_backends!(
    new_events_are_marked_until_opened,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let member = app.student("Зайцева Дарья");
        app.add_member(group, &member, Role::Member).await;
        create_event(&leader, "Лаба 1", "завтра", false).await;
        create_event(&leader, "Экзамен", "завтра", true).await;
        let past = today_in(moscow()) - Duration::days(30);
        insert_event_on(&app, group, "Прошлое", past, false).await;

        // The creator has seen their events.
        leader.send("/menu").await.expect_keyboard(&[
            EVENTS,
            "🗓 Расписание",
            "📚 Домашка",
            "🙋 Мои очереди и темы",
            "👥 Участники группы",
            "⚙️ Настройки группы",
            "👤 Профиль",
        ]);

        member.send("/menu").await.expect_keyboard(&[
            EVENTS,
            "🗓 Расписание",
            "📚 Домашка",
            "🙋 Мои очереди и темы",
            "👥 Участники группы",
            "👤 Профиль",
        ]);
        let calendar = member.press(EVENTS).await;
        calendar
            .expect_all_accepted()
            .expect_text_contains("У вас 2 новых события");
        let upcoming = member.click_button("🗓 Ближайшие").await;
        upcoming.expect_all_accepted();
        let buttons = upcoming.button_texts();
        assert!(buttons.contains(&"🆕 Лаба 1".to_owned()), "{buttons:?}");
        assert!(buttons.contains(&"🆕 ❗ Экзамен".to_owned()), "{buttons:?}");

        // Opening a card marks it seen.
        member
            .click_button("🆕 Лаба 1")
            .await
            .expect_all_accepted()
            .expect_text_contains("Лаба 1");
        member
            .press(EVENTS)
            .await
            .expect_text_contains("У вас 1 новое событие");
        member.send("/menu").await.expect_keyboard(&[
            EVENTS,
            "🗓 Расписание",
            "📚 Домашка",
            "🙋 Мои очереди и темы",
            "👥 Участники группы",
            "👤 Профиль",
        ]);
        let upcoming = member.click_button("🗓 Ближайшие").await;
        let buttons = upcoming.button_texts();
        assert!(buttons.contains(&"Лаба 1".to_owned()), "{buttons:?}");
        member
            .click_button("🆕 ❗ Экзамен")
            .await
            .expect_all_accepted();
        // Opening again changes nothing.
        member.click_button("◀️ К календарю").await;
        member.click_button("🗓 Ближайшие").await;
        member
            .click_button("❗ Экзамен")
            .await
            .expect_all_accepted();

        member
            .press(EVENTS)
            .await
            .expect_no_text_contains("новое событие")
            .expect_no_text_contains("новых событ");
        member.send("/menu").await.expect_keyboard(&[
            EVENTS,
            "🗓 Расписание",
            "📚 Домашка",
            "🙋 Мои очереди и темы",
            "👥 Участники группы",
            "👤 Профиль",
        ]);
        let seen = viewedevents::Entity::find()
            .filter(viewedevents::Column::UserId.eq(member.id()))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(seen, 2);
    }
);

both_backends!(
    members_are_notified_of_new_events,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let member = app.student("Зайцева Дарья");
        app.add_member(group, &member, Role::Member).await;
        let assistant = Student::with_language(&app.tg, &app.db, "Smith John", "en");
        app.add_member(group, &assistant, Role::Assistant).await;
        let blocked = app.student("Тихонов Глеб");
        app.add_member(group, &blocked, Role::Member).await;
        users::Entity::update_many()
            .set(users::ActiveModel {
                is_blocked: Set(true),
                ..Default::default()
            })
            .filter(users::Column::TelegramId.eq(blocked.id()))
            .exec(&app.db)
            .await
            .unwrap();
        let outsider = app.student("Чужой Иван");
        app.create_group(&outsider, "Другая").await;
        let since = app.tg.next_seq();

        create_event(&leader, "Экзамен <по матану>", "завтра", true).await;

        let sent_to = |chat: i64| {
            app.tg
                .requests_since(since)
                .into_iter()
                .filter(|r| r.method == "sendMessage" && r.chat_id() == Some(chat))
                .filter_map(|r| r.text().map(str::to_owned))
                .collect::<Vec<_>>()
        };
        let to_member = sent_to(member.id());
        assert_eq!(to_member.len(), 1, "{to_member:?}");
        assert!(to_member[0].contains("Новое важное событие</b> в группе «ИВТ-21»"));
        assert!(
            to_member[0].contains("Экзамен &lt;по матану&gt;"),
            "{}",
            to_member[0]
        );
        let to_assistant = sent_to(assistant.id());
        assert_eq!(to_assistant.len(), 1);
        assert!(
            to_assistant[0].contains("New important event"),
            "{}",
            to_assistant[0]
        );
        assert!(sent_to(blocked.id()).is_empty());
        assert!(sent_to(outsider.id()).is_empty());
        assert!(
            sent_to(leader.id())
                .iter()
                .all(|t| !t.contains("Новое важное событие")),
            "not to the creator"
        );
        assert!(
            sent_to(leader.id())
                .iter()
                .any(|t| t.contains("Уведомлено: 2 участника"))
        );

        // The announcement opens the card.
        member
            .click_button("Открыть событие")
            .await
            .expect_all_accepted()
            .expect_text_contains("Экзамен &lt;по матану&gt;")
            .expect_text_contains("Важное событие");
    }
);

both_backends!(
    members_cannot_manage_events,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let member = app.student("Зайцева Дарья");
        app.add_member(group, &member, Role::Member).await;
        create_event(&leader, "Лаба 1", "завтра", false).await;
        let event = event_id(&app, "Лаба 1").await;
        insert_deadline(&app, event, "Отчёт", Utc::now() + Duration::days(3)).await;

        // The member sees no management buttons.
        let calendar = member.press(EVENTS).await;
        assert!(
            !calendar
                .button_texts()
                .contains(&"➕ Новое событие".to_owned())
        );
        member.click_button("🗓 Ближайшие").await;
        let card = member.click_button("🆕 Лаба 1").await;
        assert_eq!(card.button_texts(), ["◀️ К календарю"]);

        // The leader's buttons, replayed by the member.
        leader.press(EVENTS).await;
        leader.click_button("🗓 Ближайшие").await;
        leader.click_button("Лаба 1").await;
        let mut replayed = vec!["1|e|n".to_owned()];
        for label in [
            "✏️ Название",
            "✏️ Дата",
            "❗ Сделать важным",
            "➕ Дедлайн",
            "➖ Удалить дедлайн",
            "🗑 Удалить событие",
        ] {
            replayed.push(leader.button_data(label));
        }
        leader.click_button("🗑 Удалить событие").await;
        replayed.push(leader.button_data("🗑 Да, удалить"));
        leader.click_button("◀️ Нет, оставить").await;
        leader
            .click_button("➖ Удалить дедлайн")
            .await
            .expect_all_accepted();
        replayed.push(leader.button_data(&leader_deadline_button(&leader)));
        for data in &replayed {
            let toast = member
                .forge_callback(data)
                .await
                .expect_answered()
                .unwrap_or_else(|| panic!("{data}: no toast"));
            assert!(toast.contains("недоступно"), "{data}: {toast}");
        }
        // Nothing changed, and the member is in no form.
        let stored = all_events(&app).await;
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].is_important);
        assert_eq!(deadlines::Entity::find().count(&app.db).await.unwrap(), 1);
        assert_eq!(log_count(&app, "event.edit").await, 0);
        assert_eq!(log_count(&app, "event.delete").await, 0);
        assert_eq!(log_count(&app, "deadline.remove").await, 0);
        member
            .send("Новое название")
            .await
            .expect_text_contains("Не понимаю");
    }
);

/// The label of the first remove button on the leader's deadline list.
fn leader_deadline_button(leader: &Student) -> String {
    let message = leader
        .message_with_button("◀️ К событию")
        .expect("the deadline list");
    message
        .inline_buttons()
        .into_iter()
        .flatten()
        .map(|(text, _)| text)
        .find(|text| text.starts_with('🗑'))
        .expect("a remove button")
}

both_backends!(
    another_groups_events_are_not_found,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, _group) = leader_with_group(&app).await;
        create_event(&leader, "Лаба 1", "завтра", false).await;
        let event = event_id(&app, "Лаба 1").await;
        let deadline = insert_deadline(&app, event, "Отчёт", Utc::now() + Duration::days(3)).await;

        // Buttons of the first group's leader…
        leader.press(EVENTS).await;
        leader.click_button("🗓 Ближайшие").await;
        let open = leader.button_data("Лаба 1");
        leader.click_button("Лаба 1").await;
        let mut forged = vec![open];
        for label in [
            "✏️ Название",
            "❗ Сделать важным",
            "➕ Дедлайн",
            "🗑 Удалить событие",
        ] {
            forged.push(leader.button_data(label));
        }
        leader.click_button("🗑 Удалить событие").await;
        forged.push(leader.button_data("🗑 Да, удалить"));

        // …pressed by the leader of another group.
        let other = app.student("Орлов Пётр");
        app.create_group(&other, "ИВТ-22").await;
        other.press(EVENTS).await;
        for data in &forged {
            let toast = other
                .forge_callback(data)
                .await
                .expect_answered()
                .unwrap_or_else(|| panic!("{data}: no toast"));
            assert!(toast.contains("не найдено"), "{data}: {toast}");
        }
        let toast = other
            .forge_callback(&encode(&Action::RemoveDeadline { deadline }))
            .await
            .expect_answered()
            .expect("toast");
        assert!(toast.contains("Дедлайн не найден"), "{toast}");

        let stored = all_events(&app).await;
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].title, "Лаба 1");
        assert!(!stored[0].is_important);
        assert_eq!(deadlines::Entity::find().count(&app.db).await.unwrap(), 1);
        assert_eq!(log_count(&app, "event.edit").await, 0);
        assert_eq!(log_count(&app, "event.delete").await, 0);
        assert_eq!(dialogues::Entity::find().count(&app.db).await.unwrap(), 0);
        // The outsider never saw the event as new.
        assert_eq!(
            viewedevents::Entity::find()
                .filter(viewedevents::Column::UserId.eq(other.id()))
                .count(&app.db)
                .await
                .unwrap(),
            0
        );
    }
);

both_backends!(every_field_can_be_edited, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (leader, _group) = leader_with_group(&app).await;
    start_event(&leader, "Лаба 1").await;
    leader.send("Физика").await;
    leader.send("завтра").await;
    leader.send("Описание").await;
    leader.send("нет").await;
    leader.click_button("✅ Сохранить").await;
    let event = event_id(&app, "Лаба 1").await;

    // Title: validated like at creation.
    leader
        .click_button("✏️ Название")
        .await
        .expect_text_contains("Сейчас: «Лаба 1»");
    leader
        .send(&"Я".repeat(101))
        .await
        .expect_text_contains("слишком длинное");
    leader
        .send("Лаба 1 (защита)")
        .await
        .expect_all_accepted()
        .expect_text_contains("Изменения сохранены")
        .expect_text_contains("<b>Лаба 1 (защита)</b>");
    // Subject: /skip removes it.
    leader.click_button("✏️ Предмет").await;
    leader
        .send("/skip")
        .await
        .expect_text_contains("Изменения сохранены");
    // Description: the «🧹 Убрать» button removes it; then a new one.
    leader.click_button("✏️ Описание").await;
    leader
        .click_button("🧹 Убрать")
        .await
        .expect_all_accepted()
        .expect_text_contains("Изменения сохранены");
    leader.click_button("✏️ Описание").await;
    leader
        .send(&"д".repeat(2001))
        .await
        .expect_text_contains("Описание слишком длинное");
    leader.send("Новое описание").await;
    // Date: a past date needs a confirmation.
    let past = today_in(moscow()) - Duration::days(3);
    leader.click_button("✏️ Дата").await;
    leader
        .send("31.02.2027")
        .await
        .expect_text_contains("Такого дня нет");
    leader
        .send(&dmy(past))
        .await
        .expect_text_contains("уже прошло");
    leader
        .click_button("Да, на эту дату")
        .await
        .expect_text_contains("Изменения сохранены");
    // Important: a toggle on the card.
    leader
        .click_button("❗ Сделать важным")
        .await
        .expect_all_accepted()
        .expect_text_contains("Важное событие");

    let stored = events::Entity::find_by_id(event)
        .one(&app.db)
        .await
        .unwrap()
        .expect("event");
    assert_eq!(stored.title, "Лаба 1 (защита)");
    assert_eq!(stored.subject, None);
    assert_eq!(stored.description.as_deref(), Some("Новое описание"));
    assert_eq!(stored.event_date, past);
    assert!(stored.is_important);
    assert_eq!(log_count(&app, "event.edit").await, 6);
    assert_eq!(dialogues::Entity::find().count(&app.db).await.unwrap(), 0);
});

both_backends!(
    deadlines_are_added_listed_and_removed,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        set_timezone(&app, group, "Europe/Berlin").await;
        let berlin: Tz = chrono_tz::Europe::Berlin;
        let date = today_in(berlin) + Duration::days(10);
        let event = insert_event_on(&app, group, "Курсовая", date, false).await;

        leader.press(EVENTS).await;
        leader.click_button("🗓 Ближайшие").await;
        leader
            .click_button("🆕 Курсовая")
            .await
            .expect_text_contains("Дедлайнов нет");
        leader
            .click_button("➕ Дедлайн")
            .await
            .expect_text_contains("Что нужно сдать?");
        leader
            .send("  ")
            .await
            .expect_text_contains("не может быть пустым");
        leader
            .send("Черновик <главы 1>")
            .await
            .expect_text_contains("Europe/Berlin");
        leader
            .send("когда-нибудь")
            .await
            .expect_text_contains("Не понимаю дату и время");
        leader
            .send("31.02.2027 10:00")
            .await
            .expect_text_contains("Такого дня нет");
        leader
            .send(&format!("{} 25:00", dmy(date)))
            .await
            .expect_text_contains("Такого времени нет");
        let yesterday = today_in(berlin) - Duration::days(1);
        leader
            .send(&format!("{} 10:00", dmy(yesterday)))
            .await
            .expect_text_contains("уже прошло");
        leader
            .send(&format!("{} 18:00", dmy(date)))
            .await
            .expect_all_accepted()
            .expect_text_contains(&format!("Дедлайн добавлен: {} 18:00", dmy(date)))
            .expect_text_contains("Черновик &lt;главы 1&gt;");

        let stored = deadlines::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(stored.len(), 1);
        let local = berlin
            .from_local_datetime(&date.and_hms_opt(18, 0, 0).expect("time"))
            .single()
            .expect("unambiguous");
        assert_eq!(stored[0].deadline_at, local.with_timezone(&Utc));
        assert_eq!(stored[0].event_id, event);
        assert_eq!(stored[0].description, "Черновик <главы 1>");

        // A second deadline, earlier, stored directly: /deadlines lists them in time order.
        let earlier = Utc::now() + Duration::hours(30);
        insert_deadline(&app, event, "Тема", earlier).await;
        let list = leader.send("/deadlines").await;
        list.expect_all_accepted()
            .expect_text_contains("Europe/Berlin");
        let text = list.last_text();
        let first = text.find("Тема").expect("listed");
        let second = text.find("Черновик").expect("listed");
        assert!(first < second, "time order: {text}");
        assert!(
            text.contains(&format!("{} 18:00", dmy(date))),
            "group time: {text}"
        );
        // Past deadlines are not upcoming.
        insert_deadline(&app, event, "Прошедший", Utc::now() - Duration::hours(1)).await;
        leader
            .send("/deadlines")
            .await
            .expect_no_text_contains("Прошедший");

        // Removing one from the card.
        leader.press(EVENTS).await;
        leader.click_button("🗓 Ближайшие").await;
        leader
            .click_button("Курсовая")
            .await
            .expect_text_contains("Черновик");
        leader.click_button("➖ Удалить дедлайн").await;
        let label = leader_deadline_button(&leader);
        let removed = leader.click_button(&label).await;
        assert_eq!(
            removed.expect_answered().as_deref(),
            Some("Дедлайн удалён.")
        );
        assert_eq!(deadlines::Entity::find().count(&app.db).await.unwrap(), 2);
        assert_eq!(log_count(&app, "deadline.add").await, 1);
        assert_eq!(log_count(&app, "deadline.remove").await, 1);
        let entry = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("deadline.add"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("logged");
        assert_eq!(entry.group_id, Some(group));
    }
);

both_backends!(deleting_an_event_cascades, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (leader, group) = leader_with_group(&app).await;
    let member = app.student("Зайцева Дарья");
    app.add_member(group, &member, Role::Member).await;
    create_event(&leader, "Лаба 1", "завтра", false).await;
    let event = event_id(&app, "Лаба 1").await;
    let keep = insert_event_on(&app, group, "Другое", today_in(moscow()), false).await;
    insert_deadline(&app, event, "Отчёт", Utc::now() + Duration::days(2)).await;
    insert_deadline(&app, keep, "Не трогать", Utc::now() + Duration::days(2)).await;
    queues::ActiveModel {
        id: Set(Uuid::new_v4()),
        event_id: Set(event),
        title: Set("Очередь".into()),
        description: Set(None),
        max_participants: Set(None),
        created_at: Set(Utc::now()),
        is_closed: Set(false),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    topiclists::ActiveModel {
        id: Set(Uuid::new_v4()),
        event_id: Set(event),
        title: Set("Темы".into()),
        max_participants_per_topic: Set(1),
        created_by_user_id: Set(Some(leader.id())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    member.press(EVENTS).await;
    member.click_button("🗓 Ближайшие").await;
    member
        .click_button("🆕 Лаба 1")
        .await
        .expect_text_contains("Очереди: 1");

    leader.press(EVENTS).await;
    leader.click_button("🗓 Ближайшие").await;
    leader.click_button("Лаба 1").await;
    leader
        .click_button("🗑 Удалить событие")
        .await
        .expect_text_contains("Удалить событие «Лаба 1»");
    // «Нет» goes back to the card.
    leader
        .click_button("◀️ Нет, оставить")
        .await
        .expect_text_contains("Лаба 1");
    leader.click_button("🗑 Удалить событие").await;
    let deleted = leader.click_button("🗑 Да, удалить").await;
    assert_eq!(
        deleted.expect_answered().as_deref(),
        Some("🗑 Событие удалено.")
    );
    deleted.expect_text_contains("Календарь группы");

    assert_eq!(all_events(&app).await.len(), 1);
    let remaining = deadlines::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(remaining.len(), 1);
    assert_eq!(remaining[0].event_id, keep);
    assert_eq!(queues::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(topiclists::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(
        viewedevents::Entity::find()
            .filter(viewedevents::Column::EventId.eq(event))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(log_count(&app, "event.delete").await, 1);
    // A button still showing the deleted event finds nothing.
    let toast = member
        .forge_callback(&encode(&Action::Open { event }))
        .await
        .expect_answered()
        .expect("toast");
    assert!(toast.contains("не найдено"), "{toast}");
    member.press(EVENTS).await;
    member
        .click_button("🗓 Ближайшие")
        .await
        .expect_text_contains("Другое")
        .expect_no_text_contains("Лаба 1");
});

both_backends!(
    long_lists_are_paged_and_long_cards_fit,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let date = today_in(moscow()) + Duration::days(2);
        for i in 0..25 {
            let title = format!("{i:02} {}", "Очень длинное название события ".repeat(3));
            insert_event_on(&app, group, &title, date, i % 5 == 0).await;
        }
        let long = insert_event_on(&app, group, &"𝔄".repeat(100), date, true).await;
        events::ActiveModel {
            id: Set(long),
            description: Set(Some("<&>".repeat(666) + "xx")),
            subject: Set(Some("𝔖".repeat(100))),
            ..Default::default()
        }
        .update(&app.db)
        .await
        .unwrap();
        for i in 0..30 {
            insert_deadline(
                &app,
                long,
                &"Д".repeat(200),
                Utc::now() + Duration::days(1 + i),
            )
            .await;
        }

        leader.press(EVENTS).await;
        let label = format!("{}❗", date.day());
        leader
            .forge_callback(&format!("1|e|m|{}|{}", date.year(), date.month()))
            .await;
        let day = leader.click_button(&label).await;
        day.expect_all_accepted()
            .expect_text_contains("26 событий")
            .expect_text_contains("Показаны 1–10 из 26");
        let next = leader.click_button("▶️").await;
        next.expect_all_accepted()
            .expect_text_contains("Показаны 11–20 из 26");
        leader
            .click_button("▶️")
            .await
            .expect_text_contains("Показаны 21–26 из 26");
        leader
            .click_button("◀️")
            .await
            .expect_text_contains("Показаны 11–20 из 26");

        leader.click_button("◀️ К календарю").await;
        leader
            .click_button("🗓 Ближайшие")
            .await
            .expect_all_accepted()
            .expect_text_contains("Показаны 1–10 из 26");
        leader
            .forge_callback(&encode(&Action::Open { event: long }))
            .await
            .expect_all_accepted()
            .expect_text_contains("… и ещё");
        leader
            .send("/deadlines")
            .await
            .expect_all_accepted()
            .expect_text_contains("Показаны 1–10 из 30");
    }
);

both_backends!(
    outsiders_are_sent_to_a_group_first,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, _group) = leader_with_group(&app).await;
        create_event(&leader, "Лаба 1", "завтра", false).await;
        let event = event_id(&app, "Лаба 1").await;

        let stranger = app.student("Иванов Иван");
        stranger
            .send("/calendar")
            .await
            .expect_all_accepted()
            .expect_text_contains("Вы не состоите в группе");
        stranger
            .send("/deadlines")
            .await
            .expect_text_contains("Вы не состоите в группе");
        let toast = stranger
            .forge_callback(&encode(&Action::Open { event }))
            .await
            .expect_answered()
            .expect("toast");
        assert!(toast.contains("не состоите в группе"), "{toast}");
        assert_eq!(
            viewedevents::Entity::find().count(&app.db).await.unwrap(),
            1
        );
    }
);

both_backends!(
    assistants_create_events_while_their_role_lasts,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_leader, group) = leader_with_group(&app).await;
        let assistant = app.student("Волков Максим");
        app.add_member(group, &assistant, Role::Assistant).await;
        create_event(&assistant, "От помощника", "завтра", false).await;
        assert_eq!(all_events(&app).await.len(), 1);

        // The role is revoked while a form is open: «Сохранить» is refused and the form is over.
        fill_event(&assistant, "Второе", "завтра", false).await;
        study_group_bot::storage::entities::groupmembers::Entity::update_many()
            .set(
                study_group_bot::storage::entities::groupmembers::ActiveModel {
                    is_assistant: Set(false),
                    ..Default::default()
                },
            )
            .filter(
                study_group_bot::storage::entities::groupmembers::Column::UserId.eq(assistant.id()),
            )
            .exec(&app.db)
            .await
            .unwrap();
        let refused = assistant.click_button("✅ Сохранить").await;
        assert_eq!(refused.expect_answered(), None);
        refused
            .expect_all_accepted()
            .expect_text_contains("недоступно")
            .expect_keyboard(&[
                EVENTS,
                "🗓 Расписание",
                "📚 Домашка",
                "🙋 Мои очереди и темы",
                "👥 Участники группы",
                "👤 Профиль",
            ]);
        assert_eq!(all_events(&app).await.len(), 1);
        assert_eq!(dialogues::Entity::find().count(&app.db).await.unwrap(), 0);
        assert_eq!(log_count(&app, "event.create").await, 1);
    }
);
