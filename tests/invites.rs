//! F3: the leader (or an assistant) creates invite links; students join by the deep link or by
//! pasting the link or its code; bad links are refused, each with its own message, and change
//! nothing — on SQLite and PostgreSQL, through the fake Bot API. Many joining by one link at
//! the same moment: see `tests/races.rs`.

mod support;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{changelog, dialogues, groupinvitations, groupmembers};
use study_group_bot::telegram::callback::decode;
use study_group_bot::telegram::invites::Action;
use support::app::{Backend, TestApp};
use support::fake_api::BOT_USERNAME;
use support::fixtures::{
    create_link, create_single_use_link, group_of, group_with_leader, invite_row, link, log_count,
    members_of, texts_to, token_in,
};
use support::student::{Replies, Student};

const UNREGISTERED_MENU: [&str; 2] = ["🚀 Создать группу", "🔗 Присоединиться по ссылке"];
const MEMBER_MENU: [&str; 6] = [
    "📅 События и Бронь",
    "🗓 Расписание",
    "📚 Домашка",
    "🙋 Мои очереди и темы",
    "👥 Участники группы",
    "👤 Профиль",
];
const LEADER_MENU: [&str; 7] = [
    "📅 События и Бронь",
    "🗓 Расписание",
    "📚 Домашка",
    "🙋 Мои очереди и темы",
    "👥 Участники группы",
    "⚙️ Настройки группы",
    "👤 Профиль",
];

/// Everything a join could change: memberships, invitations, join log entries.
async fn join_state(app: &TestApp) -> (u64, Vec<groupinvitations::Model>, u64) {
    let members = groupmembers::Entity::find().count(&app.db).await.unwrap();
    let mut invites = groupinvitations::Entity::find().all(&app.db).await.unwrap();
    invites.sort_by_key(|i| i.id);
    let joins = log_count(app, "member.join").await;
    (members, invites, joins)
}

/// The reply keyboard sent together with the message containing `needle`.
#[track_caller]
fn keyboard_with(replies: &Replies, needle: &str) -> Vec<String> {
    let message = replies
        .0
        .iter()
        .find(|r| r.text().is_some_and(|t| t.contains(needle)))
        .unwrap_or_else(|| panic!("no message contains {needle:?}: {:#?}", replies.texts()));
    message.reply_keyboard_texts().concat()
}

both_backends!(
    a_student_joins_by_the_deep_link_and_the_leader_is_told,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;

        // /invite gives the default link at once, the options under it.
        let created = leader.send("/invite").await;
        assert_eq!(
            created.button_texts(),
            [
                "1 день",
                "✅ 7 дней",
                "30 дней",
                "⬜ Одноразовая",
                "Создать ссылку",
                "Активные ссылки"
            ]
        );
        created
            .expect_all_accepted()
            .expect_text_contains("Ссылка-приглашение создана")
            .expect_text_contains("Действует 7 дней")
            .expect_text_contains("(Europe/Moscow)")
            .expect_text_contains("Многоразовая");
        let token = token_in(&created.last_text());
        assert_eq!(token.len(), 32);
        let stored = invite_row(&app, &token).await;
        assert_eq!(stored.group_id, group);
        assert!(!stored.is_single_use && !stored.is_revoked && !stored.is_used);
        let validity = stored.expires_at - stored.created_at;
        assert!((validity - Duration::days(7)).num_seconds().abs() < 5);

        let ivan = app.student("Иванов Иван");
        let since = app.tg.next_seq();
        let joined = ivan.send(&format!("/start {token}")).await;
        joined
            .expect_all_accepted()
            .expect_text_contains("Вы присоединились к группе «ИВТ-21»");
        assert_eq!(
            keyboard_with(&joined, "Вы присоединились"),
            MEMBER_MENU.map(String::from)
        );

        assert_eq!(group_of(&app, &ivan).await, Some(group));
        let member = groupmembers::Entity::find()
            .filter(groupmembers::Column::UserId.eq(ivan.id()))
            .one(&app.db)
            .await
            .unwrap()
            .expect("membership");
        assert!(!member.is_leader && !member.is_assistant);
        assert_eq!(invite_row(&app, &token).await.use_count, 1);
        let log = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("member.join"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].user_id, Some(ivan.id()));
        assert_eq!(log[0].group_id, Some(group));

        let told = texts_to(&app, leader.id(), since);
        assert_eq!(told.len(), 1, "{told:#?}");
        assert!(
            told[0].contains("Иван Иванов") && told[0].contains("В группе «ИВТ-21» новый участник"),
            "{told:#?}"
        );
    }
);

both_backends!(
    a_student_joins_by_pasting_the_link_or_the_bare_code,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
        let token = create_link(&leader).await;

        let olga = app.student("Смирнова Ольга");
        olga.send("/start")
            .await
            .expect_keyboard(&UNREGISTERED_MENU);
        olga.press("🔗 Присоединиться по ссылке")
            .await
            .expect_all_accepted()
            .expect_text_contains("Отправьте ссылку-приглашение")
            .expect_keyboard(&["❌ Отмена"]);
        // Not a link at all: explained, and the bot keeps waiting.
        olga.send("привет")
            .await
            .expect_all_accepted()
            .expect_text_contains("Это не похоже на ссылку-приглашение");
        olga.send(&format!("https://t.me/other_bot?start={token}"))
            .await
            .expect_text_contains("ссылка на другого бота (@other_bot)");
        assert_eq!(group_of(&app, &olga).await, None);
        let since = app.tg.next_seq();
        let joined = olga.send(&format!("  {}\n", link(&token))).await;
        joined
            .expect_all_accepted()
            .expect_text_contains("Вы присоединились к группе «ИВТ-21»");
        assert_eq!(group_of(&app, &olga).await, Some(group));
        assert!(
            texts_to(&app, leader.id(), since)
                .iter()
                .any(|t| t.contains("Ольга Смирнова")),
            "the leader is told"
        );

        let petr = app.student("Сидоров Пётр");
        petr.press("🔗 Присоединиться по ссылке").await;
        petr.send(&format!(" {token} "))
            .await
            .expect_all_accepted()
            .expect_text_contains("Вы присоединились к группе «ИВТ-21»");
        assert_eq!(group_of(&app, &petr).await, Some(group));

        let maria = app.student("Орлова Мария");
        maria.press("🔗 Присоединиться по ссылке").await;
        maria
            .send(&format!("tg://resolve?domain={BOT_USERNAME}&start={token}"))
            .await
            .expect_text_contains("Вы присоединились");

        assert_eq!(members_of(&app, group).await, 4);
        assert_eq!(invite_row(&app, &token).await.use_count, 3);
    }
);

both_backends!(
    cancelling_the_paste_step_changes_nothing,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
        let token = create_link(&leader).await;
        let student = app.student("Кузнецов Илья");
        student.press("🔗 Присоединиться по ссылке").await;
        student
            .press("❌ Отмена")
            .await
            .expect_text_contains("Действие отменено.")
            .expect_keyboard(&UNREGISTERED_MENU);
        student
            .send(&token)
            .await
            .expect_text_contains("Не понимаю");
        assert_eq!(members_of(&app, group).await, 1);
    }
);

both_backends!(
    bad_links_are_refused_each_with_its_own_message,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, _group) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
        let expired = create_link(&leader).await;
        let revoked = create_link(&leader).await;
        let single = create_single_use_link(&leader).await;
        assert!(invite_row(&app, &single).await.is_single_use);

        // Expired: its time is over.
        let mut row: groupinvitations::ActiveModel = invite_row(&app, &expired).await.into();
        row.expires_at = Set(Utc::now() - Duration::minutes(1));
        row.update(&app.db).await.unwrap();
        // Revoked: by the leader, from the list of active links.
        // (Each /invite made a default link too.)
        leader.send("/invite").await;
        let list = leader.click_button("Активные ссылки").await;
        list.expect_all_accepted()
            .expect_text_contains("Активные ссылки-приглашения: 4");
        let revoked_row = invite_row(&app, &revoked).await;
        let revoke_button = list
            .inline_buttons()
            .into_iter()
            .flatten()
            .find(|(_, data)| {
                data.as_deref().and_then(decode::<Action>)
                    == Some(Action::Revoke {
                        invite: revoked_row.id,
                    })
            })
            .map(|(text, _)| text)
            .expect("a revoke button for the link");
        let after = leader.click_button(&revoke_button).await;
        after.expect_all_accepted();
        assert_eq!(after.expect_answered().as_deref(), Some("Ссылка отозвана."));
        assert!(invite_row(&app, &revoked).await.is_revoked);
        // Used up: somebody joined by the single-use link.
        let first = app.student("Первый Студент");
        first
            .send(&format!("/start {single}"))
            .await
            .expect_text_contains("Вы присоединились");

        let before = join_state(&app).await;
        let student = app.student("Иванов Иван");
        let cases = [
            (
                "/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_owned(),
                "Такой ссылки-приглашения нет",
            ),
            (
                format!("/start {expired}"),
                "Срок действия этой ссылки-приглашения истек",
            ),
            (
                format!("/start {revoked}"),
                "Эта ссылка-приглашение отозвана",
            ),
            (
                format!("/start {single}"),
                "одноразовая ссылка-приглашение уже использована",
            ),
            (
                "/start bad!token".to_owned(),
                "Такой ссылки-приглашения нет",
            ),
        ];
        for (text, message) in &cases {
            let replies = student.send(text).await;
            replies
                .expect_all_accepted()
                .expect_text_contains(message)
                .expect_keyboard(&UNREGISTERED_MENU);
        }
        // The same through pasting: the dialogue ends with the menu.
        for (text, message) in &cases[..4] {
            let token = text.trim_start_matches("/start ");
            student.press("🔗 Присоединиться по ссылке").await;
            student
                .send(&link(token))
                .await
                .expect_all_accepted()
                .expect_text_contains(message)
                .expect_keyboard(&UNREGISTERED_MENU);
        }
        assert_eq!(join_state(&app).await, before, "nothing changed");
        assert_eq!(group_of(&app, &student).await, None);
        let waiting = dialogues::Entity::find_by_id(student.id())
            .one(&app.db)
            .await
            .unwrap();
        assert!(waiting.is_none(), "the dialogue ended: {waiting:?}");
    }
);

both_backends!(
    a_member_of_a_group_cannot_join_another,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader_a, group_a) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
        let (leader_b, _group_b) = group_with_leader(&app, "Волков Максим", "ПМИ-31").await;
        let token_b = create_link(&leader_b).await;
        let student = app.student("Зайцева Дарья");
        app.add_member(group_a, &student, Role::Member).await;

        let before = join_state(&app).await;
        student
            .send(&format!("/start {token_b}"))
            .await
            .expect_all_accepted()
            .expect_text_contains("Вы уже состоите в группе «ИВТ-21»")
            .expect_keyboard(&MEMBER_MENU);
        student
            .press("🔗 Присоединиться по ссылке")
            .await
            .expect_text_contains("Вы уже состоите в группе «ИВТ-21»");
        // A leader opening a link, even their own group's.
        leader_a
            .send(&format!("/start {token_b}"))
            .await
            .expect_text_contains("Вы уже состоите в группе «ИВТ-21»")
            .expect_keyboard(&LEADER_MENU);
        assert_eq!(join_state(&app).await, before);
        assert_eq!(group_of(&app, &student).await, Some(group_a));
    }
);

both_backends!(
    a_prefix_or_a_case_changed_token_does_not_join,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
        let token = create_link(&leader).await;
        let swapped: String = token
            .chars()
            .map(|c| {
                if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        assert_ne!(swapped, token);
        let student = app.student("Иванов Иван");
        for forged in [
            token[..31].to_owned(),
            token[..16].to_owned(),
            swapped,
            format!("{token}A"),
        ] {
            student
                .send(&format!("/start {forged}"))
                .await
                .expect_all_accepted()
                .expect_text_contains("Такой ссылки-приглашения нет");
        }
        assert_eq!(members_of(&app, group).await, 1);
        assert_eq!(invite_row(&app, &token).await.use_count, 0);
        student
            .send(&format!("/start {token}"))
            .await
            .expect_text_contains("Вы присоединились");
    }
);

both_backends!(
    options_and_the_list_of_active_links,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, _group) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
        let default = token_in(&leader.send("/invite").await.last_text());
        let menu_id = leader
            .message_with_button("30 дней")
            .expect("the menu")
            .message_id;
        leader
            .click_button("30 дней")
            .await
            .expect_all_accepted()
            .expect_text_contains("Срок действия: 30 дней");
        leader
            .click_button("⬜ Одноразовая")
            .await
            .expect_text_contains("Срок действия: 30 дней");
        // Edited in place: still the same message.
        let menu = leader.message_with_button("✅ 30 дней").expect("the menu");
        assert_eq!(menu.message_id, menu_id);
        assert!(
            menu.inline_buttons()
                .concat()
                .iter()
                .any(|(t, _)| t == "✅ Одноразовая")
        );
        let created = leader.click_button("Создать ссылку").await;
        created
            .expect_text_contains("Действует 30 дней")
            .expect_text_contains("Одноразовая");
        let long = invite_row(&app, &token_in(&created.last_text())).await;
        assert!(long.is_single_use);
        assert!(
            ((long.expires_at - long.created_at) - Duration::days(30))
                .num_seconds()
                .abs()
                < 5
        );

        leader.click_button("1 день").await;
        leader.click_button("✅ Одноразовая").await;
        let created = leader.click_button("Создать ссылку").await;
        created
            .expect_text_contains("Действует 1 день")
            .expect_text_contains("Многоразовая");
        let short = invite_row(&app, &token_in(&created.last_text())).await;
        assert!(!short.is_single_use);

        let list = leader.click_button("Активные ссылки").await;
        list.expect_all_accepted()
            .expect_text_contains("Активные ссылки-приглашения: 3")
            .expect_text_contains(&format!(
                "t.me/{BOT_USERNAME}?start={}…",
                &short.invite_token[..8]
            ))
            .expect_text_contains("одноразовая")
            .expect_text_contains("ещё не использована");
        assert_eq!(
            list.button_texts(),
            [
                "Отозвать №1",
                "Отозвать №2",
                "Отозвать №3",
                "➕ Новая ссылка"
            ]
        );
        let list_id = leader
            .message_with_button("Отозвать №1")
            .expect("the list")
            .message_id;
        assert_eq!(list_id, menu_id, "the list replaced the menu");

        // The newest first: №1 is the one-day link.
        let after = leader.click_button("Отозвать №1").await;
        after
            .expect_all_accepted()
            .expect_text_contains("Активные ссылки-приглашения: 2");
        assert!(invite_row(&app, &short.invite_token).await.is_revoked);
        assert!(!invite_row(&app, &long.invite_token).await.is_revoked);
        assert_eq!(
            leader
                .message_with_button("Отозвать №1")
                .map(|m| m.message_id),
            Some(menu_id)
        );
        // Then the default link from /invite (7 days), the 30-day one last.
        leader.click_button("Отозвать №1").await;
        assert!(invite_row(&app, &default).await.is_revoked);
        assert!(!invite_row(&app, &long.invite_token).await.is_revoked);
        leader
            .click_button("Отозвать №1")
            .await
            .expect_text_contains("Активных ссылок-приглашений нет");
        leader
            .click_button("➕ Новая ссылка")
            .await
            .expect_text_contains("Срок действия: 7 дней");
        let revocations = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("invite.revoke"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(revocations, 3);
    }
);

both_backends!(
    an_assistant_creates_links_and_a_member_cannot,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
        let assistant = app.student("Волков Максим");
        app.add_member(group, &assistant, Role::Assistant).await;
        let member = app.student("Зайцева Дарья");
        app.add_member(group, &member, Role::Member).await;

        let by_assistant = create_link(&assistant).await;
        assert_eq!(
            invite_row(&app, &by_assistant).await.invited_by_user_id,
            assistant.id()
        );

        member
            .send("/invite")
            .await
            .expect_all_accepted()
            .expect_text_contains("⛔ Это действие вам недоступно.")
            .expect_keyboard(&MEMBER_MENU);
        let outsider = app.student("Чужой Человек");
        outsider
            .send("/invite")
            .await
            .expect_text_contains("Вы не состоите в группе");

        // The member replays the leader's buttons.
        leader.send("/invite").await;
        let create = leader.button_data("Создать ссылку");
        let open_list = leader.button_data("Активные ссылки");
        leader.click_button("Активные ссылки").await;
        let revoke = leader.button_data("Отозвать №1");
        let invites_before = groupinvitations::Entity::find().all(&app.db).await.unwrap();

        for data in [&create, &open_list, &revoke, "1|i|m"] {
            let refused = member.forge_callback(data).await;
            refused.expect_all_accepted();
            let toast = refused.expect_answered().unwrap_or_default();
            assert!(toast.contains("недоступно"), "{data}: {toast:?}");
            refused.expect_no_text_contains("Ссылка-приглашение создана");
        }
        assert_eq!(
            groupinvitations::Entity::find().all(&app.db).await.unwrap(),
            invites_before,
            "nothing changed"
        );
        assert!(!invite_row(&app, &by_assistant).await.is_revoked);

        // A button that is not one of ours, or a tampered one: outdated.
        for forged in ["1|i|r|AAAA", "1|i|c|8|0", "1|i|zz"] {
            let answer = leader.forge_callback(forged).await;
            let toast = answer.expect_answered().unwrap_or_default();
            assert!(toast.contains("устарела"), "{forged}: {toast:?}");
        }
        assert_eq!(
            groupinvitations::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            2,
            "the assistant's link and the leader's /invite"
        );
    }
);

both_backends!(
    a_leader_cannot_revoke_another_groups_link,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader_a, _) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
        let (leader_b, _) = group_with_leader(&app, "Волков Максим", "ПМИ-31").await;
        create_link(&leader_a).await;
        let token_b = create_link(&leader_b).await;
        leader_b.send("/invite").await;
        leader_b.click_button("Активные ссылки").await;
        let revoke_b = leader_b.button_data("Отозвать №1");

        let refused = leader_a.forge_callback(&revoke_b).await;
        refused.expect_all_accepted();
        let toast = refused.expect_answered().unwrap_or_default();
        assert!(toast.contains("не найдена"), "{toast:?}");
        assert!(!invite_row(&app, &token_b).await.is_revoked);

        let student = app.student("Иванов Иван");
        student
            .send(&format!("/start {token_b}"))
            .await
            .expect_text_contains("Вы присоединились к группе «ПМИ-31»");
    }
);

both_backends!(
    english_speakers_get_english,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, _) = group_with_leader(&app, "Петрова Анна", "ИВТ-21").await;
        let token = create_link(&leader).await;
        let john = Student::with_language(&app.tg, &app.db, "Smith John", "en");
        john.send("/start").await;
        john.press("🔗 Join by link")
            .await
            .expect_text_contains("Send the invite link");
        john.send("hello")
            .await
            .expect_text_contains("does not look like an invite link");
        john.send(&link(&token))
            .await
            .expect_text_contains("You have joined the group “ИВТ-21”!");
    }
);
