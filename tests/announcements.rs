//! F8 «📢 Объявление»: the leader or an assistant writes an announcement, sees a preview and
//! sends it; every member gets it once through the outbox — as the students click it, on
//! SQLite and PostgreSQL, through a fake Bot API over real HTTP.

mod support;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use study_group_bot::members::Role;
use study_group_bot::notifications::{NotificationSettings, settings};
use study_group_bot::storage::entities::{groupmembers, outbox as outbox_rows};
use support::app::{Backend, TestApp};
use support::fixtures::{delivered, leader_with_group, log_count, wait_delivered};
use support::student::Student;

const MEMBERS: &str = "👥 Участники группы";
const ANNOUNCE: &str = "📢 Объявление";
const SEND: &str = "✅ Отправить";
const CANCEL: &str = "❌ Отмена";

async fn announcement_rows(app: &TestApp) -> Vec<outbox_rows::Model> {
    outbox_rows::Entity::find()
        .filter(outbox_rows::Column::Kind.eq("announcement"))
        .all(&app.db)
        .await
        .expect("outbox rows")
}

/// The leader opens «📢 Объявление» from the members screen.
async fn start_announcement(author: &Student) {
    author.press(MEMBERS).await;
    author
        .click_button(ANNOUNCE)
        .await
        .expect_text_contains("Напишите объявление")
        .expect_keyboard(&["❌ Отмена"]);
}

both_backends!(
    the_leader_announces_and_every_member_gets_it_once,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let ivanov = app.student("Иванов Иван");
        let sidorov = app.student("Сидоров Пётр");
        let helper = app.student("Козлова Ольга");
        let quiet = app.student("Тихонов Олег");
        app.add_member(group, &ivanov, Role::Member).await;
        app.add_member(group, &sidorov, Role::Member).await;
        app.add_member(group, &helper, Role::Assistant).await;
        app.add_member(group, &quiet, Role::Member).await;
        let off = NotificationSettings {
            announcements: false,
            ..NotificationSettings::default()
        };
        settings::save(&app.db, quiet.id(), &off).await.unwrap();

        start_announcement(&leader).await;
        let preview = leader
            .send("Завтра пары <b>нет</b> & консультация в 10:00")
            .await;
        preview
            .expect_text_contains("Так объявление увидят участники")
            .expect_text_contains("Автор: Петрова Анна")
            .expect_text_contains("&lt;b&gt;нет&lt;/b&gt; &amp; консультация");
        assert!(
            announcement_rows(&app).await.is_empty(),
            "nothing before «Отправить»"
        );
        let send_data = leader.button_data(SEND);

        leader
            .click_button(SEND)
            .await
            .expect_text_contains("Объявление отправлено: 3 участникам")
            .expect_text_contains("Не получили: 1 участник отключил объявления")
            .expect_no_text_contains("староста группы");
        for member in [&ivanov, &sidorov, &helper] {
            wait_delivered(&app, member, "консультация в 10:00").await;
        }
        let rows = announcement_rows(&app).await;
        assert_eq!(
            rows.len(),
            3,
            "one row per member, none for the author or the muted"
        );
        assert_eq!(log_count(&app, "announcement.send").await, 1);

        // A second press of the same «Отправить» (a replayed button) sends nothing more.
        let replay = leader.forge_callback(&send_data).await;
        assert_eq!(
            replay.expect_answered().as_deref(),
            Some("Это объявление уже отправлено или отменено.")
        );
        assert_eq!(announcement_rows(&app).await.len(), 3);
        assert_eq!(log_count(&app, "announcement.send").await, 1);

        // Once everything is out: each member got it exactly once.
        for member in [&ivanov, &sidorov, &helper] {
            assert_eq!(delivered(&app, member, "консультация в 10:00"), 1);
            let text = app
                .tg
                .requests_for_chat(member.id())
                .into_iter()
                .filter(|r| r.method == "sendMessage")
                .filter_map(|r| r.text().map(str::to_owned))
                .find(|t| t.contains("консультация"))
                .unwrap();
            assert!(text.starts_with("📢 <b>Объявление</b> · ИВТ-21"), "{text}");
        }
        assert_eq!(
            delivered(&app, &quiet, "консультация"),
            0,
            "announcements off"
        );
        assert_eq!(
            delivered(&app, &leader, "консультация"),
            1,
            "the author sees the preview only"
        );
    }
);

both_backends!(
    the_text_is_checked_and_a_cancelled_announcement_sends_nothing,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let member = app.student("Иванов Иван");
        app.add_member(group, &member, Role::Member).await;

        start_announcement(&leader).await;
        leader
            .send(&"я".repeat(3501))
            .await
            .expect_text_contains("Слишком длинно: 3501 символов, можно до 3500");
        // The form is still open: a corrected text gets its preview; a newer text replaces it.
        leader
            .send("Первый вариант")
            .await
            .expect_text_contains("Первый вариант");
        let first_send = leader.button_data(SEND);
        leader
            .send("Второй вариант")
            .await
            .expect_text_contains("Второй вариант");
        // «Отправить» under the replaced preview is outdated.
        leader.forge_callback(&first_send).await;
        assert!(announcement_rows(&app).await.is_empty());

        leader
            .click_button(CANCEL)
            .await
            .expect_text_contains("Объявление отменено");
        assert!(announcement_rows(&app).await.is_empty());
        assert_eq!(log_count(&app, "announcement.send").await, 0);
        // The form is closed: ordinary text is not taken as an announcement.
        leader.send("Третий вариант").await;
        assert!(announcement_rows(&app).await.is_empty());
        assert_eq!(delivered(&app, &member, "вариант"), 0);
    }
);

both_backends!(
    members_cannot_announce_even_with_forged_buttons,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let member = app.student("Иванов Иван");
        let assistant = app.student("Козлова Ольга");
        app.add_member(group, &member, Role::Member).await;
        app.add_member(group, &assistant, Role::Assistant).await;

        // The members screen shows no «📢 Объявление» to a member.
        let screen = member.press(MEMBERS).await;
        assert!(!screen.button_texts().iter().any(|b| b == ANNOUNCE));
        member
            .forge_callback("1|an|c")
            .await
            .expect_text_contains("Это действие вам недоступно");
        member.send("Всем привет от меня").await;
        let forged_send = format!("1|an|s|{}", "A".repeat(22));
        member.forge_callback(&forged_send).await;
        assert!(announcement_rows(&app).await.is_empty());
        assert_eq!(delivered(&app, &leader, "Всем привет"), 0);

        // An assistant may: the announcement reaches the leader and the member.
        start_announcement(&assistant).await;
        assistant.send("Сбор в 301 аудитории").await;
        assistant
            .click_button(SEND)
            .await
            .expect_text_contains("отправлено: 2 участникам");
        wait_delivered(&app, &leader, "Сбор в 301").await;
        wait_delivered(&app, &member, "Сбор в 301").await;

        // Demoted between preview and «Отправить»: the role is checked again.
        start_announcement(&assistant).await;
        assistant.send("Ещё одно").await;
        groupmembers::Entity::update_many()
            .col_expr(groupmembers::Column::IsAssistant, Expr::value(false))
            .filter(groupmembers::Column::UserId.eq(assistant.id()))
            .exec(&app.db)
            .await
            .unwrap();
        assistant
            .click_button(SEND)
            .await
            .expect_text_contains("Это действие вам недоступно");
        assert_eq!(delivered(&app, &member, "Ещё одно"), 0);
        assert_eq!(log_count(&app, "announcement.send").await, 1);
    }
);
