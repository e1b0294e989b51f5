//! Onboarding benchmark: N simulated students each send `/start`, press «🚀 Создать группу» and
//! type a group name, all at once, through the fake Bot API, against the release binary of the
//! bot running as a separate process on PostgreSQL (or SQLite with `--sqlite`).
//!
//! Prints one JSON object: throughput, latency from update to reply (p50/p95/p99), the bot's
//! CPU time per update and peak RSS, and the load generator's own CPU, to show it was not the
//! bottleneck.
//!
//! `cargo bench --bench onboarding -- [--users N] [--sqlite]`

#[path = "../tests/support/mod.rs"]
mod support;

mod common;

use std::time::{Duration, Instant};

use common::{BenchDatabase, Bot, CpuMeter};
use futures::future::join_all;
use sea_orm::{EntityTrait, PaginatorTrait};
use study_group_bot::storage;
use study_group_bot::storage::entities::groups;
use support::fake_api::{FakeTelegram, TgUser};

const REPLY_TIMEOUT: Duration = Duration::from_secs(120);

struct Options {
    users: usize,
    sqlite: bool,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        users: 1000,
        sqlite: false,
    };
    let mut args = common::Args::from_env();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--users" => options.users = args.value("--users")?,
            "--sqlite" => options.sqlite = true,
            other => common::unknown(other)?,
        }
    }
    Ok(options)
}

fn main() -> anyhow::Result<()> {
    let options = options()?;
    common::runtime()?.block_on(run(options))
}

/// One student's onboarding; returns the latency of each of the three steps.
async fn onboard(tg: &FakeTelegram, user: TgUser, name: String) -> anyhow::Result<Vec<Duration>> {
    let mut latencies = Vec::with_capacity(3);
    for text in ["/start", "🚀 Создать группу", name.as_str()] {
        let since = tg.next_seq();
        let pushed = Instant::now();
        tg.push_message(&user, text);
        let reply = tg
            .wait_for_chat(user.id, since, REPLY_TIMEOUT, |r| r.method == "sendMessage")
            .await
            .map_err(anyhow::Error::msg)?;
        anyhow::ensure!(reply.status == 200, "rejected: {:?}", reply.error);
        latencies.push(reply.at.saturating_duration_since(pushed));
    }
    Ok(latencies)
}

async fn run(options: Options) -> anyhow::Result<()> {
    let tg = FakeTelegram::start().await;
    let database = BenchDatabase::create(options.sqlite).await?;
    let bot = Bot::spawn(&tg, &database.url)?;
    tg.wait_for(0, Duration::from_secs(120), |r| r.method == "getUpdates")
        .await
        .map_err(anyhow::Error::msg)?;

    let students: Vec<TgUser> = (0..options.users)
        .map(|i| {
            let id = 500_000_000 + i as i64;
            tg.user(
                id,
                "Студент",
                Some(&format!("Нагрузочный{i}")),
                None,
                Some("ru"),
            )
        })
        .collect();

    let cpu = CpuMeter::start(&bot)?;
    let started = Instant::now();
    let results = join_all(
        students
            .into_iter()
            .enumerate()
            .map(|(i, user)| onboard(&tg, user, format!("Группа {i}"))),
    )
    .await;
    let elapsed = started.elapsed();
    let mut latencies = Vec::with_capacity(options.users * 3);
    for result in results {
        latencies.extend(result?);
    }
    let updates = latencies.len();
    let cpu = cpu.report(&bot, updates)?;
    let peak_rss = common::peak_rss_mib(bot.pid())?;

    let db = storage::connect(&database.url).await?;
    let created = groups::Entity::find().count(&db).await?;
    anyhow::ensure!(
        created == options.users as u64,
        "expected {} groups, found {created}",
        options.users
    );
    db.close().await?;
    bot.stop()?;

    let report = serde_json::json!({
        "benchmark": "onboarding",
        "backend": database.backend(),
        "users": options.users,
        "updates": updates,
        "seconds": elapsed.as_secs_f64(),
        "updates_per_second": updates as f64 / elapsed.as_secs_f64(),
        "latency_ms": common::summary(latencies),
        "cpu": cpu,
        "bot_peak_rss_mib": peak_rss,
    });
    database.drop_database().await;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
