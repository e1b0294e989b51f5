//! F1/F2: the profile «👤 Профиль» — the ФИО (also asked once after joining), the language,
//! leaving the group — as a student clicks it, on SQLite and PostgreSQL.

mod support;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{changelog, dialogues, groupmembers, users};
use study_group_bot::telegram::callback::encode;
use study_group_bot::telegram::dialogue::{self, Dialogue};
use study_group_bot::telegram::members::profile::ProfileAction;
use support::app::{Backend, TestApp};
use support::student::Student;

const PROFILE: &str = "👤 Профиль";
const MEMBERS: &str = "👥 Участники группы";
const EDIT_FIO: &str = "✏️ Изменить ФИО";
const LEAVE: &str = "🚪 Покинуть группу";
const CONFIRM_LEAVE: &str = "✅ Да, покинуть";
const UNREGISTERED_MENU: [&str; 2] = ["🚀 Создать группу", "🔗 Присоединиться по ссылке"];
const MEMBER_MENU: [&str; 6] = [
    "📅 События и Бронь",
    "🗓 Расписание",
    "📚 Домашка",
    "🙋 Мои очереди и темы",
    "👥 Участники группы",
    "👤 Профиль",
];

async fn user(app: &TestApp, student: &Student) -> users::Model {
    users::Entity::find_by_id(student.id())
        .one(&app.db)
        .await
        .expect("query users")
        .expect("registered")
}

async fn dialogue_of(app: &TestApp, student: &Student) -> Dialogue {
    dialogue::load(&app.db, student.id())
        .await
        .expect("load dialogue")
}

async fn is_member(app: &TestApp, student: &Student) -> bool {
    groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(student.id()))
        .one(&app.db)
        .await
        .expect("query membership")
        .is_some()
}

async fn log_rows(app: &TestApp, action: &str) -> Vec<changelog::Model> {
    changelog::Entity::find()
        .filter(changelog::Column::ActionType.eq(action))
        .all(&app.db)
        .await
        .expect("query change log")
}

/// A leader, their group «ИВТ-21» and one member.
async fn leader_and_member(app: &TestApp, member_name: &str) -> (Student, Student) {
    let leader = app.student("Абрамова Анна");
    let group = app.create_group(&leader, "ИВТ-21").await;
    let member = app.student(member_name);
    app.add_member(group, &member, Role::Member).await;
    (leader, member)
}

both_backends!(
    a_full_name_is_saved_and_shown_in_the_list,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, member) = leader_and_member(&app, "misha").await;

        let profile = member.press(PROFILE).await;
        profile
            .expect_all_accepted()
            .expect_text_contains("ФИО: не указано")
            .expect_text_contains("Группа: «ИВТ-21», участник")
            .expect_text_contains("Язык: Русский");
        assert_eq!(
            profile.button_texts(),
            [
                EDIT_FIO,
                "✅ Русский",
                "English",
                "🔔 Уведомления",
                "👥 Подгруппа в расписании",
                LEAVE
            ]
        );

        member
            .click_button(EDIT_FIO)
            .await
            .expect_all_accepted()
            .expect_text_contains("Введите ваше ФИО")
            .expect_keyboard(&["❌ Отмена"]);
        assert_eq!(
            dialogue_of(&app, &member).await,
            Dialogue::Fio { after_join: false }
        );
        member
            .send("  Салтыков-Щедрин   Михаил Евграфович ")
            .await
            .expect_all_accepted()
            .expect_text_contains("✅ ФИО сохранено: <b>Салтыков-Щедрин Михаил Евграфович</b>")
            .expect_keyboard(&MEMBER_MENU);

        let stored = user(&app, &member).await;
        assert_eq!(stored.last_name.as_deref(), Some("Салтыков-Щедрин"));
        assert_eq!(stored.first_name, "Михаил");
        assert_eq!(stored.middle_name.as_deref(), Some("Евграфович"));
        assert!(stored.has_full_name);
        assert_eq!(dialogue_of(&app, &member).await, Dialogue::Idle);
        let rows = log_rows(&app, "profile.fio").await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].user_id, Some(member.id()));
        assert!(rows[0].group_id.is_some());

        leader
            .press(MEMBERS)
            .await
            .expect_text_contains("Салтыков-Щедрин Михаил Евграфович @student");
        // Telegram's name no longer overwrites it.
        member.send("/start").await;
        assert_eq!(user(&app, &member).await.first_name, "Михаил");
        member
            .press(PROFILE)
            .await
            .expect_text_contains("ФИО: Салтыков-Щедрин Михаил Евграфович");

        // A name with an apostrophe and «ё».
        member.press(PROFILE).await;
        member.click_button(EDIT_FIO).await;
        member
            .send("д'Артаньян Пётр")
            .await
            .expect_text_contains("✅ ФИО сохранено: <b>д'Артаньян Пётр</b>");
        assert_eq!(user(&app, &member).await.middle_name, None);
    }
);

both_backends!(
    an_invalid_full_name_is_explained_and_the_step_kept,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_, member) = leader_and_member(&app, "Петров Пётр").await;
        member.press(PROFILE).await;
        member.click_button(EDIT_FIO).await;

        member
            .send("Петров")
            .await
            .expect_all_accepted()
            .expect_text_contains("Нужно хотя бы два слова");
        member
            .send("Петров Пётр Петрович Младший")
            .await
            .expect_text_contains("не больше трёх слов");
        member
            .send("Петров П3тр")
            .await
            .expect_text_contains("«П3тр» не похоже на имя");
        member
            .send("Петров <b>Пётр</b>")
            .await
            .expect_text_contains("«&lt;b&gt;Пётр&lt;/b&gt;» не похоже на имя");
        let long = "Я".repeat(65);
        member
            .send(&format!("{long} Пётр"))
            .await
            .expect_text_contains("Слишком длинное слово (65 символов): не больше 64");
        assert_eq!(
            dialogue_of(&app, &member).await,
            Dialogue::Fio { after_join: false },
            "still waiting"
        );
        assert!(!user(&app, &member).await.has_full_name);

        member
            .send("/cancel")
            .await
            .expect_text_contains("Действие отменено.")
            .expect_keyboard(&MEMBER_MENU);
        assert_eq!(dialogue_of(&app, &member).await, Dialogue::Idle);
        member
            .send("Сидоров Семён")
            .await
            .expect_text_contains("Не понимаю");
        let stored = user(&app, &member).await;
        assert!(!stored.has_full_name);
        assert_eq!(stored.last_name.as_deref(), Some("Петров"));
        assert!(log_rows(&app, "profile.fio").await.is_empty());
    }
);

/// What the joining flow (invitations) calls right after a student joined, called directly.
async fn ask_after_join(app: &TestApp, student: &Student) {
    use study_group_bot::telegram::{Ctx, Locale, Session};
    let api = app.tg.api_url().parse().expect("fake API URL");
    let ctx = Ctx {
        db: app.db.clone(),
        api: study_group_bot::telegram::api::Api::new(app.tg.token(), api).expect("a client"),
        bot_username: "study_group_test_bot".into(),
        default_timezone: study_group_bot::groups::Timezone::default(),
        public_url: None,
        notifier: Default::default(),
        claim: None,
        deferred: None,
    };
    let membership = study_group_bot::members::service::membership(&app.db, student.id())
        .await
        .expect("membership");
    let session = Session {
        user_id: student.id(),
        chat: teloxide::types::ChatId(student.id()),
        locale: Locale::Ru,
        membership,
        dialogue: Dialogue::Idle,
    };
    study_group_bot::telegram::members::fio_step::ask_after_join(&ctx, &session)
        .await
        .expect("asked");
}

both_backends!(
    the_full_name_asked_after_joining_can_be_skipped,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_, member) = leader_and_member(&app, "Петров Пётр").await;
        let after_join = Dialogue::Fio { after_join: true };

        // The inline «Пропустить» button under the question.
        ask_after_join(&app, &member).await;
        assert_eq!(dialogue_of(&app, &member).await, after_join);
        let asked = app.tg.last_message(member.id()).expect("asked");
        assert!(asked.text.contains("Введите ФИО"), "{}", asked.text);
        let skipped = member.click_button("Пропустить").await;
        skipped.expect_all_accepted().expect_answered();
        skipped
            .expect_text_contains("ФИО можно указать позже")
            .expect_text_contains("Вы участник группы «ИВТ-21»")
            .expect_keyboard(&MEMBER_MENU);
        assert_eq!(dialogue_of(&app, &member).await, Dialogue::Idle);
        let question = app
            .tg
            .message(member.id(), asked.message_id)
            .expect("the question");
        assert!(question.inline_buttons().is_empty(), "the button is gone");
        // Replayed later: outdated, nothing happens.
        let again = member
            .forge_callback(&encode(&ProfileAction::SkipFio))
            .await;
        assert_eq!(
            again.expect_answered().as_deref(),
            Some("Эта кнопка устарела. Откройте меню заново.")
        );
        assert!(again.messages().is_empty());

        // /skip
        dialogue::save(&app.db, member.id(), &after_join)
            .await
            .unwrap();
        member
            .send("/skip")
            .await
            .expect_all_accepted()
            .expect_text_contains("ФИО можно указать позже")
            .expect_keyboard(&MEMBER_MENU);
        assert_eq!(dialogue_of(&app, &member).await, Dialogue::Idle);
        assert!(!user(&app, &member).await.has_full_name);

        // Or answered: an invalid name keeps the step, a valid one is saved.
        dialogue::save(&app.db, member.id(), &after_join)
            .await
            .unwrap();
        member
            .send("Петров")
            .await
            .expect_text_contains("Нужно хотя бы два слова");
        assert_eq!(dialogue_of(&app, &member).await, after_join);
        member
            .send("Петров Пётр Петрович")
            .await
            .expect_text_contains("✅ ФИО сохранено")
            .expect_keyboard(&MEMBER_MENU);
        assert!(user(&app, &member).await.has_full_name);
        assert!(
            dialogues::Entity::find_by_id(member.id())
                .one(&app.db)
                .await
                .unwrap()
                .is_none()
        );

        // Asked once: with a ФИО entered, joining asks nothing.
        let since = app.tg.next_seq();
        ask_after_join(&app, &member).await;
        assert!(
            app.tg
                .requests_since(since)
                .iter()
                .all(|r| r.chat_id() != Some(member.id())),
            "nothing sent"
        );
        assert_eq!(dialogue_of(&app, &member).await, Dialogue::Idle);
    }
);

both_backends!(
    switching_to_english_changes_texts_and_keyboard,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_, member) = leader_and_member(&app, "Петров Пётр").await;

        member.press(PROFILE).await;
        let switched = member.click_button("English").await;
        switched.expect_all_accepted().expect_answered();
        switched
            .expect_text_contains("👤 <b>Profile</b>")
            .expect_text_contains("Language: English")
            .expect_text_contains("✅ Interface language: English.")
            .expect_keyboard(&[
                "📅 Events and booking",
                "🗓 Timetable",
                "📚 Homework",
                "🙋 My queues and topics",
                "👥 Group members",
                "👤 Profile",
            ]);
        assert_eq!(
            switched.button_texts(),
            [
                "✏️ Change full name",
                "Русский",
                "✅ English",
                "🔔 Notifications",
                "👥 Timetable subgroup",
                "🚪 Leave the group"
            ]
        );
        assert_eq!(user(&app, &member).await.language.as_deref(), Some("en"));
        assert_eq!(log_rows(&app, "profile.language").await.len(), 1);

        member
            .send("/start")
            .await
            .expect_text_contains("Welcome! You are a member of “ИВТ-21”.");
        member
            .press("👥 Group members")
            .await
            .expect_text_contains("2 members");
        // The Russian button texts keep working.
        member
            .press(PROFILE)
            .await
            .expect_text_contains("Full name: not set");

        let back = member.click_button("Русский").await;
        back.expect_text_contains("✅ Язык интерфейса: русский.")
            .expect_keyboard(&MEMBER_MENU);
        assert_eq!(user(&app, &member).await.language.as_deref(), Some("ru"));
    }
);

both_backends!(
    a_member_leaves_and_the_leader_is_told,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, member) = leader_and_member(&app, "Петров Пётр").await;

        member.press(PROFILE).await;
        let asked = member.click_button(LEAVE).await;
        asked
            .expect_all_accepted()
            .expect_text_contains("Покинуть группу «ИВТ-21»?");
        assert_eq!(asked.button_texts(), [CONFIRM_LEAVE, "◀️ Назад"]);
        assert!(is_member(&app, &member).await, "only asked");
        member
            .click_button("◀️ Назад")
            .await
            .expect_text_contains("Группа: «ИВТ-21»");
        member.click_button(LEAVE).await;

        let left = member.click_button(CONFIRM_LEAVE).await;
        left.expect_all_accepted()
            .expect_text_contains("🚪 Вы покинули группу «ИВТ-21».")
            .expect_text_contains("Вы ещё не состоите в группе")
            .expect_keyboard(&UNREGISTERED_MENU);
        assert!(!is_member(&app, &member).await);
        let rows = log_rows(&app, "member.leave").await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].user_id, Some(member.id()));

        let told = app
            .tg
            .last_message(leader.id())
            .expect("the leader is told");
        assert!(
            told.text
                .contains("Петров Пётр больше не участник группы «ИВТ-21»"),
            "{}",
            told.text
        );
        leader
            .press(MEMBERS)
            .await
            .expect_text_contains("1 участник")
            .expect_no_text_contains("Петров");

        // The old confirmation replayed: not in a group any more.
        let replayed = member
            .forge_callback(&encode(&ProfileAction::LeaveConfirmed))
            .await;
        replayed.expect_answered();
        replayed.expect_text_contains("Вы не состоите в группе");
        assert_eq!(log_rows(&app, "member.leave").await.len(), 1);
    }
);

both_backends!(the_leader_cannot_leave, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (leader, _) = leader_and_member(&app, "Петров Пётр").await;

    leader
        .press(PROFILE)
        .await
        .expect_text_contains("Группа: «ИВТ-21», староста");
    let refused = leader.click_button(LEAVE).await;
    refused
        .expect_all_accepted()
        .expect_text_contains("Староста не может просто покинуть группу")
        .expect_text_contains("Передать роль старосты");
    assert_eq!(refused.button_texts(), ["◀️ Назад"]);

    let forged = leader
        .forge_callback(&encode(&ProfileAction::LeaveConfirmed))
        .await;
    forged.expect_answered();
    // The pressed message already shows the refusal: it stays as it is.
    let shown = app
        .tg
        .last_message(leader.id())
        .expect("the bot's message in the chat");
    assert!(
        shown
            .text
            .contains("Староста не может просто покинуть группу"),
        "{}",
        shown.text
    );
    assert!(is_member(&app, &leader).await);
    assert!(log_rows(&app, "member.leave").await.is_empty());
});
