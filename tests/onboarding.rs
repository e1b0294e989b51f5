//! F1/F2/F12: a student opens the bot, creates a group and becomes its leader — as they would
//! click it, on SQLite and PostgreSQL, through a fake Bot API over real HTTP.

mod support;

use futures::future::join_all;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use study_group_bot::storage::entities::{changelog, dialogues, groupmembers, groups, users};
use support::app::{Backend, TestApp};

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

async fn group_named(app: &TestApp, name: &str) -> Option<groups::Model> {
    groups::Entity::find()
        .filter(groups::Column::Name.eq(name))
        .one(&app.db)
        .await
        .expect("query groups")
}

both_backends!(
    start_registers_and_shows_the_unregistered_menu,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let ivan = app.student("Иванов Иван");

        ivan.send("/start")
            .await
            .expect_all_accepted()
            .expect_text_contains("👋 Добро пожаловать! Вы ещё не состоите в группе.")
            .expect_keyboard(&UNREGISTERED_MENU);

        let user = users::Entity::find_by_id(ivan.id())
            .one(&app.db)
            .await
            .unwrap()
            .expect("registered");
        assert_eq!(user.first_name, "Иван");
        assert_eq!(user.last_name.as_deref(), Some("Иванов"));
        assert_eq!(user.telegram_username, ivan.user.username);
    }
);

both_backends!(
    start_refreshes_a_changed_telegram_profile,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let ivan = app.student("Иванов Иван");
        ivan.send("/start").await;
        let renamed = app.tg.user(
            ivan.id(),
            "Ваня",
            Some("Иванов"),
            Some("vanya_new"),
            Some("ru"),
        );
        app.tg.push_message(&renamed, "/start");
        let update = app.tg.push_message(&renamed, "/menu");
        app.wait_handled(update).await;

        let user = users::Entity::find_by_id(ivan.id())
            .one(&app.db)
            .await
            .unwrap()
            .expect("registered");
        assert_eq!(user.first_name, "Ваня");
        assert_eq!(user.telegram_username.as_deref(), Some("vanya_new"));
    }
);

both_backends!(
    creating_a_group_makes_the_creator_its_leader,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let leader = app.student("Петрова Анна");
        leader
            .send("/start")
            .await
            .expect_keyboard(&UNREGISTERED_MENU);

        leader
            .press("🚀 Создать группу")
            .await
            .expect_text_contains("Отлично! Введите название для вашей новой группы:")
            .expect_keyboard(&["❌ Отмена"]);
        leader
            .send("ИВТ-21")
            .await
            .expect_all_accepted()
            .expect_text_contains("🎉 Группа «ИВТ-21» успешно создана! Вы теперь её староста.")
            .expect_keyboard(&LEADER_MENU);

        let group = group_named(&app, "ИВТ-21").await.expect("group stored");
        assert_eq!(group.creator_id, Some(leader.id()));
        assert_eq!(group.timezone, "Europe/Moscow");
        let member = groupmembers::Entity::find()
            .filter(groupmembers::Column::UserId.eq(leader.id()))
            .one(&app.db)
            .await
            .unwrap()
            .expect("membership");
        assert!(member.is_leader && !member.is_assistant);
        assert_eq!(member.group_id, group.id);
        let log = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("group.create"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].user_id, Some(leader.id()));
        assert_eq!(
            log[0].entity_id.as_deref(),
            Some(group.id.to_string().as_str())
        );
        assert_eq!(log[0].group_id, Some(group.id));

        leader
            .send("/start")
            .await
            .expect_text_contains("Добро пожаловать, староста группы «ИВТ-21»!")
            .expect_keyboard(&LEADER_MENU);
        assert_eq!(dialogues::Entity::find().count(&app.db).await.unwrap(), 0);
    }
);

both_backends!(
    bad_names_are_explained_and_the_bot_keeps_waiting,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let leader = app.student("Сидоров Пётр");
        leader.press("🚀 Создать группу").await;

        leader
            .send("   ")
            .await
            .expect_all_accepted()
            .expect_text_contains("не может быть пустым");
        let long = "Я".repeat(51);
        leader
        .send(&long)
        .await
        .expect_all_accepted()
        .expect_text_contains("Название слишком длинное (51 символ). Пожалуйста, введите название до 50 символов.");
        leader
            .send("ИВТ\u{7}21")
            .await
            .expect_all_accepted()
            .expect_text_contains("служебных символов");
        assert_eq!(groups::Entity::find().count(&app.db).await.unwrap(), 0);

        // Still waiting for the name: a valid one now creates the group.
        let exactly_fifty = "Я".repeat(50);
        leader
            .send(&exactly_fifty)
            .await
            .expect_all_accepted()
            .expect_text_contains("успешно создана");
        assert!(group_named(&app, &exactly_fifty).await.is_some());
    }
);

both_backends!(
    markup_in_a_name_is_stored_verbatim_and_shown_escaped,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let leader = app.student("Хакеров Олег");
        leader.press("🚀 Создать группу").await;

        let replies = leader.send("  <b>&</b> \"ИВТ\"  ").await;
        replies
            .expect_all_accepted()
            .expect_text_contains("«&lt;b&gt;&amp;&lt;/b&gt; &quot;ИВТ&quot;»");
        assert!(
            group_named(&app, "<b>&</b> \"ИВТ\"").await.is_some(),
            "stored trimmed and verbatim"
        );

        leader
            .send("/start")
            .await
            .expect_all_accepted()
            .expect_text_contains("«&lt;b&gt;&amp;&lt;/b&gt; &quot;ИВТ&quot;»");
    }
);

both_backends!(
    a_member_of_a_group_cannot_create_another,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let leader = app.student("Петрова Анна");
        leader.press("🚀 Создать группу").await;
        leader.send("ИВТ-21").await;

        leader
            .press("🚀 Создать группу")
            .await
            .expect_all_accepted()
            .expect_text_contains("Вы уже состоите в группе «ИВТ-21». Нельзя создать ещё одну.")
            .expect_keyboard(&LEADER_MENU);
        leader
            .send("ИВТ-22")
            .await
            .expect_text_contains("Не понимаю");
        assert_eq!(groups::Entity::find().count(&app.db).await.unwrap(), 1);
    }
);

both_backends!(
    cancel_leaves_the_dialogue_without_side_effects,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let student = app.student("Кузнецов Илья");

        student.press("🚀 Создать группу").await;
        student
            .send("/cancel")
            .await
            .expect_text_contains("Действие отменено.")
            .expect_keyboard(&UNREGISTERED_MENU);
        student
            .send("ИВТ-21")
            .await
            .expect_text_contains("Не понимаю");

        student.press("🚀 Создать группу").await;
        student
            .press("❌ Отмена")
            .await
            .expect_text_contains("Действие отменено.");
        student
            .send("/cancel")
            .await
            .expect_text_contains("Сейчас нечего отменять.");

        assert_eq!(groups::Entity::find().count(&app.db).await.unwrap(), 0);
        assert_eq!(dialogues::Entity::find().count(&app.db).await.unwrap(), 0);
    }
);

both_backends!(
    a_half_filled_form_survives_a_restart,
    |backend: Backend| async move {
        let mut app = TestApp::spawn(backend).await;
        let leader = app.student("Орлова Мария");
        leader
            .press("🚀 Создать группу")
            .await
            .expect_text_contains("Введите название");

        app.restart().await;

        leader
            .send("ПМИ-31")
            .await
            .expect_text_contains("🎉 Группа «ПМИ-31» успешно создана!");
        assert!(group_named(&app, "ПМИ-31").await.is_some());
    }
);

both_backends!(
    many_users_create_groups_at_the_same_moment,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let students: Vec<_> = (0..12)
            .map(|i| app.student(&format!("Студент{i} Имя")))
            .collect();
        join_all(students.iter().map(|s| s.press("🚀 Создать группу"))).await;

        let replies = join_all(
            students
                .iter()
                .enumerate()
                .map(|(i, s)| async move { s.send(&format!("Группа-{i}")).await }),
        )
        .await;

        for (i, reply) in replies.iter().enumerate() {
            reply
                .expect_all_accepted()
                .expect_text_contains(&format!("🎉 Группа «Группа-{i}» успешно создана!"));
        }
        assert_eq!(groups::Entity::find().count(&app.db).await.unwrap(), 12);
        let leaders = groupmembers::Entity::find()
            .filter(groupmembers::Column::IsLeader.eq(true))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(leaders, 12);
    }
);

both_backends!(help_menu_and_unknown_text, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let student = app.student("Смирнова Ольга");
    student
        .send("/help")
        .await
        .expect_all_accepted()
        .expect_text_contains("/cancel");
    student
        .send("/menu")
        .await
        .expect_text_contains("Вы ещё не состоите в группе")
        .expect_keyboard(&UNREGISTERED_MENU);
    student
        .send("привет")
        .await
        .expect_text_contains("Не понимаю")
        .expect_keyboard(&UNREGISTERED_MENU);
});

both_backends!(
    english_speakers_get_english,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let john = support::student::Student::with_language(&app.tg, &app.db, "Smith John", "en");
        john.send("/start")
            .await
            .expect_text_contains("Welcome! You are not in a group yet.")
            .expect_keyboard(&["🚀 Create a group", "🔗 Join by link"]);
        john.press("🚀 Create a group")
            .await
            .expect_text_contains("Enter a name");
        // The Russian button text works too: it is the stable interface.
        john.send("/cancel").await;
        john.press("🚀 Создать группу")
            .await
            .expect_text_contains("Enter a name");
        john.send("CS-101")
            .await
            .expect_text_contains("The group “CS-101” has been created!");
    }
);

both_backends!(
    commands_are_registered_in_both_languages,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let registered: Vec<_> = app
            .tg
            .requests()
            .into_iter()
            .filter(|r| r.method == "setMyCommands" && r.status == 200)
            .collect();
        let languages: Vec<Option<&str>> = registered
            .iter()
            .map(|r| r.params.get("language_code").and_then(|v| v.as_str()))
            .collect();
        assert!(
            languages.contains(&Some("ru")) && languages.contains(&Some("en")),
            "{languages:?}"
        );
        for request in &registered {
            let names: Vec<&str> = request.params["commands"]
                .as_array()
                .expect("commands")
                .iter()
                .filter_map(|c| c["command"].as_str())
                .collect();
            assert_eq!(
                names,
                [
                    "start",
                    "help",
                    "menu",
                    "calendar",
                    "deadlines",
                    "invite",
                    "profile",
                    "cancel"
                ]
            );
        }
        let _ = app;
    }
);

/// Puts `student` into the group named `group` with a role, as joining by invite will.
async fn add_member(app: &TestApp, group: &str, student_id: i64, assistant: bool) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let group = group_named(app, group).await.expect("group exists");
    groupmembers::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        user_id: Set(student_id),
        group_id: Set(group.id),
        is_leader: Set(false),
        is_assistant: Set(assistant),
        joined_at: Set(chrono::Utc::now()),
    }
    .insert(&app.db)
    .await
    .expect("membership inserted");
}

both_backends!(
    assistants_and_members_get_their_own_menus,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let leader = app.student("Петрова Анна");
        leader.press("🚀 Создать группу").await;
        leader.send("ИВТ-21").await;
        let assistant = app.student("Волков Максим");
        let member = app.student("Зайцева Дарья");
        assistant
            .send("/start")
            .await
            .expect_keyboard(&UNREGISTERED_MENU);
        member.send("/start").await;
        add_member(&app, "ИВТ-21", assistant.id(), true).await;
        add_member(&app, "ИВТ-21", member.id(), false).await;

        let own_menu = [
            "📅 События и Бронь",
            "🗓 Расписание",
            "📚 Домашка",
            "🙋 Мои очереди и темы",
            "👥 Участники группы",
            "👤 Профиль",
        ];
        assistant
            .send("/start")
            .await
            .expect_text_contains("помощник старосты в группе «ИВТ-21»")
            .expect_keyboard(&own_menu);
        member
            .send("/start")
            .await
            .expect_text_contains("Вы участник группы «ИВТ-21»")
            .expect_keyboard(&own_menu);
        member
            .press("🚀 Создать группу")
            .await
            .expect_text_contains("Вы уже состоите в группе «ИВТ-21»");
    }
);

both_backends!(
    a_group_is_created_once_for_a_user_who_asks_twice_at_once,
    |backend: Backend| async move {
        use study_group_bot::groups::service::{self as groups_service, GroupError};
        use study_group_bot::groups::{GroupName, Timezone};
        use study_group_bot::uow;

        let app = TestApp::spawn(backend).await;
        let anna = app.student("Петрова Анна");
        anna.send("/start").await.expect_all_accepted();
        let create = |name: &'static str| {
            let db = app.db.clone();
            let user = anna.id();
            async move {
                let name = GroupName::parse(name).expect("a valid name");
                uow::run_as(&db, user, |uow| {
                    let name = name.clone();
                    Box::pin(async move {
                        groups_service::create(uow, &name, Timezone::default()).await
                    })
                })
                .await
            }
        };

        let (first, second) = tokio::join!(create("ИВТ-21"), create("ИВТ-22"));
        let created = [&first, &second].iter().filter(|r| r.is_ok()).count();
        assert_eq!(created, 1, "one creation wins: {first:?} / {second:?}");
        let kept = first
            .as_ref()
            .or(second.as_ref())
            .expect("one group")
            .name
            .clone();
        let refused = first.and(second).expect_err("the other is refused");
        assert!(
            matches!(&refused, GroupError::AlreadyInGroup { group } if *group == kept),
            "refused with the kept group's name: {refused:?}"
        );

        let again = create("ИВТ-23").await.expect_err("already a leader");
        assert!(
            matches!(&again, GroupError::AlreadyInGroup { group } if *group == kept),
            "{again:?}"
        );
        assert_eq!(groups::Entity::find().count(&app.db).await.unwrap(), 1);
        assert_eq!(
            groupmembers::Entity::find()
                .filter(groupmembers::Column::UserId.eq(anna.id()))
                .count(&app.db)
                .await
                .unwrap(),
            1
        );
    }
);
