//! F9/F10: the bot's administration — access codes (created, redeemed, limited, raced,
//! deactivated, expired), the panel (refused to everyone else), broadcasts through the outbox,
//! deleting a group, and the change history for leaders and admins. Through the fake Bot API,
//! on SQLite and PostgreSQL; `admin-code create` through the real binary.

mod support;

use std::time::Duration;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::json;
use study_group_bot::admin::service;
use study_group_bot::admin::{AccessCode, Audience, CodeLifetime, access};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{adminaccesscodes, adminattempts, admins, groups, outbox};
use study_group_bot::telegram::admin::Action;
use study_group_bot::telegram::callback::encode;
use support::app::TestApp;
use support::fixtures::log_count;
use support::student::Student;

const GRANTED: &str = "Вы — администратор бота";
const WRONG: &str = "Код не подходит";
const TOO_MANY: &str = "Слишком много неверных кодов";
const UNKNOWN_TEXT: &str = "Не понимаю это сообщение";
const OUTDATED: &str = "Эта кнопка устарела";
const PANEL: &str = "Панель администратора";

/// A code made as the command line makes it (no acting admin).
async fn new_code(app: &TestApp, one_time: bool, lifetime: Option<CodeLifetime>) -> AccessCode {
    let clock: std::sync::Arc<dyn study_group_bot::notifications::Clock> =
        std::sync::Arc::new(study_group_bot::notifications::SystemClock);
    study_group_bot::uow::run(&app.db, &clock, None, |uow| {
        Box::pin(access::create_code(uow, one_time, lifetime))
    })
    .await
    .expect("code created")
    .value
    .1
}

async fn is_admin(app: &TestApp, student: &Student) -> bool {
    admins::Entity::find_by_id(student.id())
        .one(&app.db)
        .await
        .expect("query admins")
        .is_some()
}

/// A registered student who redeemed a fresh reusable code.
async fn admin(app: &TestApp, name: &str) -> Student {
    let admin = app.student(name);
    admin.send("/start").await;
    let code = new_code(app, false, None).await;
    admin
        .send(&format!("/admin {}", code.expose()))
        .await
        .expect_text_contains(GRANTED);
    admin
}

both_backends!(a_code_is_redeemed_by_the_rules, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let reusable = new_code(&app, false, Some("7d".parse().unwrap())).await;
    let stored = adminaccesscodes::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("the code is stored");
    assert_ne!(stored.code, reusable.expose(), "only a hash is stored");
    assert_eq!(stored.code, reusable.hash());

    // A reusable code makes two admins; the code's message is deleted from the chat; /admin
    // joins the admin's own command list.
    let first = app.student("Первый Админ");
    first.send("/start").await;
    let replies = first.send(&format!("/admin {}", reusable.expose())).await;
    replies
        .expect_text_contains(GRANTED)
        .expect_text_contains(PANEL);
    assert!(
        replies
            .0
            .iter()
            .any(|r| r.method == "deleteMessage" && r.is_ok())
    );
    let commands = app
        .tg
        .my_commands(json!({"type": "chat", "chat_id": first.id()}), None)
        .expect("commands for the admin's chat");
    assert!(commands.iter().any(|(c, _)| c == "admin"), "{commands:?}");
    assert!(commands.iter().any(|(c, _)| c == "start"), "{commands:?}");
    let second = app.student("Второй Админ");
    second.send("/start").await;
    second
        .send(&format!("/admin   {}  ", reusable.expose()))
        .await
        .expect_text_contains(GRANTED);
    assert!(is_admin(&app, &first).await && is_admin(&app, &second).await);
    assert_eq!(log_count(&app, "admin.redeem").await, 2);
    // Once an admin, `/admin` opens the panel.
    first.send("/admin").await.expect_text_contains(PANEL);

    // A one-time code works once.
    let once = new_code(&app, true, None).await;
    let third = app.student("Третий");
    third.send("/start").await;
    third
        .send(&format!("/admin {}", once.expose()))
        .await
        .expect_text_contains(GRANTED);
    let fourth = app.student("Четвёртый");
    fourth.send("/start").await;
    fourth
        .send(&format!("/admin {}", once.expose()))
        .await
        .expect_text_contains(WRONG);
    assert!(!is_admin(&app, &fourth).await);

    // An expired code does not work.
    let expiring = new_code(&app, false, Some("30m".parse().unwrap())).await;
    let mut row: adminaccesscodes::ActiveModel = adminaccesscodes::Entity::find()
        .filter(adminaccesscodes::Column::Code.eq(expiring.hash()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    row.expires_at = Set(Some(app.clock_now() - chrono::Duration::minutes(1)));
    row.update(&app.db).await.unwrap();
    fourth
        .send(&format!("/admin {}", expiring.expose()))
        .await
        .expect_text_contains(WRONG);

    // An admin deactivates the reusable code in the panel: nobody else gets in with it.
    first.send("/admin").await;
    first
        .click_button("🔑 Коды доступа")
        .await
        .expect_all_accepted();
    let short: String = stored.id.simple().to_string().chars().take(8).collect();
    first
        .click_button(&format!("🚫 Отключить {short}"))
        .await
        .expect_text_contains("Код отключён");
    fourth
        .send(&format!("/admin {}", reusable.expose()))
        .await
        .expect_text_contains(WRONG);
    assert!(!is_admin(&app, &fourth).await);
    assert_eq!(log_count(&app, "admin.code_deactivate").await, 1);

    // A code made in the panel is shown once and works.
    let replies = first.click_button("➕ Одноразовый, 24 ч").await;
    let text = replies.last_text();
    let shown = text
        .split("<code>")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .filter(|code| AccessCode::parse(code).is_some())
        .unwrap_or_else(|| panic!("no code shown: {text}"))
        .to_owned();
    fourth
        .send(&format!("/admin {shown}"))
        .await
        .expect_text_contains(GRANTED);
});

both_backends!(wrong_codes_are_limited_per_hour, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let code = new_code(&app, false, None).await;
    let guesser = app.student("Подбирающий");
    guesser.send("/start").await;
    let random = AccessCode::generate();
    for guess in ["123", "not-a-code", random.expose(), "x", "y"] {
        guesser
            .send(&format!("/admin {guess}"))
            .await
            .expect_text_contains(WRONG);
    }
    // The sixth attempt within the hour is refused without looking, even with a right code.
    guesser
        .send(&format!("/admin {}", code.expose()))
        .await
        .expect_text_contains(TOO_MANY)
        .expect_no_text_contains(GRANTED);
    assert!(!is_admin(&app, &guesser).await);
    let attempts = adminattempts::Entity::find()
        .filter(adminattempts::Column::UserId.eq(guesser.id()))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(attempts, 6, "every attempt is recorded");

    // Attempts older than an hour no longer count.
    adminattempts::Entity::update_many()
        .col_expr(
            adminattempts::Column::AttemptedAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::minutes(61)),
        )
        .filter(adminattempts::Column::UserId.eq(guesser.id()))
        .exec(&app.db)
        .await
        .unwrap();
    guesser
        .send(&format!("/admin {}", code.expose()))
        .await
        .expect_text_contains(GRANTED);
    // Someone else was never limited by the guesser's attempts.
    let other = app.student("Другой");
    other.send("/start").await;
    other
        .send(&format!("/admin {}", code.expose()))
        .await
        .expect_text_contains(GRANTED);
});

both_backends!(the_panel_does_not_exist_for_others, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let leader = app.student("Староста Иван");
    leader.send("/start").await;
    let group = app.create_group(&leader, "ИВТ-21").await;
    let stranger = app.student("Посторонний");
    stranger.send("/start").await;
    // `/admin` reads like any unknown text, and so does an unknown command.
    let answer = stranger.send("/admin").await.last_text();
    assert!(answer.contains(UNKNOWN_TEXT), "{answer}");
    assert_eq!(stranger.send("/nosuchcommand").await.last_text(), answer);

    let code_row = {
        new_code(&app, false, None).await;
        adminaccesscodes::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
    };
    let forged = [
        Action::Panel,
        Action::Stats,
        Action::Groups { page: 0 },
        Action::Search,
        Action::Group { group },
        Action::Delete { group },
        Action::DeleteConfirmed { group },
        Action::Broadcast {
            audience: Audience::All,
        },
        Action::BroadcastSend,
        Action::BroadcastCancel,
        Action::Log { page: 0 },
        Action::GroupLog { group, page: 0 },
        Action::Codes,
        Action::CodeCreate { one_time: true },
        Action::CodeDeactivate { code: code_row.id },
    ];
    for (who, student) in [("stranger", &stranger), ("leader", &leader)] {
        for action in forged {
            let replies = student.forge_callback(&encode(&action)).await;
            let toast = replies.expect_answered();
            assert!(
                toast.as_deref().is_some_and(|t| t.contains(OUTDATED)),
                "{who} {action:?}: {toast:?}"
            );
            replies.expect_no_text_contains(PANEL);
        }
    }
    // Nothing changed: the group, the one code (active), no admins, no outbox rows.
    assert!(
        groups::Entity::find_by_id(group)
            .one(&app.db)
            .await
            .unwrap()
            .is_some()
    );
    let codes = adminaccesscodes::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(codes.len(), 1);
    assert!(codes[0].is_active);
    assert_eq!(admins::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(outbox::Entity::find().count(&app.db).await.unwrap(), 0);
    // The service refuses a non-admin directly too.
    assert!(matches!(
        study_group_bot::uow::run_as(&app.db, stranger.id(), |uow| {
            Box::pin(service::delete_group(uow, group))
        })
        .await,
        Err(service::AdminError::NotAdmin)
    ));

    // An admin whose status is gone is refused the same way.
    let former = admin(&app, "Бывший Админ").await;
    former.send("/admin").await.expect_text_contains(PANEL);
    admins::Entity::delete_by_id(former.id())
        .exec(&app.db)
        .await
        .unwrap();
    let (_, toast) = former.click_button_toast("📊 Статистика").await;
    assert!(
        toast.as_deref().is_some_and(|t| t.contains(OUTDATED)),
        "{toast:?}"
    );
    assert!(
        former
            .send("/admin")
            .await
            .last_text()
            .contains(UNKNOWN_TEXT)
    );
});

/// How a broadcast begins (the admin's preview does not).
const BROADCAST: &str = "📢 <b>Сообщение от администрации</b>";

/// How many broadcasts containing `needle` the chat received.
fn received(app: &TestApp, chat: i64, needle: &str) -> usize {
    app.tg
        .requests_for_chat(chat)
        .iter()
        .filter(|r| r.method == "sendMessage" && r.is_ok())
        .filter(|r| {
            r.text()
                .is_some_and(|t| t.starts_with(BROADCAST) && t.contains(needle))
        })
        .count()
}

async fn wait_received(app: &TestApp, chat: i64, needle: &str) {
    app.tg
        .wait_for_chat(chat, 0, Duration::from_secs(20), |r| {
            r.method == "sendMessage"
                && r.is_ok()
                && r.text()
                    .is_some_and(|t| t.starts_with(BROADCAST) && t.contains(needle))
        })
        .await
        .unwrap_or_else(|err| panic!("chat {chat} did not get {needle:?}: {err}"));
}

both_backends!(a_broadcast_reaches_each_target_once, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let boss = admin(&app, "Главный Админ").await;
    let leader_a = app.student("Староста А");
    leader_a.send("/start").await;
    let group_a = app.create_group(&leader_a, "Группа А").await;
    let leader_b = app.student("Староста Б");
    leader_b.send("/start").await;
    app.create_group(&leader_b, "Группа Б").await;
    let member = app.student("Участник");
    app.add_member(group_a, &member, Role::Member).await;
    let loner = app.student("Одиночка");
    loner.send("/start").await;

    // To leaders: compose → preview (escaped) → send.
    boss.send("/admin").await;
    boss.click_button("📢 Рассылка старостам")
        .await
        .expect_text_contains("Напишите текст рассылки");
    boss.send("Сдайте <b>списки</b> до пятницы")
        .await
        .expect_text_contains("Сдайте &lt;b&gt;списки&lt;/b&gt; до пятницы")
        .expect_text_contains("старостам групп");
    boss.click_button("✅ Отправить")
        .await
        .expect_text_contains("Рассылка поставлена в очередь: 2");
    let leaders_text = "Сдайте &lt;b&gt;списки&lt;/b&gt; до пятницы";
    wait_received(&app, leader_a.id(), leaders_text).await;
    wait_received(&app, leader_b.id(), leaders_text).await;
    // Pressing «Отправить» again (a replay) sends nothing more.
    let replies = boss.forge_callback(&encode(&Action::BroadcastSend)).await;
    assert!(
        replies
            .expect_answered()
            .is_some_and(|t| t.contains("Нечего отправлять"))
    );
    let rows = outbox::Entity::find().all(&app.db).await.unwrap();
    let mut chats: Vec<i64> = rows.iter().map(|r| r.chat_id).collect();
    chats.sort_unstable();
    let mut leaders = vec![leader_a.id(), leader_b.id()];
    leaders.sort_unstable();
    assert_eq!(chats, leaders, "one row per leader, nobody else");
    assert_eq!(log_count(&app, "admin.broadcast").await, 1);

    // To everyone.
    boss.send("/admin").await;
    boss.click_button("📢 Рассылка всем").await;
    boss.send("Бот обновлён").await;
    boss.click_button("✅ Отправить")
        .await
        .expect_text_contains("Рассылка поставлена в очередь: 5");
    let everyone = [&boss, &leader_a, &leader_b, &member, &loner];
    for student in everyone {
        wait_received(&app, student.id(), "Бот обновлён").await;
    }
    for student in everyone {
        assert_eq!(received(&app, student.id(), "Бот обновлён"), 1);
    }
    assert_eq!(received(&app, member.id(), leaders_text), 0);
    assert_eq!(received(&app, loner.id(), leaders_text), 0);
    assert_eq!(received(&app, boss.id(), leaders_text), 0);
    for leader in [&leader_a, &leader_b] {
        assert_eq!(received(&app, leader.id(), leaders_text), 1);
    }
});

both_backends!(
    an_admin_deletes_a_group_and_its_members_are_told,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let boss = admin(&app, "Админ").await;
        let leader = app.student("Староста");
        leader.send("/start").await;
        let group = app.create_group(&leader, "Удаляемая").await;
        let member = app.student("Участник");
        app.add_member(group, &member, Role::Member).await;

        boss.send("/admin").await;
        boss.click_button("🔎 Найти группу").await;
        boss.send("удаляем")
            .await
            .expect_text_contains("Группы с «удаляем» в названии: 1");
        boss.click_button("Удаляемая · 2 чел.")
            .await
            .expect_text_contains("Участников: 2");
        boss.click_button("🗑 Удалить группу").await;
        boss.click_button("🗑 Да, удалить")
            .await
            .expect_text_contains("Извещено участников: 2");
        assert!(
            groups::Entity::find_by_id(group)
                .one(&app.db)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(log_count(&app, "admin.group_delete").await, 1);
        for student in [&leader, &member] {
            app.tg
                .wait_for_chat(student.id(), 0, Duration::from_secs(20), |r| {
                    r.method == "sendMessage"
                        && r.text()
                            .is_some_and(|t| t.contains("«Удаляемая» удалена администрацией бота"))
                })
                .await
                .unwrap_or_else(|err| panic!("{} was not told: {err}", student.id()));
        }
    }
);

both_backends!(
    the_change_history_is_shown_to_the_right_people,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let leader_a = app.student("Староста А");
        leader_a.send("/start").await;
        let group_a = app.create_group(&leader_a, "Альфа").await;
        let name = study_group_bot::groups::GroupName::parse("Альфа-2").unwrap();
        study_group_bot::uow::run_as(&app.db, leader_a.id(), |uow| {
            Box::pin(study_group_bot::groups::service::rename(uow, &name))
        })
        .await
        .unwrap();
        let leader_b = app.student("Староста Б");
        leader_b.send("/start").await;
        app.create_group(&leader_b, "Бета").await;
        let member = app.student("Участник");
        app.add_member(group_a, &member, Role::Member).await;

        // The leader opens it from the settings, newest first, in readable words.
        leader_a.press("⚙️ Настройки группы").await;
        let text = leader_a
            .click_button("📜 История изменений")
            .await
            .last_text();
        assert!(text.contains("История изменений группы Альфа-2"), "{text}");
        assert!(text.contains("(время: Москва (UTC+3))"), "{text}");
        let rename = text.find("переименование группы").expect("rename shown");
        let create = text.find("создание группы").expect("creation shown");
        assert!(rename < create, "newest first: {text}");
        assert!(text.contains("Староста А"), "{text}");

        // Another leader sees only their own group's history: no id to change in the button.
        let settings = leader_b.press("⚙️ Настройки группы").await;
        let data = settings
            .inline_buttons()
            .into_iter()
            .flatten()
            .find(|(text, _)| text == "📜 История изменений")
            .and_then(|(_, data)| data);
        assert_eq!(data, Some(encode(&Action::History { page: 0 })));
        let text = leader_b
            .click_button("📜 История изменений")
            .await
            .last_text();
        assert!(text.contains("Бета") && !text.contains("Альфа"), "{text}");
        assert!(!text.contains("переименование"), "{text}");

        // A member (not the leader) is refused, and so is someone without a group.
        let replies = member
            .forge_callback(&encode(&Action::History { page: 0 }))
            .await;
        assert!(replies.expect_answered().is_some(), "refused with a reason");
        replies.expect_no_text_contains("История изменений группы");
        let loner = app.student("Одиночка");
        loner.send("/start").await;
        let replies = loner
            .forge_callback(&encode(&Action::History { page: 0 }))
            .await;
        replies.expect_no_text_contains("История изменений группы");

        // An admin sees any group's log, and the whole log.
        let boss = admin(&app, "Админ").await;
        let text = boss
            .forge_callback(&encode(&Action::GroupLog {
                group: group_a,
                page: 0,
            }))
            .await
            .last_text();
        assert!(
            text.contains("Альфа-2") && text.contains("переименование группы"),
            "{text}"
        );
        assert!(!text.contains("Бета"), "{text}");
        let text = boss
            .forge_callback(&encode(&Action::Log { page: 0 }))
            .await
            .last_text();
        assert!(text.contains("получение прав администратора"), "{text}");
        // Pages of ten, newest first.
        for i in 0..12 {
            let name = study_group_bot::groups::GroupName::parse(&format!("Альфа-{i}")).unwrap();
            study_group_bot::uow::run_as(&app.db, leader_a.id(), |uow| {
                Box::pin(study_group_bot::groups::service::rename(uow, &name))
            })
            .await
            .unwrap();
        }
        let history = service::group_history(&app.db, leader_a.id(), 0)
            .await
            .unwrap();
        assert_eq!((history.entries.len(), history.pages), (10, 2));
        let last_page = service::group_history(&app.db, leader_a.id(), 1)
            .await
            .unwrap();
        // 14 rows: the creation and 13 renames.
        assert_eq!(last_page.entries.len(), 4);
        assert!(
            service::group_history(&app.db, member.id(), 0)
                .await
                .is_err()
        );
        assert!(matches!(
            service::changelog(&app.db, leader_a.id(), Some(group_a), 0).await,
            Err(service::AdminError::NotAdmin)
        ));
    }
);

/// `admin-code create` through the real binary: the code is printed once, on stdout, and
/// works; only its hash is stored.
#[test]
fn the_binary_prints_a_new_code() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("bot.db").display());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_study-group-bot"))
        .current_dir(dir.path())
        .env_remove("BOT_TOKEN")
        .env("DATABASE_URL", &url)
        .args(["admin-code", "create", "--one-time", "--expires", "24h"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let code = AccessCode::parse(lines[0]).expect("a code is printed");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let db = study_group_bot::storage::connect(&url).await.unwrap();
        let row = adminaccesscodes::Entity::find()
            .one(&db)
            .await
            .unwrap()
            .expect("stored");
        assert_eq!(row.code, code.hash());
        assert!(row.is_one_time && row.is_active);
        let expires = row.expires_at.expect("expires");
        let in_a_day = chrono::Utc::now() + chrono::Duration::hours(24);
        assert!((expires - in_a_day).num_minutes().abs() <= 1);
    });
    // A malformed duration is refused.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_study-group-bot"))
        .current_dir(dir.path())
        .env("DATABASE_URL", &url)
        .args(["admin-code", "create", "--expires", "soon"])
        .output()
        .unwrap();
    assert!(!output.status.success());
}
