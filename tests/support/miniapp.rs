//! The Mini App from the outside: launch data signed as Telegram signs it, API calls over
//! HTTP, a group with a timetable, a queue and a topic list to look at, and Chromium.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use study_group_bot::http::webapp::init_data::LaunchKey;
use study_group_bot::members::Role;
use study_group_bot::timetable::input::{DateContext, parse_paste};
use study_group_bot::timetable::service;
use study_group_bot::timetable::week::Parity;
use study_group_bot::uow;
use uuid::Uuid;

use super::app::TestApp;
use super::fixtures::{insert_event_on, insert_queue, insert_topics, leader_with_group};
use super::student::Student;

/// Odd weeks hold calculus, even weeks algebra; the labs split into subgroups.
pub const PASTE: &str = "пн 1 | Математический анализ | лекция | Иванов И. И. | 301 | нечёт
пн 1 | Линейная алгебра | лекция | Петров П. П. | 302 | чёт
ср 2 | Физика | практика | Сидорова А. А. | 105
пт 3 | Программирование | лаб | Кузнецов К. К. | 412";

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a date")
}

/// 10:00 Moscow time on Monday 14 September 2026: week 3 (odd) of a semester that began on
/// Tuesday 1 September.
pub fn monday_morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 14, 7, 0, 0)
        .single()
        .expect("a time")
}

/// Launch data for `user`, signed with the bot's token, dated `at`.
pub fn launch(app: &TestApp, user: i64, at: DateTime<Utc>) -> String {
    launch_signed(app.tg.token(), user, at)
}

/// Launch data for `user`, signed with `token`.
pub fn launch_signed(token: &str, user: i64, at: DateTime<Utc>) -> String {
    let user_json = json!({"id": user, "first_name": "Студент", "language_code": "ru"}).to_string();
    LaunchKey::new(token).sign(&[
        ("query_id", "AAHdF6IQAAAAAN0XohDhrOrc"),
        ("user", &user_json),
        ("auth_date", &at.timestamp().to_string()),
    ])
}

/// `method path` on the bot's HTTP server with `Authorization: tma <launch>` (if any):
/// (status, JSON body — `null` if the body is not JSON).
pub async fn call(app: &TestApp, method: &str, path: &str, launch: Option<&str>) -> (u16, Value) {
    let addr = app.http_addr.expect("the bot has been started");
    let auth = launch.map(|l| format!("tma {l}"));
    let headers: Vec<(&str, &str)> = auth
        .as_deref()
        .map(|a| vec![("Authorization", a)])
        .unwrap_or_default();
    let response = super::http::request(method, &format!("http://{addr}{path}"), &headers, b"")
        .await
        .unwrap_or_else(|err| panic!("{method} {path}: {err}"));
    let body = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    (response.status, body)
}

/// What a group to look at holds.
pub struct Scene {
    pub leader: Student,
    pub member: Student,
    pub group: Uuid,
    pub queue: Uuid,
    pub list: Uuid,
    pub topics: Vec<Uuid>,
}

/// The clock at [`monday_morning`]; «ИВТ-21» led by «Петрова Анна» with a member, the semester
/// and [`PASTE`] as its timetable, an event on Wednesday with the queue «Защита лаб» and a list
/// of three topics (two students each).
pub async fn scene(app: &TestApp) -> Scene {
    app.set_clock(monday_morning());
    let (leader, group) = leader_with_group(app).await;
    let member = app.student("Смирнов Олег");
    app.add_member(group, &member, Role::Member).await;
    let semester = uow::run_as(&app.db, leader.id(), |uow| {
        Box::pin(service::set_semester(
            uow,
            d(2026, 9, 1),
            d(2026, 12, 30),
            Parity::Odd,
        ))
    })
    .await
    .expect("semester set");
    let context = DateContext {
        today: d(2026, 9, 14),
        semester: Some(semester),
    };
    let specs = parse_paste(PASTE, &context).expect("the timetable parses");
    uow::run_as(&app.db, leader.id(), |uow| {
        Box::pin(service::add_classes(uow, &specs))
    })
    .await
    .expect("classes added");
    let event = insert_event_on(app, group, "Лабораторная 3", d(2026, 9, 16), false).await;
    let queue = insert_queue(app, event, "Защита лаб").await;
    let (list, topics) = insert_topics(app, event, &["Графы", "Деревья", "Хеш-таблицы"], 2).await;
    Scene {
        leader,
        member,
        group,
        queue,
        list,
        topics,
    }
}

/// Chromium from the distribution, if installed.
pub fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
}

/// Runs headless Chromium on `url` at 360×740 with `extra` flags in a fresh profile; returns
/// its standard output. Every host but loopback is unreachable (as in CI without internet):
/// the page must not need Telegram's script to work.
pub async fn headless(chromium: &Path, url: &str, extra: &[String]) -> String {
    let profile = tempfile::tempdir().expect("a profile directory");
    let child = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--window-size=360,740",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("Chromium starts");
    let pid = child.id();
    let waited = tokio::task::spawn_blocking(move || child.wait_with_output());
    match tokio::time::timeout(std::time::Duration::from_secs(60), waited).await {
        Ok(output) => {
            let output = output.expect("the wait").expect("Chromium's output");
            String::from_utf8_lossy(&output.stdout).into_owned()
        }
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
            panic!("Chromium did not finish within a minute");
        }
    }
}

/// The page's address with `launch` in the fragment, as Telegram opens it.
pub fn page_url(app: &TestApp, launch: &str) -> String {
    let addr = app.http_addr.expect("the bot has been started");
    let data: String = url::form_urlencoded::byte_serialize(launch.as_bytes()).collect();
    let theme: String = url::form_urlencoded::byte_serialize(
        br##"{"bg_color":"#ffffff","text_color":"#000000","button_color":"#2481cc","button_text_color":"#ffffff"}"##,
    )
    .collect();
    format!(
        "http://{addr}/app/#tgWebAppData={data}&tgWebAppVersion=8.0&tgWebAppPlatform=tdesktop&tgWebAppThemeParams={theme}"
    )
}
