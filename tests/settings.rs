//! F2 «⚙️ Настройки группы»: the leader renames the group, describes it, sets its time zone and
//! deletes it — as they would click it, on SQLite and PostgreSQL, through a fake Bot API. Nobody
//! else gets in, not even with replayed or forged buttons.

mod support;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{
    changelog, deadlines, dialogues, events, groupinvitations, groupmembers, groups,
};
use study_group_bot::telegram::callback;
use study_group_bot::telegram::groups::Action;
use support::app::{Backend, TestApp};
use support::fixtures::{leader_with_group, wait_delivered};
use support::student::Student;
use uuid::Uuid;

const SETTINGS: &str = "⚙️ Настройки группы";
const UNREGISTERED_MENU: [&str; 2] = ["🚀 Создать группу", "🔗 Присоединиться по ссылке"];
const SETTINGS_BUTTONS: [&str; 7] = [
    "✏️ Название",
    "📝 Описание",
    "🕒 Часовой пояс",
    "📆 Календарь для телефона",
    "📜 История изменений",
    "👑 Передать роль старосты",
    "🗑 Удалить группу",
];
const FORBIDDEN: &str = "⛔ Это действие вам недоступно.";

async fn group(app: &TestApp, id: Uuid) -> Option<groups::Model> {
    groups::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query groups")
}

async fn log_of(app: &TestApp, action: &str) -> Vec<changelog::Model> {
    changelog::Entity::find()
        .filter(changelog::Column::ActionType.eq(action))
        .order_by_asc(changelog::Column::Id)
        .all(&app.db)
        .await
        .expect("query changelog")
}

async fn changelog_size(app: &TestApp) -> u64 {
    changelog::Entity::find()
        .count(&app.db)
        .await
        .expect("count changelog")
}

async fn has_dialogue(app: &TestApp, student: &Student) -> bool {
    dialogues::Entity::find_by_id(student.id())
        .one(&app.db)
        .await
        .expect("query dialogues")
        .is_some()
}

both_backends!(
    the_leader_sees_the_settings_screen,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group_id) = leader_with_group(&app).await;
        app.add_member(group_id, &app.student("Волков Максим"), Role::Member)
            .await;
        app.add_member(group_id, &app.student("Зайцева Дарья"), Role::Member)
            .await;

        let replies = leader.press(SETTINGS).await;
        replies
            .expect_all_accepted()
            .expect_text_contains("⚙️ <b>Настройки группы</b>")
            .expect_text_contains("Название: <b>ИВТ-21</b>")
            .expect_text_contains("Участники: 3 участника")
            .expect_text_contains("Часовой пояс: Europe/Moscow — сейчас там ")
            .expect_text_contains("(UTC+3)")
            .expect_text_contains("Описание: <i>не задано</i>");
        assert_eq!(replies.button_texts(), SETTINGS_BUTTONS);
        // «Передать руководство» opens the member list, where member cards offer the transfer.
        let members_page = study_group_bot::telegram::members::handlers::Action::Page { page: 0 };
        assert_eq!(
            leader.button_data("👑 Передать роль старосты"),
            callback::encode(&members_page)
        );
        assert!(
            replies
                .inline_buttons()
                .iter()
                .flatten()
                .all(|(_, data)| data.as_ref().is_some_and(|d| d.len() <= 64))
        );
    }
);

both_backends!(
    renaming_explains_bad_names_and_escapes_markup,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group_id) = leader_with_group(&app).await;
        let screen = leader.press(SETTINGS).await;
        let screen_id = screen.messages()[0]
            .message_id()
            .expect("screen message id");

        let asked = leader.click_button("✏️ Название").await;
        asked.expect_all_accepted();
        assert_eq!(asked.expect_answered(), None);
        let edits: Vec<_> = asked.messages();
        assert_eq!(edits.len(), 1, "navigation edits in place: {edits:#?}");
        assert_eq!(edits[0].method, "editMessageText");
        assert_eq!(edits[0].message_id(), Some(screen_id));
        asked
            .expect_text_contains("Введите новое название группы (до 50 символов)")
            .expect_text_contains("Сейчас: «ИВТ-21»");
        assert_eq!(asked.button_texts(), ["◀️ Назад"]);

        leader
            .send(&"Я".repeat(51))
            .await
            .expect_all_accepted()
            .expect_text_contains("Название слишком длинное (51 символ)");
        leader
            .send("  ")
            .await
            .expect_text_contains("не может быть пустым");
        assert!(
            has_dialogue(&app, &leader).await,
            "still waiting for a name"
        );
        assert_eq!(group(&app, group_id).await.unwrap().name, "ИВТ-21");

        let renamed = leader.send("  <i>ИВТ</i> & \"22\" ").await;
        renamed
            .expect_all_accepted()
            .expect_text_contains("✅ Название группы изменено.")
            .expect_text_contains("Название: <b>&lt;i&gt;ИВТ&lt;/i&gt; &amp; &quot;22&quot;</b>")
            .expect_no_text_contains("<i>ИВТ</i>");
        assert_eq!(renamed.button_texts(), SETTINGS_BUTTONS);
        assert_eq!(
            group(&app, group_id).await.unwrap().name,
            "<i>ИВТ</i> & \"22\""
        );
        assert!(!has_dialogue(&app, &leader).await);

        let log = log_of(&app, "group.rename").await;
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].user_id, Some(leader.id()));
        assert_eq!(log[0].group_id, Some(group_id));
        assert_eq!(
            log[0].entity_id.as_deref(),
            Some(group_id.to_string().as_str())
        );
        let details = log[0].details.clone().expect("details");
        assert_eq!(details["old"], "ИВТ-21");
        assert_eq!(details["new"], "<i>ИВТ</i> & \"22\"");

        leader
            .send("/start")
            .await
            .expect_text_contains("староста группы «&lt;i&gt;ИВТ&lt;/i&gt; &amp; &quot;22&quot;»");
        // The rename question is over: text is just text again.
        leader
            .send("ПМИ-31")
            .await
            .expect_text_contains("Не понимаю");
    }
);

both_backends!(
    back_leaves_the_question_without_changes,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group_id) = leader_with_group(&app).await;
        leader.press(SETTINGS).await;
        leader.click_button("✏️ Название").await;
        assert!(has_dialogue(&app, &leader).await);

        let back = leader.click_button("◀️ Назад").await;
        back.expect_all_accepted()
            .expect_text_contains("Название: <b>ИВТ-21</b>");
        back.expect_answered();
        assert_eq!(back.button_texts(), SETTINGS_BUTTONS);
        assert!(!has_dialogue(&app, &leader).await);
        leader
            .send("Новое имя")
            .await
            .expect_text_contains("Не понимаю");
        assert_eq!(group(&app, group_id).await.unwrap().name, "ИВТ-21");
        assert!(log_of(&app, "group.rename").await.is_empty());
    }
);

both_backends!(
    the_description_is_set_refused_and_cleared,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group_id) = leader_with_group(&app).await;
        leader.press(SETTINGS).await;

        let asked = leader.click_button("📝 Описание").await;
        asked
            .expect_all_accepted()
            .expect_text_contains("Отправьте новое описание группы (до 1000 символов)");
        assert_eq!(asked.button_texts(), ["🧹 Очистить", "◀️ Назад"]);

        leader
            .send(&"д".repeat(1001))
            .await
            .expect_all_accepted()
            .expect_text_contains("Описание слишком длинное (1001 символ)")
            .expect_text_contains("до 1000 символов");
        leader
            .send("Кафедра\u{7}ВТ")
            .await
            .expect_text_contains("служебных символов");
        assert_eq!(group(&app, group_id).await.unwrap().description, None);

        leader
            .send("  Кафедра ВТ, <b>ауд. 305</b>\nСтароста: Анна  ")
            .await
            .expect_all_accepted()
            .expect_text_contains("✅ Описание сохранено.")
            .expect_text_contains("Кафедра ВТ, &lt;b&gt;ауд. 305&lt;/b&gt;\nСтароста: Анна");
        assert_eq!(
            group(&app, group_id).await.unwrap().description.as_deref(),
            Some("Кафедра ВТ, <b>ауд. 305</b>\nСтароста: Анна")
        );

        // Exactly 1000 characters are fine.
        leader.click_button("📝 Описание").await;
        leader
            .send(&"д".repeat(1000))
            .await
            .expect_text_contains("✅ Описание сохранено.");

        // Cleared with the button…
        leader.click_button("📝 Описание").await;
        let cleared = leader.click_button("🧹 Очистить").await;
        cleared
            .expect_all_accepted()
            .expect_text_contains("✅ Описание удалено.")
            .expect_text_contains("Описание: <i>не задано</i>");
        assert_eq!(cleared.expect_answered(), None);
        assert_eq!(group(&app, group_id).await.unwrap().description, None);
        assert!(!has_dialogue(&app, &leader).await);

        // …or with «-».
        leader.click_button("📝 Описание").await;
        leader.send("Второе описание").await;
        leader.click_button("📝 Описание").await;
        leader
            .send("-")
            .await
            .expect_text_contains("✅ Описание удалено.")
            .expect_text_contains("не задано");
        assert_eq!(group(&app, group_id).await.unwrap().description, None);

        let log = log_of(&app, "group.description").await;
        assert_eq!(log.len(), 5);
        let details: Vec<_> = log.iter().map(|row| row.details.clone().unwrap()).collect();
        assert_eq!(details[0]["old"], serde_json::Value::Null);
        assert_eq!(
            details[0]["new"],
            "Кафедра ВТ, <b>ауд. 305</b>\nСтароста: Анна"
        );
        assert_eq!(details[2]["new"], serde_json::Value::Null);
        assert_eq!(details[3]["new"], "Второе описание");
        assert_eq!(details[4]["old"], "Второе описание");
        assert_eq!(details[4]["new"], serde_json::Value::Null);
        assert!(
            log.iter()
                .all(|row| row.user_id == Some(leader.id()) && row.group_id == Some(group_id))
        );
    }
);

both_backends!(
    the_time_zone_by_button_and_by_name,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group_id) = leader_with_group(&app).await;
        leader.press(SETTINGS).await;

        let asked = leader.click_button("🕒 Часовой пояс").await;
        asked
            .expect_all_accepted()
            .expect_text_contains("Выберите часовой пояс группы")
            .expect_text_contains("Сейчас: Europe/Moscow");
        let buttons = asked.button_texts();
        assert_eq!(buttons.len(), 13, "{buttons:?}");
        assert_eq!(buttons[0], "Калининград (UTC+2)");
        assert_eq!(buttons[1], "Москва (UTC+3)");
        assert_eq!(buttons[11], "Камчатка (UTC+12)");
        assert_eq!(buttons[12], "◀️ Назад");
        // Buttons carry an index into the list, not the zone's name.
        let data = leader.button_data("Иркутск (UTC+8)");
        assert_eq!(data, callback::encode(&Action::SetTimezone { index: 7 }));

        let picked = leader.click_button("Иркутск (UTC+8)").await;
        picked
            .expect_all_accepted()
            .expect_text_contains("✅ Часовой пояс группы: Asia/Irkutsk.")
            .expect_text_contains("Часовой пояс: Asia/Irkutsk — сейчас там ")
            .expect_text_contains("(UTC+8)");
        assert_eq!(picked.expect_answered(), None);
        assert_eq!(
            group(&app, group_id).await.unwrap().timezone,
            "Asia/Irkutsk"
        );
        assert!(!has_dialogue(&app, &leader).await);

        leader.click_button("🕒 Часовой пояс").await;
        leader
            .send("Mars/Base")
            .await
            .expect_all_accepted()
            .expect_text_contains("Не знаю часового пояса «Mars/Base»");
        leader
            .send("<b>Europe</b>")
            .await
            .expect_all_accepted()
            .expect_text_contains("«&lt;b&gt;Europe&lt;/b&gt;»");
        assert_eq!(
            group(&app, group_id).await.unwrap().timezone,
            "Asia/Irkutsk"
        );

        let now_novosibirsk = Utc::now()
            .with_timezone(&chrono_tz::Asia::Novosibirsk)
            .format("%H:%M")
            .to_string();
        let typed = leader.send("  asia/novosibirsk ").await;
        typed
            .expect_all_accepted()
            .expect_text_contains("✅ Часовой пояс группы: Asia/Novosibirsk.")
            .expect_text_contains("Часовой пояс: Asia/Novosibirsk — сейчас там ")
            .expect_text_contains("(UTC+7)");
        // The minute may turn between the two clocks; either reading is right.
        let text = typed.last_text();
        assert!(
            text.contains(&now_novosibirsk)
                || text.contains(
                    &Utc::now()
                        .with_timezone(&chrono_tz::Asia::Novosibirsk)
                        .format("%H:%M")
                        .to_string()
                ),
            "{text}"
        );
        assert_eq!(
            group(&app, group_id).await.unwrap().timezone,
            "Asia/Novosibirsk"
        );

        let log = log_of(&app, "group.timezone").await;
        assert_eq!(log.len(), 2);
        let details: Vec<_> = log.iter().map(|row| row.details.clone().unwrap()).collect();
        assert_eq!(details[0]["old"], "Europe/Moscow");
        assert_eq!(details[0]["new"], "Asia/Irkutsk");
        assert_eq!(details[1]["old"], "Asia/Irkutsk");
        assert_eq!(details[1]["new"], "Asia/Novosibirsk");

        // Everyday names work too.
        leader.click_button("🕒 Часовой пояс").await;
        leader
            .send("Москва")
            .await
            .expect_text_contains("✅ Часовой пояс группы: Europe/Moscow.");
    }
);

both_backends!(
    assistants_members_and_outsiders_are_refused,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_leader, group_id) = leader_with_group(&app).await;
        let assistant = app.student("Волков Максим");
        let member = app.student("Зайцева Дарья");
        app.add_member(group_id, &assistant, Role::Assistant).await;
        app.add_member(group_id, &member, Role::Member).await;
        let own_menu = [
            "📅 События и Бронь",
            "🗓 Расписание",
            "📚 Домашка",
            "🙋 Мои очереди и темы",
            "👥 Участники группы",
            "👤 Профиль",
        ];

        for student in [&assistant, &member] {
            let replies = student.press(SETTINGS).await;
            replies
                .expect_all_accepted()
                .expect_text_contains(FORBIDDEN)
                .expect_keyboard(&own_menu)
                .expect_no_text_contains("Настройки группы</b>");
            assert!(replies.inline_buttons().is_empty());
        }
        let outsider = app.student("Чужой Иван");
        outsider
            .press(SETTINGS)
            .await
            .expect_text_contains("Вы не состоите в группе")
            .expect_keyboard(&UNREGISTERED_MENU);
    }
);

both_backends!(
    replayed_leader_buttons_change_nothing,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group_id) = leader_with_group(&app).await;
        let assistant = app.student("Волков Максим");
        let member = app.student("Зайцева Дарья");
        app.add_member(group_id, &assistant, Role::Assistant).await;
        app.add_member(group_id, &member, Role::Member).await;

        leader.press(SETTINGS).await;
        leader.click_button("📝 Описание").await;
        leader.send("Описание старосты").await;
        let mut captured: Vec<String> = [
            "✏️ Название",
            "📝 Описание",
            "🕒 Часовой пояс",
            "🗑 Удалить группу",
        ]
        .iter()
        .map(|text| leader.button_data(text))
        .collect();
        leader.click_button("📝 Описание").await;
        captured.push(leader.button_data("🧹 Очистить"));
        captured.push(leader.button_data("◀️ Назад"));
        leader.click_button("◀️ Назад").await;
        leader.click_button("🕒 Часовой пояс").await;
        captured.push(leader.button_data("Омск (UTC+6)"));
        leader.click_button("◀️ Назад").await;
        leader
            .click_button("🗑 Удалить группу")
            .await
            .expect_text_contains("Удалить группу «ИВТ-21»?");
        let confirm = leader.button_data("🗑 Да, удалить навсегда");
        assert_eq!(
            confirm,
            callback::encode(&Action::DeleteConfirm { group: group_id })
        );
        captured.push(confirm);
        leader.click_button("◀️ Нет, оставить").await;

        let before = group(&app, group_id).await.expect("group");
        let log_before = changelog_size(&app).await;
        for student in [&member, &assistant] {
            for data in &captured {
                let replies = student.forge_callback(data).await;
                replies.expect_all_accepted();
                let toast = replies.expect_answered();
                assert_eq!(toast.as_deref(), Some(FORBIDDEN), "{data}");
                assert!(replies.messages().is_empty(), "{data}: {:#?}", replies.0);
            }
            assert!(!has_dialogue(&app, student).await);
            // No question was opened for them: their text is just text.
            student
                .send("Взломанное название")
                .await
                .expect_text_contains("Не понимаю");
        }
        assert_eq!(group(&app, group_id).await, Some(before));
        assert_eq!(changelog_size(&app).await, log_before);
        let members = groupmembers::Entity::find()
            .filter(groupmembers::Column::GroupId.eq(group_id))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(members, 3);
    }
);

both_backends!(
    a_forged_delete_of_another_group_is_refused,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader_a, group_a) = leader_with_group(&app).await;
        let leader_b = app.student("Соколов Борис");
        let group_b = app.create_group(&leader_b, "ПМИ-31").await;
        let member_b = app.student("Морозова Ева");
        app.add_member(group_b, &member_b, Role::Member).await;

        let forged = callback::encode(&Action::DeleteConfirm { group: group_b });
        let replies = leader_a.forge_callback(&forged).await;
        replies.expect_all_accepted();
        let toast = replies.expect_answered().expect("a refusal");
        assert!(toast.contains("Группа не найдена"), "{toast}");
        assert!(replies.messages().is_empty());

        // A made-up id is refused the same way.
        let made_up = callback::encode(&Action::DeleteConfirm {
            group: Uuid::new_v4(),
        });
        let toast = leader_a.forge_callback(&made_up).await.expect_answered();
        assert!(toast.is_some_and(|t| t.contains("Группа не найдена")));

        assert!(group(&app, group_a).await.is_some());
        assert!(group(&app, group_b).await.is_some());
        let members_b = groupmembers::Entity::find()
            .filter(groupmembers::Column::GroupId.eq(group_b))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(members_b, 2);
        assert!(log_of(&app, "group.delete").await.is_empty());
        // Garbage in the group prefix is an outdated button.
        let toast = leader_a
            .forge_callback("1|g|xy|nonsense")
            .await
            .expect_answered();
        assert!(toast.is_some_and(|t| t.contains("устарела")));
    }
);

/// Rows that hang off the group, inserted directly (their features are built elsewhere).
async fn add_invitation_and_event(app: &TestApp, group_id: Uuid, author: i64) -> (Uuid, Uuid) {
    let invitation = Uuid::new_v4();
    groupinvitations::ActiveModel {
        id: Set(invitation),
        group_id: Set(group_id),
        invited_by_user_id: Set(author),
        invite_token: Set(format!("tok{}", invitation.simple())),
        expires_at: Set(Utc::now() + chrono::Duration::days(7)),
        is_used: Set(false),
        created_at: Set(Utc::now()),
        is_single_use: Set(false),
        is_revoked: Set(false),
        use_count: Set(0),
    }
    .insert(&app.db)
    .await
    .expect("invitation inserted");
    let event = Uuid::new_v4();
    events::ActiveModel {
        id: Set(event),
        group_id: Set(group_id),
        created_by_user_id: Set(Some(author)),
        title: Set("Защита лаб".to_owned()),
        description: Set(None),
        subject: Set(Some("ОС".to_owned())),
        event_date: Set(NaiveDate::from_ymd_opt(2030, 5, 20).expect("date")),
        is_important: Set(true),
        created_at: Set(Utc::now()),
    }
    .insert(&app.db)
    .await
    .expect("event inserted");
    deadlines::ActiveModel {
        id: Set(Uuid::new_v4()),
        event_id: Set(event),
        description: Set("Отчёт".to_owned()),
        deadline_at: Set(Utc::now() + chrono::Duration::days(3)),
    }
    .insert(&app.db)
    .await
    .expect("deadline inserted");
    (invitation, event)
}

both_backends!(
    deleting_the_group_after_confirmation,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group_id) = leader_with_group(&app).await;
        let assistant = app.student("Волков Максим");
        let member = app.student("Зайцева Дарья");
        let english = Student::with_language(&app.tg, &app.db, "Smith John", "en");
        app.add_member(group_id, &assistant, Role::Assistant).await;
        app.add_member(group_id, &member, Role::Member).await;
        app.add_member(group_id, &english, Role::Member).await;
        let (invitation, event) = add_invitation_and_event(&app, group_id, leader.id()).await;
        let other_leader = app.student("Соколов Борис");
        let other_group = app.create_group(&other_leader, "ПМИ-31").await;
        // A member in the middle of a form.
        study_group_bot::telegram::dialogue::save(
            &app.db,
            member.id(),
            &study_group_bot::telegram::Dialogue::Fio { after_join: true },
        )
        .await
        .expect("dialogue saved");

        leader.press(SETTINGS).await;
        let confirm = leader.click_button("🗑 Удалить группу").await;
        confirm
            .expect_all_accepted()
            .expect_text_contains("Удалить группу «ИВТ-21»?")
            .expect_text_contains("все события, дедлайны, очереди, списки тем, приглашения")
            .expect_text_contains("(4 участника)");
        assert_eq!(
            confirm.button_texts(),
            ["🗑 Да, удалить навсегда", "◀️ Нет, оставить"]
        );
        assert_eq!(confirm.messages()[0].method, "editMessageText");
        assert!(group(&app, group_id).await.is_some(), "only asked so far");

        leader
            .click_button("◀️ Нет, оставить")
            .await
            .expect_text_contains("Название: <b>ИВТ-21</b>");
        assert!(group(&app, group_id).await.is_some());

        leader.click_button("🗑 Удалить группу").await;
        let log_before = log_of(&app, "group.create").await.len();
        let deleted = leader.click_button("🗑 Да, удалить навсегда").await;
        deleted
            .expect_all_accepted()
            .expect_text_contains("🗑 Группа «ИВТ-21» удалена.")
            .expect_text_contains("Вы можете создать новую группу")
            .expect_keyboard(&UNREGISTERED_MENU);
        assert_eq!(deleted.expect_answered(), None);
        assert!(
            deleted.inline_buttons().is_empty(),
            "the confirmation loses its buttons"
        );

        assert!(group(&app, group_id).await.is_none());
        let left = groupmembers::Entity::find()
            .filter(groupmembers::Column::GroupId.eq(group_id))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(left, 0);
        for student in [&leader, &assistant, &member, &english] {
            let membership = groupmembers::Entity::find()
                .filter(groupmembers::Column::UserId.eq(student.id()))
                .one(&app.db)
                .await
                .unwrap();
            assert!(membership.is_none());
        }
        assert!(
            groupinvitations::Entity::find_by_id(invitation)
                .one(&app.db)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            events::Entity::find_by_id(event)
                .one(&app.db)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(deadlines::Entity::find().count(&app.db).await.unwrap(), 0);
        assert!(!has_dialogue(&app, &member).await, "the form is over");
        // The other group is untouched.
        assert!(group(&app, other_group).await.is_some());

        let log = log_of(&app, "group.delete").await;
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].user_id, Some(leader.id()));
        assert_eq!(log[0].group_id, None, "the group is gone");
        assert_eq!(
            log[0].entity_id.as_deref(),
            Some(group_id.to_string().as_str())
        );
        let details = log[0].details.clone().expect("details");
        assert_eq!(details["group_id"], group_id.to_string());
        assert_eq!(details["name"], "ИВТ-21");
        assert_eq!(log_of(&app, "group.create").await.len(), log_before);

        // Everyone else was told, in their language, with the unregistered menu.
        for student in [&assistant, &member] {
            wait_delivered(&app, student, "Староста удалил группу").await;
            let notice = app.tg.last_message(student.id()).expect("notified");
            assert!(
                notice.raw_text.contains("Староста удалил группу «ИВТ-21»"),
                "{}",
                notice.raw_text
            );
            assert_eq!(notice.reply_keyboard_texts().concat(), UNREGISTERED_MENU);
        }
        wait_delivered(&app, &english, "The leader has deleted the group").await;
        let notice = app.tg.last_message(english.id()).expect("notified");
        assert!(
            notice
                .raw_text
                .contains("The leader has deleted the group “ИВТ-21”"),
            "{}",
            notice.raw_text
        );
        assert_eq!(
            notice.reply_keyboard_texts().concat(),
            ["🚀 Create a group", "🔗 Join by link"]
        );
        assert!(
            app.tg
                .requests_for_chat(other_leader.id())
                .iter()
                .all(|r| !r.text().unwrap_or_default().contains("удалил")),
            "the other group's leader is not told"
        );

        // A stale confirmation does nothing more.
        let again = leader
            .forge_callback(&callback::encode(&Action::DeleteConfirm {
                group: group_id,
            }))
            .await;
        assert!(again.expect_answered().is_some());
        assert_eq!(log_of(&app, "group.delete").await.len(), 1);

        // The former leader starts over; the former members are unregistered.
        leader
            .press("🚀 Создать группу")
            .await
            .expect_text_contains("Введите название");
        leader
            .send("ИВТ-22")
            .await
            .expect_text_contains("🎉 Группа «ИВТ-22» успешно создана!");
        member
            .send("/start")
            .await
            .expect_text_contains("Вы ещё не состоите в группе")
            .expect_keyboard(&UNREGISTERED_MENU);
    }
);

both_backends!(
    english_leaders_get_english_settings,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let john = Student::with_language(&app.tg, &app.db, "Smith John", "en");
        john.press("🚀 Create a group").await;
        john.send("CS-101").await;

        let screen = john.press("⚙️ Group settings").await;
        screen
            .expect_all_accepted()
            .expect_text_contains("Name: <b>CS-101</b>")
            .expect_text_contains("Members: 1 member")
            .expect_text_contains("Description: <i>not set</i>");
        assert_eq!(
            screen.button_texts(),
            [
                "✏️ Name",
                "📝 Description",
                "🕒 Time zone",
                "📆 Calendar for your phone",
                "📜 Change history",
                "👑 Transfer leadership",
                "🗑 Delete the group"
            ]
        );
        john.click_button("🕒 Time zone").await;
        john.click_button("Novosibirsk (UTC+7)")
            .await
            .expect_text_contains("✅ The group's time zone: Asia/Novosibirsk.");
    }
);

#[tokio::test]
async fn an_invalid_default_timezone_stops_the_start() {
    let database = tempfile::tempdir().expect("temporary directory");
    let url = format!(
        "sqlite://{}?mode=rwc",
        database.path().join("bot.db").display()
    );
    let api = "http://127.0.0.1:9".parse().expect("URL");
    let mut config =
        study_group_bot::config::Config::for_tests(support::fake_api::BOT_TOKEN, api, &url);
    config.default_timezone = "Mars/Base".to_owned();
    let err = match study_group_bot::app::App::build(config).await {
        Ok(_) => panic!("the bot started with DEFAULT_TIMEZONE=Mars/Base"),
        Err(err) => format!("{err:#}"),
    };
    assert!(err.contains("DEFAULT_TIMEZONE"), "{err}");
    assert!(err.contains("Mars/Base"), "{err}");
}
