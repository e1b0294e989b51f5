//! F4/F10: the member list «👥 Участники группы» and the leader's actions on members — as the
//! students click them, on SQLite and PostgreSQL, through a fake Bot API over real HTTP.

mod support;

use futures::future::join_all;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{changelog, groupmembers, groups};
use study_group_bot::telegram::callback::encode;
use study_group_bot::telegram::members::handlers::Action;
use support::app::{Backend, TestApp};
use support::fixtures::wait_delivered;
use support::student::{Replies, Student};
use uuid::Uuid;

const MEMBERS: &str = "👥 Участники группы";
const UNREGISTERED_MENU: [&str; 2] = ["🚀 Создать группу", "🔗 Присоединиться по ссылке"];
const LEADER_MENU: [&str; 7] = [
    "📅 События и Бронь",
    "🗓 Расписание",
    "📚 Домашка",
    "🙋 Мои очереди и темы",
    "👥 Участники группы",
    "⚙️ Настройки группы",
    "👤 Профиль",
];
const MEMBER_MENU: [&str; 6] = [
    "📅 События и Бронь",
    "🗓 Расписание",
    "📚 Домашка",
    "🙋 Мои очереди и темы",
    "👥 Участники группы",
    "👤 Профиль",
];

const APPOINT: &str = "⭐ Назначить помощником";
const REVOKE: &str = "✖️ Снять роль помощника";
const REMOVE: &str = "🚫 Удалить из группы";
const CONFIRM_REMOVE: &str = "✅ Да, удалить";
const TRANSFER: &str = "👑 Передать роль старосты";
const CONFIRM_TRANSFER: &str = "✅ Да, передать";
const INVITE: &str = "➕ Пригласить";
const EXPORT: &str = "📄 Экспорт CSV";
const ANNOUNCE: &str = "📢 Объявление";

async fn membership(app: &TestApp, user: i64) -> Option<groupmembers::Model> {
    groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(user))
        .one(&app.db)
        .await
        .expect("query membership")
}

async fn member_id(app: &TestApp, student: &Student) -> Uuid {
    membership(app, student.id())
        .await
        .expect("the student is in a group")
        .id
}

/// Every membership row, in a stable order, to show that nothing changed.
async fn all_memberships(app: &TestApp) -> Vec<groupmembers::Model> {
    groupmembers::Entity::find()
        .order_by_asc(groupmembers::Column::UserId)
        .all(&app.db)
        .await
        .expect("query memberships")
}

/// The change-log rows with this action.
async fn log_rows(app: &TestApp, action: &str) -> Vec<changelog::Model> {
    changelog::Entity::find()
        .filter(changelog::Column::ActionType.eq(action))
        .all(&app.db)
        .await
        .expect("query change log")
}

async fn log_count(app: &TestApp) -> usize {
    changelog::Entity::find()
        .all(&app.db)
        .await
        .expect("query change log")
        .len()
}

/// The text of the bot's latest message in `student`'s chat.
fn last_text(app: &TestApp, student: &Student) -> String {
    app.tg
        .last_message(student.id())
        .map(|m| m.text)
        .unwrap_or_default()
}

/// The reply keyboard `student` has now, flattened.
fn keyboard_of(app: &TestApp, student: &Student) -> Vec<String> {
    let markup = app
        .tg
        .reply_keyboard(student.id())
        .expect("a reply keyboard");
    markup["keyboard"]
        .as_array()
        .expect("keyboard rows")
        .iter()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .filter_map(|button| button["text"].as_str().map(str::to_owned))
        .collect()
}

/// The leader opens the list and the card of the member whose name the button shows.
async fn open_card(leader: &Student, name: &str) -> Replies {
    let list = leader.press(MEMBERS).await;
    let label = list
        .button_texts()
        .into_iter()
        .find(|text| text.ends_with(name))
        .unwrap_or_else(|| panic!("no card button for {name}: {:?}", list.button_texts()));
    leader.click_button(&label).await
}

/// A leader «Абрамова Анна» and a group «ИВТ-21» with the given students as members.
async fn group_with(app: &TestApp, members: &[(&Student, Role)]) -> (Student, Uuid) {
    let leader = app.student("Абрамова Анна");
    let group = app.create_group(&leader, "ИВТ-21").await;
    for (student, role) in members {
        app.add_member(group, student, *role).await;
    }
    (leader, group)
}

both_backends!(
    twenty_five_members_page_in_place_sorted_by_last_name,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        // In the expected order: case does not matter, «ё» sorts as «е».
        let sorted = [
            "Абрамова Анна", // the leader
            "Белов Борис",
            "Васильева Вера",
            "Васильева Галина",
            "Гусев Глеб",
            "Егоров Егор",
            "Ёжиков Ефим",
            "Жуков Жан",
            "Зайцева Зоя",
            "Иванов-Петров Игорь",
            "иванова Ирина",
            "Ковалёв Кирилл",
            "Лебедева Лена",
            "Морозов Марк",
            "Никитина Нина",
            "Орлов Олег",
            "Павлова Полина",
            "Романов Роман",
            "Соколова Софья",
            "Тихонов Тимур",
            "Ульянова Ума",
            "Фёдоров Фёдор",
            "Харитонов Хасан",
            "Цветкова Цветана",
            "Щукин Щедрин",
        ];
        let leader = app.student(sorted[0]);
        let group = app.create_group(&leader, "ИВТ-21").await;
        // Added in a scrambled order.
        let others: Vec<Student> = (0..24)
            .map(|i| app.student(sorted[1 + (i * 7) % 24]))
            .collect();
        join_all(others.iter().map(|s| {
            let role = if s.user.last_name.as_deref() == Some("Морозов") {
                Role::Assistant
            } else {
                Role::Member
            };
            app.add_member(group, s, role)
        }))
        .await;

        let first = leader.press(MEMBERS).await;
        first
            .expect_all_accepted()
            .expect_text_contains("👥 <b>Участники группы «ИВТ-21»</b>: 25 участников");
        let text = first.last_text();
        assert!(
            text.contains("1. 👑 Абрамова Анна @student"),
            "leader marked: {text}"
        );
        assert!(text.contains("Страница 1 из 3"), "{text}");
        let list_message = first.messages()[0].message_id().expect("message id");
        let shown_order = |text: &str| -> Vec<usize> {
            sorted
                .iter()
                .map(|name| text.find(&format!(" {name} @")).unwrap_or(usize::MAX))
                .collect()
        };
        let positions = shown_order(&text);
        for i in 0..10 {
            assert!(
                positions[i] != usize::MAX,
                "{} missing on page 1",
                sorted[i]
            );
        }
        assert!(
            positions[..10].windows(2).all(|w| w[0] < w[1]),
            "sorted: {text}"
        );
        assert!(positions[10..].iter().all(|&p| p == usize::MAX));
        let buttons = first.button_texts();
        assert!(buttons.contains(&"1/3".to_owned()) && buttons.contains(&"▶️".to_owned()));
        assert!(!buttons.contains(&"◀️".to_owned()), "{buttons:?}");
        assert!(
            buttons.contains(&"1. Абрамова Анна".to_owned()),
            "{buttons:?}"
        );
        assert!(buttons.contains(&INVITE.to_owned()) && buttons.contains(&EXPORT.to_owned()));

        let second = leader.click_button("▶️").await;
        second.expect_all_accepted().expect_answered();
        assert!(
            second.0.iter().all(|r| r.method != "sendMessage"),
            "{:?}",
            second.0
        );
        let edit = second
            .0
            .iter()
            .find(|r| r.method == "editMessageText")
            .expect("the list is edited in place");
        assert_eq!(edit.message_id(), Some(list_message));
        let text = second.last_text();
        assert!(text.contains("Страница 2 из 3"), "{text}");
        let positions = shown_order(&text);
        assert!(positions[..10].iter().all(|&p| p == usize::MAX));
        assert!(
            positions[10..20]
                .windows(2)
                .all(|w| w[0] < w[1] && w[1] != usize::MAX)
        );
        assert!(text.contains("11. иванова Ирина"), "{text}");
        assert!(
            text.contains("14. ⭐ Морозов Марк"),
            "assistant marked: {text}"
        );
        assert!(second.button_texts().contains(&"◀️".to_owned()));

        let third = leader.click_button("▶️").await;
        assert!(third.0.iter().all(|r| r.method != "sendMessage"));
        let text = third.last_text();
        assert!(text.contains("Страница 3 из 3"), "{text}");
        assert!(text.contains("21. Ульянова Ума") && text.contains("25. Щукин Щедрин"));
        assert!(!text.contains("26."));
        let buttons = third.button_texts();
        assert!(!buttons.contains(&"▶️".to_owned()) && buttons.contains(&"3/3".to_owned()));

        let back = leader.click_button("◀️").await;
        assert!(back.last_text().contains("Страница 2 из 3"));
        let shown = app.tg.message(leader.id(), list_message).expect("the list");
        assert_eq!(shown.edits, 3, "one message, edited on every page turn");

        // A member sees the list read-only.
        let member = &others[0];
        let seen = member.press(MEMBERS).await;
        seen.expect_text_contains("25 участников");
        assert_eq!(seen.button_texts(), ["1/3", "▶️"]);
        let _ = app;
    }
);

both_backends!(csv_export_quotes_names, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let tricky = app.student("Иванов Иван \"Ваня\", мл.");
    let assistant = app.student("Борисова Белла");
    let member = app.student("Волков Виктор");
    let (leader, group) = group_with(
        &app,
        &[
            (&tricky, Role::Member),
            (&assistant, Role::Assistant),
            (&member, Role::Member),
        ],
    )
    .await;
    let timezone: chrono_tz::Tz = groups::Entity::find_by_id(group)
        .one(&app.db)
        .await
        .unwrap()
        .expect("group")
        .timezone
        .parse()
        .expect("IANA zone");

    leader.press(MEMBERS).await;
    let export = leader.click_button(EXPORT).await;
    export.expect_all_accepted().expect_answered();
    let documents = export.documents();
    assert_eq!(documents.len(), 1, "{:?}", export.0);
    let (name, bytes) = &documents[0];
    assert!(name.ends_with(".csv"), "{name}");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(lines[0], "ФИО;username;Роль;Дата вступления");
    assert_eq!(lines.len(), 5, "{text}");
    let date = |student: &Student| {
        let app = &app;
        let id = student.id();
        async move {
            membership(app, id)
                .await
                .unwrap()
                .joined_at
                .with_timezone(&timezone)
                .format("%Y-%m-%d")
                .to_string()
        }
    };
    assert_eq!(
        lines[1],
        format!(
            "Абрамова Анна;{};староста;{}",
            leader.user.username.as_deref().unwrap(),
            date(&leader).await
        )
    );
    assert_eq!(
        lines[2],
        format!(
            "Борисова Белла;{};помощник;{}",
            assistant.user.username.as_deref().unwrap(),
            date(&assistant).await
        )
    );
    assert_eq!(
        lines[4],
        format!(
            "\"Иванов Иван \"\"Ваня\"\", мл.\";{};участник;{}",
            tricky.user.username.as_deref().unwrap(),
            date(&tricky).await
        )
    );

    // Assistants export too; members have no such button and a forged one is refused.
    assistant.press(MEMBERS).await;
    let by_assistant = assistant.click_button(EXPORT).await;
    assert_eq!(by_assistant.documents().len(), 1);
    let seen = member.press(MEMBERS).await;
    assert!(seen.button_texts().is_empty(), "{:?}", seen.button_texts());
    let forged = member.forge_callback(&encode(&Action::Export)).await;
    let toast = forged.expect_answered().unwrap_or_default();
    assert!(toast.contains("недоступно"), "{toast}");
    assert!(forged.documents().is_empty());
});

both_backends!(
    the_leader_appoints_and_revokes_an_assistant,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let petrov = app.student("Петров Пётр");
        let (leader, group) = group_with(&app, &[(&petrov, Role::Member)]).await;

        let card = open_card(&leader, "Петров Пётр").await;
        card.expect_all_accepted()
            .expect_text_contains("Роль: участник")
            .expect_text_contains("В группе с");
        assert_eq!(
            card.button_texts(),
            [
                APPOINT,
                TRANSFER,
                REMOVE,
                "👥 Подгруппа в расписании",
                "◀️ К списку"
            ]
        );

        let appointed = leader.click_button(APPOINT).await;
        appointed.expect_all_accepted();
        assert_eq!(
            appointed.expect_answered().as_deref(),
            Some("⭐ Назначен помощником")
        );
        appointed.expect_text_contains("Роль: помощник");
        assert!(membership(&app, petrov.id()).await.unwrap().is_assistant);
        let rows = log_rows(&app, "member.appoint").await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].user_id, Some(leader.id()));
        assert_eq!(rows[0].group_id, Some(group));
        let petrov_member = member_id(&app, &petrov).await.to_string();
        assert_eq!(rows[0].entity_id.as_deref(), Some(petrov_member.as_str()));
        wait_delivered(
            &app,
            &petrov,
            "Староста назначил вас помощником в группе «ИВТ-21»",
        )
        .await;
        petrov
            .send("/start")
            .await
            .expect_text_contains("помощник старосты");

        // Pressing again (a double click) changes nothing.
        let again = leader
            .forge_callback(&encode(&Action::Appoint {
                member: member_id(&app, &petrov).await,
                page: 0,
            }))
            .await;
        assert_eq!(
            again.expect_answered().as_deref(),
            Some("Участник уже помощник.")
        );
        assert_eq!(log_rows(&app, "member.appoint").await.len(), 1);

        let revoked = leader.click_button(REVOKE).await;
        assert_eq!(
            revoked.expect_answered().as_deref(),
            Some("Роль помощника снята")
        );
        revoked.expect_text_contains("Роль: участник");
        assert!(!membership(&app, petrov.id()).await.unwrap().is_assistant);
        assert_eq!(log_rows(&app, "member.revoke").await.len(), 1);
        wait_delivered(&app, &petrov, "Вы больше не помощник старосты").await;
    }
);

both_backends!(
    the_leader_removes_a_member_after_confirmation,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let petrov = app.student("Петров Пётр");
        let sidorov = app.student("Сидоров Семён");
        let (leader, group) =
            group_with(&app, &[(&petrov, Role::Member), (&sidorov, Role::Member)]).await;

        open_card(&leader, "Петров Пётр").await;
        let asked = leader.click_button(REMOVE).await;
        asked
            .expect_all_accepted()
            .expect_text_contains("Удалить <b>Петров Пётр</b> из группы «ИВТ-21»?");
        assert_eq!(asked.button_texts(), [CONFIRM_REMOVE, "◀️ Нет, назад"]);
        assert!(membership(&app, petrov.id()).await.is_some(), "only asked");

        // «No» goes back to the card.
        leader
            .click_button("◀️ Нет, назад")
            .await
            .expect_text_contains("Роль: участник");
        leader.click_button(REMOVE).await;
        let removed = leader.click_button(CONFIRM_REMOVE).await;
        removed.expect_all_accepted();
        let toast = removed.expect_answered().unwrap_or_default();
        assert!(toast.contains("Петров Пётр"), "{toast}");
        removed
            .expect_text_contains("2 участника")
            .expect_no_text_contains("Петров");
        assert!(membership(&app, petrov.id()).await.is_none());
        assert!(membership(&app, sidorov.id()).await.is_some());
        let rows = log_rows(&app, "member.remove").await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].user_id, Some(leader.id()));
        assert_eq!(rows[0].group_id, Some(group));
        assert_eq!(
            rows[0].details.as_ref().unwrap()["user_id"].as_i64(),
            Some(petrov.id())
        );

        wait_delivered(&app, &petrov, "Староста исключил вас из группы «ИВТ-21»").await;
        assert_eq!(keyboard_of(&app, &petrov), UNREGISTERED_MENU);
        petrov
            .send("/start")
            .await
            .expect_text_contains("Вы ещё не состоите в группе");
    }
);

both_backends!(
    the_leader_transfers_leadership_after_confirmation,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let petrov = app.student("Петров Пётр");
        let (leader, group) = group_with(&app, &[(&petrov, Role::Member)]).await;

        open_card(&leader, "Петров Пётр").await;
        let asked = leader.click_button(TRANSFER).await;
        asked.expect_text_contains(
            "Передать роль старосты группы «ИВТ-21» участнику <b>Петров Пётр</b>?",
        );
        assert!(
            membership(&app, leader.id()).await.unwrap().is_leader,
            "only asked"
        );

        let done = leader.click_button(CONFIRM_TRANSFER).await;
        done.expect_all_accepted()
            .expect_text_contains("Вы передали роль старосты группы «ИВТ-21»")
            .expect_keyboard(&MEMBER_MENU);
        let old = membership(&app, leader.id()).await.unwrap();
        let new = membership(&app, petrov.id()).await.unwrap();
        assert!(!old.is_leader && old.is_assistant, "the old leader assists");
        assert!(new.is_leader && !new.is_assistant);
        let rows = log_rows(&app, "group.transfer").await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].group_id, Some(group));
        assert_eq!(rows[0].user_id, Some(leader.id()));
        assert_eq!(
            rows[0].details.as_ref().unwrap()["to_user_id"].as_i64(),
            Some(petrov.id())
        );

        wait_delivered(&app, &petrov, "Теперь вы староста группы «ИВТ-21»!").await;
        assert_eq!(keyboard_of(&app, &petrov), LEADER_MENU);
        // The old leader's list is now an assistant's: no cards.
        let list = leader.press(MEMBERS).await;
        assert_eq!(list.button_texts(), [INVITE, EXPORT, ANNOUNCE]);
        // And the new leader manages members.
        let list = petrov.press(MEMBERS).await;
        assert!(
            list.button_texts()
                .iter()
                .any(|b| b.ends_with("Абрамова Анна"))
        );
        list.expect_text_contains("👑 Петров Пётр")
            .expect_text_contains("⭐ Абрамова Анна");
    }
);

/// The callback data of every leader action on `target`, as the leader's own buttons carry it.
async fn leader_buttons(leader: &Student, target: &str) -> Vec<String> {
    open_card(leader, target).await;
    let mut data = vec![
        leader.button_data(APPOINT),
        leader.button_data(REMOVE),
        leader.button_data(TRANSFER),
    ];
    leader.click_button(REMOVE).await;
    data.push(leader.button_data(CONFIRM_REMOVE));
    leader.click_button("◀️ Нет, назад").await;
    leader.click_button(TRANSFER).await;
    data.push(leader.button_data(CONFIRM_TRANSFER));
    data
}

both_backends!(
    assistants_and_members_replaying_leader_buttons_are_refused,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let assistant = app.student("Борисова Белла");
        let member = app.student("Волков Виктор");
        let target = app.student("Григорьев Гриша");
        let (leader, _) = group_with(
            &app,
            &[
                (&assistant, Role::Assistant),
                (&member, Role::Member),
                (&target, Role::Member),
            ],
        )
        .await;
        let mut replayed = leader_buttons(&leader, "Григорьев Гриша").await;
        // Revoking: on the assistant's own card.
        open_card(&leader, "Борисова Белла").await;
        replayed.push(leader.button_data(REVOKE));
        replayed.push(encode(&Action::Card {
            member: member_id(&app, &target).await,
            page: 0,
        }));
        let before = all_memberships(&app).await;
        let logged = log_count(&app).await;

        for student in [&assistant, &member] {
            let list = student.press(MEMBERS).await;
            assert!(
                !list
                    .button_texts()
                    .iter()
                    .any(|b| b.ends_with("Григорьев Гриша")),
                "no cards for non-leaders"
            );
            for data in &replayed {
                let replies = student.forge_callback(data).await;
                replies.expect_all_accepted();
                let toast = replies.expect_answered().unwrap_or_default();
                assert_eq!(toast, "⛔ Это действие вам недоступно.", "{data}");
            }
        }
        assert_eq!(all_memberships(&app).await, before, "nothing changed");
        assert_eq!(log_count(&app).await, logged);
        assert!(
            !last_text(&app, &target).contains("староста"),
            "nobody told"
        );
    }
);

both_backends!(
    a_leader_cannot_reach_into_another_group,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let ours = app.student("Петров Пётр");
        let (leader, _) = group_with(&app, &[(&ours, Role::Member)]).await;
        let other_leader = app.student("Яковлев Яков");
        let other_group = app.create_group(&other_leader, "ПМИ-31").await;
        let theirs = app.student("Юдина Юлия");
        let their_assistant = app.student("Эдуардов Эдуард");
        app.add_member(other_group, &theirs, Role::Member).await;
        app.add_member(other_group, &their_assistant, Role::Assistant)
            .await;
        let before = all_memberships(&app).await;
        let logged = log_count(&app).await;

        // The leader's own buttons, with the id edited to point into the other group.
        open_card(&leader, "Петров Пётр").await;
        let theirs_id = member_id(&app, &theirs).await;
        let assistant_id = member_id(&app, &their_assistant).await;
        let other_leader_id = member_id(&app, &other_leader).await;
        let own = leader.button_data(APPOINT);
        let ours_id = member_id(&app, &ours).await;
        let forged = own.replace(
            &encode(&Action::Appoint {
                member: ours_id,
                page: 0,
            })[6..],
            &encode(&Action::Appoint {
                member: theirs_id,
                page: 0,
            })[6..],
        );
        assert_ne!(forged, own);
        let mut attempts = vec![forged];
        for member in [theirs_id, assistant_id, other_leader_id] {
            for action in [
                Action::Card { member, page: 0 },
                Action::Appoint { member, page: 0 },
                Action::Revoke { member, page: 0 },
                Action::Remove { member, page: 0 },
                Action::RemoveConfirmed { member, page: 0 },
                Action::Transfer { member, page: 0 },
                Action::TransferConfirmed { member, page: 0 },
            ] {
                attempts.push(encode(&action));
            }
        }
        for data in &attempts {
            // (The list shown again after the refusal may be unchanged: Telegram then answers
            // "message is not modified", which the bot takes as done.)
            let replies = leader.forge_callback(data).await;
            let toast = replies.expect_answered().unwrap_or_default();
            assert!(toast.contains("не найден"), "{data}: {toast}");
            replies.expect_no_text_contains("Юдина");
        }
        assert_eq!(all_memberships(&app).await, before, "nothing changed");
        assert_eq!(log_count(&app).await, logged);
        assert!(!last_text(&app, &theirs).contains("Староста"));
    }
);

both_backends!(
    the_leader_cannot_demote_remove_or_transfer_to_himself,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let petrov = app.student("Петров Пётр");
        let (leader, _) = group_with(&app, &[(&petrov, Role::Member)]).await;

        let own_card = open_card(&leader, "Абрамова Анна").await;
        own_card
            .expect_text_contains("Роль: староста")
            .expect_text_contains("Это вы.");
        assert_eq!(own_card.button_texts(), ["◀️ К списку"]);

        let me = member_id(&app, &leader).await;
        let before = all_memberships(&app).await;
        let logged = log_count(&app).await;
        for action in [
            Action::Appoint {
                member: me,
                page: 0,
            },
            Action::Revoke {
                member: me,
                page: 0,
            },
            Action::Remove {
                member: me,
                page: 0,
            },
            Action::RemoveConfirmed {
                member: me,
                page: 0,
            },
            Action::Transfer {
                member: me,
                page: 0,
            },
            Action::TransferConfirmed {
                member: me,
                page: 0,
            },
        ] {
            let replies = leader.forge_callback(&encode(&action)).await;
            let toast = replies.expect_answered().unwrap_or_default();
            assert_eq!(toast, "Это действие нельзя применить к себе.", "{action:?}");
        }
        assert_eq!(all_memberships(&app).await, before);
        assert_eq!(log_count(&app).await, logged);
    }
);

both_backends!(
    unknown_and_malformed_buttons_are_outdated,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, _) = group_with(&app, &[]).await;
        for data in [
            "1|m|p|-1",
            "1|m|c|abc|0",
            "1|m|zz",
            "1|m|p|1|1",
            "9|m|p|0",
            "1|p|l|de",
        ] {
            let replies = leader.forge_callback(data).await;
            let toast = replies.expect_answered().unwrap_or_default();
            assert_eq!(
                toast, "Эта кнопка устарела. Откройте меню заново.",
                "{data}"
            );
        }
        // A page beyond the last shows the last one.
        let replies = leader
            .forge_callback(&encode(&Action::Page { page: 7 }))
            .await;
        replies.expect_answered();
        replies.expect_text_contains("1 участник");
    }
);

both_backends!(
    a_transfer_racing_the_target_leaving_leaves_exactly_one_leader,
    |backend: Backend| async move {
        use study_group_bot::telegram::members::profile::ProfileAction;
        let app = TestApp::spawn(backend).await;
        let petrov = app.student("Петров Пётр");
        let sidorov = app.student("Сидоров Семён");
        let (leader, group) =
            group_with(&app, &[(&petrov, Role::Member), (&sidorov, Role::Member)]).await;
        let petrov_id = member_id(&app, &petrov).await;
        let sidorov_id = member_id(&app, &sidorov).await;

        // The leader hands leadership to Petrov while Petrov leaves; the leader removes Sidorov
        // while Sidorov leaves.
        let transfer = encode(&Action::TransferConfirmed {
            member: petrov_id,
            page: 0,
        });
        let remove = encode(&Action::RemoveConfirmed {
            member: sidorov_id,
            page: 0,
        });
        let leave = encode(&ProfileAction::LeaveConfirmed);
        let (by_leader, by_petrov, by_sidorov) = tokio::join!(
            async {
                let first = leader.forge_callback(&transfer).await;
                let second = leader.forge_callback(&remove).await;
                (first, second)
            },
            petrov.forge_callback(&leave),
            sidorov.forge_callback(&leave),
        );
        for replies in [&by_leader.0, &by_leader.1, &by_petrov, &by_sidorov] {
            replies.expect_answered();
        }

        let members: Vec<groupmembers::Model> = groupmembers::Entity::find()
            .filter(groupmembers::Column::GroupId.eq(group))
            .all(&app.db)
            .await
            .unwrap();
        let leaders = members.iter().filter(|m| m.is_leader).count();
        assert_eq!(leaders, 1, "exactly one leader: {members:?}");
        assert!(
            members.iter().all(|m| m.user_id != sidorov.id()),
            "Sidorov is gone either way"
        );
        let removals = log_rows(&app, "member.remove").await.len();
        let leaves = log_rows(&app, "member.leave").await.len();
        let transfers = log_rows(&app, "group.transfer").await.len();
        let petrov_here = members.iter().any(|m| m.user_id == petrov.id());
        // Petrov either left (no transfer) or became the leader (and could not leave).
        assert_eq!(transfers == 1, petrov_here, "{members:?}");
        if petrov_here {
            let petrov_row = members.iter().find(|m| m.user_id == petrov.id()).unwrap();
            assert!(petrov_row.is_leader);
        }
        assert_eq!(
            removals + leaves,
            1 + usize::from(!petrov_here),
            "one change-log row per membership that ended"
        );
    }
);
