//! Calendar benchmark: opening the calendar month and an event card in a group with 500 events,
//! in a database of many users, groups and events (default 100 000 users, 5 000 groups of 20,
//! 50 000 events spread over them), on PostgreSQL.
//!
//! Four measurements, each over N sequential iterations (default 1000):
//! - `service_calendar`: `events::service::calendar` — the membership and time zone, the month's
//!   marks (one query over `(group_id, event_date)`) and the count of new events;
//! - `update_calendar`: the whole update — «📅 События и Бронь» pushed to the fake Bot API until
//!   the bot's `sendMessage` with the month grid arrives there (long-poll round trip, session
//!   load, the service call, rendering, the HTTP request);
//! - `service_card`: `events::service::card` — an event card (the event, its deadlines, queues
//!   and topic lists; the first opening by a user also records it as seen), cycling over the
//!   group's events;
//! - `update_card`: the whole update — the card's button pressed under the month message until
//!   the bot's `editMessageText` of that message arrives.
//!
//! Prints one JSON object.
//!
//! `cargo bench --bench calendar -- [--iterations N] [--users N] [--groups N] [--events N]`
//! (`--events`: the events of the other groups, spread evenly over them).

#[path = "../tests/support/mod.rs"]
mod support;

mod common;

use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use study_group_bot::events::service;
use study_group_bot::telegram::callback::encode;
use study_group_bot::telegram::events::action::Action;
use support::app::{Backend, TestApp};
use support::fake_api::int_value;

const BENCH_GROUP_EVENTS: i64 = 500;
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Copy)]
struct Options {
    iterations: usize,
    users: i64,
    groups: i64,
    events: i64,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        iterations: 1000,
        users: 100_000,
        groups: 5_000,
        events: 50_000,
    };
    let mut args = common::Args::from_env();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--iterations" => options.iterations = args.value(&arg)?,
            "--users" => options.users = args.value(&arg)?,
            "--groups" => options.groups = args.value(&arg)?,
            "--events" => options.events = args.value(&arg)?,
            other => common::unknown(other)?,
        }
    }
    anyhow::ensure!(
        options.groups > 0 && options.users >= options.groups && options.users >= 30,
        "at least 30 users and one user per group"
    );
    Ok(options)
}

fn main() -> anyhow::Result<()> {
    let options = options()?;
    common::runtime()?.block_on(run(options))
}

/// Bulk data, set-based on the server: users, groups with members, and events spread over the
/// year around today; the benchmark group gets 500 events and a few members who opened some.
async fn seed(
    db: &DatabaseConnection,
    options: Options,
    bench_group: uuid::Uuid,
) -> anyhow::Result<()> {
    let Options { users, groups, .. } = options;
    let members_per_group = users / groups;
    let events_per_group = options.events / groups;
    let statements = [
        format!(
            "INSERT INTO users (telegram_id, first_name, last_name, created_at, last_active_at, is_blocked, has_full_name) \
             SELECT 900000000 + n, 'Студент', 'Нагрузочный ' || n, now(), now(), false, false \
             FROM generate_series(1, {users}) AS n"
        ),
        format!(
            "INSERT INTO groups (id, name, created_at, creator_id, timezone) \
             SELECT gen_random_uuid(), 'Группа ' || n, now(), 900000000 + (n - 1) * {members_per_group} + 1, \
                    CASE WHEN n % 3 = 0 THEN 'Asia/Vladivostok' ELSE 'Europe/Moscow' END \
             FROM generate_series(1, {groups}) AS n"
        ),
        format!(
            "INSERT INTO groupmembers (id, user_id, group_id, is_leader, is_assistant, joined_at) \
             SELECT gen_random_uuid(), 900000000 + n, g.id, n % {members_per_group} = 1, false, now() \
             FROM generate_series(1, {users}) AS n \
             JOIN (SELECT id, row_number() OVER (ORDER BY name) AS r FROM groups WHERE name LIKE 'Группа %') AS g \
               ON g.r = (n - 1) / {members_per_group} + 1"
        ),
        format!(
            "INSERT INTO events (id, group_id, title, event_date, is_important, created_at) \
             SELECT gen_random_uuid(), g.id, 'Событие ' || k, current_date + ((k * 37) % 365 - 180), k % 7 = 0, now() \
             FROM (SELECT id FROM groups WHERE name LIKE 'Группа %') AS g \
             CROSS JOIN generate_series(1, {events_per_group}) AS k"
        ),
        format!(
            "INSERT INTO events (id, group_id, title, event_date, is_important, created_at) \
             SELECT gen_random_uuid(), '{bench_group}', 'Лабораторная ' || k, current_date + (k % 400 - 200), k % 9 = 0, now() \
             FROM generate_series(1, {BENCH_GROUP_EVENTS}) AS k"
        ),
        // Thirty seeded students move into the benchmark group and have opened a third of its events.
        format!(
            "UPDATE groupmembers SET group_id = '{bench_group}', is_leader = false \
             WHERE user_id BETWEEN 900000001 AND 900000030"
        ),
        format!(
            "INSERT INTO viewedevents (user_id, event_id, viewed_at) \
             SELECT m.user_id, e.id, now() \
             FROM groupmembers m JOIN events e ON e.group_id = m.group_id \
             WHERE m.group_id = '{bench_group}' AND m.user_id BETWEEN 900000001 AND 900000030 \
               AND (hashtext(e.id::text) % 3) = 0"
        ),
        "ANALYZE".to_owned(),
    ];
    for sql in statements {
        db.execute_unprepared(&sql)
            .await
            .with_context(|| format!("seeding: {sql}"))?;
    }
    Ok(())
}

async fn count(db: &DatabaseConnection, table: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await?
        .context("a count")?;
    Ok(row.try_get("", "n")?)
}

/// The plan PostgreSQL chooses for the month's marks (the shape of the service's query).
async fn month_plan(db: &DatabaseConnection, group: uuid::Uuid) -> anyhow::Result<String> {
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!(
                "EXPLAIN SELECT event_date, is_important FROM events \
                 WHERE group_id = '{group}' AND event_date >= date_trunc('month', current_date)::date \
                 AND event_date < (date_trunc('month', current_date) + interval '1 month')::date"
            ),
        ))
        .await?;
    let lines: Result<Vec<String>, _> = rows.iter().map(|row| row.try_get_by_index(0)).collect();
    // The scan nodes say whether `idx_events_group_date` is used.
    let scans: Vec<String> = lines?
        .iter()
        .filter(|line| line.contains("Scan"))
        .map(|line| line.trim().trim_start_matches("->").trim().to_owned())
        .collect();
    Ok(scans.join(" / "))
}

async fn run(options: Options) -> anyhow::Result<()> {
    let iterations = options.iterations;
    let mut app = TestApp::spawn(Backend::Postgres).await;
    let leader = app.student("Петрова Анна");
    let group = app.create_group(&leader, "ИВТ-21").await;

    let started = Instant::now();
    seed(&app.db, options, group).await?;
    let seed_seconds = started.elapsed().as_secs_f64();
    let plan = month_plan(&app.db, group).await?;
    let events = group_events(&app.db, group).await?;

    // The service calls, as the handlers make them.
    let mut service_calendar = Vec::with_capacity(iterations);
    let mut marked_days = 0;
    let mut unseen = 0;
    for _ in 0..iterations {
        let started = Instant::now();
        // The membership read the update's session makes, then the screen's reads.
        let viewer = service::viewer(&app.db, leader.id()).await?;
        let view = service::calendar(&app.db, viewer, None, Utc::now()).await?;
        service_calendar.push(started.elapsed());
        marked_days = view.days.len();
        unseen = view.unseen;
    }
    anyhow::ensure!(marked_days > 0, "the current month has marked days");
    let mut service_card = Vec::with_capacity(iterations);
    for i in 0..iterations {
        let started = Instant::now();
        let event = events[i % events.len()];
        let viewer = service::viewer(&app.db, leader.id()).await?;
        let card = service::card(&app.db, viewer, event).await?;
        if !card.seen {
            service::mark_seen(&app.db, &card, chrono::Utc::now()).await?;
        }
        service_card.push(started.elapsed());
        anyhow::ensure!(card.event.group_id == group, "the group's event");
    }

    // The whole updates through the fake Bot API.
    let mut update_calendar = Vec::with_capacity(iterations);
    let mut month_message = None;
    for _ in 0..iterations {
        let since = app.tg.next_seq();
        let pushed = Instant::now();
        app.tg.push_message(&leader.user, "📅 События и Бронь");
        let reply = app
            .tg
            .wait_for_chat(leader.id(), since, REPLY_TIMEOUT, |r| {
                r.method == "sendMessage"
            })
            .await
            .map_err(anyhow::Error::msg)?;
        anyhow::ensure!(reply.status == 200, "rejected: {:?}", reply.error);
        anyhow::ensure!(
            reply.text().is_some_and(|t| t.contains("Календарь группы")),
            "unexpected reply {:?}",
            reply.text()
        );
        update_calendar.push(reply.at.saturating_duration_since(pushed));
        month_message = reply.result.as_ref().and_then(|m| m["message_id"].as_i64());
    }
    let message = month_message.context("the month's message id")?;
    let mut update_card = Vec::with_capacity(iterations);
    for i in 0..iterations {
        // Each press opens another event than the last, so the edit changes the message.
        let data = encode(&Action::Open {
            event: events[(i * 7) % events.len()],
        });
        let since = app.tg.next_seq();
        let pushed = Instant::now();
        app.tg.push_callback(&leader.user, message, &data);
        let reply = app
            .tg
            .wait_for_chat(leader.id(), since, REPLY_TIMEOUT, |r| {
                r.method == "editMessageText"
                    && r.params.get("message_id").and_then(int_value) == Some(message)
            })
            .await
            .map_err(anyhow::Error::msg)?;
        update_card.push(reply.at.saturating_duration_since(pushed));
    }

    let report = serde_json::json!({
        "benchmark": "calendar",
        "backend": "postgres",
        "users": count(&app.db, "users").await?,
        "groups": count(&app.db, "groups").await?,
        "groupmembers": count(&app.db, "groupmembers").await?,
        "events": count(&app.db, "events").await?,
        "viewedevents": count(&app.db, "viewedevents").await?,
        "bench_group_events": BENCH_GROUP_EVENTS,
        "marked_days_this_month": marked_days,
        "unseen_for_the_leader": unseen,
        "seed_seconds": seed_seconds,
        "month_marks_plan": plan,
        "iterations": iterations,
        "service_calendar_ms": common::summary(service_calendar),
        "update_calendar_ms": common::summary(update_calendar),
        "service_card_ms": common::summary(service_card),
        "update_card_ms": common::summary(update_card),
    });
    app.stop().await;
    let server = support::app::postgres_server_url();
    if let Err(err) =
        study_group_bot::storage::testing::drop_postgres_database(&server, &app.database.url).await
    {
        eprintln!("could not drop the benchmark database: {err}");
    }
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// The ids of the benchmark group's events.
async fn group_events(
    db: &DatabaseConnection,
    group: uuid::Uuid,
) -> anyhow::Result<Vec<uuid::Uuid>> {
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT id FROM events WHERE group_id = '{group}' ORDER BY event_date"),
        ))
        .await?;
    let ids: Result<Vec<uuid::Uuid>, _> = rows.iter().map(|row| row.try_get("", "id")).collect();
    let ids = ids?;
    anyhow::ensure!(!ids.is_empty(), "the group has events");
    Ok(ids)
}
