//! F6: queues for lab defence — attached to an event, joined and left, run by the leader.
//! Through the fake Bot API, on SQLite and PostgreSQL. A whole group pressing at once: see
//! `tests/races.rs`.

mod support;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{changelog, queueparticipants, queues};
use study_group_bot::telegram::callback::encode;
use study_group_bot::telegram::queues::Action;
use support::app::{Backend, TestApp};
use support::fixtures::{
    attach_queue, group_with_event, group_with_queue, insert_event_on, leader_with_group,
    log_count, members, open_queue, positions, wait_delivered,
};
use support::student::Student;
use uuid::Uuid;

const JOIN: &str = "Встать в очередь";
const LEAVE: &str = "Выйти из очереди";

both_backends!(
    attaching_a_queue_validates_and_cancels,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, event) = group_with_event(&app, "Лаба <1>").await;

        // /cancel leaves no trace.
        leader
            .forge_callback(&encode(&study_group_bot::telegram::events::Action::Open {
                event,
            }))
            .await;
        leader
            .click_button("➕ Очередь")
            .await
            .expect_text_contains("Лаба &lt;1&gt;");
        leader
            .send("/cancel")
            .await
            .expect_text_contains("отменено");
        assert_eq!(
            queues::Entity::find().count(&app.db).await.expect("count"),
            0
        );

        // Every step validates and keeps the step.
        leader
            .forge_callback(&encode(&study_group_bot::telegram::events::Action::Open {
                event,
            }))
            .await;
        leader.click_button("➕ Очередь").await;
        leader
            .send(&"я".repeat(101))
            .await
            .expect_text_contains("слишком длинное");
        leader.click_button("Оставить «Очередь»").await;
        leader
            .send(&"д".repeat(1001))
            .await
            .expect_text_contains("слишком длинное");
        leader.send("Приносите отчёт & код").await;
        leader.send("0").await.expect_text_contains("от 1 до 500");
        leader
            .send("много")
            .await
            .expect_text_contains("от 1 до 500");
        let done = leader.send("25").await;
        done.expect_all_accepted()
            .expect_text_contains("Очередь «Очередь» создана")
            .expect_text_contains("Приносите отчёт &amp; код")
            .expect_text_contains("0 из 25 · свободно 25 мест");
        let queue = queues::Entity::find()
            .one(&app.db)
            .await
            .expect("query")
            .expect("created");
        // The default title is stored as none: each reader sees it in their language.
        assert_eq!(queue.title, "");
        assert_eq!(queue.max_participants, Some(25));
        assert_eq!(log_count(&app, "queue.create").await, 1);

        // A member cannot attach one, even with a forged button.
        let member = app.student("Иванов Иван");
        app.add_member(group, &member, Role::Member).await;
        let forged = member
            .forge_callback(&encode(&Action::Create { event }))
            .await;
        assert!(
            forged
                .expect_answered()
                .unwrap_or_default()
                .contains("недоступно")
        );
        assert_eq!(
            queues::Entity::find().count(&app.db).await.expect("count"),
            1
        );
    }
);

both_backends!(
    the_whole_flow_as_students_click_it,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, queue) = group_with_queue(&app, None).await;
        let ivanov = app.student("Иванов Иван");
        let sidorov = app.student("Сидоров <Пётр>");
        let kuznetsova = Student::with_language(&app.tg, &app.db, "Kuznetsova Olga", "en");
        for s in [&ivanov, &sidorov, &kuznetsova] {
            app.add_member(group, s, Role::Member).await;
            open_queue(s, queue)
                .await
                .expect_text_contains("Защита лаб");
        }

        // Joining: the next position each, told in a toast; the view marks the viewer's line.
        let (replies, toast) = ivanov.click_button_toast(JOIN).await;
        assert_eq!(toast.as_deref(), Some("Вы в очереди: №1"));
        replies.expect_text_contains("👉 <b>1. Иванов Иван</b>");
        assert!(replies.button_texts().contains(&LEAVE.to_owned()));
        let (replies, toast) = sidorov.click_button_toast(JOIN).await;
        assert_eq!(toast.as_deref(), Some("Вы в очереди: №2"));
        replies
            .expect_text_contains("1. Иванов Иван")
            .expect_text_contains("👉 <b>2. Сидоров &lt;Пётр&gt;</b>");
        let (_, toast) = kuznetsova.click_button_toast("Join the queue").await;
        assert_eq!(toast.as_deref(), Some("You are in the queue: #3"));

        // Pressing again: told the position, no second entry.
        let again = ivanov
            .forge_callback(&encode(&Action::Join { queue }))
            .await;
        assert_eq!(
            again.expect_answered().as_deref(),
            Some("Вы уже в очереди: №1")
        );
        assert_eq!(positions(&app, queue).await.len(), 3);

        // Leaving: later positions move up.
        let (_, toast) = sidorov.click_button_toast(LEAVE).await;
        assert!(toast.unwrap_or_default().contains("вышли"));
        assert_eq!(
            positions(&app, queue).await,
            vec![(ivanov.id(), 1), (kuznetsova.id(), 2)]
        );

        // «Следующий»: the first leaves; the new first is told, in her language.
        open_queue(&leader, queue).await;
        sidorov.click_button_toast(JOIN).await;
        let (next, toast) = leader.click_button_toast("Следующий").await;
        next.expect_all_accepted();
        assert!(toast.unwrap_or_default().contains("Иванов Иван"));
        assert_eq!(
            positions(&app, queue).await,
            vec![(kuznetsova.id(), 1), (sidorov.id(), 2)]
        );
        // Notices go through the outbox: with the reply when a send slot is free at once,
        // otherwise moments later by its worker.
        wait_delivered(&app, &kuznetsova, "Your turn!").await;
        wait_delivered(&app, &sidorov, "ваш черёд следующий").await;

        // Move: choose the participant, then the position; the moved student is told.
        ivanov.click_button("🔄 Обновить").await;
        ivanov.click_button_toast(JOIN).await;
        leader.click_button("🔄 Обновить").await;
        leader
            .click_button("Переместить")
            .await
            .expect_text_contains("Кого переместить");
        leader
            .click_button("3. Иванов Иван")
            .await
            .expect_text_contains("сейчас №3 из 3");
        let (moved, toast) = leader.click_button_toast("1").await;
        moved.expect_all_accepted();
        assert_eq!(toast.as_deref(), Some("Иванов Иван теперь №1"));
        assert_eq!(
            positions(&app, queue).await,
            vec![(ivanov.id(), 1), (kuznetsova.id(), 2), (sidorov.id(), 3)]
        );
        wait_delivered(&app, &ivanov, "теперь вы №1").await;
        // … or by typing the position.
        leader.click_button("Переместить").await;
        leader.click_button("1. Иванов Иван").await;
        leader.send("9").await.expect_text_contains("от 1 до 3");
        leader.send("2").await.expect_all_accepted();
        assert_eq!(
            positions(&app, queue).await,
            vec![(kuznetsova.id(), 1), (ivanov.id(), 2), (sidorov.id(), 3)]
        );

        // Remove: chosen from a list; the removed student is told.
        leader.click_button("Удалить участника").await;
        let (removed, toast) = leader.click_button_toast("1. Kuznetsova Olga").await;
        removed.expect_all_accepted();
        assert!(toast.unwrap_or_default().contains("Kuznetsova Olga"));
        assert_eq!(
            positions(&app, queue).await,
            vec![(ivanov.id(), 1), (sidorov.id(), 2)]
        );
        wait_delivered(&app, &kuznetsova, "You were removed").await;

        // Close: joining is refused with a clear message; open again.
        let (_, toast) = leader.click_button_toast("Закрыть").await;
        assert_eq!(toast.as_deref(), Some("Очередь закрыта"));
        open_queue(&kuznetsova, queue).await;
        let (_, toast) = kuznetsova.click_button_toast("Join the queue").await;
        assert_eq!(toast.as_deref(), Some("The queue is closed"));
        leader.click_button("Открыть").await;
        let (_, toast) = kuznetsova.click_button_toast("Join the queue").await;
        assert_eq!(toast.as_deref(), Some("You are in the queue: #3"));

        // CSV: position, name, username, joined at.
        let export = leader.click_button("📄 CSV").await;
        export.expect_all_accepted().expect_answered();
        let documents = export.documents();
        let (name, bytes) = documents.first().expect("a CSV document");
        assert!(name.ends_with(".csv"), "{name}");
        let csv = String::from_utf8(bytes.clone()).expect("UTF-8");
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], "Место;ФИО;Username;Встал в очередь");
        assert!(lines[1].starts_with(&format!("1;Иванов Иван;student{};", ivanov.id())));
        assert!(lines[2].starts_with("2;Сидоров <Пётр>;"));
        assert!(lines[3].starts_with("3;Kuznetsova Olga;"));
        assert_eq!(lines.len(), 4);

        // Clear (confirmed), then delete (confirmed).
        leader
            .click_button("Очистить")
            .await
            .expect_text_contains("Из неё уйдут 3 участника");
        let (_, toast) = leader.click_button_toast("🧹 Да, очистить").await;
        assert!(toast.unwrap_or_default().contains("3 участника"));
        assert!(positions(&app, queue).await.is_empty());
        leader
            .click_button("🗑 Удалить")
            .await
            .expect_text_contains("Удалить очередь");
        leader
            .click_button("🗑 Да, удалить")
            .await
            .expect_all_accepted()
            .expect_text_contains("удалена");
        assert!(
            queues::Entity::find_by_id(queue)
                .one(&app.db)
                .await
                .expect("query")
                .is_none()
        );

        for (action, n) in [
            ("queue.create", 1),
            ("queue.join", 6),
            ("queue.leave", 1),
            ("queue.next", 1),
            ("queue.move", 2),
            ("queue.remove", 1),
            ("queue.close", 1),
            ("queue.open", 1),
            ("queue.clear", 1),
            ("queue.delete", 1),
        ] {
            assert_eq!(log_count(&app, action).await, n, "{action}");
        }
        let with_group = changelog::Entity::find()
            .filter(changelog::Column::ActionType.starts_with("queue."))
            .filter(changelog::Column::GroupId.eq(group))
            .count(&app.db)
            .await
            .expect("changelog");
        assert_eq!(with_group, 16);
    }
);

both_backends!(editing_a_queue, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (leader, _group, queue) = group_with_queue(&app, Some("5")).await;
    leader.click_button("✏️ Изменить").await;
    leader.click_button("Название").await;
    leader.send("").await;
    leader
        .send("Защита <лаб> 2")
        .await
        .expect_all_accepted()
        .expect_text_contains("Защита &lt;лаб&gt; 2");
    leader.click_button("✏️ Изменить").await;
    leader.click_button("Максимум участников").await;
    leader.send("501").await.expect_text_contains("от 1 до 500");
    leader
        .click_button("Без ограничения")
        .await
        .expect_all_accepted();
    let stored = queues::Entity::find_by_id(queue)
        .one(&app.db)
        .await
        .expect("query")
        .expect("exists");
    assert_eq!(stored.title, "Защита <лаб> 2");
    assert_eq!(stored.max_participants, None);
    assert_eq!(log_count(&app, "queue.edit").await, 2);
});

both_backends!(
    forged_leader_actions_change_nothing,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_leader, group, queue) = group_with_queue(&app, None).await;
        let students = members(&app, group, 3, "Хитрый").await;
        for s in &students {
            open_queue(s, queue).await;
            s.click_button_toast(JOIN).await;
        }
        let before = positions(&app, queue).await;
        let member = &students[2];
        let participant = queueparticipants::Entity::find()
            .filter(queueparticipants::Column::QueueId.eq(queue))
            .filter(queueparticipants::Column::Position.eq(1))
            .one(&app.db)
            .await
            .expect("query")
            .expect("first")
            .id;
        for action in [
            Action::Next { queue },
            Action::RemoveList { queue, from: 0 },
            Action::Remove { participant },
            Action::MovePick {
                participant,
                from: 0,
            },
            Action::MoveTo {
                participant,
                position: 3,
            },
            Action::SetClosed {
                queue,
                closed: true,
            },
            Action::Clear { queue },
            Action::ClearConfirmed { queue },
            Action::Delete { queue },
            Action::DeleteConfirmed { queue },
            Action::Export { queue },
            Action::Edit {
                queue,
                field: study_group_bot::telegram::queues::form::Field::Title,
            },
        ] {
            let forged = member.forge_callback(&encode(&action)).await;
            forged.expect_all_accepted();
            let toast = forged.expect_answered().unwrap_or_default();
            assert!(toast.contains("недоступно"), "{action:?}: {toast:?}");
            assert!(forged.documents().is_empty());
        }
        // Even the buttons shown to them do not carry leader actions.
        let view = open_queue(member, queue).await;
        assert!(!view.button_texts().contains(&"Следующий".to_owned()));
        assert_eq!(positions(&app, queue).await, before);
        let stored = queues::Entity::find_by_id(queue)
            .one(&app.db)
            .await
            .expect("query")
            .expect("still there");
        assert!(!stored.is_closed);
        assert_eq!(log_count(&app, "queue.join").await, 3);
        assert_eq!(log_count(&app, "queue.next").await, 0);

        // Garbage in the queue domain is an outdated button.
        let garbage = member.forge_callback("1|q|x|not-a-uuid").await;
        assert!(
            garbage
                .expect_answered()
                .unwrap_or_default()
                .contains("устарела")
        );
    }
);

both_backends!(
    another_groups_queue_is_not_found,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_leader, group, queue) = group_with_queue(&app, None).await;
        let inside = members(&app, group, 1, "Свой").await;
        open_queue(&inside[0], queue).await;
        inside[0].click_button_toast(JOIN).await;
        let before = positions(&app, queue).await;

        let stranger = app.student("Чужой Лидер");
        app.create_group(&stranger, "ПМИ-22").await;
        for action in [
            Action::Open { queue },
            Action::Join { queue },
            Action::Next { queue },
            Action::ClearConfirmed { queue },
            Action::DeleteConfirmed { queue },
            Action::SetClosed {
                queue,
                closed: true,
            },
        ] {
            let forged = stranger.forge_callback(&encode(&action)).await;
            forged.expect_all_accepted();
            let toast = forged.expect_answered().unwrap_or_default();
            assert!(toast.contains("не найдена"), "{action:?}: {toast:?}");
            forged.expect_no_text_contains("Защита лаб");
        }
        assert_eq!(positions(&app, queue).await, before);
        assert!(
            queues::Entity::find_by_id(queue)
                .one(&app.db)
                .await
                .expect("query")
                .is_some_and(|q| !q.is_closed)
        );
    }
);

both_backends!(
    a_long_queue_fits_in_one_message,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, queue) = group_with_queue(&app, None).await;
        // 150 participants with long names, inserted directly; the leader is last.
        let long = "Очень-Длинная-Фамилия-С-Амперсандами&&&&&&&&&&&&&&&&&";
        for i in 0..149 {
            let student = app.student(&format!("{long}{i} Имя"));
            app.add_member(group, &student, Role::Member).await;
            queueparticipants::ActiveModel {
                id: Set(Uuid::new_v4()),
                queue_id: Set(queue),
                user_id: Set(student.id()),
                position: Set(i + 1),
                joined_at: Set(Utc::now()),
                away_since: Set(None),
                skipped: Set(0),
            }
            .insert(&app.db)
            .await
            .expect("participant");
        }
        open_queue(&leader, queue).await;
        let (view, toast) = leader.click_button_toast(JOIN).await;
        assert_eq!(toast.as_deref(), Some("Вы в очереди: №150"));
        view.expect_all_accepted()
            .expect_text_contains("…и ещё")
            .expect_text_contains("👉 <b>150. Петрова Анна</b>");
    }
);

both_backends!(
    a_turn_notice_names_the_event_and_opens_the_queue,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let date = Utc::now().date_naive() + chrono::Days::new(9);
        let event = insert_event_on(&app, group, "Лабораторная <3>", date, false).await;
        let queue = attach_queue(&app, &leader, event, Some("Защита лаб"), None).await;
        let ivanov = app.student("Иванов Иван");
        let petrova = app.student("Петрова Анна");
        for s in [&ivanov, &petrova] {
            app.add_member(group, s, Role::Member).await;
            open_queue(s, queue).await;
            s.click_button_toast(JOIN).await;
        }

        // «Следующий»: Петрова is first now and is told about which queue of which event.
        open_queue(&leader, queue).await;
        leader.click_button("Следующий").await.expect_all_accepted();
        wait_delivered(&app, &petrova, "Ваша очередь!").await;
        let notice = petrova
            .message_with_button("🚶 Открыть очередь")
            .expect("the notice with its button");
        assert!(notice.text.contains("Ваша очередь!"), "{}", notice.text);
        assert!(notice.text.contains("Защита лаб"), "{}", notice.text);
        assert!(
            notice.raw_text.contains("Лабораторная &lt;3&gt;"),
            "{}",
            notice.raw_text
        );
        let shown = date.format("%d.%m.%Y").to_string();
        assert!(notice.text.contains(&shown), "{}", notice.text);

        // Its button opens the queue, her line marked.
        petrova
            .click(
                notice.message_id,
                &petrova.button_data("🚶 Открыть очередь"),
            )
            .await
            .expect_all_accepted()
            .expect_text_contains("Защита лаб")
            .expect_text_contains("👉 <b>1. Петрова Анна</b>");
    }
);

both_backends!(
    an_unchanged_screen_is_not_sent_again,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, queue) = group_with_queue(&app, None).await;
        let ivan = app.student("Иванов Иван");
        app.add_member(group, &ivan, Role::Member).await;
        open_queue(&leader, queue).await;
        leader.click_button_toast(JOIN).await;
        let edits = |replies: &support::student::Replies| {
            replies
                .0
                .iter()
                .filter(|r| r.method == "editMessageText")
                .count()
        };

        // Nothing changed since the screen was shown: no edit (Telegram would refuse it as
        // "message is not modified"), only the press answered.
        let same = leader.click_button("🔄 Обновить").await;
        same.expect_all_accepted();
        same.expect_answered();
        assert_eq!(edits(&same), 0, "{:#?}", same.0);

        // Ivan joins meanwhile: the refresh shows him.
        ivan.send("/start").await;
        open_queue(&ivan, queue).await;
        ivan.click_button_toast(JOIN).await;
        let changed = leader.click_button("🔄 Обновить").await;
        changed.expect_all_accepted();
        assert_eq!(edits(&changed), 1, "{:#?}", changed.0);
        changed.expect_text_contains("Иванов Иван");
    }
);
