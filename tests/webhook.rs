//! Webhook mode: Telegram posts updates to the bot's HTTP server. An update is stored in the
//! inbox before the 200 answer and handled exactly once — with a wrong secret refused, a
//! double delivery ignored, a restart in between, and several instances on one PostgreSQL.
//! Also: a PostgreSQL outage the bot lives through without a restart.

mod support;

use std::time::Duration;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use study_group_bot::storage::entities::inbox;
use study_group_bot::{App, Config};
use support::app::{
    Backend, SHARED_SECRET, TestApp, WEBHOOK_PATH, postgres_server_url, webhook_mode,
    webhook_mode_shared_secret,
};
use support::student::{HANDLING_TIMEOUT, Student};
use tokio::sync::oneshot;

fn webhook_url(addr: std::net::SocketAddr) -> String {
    format!("http://{addr}{WEBHOOK_PATH}")
}

/// Telegram posts update `update_id` (as the fake queued it) to the bot at `addr`.
async fn deliver_to(
    app: &TestApp,
    addr: std::net::SocketAddr,
    secret: &str,
    update_id: i64,
) -> u16 {
    let update = app.tg.update(update_id).expect("a pushed update");
    app.tg
        .deliver_webhook(&webhook_url(addr), secret, &update)
        .await
}

async fn deliver(app: &TestApp, secret: &str, update_id: i64) -> u16 {
    deliver_to(app, app.http_addr.expect("started"), secret, update_id).await
}

/// Waits until every inbox row is handled.
async fn wait_inbox_drained(app: &TestApp) {
    let deadline = tokio::time::Instant::now() + HANDLING_TIMEOUT;
    loop {
        let pending = inbox::Entity::find()
            .filter(inbox::Column::DoneAt.is_null())
            .count(&app.db)
            .await
            .expect("count inbox");
        if pending == 0 {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{pending} inbox rows still unhandled"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn messages_to(app: &TestApp, student: &Student) -> Vec<String> {
    app.tg
        .requests_for_chat(student.id())
        .iter()
        .filter(|r| r.method == "sendMessage" && r.is_ok())
        .filter_map(|r| r.text().map(str::to_owned))
        .collect()
}

async fn wait_reply(app: &TestApp, since: u64, student: &Student) -> String {
    let chat = student.id();
    app.tg
        .wait_for(since, HANDLING_TIMEOUT, |r| {
            r.method == "sendMessage" && r.chat_id() == Some(chat)
        })
        .await
        .unwrap_or_else(|err| panic!("no reply: {err}"))
        .text()
        .unwrap_or_default()
        .to_owned()
}

both_backends!(
    an_update_posted_to_the_webhook_is_answered,
    |backend: Backend| async move {
        let app = TestApp::spawn_with(backend, webhook_mode).await;
        let set = app
            .tg
            .requests()
            .into_iter()
            .rfind(|r| r.method == "setWebhook")
            .expect("the bot registered its webhook");
        assert_eq!(
            set.params["url"],
            format!("https://bot.example.org{WEBHOOK_PATH}")
        );
        assert!(
            set.params["allowed_updates"]
                .to_string()
                .contains("callback_query")
        );
        let secret = app.tg.webhook_secret().expect("a secret token");
        assert!(secret.len() >= 32, "a generated secret");

        let student = app.student("Иванов Иван");
        let since = app.tg.next_seq();
        let update_id = app.tg.push_message(&student.user, "/start");
        assert_eq!(deliver(&app, &secret, update_id).await, 200);
        wait_reply(&app, since, &student).await;
        wait_inbox_drained(&app).await;
        let row = inbox::Entity::find_by_id(update_id)
            .one(&app.db)
            .await
            .unwrap()
            .expect("the update was stored");
        assert!(row.handled_at.is_some());
        assert!(row.done_at.is_some());
        assert_eq!(row.payload["update_id"], Value::from(update_id));
    }
);

both_backends!(
    a_wrong_secret_is_refused_and_nothing_is_handled,
    |backend: Backend| async move {
        let app = TestApp::spawn_with(backend, webhook_mode).await;
        let student = app.student("Иванов Иван");
        let update_id = app.tg.push_message(&student.user, "/start");
        assert_eq!(deliver(&app, "not-the-secret", update_id).await, 401);
        let update = app.tg.update(update_id).unwrap();
        let body = serde_json::to_vec(&update).unwrap();
        let url = webhook_url(app.http_addr.unwrap());
        let without_header = support::http::request("POST", &url, &[], &body)
            .await
            .unwrap();
        assert_eq!(without_header.status, 401);
        assert_eq!(inbox::Entity::find().count(&app.db).await.unwrap(), 0);
        assert!(messages_to(&app, &student).is_empty());
    }
);

both_backends!(
    an_update_delivered_twice_is_handled_once,
    |backend: Backend| async move {
        let app = TestApp::spawn_with(backend, webhook_mode).await;
        let secret = app.tg.webhook_secret().unwrap();
        let student = app.student("Иванов Иван");
        let since = app.tg.next_seq();
        let update_id = app.tg.push_message(&student.user, "/help");
        assert_eq!(deliver(&app, &secret, update_id).await, 200);
        assert_eq!(deliver(&app, &secret, update_id).await, 200);
        wait_reply(&app, since, &student).await;
        wait_inbox_drained(&app).await;
        // Once more after it was handled (Telegram never saw the first 200s).
        assert_eq!(deliver(&app, &secret, update_id).await, 200);
        wait_inbox_drained(&app).await;
        // A later update is answered, so anything still queued would have been handled by now.
        let later = app.tg.next_seq();
        let next = app.tg.push_message(&student.user, "/help");
        assert_eq!(deliver(&app, &secret, next).await, 200);
        wait_reply(&app, later, &student).await;
        wait_inbox_drained(&app).await;
        assert_eq!(inbox::Entity::find().count(&app.db).await.unwrap(), 2);
        assert_eq!(
            messages_to(&app, &student).len(),
            2,
            "one answer per update"
        );
    }
);

both_backends!(
    a_stored_but_unhandled_update_is_handled_after_a_restart,
    |backend: Backend| async move {
        let mut app = TestApp::spawn_with(backend, webhook_mode).await;
        let student = app.student("Иванов Иван");
        app.stop().await;
        // The bot stored the update and answered 200, then died before handling it.
        let update_id = app.tg.push_message(&student.user, "/help");
        let stored = study_group_bot::telegram::inbox::store(
            &app.db,
            update_id,
            app.tg.update(update_id).unwrap(),
        )
        .await
        .unwrap();
        assert!(stored);
        let since = app.tg.next_seq();
        app.start().await;
        wait_reply(&app, since, &student).await;
        wait_inbox_drained(&app).await;
        assert_eq!(messages_to(&app, &student).len(), 1);
    }
);

/// A second bot process on the same database and fake Telegram.
struct Instance {
    addr: std::net::SocketAddr,
    stop: oneshot::Sender<()>,
    handle: tokio::task::JoinHandle<anyhow::Result<()>>,
}

async fn another_instance(app: &TestApp) -> Instance {
    let built = App::build(app.config())
        .await
        .expect("the second instance starts");
    let addr = built.http_addr();
    let (stop, stopped) = oneshot::channel::<()>();
    let handle = tokio::spawn(built.run_until(async {
        let _ = stopped.await;
    }));
    Instance { addr, stop, handle }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_handle_each_update_once() {
    if !support::app::postgres_available() {
        return;
    }
    let mut app = TestApp::spawn_with(Backend::Postgres, webhook_mode_shared_secret).await;
    let second = another_instance(&app).await;
    let first = app.http_addr.unwrap();
    let students: Vec<Student> = (0..4)
        .map(|i| app.student(&format!("Студент{i}")))
        .collect();
    // An interleaved stream: each update to one instance, every third one to both (a
    // load balancer retrying), all at once.
    let mut deliveries = Vec::new();
    let mut per_student = vec![0usize; students.len()];
    for round in 0..5 {
        for (i, student) in students.iter().enumerate() {
            let update_id = app.tg.push_message(&student.user, "/help");
            per_student[i] += 1;
            let n = round * students.len() + i;
            let target = if n.is_multiple_of(2) {
                first
            } else {
                second.addr
            };
            deliveries.push((target, update_id));
            if n.is_multiple_of(3) {
                let other = if target == first { second.addr } else { first };
                deliveries.push((other, update_id));
            }
        }
    }
    let statuses = futures::future::join_all(
        deliveries
            .iter()
            .map(|&(addr, update_id)| deliver_to(&app, addr, SHARED_SECRET, update_id)),
    )
    .await;
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
    wait_inbox_drained(&app).await;
    // Each reply is sent before its update is marked handled, so all are recorded by now.
    for (student, expected) in students.iter().zip(per_student) {
        assert_eq!(
            messages_to(&app, student).len(),
            expected,
            "one answer per update for {}",
            student.id()
        );
    }
    let _ = second.stop.send(());
    second.handle.await.unwrap().unwrap();
    app.stop().await;
}

/// Runs `sql` on the PostgreSQL server (not on the test database).
async fn on_server(sql: &str) {
    let server = sea_orm::Database::connect(postgres_server_url())
        .await
        .expect("server connection");
    server.execute_unprepared(sql).await.expect(sql);
    server.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_lives_through_a_postgres_outage() {
    if !support::app::postgres_available() {
        return;
    }
    let mut app = TestApp::spawn(Backend::Postgres).await;
    let name = app
        .database
        .url
        .rsplit('/')
        .next()
        .and_then(|tail| tail.split('?').next())
        .expect("database name")
        .to_owned();
    let student = app.student("Иванов Иван");
    student.send("/start").await;
    assert_eq!(app.http_get("/healthz").await.0, 200);

    on_server(&format!(
        "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false"
    ))
    .await;
    on_server(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    ))
    .await;

    student
        .send_unstored("/help")
        .await
        .expect_text_contains("Временные неполадки");
    let (status, _) = app.http_get("/healthz").await;
    assert_eq!(status, 503);

    on_server(&format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true")).await;
    student
        .send("/help")
        .await
        .expect_no_text_contains("Временные неполадки")
        .expect_text_contains("/cancel");
    assert_eq!(app.http_get("/healthz").await.0, 200);
    app.stop().await;
}

#[tokio::test]
async fn webhook_mode_without_a_url_is_a_clear_error() {
    let mut config = Config::for_tests(
        support::fake_api::BOT_TOKEN,
        "http://127.0.0.1:9".parse().unwrap(),
        "sqlite::memory:",
    );
    config.mode = study_group_bot::config::Mode::Webhook;
    let Err(err) = App::build(config).await else {
        panic!("webhook mode without WEBHOOK_URL started");
    };
    assert!(err.to_string().contains("WEBHOOK_URL"), "{err}");
}
