//! Queue benchmark: N students (default 1000) of one group press «Встать в очередь» on the same
//! queue at the same instant, on PostgreSQL.
//!
//! Runs `queues::service::join` directly as a unit of work (the whole transaction: role check,
//! the queue row locked with `FOR UPDATE`, the insert at `max(position) + 1`, its change-log
//! row), all N
//! concurrently over the bot's own pool, so it measures the contention the lock serialises.
//! At the end it checks that positions are exactly 1..=N with nobody twice.
//!
//! Prints one JSON object.
//!
//! `cargo bench --bench queues -- [--users N]`

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use study_group_bot::queues::service;
use support::app::{Backend, TestDatabase};
use uuid::Uuid;

fn users() -> anyhow::Result<i64> {
    let mut users = 1000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--users" => {
                let value = args.next().context("--users needs a number")?;
                users = value.parse().context("--users needs a number")?;
            }
            "--bench" => {} // passed by `cargo bench`
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(users)
}

fn main() -> anyhow::Result<()> {
    let users = users()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run(users))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

/// A group of `users` members (the first is the leader), an event and an open queue.
async fn seed(db: &DatabaseConnection, users: i64, group: Uuid, queue: Uuid) -> anyhow::Result<()> {
    let event = Uuid::new_v4();
    let statements = [
        format!(
            "INSERT INTO users (telegram_id, first_name, last_name, created_at, last_active_at, is_blocked, has_full_name) \
             SELECT 800000000 + n, 'Студент', 'Очередной ' || n, now(), now(), false, false \
             FROM generate_series(1, {users}) AS n"
        ),
        format!(
            "INSERT INTO groups (id, name, created_at, creator_id, timezone) \
             VALUES ('{group}', 'ИВТ-21', now(), 800000001, 'Europe/Moscow')"
        ),
        format!(
            "INSERT INTO groupmembers (id, user_id, group_id, is_leader, is_assistant, joined_at) \
             SELECT gen_random_uuid(), 800000000 + n, '{group}', n = 1, false, now() \
             FROM generate_series(1, {users}) AS n"
        ),
        format!(
            "INSERT INTO events (id, group_id, title, event_date, is_important, created_at) \
             VALUES ('{event}', '{group}', 'Лабораторная 1', current_date, false, now())"
        ),
        format!(
            "INSERT INTO queues (id, event_id, title, created_at, is_closed) \
             VALUES ('{queue}', '{event}', 'Защита', now(), false)"
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

async fn run(users: i64) -> anyhow::Result<()> {
    let database = TestDatabase::create(Backend::Postgres).await;
    let db = study_group_bot::app::connect_and_migrate(&database.url).await?;
    let (group, queue) = (Uuid::new_v4(), Uuid::new_v4());
    seed(&db, users, group, queue).await?;

    let started = Instant::now();
    let tasks: Vec<_> = (1..=users)
        .map(|n| {
            let db = db.clone();
            tokio::spawn(async move {
                let at = Instant::now();
                let joined = study_group_bot::uow::run_as(&db, 800_000_000 + n, |uow| {
                    Box::pin(service::join(uow, queue))
                })
                .await;
                (joined, at.elapsed())
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(tasks.len());
    let mut positions = Vec::with_capacity(tasks.len());
    for task in tasks {
        let (joined, latency) = task.await?;
        positions.push(joined.context("a join failed")?.position);
        latencies.push(latency);
    }
    let wall = started.elapsed();

    positions.sort_unstable();
    let expected: Vec<i32> = (1..=i32::try_from(users)?).collect();
    ensure!(positions == expected, "positions are not 1..={users}");
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT COUNT(*) AS n, COUNT(DISTINCT user_id) AS u, MAX(position) AS m \
                 FROM queueparticipants WHERE queue_id = '{queue}'"
            ),
        ))
        .await?
        .context("a count")?;
    let (n, distinct, max): (i64, i64, i32) = (
        row.try_get("", "n")?,
        row.try_get("", "u")?,
        row.try_get("", "m")?,
    );
    ensure!(
        n == users && distinct == users && i64::from(max) == users,
        "the table disagrees"
    );

    latencies.sort();
    let mean = latencies.iter().map(Duration::as_secs_f64).sum::<f64>() / latencies.len() as f64;
    let report = serde_json::json!({
        "benchmark": "queues",
        "backend": "postgres",
        "path": "queues::service::join in a unit of work, called directly, all concurrently",
        "users": users,
        "wall_seconds": wall.as_secs_f64(),
        "joins_per_second": users as f64 / wall.as_secs_f64(),
        "latency_ms": {
            "p50": percentile(&latencies, 50.0),
            "p95": percentile(&latencies, 95.0),
            "p99": percentile(&latencies, 99.0),
            "max": percentile(&latencies, 100.0),
            "mean": mean * 1000.0,
        },
        "positions_gapless": true,
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
