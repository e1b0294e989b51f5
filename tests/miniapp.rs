//! The Mini App's API, over HTTP, on SQLite and PostgreSQL: a launch signed by Telegram reads
//! its own group's week, queues and topics and changes them through the same use cases as the
//! chat; missing, forged and stale launch data and another group's ids are refused; a join
//! from the page and one from the chat at the same moment keep the queue gapless; the menu
//! button and «📱 Открыть» appear with an https PUBLIC_URL only.

mod support;

use std::collections::BTreeSet;

use chrono::Duration;
use futures::future::join_all;
use serde_json::Value;
use study_group_bot::members::Role;
use support::app::{Backend, TestApp};
use support::fixtures::{
    group_with_leader, insert_event_on, insert_queue, insert_topics, log_count, members,
    open_queue, positions,
};
use support::miniapp::{call, d, launch, launch_signed, page_url, scene};

/// The subjects of the classes of the week's day `date`.
fn subjects_on(week: &Value, date: &str) -> Vec<String> {
    week["days"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|day| day["date"] == date)
        .flat_map(|day| day["classes"].as_array().cloned().unwrap_or_default())
        .filter_map(|class| class["subject"].as_str().map(str::to_owned))
        .collect()
}

fn all_text(value: &Value) -> String {
    value.to_string()
}

both_backends!(
    a_launch_reads_its_own_group,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let scene = scene(&app).await;
        let now = app.clock_now();
        let member = launch(&app, scene.member.id(), now);

        let (status, me) = call(&app, "GET", "/app/api/me", Some(&member)).await;
        assert_eq!(status, 200, "{me}");
        assert_eq!(me["group"]["name"], "ИВТ-21");
        assert_eq!(me["group"]["role"], "member");
        assert_eq!(me["group"]["can_manage"], false);
        assert_eq!(me["labels"]["queues"], "Мои места");

        // The week of Monday 14 September (week 3, odd): calculus, not algebra.
        let (status, week) = call(&app, "GET", "/app/api/week", Some(&member)).await;
        assert_eq!(status, 200, "{week}");
        assert_eq!(week["monday"], "2026-09-14");
        assert_eq!(week["today"], "2026-09-14");
        assert_eq!(subjects_on(&week, "2026-09-14"), ["Математический анализ"]);
        assert_eq!(subjects_on(&week, "2026-09-16"), ["Физика"]);
        let monday = &week["days"][0];
        assert_eq!(monday["today"], true);
        assert_eq!(week["days"][1]["today"], false);
        let class = &monday["classes"][0];
        assert_eq!(class["room"], "301");
        assert_eq!(class["teacher"], "Иванов И. И.");
        assert_eq!(class["start"], "09:00");
        assert!(class["homework"].is_null(), "no homework yet: {class}");
        assert!(
            all_text(&week).contains("Лабораторная 3"),
            "the event: {week}"
        );
        // Next week (even): algebra.
        let (status, next) =
            call(&app, "GET", "/app/api/week?date=2026-09-21", Some(&member)).await;
        assert_eq!(status, 200);
        assert_eq!(subjects_on(&next, "2026-09-21"), ["Линейная алгебра"]);
        assert_eq!(next["days"][0]["today"], false);

        // Joining from the page: the same use case, change log and place as the chat's button.
        let path = format!("/app/api/queues/{}/join", scene.queue);
        let (status, joined) = call(&app, "POST", &path, Some(&member)).await;
        assert_eq!(status, 200, "{joined}");
        assert_eq!(joined["message"], "Вы в очереди: №1");
        assert_eq!(log_count(&app, "queue.join").await, 1);
        let (status, again) = call(&app, "POST", &path, Some(&member)).await;
        assert_eq!(status, 409, "{again}");
        let leader = launch(&app, scene.leader.id(), now);
        let (_, _) = call(
            &app,
            "POST",
            &format!("/app/api/queues/{}/join", scene.queue),
            Some(&leader),
        )
        .await;
        let (status, queues) = call(&app, "GET", "/app/api/queues", Some(&member)).await;
        assert_eq!(status, 200, "{queues}");
        assert_eq!(queues["queues"][0]["title"], "Защита лаб");
        assert_eq!(queues["queues"][0]["place"]["position"], 1);
        assert_eq!(queues["queues"][0]["place"]["text"], "Ваше место: 1 из 2");
        // The leader calls «Следующий»; the member's place is gone, the leader is first.
        let (status, next) = call(
            &app,
            "POST",
            &format!("/app/api/queues/{}/next", scene.queue),
            Some(&leader),
        )
        .await;
        assert_eq!(status, 200, "{next}");
        assert_eq!(positions(&app, scene.queue).await, [(scene.leader.id(), 1)]);
        let (_, queues) = call(&app, "GET", "/app/api/queues", Some(&leader)).await;
        assert_eq!(queues["can_manage"], true);
        assert_eq!(queues["queues"][0]["place"]["text"], "Ваше место: 1 из 1");

        // Topics: free and taken at a glance; a pick and a change of mind, as in the chat.
        let (status, topics) = call(&app, "GET", "/app/api/topics", Some(&member)).await;
        assert_eq!(status, 200, "{topics}");
        let list = &topics["lists"][0];
        assert_eq!(list["capacity"], 2);
        assert_eq!(list["topics"].as_array().map(Vec::len), Some(3));
        assert_eq!(list["topics"][0]["free"], true);
        let pick = |topic: uuid::Uuid| format!("/app/api/topics/pick/{topic}");
        let (status, picked) = call(&app, "POST", &pick(scene.topics[0]), Some(&member)).await;
        assert_eq!(status, 200, "{picked}");
        let (status, _) = call(&app, "POST", &pick(scene.topics[1]), Some(&member)).await;
        assert_eq!(status, 200);
        let (_, topics) = call(&app, "GET", "/app/api/topics", Some(&member)).await;
        let rows = &topics["lists"][0]["topics"];
        assert_eq!(
            (rows[0]["mine"].clone(), rows[1]["mine"].clone()),
            (Value::Bool(false), Value::Bool(true))
        );
        assert_eq!(rows[1]["taken"], 1);
        assert_eq!(
            log_count(&app, "topic.pick").await + log_count(&app, "topics.pick").await,
            2
        );
        // The leader sees the distribution.
        let path = format!("/app/api/topics/{}/distribution", scene.list);
        let (status, dist) = call(&app, "GET", &path, Some(&leader)).await;
        assert_eq!(status, 200, "{dist}");
        assert!(all_text(&dist).contains("Смирнов Олег"), "{dist}");
        let (status, _) = call(
            &app,
            "POST",
            &format!("/app/api/topics/{}/unpick", scene.list),
            Some(&member),
        )
        .await;
        assert_eq!(status, 200);
    }
);

both_backends!(
    missing_forged_or_stale_launches_are_refused,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let scene = scene(&app).await;
        let now = app.clock_now();
        let good = launch(&app, scene.member.id(), now);
        let unauthorized = serde_json::json!({"error": "unauthorized"});

        let refused = [
            None,
            Some(String::new()),
            Some(launch_signed("123:not-this-bot", scene.member.id(), now)),
            Some(launch(
                &app,
                scene.member.id(),
                now - Duration::hours(24) - Duration::minutes(1),
            )),
            Some(launch(&app, scene.member.id(), now + Duration::hours(1))),
            // Another user's id put into a signed launch.
            Some(good.replace(
                &scene.member.id().to_string(),
                &scene.leader.id().to_string(),
            )),
            Some(format!("{good}&hash=00")),
        ];
        for path in [
            "/app/api/me",
            "/app/api/week",
            "/app/api/queues",
            "/app/api/topics",
        ] {
            for launch in &refused {
                let (status, body) = call(&app, "GET", path, launch.as_deref()).await;
                assert_eq!(
                    (status, &body),
                    (401, &unauthorized),
                    "{path} with {launch:?}"
                );
            }
        }
        // Not `tma`: refused too.
        let addr = app.http_addr.expect("started");
        let bearer = format!("Bearer {good}");
        let response = support::http::request(
            "GET",
            &format!("http://{addr}/app/api/me"),
            &[("Authorization", &bearer)],
            b"",
        )
        .await
        .expect("an answer");
        assert_eq!(response.status, 401);
        // A change with a refused launch changes nothing.
        let path = format!("/app/api/queues/{}/join", scene.queue);
        let (status, _) = call(&app, "POST", &path, refused[2].as_deref()).await;
        assert_eq!(status, 401);
        assert!(positions(&app, scene.queue).await.is_empty());
        // A launch 23 hours old is still good; the same a little over a day later is not.
        let (status, _) = call(&app, "GET", "/app/api/me", Some(&good)).await;
        assert_eq!(status, 200);
        app.advance_clock(Duration::hours(23));
        let (status, _) = call(&app, "GET", "/app/api/me", Some(&good)).await;
        assert_eq!(status, 200);
        app.advance_clock(Duration::hours(1) + Duration::seconds(1));
        let (status, _) = call(&app, "GET", "/app/api/me", Some(&good)).await;
        assert_eq!(status, 401);
    }
);

both_backends!(
    another_groups_ids_are_refused,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let scene = scene(&app).await;
        let now = app.clock_now();
        let (other_leader, other_group) = group_with_leader(&app, "Орлов Павел", "ПМИ-22").await;
        let event = insert_event_on(&app, other_group, "Коллоквиум", d(2026, 9, 17), false).await;
        let other_queue = insert_queue(&app, event, "Сдача коллоквиума").await;
        let (other_list, other_topics) = insert_topics(&app, event, &["Секрет"], 1).await;
        let member = launch(&app, scene.member.id(), now);
        let leader = launch(&app, scene.leader.id(), now);

        for (method, path, who) in [
            (
                "POST",
                format!("/app/api/queues/{other_queue}/join"),
                &member,
            ),
            (
                "POST",
                format!("/app/api/queues/{other_queue}/leave"),
                &member,
            ),
            (
                "POST",
                format!("/app/api/queues/{other_queue}/next"),
                &leader,
            ),
            (
                "POST",
                format!("/app/api/topics/pick/{}", other_topics[0]),
                &member,
            ),
            (
                "POST",
                format!("/app/api/topics/{other_list}/unpick"),
                &member,
            ),
            (
                "GET",
                format!("/app/api/topics/{other_list}/distribution"),
                &leader,
            ),
            (
                "POST",
                format!("/app/api/queues/{}/join", uuid::Uuid::new_v4()),
                &member,
            ),
            ("POST", "/app/api/queues/not-an-id/join".to_owned(), &member),
        ] {
            let (status, body) = call(&app, method, &path, Some(who)).await;
            assert_eq!(status, 404, "{method} {path}: {body}");
            assert_eq!(
                body,
                serde_json::json!({"error": "not_found"}),
                "nothing revealed"
            );
        }
        assert!(positions(&app, other_queue).await.is_empty());
        // The other group's data never shows.
        for path in ["/app/api/week", "/app/api/queues", "/app/api/topics"] {
            let (_, body) = call(&app, "GET", path, Some(&member)).await;
            let text = all_text(&body);
            assert!(
                !text.contains("Коллоквиум") && !text.contains("Секрет"),
                "{path}: {text}"
            );
        }
        // Permissions are the chat's: a member cannot call «Следующий» or see the distribution.
        let (status, _) = call(
            &app,
            "POST",
            &format!("/app/api/queues/{}/next", scene.queue),
            Some(&member),
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = call(
            &app,
            "GET",
            &format!("/app/api/topics/{}/distribution", scene.list),
            Some(&member),
        )
        .await;
        assert_eq!(status, 403);
        // Someone outside any group is told so, and nothing more.
        let stranger = app.student("Незнакомец");
        stranger.send("/start").await;
        let stranger = launch(&app, stranger.id(), now);
        let (status, me) = call(&app, "GET", "/app/api/me", Some(&stranger)).await;
        assert_eq!(status, 200);
        assert!(me["group"].is_null());
        let (status, body) = call(&app, "GET", "/app/api/week", Some(&stranger)).await;
        assert_eq!(
            (status, body),
            (403, serde_json::json!({"error": "not_in_group"}))
        );
        let _ = other_leader;
    }
);

both_backends!(
    page_and_chat_join_at_once_stay_gapless,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let scene = scene(&app).await;
        let now = app.clock_now();
        let students = members(&app, scene.group, 30, "Толпа").await;
        let (by_page, by_chat) = students.split_at(15);
        join_all(by_chat.iter().map(|s| open_queue(s, scene.queue))).await;
        let launches: Vec<String> = by_page.iter().map(|s| launch(&app, s.id(), now)).collect();
        let path = format!("/app/api/queues/{}/join", scene.queue);

        let page = join_all(launches.iter().map(|l| call(&app, "POST", &path, Some(l))));
        let chat = join_all(
            by_chat
                .iter()
                .map(|s| s.click_button_toast("Встать в очередь")),
        );
        let (page, chat) = futures::join!(page, chat);

        let mut told = BTreeSet::new();
        for (status, body) in &page {
            assert_eq!(*status, 200, "{body}");
            let number: i32 = body["message"]
                .as_str()
                .and_then(|m| m.strip_prefix("Вы в очереди: №"))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("unexpected answer {body}"));
            told.insert(number);
        }
        for (replies, toast) in &chat {
            replies.expect_all_accepted();
            let number: i32 = toast
                .as_deref()
                .and_then(|t| t.strip_prefix("Вы в очереди: №"))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("unexpected toast {toast:?}"));
            told.insert(number);
        }
        assert_eq!(
            told,
            (1..=30).collect::<BTreeSet<i32>>(),
            "every place told once"
        );
        let rows = positions(&app, scene.queue).await;
        let places: Vec<i32> = rows.iter().map(|(_, p)| *p).collect();
        assert_eq!(places, (1..=30).collect::<Vec<i32>>(), "gapless");
        let users: BTreeSet<i64> = rows.iter().map(|(u, _)| *u).collect();
        assert_eq!(
            users,
            students.iter().map(|s| s.id()).collect::<BTreeSet<i64>>()
        );
        assert_eq!(
            log_count(&app, "queue.join").await,
            30,
            "one change-log row each"
        );
    }
);

fn https_public_url(config: &mut study_group_bot::Config) {
    config.public_url = Some("https://bot.example.org".parse().expect("URL"));
}

both_backends!(
    an_https_public_url_opens_the_app_from_telegram,
    |backend: Backend| async move {
        let app = TestApp::spawn_with(backend, https_public_url).await;
        let button = app.tg.menu_button(None).expect("the menu button is set");
        assert_eq!(button["type"], "web_app");
        assert_eq!(button["web_app"]["url"], "https://bot.example.org/app/");
        let scene = scene(&app).await;
        // The timetable and the queue screens carry «📱 Открыть» in the private chat.
        let week = scene.member.press("🗓 Расписание").await;
        week.expect_all_accepted();
        assert!(
            week.button_texts().iter().any(|t| t == "📱 Открыть"),
            "{:?}",
            week.button_texts()
        );
        // The same screen again is not sent again, the Mini App button included (Telegram
        // would refuse the edit as "message is not modified").
        let again = scene.member.click_button("Сегодня").await;
        again.expect_all_accepted();
        let queue = open_queue(&scene.member, scene.queue).await;
        queue.expect_all_accepted();
        open_queue(&scene.member, scene.queue)
            .await
            .expect_all_accepted();
        assert!(
            queue.button_texts().iter().any(|t| t == "📱 Открыть"),
            "{:?}",
            queue.button_texts()
        );
        let _ = Role::Member;
    }
);

both_backends!(
    without_https_there_is_no_app_button,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        assert!(
            app.tg.menu_button(None).is_none(),
            "the menu button is left alone"
        );
        let scene = scene(&app).await;
        let week = scene.member.press("🗓 Расписание").await;
        week.expect_all_accepted();
        assert!(!week.button_texts().iter().any(|t| t.contains("📱")));
        // The page is served all the same (tests and a proxy in front can reach it).
        let (status, body) = app.http_get("/app/").await;
        assert_eq!(status, 200);
        assert!(body.contains("telegram-web-app.js"));
        let _ = page_url(&app, "x");
    }
);

#[tokio::test]
async fn the_page_is_one_small_document_with_no_outside_assets_but_telegrams() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let addr = app.http_addr.expect("started");
    let response = support::http::request("GET", &format!("http://{addr}/app/"), &[], b"")
        .await
        .expect("the page");
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        response.body.len() < 150 * 1024,
        "{} bytes",
        response.body.len()
    );
    let page = response.body_text();
    let outside: Vec<&str> = page
        .match_indices("https://")
        .map(|(at, _)| {
            page[at..]
                .split(['"', '\'', ' ', ')'])
                .next()
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(outside, ["https://telegram.org/js/telegram-web-app.js"]);
    // Without the slash: to the page, by a relative address (a proxy's path prefix is kept).
    let bare = support::http::request("GET", &format!("http://{addr}/app"), &[], b"")
        .await
        .expect("an answer");
    assert_eq!((bare.status, bare.header("location")), (308, Some("app/")));
    assert!(
        page.contains(r#"fetch("api/""#),
        "the API is called relative to the page"
    );
    let (status, _) = app.http_get("/app/api/nothing").await;
    assert_eq!(
        status, 401,
        "the API answers nobody without launch data, not even 404"
    );
}
