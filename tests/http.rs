//! The bot's HTTP server: `/healthz`, `/metrics` (Prometheus text) and the groups' iCalendar
//! feeds (F11) — the leader's link in «⚙️ Настройки группы», its regeneration, and a strict
//! reading of the RFC 5545 output. On SQLite and PostgreSQL.

mod support;

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use study_group_bot::Config;
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{changelog, deadlines, events, groups};
use study_group_bot::telegram::callback;
use study_group_bot::telegram::groups::Action;
use support::app::{Backend, TestApp};
use support::ics::parse_ics;
use uuid::Uuid;

const SETTINGS: &str = "⚙️ Настройки группы";
const FEED_BUTTON: &str = "📆 Календарь для телефона";
const PUBLIC_URL: &str = "https://bot.example.org/sgb/";

fn with_public_url(config: &mut Config) {
    config.public_url = Some(PUBLIC_URL.parse().expect("URL"));
}

// ----- Prometheus text ---------------------------------------------------------------------

/// Checks every line of the text exposition format and returns the samples
/// (`name{labels}` → value).
fn parse_prometheus(text: &str) -> Vec<(String, f64)> {
    let is_name = |name: &str| {
        let mut chars = name.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    let mut samples = Vec::new();
    for line in text.lines() {
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix("# ") {
            let mut parts = comment.splitn(3, ' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("HELP"), Some(name), _) => assert!(is_name(name), "{line}"),
                (Some("TYPE"), Some(name), Some(kind)) => {
                    assert!(is_name(name), "{line}");
                    assert!(
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                        "{line}"
                    );
                }
                _ => {}
            }
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            other => other
                .parse()
                .unwrap_or_else(|_| panic!("bad value: {line}")),
        };
        let name = match series.split_once('{') {
            Some((name, labels)) => {
                let labels = labels.strip_suffix('}').unwrap_or_else(|| panic!("{line}"));
                for label in split_labels(labels) {
                    let (key, quoted) = label.split_once('=').unwrap_or_else(|| panic!("{line}"));
                    assert!(is_name(key), "label name in {line}");
                    assert!(
                        quoted.len() >= 2 && quoted.starts_with('"') && quoted.ends_with('"'),
                        "label value in {line}"
                    );
                }
                name
            }
            None => series,
        };
        assert!(is_name(name), "metric name in {line}");
        samples.push((series.to_owned(), value));
    }
    samples
}

/// `a="x",b="y,z"` → [`a="x"`, `b="y,z"`] (commas inside quotes kept).
fn split_labels(labels: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in labels.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&labels[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < labels.len() {
        parts.push(&labels[start..]);
    }
    parts
}

fn sample(samples: &[(String, f64)], series: &str) -> f64 {
    samples
        .iter()
        .find(|(s, _)| s == series)
        .map_or(0.0, |(_, v)| *v)
}

both_backends!(
    healthz_and_metrics_answer_and_counters_move,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (status, body) = app.http_get("/healthz").await;
        assert_eq!((status, body.as_str()), (200, "ok"));

        let (status, before) = app.http_get("/metrics").await;
        assert_eq!(status, 200);
        let before = parse_prometheus(&before);

        app.student("Иванов Иван").send("/start").await;

        let (status, after) = app.http_get("/metrics").await;
        assert_eq!(status, 200);
        for metric in [
            "# TYPE sgb_updates_total counter",
            "# TYPE sgb_update_handler_seconds histogram",
            "# TYPE sgb_bot_api_requests_total counter",
            "# TYPE sgb_outbox_depth gauge",
            "# TYPE sgb_outbox_oldest_age_seconds gauge",
            "# TYPE sgb_db_statements_total counter",
        ] {
            assert!(after.contains(metric), "{metric} missing:\n{after}");
        }
        let after = parse_prometheus(&after);
        let updates = r#"sgb_updates_total{kind="message"}"#;
        assert!(sample(&after, updates) >= sample(&before, updates) + 1.0);
        let requests = "sgb_bot_api_requests_total";
        assert!(sample(&after, requests) >= sample(&before, requests) + 1.0);
        let statements = "sgb_db_statements_total";
        assert!(sample(&after, statements) >= sample(&before, statements) + 1.0);
        let latency = "sgb_update_handler_seconds_count";
        assert!(sample(&after, latency) >= sample(&before, latency) + 1.0);
        assert!(
            after
                .iter()
                .any(|(s, _)| s.starts_with("sgb_update_handler_seconds_bucket{le="))
        );

        let (status, _) = app.http_get("/nothing-here").await;
        assert_eq!(status, 404);
    }
);

// ----- iCalendar ---------------------------------------------------------------------------

/// The feed URL the leader was shown (`<PUBLIC_URL>/ics/<secret>.ics`) → its path.
fn feed_path(text: &str) -> String {
    let base = PUBLIC_URL.trim_end_matches('/');
    let start = text
        .find(&format!("{base}/ics/"))
        .unwrap_or_else(|| panic!("no feed link in {text:?}"));
    let link = &text[start..];
    let end = link.find(".ics").expect("the link ends in .ics") + 4;
    link[base.len()..end].to_owned()
}

both_backends!(
    the_leader_subscribes_to_a_valid_calendar_and_can_replace_the_link,
    |backend: Backend| async move {
        let app = TestApp::spawn_with(backend, with_public_url).await;
        let leader = app.student("Петрова Анна");
        leader.send("/start").await;
        let group_id = app.create_group(&leader, "ИВТ-21").await;
        let member = app.student("Сидоров Пётр");
        app.add_member(group_id, &member, Role::Member).await;

        // Yekaterinburg is UTC+5 all year.
        let mut group: groups::ActiveModel = groups::Entity::find_by_id(group_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .into();
        group.timezone = Set("Asia/Yekaterinburg".to_owned());
        group.update(&app.db).await.unwrap();

        let event_id = Uuid::new_v4();
        let long_description = "Отчёт по лабораторной работе, оформленный по ГОСТ; ".repeat(4);
        events::ActiveModel {
            id: Set(event_id),
            group_id: Set(group_id),
            created_by_user_id: Set(Some(leader.id())),
            title: Set("Лаба, №1; часть\\2".to_owned()),
            description: Set(Some(long_description.clone())),
            subject: Set(Some("Физика".to_owned())),
            event_date: Set(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            is_important: Set(false),
            created_at: Set(Utc::now()),
        }
        .insert(&app.db)
        .await
        .unwrap();
        let deadline_id = Uuid::new_v4();
        deadlines::ActiveModel {
            id: Set(deadline_id),
            event_id: Set(event_id),
            description: Set("Сдать отчёт".to_owned()),
            // 23:59 in Yekaterinburg.
            deadline_at: Set(Utc.with_ymd_and_hms(2026, 12, 5, 18, 59, 0).unwrap()),
        }
        .insert(&app.db)
        .await
        .unwrap();

        leader.press(SETTINGS).await;
        let shown = leader.click_button(FEED_BUTTON).await;
        let path = feed_path(&shown.last_text());
        let secret = path
            .strip_prefix("/ics/")
            .and_then(|p| p.strip_suffix(".ics"))
            .unwrap()
            .to_owned();
        assert_eq!(secret.len(), 32, "24 random bytes in base64url");
        let (status, body) = app.http_get(&path).await;
        assert_eq!(status, 200, "{body}");

        let calendar = parse_ics(&body);
        assert_eq!(calendar.value("X-WR-TIMEZONE"), "Asia/Yekaterinburg");
        assert_eq!(calendar.children.len(), 2, "one event, one deadline");
        let event = calendar
            .children
            .iter()
            .find(|e| e.value("UID") == format!("event-{event_id}@study-group-bot"))
            .expect("the event");
        assert_eq!(event.prop("DTSTART"), Some(("VALUE=DATE", "20261201")));
        assert_eq!(event.prop("DTEND"), Some(("VALUE=DATE", "20261202")));
        assert_eq!(event.value("SUMMARY"), "Лаба\\, №1\\; часть\\\\2");
        assert!(event.value("DESCRIPTION").starts_with("Физика\\n\\nОтчёт"));
        assert!(
            event.value("DESCRIPTION").len() > 200,
            "long enough to be folded"
        );
        let deadline = calendar
            .children
            .iter()
            .find(|e| e.value("UID") == format!("deadline-{deadline_id}@study-group-bot"))
            .expect("the deadline");
        assert_eq!(deadline.prop("DTSTART"), Some(("", "20261205T185900Z")));
        assert!(deadline.value("SUMMARY").contains("Сдать отчёт"));
        assert!(
            deadline
                .value("DESCRIPTION")
                .contains("05.12.2026 23:59 (Asia/Yekaterinburg)")
        );
        // Stable between fetches.
        assert_eq!(app.http_get(&path).await.1, body);

        // Unknown secrets reveal nothing.
        for unknown in [
            format!("/ics/{}.ics", "A".repeat(32)),
            "/ics/nonsense.ics".to_owned(),
            format!("/ics/{secret}"),
        ] {
            let (status, body) = app.http_get(&unknown).await;
            assert_eq!((status, body.as_str()), (404, "not found"), "{unknown}");
        }

        // A member cannot see or replace the link, not even with forged buttons.
        for action in [
            Action::Feed,
            Action::FeedRegenerate,
            Action::FeedRegenerateConfirm { group: group_id },
        ] {
            let replies = member.forge_callback(&callback::encode(&action)).await;
            replies.expect_no_text_contains("/ics/");
        }
        assert_eq!(
            groups::Entity::find_by_id(group_id)
                .one(&app.db)
                .await
                .unwrap()
                .unwrap()
                .ics_secret
                .as_deref(),
            Some(secret.as_str())
        );

        // The leader replaces the link, after confirming.
        leader
            .click_button("🔄 Новая ссылка")
            .await
            .expect_text_contains("перестанет работать");
        let replaced = leader.click_button("🔄 Да, новая ссылка").await;
        let new_path = feed_path(&replaced.last_text());
        assert_ne!(new_path, path);
        assert_eq!(app.http_get(&path).await.0, 404, "the old link is dead");
        assert_eq!(app.http_get(&new_path).await.0, 200);
        let logged = changelog::Entity::find()
            .filter(changelog::Column::ActionType.eq("group.ics_regenerate"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(logged.len(), 1);
        let details = serde_json::to_string(&logged[0].details).unwrap();
        assert!(!details.contains(&secret) && !details.contains(&new_path[5..37]));
    }
);

both_backends!(
    without_public_url_the_settings_say_so,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let leader = app.student("Петрова Анна");
        leader.send("/start").await;
        let group_id = app.create_group(&leader, "ИВТ-21").await;
        leader.press(SETTINGS).await;
        leader
            .click_button(FEED_BUTTON)
            .await
            .expect_text_contains("PUBLIC_URL")
            .expect_no_text_contains("/ics/");
        let group = groups::Entity::find_by_id(group_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            group.ics_secret, None,
            "no secret made for a link nobody can use"
        );
    }
);
