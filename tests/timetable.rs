//! «🗓 Расписание»: the class timetable — as students click it, on SQLite and PostgreSQL,
//! through the fake Bot API. The semester by form, classes by paste (refused lines named),
//! odd and even weeks up to the semester's end, a subgroup's view, a class cancelled and one
//! moved (shown on their dates, announced once to the members they concern), an extra class,
//! and refusals: members and other groups cannot change the timetable.

mod support;

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{
    changelog, classchanges, classes, groupmembers, groups, outbox, subgroupmembers,
};
use study_group_bot::telegram::callback::encode;
use study_group_bot::telegram::timetable::Action;
use support::app::{Backend, TestApp};
use support::fixtures::{group_with_leader, leader_with_group, set_timezone};
use support::ics::{Component, parse_ics};
use support::student::Student;
use uuid::Uuid;

const TIMETABLE: &str = "🗓 Расписание";

/// Odd weeks hold calculus, even weeks algebra; the lab splits into subgroups.
const PASTE: &str = "пн 1 | Математический анализ | лекция | Иванов И. И. | 301 | нечёт
пн 1 | Линейная алгебра | лекция | Петров П. П. | 302 | чёт
пн 2 | Физика | лаб | Сидорова А. А. | 105 | все | 1

пн 2 | Химия | лаб | | 106 | все | 2";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a date")
}

/// The bot's clock at 10:00 Moscow time on Monday 14 September 2026 (week 3 of a semester
/// starting on Tuesday 1 September: odd).
fn monday_morning(app: &TestApp) {
    app.set_clock(Utc.with_ymd_and_hms(2026, 9, 14, 7, 0, 0).unwrap());
}

async fn class_count(app: &TestApp) -> u64 {
    classes::Entity::find().count(&app.db).await.unwrap()
}

async fn class_id(app: &TestApp, subject: &str) -> Uuid {
    classes::Entity::find()
        .filter(classes::Column::Subject.eq(subject))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no class {subject}"))
        .id
}

/// Outbox rows for `student` whose note is the template `id`.
async fn notices_to(app: &TestApp, student: &Student, id: &str) -> usize {
    let rows = outbox::Entity::find()
        .filter(outbox::Column::ChatId.eq(student.id()))
        .all(&app.db)
        .await
        .unwrap();
    rows.iter()
        .filter(|row| row.payload.to_string().contains(id))
        .count()
}

fn day(date: NaiveDate) -> String {
    encode(&Action::Day { date })
}

/// The leader sets the semester through the form: 01.09.2026 – 30.12.2026, first week odd.
async fn set_semester(leader: &Student) {
    leader
        .press(TIMETABLE)
        .await
        .expect_all_accepted()
        .expect_text_contains("Семестр ещё не задан");
    leader.click_button("⚙️ Изменить расписание").await;
    leader
        .click_button("📆 Семестр")
        .await
        .expect_text_contains("первый и последний день");
    // A bad answer is explained and the question stays.
    leader
        .send("первое сентября")
        .await
        .expect_text_contains("Не получилось прочитать даты");
    leader
        .send("30.12.2026 01.09.2026")
        .await
        .expect_text_contains("раньше первого");
    leader
        .send("01.09.2026 30.12.2026")
        .await
        .expect_text_contains("числитель или знаменатель");
    leader
        .click_button("Числитель")
        .await
        .expect_all_accepted()
        .expect_text_contains("Семестр: 01.09.2026 – 30.12.2026, первая неделя — числитель");
}

/// The leader pastes `text` through «📋 Вставить занятия».
async fn paste(leader: &Student, text: &str) -> support::student::Replies {
    leader.press(TIMETABLE).await;
    leader.click_button("⚙️ Изменить расписание").await;
    leader
        .click_button("📋 Вставить занятия")
        .await
        .expect_text_contains("по одному в строке");
    leader.send(text).await
}

/// A group in Moscow with the semester set and [`PASTE`] entered; returns (leader, group).
async fn group_with_timetable(app: &TestApp) -> (Student, Uuid) {
    let (leader, group) = leader_with_group(app).await;
    set_timezone(app, group, "Europe/Moscow").await;
    monday_morning(app);
    set_semester(&leader).await;
    paste(&leader, PASTE)
        .await
        .expect_all_accepted()
        .expect_text_contains("Добавлено 4 занятия");
    (leader, group)
}

both_backends!(
    a_pasted_timetable_shows_odd_and_even_weeks_and_each_subgroup_its_classes,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        set_timezone(&app, group, "Europe/Moscow").await;
        monday_morning(&app);
        set_semester(&leader).await;

        // A paste with bad lines is refused whole, each bad line named by its number.
        let refused = paste(
            &leader,
            "пн 1 | Физика | лек\nвт 2 | Химия\n\nxx 3 | Биология | лаб\nср 11 | История | пр",
        )
        .await;
        refused
            .expect_all_accepted()
            .expect_text_contains("Ничего не сохранено")
            .expect_text_contains("Строка 2: нужны хотя бы")
            .expect_text_contains("Строка 4: не понимаю день недели")
            .expect_text_contains("Строка 5: номер пары");
        refused.expect_no_text_contains("Строка 1:");
        assert_eq!(
            class_count(&app).await,
            0,
            "nothing saved from a refused paste"
        );
        // Still in the form: the corrected list is taken.
        leader
            .send(PASTE)
            .await
            .expect_all_accepted()
            .expect_text_contains("Добавлено 4 занятия");
        assert_eq!(class_count(&app).await, 4);

        let student = app.student("Орлов Олег");
        app.add_member(group, &student, Role::Member).await;
        let today = student.press(TIMETABLE).await;
        today
            .expect_all_accepted()
            .expect_text_contains("Понедельник, 14.09.2026")
            .expect_text_contains("неделя 3, числитель")
            .expect_text_contains("1. 09:00–10:30 <b>Математический анализ</b> (лекция)")
            .expect_text_contains("Физика")
            .expect_text_contains("Химия")
            .expect_no_text_contains("Линейная алгебра");
        // No management for a member.
        assert!(
            !today
                .button_texts()
                .contains(&"⚙️ Изменить расписание".to_owned())
        );

        // Subgroup 2: the common classes and its own lab only.
        student.click_button("👥 Подгруппа: все").await;
        let (own, toast) = student.click_button_toast("2").await;
        assert_eq!(toast.as_deref(), Some("Подгруппа сохранена."));
        own.expect_text_contains("Химия")
            .expect_text_contains("Математический анализ")
            .expect_no_text_contains("Физика");

        // The next week is even: algebra instead of calculus.
        student
            .click_button("Неделя")
            .await
            .expect_text_contains("Математический анализ");
        student
            .click_button("След. неделя ▶️")
            .await
            .expect_all_accepted()
            .expect_text_contains("неделя 4, знаменатель")
            .expect_text_contains("Линейная алгебра")
            .expect_no_text_contains("Математический анализ")
            .expect_no_text_contains("Физика");

        // Up to the semester's last week, and nothing after it.
        student
            .forge_callback(&day(d(2026, 12, 28)))
            .await
            .expect_text_contains("неделя 18, знаменатель")
            .expect_text_contains("Линейная алгебра");
        student
            .forge_callback(&day(d(2027, 1, 4)))
            .await
            .expect_text_contains("вне семестра")
            .expect_text_contains("Занятий нет");

        // The leader deletes a class from the list.
        leader.press(TIMETABLE).await;
        leader.click_button("⚙️ Изменить расписание").await;
        leader.click_button("📚 Занятия").await;
        leader
            .click_button("Пн 2. Химия")
            .await
            .expect_text_contains("<b>Химия</b> (лабораторная)");
        leader
            .click_button("🗑 Удалить занятие")
            .await
            .expect_text_contains("Удалить «Химия» (Пн, 2-я пара)");
        let (list, toast) = leader.click_button_toast("🗑 Удалить").await;
        assert_eq!(toast.as_deref(), Some("Занятие удалено."));
        assert!(!list.button_texts().contains(&"Пн 2. Химия".to_owned()));
        assert_eq!(class_count(&app).await, 3);
    }
);

both_backends!(
    a_cancelled_and_a_moved_class_are_shown_on_their_dates_and_announced_once,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_timetable(&app).await;
        let first = app.student("Первая Подгруппа");
        let second = app.student("Вторая Подгруппа");
        let undecided = app.student("Без Подгруппы");
        for (student, choice) in [
            (&first, Some("1")),
            (&second, Some("2")),
            (&undecided, None),
        ] {
            app.add_member(group, student, Role::Member).await;
            if let Some(choice) = choice {
                student.press(TIMETABLE).await;
                student.click_button("👥 Подгруппа: все").await;
                student.click_button(choice).await;
            }
        }

        // The leader cancels today's physics lab (subgroup 1).
        leader.press(TIMETABLE).await;
        leader
            .click_button("✏️ Изменения на этот день")
            .await
            .expect_text_contains("Изменения на 14.09.2026");
        leader
            .click_button("🚫 2. Физика")
            .await
            .expect_text_contains("Отменить «Физика» 14.09.2026?");
        let (cancelled, toast) = leader.click_button_toast("❌ Отменить занятие").await;
        assert_eq!(toast.as_deref(), Some("Занятие отменено."));
        cancelled
            .expect_all_accepted()
            .expect_text_contains("<s>2. Физика</s> — отменено");
        // Told: subgroup 1 and the member without a subgroup; not subgroup 2, not the author.
        assert_eq!(
            notices_to(&app, &first, "timetable-notice-cancelled").await,
            1
        );
        assert_eq!(
            notices_to(&app, &undecided, "timetable-notice-cancelled").await,
            1
        );
        assert_eq!(
            notices_to(&app, &second, "timetable-notice-cancelled").await,
            0
        );
        assert_eq!(
            notices_to(&app, &leader, "timetable-notice-cancelled").await,
            0
        );
        support::fixtures::wait_delivered(&app, &first, "Отмена: «Физика» 14.09.2026").await;

        // The same cancellation again (a replayed button) changes nothing and tells nobody.
        let physics = class_id(&app, "Физика").await;
        let again = encode(&Action::CancelClassYes {
            class: physics,
            date: d(2026, 9, 14),
        });
        let (_, toast) = {
            let replies = leader.forge_callback(&again).await;
            let toast = replies.expect_answered();
            (replies, toast)
        };
        assert_eq!(
            toast.as_deref(),
            Some("Это занятие в тот день уже отменено или перенесено.")
        );
        assert_eq!(
            notices_to(&app, &first, "timetable-notice-cancelled").await,
            1
        );

        // Calculus moves from today to Wednesday, pair 4, room 210.
        leader.press(TIMETABLE).await;
        leader.click_button("✏️ Изменения на этот день").await;
        leader
            .click_button("↪️ Перенести 1. Математический анализ")
            .await
            .expect_text_contains("Куда перенести");
        leader
            .send("16.09 99")
            .await
            .expect_text_contains("номер пары — число от 1 до 10");
        leader
            .send("16.09 4 210")
            .await
            .expect_all_accepted()
            .expect_text_contains("Занятие перенесено");
        for student in [&first, &second, &undecided] {
            assert_eq!(notices_to(&app, student, "timetable-notice-moved").await, 1);
        }
        support::fixtures::wait_delivered(
            &app,
            &second,
            "Перенос: «Математический анализ» с 14.09.2026 (1-я пара) на 16.09.2026, 4-я пара, аудитория 210",
        )
        .await;

        // Shown on both dates: struck out today, once on Wednesday at its new time and room.
        second
            .forge_callback(&day(d(2026, 9, 14)))
            .await
            .expect_text_contains("<s>1. Математический анализ</s> — перенесено на 16.09, 4-я пара")
            .expect_no_text_contains("<s>2. Физика</s>");
        let wednesday = second.forge_callback(&day(d(2026, 9, 16))).await;
        let text = wednesday.last_text();
        assert_eq!(text.matches("Математический анализ").count(), 1, "{text}");
        assert!(
            text.contains("4. 14:20–15:50 <b>Математический анализ</b>"),
            "{text}"
        );
        assert!(text.contains("ауд. 210 · ↩️ перенесено с 14.09"), "{text}");

        // An extra class on Thursday for everyone.
        leader.press(TIMETABLE).await;
        leader.click_button("✏️ Изменения на этот день").await;
        leader.click_button("➕ Дополнительное занятие").await;
        leader
            .send("17.09 5 | Консультация | практика | | 101")
            .await
            .expect_text_contains("Дополнительное занятие добавлено");
        undecided
            .forge_callback(&day(d(2026, 9, 17)))
            .await
            .expect_text_contains("Консультация")
            .expect_text_contains("➕ дополнительное");
        assert_eq!(
            notices_to(&app, &undecided, "timetable-notice-extra").await,
            1
        );
        assert_eq!(
            classchanges::Entity::find().count(&app.db).await.unwrap(),
            3,
            "one cancellation, one move, one extra class"
        );

        // The extra class is removed again; who was told of it is told it is off.
        leader
            .forge_callback(&encode(&Action::DayChanges {
                date: d(2026, 9, 17),
            }))
            .await
            .expect_text_contains("Изменения на 17.09.2026");
        leader
            .click_button("🗑 Убрать доп. занятие 5. Консультация")
            .await
            .expect_text_contains("Убрать дополнительное занятие «Консультация» 17.09.2026?");
        // A member cannot, even with the button's data.
        let data = leader.button_data("🗑 Убрать занятие");
        let replies = undecided.forge_callback(&data).await;
        assert_eq!(
            replies.expect_answered().as_deref(),
            Some("⛔ Это действие вам недоступно.")
        );
        let (removed, toast) = leader.click_button_toast("🗑 Убрать занятие").await;
        assert_eq!(toast.as_deref(), Some("Дополнительное занятие убрано."));
        removed
            .expect_all_accepted()
            .expect_no_text_contains("Консультация");
        assert_eq!(
            notices_to(&app, &undecided, "timetable-notice-extra-removed").await,
            1
        );
        assert_eq!(
            notices_to(&app, &leader, "timetable-notice-extra-removed").await,
            0
        );
        undecided
            .forge_callback(&day(d(2026, 9, 17)))
            .await
            .expect_no_text_contains("Консультация");
        assert_eq!(
            classchanges::Entity::find().count(&app.db).await.unwrap(),
            2
        );
        // Pressed again: gone.
        let replies = leader.forge_callback(&data).await;
        assert_eq!(
            replies.expect_answered().as_deref(),
            Some("Такого занятия уже нет.")
        );
    }
);

both_backends!(
    members_and_other_groups_cannot_change_the_timetable,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_timetable(&app).await;
        let member = app.student("Орлов Олег");
        app.add_member(group, &member, Role::Member).await;
        member.press(TIMETABLE).await;
        let physics = class_id(&app, "Физика").await;
        let monday = d(2026, 9, 14);

        // Forged management buttons: refused, nothing changes.
        for action in [
            Action::Manage,
            Action::Paste,
            Action::Semester,
            Action::DeleteClassYes { class: physics },
            Action::CancelClassYes {
                class: physics,
                date: monday,
            },
            Action::MoveClass {
                class: physics,
                date: monday,
            },
        ] {
            let replies = member.forge_callback(&encode(&action)).await;
            let toast = replies.expect_answered();
            assert_eq!(
                toast.as_deref(),
                Some("⛔ Это действие вам недоступно."),
                "{action:?}"
            );
        }
        assert_eq!(class_count(&app).await, 4);
        assert_eq!(
            classchanges::Entity::find().count(&app.db).await.unwrap(),
            0
        );

        // Another group's leader: the class is not theirs.
        let (stranger, _) = group_with_leader(&app, "Чужой Лидер", "ФИЗ-11").await;
        stranger.press(TIMETABLE).await;
        for action in [
            Action::DeleteClassYes { class: physics },
            Action::CancelClassYes {
                class: physics,
                date: monday,
            },
        ] {
            let replies = stranger.forge_callback(&encode(&action)).await;
            assert_eq!(
                replies.expect_answered().as_deref(),
                Some("Такого занятия уже нет."),
                "{action:?}"
            );
        }
        assert_eq!(class_count(&app).await, 4);
        assert_eq!(
            classchanges::Entity::find().count(&app.db).await.unwrap(),
            0
        );

        // The leader sets the member's subgroup on their card; the member cannot.
        let membership = groupmembers::Entity::find()
            .filter(groupmembers::Column::UserId.eq(member.id()))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .id;
        let forged = encode(&Action::SetMemberSubgroup {
            member: membership,
            number: 1,
        });
        let replies = member.forge_callback(&forged).await;
        assert_eq!(
            replies.expect_answered().as_deref(),
            Some("⛔ Это действие вам недоступно.")
        );
        let replies = stranger
            .forge_callback(&encode(&Action::MemberSubgroup { member: membership }))
            .await;
        assert_eq!(
            replies.expect_answered().as_deref(),
            Some("Такого участника в группе нет.")
        );
        assert_eq!(
            subgroupmembers::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            0
        );
        leader.press("👥 Участники группы").await;
        let card = leader
            .forge_callback(&encode(
                &study_group_bot::telegram::members::action::Action::Card {
                    member: membership,
                    page: 0,
                },
            ))
            .await;
        assert!(
            card.button_texts()
                .contains(&"👥 Подгруппа в расписании".to_owned()),
            "{:?}",
            card.button_texts()
        );
        leader
            .click_button("👥 Подгруппа в расписании")
            .await
            .expect_text_contains("Выберите подгруппу участника");
        let (_, toast) = leader.click_button_toast("2").await;
        assert_eq!(toast.as_deref(), Some("Подгруппа сохранена."));
        let chosen = subgroupmembers::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((chosen.user_id, chosen.subgroup), (member.id(), 2));

        // Malformed timetable buttons are outdated.
        let replies = member.forge_callback("1|tt|ss|10").await;
        assert_eq!(
            replies.expect_answered().as_deref(),
            Some("Эта кнопка устарела. Откройте меню заново.")
        );
    }
);

/// The leader cancels the class of today's day-changes button `button`.
async fn cancel_today(leader: &Student, button: &str) {
    leader.press(TIMETABLE).await;
    leader.click_button("✏️ Изменения на этот день").await;
    leader.click_button(button).await;
    leader
        .click_button("❌ Отменить занятие")
        .await
        .expect_text_contains("— отменено");
}

/// The leader moves the class of today's button `button` to `to` (`ДД.ММ пара [аудитория]`).
async fn move_today(leader: &Student, button: &str, to: &str) {
    leader.press(TIMETABLE).await;
    leader.click_button("✏️ Изменения на этот день").await;
    leader.click_button(button).await;
    leader
        .send(to)
        .await
        .expect_all_accepted()
        .expect_text_contains("Занятие перенесено");
}

/// The local starts (in Moscow) of the occurrences of the class whose UID is `uid`, as a
/// calendar would compute them: the master's RRULE/RDATE less its EXDATEs (expanded by the
/// `rrule` crate), each overridden date replaced by its override's start.
fn occurrences(calendar: &Component, uid: &str) -> Vec<chrono::NaiveDateTime> {
    let events: Vec<&Component> = calendar
        .children
        .iter()
        .filter(|c| c.name == "VEVENT" && c.value("UID") == uid)
        .collect();
    let master = events
        .iter()
        .find(|e| e.prop("RECURRENCE-ID").is_none())
        .unwrap_or_else(|| panic!("no master event {uid}"));
    let lines: Vec<String> = master
        .props
        .iter()
        .filter(|(name, _, _)| matches!(name.as_str(), "DTSTART" | "RRULE" | "RDATE" | "EXDATE"))
        .map(|(name, params, value)| {
            if params.is_empty() {
                format!("{name}:{value}")
            } else {
                format!("{name};{params}:{value}")
            }
        })
        .collect();
    let set: rrule::RRuleSet = lines
        .join("\n")
        .parse()
        .unwrap_or_else(|e| panic!("{e}: {lines:?}"));
    let moscow = chrono_tz::Europe::Moscow;
    let local = |raw: &str| chrono::NaiveDateTime::parse_from_str(raw, "%Y%m%dT%H%M%S").unwrap();
    let overridden: Vec<chrono::NaiveDateTime> = events
        .iter()
        .filter_map(|e| e.prop("RECURRENCE-ID").map(|(_, v)| local(v)))
        .collect();
    let mut starts: Vec<chrono::NaiveDateTime> = set
        .all(200)
        .dates
        .iter()
        .map(|at| at.with_timezone(&moscow).naive_local())
        .filter(|at| !overridden.contains(at))
        .collect();
    starts.extend(
        events
            .iter()
            .filter(|e| e.prop("RECURRENCE-ID").is_some())
            .map(|e| local(e.value("DTSTART"))),
    );
    starts.sort();
    starts
}

fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> chrono::NaiveDateTime {
    d(y, m, day).and_hms_opt(h, min, 0).unwrap()
}

both_backends!(
    the_feed_carries_the_classes_as_recurring_events_with_their_exceptions,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_timetable(&app).await;
        cancel_today(&leader, "🚫 2. Физика").await;
        move_today(
            &leader,
            "↪️ Перенести 1. Математический анализ",
            "16.09 4 210",
        )
        .await;
        let secret = "timetableFeedSecret_0123456789ab";
        groups::Entity::update_many()
            .col_expr(groups::Column::IcsSecret, Expr::value(secret))
            .filter(groups::Column::Id.eq(group))
            .exec(&app.db)
            .await
            .unwrap();

        let (status, body) = app.http_get(&format!("/ics/{secret}.ics")).await;
        assert_eq!(status, 200, "{body}");
        let calendar = parse_ics(&body);
        let zone = calendar
            .children
            .iter()
            .find(|c| c.name == "VTIMEZONE")
            .expect("the group's zone");
        assert_eq!(zone.value("TZID"), "Europe/Moscow");

        let calculus = format!(
            "class-{}@study-group-bot",
            class_id(&app, "Математический анализ").await
        );
        let master = calendar
            .children
            .iter()
            .find(|c| {
                c.prop("UID").map(|p| p.1) == Some(calculus.as_str()) && c.prop("RRULE").is_some()
            })
            .expect("calculus recurs");
        assert_eq!(
            master.prop("DTSTART"),
            Some(("TZID=Europe/Moscow", "20260914T090000"))
        );
        assert!(
            master
                .value("RRULE")
                .starts_with("FREQ=WEEKLY;INTERVAL=2;UNTIL=20261230T")
        );
        // Moved: once, at its new time, and the odd weeks go on.
        let starts = occurrences(&calendar, &calculus);
        assert_eq!(
            &starts[..3],
            [
                at(2026, 9, 16, 14, 20),
                at(2026, 9, 28, 9, 0),
                at(2026, 10, 12, 9, 0)
            ]
        );
        assert_eq!(starts.len(), 8, "odd weeks 3 to 17: {starts:?}");
        let moved = calendar
            .children
            .iter()
            .find(|c| {
                c.prop("UID").map(|p| p.1) == Some(calculus.as_str())
                    && c.prop("RECURRENCE-ID").is_some()
            })
            .expect("the moved date overrides");
        assert_eq!(moved.value("LOCATION"), "210");

        // Cancelled: an exception; the weekly lab is there every other Monday.
        let physics = format!("class-{}@study-group-bot", class_id(&app, "Физика").await);
        let starts = occurrences(&calendar, &physics);
        assert_eq!(
            &starts[..2],
            [at(2026, 9, 7, 10, 40), at(2026, 9, 21, 10, 40)]
        );
        assert!(!starts.contains(&at(2026, 9, 14, 10, 40)));
        let lab = calendar
            .children
            .iter()
            .find(|c| c.prop("UID").map(|p| p.1) == Some(physics.as_str()))
            .expect("physics");
        assert_eq!(lab.value("SUMMARY"), "Физика [1]");
    }
);

/// The leader opens «➕ Добавить занятие» and answers the first question.
async fn start_class_form(leader: &Student) {
    leader.press(TIMETABLE).await;
    leader.click_button("⚙️ Изменить расписание").await;
    leader
        .click_button("➕ Добавить занятие")
        .await
        .expect_all_accepted()
        .expect_text_contains("В какой день недели");
}

/// The leader opens the card of the class listed as `button` and presses «✏️ `field`».
async fn edit_field(leader: &Student, button: &str, field: &str) -> support::student::Replies {
    leader.press(TIMETABLE).await;
    leader.click_button("⚙️ Изменить расписание").await;
    leader.click_button("📚 Занятия").await;
    leader.click_button(button).await;
    leader.click_button(&format!("✏️ {field}")).await
}

async fn the_class(app: &TestApp, subject: &str) -> classes::Model {
    classes::Entity::find()
        .filter(classes::Column::Subject.eq(subject))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no class {subject}"))
}

/// The week of `date` as `student` sees it.
async fn week_of(student: &Student, date: NaiveDate) -> String {
    let replies = student
        .forge_callback(&encode(&Action::Week { date }))
        .await;
    replies.expect_all_accepted();
    replies.last_text()
}

both_backends!(
    a_class_entered_by_form_is_shown_in_its_weeks_and_edited_on_its_card,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        set_timezone(&app, group, "Europe/Moscow").await;
        monday_morning(&app);
        set_semester(&leader).await;
        start_class_form(&leader).await;

        // Each step: a bad answer is explained and the same question asked again.
        leader
            .send("понедельничек")
            .await
            .expect_text_contains("Не подходит: не понимаю день недели")
            .expect_text_contains("В какой день недели");
        leader
            .click_button("Пн")
            .await
            .expect_text_contains("Какая пара?");
        leader
            .send("11")
            .await
            .expect_text_contains("номер пары — число от 1 до 10")
            .expect_text_contains("Какая пара?");
        leader
            .click_button("3 · 12:40")
            .await
            .expect_text_contains("Как называется предмет?");
        leader
            .send(&"Т".repeat(101))
            .await
            .expect_text_contains("предмет: слишком длинно (101 из 100 символов)")
            .expect_text_contains("Как называется предмет?");
        leader
            .send("Теория <вероятностей>")
            .await
            .expect_text_contains("Вид занятия?");
        leader
            .click_button("практика")
            .await
            .expect_text_contains("Кто ведёт занятие?");
        leader
            .send("Смирнова Е. В.")
            .await
            .expect_text_contains("В какой аудитории?");
        leader
            .click_button("— нет")
            .await
            .expect_text_contains("По каким неделям?");
        // 15.09 is a Tuesday.
        leader
            .send("15.09")
            .await
            .expect_text_contains("дата из списка приходится на другой день недели")
            .expect_text_contains("По каким неделям?");
        leader
            .click_button("знаменатель")
            .await
            .expect_text_contains("Для какой подгруппы?");
        assert_eq!(
            class_count(&app).await,
            0,
            "nothing saved before «Сохранить»"
        );
        leader
            .click_button("все")
            .await
            .expect_all_accepted()
            .expect_text_contains("Проверьте занятие")
            .expect_text_contains("<b>Теория &lt;вероятностей&gt;</b> (практика)")
            .expect_text_contains("недели: знаменатель");
        leader
            .click_button("✅ Сохранить")
            .await
            .expect_all_accepted()
            .expect_text_contains("✅ Занятие добавлено");
        let stored = the_class(&app, "Теория <вероятностей>").await;
        assert_eq!(
            (
                stored.weekday,
                stored.pair,
                stored.kind.as_str(),
                stored.weeks.as_str()
            ),
            (1, 3, "practice", "even")
        );
        assert_eq!(
            (
                stored.teacher.as_deref(),
                stored.room.as_deref(),
                stored.subgroup
            ),
            (Some("Смирнова Е. В."), None, None)
        );
        let logged = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("timetable.classes_add"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(logged, 1, "the change is in the change log");

        // A member sees it in the even week only.
        let student = app.student("Орлов Олег");
        app.add_member(group, &student, Role::Member).await;
        student.press(TIMETABLE).await;
        let odd = week_of(&student, d(2026, 9, 14)).await;
        assert!(odd.contains("неделя 3, числитель"), "{odd}");
        assert!(!odd.contains("Теория"), "{odd}");
        let even = week_of(&student, d(2026, 9, 21)).await;
        assert!(
            even.contains("3. 12:40–14:10 <b>Теория &lt;вероятностей&gt;</b> (практика)"),
            "{even}"
        );

        // Edited on its card: every week, then a room (a too long one refused first).
        edit_field(&leader, "Пн 3. Теория <вероятностей>", "Недели")
            .await
            .expect_text_contains("Сейчас:")
            .expect_text_contains("По каким неделям?");
        leader
            .click_button("каждую неделю")
            .await
            .expect_all_accepted()
            .expect_text_contains("✅ Занятие изменено.");
        assert_eq!(
            the_class(&app, "Теория <вероятностей>").await.weeks,
            "every"
        );
        edit_field(&leader, "Пн 3. Теория <вероятностей>", "Аудитория").await;
        leader
            .send(&"9".repeat(31))
            .await
            .expect_text_contains("аудитория: слишком длинно")
            .expect_text_contains("В какой аудитории?");
        leader
            .send("412")
            .await
            .expect_text_contains("✅ Занятие изменено.");
        let odd = week_of(&student, d(2026, 9, 14)).await;
        assert!(
            odd.contains(
                "<b>Теория &lt;вероятностей&gt;</b> (практика) · Смирнова Е. В. · ауд. 412"
            ),
            "{odd}"
        );
        let edits = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("timetable.class_edit"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(edits, 2);

        // A member cannot add or edit, by forged buttons either; nothing changes.
        let class = the_class(&app, "Теория <вероятностей>").await.id;
        for action in [
            Action::NewClass,
            Action::Class { class },
            Action::EditClass { class, field: 2 },
            Action::Ics,
        ] {
            let replies = student.forge_callback(&encode(&action)).await;
            assert_eq!(
                replies.expect_answered().as_deref(),
                Some("⛔ Это действие вам недоступно."),
                "{action:?}"
            );
        }
        for action in [Action::Save, Action::Answer { value: 1 }] {
            let replies = student.forge_callback(&encode(&action)).await;
            assert_eq!(
                replies.expect_answered().as_deref(),
                Some("Эта кнопка устарела. Откройте меню заново."),
                "{action:?}"
            );
        }
        // Another group's leader: not their class.
        let (stranger, _) = group_with_leader(&app, "Чужой Лидер", "ФИЗ-11").await;
        stranger.press(TIMETABLE).await;
        let replies = stranger
            .forge_callback(&encode(&Action::EditClass { class, field: 0 }))
            .await;
        assert_eq!(
            replies.expect_answered().as_deref(),
            Some("Такого занятия уже нет.")
        );
        assert_eq!(class_count(&app).await, 1);
        let stored = the_class(&app, "Теория <вероятностей>").await;
        assert_eq!((stored.weekday, stored.room.as_deref()), (1, Some("412")));
    }
);

/// A timetable as a university portal exports it: the zone's definition, a weekly lecture, a
/// lab every other week (odd weeks, given in UTC), a practice every other week (even weeks,
/// with COUNT and a folded line), a weekly seminar with one date excluded, a one-off
/// consultation, and an all-day event that is no class.
const PORTAL_ICS: &str = "BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//University//Timetable//RU\r
CALSCALE:GREGORIAN\r
BEGIN:VTIMEZONE\r
TZID:Europe/Moscow\r
BEGIN:STANDARD\r
DTSTART:19700101T000000\r
TZOFFSETFROM:+0300\r
TZOFFSETTO:+0300\r
TZNAME:MSK\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:calc-1@university\r
DTSTAMP:20260820T100000Z\r
DTSTART;TZID=Europe/Moscow:20260907T090000\r
DTEND;TZID=Europe/Moscow:20260907T103000\r
RRULE:FREQ=WEEKLY;UNTIL=20261228T235959Z\r
SUMMARY:Математический анализ\r
LOCATION:301\r
DESCRIPTION:Лекция\\nПреподаватель: Иванов И. И.\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:phys-1@university\r
DTSTAMP:20260820T100000Z\r
DTSTART:20260901T074000Z\r
DTEND:20260901T091000Z\r
RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU\r
SUMMARY:Физика\r
LOCATION:105\r
DESCRIPTION:Лабораторная работа\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:prog-1@university\r
DTSTAMP:20260820T100000Z\r
DTSTART;TZID=Europe/Moscow:20260909T124000\r
DTEND;TZID=Europe/Moscow:20260909T141000\r
RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=20\r
SUMMARY:Программиро\r
 вание\r
DESCRIPTION:Практика\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:hist-1@university\r
DTSTAMP:20260820T100000Z\r
DTSTART;TZID=Europe/Moscow:20260903T142000\r
DTEND;TZID=Europe/Moscow:20260903T155000\r
RRULE:FREQ=WEEKLY;UNTIL=20261231\r
EXDATE;TZID=Europe/Moscow:20260917T142000\r
SUMMARY:История\r
DESCRIPTION:Семинар\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:cons-1@university\r
DTSTAMP:20260820T100000Z\r
DTSTART;TZID=Europe/Moscow:20260925T160000\r
DTEND;TZID=Europe/Moscow:20260925T173000\r
SUMMARY:Консультация\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:health-1@university\r
DTSTAMP:20260820T100000Z\r
DTSTART;VALUE=DATE:20261002\r
SUMMARY:День здоровья\r
END:VEVENT\r
END:VCALENDAR\r
";

both_backends!(
    an_uploaded_ics_becomes_the_odd_and_even_weeks_after_a_preview,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        set_timezone(&app, group, "Europe/Moscow").await;
        monday_morning(&app);
        set_semester(&leader).await;
        leader.press(TIMETABLE).await;
        leader.click_button("⚙️ Изменить расписание").await;
        leader
            .click_button("📥 Загрузить .ics")
            .await
            .expect_all_accepted()
            .expect_text_contains("Пришлите файл календаря");

        // Refusals keep the step: not a file, not .ics, a broken calendar.
        leader
            .send("вот расписание")
            .await
            .expect_text_contains("Пришлите файл .ics документом");
        leader
            .send_document("timetable.txt", b"hello")
            .await
            .expect_text_contains("Это не файл .ics");
        leader
            .send_document(
                "broken.ics",
                b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n",
            )
            .await
            .expect_all_accepted()
            .expect_text_contains("это не календарь iCalendar или он повреждён")
            .expect_text_contains("Ничего не сохранено");

        let preview = leader
            .send_document("group.ics", PORTAL_ICS.as_bytes())
            .await;
        preview
            .expect_all_accepted()
            .expect_text_contains("Найдено 5 занятий, пропущено 1 событие, отмен по датам: 1.")
            .expect_text_contains("«День здоровья»: событие на весь день")
            .expect_text_contains("<b>Программирование</b> (практика)");
        assert_eq!(
            class_count(&app).await,
            0,
            "nothing saved before «Сохранить»"
        );
        leader
            .click_button("✅ Сохранить")
            .await
            .expect_all_accepted()
            .expect_text_contains("Из файла добавлено 5 занятий, отмен по датам: 1.");
        assert_eq!(class_count(&app).await, 5);
        assert_eq!(
            classchanges::Entity::find().count(&app.db).await.unwrap(),
            1
        );
        let calculus = the_class(&app, "Математический анализ").await;
        assert_eq!(
            (calculus.teacher.as_deref(), calculus.room.as_deref()),
            (Some("Иванов И. И."), Some("301"))
        );

        let student = app.student("Орлов Олег");
        app.add_member(group, &student, Role::Member).await;
        student.press(TIMETABLE).await;
        // Week 3 (odd): the lab, not the practice; the seminar cancelled on Thursday.
        let odd = student.click_button("Неделя").await;
        odd.expect_all_accepted()
            .expect_text_contains("неделя 3, числитель")
            .expect_text_contains("1. 09:00–10:30 <b>Математический анализ</b> (лекция)")
            .expect_text_contains("2. 10:40–12:10 <b>Физика</b> (лабораторная)")
            .expect_text_contains("<s>4. История</s> — отменено")
            .expect_no_text_contains("Программирование")
            .expect_no_text_contains("Консультация");
        // Week 4 (even): the practice, the seminar, the one-off consultation; no lab.
        let even = student.click_button("След. неделя ▶️").await;
        even.expect_all_accepted()
            .expect_text_contains("неделя 4, знаменатель")
            .expect_text_contains("1. 09:00–10:30 <b>Математический анализ</b>")
            .expect_text_contains("3. 12:40–14:10 <b>Программирование</b> (практика)")
            .expect_text_contains("4. 14:20–15:50 <b>История</b> (практика)")
            .expect_text_contains("5. 16:00–17:30 <b>Консультация</b> (лекция)")
            .expect_no_text_contains("Физика")
            .expect_no_text_contains("отменено");
        // Week 5 (odd again): the lab is back, the consultation was once.
        let next = student.click_button("След. неделя ▶️").await;
        next.expect_text_contains("неделя 5, числитель")
            .expect_text_contains("<b>Физика</b>")
            .expect_text_contains("4. 14:20–15:50 <b>История</b>")
            .expect_no_text_contains("Консультация");
    }
);

both_backends!(
    a_member_chooses_their_subgroup_in_the_profile,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_leader, group) = group_with_timetable(&app).await;
        let student = app.student("Орлов Олег");
        app.add_member(group, &student, Role::Member).await;
        student.press("👤 Профиль").await.expect_all_accepted();
        student
            .click_button("👥 Подгруппа в расписании")
            .await
            .expect_all_accepted()
            .expect_text_contains("Ваша подгруппа сейчас: все");
        let (saved, toast) = student.click_button_toast("2").await;
        assert_eq!(toast.as_deref(), Some("Подгруппа сохранена."));
        saved.expect_text_contains("✅ Ваша подгруппа: 2.");
        let chosen = subgroupmembers::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((chosen.user_id, chosen.subgroup), (student.id(), 2));
        // Back to the profile; the timetable now shows subgroup 2's lab, not subgroup 1's.
        student
            .click_button("◀️ Назад")
            .await
            .expect_text_contains("Профиль");
        student
            .press(TIMETABLE)
            .await
            .expect_text_contains("Химия")
            .expect_no_text_contains("Физика");
        // Outside a group the choice is refused.
        let outsider = app.student("Без Группы");
        outsider.send("/start").await;
        let replies = outsider
            .forge_callback(&encode(&Action::SetProfileSubgroup { number: 1 }))
            .await;
        assert!(replies.expect_answered().is_some());
        assert_eq!(
            subgroupmembers::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            1
        );
    }
);

both_backends!(
    the_leader_sets_the_bells_and_the_pairs_move_with_them,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_timetable(&app).await;
        leader.press(TIMETABLE).await;
        leader.click_button("⚙️ Изменить расписание").await;
        leader
            .click_button("🔔 Звонки")
            .await
            .expect_all_accepted()
            .expect_text_contains("1. 09:00-10:30");
        leader
            .send("1. 08:30-10:00\n2. 09:50-11:20")
            .await
            .expect_text_contains("Пара 2 начинается раньше, чем кончается предыдущая");
        leader
            .send("1. 08:30-10:00\nобед")
            .await
            .expect_text_contains("Строка 2: нужно время начала и конца пары");
        leader
            .send("1. 08:30-10:00\n2. 10:10-11:40\n3. 12:00-13:30")
            .await
            .expect_all_accepted()
            .expect_text_contains("✅ Звонки сохранены: 3 пары.");
        let logged = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("timetable.bells"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(logged, 1);
        let student = app.student("Орлов Олег");
        app.add_member(group, &student, Role::Member).await;
        student
            .press(TIMETABLE)
            .await
            .expect_text_contains("1. 08:30–10:00 <b>Математический анализ</b>")
            .expect_text_contains("2. 10:10–11:40 <b>Физика</b>");
        // A member cannot open the form.
        let replies = student.forge_callback(&encode(&Action::Bells)).await;
        assert_eq!(
            replies.expect_answered().as_deref(),
            Some("⛔ Это действие вам недоступно.")
        );
    }
);

both_backends!(
    a_change_further_ahead_is_announced_when_it_comes_within_seven_days,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_timetable(&app).await;
        let student = app.student("Орлов Олег");
        app.add_member(group, &student, Role::Member).await;

        // Physics on Monday 28 September, two weeks ahead, is cancelled today.
        leader.press(TIMETABLE).await;
        leader
            .forge_callback(&encode(&Action::DayChanges {
                date: d(2026, 9, 28),
            }))
            .await
            .expect_text_contains("Изменения на 28.09.2026");
        leader.click_button("🚫 2. Физика").await;
        leader
            .click_button("❌ Отменить занятие")
            .await
            .expect_text_contains("— отменено");
        let waiting: Vec<outbox::Model> = outbox::Entity::find()
            .filter(outbox::Column::ChatId.eq(student.id()))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .filter(|row| {
                row.payload
                    .to_string()
                    .contains("timetable-notice-cancelled")
            })
            .collect();
        assert_eq!(waiting.len(), 1, "one announcement, waiting");
        // 09:00 Moscow on Tuesday 22 September: the day the 28th is within 7 days.
        assert_eq!(
            waiting[0].due_at,
            Utc.with_ymd_and_hms(2026, 9, 22, 6, 0, 0).unwrap()
        );
        assert_eq!(waiting[0].status, "pending");
        assert_eq!(
            notices_to(&app, &leader, "timetable-notice-cancelled").await,
            0
        );

        // An extra class far ahead, removed before its time: nobody hears of either.
        leader
            .forge_callback(&encode(&Action::DayChanges {
                date: d(2026, 10, 8),
            }))
            .await;
        leader.click_button("➕ Дополнительное занятие").await;
        leader
            .send("08.10 5 | Консультация | практика")
            .await
            .expect_text_contains("Дополнительное занятие добавлено");
        assert_eq!(
            notices_to(&app, &student, "timetable-notice-extra").await,
            1
        );
        leader
            .forge_callback(&encode(&Action::DayChanges {
                date: d(2026, 10, 8),
            }))
            .await;
        leader
            .click_button("🗑 Убрать доп. занятие 5. Консультация")
            .await;
        leader.click_button("🗑 Убрать занятие").await;
        assert_eq!(
            notices_to(&app, &student, "timetable-notice-extra").await,
            0,
            "the waiting announcement is withdrawn, and no removal is announced"
        );

        // On the 22nd at 09:00 the cancellation is delivered.
        app.set_clock(Utc.with_ymd_and_hms(2026, 9, 22, 6, 0, 0).unwrap());
        support::fixtures::wait_delivered(&app, &student, "Отмена: «Физика» 28.09.2026").await;
    }
);

both_backends!(
    the_next_days_changes_are_posted_to_the_group_chat_in_the_evening_if_asked,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_timetable(&app).await;
        let chat = -1_001_234_567_890_i64;
        support::fixtures::bind_chat(&app, group, &leader, chat, "ИВТ-21 чат").await;

        leader.press(TIMETABLE).await;
        leader
            .click_button("⚙️ Изменить расписание")
            .await
            .expect_text_contains("Изменения в чат группы не публикуются");
        // Off: a change (next Monday's chemistry lab) is not posted.
        leader
            .forge_callback(&encode(&Action::DayChanges {
                date: d(2026, 9, 21),
            }))
            .await;
        leader.click_button("🚫 2. Химия").await;
        leader
            .click_button("❌ Отменить занятие")
            .await
            .expect_text_contains("— отменено");
        leader.press(TIMETABLE).await;
        leader.click_button("⚙️ Изменить расписание").await;
        let (screen, toast) = leader.click_button_toast("📣 Изменения — в чат").await;
        assert_eq!(
            toast.as_deref(),
            Some("Изменения будут публиковаться в чате группы.")
        );
        screen.expect_text_contains("Изменения на завтра публикуются в чате группы в 18:00");
        let member = app.student("Орлов Олег");
        app.add_member(group, &member, Role::Member).await;
        member.press(TIMETABLE).await;
        let replies = member
            .forge_callback(&encode(&Action::PostChanges { on: false }))
            .await;
        assert_eq!(
            replies.expect_answered().as_deref(),
            Some("⛔ Это действие вам недоступно.")
        );

        // On: physics next Monday is cancelled; posted at 18:00 on Sunday, Moscow time.
        leader
            .forge_callback(&encode(&Action::DayChanges {
                date: d(2026, 9, 21),
            }))
            .await;
        leader.click_button("🚫 2. Физика").await;
        leader.click_button("❌ Отменить занятие").await;
        let posts: Vec<outbox::Model> = outbox::Entity::find()
            .filter(outbox::Column::ChatId.eq(chat))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(posts.len(), 1, "only the change made while posting is on");
        assert_eq!(
            posts[0].due_at,
            Utc.with_ymd_and_hms(2026, 9, 20, 15, 0, 0).unwrap()
        );
        let since = app.tg.next_seq();
        app.set_clock(Utc.with_ymd_and_hms(2026, 9, 20, 15, 0, 0).unwrap());
        app.tg
            .wait_for_chat(chat, since, support::student::HANDLING_TIMEOUT, |r| {
                r.text()
                    .is_some_and(|t| t.contains("Отмена: «Физика» 21.09.2026"))
            })
            .await
            .unwrap_or_else(|err| panic!("{err}"));
    }
);
