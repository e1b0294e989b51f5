//! «📚 Домашка»: homework on classes — as students click it, on SQLite and PostgreSQL, through
//! the fake Bot API. A task on a subject's next class (two weeks on for a class of odd weeks
//! only), on a chosen date or a plain date; its photos and documents sent back as they came;
//! «✅ Сделано» per student; members' proposals published only when approved; refusals (a
//! member deleting or approving, forged and other groups' ids, another subgroup's task); and
//! the task under its class in the timetable's day.

mod support;

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{
    changelog, homework, homeworkdone, homeworkfiles, outbox,
};
use study_group_bot::telegram::callback::encode;
use study_group_bot::telegram::homework::Action;
use support::app::{Backend, TestApp};
use support::fixtures::{group_with_leader, leader_with_group, set_timezone};
use support::miniapp::{call, launch};
use support::student::{Replies, Student};
use uuid::Uuid;

const HOMEWORK: &str = "📚 Домашка";
const TIMETABLE: &str = "🗓 Расписание";

/// Operating systems every Tuesday at 10:40; databases on Mondays of odd weeks at 9:00; the
/// physics lab on Thursdays, split into subgroups.
const PASTE: &str = "вт 2 | Операционные системы | лекция | Иванов И. И. | 301 | все
пн 1 | Базы данных | лекция | Петров П. П. | 302 | нечёт
чт 3 | Физика | лаб | Сидорова А. А. | 105 | все | 1
чт 3 | Химия | лаб | | 106 | все | 2";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a date")
}

/// 10:00 Moscow time on Monday 14 September 2026: week 3 of a semester starting on Tuesday
/// 1 September (odd); the Monday class at 9:00 has started.
fn monday_morning(app: &TestApp) {
    app.set_clock(Utc.with_ymd_and_hms(2026, 9, 14, 7, 0, 0).unwrap());
}

/// The semester 01.09.2026 – 30.12.2026 (first week odd) and [`PASTE`], through the forms.
async fn set_timetable(leader: &Student) {
    leader.press(TIMETABLE).await;
    leader.click_button("⚙️ Изменить расписание").await;
    leader.click_button("📆 Семестр").await;
    leader.send("01.09.2026 30.12.2026").await;
    leader
        .click_button("Числитель")
        .await
        .expect_text_contains("первая неделя — числитель");
    leader.press(TIMETABLE).await;
    leader.click_button("⚙️ Изменить расписание").await;
    leader.click_button("📋 Вставить занятия").await;
    leader
        .send(PASTE)
        .await
        .expect_all_accepted()
        .expect_text_contains("Добавлено 4 занятия");
}

/// A group in Moscow on Monday morning with the timetable; returns (leader, group).
async fn group_with_timetable(app: &TestApp) -> (Student, Uuid) {
    let (leader, group) = leader_with_group(app).await;
    set_timezone(app, group, "Europe/Moscow").await;
    monday_morning(app);
    set_timetable(&leader).await;
    (leader, group)
}

/// When the task is due, as the form offers it.
enum Due<'a> {
    /// The subject's nearest class.
    Next(&'a str),
    /// The subject's `n`-th offered date (0 is the nearest).
    Nth(&'a str, usize),
    /// A typed date.
    Typed(&'a str),
}

/// An attachment a student sends.
#[derive(Clone, Copy)]
enum File {
    Photo,
    Document,
}

/// The labels of the inline buttons of the last keyboard in `replies`.
fn labels(replies: &Replies) -> Vec<String> {
    replies.button_texts()
}

/// Goes through the task form from «📚 Домашка»: `start` is the list's «➕» button; returns
/// the replies to «✅ Сохранить».
async fn set_task(
    student: &Student,
    start: &str,
    due: Due<'_>,
    body: &str,
    files: &[File],
) -> Replies {
    student.press(HOMEWORK).await.expect_all_accepted();
    student
        .click_button(start)
        .await
        .expect_all_accepted()
        .expect_text_contains("К какому занятию задание?");
    let asked = match due {
        Due::Next(subject) | Due::Nth(subject, _) => {
            let dates = student.click_button(subject).await;
            dates
                .expect_all_accepted()
                .expect_text_contains("к какому занятию?");
            let n = match due {
                Due::Nth(_, n) => n,
                _ => 0,
            };
            let buttons = labels(&dates);
            let label = buttons
                .iter()
                .filter(|l| !l.starts_with("◀️") && !l.starts_with("❌"))
                .nth(n)
                .unwrap_or_else(|| panic!("no date {n} among {buttons:?}"))
                .clone();
            if n == 0 {
                assert!(label.starts_with("Ближайшее: "), "{buttons:?}");
            }
            student.click_button(&label).await
        }
        Due::Typed(date) => student.send(date).await,
    };
    asked
        .expect_all_accepted()
        .expect_text_contains("Напишите задание");
    student
        .send(body)
        .await
        .expect_all_accepted()
        .expect_text_contains("Пришлите фото или файлы");
    for (n, file) in files.iter().enumerate() {
        let replies = match file {
            File::Photo => student.send_photo().await,
            File::Document => student.send_document("tasks.txt", b"1. 2. 3.").await,
        };
        replies
            .expect_all_accepted()
            .expect_text_contains(&format!("Принято {}", n + 1));
    }
    let saved = student.click_button("✅ Сохранить").await;
    saved.expect_all_accepted();
    saved
}

/// The task with this text.
async fn task(app: &TestApp, body: &str) -> homework::Model {
    homework::Entity::find()
        .filter(homework::Column::Body.eq(body))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no task {body}"))
}

async fn tasks(app: &TestApp) -> u64 {
    homework::Entity::find().count(&app.db).await.unwrap()
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

/// The list's button labels for `student`.
async fn list(student: &Student) -> Vec<String> {
    let replies = student.press(HOMEWORK).await;
    replies.expect_all_accepted();
    replies.button_texts()
}

/// Opens the task whose list button contains `needle`.
async fn open(student: &Student, needle: &str) -> Replies {
    let buttons = list(student).await;
    let label = buttons
        .iter()
        .find(|b| b.contains(needle))
        .unwrap_or_else(|| panic!("no task {needle} among {buttons:?}"))
        .clone();
    student.click_button(&label).await
}

fn lists(buttons: &[String], needle: &str) -> bool {
    buttons.iter().any(|b| b.contains(needle))
}

both_backends!(
    a_task_lands_on_the_next_class_two_weeks_on_for_odd_weeks_a_chosen_date_or_a_plain_date,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_timetable(&app).await;

        leader
            .press(HOMEWORK)
            .await
            .expect_all_accepted()
            .expect_text_contains("Заданий на сегодня и дальше нет");
        // The next operating systems class: tomorrow, Tuesday, pair 2 (10:40 in Moscow).
        set_task(
            &leader,
            "➕ Добавить задание",
            Due::Next("Операционные системы"),
            "Прочитать главу 3",
            &[],
        )
        .await
        .expect_text_contains("Задание сохранено");
        let os = task(&app, "Прочитать главу 3").await;
        assert_eq!(os.group_id, group);
        assert_eq!(os.due_date, d(2026, 9, 15));
        assert_eq!(
            os.due_at,
            Utc.with_ymd_and_hms(2026, 9, 15, 7, 40, 0).unwrap()
        );
        assert_eq!(os.subject.as_deref(), Some("Операционные системы"));
        assert!(os.class_id.is_some());
        assert_eq!(os.status, "published");

        // Databases meet on odd weeks only, and this week's class has started: two weeks on.
        set_task(
            &leader,
            "➕ Добавить задание",
            Due::Next("Базы данных"),
            "Нормальные формы",
            &[],
        )
        .await
        .expect_text_contains("Задание сохранено");
        let db = task(&app, "Нормальные формы").await;
        assert_eq!(db.due_date, d(2026, 9, 28));
        assert_eq!(
            db.due_at,
            Utc.with_ymd_and_hms(2026, 9, 28, 6, 0, 0).unwrap()
        );

        // A chosen date: the second operating systems class offered, a week after the next.
        set_task(
            &leader,
            "➕ Добавить задание",
            Due::Nth("Операционные системы", 1),
            "Контрольная",
            &[],
        )
        .await
        .expect_text_contains("Задание сохранено");
        assert_eq!(task(&app, "Контрольная").await.due_date, d(2026, 9, 22));

        // A plain date: due at the end of that day in Moscow, no class.
        set_task(
            &leader,
            "➕ Добавить задание",
            Due::Typed("25.09.2026"),
            "Сдать реферат",
            &[],
        )
        .await
        .expect_text_contains("Задание сохранено");
        let plain = task(&app, "Сдать реферат").await;
        assert_eq!(plain.due_date, d(2026, 9, 25));
        assert_eq!(
            plain.due_at,
            Utc.with_ymd_and_hms(2026, 9, 25, 20, 59, 59).unwrap()
        );
        assert_eq!((plain.class_id, plain.subject), (None, None));

        // The list: by due time, upcoming first.
        let buttons = list(&leader).await;
        let order: Vec<&String> = buttons.iter().filter(|b| b.contains('.')).collect();
        assert!(order[0].starts_with("15.09"), "{buttons:?}");
        assert!(order[1].starts_with("22.09"), "{buttons:?}");
        assert!(order[2].starts_with("25.09"), "{buttons:?}");
        assert!(order[3].starts_with("28.09"), "{buttons:?}");

        // Each change has its change-log row.
        let created = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("homework.create"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(created, 4);
    }
);

both_backends!(
    attachments_come_back_as_sent_and_done_is_each_students_own,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_timetable(&app).await;
        let anna = app.student("Анна Смирнова");
        let boris = app.student("Борис Козлов");
        app.add_member(group, &anna, Role::Member).await;
        app.add_member(group, &boris, Role::Member).await;

        let files = [File::Photo, File::Document, File::Photo];
        set_task(
            &leader,
            "➕ Добавить задание",
            Due::Next("Операционные системы"),
            "Задачи 1–5",
            &files,
        )
        .await
        .expect_text_contains("Задание сохранено");
        let stored = task(&app, "Задачи 1–5").await;
        let kept: Vec<(String, String)> = homeworkfiles::Entity::find()
            .filter(homeworkfiles::Column::HomeworkId.eq(stored.id))
            .order_by_asc(homeworkfiles::Column::Position)
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|f| (f.kind, f.file_id))
            .collect();
        let kinds: Vec<&str> = kept.iter().map(|(kind, _)| kind.as_str()).collect();
        assert_eq!(kinds, ["photo", "document", "photo"]);
        // A photo is kept at its largest size.
        assert!(
            kept[0].1.ends_with("x2") && kept[2].1.ends_with("x2"),
            "{kept:?}"
        );

        // Anna opens it: the attachments come back in the sent order, by their file ids.
        let since = app.tg.next_seq();
        let opened = open(&anna, "15.09 Операционные").await;
        opened
            .expect_all_accepted()
            .expect_text_contains("Задачи 1–5")
            .expect_text_contains("Вложений: 3");
        let sent: Vec<(String, String)> = app
            .tg
            .requests_since(since)
            .into_iter()
            .filter(|r| r.is_ok() && r.chat_id() == Some(anna.id()))
            .filter(|r| r.method == "sendPhoto" || r.method == "sendDocument")
            .map(|r| {
                let field = if r.method == "sendPhoto" {
                    "photo"
                } else {
                    "document"
                };
                let id = r.params[field].as_str().unwrap_or_default().to_owned();
                (field.to_owned(), id)
            })
            .collect();
        assert_eq!(sent, kept);

        // «✅ Сделано» is Anna's own.
        let (ticked, toast) = anna.click_button_toast("✅ Сделано").await;
        ticked.expect_all_accepted();
        assert_eq!(toast.as_deref(), Some("Отмечено: сделано"));
        assert!(ticked.button_texts().contains(&"↩️ Не сделано".to_owned()));
        assert!(lists(&list(&anna).await, "✅ 15.09"));
        let boris_sees = list(&boris).await;
        assert!(
            lists(&boris_sees, "15.09") && !lists(&boris_sees, "✅"),
            "{boris_sees:?}"
        );
        let ticks = homeworkdone::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(
            ticks.iter().map(|t| t.user_id).collect::<Vec<_>>(),
            [anna.id()]
        );

        // And she can take it back.
        open(&anna, "15.09").await;
        anna.click_button("↩️ Не сделано")
            .await
            .expect_all_accepted();
        assert!(!lists(&list(&anna).await, "✅"));
        assert_eq!(
            homeworkdone::Entity::find().count(&app.db).await.unwrap(),
            0
        );
        let undone = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("homework.undone"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(undone, 1);
    }
);

both_backends!(
    a_proposed_task_shows_for_members_only_after_approval,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_timetable(&app).await;
        let assistant = app.student("Помощник Старосты");
        let author = app.student("Автор Предложения");
        let other = app.student("Другой Участник");
        app.add_member(group, &assistant, Role::Assistant).await;
        app.add_member(group, &author, Role::Member).await;
        app.add_member(group, &other, Role::Member).await;

        set_task(
            &author,
            "➕ Предложить задание",
            Due::Next("Операционные системы"),
            "Повторить лекцию",
            &[],
        )
        .await
        .expect_text_contains("отправлено старосте на одобрение");
        let proposed = task(&app, "Повторить лекцию").await;
        assert_eq!(proposed.status, "proposed");
        // The leader and the assistant are told, with a button that opens it.
        assert_eq!(
            notices_to(&app, &leader, "homework-proposed-notice").await,
            1
        );
        assert_eq!(
            notices_to(&app, &assistant, "homework-proposed-notice").await,
            1
        );
        assert_eq!(
            notices_to(&app, &other, "homework-proposed-notice").await,
            0
        );
        // Members do not see it yet, nor in the timetable.
        assert!(!lists(&list(&other).await, "15.09"));
        other.press(TIMETABLE).await;
        other
            .click_button("Завтра")
            .await
            .expect_no_text_contains("Повторить лекцию");

        // The assistant opens it from the notice and approves it.
        let open = encode(&Action::Open { task: proposed.id });
        assistant
            .forge_callback(&open)
            .await
            .expect_text_contains("ждёт одобрения");
        let (approved, toast) = assistant.click_button_toast("👍 Одобрить").await;
        approved.expect_all_accepted();
        assert_eq!(toast.as_deref(), Some("Задание опубликовано"));
        assert_eq!(task(&app, "Повторить лекцию").await.status, "published");
        assert_eq!(
            notices_to(&app, &author, "homework-approved-notice").await,
            1
        );
        assert!(lists(&list(&other).await, "15.09 Операционные"));

        // A rejected proposal never shows, and its author is told.
        set_task(
            &author,
            "➕ Предложить задание",
            Due::Typed("30.09.2026"),
            "Лишнее задание",
            &[],
        )
        .await
        .expect_text_contains("на одобрение");
        let rejected = task(&app, "Лишнее задание").await;
        assert!(lists(&list(&leader).await, "🕓 30.09"));
        leader
            .forge_callback(&encode(&Action::Open { task: rejected.id }))
            .await;
        leader
            .click_button("👎 Отклонить")
            .await
            .expect_all_accepted();
        assert_eq!(
            notices_to(&app, &author, "homework-rejected-notice").await,
            1
        );
        assert!(!lists(&list(&other).await, "30.09"));
        assert_eq!(tasks(&app).await, 1);
        for action in ["homework.propose", "homework.approve", "homework.reject"] {
            let rows = changelog::Entity::find()
                .filter(changelog::Column::ActionType.eq(action))
                .count(&app.db)
                .await
                .unwrap();
            assert!(rows >= 1, "no change-log row {action}");
        }
    }
);

both_backends!(
    members_cannot_delete_or_approve_forged_ids_change_nothing_and_another_subgroup_does_not_see,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_timetable(&app).await;
        let first = app.student("Первая Подгруппа");
        let second = app.student("Вторая Подгруппа");
        for (student, choice) in [(&first, "1"), (&second, "2")] {
            app.add_member(group, student, Role::Member).await;
            student.press(TIMETABLE).await;
            student.click_button("👥 Подгруппа: все").await;
            student.click_button(choice).await;
        }
        // The physics lab is subgroup 1's, on Thursday.
        set_task(
            &leader,
            "➕ Добавить задание",
            Due::Next("Физика"),
            "Отчёт по лабе",
            &[],
        )
        .await
        .expect_text_contains("Задание сохранено");
        let lab = task(&app, "Отчёт по лабе").await;
        assert_eq!((lab.due_date, lab.subgroup), (d(2026, 9, 17), Some(1)));
        assert!(lists(&list(&first).await, "17.09 Физика"));
        assert!(!lists(&list(&second).await, "17.09"));
        second
            .forge_callback(&encode(&Action::Open { task: lab.id }))
            .await
            .expect_no_text_contains("Отчёт по лабе");
        second
            .forge_callback(&encode(&Action::Done {
                task: lab.id,
                yes: true,
            }))
            .await;
        assert_eq!(
            homeworkdone::Entity::find().count(&app.db).await.unwrap(),
            0
        );

        // A member may not delete or approve.
        let (_, toast) = {
            let replies = first
                .forge_callback(&encode(&Action::DeleteConfirmed { task: lab.id }))
                .await;
            let toast = replies.expect_answered();
            (replies, toast)
        };
        assert!(toast.is_some(), "the refusal is told");
        first
            .forge_callback(&encode(&Action::Approve { task: lab.id }))
            .await;
        assert_eq!(tasks(&app).await, 1);
        assert_eq!(task(&app, "Отчёт по лабе").await.status, "published");

        // Another group's leader cannot touch it, nor can a made-up id.
        let (stranger, _) = group_with_leader(&app, "Чужой Староста", "Чужая группа").await;
        for action in [
            Action::DeleteConfirmed { task: lab.id },
            Action::Open { task: lab.id },
            Action::DeleteConfirmed {
                task: Uuid::new_v4(),
            },
        ] {
            stranger
                .forge_callback(&encode(&action))
                .await
                .expect_no_text_contains("Отчёт по лабе");
        }
        assert_eq!(tasks(&app).await, 1);

        // A member may not change its text; the leader may.
        first
            .forge_callback(&encode(&Action::Edit { task: lab.id }))
            .await
            .expect_no_text_contains("новый текст");
        first.send("Чужой текст").await;
        assert_eq!(task(&app, "Отчёт по лабе").await.id, lab.id);
        leader
            .forge_callback(&encode(&Action::Open { task: lab.id }))
            .await;
        leader
            .click_button("✏️ Изменить текст")
            .await
            .expect_text_contains("новый текст задания");
        leader
            .send("Отчёт по лабе 2")
            .await
            .expect_all_accepted()
            .expect_text_contains("Текст задания изменён")
            .expect_text_contains("Отчёт по лабе 2");
        assert_eq!(task(&app, "Отчёт по лабе 2").await.id, lab.id);

        // The leader may delete it.
        leader
            .forge_callback(&encode(&Action::Delete { task: lab.id }))
            .await;
        leader
            .click_button("🗑 Да, удалить")
            .await
            .expect_all_accepted();
        assert_eq!(tasks(&app).await, 0);
        let deleted = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("homework.delete"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(deleted, 1);
    }
);

both_backends!(
    the_timetable_day_shows_the_task_under_its_class,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_timetable(&app).await;
        let member = app.student("Зайцева Дарья");
        app.add_member(group, &member, Role::Member).await;
        set_task(
            &leader,
            "➕ Добавить задание",
            Due::Next("Операционные системы"),
            "Решить задачи 1–5",
            &[],
        )
        .await
        .expect_text_contains("Задание сохранено");
        set_task(
            &leader,
            "➕ Добавить задание",
            Due::Typed("завтра"),
            "Принести зачётку",
            &[],
        )
        .await
        .expect_text_contains("Задание сохранено");

        member.press(TIMETABLE).await;
        let day = member.click_button("Завтра").await;
        day.expect_all_accepted();
        let text = day.last_text();
        let lines: Vec<&str> = text.lines().collect();
        let class = lines
            .iter()
            .position(|l| l.contains("Операционные системы"))
            .unwrap_or_else(|| panic!("no class in {text}"));
        assert_eq!(
            lines.get(class + 1).copied(),
            Some("📚 Решить задачи 1–5"),
            "{text}"
        );
        assert!(lines.contains(&"📚 Принести зачётку"), "{text}");
        // Not on today's screen.
        member.press(TIMETABLE).await.expect_no_text_contains("📚");

        // The Mini App's class card has the class's task.
        let launched = launch(&app, member.id(), app.clock_now());
        let (status, week) = call(&app, "GET", "/app/api/week", Some(&launched)).await;
        assert_eq!(status, 200, "{week}");
        let tuesday = &week["days"][1]["classes"][0];
        assert_eq!(tuesday["subject"], "Операционные системы", "{week}");
        assert_eq!(tuesday["homework"], "Решить задачи 1–5", "{week}");
        assert!(
            week["days"][0]["classes"][0]["homework"].is_null(),
            "{week}"
        );

        // Ticked done, the task shows ✅ for this student there and in the chat.
        open(&member, "15.09 Операционные").await;
        member
            .click_button("✅ Сделано")
            .await
            .expect_all_accepted();
        let (_, week) = call(&app, "GET", "/app/api/week", Some(&launched)).await;
        assert_eq!(
            week["days"][1]["classes"][0]["homework"],
            "✅ Решить задачи 1–5"
        );
        member.press(TIMETABLE).await;
        member
            .click_button("Завтра")
            .await
            .expect_text_contains("📚 ✅ Решить задачи 1–5");
        leader.press(TIMETABLE).await;
        leader
            .click_button("Завтра")
            .await
            .expect_no_text_contains("✅ Решить");
    }
);
