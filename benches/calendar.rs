//! Calendar benchmark: opening the calendar month of a group with 500 events, in a database of
//! 100 000 users and 5 000 groups (20 members and 10 events each), on PostgreSQL.
//!
//! Two measurements, each over N sequential iterations (default 1000):
//! - `service`: `events::service::calendar` — the membership and time zone, the month's marks
//!   (one query over `(group_id, event_date)`) and the count of new events;
//! - `update`: the whole update — «📅 События и Бронь» pushed to the fake Bot API until the
//!   bot's `sendMessage` with the month grid arrives there (long-poll round trip, session load,
//!   the service call, rendering, the HTTP request).
//!
//! Prints one JSON object.
//!
//! `cargo bench --bench calendar -- [--iterations N]`

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use study_group_bot::events::service;
use support::app::{Backend, TestApp};

const USERS: i64 = 100_000;
const GROUPS: i64 = 5_000;
const MEMBERS_PER_GROUP: i64 = USERS / GROUPS;
const EVENTS_PER_GROUP: i64 = 10;
const BENCH_GROUP_EVENTS: i64 = 500;
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

fn iterations() -> anyhow::Result<usize> {
    let mut iterations = 1000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--iterations" => {
                let value = args.next().context("--iterations needs a number")?;
                iterations = value.parse().context("--iterations needs a number")?;
            }
            "--bench" => {} // passed by `cargo bench`
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(iterations)
}

fn main() -> anyhow::Result<()> {
    let iterations = iterations()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run(iterations))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

fn summary(mut samples: Vec<Duration>) -> serde_json::Value {
    samples.sort();
    let mean = samples.iter().map(Duration::as_secs_f64).sum::<f64>() / samples.len() as f64;
    serde_json::json!({
        "p50": percentile(&samples, 50.0),
        "p99": percentile(&samples, 99.0),
        "max": percentile(&samples, 100.0),
        "mean": mean * 1000.0,
    })
}

/// Bulk data, set-based on the server: users, groups with members, and events spread over the
/// year around today; the benchmark group gets 500 events and a few members who opened some.
async fn seed(db: &DatabaseConnection, bench_group: uuid::Uuid) -> anyhow::Result<()> {
    let statements = [
        format!(
            "INSERT INTO users (telegram_id, first_name, last_name, created_at, last_active_at, is_blocked, has_full_name) \
             SELECT 900000000 + n, 'Студент', 'Нагрузочный ' || n, now(), now(), false, false \
             FROM generate_series(1, {USERS}) AS n"
        ),
        format!(
            "INSERT INTO groups (id, name, created_at, creator_id, timezone) \
             SELECT gen_random_uuid(), 'Группа ' || n, now(), 900000000 + (n - 1) * {MEMBERS_PER_GROUP} + 1, \
                    CASE WHEN n % 3 = 0 THEN 'Asia/Vladivostok' ELSE 'Europe/Moscow' END \
             FROM generate_series(1, {GROUPS}) AS n"
        ),
        format!(
            "INSERT INTO groupmembers (id, user_id, group_id, is_leader, is_assistant, joined_at) \
             SELECT gen_random_uuid(), 900000000 + n, g.id, n % {MEMBERS_PER_GROUP} = 1, false, now() \
             FROM generate_series(1, {USERS}) AS n \
             JOIN (SELECT id, row_number() OVER (ORDER BY name) AS r FROM groups WHERE name LIKE 'Группа %') AS g \
               ON g.r = (n - 1) / {MEMBERS_PER_GROUP} + 1"
        ),
        format!(
            "INSERT INTO events (id, group_id, title, event_date, is_important, created_at) \
             SELECT gen_random_uuid(), g.id, 'Событие ' || k, current_date + ((k * 37) % 365 - 180), k % 7 = 0, now() \
             FROM (SELECT id FROM groups WHERE name LIKE 'Группа %') AS g \
             CROSS JOIN generate_series(1, {EVENTS_PER_GROUP}) AS k"
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

async fn run(iterations: usize) -> anyhow::Result<()> {
    let mut app = TestApp::spawn(Backend::Postgres).await;
    let leader = app.student("Петрова Анна");
    let group = app.create_group(&leader, "ИВТ-21").await;

    let started = Instant::now();
    seed(&app.db, group).await?;
    let seed_seconds = started.elapsed().as_secs_f64();
    let plan = month_plan(&app.db, group).await?;

    // The service call, as the handler makes it.
    let mut service_samples = Vec::with_capacity(iterations);
    let mut marked_days = 0;
    let mut unseen = 0;
    for _ in 0..iterations {
        let started = Instant::now();
        let view = service::calendar(&app.db, leader.id(), None, Utc::now()).await?;
        service_samples.push(started.elapsed());
        marked_days = view.days.len();
        unseen = view.unseen;
    }
    anyhow::ensure!(marked_days > 0, "the current month has marked days");

    // The whole update through the fake Bot API.
    let mut update_samples = Vec::with_capacity(iterations);
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
        update_samples.push(reply.at.saturating_duration_since(pushed));
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
        "service_calendar_ms": summary(service_samples),
        "update_to_reply_ms": summary(update_samples),
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
